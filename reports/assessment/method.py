"""The method of DESIGN.md §4 (see the package docstring): ``assess`` resolves an indicator's
inputs and judges a level, growth or cumulative target."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal

from indicators.targets import Target, TargetKind

from .arithmetic import _CTX, HUNDRED, ONE, ZERO, _cagr, _div, _inverted, _pow, _product, _round
from .results import (
    DEFAULT_TOLERANCE, NO_DATA_REASON, WARNING_VERDICTS, Assessment, IndicatorInput, SdgStatus, Trend, Verdict,
    _Facts, _Projection, _Words,
)  # fmt: skip
from .wording import Piece, _empty_explanation, _explain, _places, piece, piece_text, render

_TEXT_KINDS = {TargetKind.QUALITATIVE, TargetKind.RELATIVE}
_HINTED_KINDS = {TargetKind.RANGE, TargetKind.APPROX}  # kinds whose direction the indicator may set


def assess(indicator: IndicatorInput, year: int, tolerance: Decimal = DEFAULT_TOLERANCE) -> Assessment:
    """Assess one indicator as of `year` (see the module docstring for the method)."""
    reason = _static_reason(indicator)
    if reason:
        return _empty(indicator, year, Verdict.NOT_ASSESSABLE, reason)
    if _is_cumulative(indicator):
        return _assess_cumulative(indicator, year, tolerance)
    latest = _latest(indicator.values, year)
    if latest is None:
        return _empty(indicator, year, Verdict.NO_DATA, piece(NO_DATA_REASON))
    facts = _facts(indicator, year, *latest)
    if facts.y < facts.y0:
        reason = piece("仅有基期（%(year)s年）之前的数据", year=facts.y0)
        return _empty(indicator, year, Verdict.NOT_ASSESSABLE, reason, latest)
    if indicator.target.kind == TargetKind.GROWTH:
        if indicator.aggregation == "growth":
            return _assess_rates(indicator, facts, tolerance)
        return _assess_growth(indicator, facts, tolerance)
    return _assess_level(indicator, facts, tolerance)


def assess_series(
    indicator: IndicatorInput, years: Iterable[int], tolerance: Decimal = DEFAULT_TOLERANCE
) -> dict[int, Assessment]:
    """One assessment per year, e.g. for the indicators × years heatmap."""
    return {year: assess(indicator, year, tolerance) for year in years}


def sdg_status(ratio: Decimal | None) -> SdgStatus | None:
    if ratio is None:
        return None
    if ratio >= Decimal("0.95"):
        return SdgStatus.ON_TRACK
    if ratio >= Decimal("0.6"):
        return SdgStatus.ACCELERATE
    return SdgStatus.LIMITED if ratio >= 0 else SdgStatus.DETERIORATION


# ---------------------------------------------------------------------------- resolving inputs


def _static_reason(ind: IndicatorInput) -> Piece | None:
    """Why the indicator cannot be assessed in any year, or None."""
    target = ind.target
    if target.kind in _TEXT_KINDS or not target.is_quantitative:
        template = "目标为相对表述：%(target)s" if target.kind == TargetKind.RELATIVE else "目标为定性表述：%(target)s"
        return piece(template, target=target.text or target.render())
    if ind.target_year is None:
        return piece("未设定目标年份")
    origin = _origin(ind)
    if origin is None:
        return piece("缺少基期年份和规划起始年份")
    if origin >= ind.target_year:
        return piece("基期年份不早于目标年份")
    return _target_reason(ind)


def _target_reason(ind: IndicatorInput) -> Piece | None:
    kind, baseline = ind.target.kind, _baseline(ind)
    if ind.target.headline is None:
        return piece("缺少目标值")
    if kind == TargetKind.GROWTH and ind.target.value <= -HUNDRED:
        return piece("年均增速目标须高于-100%")
    if kind == TargetKind.MULTIPLE and baseline is None:
        return piece("翻番目标缺少基期值")
    if kind == TargetKind.GROWTH and ind.aggregation != "growth":
        if baseline is None:
            return piece("增速目标缺少基期值")
        if baseline <= 0:
            return piece("基期值非正，无法计算年均增速")
    return None


def _is_cumulative(ind: IndicatorInput) -> bool:
    return ind.target.kind == TargetKind.CUMULATIVE or ind.aggregation == "cumulative"


def _start_year(ind: IndicatorInput) -> int | None:
    if ind.start_year is not None:
        return ind.start_year
    return None if ind.baseline_year is None else ind.baseline_year + 1


def _origin(ind: IndicatorInput) -> int | None:
    """y0 of the time share: the baseline year, else (and for sums) the year before the plan starts."""
    if ind.baseline_year is not None and not _is_cumulative(ind):
        return ind.baseline_year
    start = _start_year(ind)
    return None if start is None else start - 1


def _baseline(ind: IndicatorInput) -> Decimal | None:
    """The baseline value, or the value recorded for the baseline year."""
    if ind.baseline_value is not None or ind.baseline_year is None:
        return ind.baseline_value
    return ind.values.get(ind.baseline_year)


def _down(ind: IndicatorInput) -> bool:
    """Lower is better. Target fixes the direction of most kinds (and of growth: a ceiling or a
    decline); a range or approximate value is lower-is-better when the target or indicator says so."""
    if ind.target.kind in _HINTED_KINDS:
        return "down" in (ind.direction, ind.target.direction)
    return ind.target.direction == "down"


def _latest(values: Mapping[int, Decimal], year: int):
    """(year, value) of the latest value at or before `year`, or None."""
    years = [y for y, v in values.items() if v is not None and y <= year]
    return (max(years), values[max(years)]) if years else None


def _facts(ind: IndicatorInput, year: int, value_year: int, value: Decimal) -> _Facts:
    b = _baseline(ind)
    y0 = _origin(ind)
    return _Facts(year, y0, ind.target_year, value_year, value, b, _target_level(ind, b, y0), _down(ind))


def _target_level(ind: IndicatorInput, b: Decimal | None, y0: int) -> Decimal | None:
    """The level the target asks for: headline, twice the baseline, or the growth path's end."""
    kind = ind.target.kind
    if kind == TargetKind.MULTIPLE:
        return ind.target.value * b
    if kind == TargetKind.GROWTH and ind.aggregation != "growth":
        path = _growth_path(b, _floor(ind), ind.target_year - y0)
        return _round(path, _places(b)) if path is not None else None
    return None if kind == TargetKind.GROWTH else ind.target.headline


# ---------------------------------------------------------------------------- level targets


def _assess_level(ind: IndicatorInput, f: _Facts, tol: Decimal) -> Assessment:
    p = _completion(f.a, f)
    verdict, reason = _level_verdict(ind, f, p, tol)
    if verdict == Verdict.NOT_ASSESSABLE:
        return _empty(ind, f.year, verdict, reason, (f.y, f.a))
    trend = _trend(ind, f)
    return _build(ind, f, verdict, p, trend, _required_growth(f), _sdg_ratio(f), _Words())


def _completion(value: Decimal, f: _Facts) -> Decimal | None:
    if f.t is None:
        return None
    if f.b is not None:
        return _div(value - f.b, f.t - f.b)
    return _div(f.t, value) if f.down else _div(value, f.t)


def _level_verdict(ind: IndicatorInput, f: _Facts, p: Decimal | None, tol: Decimal):
    if _met(ind.target, f.a, f.b):
        return Verdict.ACHIEVED, None
    if f.final:
        return Verdict.NOT_ACHIEVED, None
    if f.b is not None and ((p is not None and p < 0) or _met(ind.target, f.b, f.b)):
        return Verdict.REGRESSING, None
    if p is None:
        reason = "基期值等于目标值" if f.b == f.t else "目标值或当前值为0，无法计算完成进度"
        return Verdict.NOT_ASSESSABLE, piece(reason)
    return _pace(p, f.e, tol), None


def _met(target: Target, value: Decimal, baseline: Decimal | None) -> bool:
    return target.is_met(value, baseline) is True


def _pace(p: Decimal, e: Decimal, tol: Decimal, down: bool = False) -> Verdict:
    """Compare completion with the expected share, both as shown (4 dp)."""
    gap = _round(p, 4) - _round(e, 4)
    if down:  # consuming a cap slower than time is good
        gap = -gap
    if gap >= tol:
        return Verdict.AHEAD
    return Verdict.BEHIND if gap <= -tol else Verdict.ON_TRACK


def _trend(ind: IndicatorInput, f: _Facts) -> _Projection:
    """Project the target-year value with the CAGR since the baseline (or the first value)."""
    base = _growth_base(ind, f)
    if f.final or base is None:
        return _Projection()
    g = _cagr(base[1], f.a, f.y - base[0])
    factor = None if g is None else _pow(ONE + g, Decimal(f.y_t - f.y))
    if factor is None:
        return _Projection(base_year=base[0])
    v = f.a * factor
    p = _completion(v, f)
    met = ind.target.kind != TargetKind.GROWTH and _met(ind.target, v, f.b)
    likely = met or (p is not None and p >= ONE)
    return _Projection(base[0], g, v, Trend.LIKELY if likely else Trend.ACCELERATE)


def _growth_base(ind: IndicatorInput, f: _Facts):
    if f.b is not None:
        return f.y0, f.b
    return _earliest(ind.values, f.y0, f.y - 1)


def _earliest(values: Mapping[int, Decimal], first: int, last: int):
    years = [y for y, v in values.items() if v is not None and first <= y <= last]
    return (min(years), values[min(years)]) if years else None


def _sdg_ratio(f: _Facts) -> Decimal | None:
    """Open SDG: CAGR observed since the baseline / CAGR the whole period requires."""
    if f.b is None or f.t is None or f.y <= f.y0:
        return None
    observed = _cagr(f.b, f.a, f.y - f.y0)
    required = _cagr(f.b, f.t, f.y_t - f.y0)
    if observed is None or not required:
        return None
    return observed / required


def _required_growth(f: _Facts) -> Decimal | None:
    if f.final or f.t is None:
        return None
    return _cagr(f.a, f.t, f.y_t - f.y)


# ---------------------------------------------------------------------------- growth floors


def _floor(ind: IndicatorInput) -> Decimal:
    """The growth target as a fraction: 年均下降3% is −0.03 (direction down: at most −3%)."""
    return ind.target.value / HUNDRED


def _growth_path(b: Decimal | None, floor: Decimal, years: int) -> Decimal | None:
    """b·(1+floor)^years: where the floor puts the value after `years` years.

    An integer power, so exact: 500 × 1.2³ is 864, and 864 meets a 20% floor."""
    if b is None or floor <= -ONE:
        return None
    try:
        return _CTX.multiply(b, _CTX.power(ONE + floor, years))
    except ArithmeticError:
        return None


def _assess_growth(ind: IndicatorInput, f: _Facts, tol: Decimal) -> Assessment:
    if f.y <= f.y0:
        return _empty(ind, f.year, Verdict.NOT_ASSESSABLE, piece("基期之后尚无数据，无法计算年均增速"), (f.y, f.a))
    realised = _cagr(f.b, f.a, f.y - f.y0)
    if realised is None:
        return _empty(ind, f.year, Verdict.NOT_ASSESSABLE, piece("当前值非正，无法计算年均增速"), (f.y, f.a))
    floor = _floor(ind)
    path = _growth_path(f.b, floor, f.y - f.y0)
    # judged in level space, where the path is exact (a CAGR via ln/exp is off in the last digit)
    on_floor = path is not None and (f.a <= path if f.down else f.a >= path)
    verdict = _growth_verdict(f, realised, floor, on_floor, tol)
    trend = _trend(ind, f)
    if trend.value is not None:  # the projection keeps the realised rate, so it is on the floor or not
        trend = replace(trend, trend=Trend.LIKELY if on_floor else Trend.ACCELERATE)
    p = _div(realised, floor)
    ratio = None if _inverted(f.down, floor) else p
    words = _Words(realised=realised, floor=floor, down=f.down)
    return _build(ind, f, verdict, p, trend, _required_growth(f), ratio, words)


def _growth_verdict(f: _Facts, realised: Decimal, floor: Decimal, on_floor: bool, tol: Decimal) -> Verdict:
    """A rate must hold throughout: pace compares realised/floor with 1; only the target year completes it."""
    if f.final:
        return Verdict.ACHIEVED if on_floor else Verdict.NOT_ACHIEVED
    if (realised > 0 >= floor) if f.down else (realised < 0 <= floor):
        return Verdict.REGRESSING  # rising where a decline is asked, or falling where growth is
    p = _div(realised, floor)
    if p is None:  # floor 0: 保持增长
        return Verdict.ON_TRACK if on_floor else Verdict.BEHIND
    return _pace(p, ONE, tol, down=_inverted(f.down, floor))


def _assess_rates(ind: IndicatorInput, f: _Facts, tol: Decimal) -> Assessment:
    """Growth floor for values that are yearly rates (%): their geometric mean is the realised rate."""
    rates = [v for y, v in ind.values.items() if v is not None and f.y0 < y <= f.y]
    index = _product(ONE + r / HUNDRED for r in rates)
    realised = _cagr(ONE, index, len(rates))
    if realised is None:
        reason = piece("基期之后尚无增速数据" if not rates else "增速低于-100%，无法复合计算")
        return _empty(ind, f.year, Verdict.NOT_ASSESSABLE, reason, (f.y, f.a))
    floor = _floor(ind)
    on_floor = realised <= floor if f.down else realised >= floor
    verdict = _growth_verdict(f, realised, floor, on_floor, tol)
    trend = _Projection(f.y0, realised, None, Trend.LIKELY if on_floor else Trend.ACCELERATE)
    required = _rates_required(index, floor, f)
    p = _div(realised, floor)
    ratio = None if _inverted(f.down, floor) else p
    words = _Words(realised=realised, floor=floor, down=f.down)
    return _build(ind, f, verdict, p, trend, required, ratio, words)


def _rates_required(index: Decimal, floor: Decimal, f: _Facts) -> Decimal | None:
    """The yearly rate that brings the compound growth over the whole period up to the floor."""
    whole = _growth_path(ONE, floor, f.y_t - f.y0)
    if f.final or whole is None:
        return None
    return _cagr(index, whole, f.y_t - f.y)


# ---------------------------------------------------------------------------- cumulative targets


def _assess_cumulative(ind: IndicatorInput, year: int, tol: Decimal) -> Assessment:
    start = _start_year(ind)
    last = min(year, ind.target_year)  # the plan period ends at the target year
    window = {y: v for y, v in ind.values.items() if v is not None and start <= y <= last}
    if not window:
        return _empty(ind, year, Verdict.NO_DATA, piece(NO_DATA_REASON))
    total = sum(window.values(), ZERO)
    f = _Facts(year, start - 1, ind.target_year, max(window), total, None, ind.target.headline, _down(ind))
    p = _div(f.a, f.t)
    verdict = _cumulative_verdict(f, p, tol)
    if verdict == Verdict.NOT_ASSESSABLE:
        return _empty(ind, year, verdict, piece("目标值为0，无法计算完成进度"), (f.y, f.a))
    trend, needed = _cumulative_trend(f, start)
    missing = tuple(y for y in range(start, f.y + 1) if y not in window)
    return _build(ind, f, verdict, p, trend, needed, None, _Words(start=start, missing=missing))


def _cumulative_verdict(f: _Facts, p: Decimal | None, tol: Decimal) -> Verdict:
    """A total to reach (or, lower is better, a cap not to exceed) by the target year."""
    reached = f.a <= f.t if f.down else f.a >= f.t
    if f.final:
        return Verdict.ACHIEVED if reached else Verdict.NOT_ACHIEVED
    if reached and not f.down:
        return Verdict.ACHIEVED
    if f.down and not reached:  # the cap is already exceeded
        return Verdict.NOT_ACHIEVED
    if p is None:
        return Verdict.NOT_ASSESSABLE
    return _pace(p, f.e, tol, down=f.down)


def _cumulative_trend(f: _Facts, start: int) -> tuple[_Projection, Decimal | None]:
    """Project the average yearly amount so far over the remaining years."""
    if f.final:
        return _Projection(), None
    per_year = f.a / (f.y - start + 1)
    remaining = f.y_t - f.y
    v = f.a + per_year * remaining
    likely = v <= f.t if f.down else v >= f.t
    trend = _Projection(start, None, v, Trend.LIKELY if likely else Trend.ACCELERATE, per_year)
    return trend, (f.t - f.a) / remaining


def _empty(ind: IndicatorInput, year: int, verdict: Verdict, reason: Piece, latest=None) -> Assessment:
    """An assessment without numbers: 无数据 or 无法评估, with the reason."""
    value_year, value = latest or (None, None)
    parts = _empty_explanation(year, verdict, reason)
    return Assessment(
        year=year, verdict=verdict, value=value, value_year=value_year,
        completion=None, time_share=None, projected=None, projected_verdict=None,
        required_growth=None, sdg_ratio=None, sdg_status=None, warning=False,
        explanation=render(parts), explanation_parts=parts, reason=piece_text(reason),
        baseline_value=_baseline(ind),
    )  # fmt: skip


def _build(ind, f: _Facts, verdict, p, trend: _Projection, required, ratio, words: _Words) -> Assessment:
    """The full assessment. `required` is a growth rate, or for cumulative targets a yearly amount."""
    places = _places(f.a)
    parts = _explain(ind, f, verdict, p, trend, required, words)
    growth = trend.growth if trend.growth is not None else words.realised
    return Assessment(
        year=f.year, verdict=verdict, value=f.a, value_year=f.y,
        completion=_round(p, 4), time_share=_round(f.e, 4),
        projected=_round(trend.value, places), projected_verdict=trend.trend,
        required_growth=None if words.cumulative else _round(required, 4),
        sdg_ratio=_round(ratio, 2), sdg_status=sdg_status(ratio),
        warning=ind.attribute in ("binding", "约束性") and verdict in WARNING_VERDICTS,
        explanation=render(parts), explanation_parts=parts,
        observed_growth=_round(growth, 4), baseline_value=f.b, target_value=f.t,
        required_annual=_round(required, places) if words.cumulative else None,
    )  # fmt: skip
