"""The one write path of indicator values: values_write, which the entry page, the Excel/CSV import
and the import_values command call (the admin shows values, it does not edit them).

One call is one transaction: the plan-year rows are locked first (in a fixed order), then the value
rows; every change is checked (permission by the transition table's roles, version, transition,
validation) and either everything is written in bulk, with history, or nothing is and BatchError
says why, change by change. After the write, the indicators whose approved values changed get new
change stamps and, once the transaction commits, values_written names them: the official
assessment reads approved values only (DESIGN §5), so a draft or a submission leaves what reports
stored from it current.

A caller that has just read the stored records (the entry page) passes them as each change's `seen`:
the rows are then not read again but updated only where their version is still the one seen
(``UPDATE … WHERE version = seen``, taking the row locks in pk order, bulk.update_with_history); every
write of a value renews its version, so a row with that version is the row the checks ran on. If any
row changed meanwhile, or any change is refused, nothing of it stays: the call runs again the usual
way (rows read under FOR UPDATE), which refuses a stale change with the same StaleValueError.
"""
import copy
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from indicators.models import Indicator

from .. import workflow
from ..choices import State, Vintage
from ..models import IndicatorValue
from ..selectors.reference import approved_values, reference_for
from .bulk import RowsChanged, update_with_history
from .errors import BatchError, InvalidStateError, InvalidValueError, MonitoringError
from .checks import value_problems, value_range_problems
from .records import (
    VALUE, check_four_eyes, check_state, check_version, may, review_reason, roles_for, stale_error, stamp,
    take_step, values_written_now,
)
from .years import lock_years_for_write, require_plan_year

WRITTEN_FIELDS = [
    "value", "source", "vintage", "note", "state", "version", "is_demo", "return_reason",
    "entered_by", "entered_at", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at", "self_reviewed",
]


UNSEEN = object()


@dataclass
class ValueChange:
    """One value to write: its fields (value None keeps the stored ones) and the version its author saw.

    expected_version None skips the version check (the import checked it against its preview).
    `seen`: the stored record as the caller has just read it (None: none stored); UNSEEN: not read.
    """

    indicator: Indicator
    year: int
    value: Decimal | None
    source: str = ""
    vintage: str = Vintage.PRELIMINARY
    note: str = ""
    expected_version: int | None = 0
    key: object = None  # how a refusal is reported: indicator pk (entry page) or line (import)
    seen: object = UNSEEN

    @property
    def error_key(self):
        return self.key if self.key is not None else self.indicator.pk


@dataclass
class WriteResult:
    records: list = field(default_factory=list)  # in the order of the changes
    created: int = 0
    updated: int = 0


def values_write(
    user, changes: list[ValueChange], *, state=State.DRAFT, reason: str | None = None
) -> WriteResult:
    """Write every change and bring each value to `state` (draft, submitted or approved), or nothing.

    PermissionDenied when the user may not write one of them; BatchError with every other refusal.
    `reason` is the history reason of every record (e.g. “CSV 导入”); without it each record's step names it.
    """
    if not changes:
        return WriteResult()
    year_errors = _year_errors(changes)
    if year_errors:  # before any lock: a year outside the period gets no reporting-year row
        raise BatchError(year_errors)
    if connection.vendor == "postgresql" and all(c.seen is not UNSEEN for c in changes):
        try:
            return _write_as_seen(user, changes, state, reason)
        except _NotAsSeen:
            pass  # rolled back: check everything again under the row locks
    with transaction.atomic():
        lock_years_for_write((c.indicator.plan_id, c.year) for c in changes)
        return _checked_write(user, changes, _lock_values(changes), state, reason)


class _NotAsSeen(Exception):
    """A row changed since the caller read it, or a change was refused: decide under the row locks."""


def _write_as_seen(user, changes, state, reason) -> WriteResult:
    current = {(c.indicator.pk, c.year): copy.copy(c.seen) for c in changes if c.seen is not None}
    seen_versions = {record.pk: record.version for record in current.values()}
    try:
        with transaction.atomic():
            lock_years_for_write((c.indicator.plan_id, c.year) for c in changes)
            return _checked_write(user, changes, current, state, reason, seen_versions=seen_versions)
    except (BatchError, PermissionDenied, RowsChanged) as exc:
        raise _NotAsSeen from exc


def _checked_write(user, changes, current: dict, state, reason, seen_versions=None) -> WriteResult:
    was_approved = {r.indicator_id for r in current.values() if r.state == State.APPROVED}
    records, errors = _prepare(user, changes, current, state, reason)
    if errors:
        raise BatchError(errors)
    result = _write(records, user, seen_versions)
    values_written_now(was_approved | {r.indicator_id for r in records if r.state == State.APPROVED})
    return result


def _year_errors(changes) -> dict:
    errors = {}
    for change in changes:
        try:
            require_plan_year(change.indicator.plan, change.year)
        except MonitoringError as exc:
            errors[change.error_key] = exc
    return errors


def _lock_values(changes) -> dict:
    """The stored values of the changes, locked for update in one order, by (indicator, year)."""
    ids, years = {c.indicator.pk for c in changes}, {c.year for c in changes}
    rows = IndicatorValue.objects.select_for_update().filter(indicator_id__in=ids, year__in=years).order_by("pk")
    wanted = {(c.indicator.pk, c.year) for c in changes}
    return {(r.indicator_id, r.year): r for r in rows if (r.indicator_id, r.year) in wanted}


def _prepare(user, changes, current: dict, state, reason):
    """Each change applied to its record in memory, and the refusals by change key."""
    now, records, errors = timezone.now(), [], {}
    approved = _references_base(changes, state)
    for change in changes:
        record = current.get((change.indicator.pk, change.year))
        try:
            records.append(_apply(user, change, record, state, now, approved, reason))
        except MonitoringError as exc:
            errors[change.error_key] = exc
    return records, errors


def _references_base(changes, state) -> dict:
    """Approved values the jump check compares with; when loading approved data, this batch counts too."""
    if state == State.DRAFT:
        return {}  # drafts are not checked before review: nothing to compare with
    approved = approved_values(c.indicator.pk for c in changes)
    if state == State.APPROVED:
        for change in changes:
            if change.value is not None:
                approved[change.indicator.pk][change.year] = change.value
    return approved


def _apply(user, change: ValueChange, record, state, now, approved: dict, reason):
    indicator, current = change.indicator, record.state if record else None
    is_admin = workflow.ADMIN in roles_for(user, indicator.organization_id)
    step = workflow.step_for_write(state, current, is_admin=is_admin)
    if not may(user, indicator.organization_id, step, current):
        raise PermissionDenied(VALUE.permission(step))
    if record is None:
        if change.expected_version:
            raise InvalidStateError(_("该数值已不存在，请刷新页面。"))
        record = IndicatorValue(indicator=indicator, year=change.year)
    else:
        record.indicator = indicator  # the checks read it: the change's, not one query per row
        yours = change.value if change.value is not None else record.value
        check_version(record, change.expected_version, yours, VALUE)
    target = check_state(VALUE, record, step, asked=state)
    self_review = check_four_eyes(VALUE, user, record, step, target, entering=change.value is not None)
    entered = _set_fields(record, change)
    if target in (State.SUBMITTED, State.APPROVED):
        _check_problems(record, approved)
    elif entered and (problems := value_range_problems(indicator, record.value)):  # r2-forms: drafts too
        raise InvalidValueError(problems)
    stamp(record, step, target, user, now, entered=entered, self_review=self_review)
    record._history_user, record._write_key = user, change.error_key
    record._change_reason = review_reason(reason or _step_reason(step, record, entered), self_review)[:100]
    return record


def _set_fields(record, change: ValueChange) -> bool:
    """Copy the change's fields onto the record; whether anything was entered."""
    if change.value is None:
        return False
    record.value, record.source, record.vintage, record.note = change.value, change.source, change.vintage, change.note
    record.is_demo = False  # a real value replaces demo data
    return True


def _check_problems(record, approved: dict) -> None:
    reference = reference_for(record.indicator, record.year, approved.get(record.indicator_id, {}))
    problems = value_problems(record.indicator, record.year, record.value, record.note, reference)
    if problems:
        raise InvalidValueError(problems)


def _step_reason(step, record, entered) -> str:
    if step == workflow.SUBMIT:
        return _("提交审核")
    if record.pk is None:
        return _("新建数值")
    return _("保存草稿") if entered else _("提交审核")


def _write(records, user, seen_versions=None) -> WriteResult:
    """Update and create the records; `seen_versions` (pk → version): update only rows still at it."""
    updated = [r for r in records if r.pk is not None]
    created = [r for r in records if r.pk is None]
    if updated:
        update_with_history(IndicatorValue, updated, WRITTEN_FIELDS, user, versions=seen_versions)
    _create(created, user)
    return WriteResult(records=records, created=len(created), updated=len(updated))


def _create(records, user) -> None:
    if not records:
        return
    try:
        with transaction.atomic():
            bulk_create_with_history(records, IndicatorValue, batch_size=1000, default_user=user)
    except IntegrityError:
        raise _created_meanwhile(records) from None


def _created_meanwhile(records) -> BatchError:
    """Another writer created some of these values after we looked: each is stale, nothing is written."""
    mine = {(r.indicator_id, r.year): r for r in records}
    existing = IndicatorValue.objects.filter(indicator_id__in={k[0] for k in mine}, year__in={k[1] for k in mine})
    errors = {}
    for current in existing.select_related("entered_by", "submitted_by", "reviewed_by"):
        new = mine.get((current.indicator_id, current.year))
        if new is not None:
            errors[new._write_key] = stale_error(current, new.value, current.value)
    return BatchError(errors)


# One value at a time: the entry of one value, and the review steps -----------------------------


def value_save(
    user, indicator: Indicator, year: int, *, value: Decimal, source="", vintage=Vintage.PRELIMINARY,
    note="", expected_version,
) -> IndicatorValue:
    """Create or update a draft or returned value (expected_version: 0 for "no value yet", None skips)."""
    change = ValueChange(indicator, year, value, source, vintage, note, expected_version)
    return _one(user, change, State.DRAFT)


def value_submit(user, value: IndicatorValue, *, expected_version=None) -> IndicatorValue:
    return take_step(VALUE, user, value, workflow.SUBMIT, expected_version=expected_version)


def value_approve(user, value: IndicatorValue, *, expected_version=None) -> IndicatorValue:
    return take_step(VALUE, user, value, workflow.APPROVE, expected_version=expected_version)


def value_return(user, value: IndicatorValue, reason: str, *, expected_version=None) -> IndicatorValue:
    reason = required_reason(reason)
    return take_step(VALUE, user, value, workflow.RETURN, expected_version=expected_version, return_reason=reason)


def required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise MonitoringError(_("退回时必须填写理由。"), code="reason_required")
    return reason


def _one(user, change: ValueChange, state) -> IndicatorValue:
    try:
        return values_write(user, [change], state=state).records[0]
    except BatchError as exc:
        raise next(iter(exc.errors.values())) from None
