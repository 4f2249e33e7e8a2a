"""The entry pages of the annual monitoring: an organization's indicator values or key-project
progress for one plan and year, on one form, saved as drafts or submitted for review.

Both pages run the same steps (access → bind row forms → validate → one batch service → redirect);
what differs between them is a small page class with plain methods.
"""
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import permissions

from .. import access, selectors, services
from ..forms import ProgressRowForm, ValueRowForm
from ..services import BatchError, InvalidValueError, StaleValueError, YearLockedError


class ValuePage:
    """The indicator-value entry page."""

    template = "projects/value_entry.html"

    def load_rows(self, scope):
        return selectors.entry_rows(scope)

    def key(self, row) -> int:
        return row.indicator.pk

    def make_form(self, row, data, files, *, editable: bool):
        return ValueRowForm(
            data, files, prefix=f"v{row.indicator.pk}", current=row.current, editable=editable,
            indicator=row.indicator,
        )

    def check_for_submit(self, row) -> None:
        """Nothing here: a value's checks before review run in its write path (services.checks)."""

    def save(self, user, year: int, rows, *, submit: bool):
        return services.values_save_batch(user, year, rows, submit=submit)


class ProgressPage:
    """The key-project progress entry page."""

    template = "projects/progress_entry.html"

    def load_rows(self, scope):
        return selectors.progress_rows(scope)

    def key(self, row) -> int:
        return row.project.pk

    def make_form(self, row, data, files, *, editable: bool):
        return ProgressRowForm(
            data, files, prefix=f"p{row.project.pk}", current=row.current, editable=editable, project=row.project,
        )

    def check_for_submit(self, row) -> None:
        row.form.check_for_submit()

    def save(self, user, year: int, rows, *, submit: bool):
        return services.progress_save_batch(user, year, rows, submit=submit)


@login_required
def value_entry(request, plan_code, year, org_id):
    return _entry(request, ValuePage(), plan_code, year, org_id)


@login_required
def progress_entry(request, plan_code, year, org_id):
    return _entry(request, ProgressPage(), plan_code, year, org_id)


def _entry(request, page, plan_code, year, org_id):
    posting = request.method == "POST"
    scope = access.get_plan_year_for_user(request.user, plan_code, year, org_id, write=posting)
    locked = _locked(scope)  # no query unless the plan's year_locked says so
    if not posting:
        return _entry_get(request, page, scope, locked)
    if locked:
        messages.error(request, services.lock_message(locked))
        return redirect(request.path)
    return _entry_post(request, page, scope)


def _entry_get(request, page, scope, locked):
    rows = page.load_rows(scope)
    editable = permissions.can_enter(request.user, scope.organization) and not locked
    _bind(page, rows, None, None, editable=editable)
    return _render_entry(request, page, scope, rows, locked)


def _entry_post(request, page, scope):
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
        result = page.save(request.user, scope.year, to_write, submit=submit)
    except YearLockedError as exc:  # locked after the page was checked above: the write path's check
        messages.error(request, str(exc))
        return redirect(request.path)
    except BatchError as exc:
        _attach_batch_errors(page, rows, data, exc.errors)
        messages.error(request, str(exc))
        return _render_entry(request, page, scope, rows)
    messages.success(request, _success_message(result, submit))
    return redirect(request.path)


def _bind(page, rows, data, files, *, editable: bool) -> None:
    for row in rows:
        row.form = page.make_form(row, data, files, editable=editable)


def _validate(page, rows, submit: bool) -> bool:
    for row in rows:
        if row.form.is_valid() and submit:
            page.check_for_submit(row)
    return all(not row.form.errors for row in rows)


def _refresh_stale_versions(page, rows, data, versions: dict) -> None:
    """Give stale rows the stored version, so saving again is a deliberate choice to overwrite."""
    for row in rows:
        version = versions.get(page.key(row))
        if version is None and row.form.is_stale:
            version = row.current.version if row.current else 0
        if version is not None:
            data[row.form.add_prefix("version")] = str(version)


def _attach_batch_errors(page, rows, data, errors: dict) -> None:
    versions = {}
    for row in rows:
        error = errors.get(page.key(row))
        if error is None:
            continue
        if isinstance(error, StaleValueError):
            versions[page.key(row)] = error.current_version
        if isinstance(error, InvalidValueError):
            for problem in error.problems:
                row.form.add_error(getattr(problem, "field", "value"), problem)
        else:
            row.form.add_error(None, error.messages)
    _refresh_stale_versions(page, rows, data, versions)


def _success_message(result, submit: bool) -> str:
    if submit:
        return _("已提交审核 %(n)s 条。") % {"n": result.submitted} if result.submitted else _("没有可提交的数据。")
    return _("已保存草稿 %(n)s 条。") % {"n": result.saved} if result.saved else _("没有需要保存的修改。")


def _locked(scope):
    """The locked reporting year, or None. Read from the flag the access check's plan query carries;
    the lock (its row and who locked it) is read only when it is set. The write path checks again,
    under the plan-year row lock (services.years)."""
    if not scope.plan.year_locked:
        return None
    reporting_year = selectors.reporting_year(scope.plan, scope.year)
    return reporting_year if reporting_year and reporting_year.is_locked else None


def _render_entry(request, page, scope, rows, locked=None):
    context = {
        "scope": scope,
        "rows": rows,
        "prior_years": selectors.prior_years(scope.plan, scope.year),
        "locked": locked,
        "lock_message": services.lock_message(locked) if locked else "",
        "can_enter": permissions.can_enter(request.user, scope.organization),
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
