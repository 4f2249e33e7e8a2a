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

The package, by job: ``results`` (input, result, verdict codes), ``method`` (``assess``),
``wording`` (the explanation), ``arithmetic`` (Decimal powers and rounding).
"""

from .method import assess, assess_series, sdg_status
from .results import (
    DEFAULT_TOLERANCE,
    NO_DATA_REASON,
    WARNING_VERDICTS,
    Assessment,
    IndicatorInput,
    SdgStatus,
    Trend,
    Verdict,
)

__all__ = [
    "DEFAULT_TOLERANCE", "NO_DATA_REASON", "WARNING_VERDICTS", "Assessment", "IndicatorInput", "SdgStatus",
    "Trend", "Verdict", "assess", "assess_series", "sdg_status",
]  # fmt: skip
