"""Text a spreadsheet never runs as a formula: one rule for every file the app writes.

Excel, WPS and LibreOffice take a cell starting with ``= + - @`` for a formula, and a CSV field
starting with a tab or carriage return can hide one (OWASP "CSV injection").  Workbooks keep such
text as a string cell with a quote prefix
(``is_formula_like``); CSV fields get a leading apostrophe (``csv_safe``). A plain number with
its sign (``-3.5``, ``+2``) is no formula and stays a number: a spreadsheet only negates it.
"""
from __future__ import annotations

import re

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")  # ASCII digits only, nothing after them


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could take ``text`` for a formula (a signed plain number is not)."""
    return text.startswith(FORMULA_PREFIXES) and PLAIN_NUMBER.fullmatch(text) is None


def cell_text(value: object) -> str:
    """A cell's text: None is empty, anything else its ``str``."""
    return "" if value is None else str(value)


def csv_safe(value: object) -> str:
    """Text for a CSV field that a spreadsheet opens as text: "=1+1" → "'=1+1"."""
    text = cell_text(value)
    return "'" + text if is_formula_like(text) else text
