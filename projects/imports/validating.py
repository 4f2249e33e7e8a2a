"""Step 2 of an import: every row checked against the database, giving an ImportPlan with the
changes value by value (old → new) or every error; nothing is written here."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.numbers import number_text
from indicators.models import Indicator
from plans.models import Plan

from .. import services, workflow
from ..choices import State, Vintage
from ..excel import VINTAGE_LABELS
from ..models import IndicatorValue
from ..periods import year_refusal
from ..selectors.reference import reference_for
from ..services.records import VALUE, check_four_eyes, may, roles_for
from ..validation import parse_value_input
from .reading import is_blank as _is_blank
from .rows import CSV, XLSX, Change, ImportPlan, ImportRow, file_error

# 2. Validation --------------------------------------------------------------------------------

LIMITED_FIELDS = ("source",)  # the texts of a row kept in a CharField of IndicatorValue (vintage is a choice)


@dataclass
class Scope:
    """Restricts an upload to one plan, year and organization (the web upload page)."""

    plan: Plan
    year: int
    organization: object


@dataclass
class _Parsed:
    row: ImportRow
    indicator: Indicator
    year: int
    value: Decimal | None
    vintage: str | None
    existing: IndicatorValue | None


class _Context:
    """Everything validation needs from the database, loaded in a constant number of queries."""

    def __init__(self, rows: list[ImportRow]):
        codes = {row.plan for row in rows}
        self.plans = {plan.code: plan for plan in Plan.objects.filter(code__in=codes)}
        indicators = Indicator.objects.filter(plan__in=self.plans.values()).select_related("plan", "organization")
        self.indicators = {(ind.plan_id, ind.number): ind for ind in indicators}
        self.by_name: dict[tuple, list[Indicator]] = {}
        for indicator in sorted(self.indicators.values(), key=lambda ind: ind.number):
            self.by_name.setdefault((indicator.plan_id, indicator.name.strip()), []).append(indicator)
        self.values, self.approved = self._load_values()
        self.locks = {}

    def _load_values(self):
        """Stored values by (indicator, year), and approved ones by indicator for the outlier check."""
        records = IndicatorValue.objects.filter(indicator__plan__in=self.plans.values()).order_by("year")
        fields = ["indicator_id", "year", "value", "state", "source", "note", "vintage", "version", "is_demo"]
        values, approved = {}, {}
        for record in records.only(*fields):
            values[(record.indicator_id, record.year)] = record
            if record.state == State.APPROVED:
                approved.setdefault(record.indicator_id, {})[record.year] = record.value
        return values, approved

    def lock_error(self, plan: Plan, year: int) -> str | None:
        if (plan.pk, year) not in self.locks:
            try:
                services.ensure_year_open(plan, year)
                self.locks[(plan.pk, year)] = None
            except services.YearLockedError as exc:
                self.locks[(plan.pk, year)] = str(exc)
        return self.locks[(plan.pk, year)]


def validate_rows(
    rows: list[ImportRow], *, user=None, state=State.DRAFT, scope: Scope | None = None
) -> ImportPlan:
    """Check every row; the plan's changes are only meant to be applied when it has no errors."""
    plan = ImportPlan(kind=rows[0].kind if rows else CSV, rows=len(rows))
    context = _Context(rows)
    parsed, seen, errors_by_line = [], {}, {}
    for row in rows:
        item, errors = _parse_row(row, context, seen, user=user, state=state, scope=scope)
        errors_by_line.setdefault(row.line, []).extend(errors)
        if item is not None:
            parsed.append(item)
    uploaded: dict[int, dict[int, Decimal]] = {}  # indicator id → year → value, of this file
    for p in parsed:
        if p.value is not None:
            uploaded.setdefault(p.indicator.pk, {})[p.year] = p.value
    for item in parsed:
        change, errors = _change_for(item, context, uploaded, user=user, state=state)
        errors_by_line[item.row.line].extend(errors)
        if change is not None:
            plan.changes.append(change)
    plan.errors = [error for line in sorted(errors_by_line) for error in errors_by_line[line]]
    if not rows:
        plan.errors.append(file_error(_("文件中没有数据行。")))
    return plan


def _parse_row(row: ImportRow, context: _Context, seen: dict, *, user, state, scope):
    """The row resolved and parsed, or None with the reasons why not."""
    errors = list(row.errors) + _check_lengths(row)
    indicator, year, resolve_errors = _resolve(row, context)
    errors += resolve_errors
    if indicator is None or year is None:
        return None, errors
    errors += _check_identity(row, indicator)
    errors += _check_scope(row, indicator, year, scope)
    errors += _check_duplicate(row, indicator, year, seen)
    existing = context.values.get((indicator.pk, year))
    errors += _check_permission(row, indicator, user, state, existing)
    if _is_blank(row.value):
        return None, errors + _blank_value_errors(row, existing)
    lock = context.lock_error(indicator.plan, year)
    if lock:
        errors.append(row.error("year", lock))
    value, vintage, value_errors = _parse_value(row, indicator)
    errors += value_errors
    if errors:
        return None, errors
    return _Parsed(row, indicator, year, value, vintage, existing), []


def _check_lengths(row: ImportRow) -> list[str]:
    """The lengths the model limits, checked here so that the database never has to refuse one."""
    errors = []
    for name in LIMITED_FIELDS:
        text = getattr(row, name) or ""
        limit = IndicatorValue._meta.get_field(name).max_length
        if len(text) > limit:
            reason = _("内容有 %(n)s 个字符，最多 %(limit)s 个。") % {"n": len(text), "limit": limit}
            errors.append(row.error(name, reason))
    return errors


def _shown(text, limit: int = 40) -> str:
    """A cell quoted in a message, shortened: a 5 MB cell must not become a 5 MB message."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def _resolve(row: ImportRow, context: _Context) -> tuple[Indicator | None, int | None, list[str]]:
    plan = context.plans.get(row.plan)
    if plan is None:
        if _is_blank(row.plan):
            return None, None, [row.error("plan", _("请填写规划代码。"))]
        return None, None, [row.error("plan", _("未知的规划代码“%(code)s”。") % {"code": _shown(row.plan)})]
    if not plan.years():
        return None, None, [row.error("plan", year_refusal(plan, None))]
    errors = []
    year = _integer(row.year)
    if year is None or not 1900 <= year <= 2200:
        errors.append(row.error("year", _("年份“%(text)s”无效，应为四位整数。") % {"text": _shown(row.year)}))
    elif year_refusal(plan, year):  # the write path's own check: the base year is not a reporting year
        errors.append(row.error("year", year_refusal(plan, year)))
    indicator, indicator_errors = _find_indicator(row, plan, context)
    errors += indicator_errors
    return (None, None, errors) if errors else (indicator, year, [])


def _find_indicator(row: ImportRow, plan: Plan, context: _Context) -> tuple[Indicator | None, list[str]]:
    """By 序号, else by exact name; both given, they must name the same indicator."""
    name = (row.indicator_name or "").strip()
    if _is_blank(row.indicator) and name:
        return _by_name(row, plan, name, context)
    if _is_blank(row.indicator) and row.kind != XLSX:
        return None, [row.error("indicator", _("请填写指标的序号或名称。"))]
    number = _integer(row.indicator)
    indicator = context.indicators.get((plan.pk, number)) if number is not None else None
    if indicator is None:
        reason = _("规划“%(code)s”没有序号为“%(number)s”的指标。") % {"code": plan.code, "number": _shown(row.indicator)}
        return None, [row.error("indicator", reason)]
    if name and name != indicator.name.strip():
        reason = _("序号 %(number)s 的指标是“%(name)s”，与填写的指标名称“%(given)s”不符。") % {
            "number": indicator.number, "name": indicator.name, "given": _shown(name),
        }
        return None, [row.error("indicator_name", reason)]
    return indicator, []


def _by_name(row: ImportRow, plan: Plan, name: str, context: _Context) -> tuple[Indicator | None, list[str]]:
    found = context.by_name.get((plan.pk, name), [])
    if len(found) == 1:
        return found[0], []
    if not found:
        reason = _("规划“%(code)s”没有名为“%(name)s”的指标（须与指标名称完全一致，或改填序号）。") % {
            "code": plan.code, "name": _shown(name),
        }
    else:
        reason = _("规划“%(code)s”有 %(n)s 个名为“%(name)s”的指标（序号 %(numbers)s），请改填序号。") % {
            "code": plan.code, "n": len(found), "name": _shown(name),
            "numbers": _("、").join(str(indicator.number) for indicator in found),
        }
    return None, [row.error("indicator_name", reason)]


def _integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return int(number) if number.is_finite() and number == number.to_integral_value() else None


def _check_identity(row: ImportRow, indicator: Indicator) -> list[str]:
    """The template's hidden id must match the 序号 column: a moved or edited row is refused."""
    if row.kind != XLSX:
        return []
    if _integer(row.indicator_id) != indicator.pk:
        return [row.error("indicator_id", _("隐藏的指标ID与序号不符，模板结构被改动，请重新下载模板。"))]
    return []


def _check_scope(row: ImportRow, indicator: Indicator, year: int, scope: Scope | None) -> list[str]:
    if scope is None:
        return []
    if row.kind == XLSX and _integer(row.organization) != scope.organization.pk:
        return [row.error("organization", _("该模板属于其他单位，请在对应单位的页面上传。"))]
    expected = (scope.plan.pk, scope.year, scope.organization.pk)
    if (indicator.plan_id, year, indicator.organization_id) != expected:
        reason = _("不属于本次填报范围（%(plan)s · %(year)s 年 · %(org)s）。") % {
            "plan": scope.plan.display_name, "year": scope.year, "org": scope.organization
        }
        return [row.error("indicator", reason)]
    return []


def _check_duplicate(row: ImportRow, indicator: Indicator, year: int, seen: dict) -> list[str]:
    key = (indicator.pk, year)
    if key in seen:
        reason = _("与第 %(line)s 行重复（同一规划、指标和年份只能出现一次）。") % {"line": seen[key]}
        return [row.error("indicator", reason)]
    seen[key] = row.line
    return []


def _check_permission(row: ImportRow, indicator: Indicator, user, state, existing) -> list[str]:
    """The write path's rule (the transition table's roles), with the import's own words."""
    current = existing.state if existing else None
    step = _step(user, indicator, state, current)
    if may(user, indicator.organization_id, step, current):
        return _four_eyes_errors(row, user, step, current, state)
    organization = indicator.organization or _("（未指定责任单位）")
    if state == State.APPROVED:
        reason = _("你无权审核“%(org)s”的指标，不能以“已审核”状态导入。") % {"org": organization}
        return [row.error("indicator", reason)]
    return [row.error("indicator", _("你无权填报“%(org)s”的指标。") % {"org": organization})]


def _four_eyes_errors(row: ImportRow, user, step, current, state) -> list[str]:
    """Importing a value as approved approves the importer's own entry: the write path's four eyes."""
    try:
        check_four_eyes(VALUE, user, None, step, workflow.next_state(step, current, state), entering=True)
    except services.MonitoringError as exc:
        return [row.error("indicator", str(exc))]
    return []


def _step(user, indicator: Indicator, state, current) -> str:
    is_admin = workflow.ADMIN in roles_for(user, indicator.organization_id)
    return workflow.step_for_write(state, current, is_admin=is_admin)


def _blank_value_errors(row: ImportRow, existing: IndicatorValue | None) -> list[str]:
    """An empty value cell is “not reported”, unless it would silently drop data."""
    if existing is not None and row.kind == XLSX:
        reason = _("不能通过导入清空已有数值（当前为 %(v)s）。") % {"v": number_text(existing.value)}
        return [row.error("value", reason)]
    if existing is not None or row.kind != XLSX or row.source or row.note:
        return [row.error("value", _("请填写数值。"))]
    return []


def _parse_value(row: ImportRow, indicator: Indicator) -> tuple[Decimal | None, str | None, list[str]]:
    errors = []
    value = vintage = None
    try:
        value = parse_value_input(row.value, percent_unit=indicator.is_share)
    except ValueError as exc:
        errors.append(row.error("value", str(exc)))
    if row.vintage:
        vintage = VINTAGE_LABELS.get(row.vintage) or (row.vintage if row.vintage in Vintage.values else None)
        if vintage is None:
            errors.append(row.error("vintage", _("数据性质应为“初步”或“核实”。")))
    return value, vintage, errors


def _change_for(item: _Parsed, context: _Context, uploaded: dict, *, user, state):
    """The change the row makes (None when it changes nothing), or the reasons it may not."""
    existing, row = item.existing, item.row
    new_state = _new_state(item, user, state)
    change = _make_change(item, new_state or existing.state)
    if existing is not None and not _differs(change, existing):
        return None, []
    errors = _check_version(row, existing) if new_state else _refused_overwrite(row, existing)
    reference = reference_for(item.indicator, item.year, _approved(item, context, uploaded, state))
    if change.new_state in workflow.EDITABLE:  # as on the entry page: a draft waits for its jump note
        problems = services.value_range_problems(item.indicator, change.new_value)
    else:
        problems = services.value_problems(item.indicator, item.year, change.new_value, change.note, reference)
    errors += [row.error(getattr(p, "field", "value"), str(p)) for p in problems]
    return (None, errors) if errors else (change, [])


def _new_state(item: _Parsed, user, state) -> str | None:
    """The state the write path will give the value (the transition table), None when it may not."""
    current = item.existing.state if item.existing else None
    return workflow.next_state(_step(user, item.indicator, state, current), current, asked=state)


def _make_change(item: _Parsed, new_state: str) -> Change:
    existing, row = item.existing, item.row
    keep = existing is not None and row.kind == XLSX  # the template pre-fills them; other files say them all
    vintage = item.vintage or (existing.vintage if existing else Vintage.PRELIMINARY)
    return Change(
        indicator=item.indicator, year=item.year, new_value=item.value, vintage=vintage, new_state=new_state,
        old_value=existing.value if existing else None, old_state=existing.state if existing else None,
        source=row.source if (row.source or not keep) else existing.source,
        note=row.note if (row.note or not keep) else existing.note,
        record_id=existing.pk if existing else None, version=existing.version if existing else 0,
        line=row.line, old_is_demo=bool(existing and existing.is_demo),
    )


def _differs(change: Change, existing: IndicatorValue) -> bool:
    fields = (change.new_value, change.source, change.note, change.vintage)
    if fields != (existing.value, existing.source, existing.note, existing.vintage):
        return True
    return existing.is_editable and change.new_state != existing.state


def _refused_overwrite(row: ImportRow, existing: IndicatorValue) -> list[str]:
    """Officials change only drafts and returned values; admins and the loading command may correct any."""
    reason = _("该数值%(state)s，不能通过导入修改；如需更正，请联系审核员退回。") % {
        "state": existing.get_state_display()
    }
    return [row.error("value", reason)]


def _check_version(row: ImportRow, existing: IndicatorValue | None) -> list[str]:
    """The template remembers the version it was made from: a value changed since is not overwritten."""
    if row.kind != XLSX:
        return []
    template_version = _integer(row.version)
    current = existing.version if existing else 0
    if template_version == current:
        return []
    current_value = number_text(existing.value) if existing else _("（空）")
    reason = _(
        "下载模板后该数值已被他人修改（模板版本 %(old)s，当前版本 %(new)s，当前值 %(value)s），请重新下载模板。"
    )
    return [row.error("version", reason % {"old": row.version, "new": current, "value": current_value})]


def _approved(item: _Parsed, context: _Context, uploaded: dict, state) -> dict[int, Decimal]:
    """The approved values of the indicator by year; loading approved data, this file's rows count too
    (by indicator: scanning every uploaded row for every row made a 10,000-row file quadratic)."""
    approved = context.approved.get(item.indicator.pk, {})
    if state == State.APPROVED:
        return {**approved, **uploaded.get(item.indicator.pk, {})}
    return approved
