"""Decimal arithmetic of the method: division, fractional powers and growth in a 40-digit context
(no float is ever involved), rounding half-up."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Context, Decimal

from core.numbers import rounded

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
_CTX = Context(prec=40)


def _div(x: Decimal, y: Decimal | None) -> Decimal | None:
    if y is None or y == 0:
        return None
    return _CTX.divide(x, y)


def _pow(x: Decimal, exponent: Decimal) -> Decimal | None:
    """x ** exponent for positive x via ln/exp (Decimal has no fractional power otherwise)."""
    if x <= 0:
        return None
    try:
        return _CTX.exp(_CTX.multiply(exponent, _CTX.ln(x)))
    except ArithmeticError:  # overflow on absurd inputs: treat as undefined
        return None


def _cagr(start: Decimal | None, end: Decimal | None, years: int) -> Decimal | None:
    """Compound annual growth (end/start)^(1/years) − 1; None when undefined."""
    if years <= 0 or start is None or end is None or start <= 0 or end <= 0:
        return None
    root = _pow(_CTX.divide(end, start), _CTX.divide(ONE, Decimal(years)))
    return None if root is None else _CTX.subtract(root, ONE)


def _round(x: Decimal | None, places: int) -> Decimal | None:
    return None if x is None else rounded(x, places)


def _product(factors: Iterable[Decimal]) -> Decimal:
    result = ONE
    for factor in factors:
        result = _CTX.multiply(result, factor)
    return result


def _inverted(down: bool, floor: Decimal) -> bool:
    """Whether a smaller realised/floor ratio is the better one: a ceiling on growth
    (年均增长控制在5%以内) or a floor below zero; not a growth floor or a decline target."""
    return floor != 0 and (floor > 0) == down
