"""Checks on a reported number: parsing what people type, and the checks before review.

No database access: plain text and Decimals in, a Decimal or messages out.
"""
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.numbers import number_text, read_number

from .reference import Reference

MAX_INTEGER_DIGITS = 16  # DecimalField(max_digits=20, decimal_places=4)
MAX_DECIMAL_PLACES = 4


class FieldMessage(str):
    """A message that also says which form field it belongs to ("value" or "note")."""

    field: str = "value"

    def __new__(cls, text: str, field: str = "value"):
        message = super().__new__(cls, text)
        message.field = field
        return message


def parse_value_input(text, *, percent_unit: bool) -> Decimal:
    """The number typed into a value cell (core.numbers' grammar); raises ValueError with a message."""
    raw = "" if text is None else str(text).strip()
    if not raw:
        raise ValueError(_("请填写数值。"))
    number = read_number(raw)
    if number is not None and number.suffix == "%" and not percent_unit:
        raise ValueError(_("该指标的单位不是百分比，数值后不能带“%”。"))
    if number is None or number.suffix == "‰":
        raise ValueError(_("“%(text)s”不是有效的数值，请填写如 1234.5 或 1,234.5 的数字。") % {"text": text})
    return _bounded(number.value)


def _bounded(value: Decimal) -> Decimal:
    try:
        integer_digits = len(str(abs(value).to_integral_value(rounding="ROUND_DOWN")))
    except InvalidOperation:  # pragma: no cover - the pattern admits only finite numbers
        raise ValueError(_("数值无效。")) from None
    if integer_digits > MAX_INTEGER_DIGITS:
        raise ValueError(_("数值过大：整数部分最多 %(n)s 位。") % {"n": MAX_INTEGER_DIGITS})
    if -value.as_tuple().exponent > MAX_DECIMAL_PLACES:
        raise ValueError(_("小数最多 %(n)s 位。") % {"n": MAX_DECIMAL_PLACES})
    return value


def check_value(
    value: Decimal,
    *,
    is_share: bool,
    is_rank: bool,
    year: int,
    reference: Reference | None,
    note: str,
    outlier_percent: Decimal,
) -> list[str]:
    """What is wrong with a parsed value before it is submitted; empty when it may go to review.

    The jump check compares the annualised change since the reference (the latest earlier
    approved value, else the baseline: projects.reference) with outlier_percent, so a value five
    years after its baseline is held to the same yearly pace as one a year after the last.
    Each message is a FieldMessage whose `field` says where a form shows it.
    """
    problems = range_problems(value, is_share=is_share, is_rank=is_rank)
    if reference is not None and not (note or "").strip():
        annual = annual_change(reference, year, value)
        if annual is not None and abs(annual) > outlier_percent:
            problems.append(FieldMessage(outlier_message(reference, year, value, outlier_percent), field="note"))
    return problems


def range_problems(value: Decimal, *, is_share: bool, is_rank: bool) -> list[str]:
    """What the indicator's kind never allows, whatever the note says: checked on every save, a
    draft included (a share of 120 is wrong at once, and an official should hear it while typing,
    not a week later at submit). The jump check of check_value stays a check before review: a
    draft may wait for its explanation."""
    problems = []
    if is_share and not Decimal(0) <= value <= Decimal(100):
        problems.append(FieldMessage(_("比重类指标的数值应在 0 到 100 之间。")))
    if is_rank and (value != value.to_integral_value() or value < 1):
        problems.append(FieldMessage(_("位次应为正整数。")))
    return problems


def percent_change(previous: Decimal | None, value: Decimal) -> Decimal | None:
    """The change from the previous value in percent; None without a previous value.

    From zero any change counts as unbounded, so it always needs an explanation.
    """
    if previous is None:
        return None
    if previous == 0:
        return Decimal(0) if value == 0 else Decimal("Infinity")
    return (value - previous) / abs(previous) * 100


def annual_change(reference: Reference | None, year: int, value: Decimal) -> Decimal | None:
    """The change per year in percent since the reference: ((new/old)^(1/gap) − 1) × 100.

    Over one year it is the plain change; a change of sign (or from zero) has no yearly rate, so
    the plain change stands for it.
    """
    if reference is None:
        return None
    change = percent_change(reference.value, value)
    gap = max(reference.gap(year), 1)
    if gap == 1 or change.is_infinite() or value / reference.value <= 0:
        return change
    return ((value / reference.value) ** (Decimal(1) / gap) - 1) * 100


def reference_label(reference: Reference, year: int) -> str:
    """What the reference is and which year, as users read it: never “上年” for a value years back."""
    if reference.is_baseline:
        return _("基期值（%(year)s年）") % {"year": reference.year}
    if reference.gap(year) == 1:
        return _("上年已审核值（%(year)s年）") % {"year": reference.year}
    return _("上一已审核值（%(year)s年）") % {"year": reference.year}


def outlier_message(reference: Reference, year: int, value: Decimal, limit: Decimal) -> str:
    change = percent_change(reference.value, value)
    shown = _("从零起变化") if change.is_infinite() else f"{change:+.1f}%"
    params = {
        "label": reference_label(reference, year), "previous": number_text(reference.value), "change": shown,
        "limit": number_text(limit),
    }
    annual = annual_change(reference, year, value)
    if reference.gap(year) > 1 and annual is not None and not annual.is_infinite() and annual != change:
        params["annual"] = f"{annual:+.1f}%"
        return _(
            "与%(label)s %(previous)s 相比变化 %(change)s（年均 %(annual)s），超过每年 %(limit)s%%，请在说明中写明原因。"
        ) % params
    return _("与%(label)s %(previous)s 相比变化 %(change)s，超过 %(limit)s%%，请在说明中写明原因。") % params
