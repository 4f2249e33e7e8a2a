"""The one validation of a value before review: check_value with the indicator's kind, the previous
reference and the configured jump limit. Every path calls this, never check_value directly."""
from decimal import Decimal

from django.conf import settings

from ..reference import Reference
from ..validation import check_value, range_problems


def outlier_percent() -> Decimal:
    return Decimal(str(settings.GUIHUA_OUTLIER_PERCENT))


def value_problems(indicator, year: int, value: Decimal, note: str, reference: Reference | None) -> list:
    """The FieldMessages that stop the value from going to review (empty: it may go)."""
    return check_value(
        value, is_share=indicator.is_share, is_rank=indicator.is_rank, year=year, reference=reference,
        note=note, outlier_percent=outlier_percent(),
    )


def value_range_problems(indicator, value: Decimal) -> list:
    """The checks every save runs, a draft's too: the range the indicator's kind allows (share 0–100,
    rank a positive integer). The jump-needs-a-note check waits for submit (value_problems)."""
    return range_problems(value, is_share=indicator.is_share, is_rank=indicator.is_rank)
