"""导入规划: upload or paste a plan, review and correct what was read, publish it.

Only planners (and superusers) reach these pages; a draft is seen only by its author (and
superusers). Every write goes through ``intake.services``.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Organization
from indicators.choices import TargetKindChoice
from indicators.targets import parse_target
from accounts.permissions import can_plan, require_plan_region

from . import services
from .drafts import open_flags, target_json
from .flag_text import flag_reason
from .forms import MetadataForm, RowFormSet, UploadForm, row_initial, rows_from_formset
from .models import PlanDraft
from .parsing import PlanImportError


def _require_planner(user) -> None:
    if not can_plan(user):
        raise PermissionDenied(_("只有规划人员可以导入规划。"))


def get_draft_for_user(user, pk, open_only=False) -> PlanDraft:
    """The draft, for its author or a superuser (403 otherwise, 404 when missing)."""
    _require_planner(user)
    draft = get_object_or_404(PlanDraft.objects.select_related("revises", "plan"), pk=pk)
    if draft.created_by_id != user.pk and not user.is_superuser:
        raise PermissionDenied(_("这是其他人的导入草稿。"))
    if open_only and not draft.is_open:
        raise PermissionDenied(_("该草稿已发布或已放弃，不能再修改。"))
    return draft


@login_required
def draft_list(request):
    """我的导入: the user's drafts, newest first."""
    _require_planner(request.user)
    drafts = PlanDraft.objects.filter(created_by=request.user).select_related("revises", "plan").defer(
        "parsed", "source_text", "pasted_text"
    )
    return render(request, "intake/draft_list.html", {"drafts": drafts})


@login_required
def draft_new(request):
    """Upload a file or paste text; a document that cannot be read is told on the form."""
    _require_planner(request.user)
    initial = {"revises": request.GET.get("revises")} if request.GET.get("revises") else None
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            draft = _create(request, form.cleaned_data)
        except PlanImportError as error:
            form.add_error(None, str(error))
        else:
            return redirect(draft)
    return render(request, "intake/draft_new.html", {"form": form})


def _create(request, data) -> PlanDraft:
    if data.get("revises"):  # a new text for an existing plan: its region's planners only
        require_plan_region(request.user, data["revises"])
    upload = data.get("file")
    if upload:
        return services.draft_create(
            request.user, data=upload.read(), filename=upload.name, revises=data.get("revises")
        )
    return services.draft_create(request.user, text=data["text"], revises=data.get("revises"))


@login_required
def draft_review(request, pk):
    """The review page: metadata, outline, the indicator table beside its source lines."""
    draft = get_draft_for_user(request.user, pk)
    organizations = list(Organization.objects.order_by("name").values_list("name", flat=True))
    if request.method == "POST":
        if not draft.is_open:
            raise PermissionDenied(_("该草稿已发布或已放弃，不能再修改。"))
        meta_form, formset = _bound_forms(request, draft, organizations)
        if meta_form.is_valid() and formset.is_valid():
            services.draft_save(draft, meta_form.metadata(), rows_from_formset(formset, draft.edits["rows"]))
            return _after_save(request, draft)
        messages.error(request, _("有单元格未通过校验，什么也没有保存：请按标出的错误修改。"))
        for error in row_errors(formset):
            messages.error(request, error)
    else:
        meta_form, formset = _initial_forms(draft, organizations)
    return render(request, "intake/draft_review.html", _review_context(draft, meta_form, formset, organizations))


def _initial_forms(draft, organizations):
    meta_form = MetadataForm(initial=draft.edits["metadata"], revises=draft.revises)
    formset = RowFormSet(
        initial=[row_initial(row) for row in draft.edits["rows"]], prefix="rows",
        form_kwargs={"organizations": frozenset(organizations)},
    )
    return meta_form, formset


def _bound_forms(request, draft, organizations):
    meta_form = MetadataForm(request.POST, initial=draft.edits["metadata"], revises=draft.revises)
    formset = RowFormSet(
        request.POST, initial=[row_initial(row) for row in draft.edits["rows"]], prefix="rows",
        form_kwargs={"organizations": frozenset(organizations)},
    )
    return meta_form, formset


def row_errors(formset) -> list[str]:
    """“第 N 行 · 字段：原因” for every invalid cell of the indicator table."""
    found = []
    for number, form in enumerate(formset.forms, start=1):
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else _("整行")
            found += [_("第 %(row)s 行 · %(field)s：%(error)s") % {"row": number, "field": label, "error": error}
                      for error in errors]
    return found


def _after_save(request, draft):
    """Saved; then the button's action: accept or discard a proposal, or go on to publish."""
    action = request.POST.get("action", "save")
    if action.startswith(("accept:", "reject:")):
        verb, _sep, index = action.partition(":")
        try:
            services.draft_decide(draft, int(index), accept=verb == "accept")
        except (ValueError, services.DraftError) as error:
            messages.error(request, str(error))
        return redirect(reverse("intake:draft_review", args=[draft.pk]) + "#proposals")
    if action == "publish":
        return redirect("intake:draft_publish", pk=draft.pk)
    messages.success(request, _("已保存。"))
    return redirect(draft)


def _review_context(draft, meta_form, formset, organizations) -> dict:
    rows = {row["key"]: row for row in draft.edits["rows"]}
    table = []
    for form in formset.forms:
        row = rows.get(form.initial.get("key")) if form.initial else None
        flags = {flag["field"]: flag_reason(flag) for flag in open_flags(row)} if row else {}
        table.append({"form": form, "row": row, "flags": flags})
    decided = draft.edits.get("proposals") or {}
    proposals = [
        {"index": index, "data": data, "decision": decided.get(str(index))}
        for index, data in enumerate(draft.parsed.get("proposed", []))
    ]
    return {
        "draft": draft, "meta_form": meta_form, "formset": formset, "table": table,
        "proposals": proposals, "organizations": organizations,
        "diff": services.draft_preview(draft) if draft.is_open else None,
        "warnings": draft.parsed.get("warnings", []),
    }


@login_required
def draft_publish(request, pk):
    """The last look before writing (for a revision: what changes), then publish."""
    draft = get_draft_for_user(request.user, pk, open_only=True)
    if draft.revises_id:  # publishing onto an existing plan: its region's planners only
        require_plan_region(request.user, draft.revises)
    if request.method == "POST":
        try:
            outcome = services.draft_publish(request.user, draft)
        except services.DraftError as error:
            messages.error(request, str(error))
            return redirect(draft)
        _tell_outcome(request, outcome)
        return redirect("reports:plan_dashboard", code=outcome.plan.code)
    return render(request, "intake/draft_publish.html", {
        "draft": draft, "diff": services.draft_preview(draft), "rows": draft.edits["rows"],
        "open_flags": sum(len(open_flags(row)) for row in draft.edits["rows"]),
    })


def _tell_outcome(request, outcome) -> None:
    if outcome.created:
        messages.success(request, _("规划已发布。"))
        return
    messages.success(request, _("规划已按新文本更新，已填报的数据全部保留。"))
    if outcome.diff.kept:
        names = "、".join(indicator.name for indicator in outcome.diff.kept)
        messages.warning(request, _("新文本中没有这些指标，但它们已有填报数据，已保留：%(names)s") % {"names": names})


@login_required
@require_POST
def draft_discard(request, pk):
    draft = get_draft_for_user(request.user, pk, open_only=True)
    services.draft_discard(draft)
    messages.success(request, _("已放弃该导入草稿。"))
    return redirect("intake:draft_list")


@login_required
@require_GET
def target_preview(request):
    """What a target text means, for the review page's live view (read only)."""
    _require_planner(request.user)
    direction = request.GET.get("direction") if request.GET.get("direction") in ("up", "down") else None
    text = request.GET.get("text", "")[:300]
    target = parse_target(text, unit=request.GET.get("unit", "")[:30], direction=direction)
    return JsonResponse(target_json(target) | {"label": _target_label(target)})


def _target_label(target) -> str:
    return str(TargetKindChoice(target.kind.value).label)
