"""Step 3 of an import: an ImportPlan without errors written through the one write path of values
(services.values_write), in one transaction, or nothing."""
from __future__ import annotations

from django.utils.translation import gettext as _

from .. import services
from ..choices import State
from .rows import Change, ImportConflict, ImportPlan


def apply_import(plan: ImportPlan, *, user=None, state=State.DRAFT) -> int:
    """Write every change; any refusal or exception leaves the database as it was."""
    if plan.errors:
        raise ValueError("apply_import() refuses an import plan with errors")
    changes = [_value_change(change) for change in plan.changes]
    try:
        result = services.values_write(user, changes, state=state, reason=plan.reason)
    except services.YearLockedError as exc:
        raise ImportConflict(str(exc)) from None
    except services.BatchError as exc:
        raise ImportConflict(_conflict_message(exc.errors)) from None
    return result.created + result.updated


def _value_change(change: Change) -> services.ValueChange:
    """The change as the write path takes it; the version is the one the preview saw."""
    return services.ValueChange(
        change.indicator, change.year, change.new_value, change.source, change.vintage, change.note,
        expected_version=change.version, key=change.line,
    )


def _conflict_message(errors: dict) -> str:
    """What changed since the preview, named by the first line it concerns."""
    line, error = min(errors.items(), key=lambda item: item[0])
    if isinstance(error, services.StaleValueError):
        reason = _("第 %(line)s 行的数值在预览后已被他人修改，本次没有写入任何数据，请重新上传。")
        return reason % {"line": line}
    return _("第 %(line)s 行 · %(reason)s") % {"line": line, "reason": error}
