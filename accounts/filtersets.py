"""Filters of the management lists; their choices are what the acting user manages."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .management_rules import managed_organizations, managed_regions
from .models import Organization, User


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    region = django_filters.ModelChoiceFilter(label=_("地区"), queryset=lambda request: managed_regions(request.user))

    class Meta:
        model = Organization
        fields = ["q", "region"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    # Organization and role name one membership together (a reviewer *of* 蓟州区科技局), so both are
    # applied in filter_queryset, in one filter() call.
    organization = django_filters.ModelChoiceFilter(
        label=_("单位"), queryset=lambda request: managed_organizations(request.user), method="by_membership",
    )
    role = django_filters.ChoiceFilter(label=_("角色"), choices=Role.choices, method="by_membership")
    is_active = django_filters.BooleanFilter(label=_("已启用"))

    class Meta:
        model = User
        fields = ["q", "organization", "role", "is_active"]

    def by_membership(self, queryset, name, value):
        return queryset  # see filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        membership = {
            f"memberships__{name}": self.form.cleaned_data.get(name)
            for name in ("organization", "role") if self.form.cleaned_data.get(name)
        }
        return queryset.filter(**membership).distinct() if membership else queryset

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(username__icontains=value) | Q(full_name__icontains=value) | Q(email__icontains=value)
        )
