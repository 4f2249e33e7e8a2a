"""人员与单位管理 (/accounts/manage/): a 管理员's organizations and people, within their region.

Who may do what is accounts.management_rules; these views only look it up, write inside one
transaction, and say what happened. History (who changed whom, when) is written by
simple_history with the request's user (HistoryRequestMiddleware).
"""
from functools import wraps

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.views import PasswordChangeView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from . import management_rules as rules
from .filtersets import OrganizationFilterSet, UserFilterSet
from .forms import AccountForm, MembershipForm, NewAccountForm, OrganizationForm, PasswordResetForm
from .models import Membership, Organization, User
from .tables import OrganizationTable, UserTable


def manager_required(view):
    """Signed in (else the login page) and a 管理员 or superuser (else 403); never cached."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not rules.can_manage_people(request.user):
            raise PermissionDenied(_("只有管理员可以管理人员与单位。"))
        return view(request, *args, **kwargs)

    return never_cache(wrapped)


@method_decorator(manager_required, name="dispatch")
class UserListView(SingleTableMixin, FilterView):
    table_class = UserTable
    filterset_class = UserFilterSet
    template_name = "accounts/manage/user_list.html"
    paginate_by = 50

    def get_queryset(self):
        return rules.managed_users(self.request.user).prefetch_related("memberships__organization").order_by("username")


@method_decorator(manager_required, name="dispatch")
class OrganizationListView(SingleTableMixin, FilterView):
    table_class = OrganizationTable
    filterset_class = OrganizationFilterSet
    template_name = "accounts/manage/organization_list.html"
    paginate_by = 50

    def get_queryset(self):
        return rules.managed_organizations(self.request.user).annotate(
            member_count=Count("memberships__user", distinct=True)
        ).order_by("name")


@manager_required
def organization_form(request, pk=None):
    organization = None
    if pk is not None:
        organization = get_object_or_404(Organization, pk=pk)
        if not rules.managed_organizations(request.user).filter(pk=pk).exists():
            raise PermissionDenied(_("该单位不在你管理的地区内。"))
    form = OrganizationForm(request.POST or None, instance=organization, manager=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            organization = form.save()
        messages.success(request, _("已保存单位“%(name)s”。") % {"name": organization.name})
        return redirect("accounts:organization_list")
    return render(request, "accounts/manage/organization_form.html", {"form": form, "organization": organization})


@manager_required
def user_create(request):
    form = NewAccountForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
        return render(request, "accounts/manage/password_shown.html", {
            "person": user, "password": form.password, "created": True,
        })
    return render(request, "accounts/manage/user_form.html", {"form": form})


def _person_in_scope(request, pk) -> tuple[User, rules.Manager, rules.Person]:
    person = get_object_or_404(User, pk=pk)
    manager, facts = rules.manager_of(request.user), rules.person_of(person)
    if not rules.managed_users(request.user).filter(pk=pk).exists() and pk != request.user.pk:
        rules.require(rules.person_refusal(manager, facts) or _("该用户不属于你管理的任何单位。"))
    return person, manager, facts


@manager_required
def user_detail(request, pk):
    person, manager, facts = _person_in_scope(request, pk)
    refusal = rules.person_refusal(manager, facts)
    form = AccountForm(request.POST or None, instance=person)
    if request.method == "POST":
        rules.require(refusal)
        if form.is_valid():
            with transaction.atomic():
                form.save()
            messages.success(request, _("已保存用户“%(name)s”。") % {"name": person.username})
            return redirect("accounts:user_detail", pk=person.pk)
    return render(request, "accounts/manage/user_detail.html", {
        "person": person,
        "form": form,
        "refusal": refusal,
        "deactivation_refusal": rules.deactivation_refusal(manager, facts),
        "memberships": memberships_with_refusals(manager, facts, person),
        "membership_form": MembershipForm(manager=request.user, person=person),
        "history": person_history(person),
    })


@manager_required
@require_POST
def membership_add(request, pk):
    person, manager, facts = _person_in_scope(request, pk)
    form = MembershipForm(request.POST, manager=request.user, person=person)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("accounts:user_detail", pk=person.pk)
    organization, role = form.cleaned_data["organization"], form.cleaned_data["role"]
    rules.require(rules.membership_refusal(manager, facts, organization.pk, role))
    with transaction.atomic():
        membership = Membership.objects.create(user=person, organization=organization, role=role)
    messages.success(request, _("已添加：%(membership)s。") % {"membership": membership})
    return redirect("accounts:user_detail", pk=person.pk)


@manager_required
@require_POST
def membership_remove(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("user", "organization"), pk=pk)
    person, manager, facts = _person_in_scope(request, membership.user_id)
    remaining = person.memberships.exclude(pk=membership.pk).count()
    rules.require(rules.removal_refusal(manager, facts, membership.organization_id, membership.role, remaining))
    with transaction.atomic():
        membership.delete()
    messages.success(request, _("已取消：%(membership)s。") % {"membership": membership})
    return redirect("accounts:user_detail", pk=person.pk)


@manager_required
@require_POST
def user_active(request, pk):
    person, manager, facts = _person_in_scope(request, pk)
    active = request.POST.get("active") == "1"
    rules.require(rules.person_refusal(manager, facts) if active else rules.deactivation_refusal(manager, facts))
    person.is_active = active
    person._change_reason = gettext_noop("启用") if active else gettext_noop("停用")  # stored untranslated
    with transaction.atomic():
        person.save(update_fields=["is_active"])
    if active:
        messages.success(request, _("已启用用户“%(name)s”。") % {"name": person.username})
    else:
        messages.success(request, _("已停用用户“%(name)s”：该用户不能再登录。") % {"name": person.username})
    return redirect("accounts:user_detail", pk=person.pk)


@manager_required
def user_password(request, pk):
    person, manager, facts = _person_in_scope(request, pk)
    rules.require(rules.person_refusal(manager, facts))
    form = PasswordResetForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        password, generated = form.new_password()
        person.set_password(password)
        person.must_change_password = True
        person._change_reason = gettext_noop("重置密码")
        with transaction.atomic():
            person.save(update_fields=["password", "must_change_password"])
        if person.pk == request.user.pk:
            update_session_auth_hash(request, person)
        return render(request, "accounts/manage/password_shown.html", {
            "person": person, "password": password if generated else None, "created": False,
        })
    return render(request, "accounts/manage/user_password.html", {"person": person, "form": form})


def memberships_with_refusals(manager, facts, person) -> list[tuple[Membership, str | None]]:
    """The person's memberships, each with why it may not be removed (None: a button is shown)."""
    memberships = list(person.memberships.select_related("organization").order_by("organization__name", "role"))
    remaining = len(memberships) - 1
    return [(m, rules.removal_refusal(manager, facts, m.organization_id, m.role, remaining)) for m in memberships]


def person_history(person, limit: int = 50) -> list[dict]:
    """The latest changes of the account and its memberships, newest first: when, who, what."""
    kinds = {"+": _("新增"), "~": _("修改"), "-": _("删除")}
    rows = [
        {"at": h.history_date, "by": h.history_user, "kind": kinds[h.history_type],
         "what": _(h.history_change_reason) if h.history_change_reason else _("账号")}
        for h in person.history.select_related("history_user")[:limit]
    ]
    rows += [
        {"at": h.history_date, "by": h.history_user, "kind": kinds[h.history_type],
         "what": f"{h.organization} · {h.get_role_display()}"}
        for h in Membership.history.filter(user_id=person.pk).select_related("history_user", "organization")[:limit]
    ]
    return sorted(rows, key=lambda row: row["at"], reverse=True)[:limit]


@method_decorator(never_cache, name="dispatch")
class OwnPasswordChangeView(PasswordChangeView):
    """Changing one's own password; clears the must-change flag a reset set."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        form.user.must_change_password = False
        form.user._change_reason = gettext_noop("本人修改密码")
        response = super().form_valid(form)  # saves the user, keeps the session signed in
        messages.success(self.request, _("密码已修改。"))
        return response

