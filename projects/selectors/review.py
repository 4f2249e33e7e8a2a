"""What the review queue reads: the submitted values and progress records a reviewer reviews."""
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from accounts import permissions

from ..choices import State
from ..models import IndicatorValue, ProjectProgress
from ..validation import format_decimal, percent_change
from .entry import previous_value



@dataclass
class ReviewValue:
    record: IndicatorValue
    previous: Decimal | None

    @property
    def value_shown(self) -> str:
        return format_decimal(self.record.value)

    @property
    def previous_shown(self) -> str:
        return format_decimal(self.previous)

    @property
    def change_shown(self) -> str:
        if self.previous is None:
            return ""
        change = format_decimal(self.record.value - self.previous)
        return change if change.startswith("-") else f"+{change}"

    @property
    def change_percent(self) -> str:
        change = percent_change(self.previous, self.record.value)
        if change is None:
            return ""
        return "∞" if change.is_infinite() else f"{change:+.1f}%"


@dataclass
class ReviewProgress:
    record: ProjectProgress

    @property
    def investment_shown(self) -> str:
        return format_decimal(self.record.investment)


def review_queue(user) -> tuple[list[ReviewValue], list[ReviewProgress]]:
    """The submitted values and progress records the user reviews, oldest plans first."""
    org_ids = permissions.reviewer_organization_ids(user)
    earlier = IndicatorValue.objects.filter(
        indicator=OuterRef("indicator"), year__lt=OuterRef("year"), state=State.APPROVED
    ).order_by("-year")
    values = (
        IndicatorValue.objects.filter(state=State.SUBMITTED)
        .select_related("indicator__plan", "indicator__organization", "submitted_by")
        .annotate(previous_approved=Subquery(earlier.values("value")[:1]))
        .order_by("indicator__plan__code", "year", "indicator__number")
    )
    progress = (
        ProjectProgress.objects.filter(state=State.SUBMITTED)
        .select_related("project__plan", "project__organization", "submitted_by")
        .order_by("project__plan__code", "year", "project__position", "project_id")
    )
    if org_ids is not None:
        values = values.filter(indicator__organization_id__in=org_ids)
        progress = progress.filter(project__organization_id__in=org_ids)
    return [ReviewValue(v, _previous_for_review(v)) for v in values], [ReviewProgress(p) for p in progress]


def _previous_for_review(value: IndicatorValue) -> Decimal | None:
    if value.previous_approved is not None:
        return value.previous_approved
    return previous_value(value.indicator, value.year, {})
