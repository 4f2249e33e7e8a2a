"""Step 3 of an import: an ImportPlan without errors written in one transaction, or nothing."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators.services import indicators_changed

from .. import services
from ..choices import State
from ..models import IndicatorValue
from .rows import UPDATE_FIELDS, Change, ImportConflict, ImportPlan

# 3. Writing -----------------------------------------------------------------------------------


def apply_import(plan: ImportPlan, *, user=None, state=State.DRAFT) -> int:
    """Write every change in one transaction; any error or exception leaves the database as it was."""
    if plan.errors:
        raise ValueError("apply_import() refuses an import plan with errors")
    now = timezone.now()
    with transaction.atomic():
        _lock_years(plan.changes)
        current = _lock_records(plan.changes)
        updated = [_updated_record(c, current[c.record_id], user, now) for c in plan.changes if not c.is_new]
        created = [_new_record(c, user, now) for c in plan.changes if c.is_new]
        if updated:
            bulk_update_with_history(updated, IndicatorValue, UPDATE_FIELDS, batch_size=1000,
                                     default_user=user, default_change_reason=plan.reason)
        _create_records(created, user, plan.reason)
        indicators_changed(c.indicator.pk for c in plan.changes)
    return len(updated) + len(created)


def _lock_years(changes: list[Change]) -> None:
    """Plan-year rows first, in a fixed order, as every monitoring write does (see services)."""
    for plan_id, year in sorted({(c.indicator.plan_id, c.year) for c in changes}):
        try:
            services.lock_year_for_write(plan_id, year)
        except services.YearLockedError as exc:
            raise ImportConflict(str(exc)) from None


def _lock_records(changes: list[Change]) -> dict[int, IndicatorValue]:
    ids = [c.record_id for c in changes if not c.is_new]
    records = {r.pk: r for r in IndicatorValue.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    for change in changes:
        record = records.get(change.record_id) if not change.is_new else None
        if not change.is_new and (record is None or record.version != change.version):
            reason = _("第 %(line)s 行的数值在预览后已被他人修改，本次没有写入任何数据，请重新上传。")
            raise ImportConflict(reason % {"line": change.line})
    return records


def _updated_record(change: Change, record: IndicatorValue, user, now) -> IndicatorValue:
    record.value, record.source = change.new_value, change.source
    record.note, record.vintage = change.note, change.vintage
    record.version += 1
    record.is_demo = False  # a real value replaces demo data
    _set_state(record, change.new_state, user, now)
    return record


def _new_record(change: Change, user, now) -> IndicatorValue:
    record = IndicatorValue(
        indicator=change.indicator, year=change.year, value=change.new_value, source=change.source,
        note=change.note, vintage=change.vintage, version=1,
    )
    _set_state(record, change.new_state, user, now)
    return record


def _set_state(record: IndicatorValue, state: str, user, now) -> None:
    record.state = state
    record.entered_by, record.entered_at = user, now
    if state in (State.SUBMITTED, State.APPROVED):
        record.submitted_by, record.submitted_at = user, now
    if state == State.APPROVED:
        record.reviewed_by, record.reviewed_at, record.return_reason = user, now, ""


def _create_records(records: list[IndicatorValue], user, reason: str) -> None:
    if not records:
        return
    try:
        with transaction.atomic():
            bulk_create_with_history(records, IndicatorValue, batch_size=1000, default_user=user,
                                     default_change_reason=reason)
    except IntegrityError:
        # Someone created one of these values after the preview: refuse rather than overwrite.
        raise ImportConflict(_("有数值在预览后已被他人填报，本次没有写入任何数据，请重新上传。")) from None

