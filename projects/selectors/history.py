"""The history of an indicator page: every change of its values and of its definition, target and
baseline, diffed field by field from django-simple-history's records."""
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from core.numbers import number_text
from accounts import permissions
from indicators.models import Indicator

from ..choices import State
from ..models import IndicatorValue



@dataclass(frozen=True)
class HistoryRow:
    """One changed field: when, who, on what, old → new, and the reason given."""

    when: datetime
    who: object
    subject: str
    field: str
    old: str
    new: str
    reason: str
    kind: str = "value"  # "value": a reported value; "indicator": the indicator's target or baseline


VALUE_FIELDS = ["value", "state", "source", "vintage", "note", "return_reason"]
INDICATOR_FIELDS = [
    "name", "category", "direction", "aggregation", "organization", "concept", "baseline_year", "baseline_value", "baseline_text", "target_year", "target_text",
    "target_kind", "target_value", "target_low", "target_high", "unit", "attribute",
]
INDICATOR_CREATION_FIELDS = ["baseline_value", "target_text"]


def indicator_history(indicator: Indicator, *, public_only: bool = False) -> list[HistoryRow]:
    """Every change of the indicator's values and of its target and baseline, newest first, in two queries.

    public_only hides what a user outside the organization may not see: records of values
    before they were approved.
    """
    value_records = (
        IndicatorValue.history.filter(indicator_id=indicator.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    indicator_records = (
        Indicator.history.filter(id=indicator.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    rows = _diff_records(value_records, VALUE_FIELDS, VALUE_FIELDS, _value_subject, public_only)
    rows += [
        replace(row, kind="indicator")
        for row in _diff_records(
            indicator_records, INDICATOR_FIELDS, INDICATOR_CREATION_FIELDS, _indicator_subject, False
        )
    ]
    return sorted(rows, key=lambda r: r.when, reverse=True)


def indicator_history_for_user(user, indicator: Indicator) -> list[HistoryRow]:
    """The history the user may see: everything inside the organization, approved records outside it,
    and to anonymous visitors only the changes of the plan's own target and baseline."""
    readable = permissions.can_read(user, indicator.organization_id, indicator.plan.region_id)
    rows = indicator_history(indicator, public_only=not readable)
    return rows if user.is_authenticated else [r for r in rows if r.kind == "indicator"]


def indicator_page(request, indicator: Indicator) -> dict:
    """What monitoring adds to the indicator page (registered with indicators.panels): the values
    the user may see and the history of the indicator and its values."""
    values = indicator.values.order_by("year")
    if not permissions.can_read(request.user, indicator.organization_id, indicator.plan.region_id):
        values = values.filter(state=State.APPROVED)
    return {"values": values, "value_history": indicator_history_for_user(request.user, indicator)}


def _value_subject(record) -> str:
    return _("%(year)s年数值") % {"year": record.year}


def _indicator_subject(record) -> str:
    return _("指标定义、基期与目标")


def _diff_records(records, fields, creation_fields, subject, public_only) -> list[HistoryRow]:
    rows, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        names = fields if before is not None else creation_fields
        if not (public_only and record.state != State.APPROVED):
            rows += [_row(record, name, before, subject) for name in names if _changed(record, before, name)]
        previous[record.id] = record
    return rows


def _changed(record, before, name) -> bool:
    attname = record._meta.get_field(name).attname  # organization_id: no query per comparison
    new = getattr(record, attname)
    if before is None:
        return new not in (None, "")
    return getattr(before, attname) != new


def _row(record, name, before, subject) -> HistoryRow:
    return HistoryRow(
        when=record.history_date,
        who=record.history_user,
        subject=subject(record),
        field=str(record._meta.get_field(name).verbose_name),
        old=_display(before, name) if before is not None else "",
        new=_display(record, name),
        reason=record.history_change_reason or "",
    )


def _display(record, name) -> str:
    field_ = record._meta.get_field(name)
    value = getattr(record, field_.attname)
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return number_text(value)
    if field_.is_relation:
        return _related_name(record, name)
    return "" if value is None else str(value)


def _related_name(record, name) -> str:
    """The name of a related row (organization, concept) as it is now, or its id if it is gone."""
    try:
        related = getattr(record, name)
    except ObjectDoesNotExist:
        return f"#{getattr(record, f'{name}_id')}"
    return "" if related is None else str(related)
