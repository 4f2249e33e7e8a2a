"""Excel round-trip pages: download the entry template, upload it, preview the changes, confirm.

Between preview and confirm the uploaded file stays on the server (UPLOAD_STAGING_ROOT, outside
MEDIA_ROOT so it is never served, under a
random token remembered in the user's session); the confirmation re-reads and re-validates that
file and writes only if the changes are exactly the ones the preview showed. Nothing the browser
sends on confirm is trusted beyond the token.
"""
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..access import get_plan_year_for_user
from ..choices import State
from ..excel import build_template
from ..imports import MAX_FILE_BYTES, ImportConflict, Scope, UploadError, apply_import, file_error, import_file

SESSION_KEY = "excel_uploads"
UPLOAD_MAX_AGE = 24 * 3600  # seconds an unconfirmed upload is kept
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
    scope = get_plan_year_for_user(request.user, plan_code, year, org_id, write=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        file, state = form.cleaned_data["file"], form.cleaned_data["state"]
        data = file.read()
        try:
            import_file(data, file.name, user=request.user, state=state, scope=_scope(scope))
        except UploadError as exc:
            errors = exc.errors
        else:
            token = _store_upload(request, scope, data, file.name, state)
            return redirect("excel:preview", token=token)
    context = {"scope": scope, "form": form, "errors": errors}
    return render(request, "projects/excel_upload.html", context, status=400 if errors else 200)


@login_required
def preview(request, token):
    stored, scope = _load_upload(request, token)
    plan, errors = _validate(request, stored, scope)
    if plan is not None:
        stored["fingerprint"] = plan.fingerprint()
        request.session.modified = True
    context = {"scope": scope, "plan": plan, "errors": errors or (plan.errors if plan else []),
               "token": token, "stored": stored, "state_label": State(stored["state"]).label}
    return render(request, "projects/excel_preview.html", context)


@login_required
@require_POST
def confirm(request, token):
    stored, scope = _load_upload(request, token)
    upload_url = reverse("excel:upload", args=[scope.plan.code, scope.year, scope.organization.pk])
    if request.POST.get("action") == "cancel":
        _discard(request, token)
        messages.info(request, _("已取消本次导入，没有写入任何数据。"))
        return redirect(upload_url)
    plan, errors = _validate(request, stored, scope)
    if errors or plan.errors or plan.fingerprint() != stored.get("fingerprint"):
        messages.error(request, _("数据在预览后发生了变化或存在错误，没有写入任何数据，请重新核对预览。"))
        return redirect("excel:preview", token=token)
    try:
        count = apply_import(plan, user=request.user, state=stored["state"])
    except ImportConflict as exc:
        messages.error(request, str(exc))
        return redirect("excel:preview", token=token)
    _discard(request, token)
    messages.success(request, _("导入完成：写入 %(n)s 个数值。") % {"n": count})
    return redirect(_entry_url(scope) or upload_url)


# Helpers --------------------------------------------------------------------------------------


def _entry_url(scope) -> str | None:
    """The monitoring entry form of the scope, where the imported values now show."""
    try:
        return reverse("projects:value_entry", args=[scope.plan.code, scope.year, scope.organization.pk])
    except NoReverseMatch:
        return None


def _scope(plan_year) -> Scope:
    return Scope(plan=plan_year.plan, year=plan_year.year, organization=plan_year.organization)


def _validate(request, stored: dict, scope):
    """Re-read the stored file and validate it against the database as it is now."""
    try:
        data = _upload_path(stored["name"]).read_bytes()
    except OSError:
        return None, [file_error(_("上传的文件已过期，请重新上传。"))]
    try:
        plan = import_file(
            data, stored["filename"], user=request.user, state=stored["state"], scope=_scope(scope)
        )
    except UploadError as exc:
        return None, exc.errors
    return plan, []


def _upload_path(name: str) -> Path:
    return Path(settings.UPLOAD_STAGING_ROOT) / name


def _store_upload(request, scope, data: bytes, filename: str, state: str) -> str:
    _remove_stale_uploads()
    token = secrets.token_urlsafe(24)
    path = _upload_path(f"{token}.upload")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {
        "name": path.name, "filename": filename[:200], "state": state,
        "plan": scope.plan.code, "year": scope.year, "organization": scope.organization.pk,
    }
    request.session[SESSION_KEY] = uploads
    return token


def _load_upload(request, token: str):
    """The upload this session made under the token, and its scope re-checked for the user (403)."""
    stored = request.session.get(SESSION_KEY, {}).get(token)
    if stored is None:
        raise Http404(_("找不到该上传，可能已过期或已导入。"))
    scope = get_plan_year_for_user(
        request.user, stored["plan"], stored["year"], stored["organization"], write=True
    )
    return stored, scope


def _discard(request, token: str) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    stored = uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    if stored:
        _upload_path(stored["name"]).unlink(missing_ok=True)


def _remove_stale_uploads() -> None:
    folder = Path(settings.UPLOAD_STAGING_ROOT)
    if not folder.is_dir():
        return
    cutoff = time.time() - UPLOAD_MAX_AGE
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass  # another worker removed it first
