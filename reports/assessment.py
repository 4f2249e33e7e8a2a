"""Assessment of an indicator against its target (DESIGN.md §4). Pure Python, Decimal only.

For baseline b in year y0, target t in year yT and the latest value a in year y (the latest
year at or before the assessment year that has a value):

- 时序进度 e = (y − y0) / (yT − y0), clamped to [0, 1]. y0 is the baseline year, or the
  year before the plan starts when there is no baseline year. A missing baseline value is taken
  from the values of the baseline year.
- 完成进度 p:
  - level targets (at least / at most / above / below / approx / rank / range / 翻一番):
    p = (a − b) / (t − b); lower-is-better needs no special case since both differences change
    sign. Without a baseline p = a / t (higher is better) or t / a (lower is better).
    RANGE uses its headline bound; 翻一番 (MULTIPLE) uses t = value × b.
  - cumulative targets (kind CUMULATIVE or aggregation "cumulative"): p = Σ values from the
    plan's first year through y (at most yT) / t, with y0 = first year − 1. Missing years add
    nothing. With an AT_MOST target the sum is a cap: exceeding it is 未完成 at once.
  - growth targets (年均增长 x% 以上): p = realised CAGR (a/b)^(1/(y−y0)) − 1 over the floor.
    A decline (年均下降3%: value −3, direction down) works the same way; for a ceiling
    (年均增长控制在5%以内) a smaller p is better. When the indicator's values are themselves
    yearly rates (aggregation "growth") the realised rate is the geometric mean of those rates.
- Verdict. Before the target year: 已完成 when the target is met; 倒退 when the value moved
  away from the target since the baseline (p < 0, or the baseline met the target and the value
  no longer does); otherwise by pace with tolerance δ: 快于预期 p ≥ e + δ, 滞后 p ≤ e − δ,
  基本符合预期 in between. Once the value is of the target year or later: 已完成 or 未完成.
  The data year decides, not the assessment year: with no target-year value yet, the latest
  value is judged on pace, so a missing approval never reads as a failure.
  A growth floor must hold throughout, so its pace compares p with 1 (not with e), and it is
  never 已完成 before the target year.
- Trend: g = CAGR since the baseline, v = a·(1+g)^(yT−y), P = (v − b)/(t − b); 预计可完成
  when P ≥ 1 or v meets the target, else 需加快. Without a baseline the earliest value in the
  plan period is the base. Cumulative targets project the average yearly amount.
  required_growth = (t/a)^(1/(yT−y)) − 1, the annual growth the remaining years need.
- Cross-check (Open SDG / Statistics Canada): R = CAGR observed / CAGR required, where
  CAGR required = (t/b)^(1/(yT−y0)) − 1; ≥ 0.95 on track, ≥ 0.6 acceleration needed,
  ≥ 0 limited progress, < 0 deterioration.
- 预警: a binding (约束性) indicator that is 滞后, 倒退 or 未完成.

Nothing here raises on odd data: a case the method cannot judge returns 无法评估 with a reason.
Fractional powers use Decimal's ln/exp in a 40-digit context; no float is ever involved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Context, Decimal
from enum import Enum

from core.numbers import number_text, rounded
from indicators.targets import Target, TargetKind

DEFAULT_TOLERANCE = Decimal("0.05")
NO_DATA_REASON = "尚无已审核数据"
ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
_CTX = Context(prec=40)
_TEXT_KINDS = {TargetKind.QUALITATIVE, TargetKind.RELATIVE}
_HINTED_KINDS = {TargetKind.RANGE, TargetKind.APPROX}  # kinds whose direction the indicator may set


class _Coded(str, Enum):
    """A code that is part of the product's JSON, with its Chinese label."""

    def __new__(cls, code: str, label: str):
        member = str.__new__(cls, code)
        member._value_ = code
        member._label = label
        return member

    @property
    def label(self) -> str:
        return self._label

    def __str__(self) -> str:
        return self.value


class Verdict(_Coded):
    ACHIEVED = "achieved", "已完成"
    AHEAD = "ahead", "快于预期"
    ON_TRACK = "on_track", "基本符合预期"
    BEHIND = "behind", "滞后"
    REGRESSING = "regressing", "倒退"
    NOT_ACHIEVED = "not_achieved", "未完成"
    NO_DATA = "no_data", "无数据"
    NOT_ASSESSABLE = "not_assessable", "无法评估"


class Trend(_Coded):
    LIKELY = "likely", "预计可完成"
    ACCELERATE = "accelerate", "需加快"


class SdgStatus(_Coded):
    ON_TRACK = "on_track", "进展顺利"
    ACCELERATE = "accelerate", "需加速"
    LIMITED = "limited", "进展有限"
    DETERIORATION = "deterioration", "倒退"


WARNING_VERDICTS = frozenset({Verdict.BEHIND, Verdict.REGRESSING, Verdict.NOT_ACHIEVED})


@dataclass(frozen=True)
class IndicatorInput:
    target: Target
    target_year: int | None
    baseline_year: int | None = None
    baseline_value: Decimal | None = None
    attribute: str = "expected"  # or "binding" (约束性)
    direction: str = "up"  # or "down": lower is better
    aggregation: str = "level"  # "level" | "cumulative" | "growth" (values are yearly rates in %)
    start_year: int | None = None  # first year of the plan period; default baseline_year + 1
    values: Mapping[int, Decimal] = field(default_factory=dict)
    unit: str = ""


@dataclass(frozen=True)
class Assessment:
    year: int
    verdict: Verdict
    value: Decimal | None
    value_year: int | None
    completion: Decimal | None
    time_share: Decimal | None
    projected: Decimal | None
    projected_verdict: Trend | None
    required_growth: Decimal | None
    sdg_ratio: Decimal | None
    sdg_status: SdgStatus | None
    warning: bool
    explanation: str
    reason: str = ""
    observed_growth: Decimal | None = None  # CAGR used for the projection (fraction, 4 dp)
    baseline_value: Decimal | None = None  # the baseline used (from the values when not given)
    target_value: Decimal | None = None  # the effective target: 翻一番 → 2b, growth → b(1+f)^n
    required_annual: Decimal | None = None  # cumulative: yearly amount the remaining years need


@dataclass(frozen=True)
class _Facts:
    """The resolved numbers one assessment works on."""

    year: int  # assessment year
    y0: int  # origin of the time share
    y_t: int  # target year
    y: int  # value year
    a: Decimal  # value (cumulative: running sum)
    b: Decimal | None  # baseline
    t: Decimal | None  # effective target level
    down: bool  # lower is better

    @property
    def e(self) -> Decimal:
        share = Decimal(self.y - self.y0) / Decimal(self.y_t - self.y0)
        return min(max(share, ZERO), ONE)

    @property
    def final(self) -> bool:
        return self.y >= self.y_t


# ---------------------------------------------------------------------------- public API


def assess(indicator: IndicatorInput, year: int, tolerance: Decimal = DEFAULT_TOLERANCE) -> Assessment:
    """Assess one indicator as of `year` (see the module docstring for the method)."""
    reason = _static_reason(indicator)
    if reason:
        return _empty(indicator, year, Verdict.NOT_ASSESSABLE, reason)
    if _is_cumulative(indicator):
        return _assess_cumulative(indicator, year, tolerance)
    latest = _latest(indicator.values, year)
    if latest is None:
        return _empty(indicator, year, Verdict.NO_DATA, NO_DATA_REASON)
    facts = _facts(indicator, year, *latest)
    if facts.y < facts.y0:
        reason = f"仅有基期（{facts.y0}年）之前的数据"
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


def _static_reason(ind: IndicatorInput) -> str:
    """Why the indicator cannot be assessed in any year, or ""."""
    target = ind.target
    if target.kind in _TEXT_KINDS or not target.is_quantitative:
        kind = "相对" if target.kind == TargetKind.RELATIVE else "定性"
        return f"目标为{kind}表述：{target.text or target.render()}"
    if ind.target_year is None:
        return "未设定目标年份"
    origin = _origin(ind)
    if origin is None:
        return "缺少基期年份和规划起始年份"
    if origin >= ind.target_year:
        return "基期年份不早于目标年份"
    return _target_reason(ind)


def _target_reason(ind: IndicatorInput) -> str:
    kind, baseline = ind.target.kind, _baseline(ind)
    if ind.target.headline is None:
        return "缺少目标值"
    if kind == TargetKind.GROWTH and ind.target.value <= -HUNDRED:
        return "年均增速目标须高于-100%"
    if kind == TargetKind.MULTIPLE and baseline is None:
        return "翻番目标缺少基期值"
    if kind == TargetKind.GROWTH and ind.aggregation != "growth":
        if baseline is None:
            return "增速目标缺少基期值"
        if baseline <= 0:
            return "基期值非正，无法计算年均增速"
    return ""


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
        return Verdict.ACHIEVED, ""
    if f.final:
        return Verdict.NOT_ACHIEVED, ""
    if f.b is not None and ((p is not None and p < 0) or _met(ind.target, f.b, f.b)):
        return Verdict.REGRESSING, ""
    if p is None:
        return Verdict.NOT_ASSESSABLE, "基期值等于目标值" if f.b == f.t else "目标值或当前值为0，无法计算完成进度"
    return _pace(p, f.e, tol), ""


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


@dataclass(frozen=True)
class _Projection:
    base_year: int | None = None  # None: nothing to project from
    growth: Decimal | None = None  # CAGR projected forward
    value: Decimal | None = None  # projected target-year value
    trend: Trend | None = None
    per_year: Decimal | None = None  # cumulative: average yearly amount so far


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


def _inverted(down: bool, floor: Decimal) -> bool:
    """Whether a smaller realised/floor ratio is the better one: a ceiling on growth
    (年均增长控制在5%以内) or a floor below zero; not a growth floor or a decline target."""
    return floor != 0 and (floor > 0) == down


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
        return _empty(ind, f.year, Verdict.NOT_ASSESSABLE, "基期之后尚无数据，无法计算年均增速", (f.y, f.a))
    realised = _cagr(f.b, f.a, f.y - f.y0)
    if realised is None:
        return _empty(ind, f.year, Verdict.NOT_ASSESSABLE, "当前值非正，无法计算年均增速", (f.y, f.a))
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
        reason = "基期之后尚无增速数据" if not rates else "增速低于-100%，无法复合计算"
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


def _product(factors: Iterable[Decimal]) -> Decimal:
    result = ONE
    for factor in factors:
        result = _CTX.multiply(result, factor)
    return result


# ---------------------------------------------------------------------------- cumulative targets


def _assess_cumulative(ind: IndicatorInput, year: int, tol: Decimal) -> Assessment:
    start = _start_year(ind)
    last = min(year, ind.target_year)  # the plan period ends at the target year
    window = {y: v for y, v in ind.values.items() if v is not None and start <= y <= last}
    if not window:
        return _empty(ind, year, Verdict.NO_DATA, NO_DATA_REASON)
    total = sum(window.values(), ZERO)
    f = _Facts(year, start - 1, ind.target_year, max(window), total, None, ind.target.headline, _down(ind))
    p = _div(f.a, f.t)
    verdict = _cumulative_verdict(f, p, tol)
    if verdict == Verdict.NOT_ASSESSABLE:
        return _empty(ind, year, verdict, "目标值为0，无法计算完成进度", (f.y, f.a))
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


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class _Words:
    """What the explanation needs beyond the facts: a growth floor, or a cumulative window."""

    realised: Decimal | None = None
    floor: Decimal | None = None
    down: bool = False
    start: int | None = None
    missing: tuple[int, ...] = ()

    @property
    def cumulative(self) -> bool:
        return self.start is not None


def _empty(ind: IndicatorInput, year: int, verdict: Verdict, reason: str, latest=None) -> Assessment:
    """An assessment without numbers: 无数据 or 无法评估, with the reason."""
    value_year, value = latest or (None, None)
    return Assessment(
        year=year, verdict=verdict, value=value, value_year=value_year,
        completion=None, time_share=None, projected=None, projected_verdict=None,
        required_growth=None, sdg_ratio=None, sdg_status=None, warning=False,
        explanation=f"{year}年：{verdict.label}（{reason}）", reason=reason,
        baseline_value=_baseline(ind),
    )  # fmt: skip


def _build(ind, f: _Facts, verdict, p, trend: _Projection, required, ratio, words: _Words) -> Assessment:
    """The full assessment. `required` is a growth rate, or for cumulative targets a yearly amount."""
    places = _places(f.a)
    growth = trend.growth if trend.growth is not None else words.realised
    return Assessment(
        year=f.year, verdict=verdict, value=f.a, value_year=f.y,
        completion=_round(p, 4), time_share=_round(f.e, 4),
        projected=_round(trend.value, places), projected_verdict=trend.trend,
        required_growth=None if words.cumulative else _round(required, 4),
        sdg_ratio=_round(ratio, 2), sdg_status=sdg_status(ratio),
        warning=ind.attribute in ("binding", "约束性") and verdict in WARNING_VERDICTS,
        explanation=_explain(ind, f, verdict, p, trend, required, words),
        observed_growth=_round(growth, 4), baseline_value=f.b, target_value=f.t,
        required_annual=_round(required, places) if words.cumulative else None,
    )  # fmt: skip


# ---------------------------------------------------------------------------- wording


def _explain(ind, f: _Facts, verdict: Verdict, p, trend: _Projection, required, words: _Words) -> str:
    unit = ind.unit or ("" if ind.target.kind == TargetKind.GROWTH else ind.target.unit)
    parts = [_headline(f, verdict, p, unit, words)]
    if verdict != Verdict.ACHIEVED and not f.final:
        outlook = _cumulative_outlook if words.cumulative else _outlook
        parts += outlook(f, trend, required, unit)
    return "；".join(part for part in parts if part)


def _headline(f: _Facts, verdict: Verdict, p, unit: str, words: _Words) -> str:
    when = f"{words.start}–{f.y}年累计" if words.cumulative else f"{f.y}年"
    if f.y < f.year:
        when += f"（{f.year}年尚无数据）"
    head = f"{when}：{number_text(f.a)}{unit}"
    if words.missing:
        head += f"（{'、'.join(map(str, words.missing))}年无数据，未计入）"
    if words.floor is not None:
        bound = "以内" if _inverted(words.down, words.floor) else "以上"
        head += f"，{f.y0}年以来年均{_rate(words.realised)}（目标年均{_rate(words.floor)}{bound}）"
    head += f"，时序进度{_pct(f.e)}%"
    if p is not None:
        head += f"，完成进度{_pct(p)}%"
    return f"{head}，{verdict.label}"


def _outlook(f: _Facts, trend: _Projection, required, unit: str) -> list[str]:
    if trend.trend is None:
        why = "缺少基期值" if trend.base_year is None else "基期值或最新值非正"
        return [f"{why}，无法按年均增速推算"]
    if trend.value is None:
        outlook = f"按此增速推算，{trend.trend.label}"
    else:
        since, value = f"{trend.base_year}年以来年均{_rate(trend.growth)}", number_text(trend.value, _places(f.a))
        outlook = f"按{since}推算，{f.y_t}年预计{value}{unit}，{trend.trend.label}"
    return [outlook, f"其余年份需年均{_rate(required)}" if required is not None else ""]


def _cumulative_outlook(f: _Facts, trend: _Projection, required, unit: str) -> list[str]:
    places = _places(f.a)
    per_year, value = number_text(trend.per_year, places), number_text(trend.value, places)
    outlook = f"按年均{per_year}{unit}推算，{f.y_t}年预计累计{value}{unit}，{trend.trend.label}"
    need = "年均不超过" if f.down else "需年均"
    return [outlook, f"其余年份{need}{number_text(required, places)}{unit}"]


def _rate(g: Decimal) -> str:
    return f"下降{_pct(-g, 2)}%" if g < 0 else f"增长{_pct(g, 2)}%"


def _pct(fraction: Decimal, places: int = 0) -> str:
    return number_text(fraction * HUNDRED, places)




def _places(x: Decimal) -> int:
    """Decimals to show for numbers computed from x: at least 2, more for small values."""
    exponent = x.as_tuple().exponent
    return min(max(2, -exponent if isinstance(exponent, int) else 2), 6)


# ---------------------------------------------------------------------------- arithmetic


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
