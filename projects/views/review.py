"""The review pages: the reviewer's queue of submitted values and progress, approving (one by one
or the ticked ones) and returning with a reason."""
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

from .. import access, selectors, services
from ..forms import ReturnForm, posted_version
from ..services import MonitoringError


@login_required
def review_queue(request):
    if not permissions.is_reviewer(request.user):
        raise PermissionDenied(_("只有审核员可以查看审核队列。"))
    if request.method == "POST":
        return _approve_selected(request)
    values, progress = selectors.review_queue(request.user)
    return render(request, "projects/review_queue.html", {"values": values, "progress": progress})


def _approve_selected(request):
    user, data = request.user, request.POST
    values = [
        (access.get_value_for_user(user, pk, write=True), posted_version(data, f"version-v{pk}"))
        for pk in _posted_ids(request, "values")
    ]
    progress = [
        (access.get_progress_for_user(user, pk, write=True), posted_version(data, f"version-p{pk}"))
        for pk in _posted_ids(request, "progress")
    ]
    approved, errors = services.approve_selected(request.user, values, progress)
    if approved:
        messages.success(request, _("已审核通过 %(n)s 条。") % {"n": approved})
    for error in errors:
        messages.error(request, error)
    if not values and not progress:
        messages.warning(request, _("请先勾选要审核通过的数据。"))
    return redirect("projects:review_queue")


def _posted_ids(request, name: str) -> list[int]:
    try:
        return [int(pk) for pk in request.POST.getlist(name)]
    except ValueError:
        raise Http404 from None


@require_POST
@login_required
def value_approve(request, pk):
    value = access.get_value_for_user(request.user, pk, write=True)
    return _review_step(request, services.value_approve, value, None)


@require_POST
@login_required
def value_return(request, pk):
    value = access.get_value_for_user(request.user, pk, write=True)
    return _review_step(request, services.value_return, value, ReturnForm(request.POST))


@require_POST
@login_required
def progress_approve(request, pk):
    progress = access.get_progress_for_user(request.user, pk, write=True)
    return _review_step(request, services.progress_approve, progress, None)


@require_POST
@login_required
def progress_return(request, pk):
    progress = access.get_progress_for_user(request.user, pk, write=True)
    return _review_step(request, services.progress_return, progress, ReturnForm(request.POST))


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
