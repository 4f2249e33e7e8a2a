"""Filters of the report pages.

- ``IndicatorRowFilterForm`` / ``filter_rows``: the dashboard assesses its plan per request, so it
  filters the list of assessed rows in Python after the selector has built them. A plan has tens
  of indicators, so this costs nothing and needs no query.
- ``PlanOverviewFilterSet``: the overview's plan filters, applied in the database (region with its
  sub-regions and a year inside the period, from ``plans.filtersets.RegionPeriodFilterSet``, and
  the region level); ``year`` is the assessment year and does not filter plans.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import RegionLevel
from indicators.choices import Attribute
from plans.filtersets import RegionPeriodFilterSet
from plans.models import Plan

from .assessment import Verdict
from .labels import translated_label
from .years import is_plausible


def verdict_choices():
    """The verdicts in the active language (the form's choices are a callable: read per request)."""
    return [(verdict.value, translated_label(verdict)) for verdict in Verdict]


class IndicatorRowFilterForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("评价"), required=False, choices=lambda: [("", _("全部"))] + verdict_choices()
    )
    attribute = forms.ChoiceField(
        label=_("属性"), required=False, choices=[("", _("全部")), *Attribute.choices]
    )


def filter_rows(rows: list, form: IndicatorRowFilterForm) -> list:
    """The rows matching the form's verdict and attribute; an invalid or empty form keeps them all."""
    if not form.is_valid():
        return list(rows)
    verdict, attribute = form.cleaned_data["verdict"], form.cleaned_data["attribute"]
    return [
        row
        for row in rows
        if (not verdict or row.assessment.verdict.value == verdict)
        and (not attribute or row.indicator.attribute == attribute)
    ]


class PlanOverviewFilterSet(RegionPeriodFilterSet):
    level = django_filters.ChoiceFilter(
        label=_("级别"), choices=RegionLevel.choices, field_name="region__level"
    )
    period = django_filters.NumberFilter(label=_("规划期含年份"), method="covers_year")
    year = django_filters.NumberFilter(label=_("评估年份"), method="assessment_year")

    class Meta:
        model = Plan
        fields = ["region", "level", "period", "year"]

    def assessment_year(self, queryset, name, year):
        return queryset  # chooses the year the plans are assessed for, see ``chosen_year``

    def chosen_year(self) -> int | None:
        """The assessment year: asked for, else the period year, else each plan's latest year with data."""
        if not self.is_valid():
            return None
        year = self.form.cleaned_data.get("year") or self.form.cleaned_data.get("period")
        return int(year) if year and is_plausible(int(year)) else None
