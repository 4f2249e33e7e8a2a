"""Filters of plan lists: ``RegionPeriodFilterSet`` holds the region and period filters every list
of plans uses (the plan list here, the overview of reports), ``PlanFilterSet`` the plan list's."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Region

from .choices import PlanKind
from .models import Plan


class RegionPeriodFilterSet(django_filters.FilterSet):
    """A region (with its sub-regions) and a year inside the plan's period. Subclasses name the period
    filter as their page's URL does: ``NumberFilter(method="covers_year")``."""

    region = django_filters.ModelChoiceFilter(label=_("地区"), queryset=Region.objects.all(), method="in_region")

    class Meta:
        model = Plan
        fields = ["region"]

    def in_region(self, queryset, name, region):
        """A region includes the plans of its sub-regions (天津市 lists 蓟州区's plan too)."""
        return queryset.filter(Q(region=region) | Q(region__parent=region))

    def covers_year(self, queryset, name, year):
        """Plans whose period includes `year` (an open-ended plan includes every year from its start)."""
        return queryset.filter(start_year__lte=year).filter(Q(end_year__gte=year) | Q(end_year__isnull=True))


class PlanFilterSet(RegionPeriodFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=PlanKind.choices)
    year = django_filters.NumberFilter(label=_("所含年份"), method="covers_year")

    class Meta:
        model = Plan
        fields = ["q", "region", "kind", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(short_name__icontains=value)
            | Q(issuer__icontains=value)
            | Q(document_number__icontains=value)
            | Q(code__icontains=value)
        )
