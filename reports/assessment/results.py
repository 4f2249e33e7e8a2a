"""What an assessment reads and gives: its input, its result, the verdict codes with their labels."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from indicators.targets import Target

from .arithmetic import ONE, ZERO

DEFAULT_TOLERANCE = Decimal("0.05")
NO_DATA_REASON = "尚无已审核数据"


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
    explanation: str  # in Chinese; ``explanation_parts`` say the same in any language (``wording``)
    reason: str = ""
    observed_growth: Decimal | None = None  # CAGR used for the projection (fraction, 4 dp)
    baseline_value: Decimal | None = None  # the baseline used (from the values when not given)
    target_value: Decimal | None = None  # the effective target: 翻一番 → 2b, growth → b(1+f)^n
    required_annual: Decimal | None = None  # cumulative: yearly amount the remaining years need
    explanation_parts: list = field(default_factory=list, compare=False)  # see ``wording``; [] in rows stored before


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


@dataclass(frozen=True)
class _Projection:
    base_year: int | None = None  # None: nothing to project from
    growth: Decimal | None = None  # CAGR projected forward
    value: Decimal | None = None  # projected target-year value
    trend: Trend | None = None
    per_year: Decimal | None = None  # cumulative: average yearly amount so far


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
