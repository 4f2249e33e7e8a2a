"""The completeness report: which organizations have reported a plan's year, by state."""
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans.models import Plan

from ..choices import State
from ..models import IndicatorValue, Project

STATES = [State.DRAFT, State.SUBMITTED, State.RETURNED, State.APPROVED]



@dataclass
class CompletenessRow:
    organization_id: int | None
    organization_name: str
    total: int
    counts: dict[str, int]

    @property
    def not_reported(self) -> int:
        return self.total - sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.not_reported] + [self.counts[s] for s in STATES]

    @property
    def reported_percent(self) -> int:
        return _percent(self.counts[State.SUBMITTED] + self.counts[State.APPROVED], self.total)

    @property
    def approved_percent(self) -> int:
        return _percent(self.counts[State.APPROVED], self.total)

    @property
    def open_count(self) -> int:
        """What a lock would freeze unreported or unreviewed: not entered, draft, returned, submitted."""
        return self.total - self.counts[State.APPROVED]


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass
class Completeness:
    indicators: list[CompletenessRow]
    projects: list[CompletenessRow]
    detail: dict[str, list[Indicator]] = field(default_factory=dict)

    @property
    def total(self) -> CompletenessRow:
        rows = self.indicators
        counts = {s: sum(r.counts[s] for r in rows) for s in STATES}
        return CompletenessRow(None, _("合计"), sum(r.total for r in rows), counts)

    @property
    def unfinished_organizations(self) -> list[CompletenessRow]:
        """The organizations with indicator values not yet submitted (not entered, draft or returned)."""
        return [r for r in self.indicators if r.not_reported + r.counts[State.DRAFT] + r.counts[State.RETURNED]]

    @property
    def is_finished(self) -> bool:
        """Every indicator value and project progress of the year approved."""
        return not any(r.open_count for r in self.indicators + self.projects)


def completeness(plan: Plan, year: int) -> Completeness:
    """Counts by state per organization for the plan's indicators and projects, and each indicator's state."""
    return Completeness(
        indicators=_count_rows(Indicator.objects.filter(plan=plan), "values", year),
        projects=_count_rows(Project.objects.filter(plan=plan), "progress", year),
        detail=_indicator_states(plan, year),
    )


def _count_rows(queryset, relation: str, year: int) -> list[CompletenessRow]:
    this_year = {f"{relation}__year": year}
    by_state = {s.value: Count(relation, filter=Q(**this_year, **{f"{relation}__state": s})) for s in STATES}
    rows = (
        queryset.values("organization_id", "organization__name")
        .annotate(total=Count("id", distinct=True), **by_state)
        .order_by("organization__name")
    )
    return [
        CompletenessRow(
            r["organization_id"],
            r["organization__name"] or _("未指定责任单位"),
            r["total"],
            {s.value: r[s.value] for s in STATES},
        )
        for r in rows
    ]


def _indicator_states(plan: Plan, year: int) -> dict[str, list[Indicator]]:
    this_year = IndicatorValue.objects.filter(indicator=OuterRef("pk"), year=year)
    indicators = (
        Indicator.objects.filter(plan=plan)
        .select_related("organization")
        .annotate(state=Subquery(this_year.values("state")[:1]))
        .order_by("organization__name", "number")
    )
    detail = defaultdict(list)
    for indicator in indicators:
        detail[str(indicator.organization or _("未指定责任单位"))].append(indicator)
    return dict(detail)
