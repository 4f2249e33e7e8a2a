"""What the review queue reads: the submitted values and progress records a reviewer reviews."""
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from core.numbers import number_text
from accounts import permissions

from ..choices import State
from ..models import IndicatorValue, ProjectProgress
from ..reference import Reference
from ..validation import percent_change, reference_label
from .reference import reference_for


@dataclass
class ReviewValue:
    record: IndicatorValue
    reference: Reference | None  # what the value is compared with (projects.reference)

    @property
    def value_shown(self) -> str:
        return number_text(self.record.value)

    @property
    def previous_shown(self) -> str:
        return number_text(self.reference.value) if self.reference else ""

    @property
    def reference_label(self) -> str:
        return reference_label(self.reference, self.record.year) if self.reference else ""

    @property
    def change_shown(self) -> str:
        if self.reference is None:
            return ""
        change = number_text(self.record.value - self.reference.value)
        return change if change.startswith("-") else f"+{change}"

    @property
    def change_percent(self) -> str:
        change = percent_change(self.reference.value if self.reference else None, self.record.value)
        if change is None:
            return ""
        return "∞" if change.is_infinite() else f"{change:+.1f}%"


@dataclass
class ReviewProgress:
    record: ProjectProgress

    @property
    def investment_shown(self) -> str:
        return number_text(self.record.investment)


def review_queue(user) -> tuple[list[ReviewValue], list[ReviewProgress]]:
    """The submitted values and progress records the user reviews, oldest plans first."""
    org_ids = permissions.reviewer_organization_ids(user)
    earlier = IndicatorValue.objects.filter(
        indicator=OuterRef("indicator"), year__lt=OuterRef("year"), state=State.APPROVED
    ).order_by("-year")
    values = (
        IndicatorValue.objects.filter(state=State.SUBMITTED)
        .select_related("indicator__plan", "indicator__organization", "submitted_by")
        .annotate(
            previous_value=Subquery(earlier.values("value")[:1]), previous_year=Subquery(earlier.values("year")[:1])
        )
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
    return [ReviewValue(v, _reference(v)) for v in values], [ReviewProgress(p) for p in progress]


def _reference(value: IndicatorValue) -> Reference | None:
    """The rule of projects.reference, with the latest earlier approved value the query annotated."""
    approved = {value.previous_year: value.previous_value} if value.previous_year else {}
    return reference_for(value.indicator, value.year, approved)
