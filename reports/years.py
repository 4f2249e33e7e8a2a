"""Which years a report may be asked for: the rule is core.years, shared with the monitoring writes."""
from datetime import date

from core.years import FIRST_YEAR, LAST_YEAR, is_plausible, parse_year

__all__ = ["FIRST_YEAR", "LAST_YEAR", "default_workbook_year", "is_plausible", "parse_year"]


def default_workbook_year(today: date) -> int:
    """The year a workbook of many plans covers when none is asked for: the last full year."""
    return today.year - 1
