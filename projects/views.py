"""Pages of the annual monitoring. Views are thin: access helper → form → service → redirect."""
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.models import Plan

from . import access, selectors, services
from .forms import ProgressRowForm, ReturnForm, ValueRowForm, posted_version
from .services import BatchError, MonitoringError, StaleValueError, YearLockedError


# My tasks -------------------------------------------------------------------------------------


@login_required
def task_list(request):
    context = {
        "tasks": selectors.user_tasks(request.user),
        "plans": selectors.planner_plans() if access.can_plan(request.user) else [],
        "is_reviewer": access.is_reviewer(request.user),
    }
    return render(request, "projects/task_list.html", context)


# Entry pages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryPage:
    """What differs between the indicator-value page and the project-progress page."""

    template: str
    load_rows: Callable
    form_class: type
    form_kwargs: Callable
    prefix: Callable
    check: Callable
    save_batch: Callable
    key: Callable


VALUE_PAGE = EntryPage(
    template="projects/value_entry.html",
    load_rows=selectors.entry_rows,
    form_class=ValueRowForm,
    form_kwargs=lambda row: {"indicator": row.indicator},
    prefix=lambda row: f"v{row.indicator.pk}",
    check=lambda row, limit: row.form.check_for_submit(row.previous, limit),
    save_batch=services.values_save_batch,
    key=lambda row: row.indicator.pk,
)
PROGRESS_PAGE = EntryPage(
    template="projects/progress_entry.html",
    load_rows=selectors.progress_rows,
    form_class=ProgressRowForm,
    form_kwargs=lambda row: {"project": row.project},
    prefix=lambda row: f"p{row.project.pk}",
    check=lambda row, limit: row.form.check_for_submit(),
    save_batch=services.progress_save_batch,
    key=lambda row: row.project.pk,
)


@login_required
def value_entry(request, plan_code, year, org_id):
    return _entry(request, VALUE_PAGE, plan_code, year, org_id)


@login_required
def progress_entry(request, plan_code, year, org_id):
    return _entry(request, PROGRESS_PAGE, plan_code, year, org_id)


def _entry(request, page: EntryPage, plan_code, year, org_id):
    posting = request.method == "POST"
    scope = access.get_plan_year_for_user(request.user, plan_code, year, org_id, write=posting)
    if not posting:
        rows = page.load_rows(scope)
        locked = _locked(scope)
        editable = access.can_enter(request.user, scope.organization) and not locked
        _bind(page, rows, None, None, editable=editable)
        return _render_entry(request, page, scope, rows, locked)
    try:
        services.ensure_year_open(scope.plan, scope.year)
    except YearLockedError as exc:
        messages.error(request, str(exc))
        return redirect(request.path)
    return _entry_post(request, page, scope)


def _entry_post(request, page: EntryPage, scope):
    submit = request.POST.get("action") == "submit"
    data = request.POST.copy()  # mutable: a stale row is re-rendered with the stored version
    rows = page.load_rows(scope)
    _bind(page, rows, data, request.FILES, editable=True)
    if not _validate(page, rows, submit):
        _refresh_stale_versions(page, rows, data, {})
        messages.error(request, _("有数据未通过校验，本次没有保存任何数据；请按提示修改。"))
        return _render_entry(request, page, scope, rows)
    to_write = [row.form.to_row() for row in rows if row.form.wants_write(submit)]
    try:
        result = page.save_batch(request.user, scope.year, to_write, submit=submit)
    except BatchError as exc:
        _attach_batch_errors(page, rows, data, exc.errors)
        messages.error(request, str(exc))
        return _render_entry(request, page, scope, rows)
    messages.success(request, _success_message(result, submit))
    return redirect(request.path)


def _bind(page: EntryPage, rows, data, files, *, editable: bool) -> None:
    for row in rows:
        row.form = page.form_class(
            data, files, prefix=page.prefix(row), current=row.current, editable=editable,
            **page.form_kwargs(row),
        )


def _validate(page: EntryPage, rows, submit: bool) -> bool:
    limit = services.outlier_percent()
    for row in rows:
        if row.form.is_valid() and submit:
            page.check(row, limit)
    return all(not row.form.errors for row in rows)


def _refresh_stale_versions(page: EntryPage, rows, data, versions: dict) -> None:
    """Give stale rows the stored version, so saving again is a deliberate choice to overwrite."""
    for row in rows:
        version = versions.get(page.key(row))
        if version is None and row.form.is_stale:
            version = row.current.version if row.current else 0
        if version is not None:
            data[row.form.add_prefix("version")] = str(version)


def _attach_batch_errors(page: EntryPage, rows, data, errors: dict) -> None:
    versions = {}
    for row in rows:
        error = errors.get(page.key(row))
        if error is None:
            continue
        if isinstance(error, StaleValueError):
            versions[page.key(row)] = error.current_version
        row.form.add_error(None, error.messages)
    _refresh_stale_versions(page, rows, data, versions)


def _success_message(result, submit: bool) -> str:
    if submit:
        return _("已提交审核 %(n)s 条。") % {"n": result.submitted} if result.submitted else _("没有可提交的数据。")
    return _("已保存草稿 %(n)s 条。") % {"n": result.saved} if result.saved else _("没有需要保存的修改。")


def _locked(scope):
    reporting_year = selectors.reporting_year(scope.plan, scope.year)
    return reporting_year if reporting_year and reporting_year.is_locked else None


def _render_entry(request, page: EntryPage, scope, rows, locked=None):
    context = {
        "scope": scope,
        "rows": rows,
        "prior_years": selectors.prior_years(scope.plan, scope.year),
        "locked": locked,
        "lock_message": services.lock_message(locked) if locked else "",
        "can_enter": access.can_enter(request.user, scope.organization),
        "editable": any(row.form.editable for row in rows) and not locked,
        "outlier_percent": services.outlier_percent(),
    }
    return render(request, page.template, context)


@login_required
def progress_attachment(request, pk):
    progress = access.get_progress_for_user(request.user, pk)
    if not progress.attachment:
        raise Http404(_("没有附件。"))
    name = Path(progress.attachment.name).name
    return FileResponse(progress.attachment.open("rb"), as_attachment=True, filename=name)


# Review ---------------------------------------------------------------------------------------


@login_required
def review_queue(request):
    if not access.is_reviewer(request.user):
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
    return redirect(_next_url(request, reverse("projects:review_queue")))


def _next_url(request, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# Year lock and completeness -------------------------------------------------------------------


def _planner_plan_year(request, plan_code, year) -> Plan:
    plan = get_object_or_404(Plan, code=plan_code)
    if plan.years() and year not in plan.years():
        raise Http404(_("该规划没有 %(year)s 年度。") % {"year": year})
    if not access.can_plan(request.user):
        raise PermissionDenied(_("只有规划人员或管理员可以进行此操作。"))
    return plan


@require_POST
@login_required
def year_lock(request, plan_code, year):
    plan = _planner_plan_year(request, plan_code, year)
    services.year_lock(request.user, plan, year)
    messages.success(request, _("已锁定 %(plan)s %(year)s 年度。") % {"plan": plan.display_name, "year": year})
    return redirect(_next_url(request, reverse("projects:completeness", args=[plan.code, year])))


@require_POST
@login_required
def year_unlock(request, plan_code, year):
    plan = _planner_plan_year(request, plan_code, year)
    services.year_unlock(request.user, plan, year)
    messages.success(request, _("已解锁 %(plan)s %(year)s 年度。") % {"plan": plan.display_name, "year": year})
    return redirect(_next_url(request, reverse("projects:completeness", args=[plan.code, year])))


@login_required
def completeness(request, plan_code, year):
    plan = _planner_plan_year(request, plan_code, year)
    context = {
        "plan": plan,
        "year": year,
        "report": selectors.completeness(plan, year),
        "reporting_year": selectors.reporting_year(plan, year),
        "states": selectors.STATES,
    }
    return render(request, "projects/completeness.html", context)

