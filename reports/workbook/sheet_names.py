"""Sheet names Excel accepts, unique within a workbook."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import count

from django.utils.translation import gettext as _

from .cells import safe_text


def summary_title() -> str:
    """The summary sheet's name in the active language (汇总 / Summary)."""
    return _("汇总")


def task_suffix() -> str:
    """What a plan's key-project sheet adds to the plan's sheet name (-任务 / -Tasks)."""
    return _("-任务")

MAX_SHEET_NAME = 31
FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
RESERVED_SHEET_NAMES = {"history"}  # Excel refuses it


class SheetNames:
    """Unique sheet names that Excel accepts: at most 31 characters, none of []:*?/\\, no quote at the ends."""

    def __init__(self, reserved: Iterable[str] = ()):
        self._taken = {name.casefold() for name in reserved} | RESERVED_SHEET_NAMES

    def claim(self, name: str, suffix: str = "") -> str:
        base = _clean_sheet_name(name)
        for n in count(1):
            mark = suffix + ("" if n == 1 else f"({n})")
            candidate = _truncate_utf16(base, MAX_SHEET_NAME - _utf16_len(mark)) + mark
            if candidate.casefold() not in self._taken:
                self._taken.add(candidate.casefold())
                return candidate
        raise AssertionError("unreachable")


def _clean_sheet_name(name: str) -> str:
    cleaned = FORBIDDEN_IN_SHEET_NAME.sub("_", safe_text(name))
    cleaned = re.sub(r"\s+", " ", cleaned).strip().strip("'").strip()
    return cleaned or _("规划")


def _utf16_len(text: str) -> int:
    """Excel counts UTF-16 code units: a character outside the BMP counts two."""
    return len(text.encode("utf-16-le")) // 2


def _truncate_utf16(text: str, limit: int) -> str:
    while _utf16_len(text) > limit:
        text = text[:-1]
    return text

