"""The read side of every report: plans, their indicators and values, assessed (DESIGN.md §4, §6).

Each function runs a constant number of queries whatever the number of indicators or years:
the indicators in one query and their values in one more (plain tuples, see ``ValueRecord``).
Only approved values count unless ``include_unapproved`` is set; then submitted and draft values
are added and marked as preliminary, restricted to those a ``scope`` covers when one is given
(``accounts.visibility``: every view passes the visitor's; None, for commands, means all of them).
Returned values never count: a reviewer has rejected them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext

from accounts.visibility import Scope, visible_values
from core.numbers import trimmed
from indicators.models import Concept, Indicator
from plans.models import Plan
from plans.selectors import SectionNode, section_tree
from projects.choices import ProgressStatus, State
from projects.models import IndicatorValue, Project, ProjectProgress

from .assessment import Assessment, IndicatorInput, Verdict, assess, assess_series
from .stored import AssessmentStore

PRELIMINARY_STATES = (State.SUBMITTED, State.DRAFT)
VERDICT_ORDER = {verdict.value: rank for rank, verdict in enumerate(Verdict)}
VERDICT_CODES = tuple(verdict.value for verdict in Verdict)
DEFERRED_FIELDS = ("source_quote", "definition")  # long texts no report shows
_VALUE_FIELDS = ("id", "indicator_id", "year", "value", "state", "is_demo")


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    values: dict[int, Decimal]  # year → value used
    preliminary_years: frozenset[int]  # years whose value is not approved (only when include_unapproved)
    assessment: Assessment
    demo_years: frozenset[int] = frozenset()  # years whose value is demo data

    @property
    def is_preliminary(self) -> bool:
        """The assessed value itself is not approved yet."""
        return self.assessment.value_year in self.preliminary_years

    @property
    def verdict_rank(self) -> int:
        """Sort key: achieved first, not assessable last (the order of ``Verdict``)."""
        return VERDICT_ORDER[self.assessment.verdict.value]

    def approved_values(self) -> dict[int, Decimal]:
        return {y: v for y, v in self.values.items() if y not in self.preliminary_years}


@dataclass(frozen=True)
class PlanReport:
    plan: Plan
    year: int | None
    rows: list[IndicatorRow]
    years: list[int]
    counts: dict[str, int]  # verdict code → count, every code present
    warnings: int  # binding indicators with a warning
    completeness: Decimal | None  # share (0–1) of indicators with an approved value for `year`
    include_unapproved: bool = False
    has_demo: bool = False  # some value shown is demo data
    tolerance: Decimal = field(default=Decimal("0.05"))
    scope: Scope | None = None  # whose unapproved values count (include_unapproved only; None: all)

    @property
    def preliminary_count(self) -> int:
        return sum(1 for row in self.rows if row.preliminary_years)


# ---------------------------------------------------------------------------- building blocks


def default_tolerance() -> Decimal:
    return Decimal(str(settings.GUIHUA_TOLERANCE))


def indicator_input(indicator: Indicator, values: Mapping[int, Decimal]) -> IndicatorInput:
    """The pure assessment's input for one indicator; the plan supplies the period's start and end.

    Numbers lose the database's padding zeros so explanations read "2.2", not "2.2000".
    """
    plan = indicator.plan
    return IndicatorInput(
        target=indicator.target,
        target_year=indicator.target_year or plan.end_year,
        baseline_year=indicator.baseline_year,
        baseline_value=trimmed(indicator.baseline_value),
        attribute=indicator.attribute,
        direction=indicator.direction,
        aggregation=indicator.aggregation,
        start_year=plan.start_year,
        values={year: trimmed(value) for year, value in values.items()},
        unit=indicator.unit,
    )


def _states(include_unapproved: bool) -> tuple[str, ...]:
    return (State.APPROVED, *PRELIMINARY_STATES) if include_unapproved else (State.APPROVED,)


class ValueRecord(NamedTuple):
    """A counted value as reports read it: a plain tuple, not a model instance (building 900,000
    ``IndicatorValue`` objects, each with its init signals, cost more than assessing them)."""

    id: int
    indicator_id: int
    year: int
    value: Decimal
    state: str
    is_demo: bool


def attach_values(
    indicators: list[Indicator], include_unapproved: bool, scope: Scope | None = None
) -> list[Indicator]:
    """Give each indicator its counted values, oldest first, as ``report_values`` (one query);
    unapproved ones only within `scope` when given."""
    by_indicator: dict[int, list[ValueRecord]] = {indicator.pk: [] for indicator in indicators}
    if by_indicator:
        values = IndicatorValue.objects.filter(indicator_id__in=list(by_indicator), state__in=_states(include_unapproved))
        if include_unapproved and scope is not None:
            values = visible_values(scope, values)
        rows = values.order_by("indicator_id", "year").values_list(*_VALUE_FIELDS)
        for row in rows:
            by_indicator[row[1]].append(ValueRecord._make(row))
    for indicator in indicators:
        indicator.report_values = by_indicator[indicator.pk]
    return indicators


def _indicators(plan_ids: list[int], include_unapproved: bool, scope: Scope | None = None) -> list[Indicator]:
    """The plans' indicators with their values: two queries for any number of plans."""
    indicators = Indicator.objects.filter(plan_id__in=plan_ids).defer(*DEFERRED_FIELDS)
    return attach_values(list(indicators.order_by("plan_id", "number")), include_unapproved, scope)


def period_years(plan: Plan, data_years: Iterable[int]) -> list[int]:
    """The plan's reporting years; a plan without a start year uses the years it has data for."""
    return plan.years() or sorted(set(data_years))


def default_year(plan: Plan, years: list[int], data_years: set[int]) -> int | None:
    """The latest year of the period with data, else the period's first year."""
    in_period = data_years & set(years)
    if in_period:
        return max(in_period)
    return plan.start_year or (years[0] if years else None)


# ---------------------------------------------------------------------------- plan reports


def indicator_row(
    indicator: Indicator, year: int | None, tolerance: Decimal, store: AssessmentStore | None = None
) -> IndicatorRow:
    """The indicator assessed as of `year`; with a `store`, its stored assessment when current, else
    assessed live (nothing is written: ``services.assessments_refresh`` stores)."""
    records = indicator.report_values
    values = {r.year: trimmed(r.value) for r in records}
    preliminary = frozenset(r.year for r in records if r.state != State.APPROVED)
    demo = frozenset(r.year for r in records if r.is_demo)
    assessment = store.get(indicator, year) if store is not None and year is not None else None
    if assessment is None:
        inputs = indicator_input(indicator, values)
        assessment = assess(inputs, year if year is not None else _fallback_year(inputs), tolerance)
    return IndicatorRow(indicator, values, preliminary, assessment, demo)


def _fallback_year(inputs: IndicatorInput) -> int:
    """An undated plan without data still needs a year to say 无数据 for."""
    from django.utils import timezone

    return inputs.target_year or timezone.localdate().year


def _counts(rows: list[IndicatorRow]) -> dict[str, int]:
    counts = dict.fromkeys(VERDICT_CODES, 0)
    for row in rows:
        counts[row.assessment.verdict.value] += 1
    return counts


def _completeness(rows: list[IndicatorRow], year: int | None) -> Decimal | None:
    if not rows or year is None:
        return None
    reported = sum(1 for row in rows if year in row.values and year not in row.preliminary_years)
    return Decimal(reported) / Decimal(len(rows))


def _report_year(plan: Plan, indicators: list[Indicator], year: int | None) -> int | None:
    """The year asked for, else the plan's default year (see ``default_year``)."""
    if year is not None:
        return year
    data_years = {r.year for ind in indicators for r in ind.report_values}
    return default_year(plan, period_years(plan, data_years), data_years)


def _build_report(plan, indicators, year, include_unapproved, tolerance, store=None, scope=None) -> PlanReport:
    data_years = {r.year for ind in indicators for r in ind.report_values}
    years = period_years(plan, data_years)
    if year is None:
        year = default_year(plan, years, data_years)
    rows = [indicator_row(indicator, year, tolerance, store) for indicator in indicators]
    return PlanReport(
        plan=plan, year=year, rows=rows, years=years, counts=_counts(rows),
        warnings=sum(1 for row in rows if row.assessment.warning),
        completeness=_completeness(rows, year), include_unapproved=include_unapproved,
        has_demo=any(row.demo_years for row in rows), tolerance=tolerance,
        scope=scope if include_unapproved else None,
    )  # fmt: skip


def latest_year_with_data(plan: Plan, *, include_unapproved: bool = False, scope: Scope | None = None) -> int | None:
    """The latest year of the plan's period with a counted value (one query)."""
    values = IndicatorValue.objects.filter(indicator__plan=plan, state__in=_states(include_unapproved))
    if include_unapproved and scope is not None:
        values = visible_values(scope, values)
    if plan.start_year:
        values = values.filter(year__gte=plan.start_year)
    if plan.end_year:
        values = values.filter(year__lte=plan.end_year)
    return values.order_by("-year").values_list("year", flat=True).first()


def plan_report(
    plan: Plan, year: int | None = None, *, include_unapproved: bool = False, tolerance=None,
    scope: Scope | None = None,
) -> PlanReport:  # fmt: skip
    """One plan assessed as of `year` (None → latest year with data, else the plan's start year)."""
    tolerance = default_tolerance() if tolerance is None else Decimal(str(tolerance))
    indicators = list(_indicators([plan.pk], include_unapproved, scope))
    for indicator in indicators:
        indicator.plan = plan  # already loaded: no query per indicator
    return _build_report(plan, indicators, year, include_unapproved, tolerance, scope=scope)


def plan_reports(
    plans: Iterable[Plan] | QuerySet,
    year: int | None,
    *,
    include_unapproved: bool = False,
    batch_size: int = 200,
    scope: Scope | None = None,
) -> Iterator[PlanReport]:
    """Reports for many plans, three queries per batch, one report at a time (memory stays flat).

    Approved-only assessments come from the stored ones where current (``stored.py``), the others
    are assessed live; nothing is written.
    """
    tolerance = default_tolerance()
    source = plans.iterator(chunk_size=batch_size) if isinstance(plans, QuerySet) else plans
    for batch in batched(source, batch_size):
        by_plan: dict[int, list[Indicator]] = {plan.pk: [] for plan in batch}
        for indicator in _indicators(list(by_plan), include_unapproved, scope):
            by_plan[indicator.plan_id].append(indicator)
        store = None if include_unapproved else AssessmentStore(tolerance)
        years = {}
        for plan in batch:
            for indicator in by_plan[plan.pk]:
                indicator.plan = plan
            years[plan.pk] = _report_year(plan, by_plan[plan.pk], year)
        if store is not None:
            store.load({plan_id: y for plan_id, y in years.items() if y is not None})
        for plan in batch:
            yield _build_report(
                plan, by_plan.pop(plan.pk), years[plan.pk], include_unapproved, tolerance, store, scope
            )


def verdict_matrix(
    report: PlanReport, years: Iterable[int] | None = None
) -> dict[int, dict[int, Assessment]]:
    """Indicator id → year → assessment, for the heatmap (years up to the report's year by default)."""
    if years is None:
        years = [y for y in report.years if report.year is None or y <= report.year]
    years = list(years)
    return {
        row.indicator.pk: assess_series(indicator_input(row.indicator, row.values), years, report.tolerance)
        for row in report.rows
    }


# ---------------------------------------------------------------------------- concepts


def concept_list() -> QuerySet[Concept]:
    return Concept.objects.annotate(
        indicator_count=Count("indicators", distinct=True),
        plan_count=Count("indicators__plan", distinct=True),
    ).order_by("name")


def concept_rows(concept: Concept, *, include_unapproved: bool = False) -> list[IndicatorRow]:
    """Every plan's indicator for one concept, each assessed at its latest year with data (two queries)."""
    indicators = (
        concept.indicators.select_related("plan", "plan__region")
        .defer("source_quote", "definition")
        .order_by("plan__start_year", "plan__code", "number")
    )
    indicators = attach_values(list(indicators), include_unapproved)
    tolerance = default_tolerance()
    rows = []
    for indicator in indicators:
        years = {r.year for r in indicator.report_values}
        plan_years = period_years(indicator.plan, years)
        rows.append(indicator_row(indicator, default_year(indicator.plan, plan_years, years), tolerance))
    return rows


# ---------------------------------------------------------------------------- task progress


@dataclass
class TaskNode:
    """A section with the key projects placed in it and the status counts of its whole subtree."""

    section: object
    projects: list[tuple[Project, ProjectProgress | None]]
    children: list[TaskNode]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def count_items(self) -> list[tuple[str, str, int]]:
        return [item for item in status_items(self.counts) if item[2]]


@dataclass(frozen=True)
class TaskReport:
    plan: Plan
    year: int | None
    years: list[int]
    nodes: list[TaskNode]  # only the sections whose subtree holds a key project
    unplaced: list[tuple[Project, ProjectProgress | None]]  # projects without a section
    counts: dict[str, int]  # status code (or "unreported") → count
    has_demo: bool = False  # some status shown is demo data


UNREPORTED = "unreported"


def status_items(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(code, label, count) in the order of ``ProgressStatus``, then 未填报."""
    labels = dict(ProgressStatus.choices) | {UNREPORTED: gettext("未填报")}
    return [(code, str(labels[code]), count) for code, count in counts.items()]


def _status_counts(entries) -> dict[str, int]:
    counts = {status.value: 0 for status in ProgressStatus} | {UNREPORTED: 0}
    for _project, progress in entries:
        counts[progress.status if progress else UNREPORTED] += 1
    return counts


def _latest_progress(project: Project, year: int | None) -> ProjectProgress | None:
    eligible = [p for p in project.approved_progress if year is None or p.year <= year]
    return eligible[-1] if eligible else None


def _task_node(node: SectionNode, placed: dict) -> TaskNode | None:
    children = [child for child in (_task_node(c, placed) for c in node.children) if child]
    own = placed.get(node.section.pk, [])
    if not own and not children:
        return None
    counts = _status_counts(own)
    for child in children:
        for status, count in child.counts.items():
            counts[status] += count
    return TaskNode(node.section, own, children, counts)


def task_report(plan: Plan, year: int | None = None) -> TaskReport:
    """The plan's hierarchy with each key project's latest approved status up to `year` (three queries)."""
    progress = ProjectProgress.objects.filter(state=State.APPROVED).order_by("year")
    projects = list(
        plan.projects.select_related("organization").prefetch_related(
            Prefetch("progress", queryset=progress, to_attr="approved_progress")
        )
    )
    data_years = {p.year for project in projects for p in project.approved_progress}
    years = period_years(plan, data_years)
    if year is None:
        year = default_year(plan, years, data_years)
    placed: dict[int | None, list] = {}
    for project in projects:
        placed.setdefault(project.section_id, []).append((project, _latest_progress(project, year)))
    nodes = [n for n in (_task_node(root, placed) for root in section_tree(plan)) if n]
    entries = [entry for group in placed.values() for entry in group]
    has_demo = any(progress is not None and progress.is_demo for _project, progress in entries)
    return TaskReport(plan, year, years, nodes, placed.get(None, []), _status_counts(entries), has_demo)


def batched(iterable, size: int):
    """itertools.batched, which Python 3.11 lacks."""
    iterator = iter(iterable)
    while batch := tuple(islice(iterator, size)):
        yield batch
