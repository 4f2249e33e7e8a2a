"""What the previous-reference rule (projects.reference) needs from the database, in one query."""
from collections import defaultdict
from decimal import Decimal

from indicators.models import Indicator

from ..choices import State
from ..models import IndicatorValue
from ..reference import Reference, previous_reference


def approved_values(indicator_ids, *, before: int | None = None) -> dict[int, dict[int, Decimal]]:
    """Approved values by indicator and year (of years before `before`, when given)."""
    rows = IndicatorValue.objects.filter(indicator_id__in=set(indicator_ids), state=State.APPROVED)
    if before is not None:
        rows = rows.filter(year__lt=before)
    approved = defaultdict(dict)
    for indicator_id, year, value in rows.values_list("indicator_id", "year", "value"):
        approved[indicator_id][year] = value
    return approved


def reference_for(indicator: Indicator, year: int, approved: dict[int, Decimal]) -> Reference | None:
    """The rule applied to an indicator, given its approved values by year."""
    return previous_reference(year, approved, indicator.baseline_year, indicator.baseline_value)


def references(indicators, year: int) -> dict[int, Reference | None]:
    """Each indicator's reference for a value of `year`, by indicator pk."""
    indicators = list(indicators)
    approved = approved_values([i.pk for i in indicators], before=year)
    return {i.pk: reference_for(i, year, approved.get(i.pk, {})) for i in indicators}
