"""Writes of the annual monitoring: each step of the review workflow and the year lock.

Every function is atomic, checks who may act, refuses locked years, records who and when, and
leaves a history record with a reason. Concurrency rules:

* the plan-year row (ReportingYear) is locked first (FOR UPDATE), then the record, always in
  that order, so a year lock cannot slip between a save's check and its write, and two writers
  of one plan-year never deadlock;
* every record has a version; a write carries the version its author saw and is refused with
  StaleValueError when the stored one differs (optimistic locking, nothing is overwritten).
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import permissions
from indicators.models import Indicator
from indicators.services import indicators_changed
from plans.models import Plan

from .choices import State, Vintage
from .models import IndicatorValue, Project, ProjectProgress, ReportingYear, WorkflowRecord
from .validation import check_value, format_decimal

HISTORY_REASON_LENGTH = 100  # simple-history's history_change_reason is a CharField(100)
EDITABLE = (State.DRAFT, State.RETURNED)


# Errors ---------------------------------------------------------------------------------------


class MonitoringError(ValidationError):
    """A refused monitoring write, with a message for the user."""

    default_code = "monitoring"

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code=code or self.default_code, params=params)

    def __str__(self):
        return " ".join(self.messages)


class YearLockedError(MonitoringError):
    default_code = "locked"

    def __init__(self, reporting_year: ReportingYear):
        self.reporting_year = reporting_year
        super().__init__(lock_message(reporting_year))


class StaleValueError(MonitoringError):
    """The record changed since its author loaded the page; both values are kept for display."""

    default_code = "stale"

    def __init__(self, current_value, your_value, who, when, *, current_version=None):
        self.current_value, self.your_value = current_value, your_value
        self.who, self.when, self.current_version = who, when, current_version
        super().__init__(stale_message(current_value, your_value, who, when))


class InvalidStateError(MonitoringError):
    default_code = "state"


class InvalidValueError(MonitoringError):
    """The value fails the checks of validation.check_value; `problems` keep their form field."""

    default_code = "invalid"

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(list(problems))


def lock_message(reporting_year: ReportingYear) -> str:
    return _(
        "%(plan)s %(year)s 年度已于 %(when)s 由 %(who)s 锁定，不能再修改。"
        "如需修改，请联系规划人员或管理员解锁。"
    ) % {
        "plan": reporting_year.plan.display_name,
        "year": reporting_year.year,
        "when": _when(reporting_year.locked_at),
        "who": reporting_year.locked_by or _("（未知）"),
    }


def stale_message(current_value, your_value, who, when) -> str:
    return _("该数值已被 %(who)s 于 %(when)s 修改为 %(current)s；你提交的是 %(yours)s。请核对后重新提交。") % {
        "who": who or _("他人"),
        "when": _when(when),
        "current": _shown(current_value),
        "yours": _shown(your_value),
    }


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i") if moment else _("（时间未知）")


def _shown(value) -> str:
    if value is None or value == "":
        return _("（空）")
    return format_decimal(value) if isinstance(value, Decimal) else str(value)


def last_change(record: WorkflowRecord):
    """Who touched the record last and when, from its own who/when columns (no history query)."""
    steps = [
        (record.entered_at, "entered_by"),
        (record.submitted_at, "submitted_by"),
        (record.reviewed_at, "reviewed_by"),
    ]
    moment, attr = max(((at, attr) for at, attr in steps if at), default=(None, None))
    return (getattr(record, attr) if attr else None), moment


# Year lock ------------------------------------------------------------------------------------


def ensure_year_open(plan: Plan, year: int) -> None:
    """Raise YearLockedError when the plan's year is locked (a plain read, for pages)."""
    locks = ReportingYear.objects.filter(plan=plan, year=year, is_locked=True)
    locked = locks.select_related("locked_by", "plan").first()
    if locked:
        raise YearLockedError(locked)


def lock_year_for_write(plan_id: int, year: int) -> ReportingYear:
    """Inside a transaction: take the plan-year row lock that serializes writes and lock changes, then
    raise YearLockedError if the year is locked. Bulk writers (the importer) call it once per plan-year."""
    ReportingYear.objects.get_or_create(plan_id=plan_id, year=year)
    reporting_year = ReportingYear.objects.select_for_update().get(plan_id=plan_id, year=year)
    if reporting_year.is_locked:
        raise YearLockedError(reporting_year)
    return reporting_year




@transaction.atomic
def year_lock(user, plan: Plan, year: int) -> ReportingYear:
    _require(permissions.can_plan(user), _("只有规划人员或管理员可以锁定年度。"))
    _require_plan_year(plan, year)
    ReportingYear.objects.get_or_create(plan=plan, year=year)
    reporting_year = ReportingYear.objects.select_for_update().get(plan=plan, year=year)
    if not reporting_year.is_locked:
        reporting_year.is_locked, reporting_year.locked_by = True, user
        reporting_year.locked_at = timezone.now()
        _save(reporting_year, user, _("锁定年度"))
    return reporting_year


@transaction.atomic
def year_unlock(user, plan: Plan, year: int) -> ReportingYear:
    _require(permissions.can_plan(user), _("只有规划人员或管理员可以解锁年度。"))
    ReportingYear.objects.get_or_create(plan=plan, year=year)
    reporting_year = ReportingYear.objects.select_for_update().get(plan=plan, year=year)
    if reporting_year.is_locked:
        reporting_year.is_locked, reporting_year.locked_by, reporting_year.locked_at = False, None, None
        _save(reporting_year, user, _("解锁年度"))
    return reporting_year


def _require_plan_year(plan: Plan, year: int) -> None:
    if plan.years() and year not in plan.years():
        raise MonitoringError(_("%(plan)s 没有 %(year)s 年度。") % {"plan": plan.display_name, "year": year})


# Indicator values -----------------------------------------------------------------------------


@transaction.atomic
def value_save(
    user, indicator: Indicator, year: int, *, value: Decimal, source="", vintage=Vintage.PRELIMINARY,
    note="", expected_version,
) -> IndicatorValue:
    """Create or update a draft or returned value.

    expected_version is the version the author saw (0 for "no value yet"); None skips the check
    (bulk loads of historical data).
    """
    _require(permissions.can_enter(user, indicator.organization_id), _("只有该指标责任单位的填报员可以填报。"))
    _require_plan_year(indicator.plan, year)
    lock_year_for_write(indicator.plan_id, year)
    record = IndicatorValue.objects.select_for_update().filter(indicator=indicator, year=year).first()
    fields = {"value": value, "source": source, "vintage": vintage, "note": note}
    if record is None:
        return _create_value(user, indicator, year, fields, expected_version)
    _check_version(record, expected_version, value, lambda r: r.value)
    _check_state(record, EDITABLE, _("该数值已提交审核或已审核通过，不能修改；如需更正，请联系审核员退回。"))
    return _update(record, user, _("保存草稿"), entered_by=user, entered_at=timezone.now(), **fields)


def _create_value(user, indicator, year, fields, expected_version) -> IndicatorValue:
    if expected_version:
        raise InvalidStateError(_("该数值已不存在，请刷新页面。"))
    record = IndicatorValue(indicator=indicator, year=year, **fields)
    record.entered_by, record.entered_at = user, timezone.now()
    try:
        with transaction.atomic():
            _save(record, user, _("新建数值"))
    except IntegrityError:
        # Another writer created the value between our read and our insert.
        current = IndicatorValue.objects.get(indicator=indicator, year=year)
        raise _stale(current, fields["value"], current.value) from None
    return record


@transaction.atomic
def value_submit(user, value: IndicatorValue, *, expected_version=None) -> IndicatorValue:
    record, indicator = _locked_value(value, expected_version)
    _require(permissions.can_enter(user, indicator.organization_id), _("只有该指标责任单位的填报员可以提交。"))
    _check_state(record, EDITABLE, _("只有草稿或已退回的数值可以提交。"))
    problems = check_value(
        record.value,
        is_share=indicator.is_share,
        is_rank=indicator.is_rank,
        previous=previous_approved(indicator, record.year),
        note=record.note,
        outlier_percent=outlier_percent(),
    )
    if problems:
        raise InvalidValueError(problems)
    return _submit(record, user)


@transaction.atomic
def value_approve(user, value: IndicatorValue, *, expected_version=None) -> IndicatorValue:
    record, indicator = _locked_value(value, expected_version)
    _require(permissions.can_review(user, indicator.organization_id), _("只有该指标责任单位的审核员可以审核。"))
    _check_state(record, (State.SUBMITTED,), _("只有已提交的数值可以审核通过。"))
    return _approve(record, user)


@transaction.atomic
def value_return(user, value: IndicatorValue, reason: str, *, expected_version=None) -> IndicatorValue:
    reason = _required_reason(reason)
    record, indicator = _locked_value(value, expected_version)
    _require(permissions.can_review(user, indicator.organization_id), _("只有该指标责任单位的审核员可以退回。"))
    _check_state(record, (State.SUBMITTED,), _("只有已提交的数值可以退回。"))
    return _return(record, user, reason)


def _locked_value(value: IndicatorValue, expected_version):
    """The value row locked for update, after its plan-year row; version checked."""
    indicator = Indicator.objects.select_related("plan").get(pk=value.indicator_id)
    lock_year_for_write(indicator.plan_id, value.year)
    record = IndicatorValue.objects.select_for_update().get(pk=value.pk)
    record.indicator = indicator
    _check_version(record, expected_version, value.value, lambda r: r.value)
    return record, indicator


def previous_approved(indicator: Indicator, year: int) -> Decimal | None:
    """The approved value of the latest earlier year, else the baseline: the base of the outlier check."""
    earlier = (
        IndicatorValue.objects.filter(indicator=indicator, year__lt=year, state=State.APPROVED)
        .order_by("-year")
        .values_list("value", flat=True)
        .first()
    )
    if earlier is not None:
        return earlier
    if indicator.baseline_year and indicator.baseline_year < year:
        return indicator.baseline_value
    return None


def outlier_percent() -> Decimal:
    return Decimal(str(settings.GUIHUA_OUTLIER_PERCENT))


# Project progress -----------------------------------------------------------------------------


@transaction.atomic
def progress_save(
    user, project: Project, year: int, *, status, narrative="", investment=None, note="", attachment=None,
    expected_version,
) -> ProjectProgress:
    """Create or update a draft or returned progress record; attachment None keeps the stored file."""
    _require(permissions.can_enter(user, project.organization_id), _("只有该项目牵头单位的填报员可以填报。"))
    _require_plan_year(project.plan, year)
    lock_year_for_write(project.plan_id, year)
    record = ProjectProgress.objects.select_for_update().filter(project=project, year=year).first()
    fields = {"status": status, "narrative": narrative, "investment": investment, "note": note}
    if attachment is not None:
        fields["attachment"] = attachment
    if record is None:
        return _create_progress(user, project, year, fields, expected_version)
    _check_version(record, expected_version, _status_label(status), lambda r: r.get_status_display())
    _check_state(record, EDITABLE, _("该进展已提交审核或已审核通过，不能修改；如需更正，请联系审核员退回。"))
    return _update(record, user, _("保存草稿"), entered_by=user, entered_at=timezone.now(), **fields)


def _create_progress(user, project, year, fields, expected_version) -> ProjectProgress:
    if expected_version:
        raise InvalidStateError(_("该进展记录已不存在，请刷新页面。"))
    record = ProjectProgress(project=project, year=year, entered_by=user, entered_at=timezone.now(), **fields)
    try:
        with transaction.atomic():
            _save(record, user, _("新建进展"))
    except IntegrityError:
        current = ProjectProgress.objects.get(project=project, year=year)
        raise _stale(current, _status_label(fields["status"]), current.get_status_display()) from None
    return record


@transaction.atomic
def progress_submit(user, progress: ProjectProgress, *, expected_version=None) -> ProjectProgress:
    record, project = _locked_progress(progress, expected_version)
    _require(permissions.can_enter(user, project.organization_id), _("只有该项目牵头单位的填报员可以提交。"))
    _check_state(record, EDITABLE, _("只有草稿或已退回的进展可以提交。"))
    return _submit(record, user)


@transaction.atomic
def progress_approve(user, progress: ProjectProgress, *, expected_version=None) -> ProjectProgress:
    record, project = _locked_progress(progress, expected_version)
    _require(permissions.can_review(user, project.organization_id), _("只有该项目牵头单位的审核员可以审核。"))
    _check_state(record, (State.SUBMITTED,), _("只有已提交的进展可以审核通过。"))
    return _approve(record, user)


@transaction.atomic
def progress_return(user, progress: ProjectProgress, reason: str, *, expected_version=None):
    reason = _required_reason(reason)
    record, project = _locked_progress(progress, expected_version)
    _require(permissions.can_review(user, project.organization_id), _("只有该项目牵头单位的审核员可以退回。"))
    _check_state(record, (State.SUBMITTED,), _("只有已提交的进展可以退回。"))
    return _return(record, user, reason)


def _locked_progress(progress: ProjectProgress, expected_version):
    project = Project.objects.select_related("plan").get(pk=progress.project_id)
    lock_year_for_write(project.plan_id, progress.year)
    record = ProjectProgress.objects.select_for_update().get(pk=progress.pk)
    record.project = project
    _check_version(record, expected_version, progress.get_status_display(), lambda r: r.get_status_display())
    return record, project


def _status_label(status) -> str:
    return ProjectProgress(status=status).get_status_display()


# Batches of the entry pages and the review queue -----------------------------------------------


@dataclass
class ValueRow:
    """One row of the entry page, parsed and validated by the form."""

    indicator: Indicator
    value: Decimal
    source: str = ""
    vintage: str = Vintage.PRELIMINARY
    note: str = ""
    expected_version: int | None = 0
    changed: bool = True
    current: IndicatorValue | None = None


@dataclass
class ProgressRow:
    project: Project
    status: str
    narrative: str = ""
    investment: Decimal | None = None
    note: str = ""
    attachment: object = None
    expected_version: int | None = 0
    changed: bool = True
    current: ProjectProgress | None = None


class BatchError(MonitoringError):
    """Some rows of a batch were refused; nothing of the batch was written."""

    default_code = "batch"

    def __init__(self, errors: dict):
        self.errors = errors  # key (indicator or project pk) → MonitoringError
        super().__init__(_("有 %(n)s 行未能保存，本次没有写入任何数据。") % {"n": len(errors)})


@dataclass
class BatchResult:
    saved: int = 0
    submitted: int = 0
    errors: dict = field(default_factory=dict)


def values_save_batch(user, year: int, rows: list[ValueRow], *, submit: bool) -> BatchResult:
    """Save (and on submit, submit) every row, or nothing when any row is refused."""
    return _batch(rows, lambda row: _value_row(user, year, row, submit), lambda row: row.indicator.pk)


def progress_save_batch(user, year: int, rows: list[ProgressRow], *, submit: bool) -> BatchResult:
    return _batch(rows, lambda row: _progress_row(user, year, row, submit), lambda row: row.project.pk)


def _batch(rows, write_row, key) -> BatchResult:
    result = BatchResult()
    with transaction.atomic():
        for row in rows:
            try:
                saved, submitted = write_row(row)
            except MonitoringError as exc:
                result.errors[key(row)] = exc
                continue
            result.saved += saved
            result.submitted += submitted
        if result.errors:
            transaction.set_rollback(True)
    if result.errors:
        raise BatchError(result.errors)
    return result


def _value_row(user, year, row: ValueRow, submit: bool) -> tuple[int, int]:
    record, version = row.current, row.expected_version
    if row.changed:
        record = value_save(
            user, row.indicator, year, value=row.value, source=row.source, vintage=row.vintage,
            note=row.note, expected_version=version,
        )
        version = record.version
    if submit and record is not None:
        value_submit(user, record, expected_version=version)
    return int(row.changed), int(submit and record is not None)


def _progress_row(user, year, row: ProgressRow, submit: bool) -> tuple[int, int]:
    record, version = row.current, row.expected_version
    if row.changed:
        record = progress_save(
            user, row.project, year, status=row.status, narrative=row.narrative, investment=row.investment,
            note=row.note, attachment=row.attachment, expected_version=version,
        )
        version = record.version
    if submit and record is not None:
        progress_submit(user, record, expected_version=version)
    return int(row.changed), int(submit and record is not None)


def approve_selected(user, values, progresses) -> tuple[int, list[str]]:
    """Approve each (record, version) pair on its own; one refusal does not block the others."""
    approved, errors = 0, []
    for approve, pairs in ((value_approve, values), (progress_approve, progresses)):
        for record, version in pairs:
            try:
                approve(user, record, expected_version=version)
                approved += 1
            except MonitoringError as exc:
                errors.append(f"{record}：{exc}")
    return approved, errors


# Shared steps ---------------------------------------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise MonitoringError(_("退回时必须填写理由。"), code="reason_required")
    return reason


def _check_state(record: WorkflowRecord, allowed, message: str) -> None:
    if record.state not in allowed:
        raise InvalidStateError(f"{message}（{_('当前状态')}：{record.get_state_display()}）")


def _check_version(record, expected_version, your_value, shown) -> None:
    if expected_version is not None and record.version != expected_version:
        raise _stale(record, your_value, shown(record))


def _stale(record, your_value, current_value) -> StaleValueError:
    who, when = last_change(record)
    return StaleValueError(current_value, your_value, who, when, current_version=record.version)


def _submit(record, user):
    return _update(
        record, user, _("提交审核"), state=State.SUBMITTED, submitted_by=user, submitted_at=timezone.now()
    )


def _approve(record, user):
    return _update(
        record, user, _("审核通过"),
        state=State.APPROVED, reviewed_by=user, reviewed_at=timezone.now(), return_reason="",
    )


def _return(record, user, reason: str):
    return _update(
        record, user, _("退回：%(reason)s") % {"reason": reason},
        state=State.RETURNED, reviewed_by=user, reviewed_at=timezone.now(), return_reason=reason,
    )


def _update(record, user, reason: str, **changes):
    for name, new in changes.items():
        setattr(record, name, new)
    record.version += 1
    _save(record, user, reason)
    return record


def _save(record, user, reason: str) -> None:
    """Save with the history record's user and reason set explicitly (works outside requests too)."""
    record._history_user = user
    record._change_reason = reason[:HISTORY_REASON_LENGTH]
    record.save()
    if isinstance(record, IndicatorValue):
        indicators_changed([record.indicator_id])
