"""``{% load number_text %}`` ``{{ value|number_text }}``: numbers on pages as core.numbers writes them
everywhere else (``500.0000`` → ``500``, ``1.6500`` → ``1.65``, never ``5E+2``); ``"" `` for None.

The filter lives in plans, the lowest app whose pages show numbers, so every app's templates can load it.
"""
from decimal import Decimal, InvalidOperation

from django import template

from core import numbers

register = template.Library()


@register.filter
def number_text(value, places=None):
    """The number as people write it, rounded half-up to `places` decimals when given; anything
    that is not a number is shown as it is."""
    if isinstance(value, float):
        value = Decimal(repr(value))  # 0.1, not 0.1000000000000000055511151231257827
    try:
        return numbers.number_text(value, None if places in (None, "") else int(places))
    except (InvalidOperation, TypeError, ValueError):
        return value
