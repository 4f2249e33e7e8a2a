"""The one validation of a value before review: check_value with the indicator's kind, the previous
reference and the configured jump limit. Every path calls this, never check_value directly."""
from decimal import Decimal

from django.conf import settings

from ..reference import Reference
from ..validation import check_value


def outlier_percent() -> Decimal:
    return Decimal(str(settings.GUIHUA_OUTLIER_PERCENT))


def value_problems(indicator, year: int, value: Decimal, note: str, reference: Reference | None) -> list:
    """The FieldMessages that stop the value from going to review (empty: it may go)."""
    return check_value(
        value, is_share=indicator.is_share, is_rank=indicator.is_rank, year=year, reference=reference,
        note=note, outlier_percent=outlier_percent(),
    )
