"""The batches of the entry pages and the review queue.

A values page is one call of values_write (all rows or none). A progress page writes its records
one by one inside one transaction and rolls back when any is refused.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from indicators.models import Indicator

from ..choices import State, Vintage
from ..models import IndicatorValue, Project, ProjectProgress
from .errors import BatchError, MonitoringError
from .progress import progress_approve, progress_save, progress_submit
from .values import ValueChange, value_approve, values_write


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


@dataclass
class BatchResult:
    saved: int = 0
    submitted: int = 0
    errors: dict = field(default_factory=dict)


def values_save_batch(user, year: int, rows: list[ValueRow], *, submit: bool) -> BatchResult:
    """Save (and on submit, submit) every row, or nothing when any row is refused."""
    changes = [_value_change(year, row) for row in rows if row.changed or (submit and row.current is not None)]
    values_write(user, changes, state=State.SUBMITTED if submit else State.DRAFT)
    return BatchResult(saved=sum(row.changed for row in rows), submitted=len(changes) if submit else 0)


def _value_change(year: int, row: ValueRow) -> ValueChange:
    # The page has just read the stored record (row.current): the write path need not read it again.
    if not row.changed:  # submitting what is stored
        return ValueChange(
            row.indicator, year, None, expected_version=row.expected_version, key=row.indicator.pk, seen=row.current,
        )
    return ValueChange(
        row.indicator, year, row.value, row.source, row.vintage, row.note, row.expected_version, key=row.indicator.pk,
        seen=row.current,
    )


def progress_save_batch(user, year: int, rows: list[ProgressRow], *, submit: bool) -> BatchResult:
    result = BatchResult()
    with transaction.atomic():
        for row in rows:
            try:
                saved, submitted = _progress_row(user, year, row, submit)
            except MonitoringError as exc:
                result.errors[row.project.pk] = exc
                continue
            result.saved += saved
            result.submitted += submitted
        if result.errors:
            transaction.set_rollback(True)
    if result.errors:
        raise BatchError(result.errors)
    return result


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
    for record, version in values:
        approved += _approve_one(value_approve, user, record, version, errors)
    for record, version in progresses:
        approved += _approve_one(progress_approve, user, record, version, errors)
    return approved, errors


def _approve_one(approve, user, record, version, errors: list) -> int:
    try:
        approve(user, record, expected_version=version)
    except MonitoringError as exc:
        errors.append(f"{record}：{exc}")
        return 0
    return 1
