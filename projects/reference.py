"""The previous reference of a reported value: the latest earlier approved value, else the baseline.

One rule, written once. Pure: plain years and Decimals in, a Reference out. The entry page, the
Excel template, the import, the review queue and the jump check all use it (through
selectors.reference for what it needs from the database).
"""
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Reference:
    """The value a new one is compared with, the year it is of, and whether it is the baseline."""

    value: Decimal
    year: int
    is_baseline: bool = False

    def gap(self, year: int) -> int:
        """How many years lie between the reference and a value of `year`."""
        return year - self.year


def previous_reference(
    year: int, approved: dict[int, Decimal], baseline_year: int | None, baseline_value: Decimal | None
) -> Reference | None:
    """The latest approved value of a year before `year`, else the baseline if it is earlier."""
    earlier = [y for y in approved if y < year and approved[y] is not None]
    if earlier:
        latest = max(earlier)
        return Reference(approved[latest], latest)
    if baseline_year is not None and baseline_value is not None and baseline_year < year:
        return Reference(baseline_value, baseline_year, is_baseline=True)
    return None
