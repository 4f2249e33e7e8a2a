"""Excel round-trip pages: download the entry template, upload it, preview the changes, confirm.

The upload is read once, on upload: its rows as read are kept in a StagedUpload of the user who
sent them (the file itself is not kept). The preview and the confirmation validate those same rows
against the database as it is then, and the confirmation writes only if the changes are exactly
the ones the preview showed. Nothing the browser sends on confirm is trusted beyond the token.
Uploads never confirmed are deleted after StagedUpload.LIFETIME by any upload page anyone opens
(and by ``manage.py clear_staged_uploads``), and are refused at preview and confirm once expired.
A CSV or another xlsx of the page's plan-year may leave out the plan and year columns (the page's
stand in); the columns the reader ignored are told once, as a message shown on the preview.
"""
import secrets
from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.text import without_control_characters

from ..access import get_plan_year_for_user
from ..choices import State
from ..excel import build_template
from ..imports import (
    MAX_FILE_BYTES, ImportConflict, ImportRow, Scope, UploadError, apply_import, column_guide, read_file,
    validate_rows,
)
from ..models import StagedUpload

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("填报文件（xlsx 模板或 CSV）"))
    state = forms.ChoiceField(
        label=gettext_lazy("导入后"),
        choices=[(State.DRAFT, gettext_lazy("保存为草稿")), (State.SUBMITTED, gettext_lazy("直接提交审核"))],
        initial=State.DRAFT,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("文件超过 10 MB，请拆分后分批上传。"))
        return upload


@login_required
def template_download(request, plan_code, year, org_id):
    scope = get_plan_year_for_user(request.user, plan_code, year, org_id, write=True)
    content = build_template(scope.plan, scope.year, scope.organization)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    filename = f"{scope.plan.display_name}-{scope.year}-{scope.organization.name}-填报模板.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@login_required
def upload(request, plan_code, year, org_id):
    StagedUpload.clear_expired()
    scope = get_plan_year_for_user(request.user, plan_code, year, org_id, write=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        file, state = form.cleaned_data["file"], form.cleaned_data["state"]
        try:
            # The page's plan and year stand in for columns a file of this one plan-year leaves out.
            read = read_file(file.read(), file.name, plan=scope.plan.code, year=scope.year)
        except UploadError as exc:
            errors = exc.errors
        else:
            rows = read.rows
            for notice in read.notices:
                messages.info(request, notice)
            staged = StagedUpload.objects.create(
                token=secrets.token_urlsafe(24), user=request.user, plan=scope.plan, year=scope.year,
                organization=scope.organization, state=state,
                filename=without_control_characters(file.name)[:200], rows=[row.to_json() for row in rows],
            )
            return redirect("excel:preview", token=staged.token)
    context = {"scope": scope, "form": form, "errors": errors, "columns": column_guide(page=True)}
    return render(request, "projects/excel_upload.html", context, status=400 if errors else 200)


@login_required
def preview(request, token):
    staged, scope = _load_upload(request, token)
    plan = _validate(request, staged, scope)
    staged.fingerprint = plan.fingerprint()
    staged.save(update_fields=["fingerprint"])
    context = {"scope": scope, "plan": plan, "errors": plan.errors, "token": token, "stored": staged,
               "asked_label": dict(UploadForm.base_fields["state"].choices)[staged.state],
               "resulting_states": _resulting_states(plan.changes), "state_kept": _state_kept(plan.changes)}
    return render(request, "projects/excel_preview.html", context)


@login_required
@require_POST
def confirm(request, token):
    staged, scope = _load_upload(request, token)
    upload_url = reverse("excel:upload", args=[scope.plan.code, scope.year, scope.organization.pk])
    if request.POST.get("action") == "cancel":
        staged.delete()
        messages.info(request, _("已取消本次导入，没有写入任何数据。"))
        return redirect(upload_url)
    plan = _validate(request, staged, scope)
    if plan.errors or not staged.fingerprint or plan.fingerprint() != staged.fingerprint:
        messages.error(request, _("数据在预览后发生了变化或存在错误，没有写入任何数据，请重新核对预览。"))
        return redirect("excel:preview", token=token)
    try:
        with transaction.atomic():
            # A second confirmation of the same upload (a double click) waits here, then finds it gone.
            if not StagedUpload.objects.select_for_update().filter(pk=staged.pk).exists():
                raise Http404(_("找不到该上传，可能已过期或已导入。"))
            count = apply_import(plan, user=request.user, state=staged.state)
            staged.delete()
    except ImportConflict as exc:
        messages.error(request, str(exc))
        return redirect("excel:preview", token=token)
    messages.success(request, _("导入完成：写入 %(n)s 个数值。") % {"n": count})
    return redirect(_entry_url(scope) or upload_url)


# Helpers --------------------------------------------------------------------------------------


def _resulting_states(changes) -> list[tuple[str, str, int]]:
    """(state, label, how many) of the values after the import: a returned value saved as a draft
    stays returned (workflow.TRANSITIONS), so “草稿” alone would not say what happens."""
    counts = Counter(change.new_state for change in changes)
    return [(state, State(state).label, counts[state]) for state in State.values if counts[state]]


def _state_kept(changes) -> bool:
    """Whether some value keeps the state it is in (a returned value edited but not resubmitted)."""
    return any(change.old_state == change.new_state for change in changes)


def _entry_url(scope) -> str | None:
    """The monitoring entry form of the scope, where the imported values now show."""
    try:
        return reverse("projects:value_entry", args=[scope.plan.code, scope.year, scope.organization.pk])
    except NoReverseMatch:
        return None


def _validate(request, staged: StagedUpload, scope):
    """The staged rows (read once, on upload) validated against the database as it is now."""
    try:
        rows = [ImportRow.from_json(row) for row in staged.rows]
    except TypeError:  # staged by a release whose rows had other fields
        raise Http404(_("找不到该上传，可能已过期或已导入。")) from None
    scope = Scope(plan=scope.plan, year=scope.year, organization=scope.organization)
    return validate_rows(rows, user=request.user, state=staged.state, scope=scope)


def _load_upload(request, token: str):
    """The user's own upload under the token, not expired, and its scope re-checked for the user (403)."""
    StagedUpload.clear_expired()
    cutoff = timezone.now() - StagedUpload.LIFETIME
    staged = (
        StagedUpload.objects.select_related("plan", "organization")
        .filter(token=token, user=request.user, created_at__gte=cutoff)
        .first()
    )
    if staged is None:
        raise Http404(_("找不到该上传，可能已过期或已导入。"))
    scope = get_plan_year_for_user(
        request.user, staged.plan.code, staged.year, staged.organization_id, write=True
    )
    return staged, scope
