"""One number grammar and one Decimal-to-text rule.

Reading: ``read_number`` accepts what people type or plans print — ``1234.5``, ``1,234.5``
(thousands separators only in groups of three), ``+2``, ``-0.5``, ``.5``, ``5.``, full-width
digits and signs (``１．６５``, ``－２``), the minus signs Word and WPS paste (U+2212, U+FE63),
a trailing ``%`` or ``‰`` (reported beside the number, so callers decide whether it is allowed),
and, when asked, small Chinese numerals (``十五``, ``一百零五``).  It refuses exponents, NaN,
Infinity, digits of other scripts and numbers of more than 20 significant digits.

Writing: ``number_text`` writes a Decimal as people write it — positional notation, never an
exponent, without the zeros a database column pads with (``1.6500`` → ``1.65``, ``500.0000`` →
``500``, ``1E+3`` → ``1000``), and without thousands separators anywhere: the same text is read
on pages, in explanations, in CSV/JSON and typed back into forms, and a separator would make it
ambiguous in CSV and in the value grammar of other locales.  With ``places`` a computed number is
rounded half-up first (``0.42857`` with 2 → ``0.43``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

MAX_SIGNIFICANT_DIGITS = 20
MAX_TEXT_LENGTH = 200

# Full-width ASCII (！…～ → ! … ~), the ideographic space, and pasted minus signs.
_TO_ASCII = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TO_ASCII.update({0x3000: " ", 0x2212: "-", 0xFE63: "-", 0xFE6A: "%"})
_NUMBER = re.compile(r"[-+]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)", re.ASCII)
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS)
_CN_NUMERAL = re.compile(f"[{CN_NUMERAL_CHARS}]{{1,8}}")
_SUFFIXES = ("%", "‰")


@dataclass(frozen=True)
class Number:
    """A number read from text, with the percent or per-mille sign that followed it ("" if none)."""

    value: Decimal
    suffix: str = ""


def read_number(text: object, *, chinese: bool = False) -> Number | None:
    """The number ``text`` spells, or None when it spells anything else (see the module docstring)."""
    if not isinstance(text, str) or len(text) > MAX_TEXT_LENGTH:
        return None
    s = text.translate(_TO_ASCII).strip()
    suffix = s[-1:] if s[-1:] in _SUFFIXES else ""
    s = s[: len(s) - len(suffix)].rstrip()
    if _NUMBER.fullmatch(s):
        return _digits_number(s, suffix)
    if chinese and _CN_NUMERAL.fullmatch(s):
        n = _cn_int(s)
        return None if n is None else Number(Decimal(n), suffix)
    return None


def parse_decimal(text: object, *, chinese: bool = False) -> Decimal | None:
    """The value of ``read_number`` without its sign of percent; None when text is no number."""
    number = read_number(text, chinese=chinese)
    return None if number is None else number.value


def _digits_number(s: str, suffix: str) -> Number | None:
    if len(re.sub(r"\D", "", s).lstrip("0")) > MAX_SIGNIFICANT_DIGITS:
        return None
    return Number(Decimal(s.replace(",", "")), suffix)


def _cn_int(s: str) -> int | None:
    """Small Chinese numerals: "三" → 3, "十五" → 15, "一百零五" → 105; None if malformed ("三三")."""
    total, digit, last_unit = 0, None, 10_000
    for ch in s:
        if ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            if digit:  # two digits in a row, e.g. "三三" (零 may precede a digit)
                return None
            digit = _CN_DIGITS[ch]
    return total + (digit or 0)


def trimmed(value: Decimal | None) -> Decimal | None:
    """The same number without padding zeros or an exponent: 2.2000 → 2.2, 100.0000 → 100 (not 1E+2)."""
    if value is None or not value.is_finite():
        return value
    value = value.normalize()
    if value.as_tuple().exponent > 0:
        value = value.quantize(Decimal(1))
    return value + 0 if value.is_zero() else value  # -0 → 0


def rounded(value: Decimal, places: int) -> Decimal:
    """``value`` rounded half-up to ``places`` decimals, whatever its size."""
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + places + 2)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number_text(value: Decimal | int | None, places: int | None = None) -> str:
    """A number as people write it: "1.65", "500", "1000", "-0.5"; "" for None (see module docstring)."""
    if value is None:
        return ""
    value = Decimal(value)
    if not value.is_finite():
        return str(value)
    if places is not None:
        value = rounded(value, places)
    return format(trimmed(value), "f")


def optional_text(value: Decimal | None, places: int | None = None) -> str | None:
    """``number_text`` for machine-readable output (JSON): None stays None."""
    return None if value is None else number_text(value, places)
