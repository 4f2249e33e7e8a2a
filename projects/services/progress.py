"""Writes of key-project progress: saving a draft (with its attachment) and the review steps, through
the workflow step the values share (services.records)."""
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import workflow
from ..models import Project, ProjectProgress
from .errors import InvalidStateError
from .history import save_with_history
from .records import PROGRESS, check_state, check_version, may, stale_error, stamp, take_step
from .values import required_reason
from .years import lock_year_for_write, require_plan_year


@transaction.atomic
def progress_save(
    user, project: Project, year: int, *, status, narrative="", investment: Decimal | None = None, note="",
    attachment=None, expected_version,
) -> ProjectProgress:
    """Create or update a draft or returned progress record; attachment None keeps the stored file."""
    if not may(user, project.organization_id, workflow.SAVE, workflow.NEW):
        raise PermissionDenied(PROGRESS.permission(workflow.SAVE))
    require_plan_year(project.plan, year)
    lock_year_for_write(project.plan_id, year)
    record = ProjectProgress.objects.select_for_update().filter(project=project, year=year).first()
    fields = {"status": status, "narrative": narrative, "investment": investment, "note": note}
    if attachment is not None:
        fields["attachment"] = attachment
    if record is None:
        return _create(user, project, year, fields, expected_version)
    check_version(record, expected_version, status_label(status), PROGRESS)
    target = check_state(PROGRESS, record, workflow.SAVE)
    for name, value in fields.items():
        setattr(record, name, value)
    stamp(record, workflow.SAVE, target, user, timezone.now(), entered=True)
    save_with_history(record, user, _("保存草稿"))
    return record


def _create(user, project, year, fields, expected_version) -> ProjectProgress:
    if expected_version:
        raise InvalidStateError(_("该进展记录已不存在，请刷新页面。"))
    record = ProjectProgress(project=project, year=year, **fields)
    stamp(record, workflow.SAVE, workflow.DRAFT, user, timezone.now(), entered=True)
    try:
        with transaction.atomic():
            save_with_history(record, user, _("新建进展"))
    except IntegrityError:
        # Another writer created the record between our read and our insert.
        current = ProjectProgress.objects.get(project=project, year=year)
        raise stale_error(current, status_label(fields["status"]), current.get_status_display()) from None
    return record


def progress_submit(user, progress: ProjectProgress, *, expected_version=None) -> ProjectProgress:
    return take_step(PROGRESS, user, progress, workflow.SUBMIT, expected_version=expected_version)


def progress_approve(user, progress: ProjectProgress, *, expected_version=None) -> ProjectProgress:
    return take_step(PROGRESS, user, progress, workflow.APPROVE, expected_version=expected_version)


def progress_return(user, progress: ProjectProgress, reason: str, *, expected_version=None):
    reason = required_reason(reason)
    return take_step(
        PROGRESS, user, progress, workflow.RETURN, expected_version=expected_version, return_reason=reason
    )


def status_label(status) -> str:
    return ProjectProgress(status=status).get_status_display()
