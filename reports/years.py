"""Which years a report may be asked for (pure): a year is written as digits and lies within
``FIRST_YEAR``–``LAST_YEAR`` (every plan's period lies there; a smallint column holds it), and for a
plan with a period, within it. Pages, downloads and commands check a year here before any query."""

from __future__ import annotations

import re
from datetime import date

FIRST_YEAR, LAST_YEAR = 1949, 2100
_DIGITS = re.compile(r"[0-9]{1,4}")


def parse_year(text: str) -> int | None:
    """The year `text` names, or None when it is malformed or implausible ("0", "99999", "2x")."""
    text = text.strip()
    if not _DIGITS.fullmatch(text):
        return None
    year = int(text)
    return year if is_plausible(year) else None


def is_plausible(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def default_workbook_year(today: date) -> int:
    """The year a workbook of many plans covers when none is asked for: the last full year."""
    return today.year - 1
