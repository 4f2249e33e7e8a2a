"""Which years a report may be asked for: the rule is core.years, shared with the monitoring writes."""
from core.years import FIRST_YEAR, LAST_YEAR, is_plausible, parse_year

__all__ = ["FIRST_YEAR", "LAST_YEAR", "is_plausible", "parse_year"]
