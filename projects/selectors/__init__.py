"""Read-side queries of the annual monitoring, one module per page; each runs a constant number of
queries and writes nothing."""
from .completeness import STATES, Completeness, CompletenessRow, completeness
from .entry import (
    PRIOR_YEARS_SHOWN, EntryRow, ProgressRow, entry_rows, prior_years, progress_rows, reporting_year,
)
from .reference import approved_values, reference_for, references
from .history import HistoryRow, indicator_history, indicator_history_for_user
from .review import ReviewProgress, ReviewValue, review_queue
from .tasks import Task, planner_plans, user_tasks

__all__ = [
    "PRIOR_YEARS_SHOWN", "STATES", "Completeness", "CompletenessRow", "EntryRow", "HistoryRow", "ProgressRow",
    "ReviewProgress", "ReviewValue", "Task", "completeness", "entry_rows", "indicator_history",
    "indicator_history_for_user", "planner_plans", "prior_years", "progress_rows",
    "reporting_year", "review_queue", "user_tasks", "approved_values", "reference_for", "references",
]
