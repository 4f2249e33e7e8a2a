"""The last step of every monitoring write: the record saved with its history record's user and reason."""
from django.core.exceptions import PermissionDenied

HISTORY_REASON_LENGTH = 100  # simple-history's history_change_reason is a CharField(100)


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def save_with_history(record, user, reason: str) -> None:
    """Save with the history record's user and reason set explicitly (works outside requests too)."""
    record._history_user = user
    record._change_reason = reason[:HISTORY_REASON_LENGTH]
    record.save()
