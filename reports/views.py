"""Report pages: plan dashboard, overview, concepts and task progress. Thin: selectors build the
data, charts and tables present it. Approved values are public; preliminary (unapproved) values
are shown on request to those who may see them (``accounts.visibility``), and only theirs."""

from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.shortcuts import get_object_or_404, render
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin
from django.utils import timezone
from django_tables2.export import ExportMixin

from accounts.visibility import may_see_preliminary, preliminary_scope
from indicators.models import Concept
from plans.models import Plan

from .assessment import Verdict
from .charts import concept_figure, figure_data, heatmap_figure, heatmap_min_width, indicator_figure
from .exports import SafeTableExport
from .filtersets import IndicatorRowFilterForm, PlanOverviewFilterSet, filter_rows
from .labels import translated_label
from .selectors import (
    concept_list,
    concept_rows,
    plan_report,
    status_items,
    task_report,
    verdict_matrix,
)
from .summaries import plan_summaries
from .tables import IndicatorAssessmentTable
from .years import default_workbook_year, parse_year

OVERVIEW_PAGE_SIZE = 50


def _plan_year(request, plan: Plan) -> tuple[int | None, bool]:
    """The year asked for, or None (→ default); True when a malformed year or one outside the
    period was ignored (the page says so)."""
    text = request.GET.get("year", "").strip()
    if not text:
        return None, False
    year, years = parse_year(text), plan.years()
    if year is None or (years and year not in years):
        return None, True
    return year, False


def _preliminary(request, plan: Plan) -> tuple[bool, str]:
    """(show preliminary values, why they were refused: "" / "anonymous" / "forbidden")."""
    if request.GET.get("preliminary") != "1":
        return False, ""
    if not request.user.is_authenticated:
        return False, "anonymous"
    if not may_see_preliminary(request.user, plan):
        return False, "forbidden"
    return True, ""


def verdict_cards(counts: dict[str, int]) -> list[dict]:
    return [{"code": v.value, "label": translated_label(v), "count": counts[v.value]} for v in Verdict]


def verdict_segments(counts: dict[str, int]) -> list[dict]:
    """The non-empty verdicts as shares of a small stacked bar."""
    total = sum(counts.values())
    return [
        {
            "code": v.value,
            "label": translated_label(v),
            "count": counts[v.value],
            "width": f"{100 * counts[v.value] / total:.1f}",
        }
        for v in Verdict
        if total and counts[v.value]
    ]


def _chart(chart_id: str, fig, min_width: int | None = None) -> dict:
    return {"id": chart_id, "data_id": f"{chart_id}-data", "data": figure_data(fig), "min_width": min_width}


# ---------------------------------------------------------------------------- plan dashboard


class PlanDashboardView(ExportMixin, SingleTableMixin, TemplateView):
    export_class = SafeTableExport
    template_name = "reports/plan_dashboard.html"
    table_class = IndicatorAssessmentTable
    table_pagination = False
    export_formats = ("csv", "xlsx")

    def get(self, request, *args, **kwargs):
        self.plan = get_object_or_404(Plan.objects.select_related("region"), code=kwargs["code"])
        year, self.year_ignored = _plan_year(request, self.plan)
        self.preliminary, self.preliminary_refused = _preliminary(request, self.plan)
        scope = preliminary_scope(request.user) if self.preliminary else None
        self.report = plan_report(self.plan, year, include_unapproved=self.preliminary, scope=scope)
        self.filter_form = IndicatorRowFilterForm(request.GET)
        self.rows = filter_rows(self.report.rows, self.filter_form)
        return super().get(request, *args, **kwargs)

    def get_table_data(self):
        return self.rows

    def get_table_kwargs(self):
        return {"year": self.report.year}

    def get_export_filename(self, export_format):
        return f"{self.plan.code}-{self.report.year}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            plan=self.plan, report=self.report, rows=self.rows, filter_form=self.filter_form,
            cards=verdict_cards(self.report.counts), preliminary=self.preliminary,
            preliminary_refused=self.preliminary_refused, year_ignored=self.year_ignored,
            preliminary_allowed=self.preliminary or may_see_preliminary(self.request.user, self.plan),
            export_formats=self.export_formats,
        )  # fmt: skip
        if not self.request.GET.get(self.export_trigger_param):  # an export needs no figures
            context.update(self._charts())
        return context

    def _charts(self) -> dict:
        charts = [_chart(f"chart-indicator-{row.indicator.pk}", indicator_figure(row)) for row in self.rows]
        years = [y for y in self.report.years if self.report.year is None or y <= self.report.year]
        heatmap = None
        if self.report.rows and years:
            matrix = verdict_matrix(self.report, years)
            heatmap = _chart(
                "chart-heatmap", heatmap_figure(self.report.rows, matrix, years), heatmap_min_width(years)
            )
        return {"charts": charts, "heatmap": heatmap}


plan_dashboard = PlanDashboardView.as_view()


# ---------------------------------------------------------------------------- overview


def overview(request):
    plans = Plan.objects.select_related("region").order_by("region__name", "-start_year", "code")
    filterset = PlanOverviewFilterSet(request.GET, queryset=plans)
    page = Paginator(filterset.qs, OVERVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    year = filterset.chosen_year()
    entries = [
        {"summary": summary, "segments": verdict_segments(summary.counts)}
        for summary in plan_summaries(page.object_list, year)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    export_year = year or default_workbook_year(timezone.localdate())
    return render(
        request,
        "reports/overview.html",
        {"filter": filterset, "page": page, "entries": entries, "year": year, "query": query.urlencode(),
         "legend": verdict_cards({v.value: 0 for v in Verdict}),
         "export_year": export_year, "export_years": export_years(filterset.qs, export_year),
         "preliminary_allowed": not preliminary_scope(request.user).is_empty},
    )  # fmt: skip


def export_years(plans, chosen: int) -> list[int]:
    """The years the overview's workbook may be asked for, newest first: those of the plans'
    periods up to the default year, and the chosen one."""
    span = plans.aggregate(first=Min("start_year"), last=Max("end_year"))
    default = default_workbook_year(timezone.localdate())
    first, last = span["first"] or chosen, min(span["last"] or default, default)
    return sorted(set(range(first, last + 1)) | {chosen}, reverse=True)


# ---------------------------------------------------------------------------- concepts


def concept_index(request):
    return render(request, "reports/concept_list.html", {"concepts": concept_list()})


def concept_detail(request, code):
    concept = get_object_or_404(Concept, code=code)
    rows = concept_rows(concept)
    chart = _chart("chart-concept", concept_figure(rows, concept.name, concept.unit)) if rows else None
    has_demo = any(row.demo_years for row in rows)
    return render(
        request,
        "reports/concept_detail.html",
        {"concept": concept, "rows": rows, "chart": chart, "has_demo": has_demo},
    )


# ---------------------------------------------------------------------------- task progress


def plan_tasks(request, code):
    plan = get_object_or_404(Plan.objects.select_related("region"), code=code)
    year, year_ignored = _plan_year(request, plan)
    report = task_report(plan, year)
    return render(
        request,
        "reports/plan_tasks.html",
        {"plan": plan, "report": report, "cards": status_items(report.counts), "year_ignored": year_ignored},
    )
