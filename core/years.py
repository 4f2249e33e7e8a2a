"""Which years make sense at all (pure): a year is written as digits and lies within
``FIRST_YEAR``–``LAST_YEAR`` (every plan's period lies there; a smallint column holds it), and for a
plan with a period, within it. Pages, downloads and commands check a year here before any query, and
the monitoring writes before a value or a reporting year reaches the database (projects.periods)."""

from __future__ import annotations

import re

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
