"""Writes of the annual monitoring, one module per job:

* ``values``: the one write path of indicator values (``values_write``), and the single steps;
* ``progress``: key-project progress;
* ``records``: the workflow step both share (locks, version, permission, transition, four eyes,
  who/when);
* ``checks``: the one validation of a value (``value_problems``; on every save ``value_range_problems``);
* ``years``: the plan-year row lock, locking a year, and the one check that a year lies in the
  plan's period (projects.periods);
* ``batches``: the entry pages and the review queue;
* ``errors``: the refusals and their messages.

Concurrency rules: the plan-year row (ReportingYear) is locked first (shared by writers, FOR
UPDATE by year_lock), then the records in pk order, always in that order, so a year lock cannot
slip between a save's check and its write and writers never deadlock; every record has a version, and a write carries the
version its author saw and is refused with StaleValueError when the stored one differs.
"""
from .batches import (
    BatchResult, ProgressRow, ValueRow, approve_selected, progress_save_batch, values_save_batch,
)
from .checks import outlier_percent, value_problems, value_range_problems
from .errors import (
    BatchError, InvalidStateError, InvalidValueError, MonitoringError, SelfReviewError, StaleValueError,
    YearLockedError,
    last_change, lock_message, stale_message,
)
from .progress import progress_approve, progress_return, progress_save, progress_submit
from .values import ValueChange, WriteResult, value_approve, value_return, value_save, value_submit, values_write
from .years import ensure_year_open, lock_year_for_write, lock_years_for_write, year_lock, year_unlock

__all__ = [
    "BatchError", "BatchResult", "InvalidStateError", "InvalidValueError", "MonitoringError", "ProgressRow",
    "SelfReviewError", "StaleValueError", "ValueChange", "ValueRow", "WriteResult", "YearLockedError",
    "approve_selected",
    "ensure_year_open", "last_change", "lock_message", "lock_year_for_write", "lock_years_for_write",
    "outlier_percent", "progress_approve", "progress_return", "progress_save", "progress_save_batch",
    "progress_submit", "stale_message", "value_approve", "value_problems", "value_range_problems", "value_return", "value_save",
    "value_submit", "values_save_batch", "values_write", "year_lock", "year_unlock",
]
