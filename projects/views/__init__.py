"""Pages of the annual monitoring, one module per job: tasks (the home page), entry (values and
progress of an organization for a plan and year), review (the reviewer's queue and steps), years
(lock, unlock, completeness) and excel (template download, upload, preview, confirm).

Views are thin: access helper → form → service → redirect."""
from .entry import progress_attachment, progress_entry, value_entry
from .review import progress_approve, progress_return, review_queue, value_approve, value_return
from .tasks import task_list
from .years import completeness, year_lock, year_unlock

__all__ = [
    "completeness", "progress_approve", "progress_attachment", "progress_entry", "progress_return",
    "review_queue", "task_list", "value_approve", "value_entry", "value_return", "year_lock", "year_unlock",
]
