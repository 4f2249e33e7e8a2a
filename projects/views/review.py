"""The review pages: the reviewer's queue of submitted values and progress, approving (one by one
or the ticked ones) and returning with a reason. Four eyes: a reviewer's own records (entered or
submitted by them) show no buttons and say why; the services refuse them anyway."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions

from .. import access, selectors, services, workflow
from ..forms import ReturnForm, posted_version
from ..services import MonitoringError


@login_required
def review_queue(request):
    if not permissions.is_reviewer(request.user):
        raise PermissionDenied(_("只有审核员可以查看审核队列。"))
    if request.method == "POST":
        return _approve_selected(request)
    values, progress = selectors.review_queue(request.user)
    context = {
        "values": values,
        "progress": progress,
        "value_marks": _marks(request.user, values),
        "progress_marks": _marks(request.user, progress),
        "self_review_allowed": settings.GUIHUA_ALLOW_SELF_REVIEW,
    }
    return render(request, "projects/review_queue.html", context)


def _marks(user, rows) -> dict[str, set[int]]:
    """Four eyes, for the page: the user's own records, refused or (allowed) to be marked self-reviewed."""
    marks = access.review_marks(user, [row.record for row in rows])
    return {
        "refused": {pk for pk, mark in marks.items() if mark == workflow.SELF_REVIEW_REFUSED},
        "self": {pk for pk, mark in marks.items() if mark == workflow.SELF_REVIEW},
    }


def _approve_selected(request):
    values = _posted_records(request, "values", "v", access.get_value_for_user)
    progress = _posted_records(request, "progress", "p", access.get_progress_for_user)
    approved, errors = services.approve_selected(request.user, values, progress)
    if approved:
        messages.success(request, _("已审核通过 %(n)s 条。") % {"n": approved})
    for error in errors:
        messages.error(request, error)
    if not values and not progress:
        messages.warning(request, _("请先勾选要审核通过的数据。"))
    return redirect("projects:review_queue")


def _posted_records(request, name: str, prefix: str, get_for_user) -> list:
    """The ticked records of one kind with the version each row showed."""
    try:
        ids = [int(pk) for pk in request.POST.getlist(name)]
    except ValueError:
        raise Http404 from None
    return [
        (get_for_user(request.user, pk, write=True), posted_version(request.POST, f"version-{prefix}{pk}"))
        for pk in ids
    ]


REVIEW_STEPS = {
    # URL name, which is also the service's name → (the record's access helper, takes a reason)
    "value_approve": (access.get_value_for_user, False),
    "value_return": (access.get_value_for_user, True),
    "progress_approve": (access.get_progress_for_user, False),
    "progress_return": (access.get_progress_for_user, True),
}


def review_step(name: str):
    """The view of one review step of one record (approve or return a value or progress record)."""
    get_for_user, needs_reason = REVIEW_STEPS[name]

    @require_POST
    @login_required
    def view(request, pk):
        record = get_for_user(request.user, pk, write=True)
        step = getattr(services, name)
        return _review_step(request, step, record, ReturnForm(request.POST) if needs_reason else None)

    view.__name__ = name
    return view


value_approve, value_return = review_step("value_approve"), review_step("value_return")
progress_approve, progress_return = review_step("progress_approve"), review_step("progress_return")


def _review_step(request, step, record, return_form):
    version = posted_version(request.POST, "version")
    try:
        if return_form is None:
            step(request.user, record, expected_version=version)
            messages.success(request, _("已审核通过：%(record)s") % {"record": record})
        elif return_form.is_valid():
            step(request.user, record, return_form.cleaned_data["reason"], expected_version=version)
            messages.success(request, _("已退回：%(record)s") % {"record": record})
        else:
            messages.error(request, _("退回时必须填写理由。"))
    except MonitoringError as exc:
        messages.error(request, str(exc))
    return redirect(next_url(request, reverse("projects:review_queue")))


def next_url(request, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default
