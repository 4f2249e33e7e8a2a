"""Typed plan targets: the grammar of the phrases Chinese S&T plans use for key indicators.

A target is typed, not one number (DESIGN.md §4): "达到3.5%" is a floor, "控制在3%以内" a
ceiling, "25－30个" a range, "保持第三位" a rank, "年均增长20%以上" a growth floor, "翻一番" a
multiple of the baseline, "〔50〕" a five-year total.  :func:`parse_target` turns such a phrase
(or a bare table cell plus its column unit) into a frozen :class:`Target`; the target then
judges a value (:meth:`Target.is_met`) and writes itself back (:meth:`Target.render`,
:meth:`Target.symbol`).

Pure Python: stdlib and `core` only, :class:`~decimal.Decimal` throughout, never float, no Django.
"""

from __future__ import annotations

import decimal
import enum
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from core.numbers import CN_NUMERAL_CHARS, number_text
from core.numbers import parse_decimal as core_parse_decimal

__all__ = [
    "DOWN",
    "UP",
    "Target",
    "TargetKind",
    "normalize",
    "parse_decimal",
    "parse_target",
]

UP = "up"
DOWN = "down"


class TargetKind(str, enum.Enum):
    """What kind of promise a target phrase makes (see the module docstring)."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    ABOVE = "above"
    BELOW = "below"
    RANGE = "range"
    APPROX = "approx"
    RANK = "rank"
    GROWTH = "growth"
    MULTIPLE = "multiple"
    CUMULATIVE = "cumulative"
    RELATIVE = "relative"
    QUALITATIVE = "qualitative"

    def __str__(self) -> str:
        return self.value


K = TargetKind

# Kinds whose direction follows from the kind itself; Target forces it.
_FIXED_DIRECTION = {
    K.AT_LEAST: UP,
    K.ABOVE: UP,
    K.MULTIPLE: UP,
    K.CUMULATIVE: UP,
    K.AT_MOST: DOWN,
    K.BELOW: DOWN,
    K.RANK: DOWN,
}
_NOT_QUANTITATIVE = frozenset({K.RELATIVE, K.QUALITATIVE})
_MAX_TEXT = 2000  # longer "phrases" are prose, not targets: don't scan them


# ---------------------------------------------------------------------------
# Target
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One typed target.

    ``value`` is the threshold, rank, growth rate (in percent), multiple or cumulative total;
    ``low``/``high`` are used by RANGE only.  ``direction`` is "up" (higher is better) or
    "down"; for kinds whose direction is implied (AT_LEAST/ABOVE/MULTIPLE/CUMULATIVE up,
    AT_MOST/BELOW/RANK down) it is set from the kind whatever is passed.  Numbers may be
    given as Decimal, int or str; floats are refused.
    """

    kind: TargetKind
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str = ""
    text: str = ""
    direction: str = UP
    tolerance: Decimal = Decimal("0.05")

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen dataclass: normalise fields in place once
        set_(self, "kind", TargetKind(self.kind))
        for name in ("value", "low", "high", "tolerance"):
            number = _coerce_decimal(getattr(self, name), name)
            if number is not None and not number.is_finite():
                raise ValueError(f"{name} must be finite, not {number}")
            set_(self, name, number)
        if self.tolerance is None:
            raise ValueError("tolerance must not be None")
        direction = _FIXED_DIRECTION.get(self.kind, self.direction)
        if direction not in (UP, DOWN):
            raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
        set_(self, "direction", direction)
        set_(self, "unit", self.unit or "")
        set_(self, "text", self.text or "")

    # -- reading ------------------------------------------------------------------

    @property
    def is_quantitative(self) -> bool:
        """False for RELATIVE and QUALITATIVE targets, which carry no usable number."""
        return self.kind not in _NOT_QUANTITATIVE

    @property
    def headline(self) -> Decimal | None:
        """The single number an assessment aims at (RANGE: low, or high when direction down)."""
        if not self.is_quantitative:
            return None
        if self.kind is K.RANGE:
            return self.high if self.direction == DOWN else self.low
        return self.value

    def is_met(self, value: Decimal | None, baseline: Decimal | None = None) -> bool | None:
        """Whether ``value`` meets the target; None when that cannot be judged.

        ``value`` means: the level for threshold/range/approx/rank/multiple targets, the
        realised growth rate in percent for GROWTH, the sum over the period for CUMULATIVE.
        ``baseline`` is needed by MULTIPLE only.
        """
        v = _coerce_decimal(value, "value")
        if v is None or not v.is_finite() or not self.is_quantitative:
            return None
        try:
            with decimal.localcontext() as ctx:
                ctx.prec = 60
                return self._judge(v, _coerce_decimal(baseline, "baseline"))
        except ArithmeticError:  # e.g. overflow multiplying an absurd baseline
            return None

    def _judge(self, v: Decimal, baseline: Decimal | None) -> bool | None:
        kind, x, up = self.kind, self.value, self.direction == UP
        if kind is K.RANGE:
            bound = self.low if up else self.high
            return None if bound is None else (v >= bound if up else v <= bound)
        if x is None:
            return None
        if kind in (K.AT_LEAST, K.CUMULATIVE):
            return v >= x
        if kind in (K.AT_MOST, K.RANK):
            return v <= x
        if kind is K.ABOVE:
            return v > x
        if kind is K.BELOW:
            return v < x
        if kind is K.APPROX:
            return v >= x * (1 - self.tolerance) if up else v <= x * (1 + self.tolerance)
        if kind is K.GROWTH:
            return v >= x if up else v <= x
        if kind is K.MULTIPLE:
            if baseline is None or not baseline.is_finite():
                return None
            return v >= x * baseline
        return None

    # -- writing ------------------------------------------------------------------

    def render(self) -> str:
        """The canonical Chinese phrase; ``parse_target(t.render(), unit=t.unit)`` gives ``t`` back."""
        if self.headline is None:
            return self.text
        v, u, down = number_text(self.value), self.unit, self.direction == DOWN
        kind = self.kind
        if kind is K.AT_LEAST:
            return f"{v}{u}以上" if "以上" in self.text else f"达到{v}{u}"
        if kind is K.AT_MOST:
            return f"控制在{v}{u}以内"
        if kind is K.ABOVE:
            return f"＞{v}{u}" if _is_symbolic(self.text) else f"突破{v}{u}"
        if kind is K.BELOW:
            return f"＜{v}{u}" if _is_symbolic(self.text) else f"低于{v}{u}"
        if kind is K.RANGE:
            return f"{'控制在' if down else ''}{number_text(self.low)}—{number_text(self.high)}{u}"
        if kind is K.APPROX:
            return f"{'控制在' if down else ''}{v}{u}左右"
        if kind is K.RANK:
            return f"前{v}位" if "前" in self.text else f"保持第{v}位"
        if kind is K.GROWTH:
            if not down:
                return f"年均增长{v}{u}以上"
            if self.value < 0:
                return f"年均下降{number_text(-self.value)}{u}以上"
            return f"年均增长控制在{v}{u}以内"
        if kind is K.MULTIPLE:
            return _FAN_WORDS.get(self.value, f"达到基期的{v}倍")
        if kind is K.CUMULATIVE:
            return f"累计{v}{u}"
        return self.text

    def symbol(self) -> str:
        """Compact symbolic form for tables, e.g. "≥ 3.5%", "25–30 个", "×2 基期"."""
        if self.headline is None:
            return self.text
        v, u = number_text(self.value), _spaced_unit(self.unit)
        kind = self.kind
        if kind is K.RANGE:
            return f"{number_text(self.low)}–{number_text(self.high)}{u}"
        if kind is K.RANK:
            return f"≤ 第{v}位"
        if kind is K.GROWTH:
            return f"年均 {'≥' if self.direction == UP else '≤'} {v}{u}"
        if kind is K.MULTIPLE:
            return f"×{v} 基期"
        if kind is K.CUMULATIVE:
            return f"Σ ≥ {v}{u}"
        if kind is K.APPROX:
            return f"≈ {v}{u}"
        return f"{_SYMBOLS[kind]} {v}{u}"

    def __str__(self) -> str:
        return self.render()

    # -- storage ------------------------------------------------------------------

    def to_dict(self) -> dict[str, str | None]:
        """JSON-safe dict (Decimals as strings); inverse of :meth:`from_dict`."""

        def dec(d: Decimal | None) -> str | None:
            return None if d is None else str(d)

        return {
            "kind": self.kind.value,
            "value": dec(self.value),
            "low": dec(self.low),
            "high": dec(self.high),
            "unit": self.unit,
            "text": self.text,
            "direction": self.direction,
            "tolerance": dec(self.tolerance),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Target:
        """Build a Target from :meth:`to_dict` output (missing keys take their defaults)."""
        fields = {k: data[k] for k in cls.__dataclass_fields__ if data.get(k) is not None}
        return cls(**fields)


_SYMBOLS = {K.AT_LEAST: "≥", K.AT_MOST: "≤", K.ABOVE: ">", K.BELOW: "<"}
_FAN_WORDS = {Decimal(2): "翻一番", Decimal(4): "翻两番", Decimal(8): "翻三番"}


def _coerce_decimal(x: object, name: str) -> Decimal | None:
    if x is None or isinstance(x, Decimal):
        return x
    if isinstance(x, (bool, float)):
        raise TypeError(f"{name}: use Decimal, not {type(x).__name__}")
    if isinstance(x, int):
        return Decimal(x)
    if isinstance(x, str):
        d = parse_decimal(x)
        if d is None:
            raise ValueError(f"{name}: not a number: {x!r}")
        return d
    raise TypeError(f"{name}: expected Decimal, int or str, not {type(x).__name__}")


def _spaced_unit(unit: str) -> str:
    if not unit or unit in ("%", "‰"):
        return unit
    return f" {unit}"


def _is_symbolic(text: str) -> bool:
    return normalize(text)[:1] in (">", "<")


# ---------------------------------------------------------------------------
# Normalisation and numbers
# ---------------------------------------------------------------------------

# Traditional → simplified for the characters plans use in targets and units.
_TRADITIONAL = dict(
    zip(
        "億萬達標於內產項個傢實現長兩過計進際總數額點佔臺條場間噸畝戶區級國縣鎮與為約規劃導資業應發專權務強營將擴穩維壓縮減準構體網學術創費經濟單價餘増幾並裡關務競優領屆衛續稅運設環"
        "歲醫藥農機電車銀險證創聯",
        "亿万达标于内产项个家实现长两过计进际总数额点占台条场间吨亩户区级国县镇与为约规划导资业应发专权务强营将扩稳维压缩减准构体网学术创费经济单价余增几并里关务竞优领届卫续税运设环"
        "岁医药农机电车银险证创联",
        strict=True,
    )
)
_TRANSLATE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # full width ！…～ → ASCII
_TRANSLATE.update({ord(k): v for k, v in _TRADITIONAL.items()})
_TRANSLATE.update(
    {
        ord("\u2212"): "-",  # minus sign
        ord("\ufe63"): "-",  # small hyphen-minus
        ord("\ufe64"): "<",
        ord("\ufe65"): ">",
        ord("\ufe6a"): "%",
        ord("≧"): "≥",
        ord("≦"): "≤",
    }
)
_BLANK_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def normalize(text: str) -> str:
    """Canonical form for matching: half-width ASCII, no blanks, simplified characters.

    Full-width digits, letters and punctuation become ASCII (（）→ (), ％ → %, ＞ → >,
    ～ → ~); spaces including U+3000, control and format characters are removed; the
    traditional characters plans use in targets become simplified.  CJK brackets 〔〕
    (the mark of a cumulative total) and dashes such as — are kept.
    """
    if not isinstance(text, str):
        return ""
    s = text.translate(_TRANSLATE)
    return "".join(ch for ch in s if not (ch.isspace() or unicodedata.category(ch) in _BLANK_CATEGORIES))


_CN_CHARS = CN_NUMERAL_CHARS


def parse_decimal(text: str) -> Decimal | None:
    """Parse one number: "1,234.5", "１．６５", "3.5%", "-2", or a small Chinese numeral ("十五").

    The grammar is ``core.numbers``' (after this module's normalisation, so traditional
    characters and blanks are tolerated); returns None for anything else, including NaN,
    Infinity, exponent notation and numbers with more than 20 significant digits.
    """
    if not isinstance(text, str) or len(text) > 200:
        return None
    return core_parse_decimal(normalize(text), chinese=True)


# ---------------------------------------------------------------------------
# Grammar: a table of regex rules, tried on the normalised text
# ---------------------------------------------------------------------------

# A number never starts inside another one ("2025" is not "025"), and may carry thousands
# separators only in groups of three ("1,234"); a comma otherwise separates list items.
_NUM_BODY = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?!\d)(?:\.\d+(?!\d))?"
_NUM_START = r"(?<![\d.])(?<!\d,)"


def _num(name: str = "num", *, signed: bool = False) -> str:
    sign = "[-+]?" if signed else ""
    return rf"{_NUM_START}(?P<{name}>{sign}{_NUM_BODY})"


def _numx(name: str) -> str:
    """A number in digits or small Chinese numerals (ranks, multiples)."""
    return rf"(?P<{name}>{_NUM_START}{_NUM_BODY}|[{_CN_CHARS}]{{1,6}}(?![{_CN_CHARS}]))"


NUM = _num()
SNUM = _num(signed=True)
# Unit: letters (CJK included), %, ‰, / … written right after the number.  It stops at
# characters that start the grammar's suffixes (以上/以内, 左右, 的增长速度) or join clauses.
_UNIT_STOP = "以左的及和或与并其比较"
UNIT = rf"(?P<unit>(?:[%‰/·]|[^\W\d_{_UNIT_STOP}]){{0,10}})"
_UNIT_NOISE_SUFFIXES = ("大关", "目标", "水平", "规模")
# Prose runs on after the unit ("25－30个国内一流的…"): when the run starts with a unit we
# know, keep just that unit.  Unknown units ("km", "吨/万元") are kept whole.
_UNIT_BASES = (
    "个百分点", "百分点", "人年", "人次", "人", "家", "个", "项", "件", "篇", "名", "所", "座", "台", "套",
    "辆", "艘", "架", "元", "美元", "吨标准煤", "吨标煤", "吨", "千克", "公斤", "千米", "公里", "平方公里",
    "平方米", "米", "亩", "公顷", "次", "倍", "天", "小时", "条", "部", "种", "只", "批", "户", "床", "张",
    "株", "头", "千瓦时", "千瓦", "兆瓦", "位", "册", "本", "门", "期", "届", "场", "篇次", "件次", "项次",
    "%", "‰",
)  # fmt: skip
_KNOWN_UNIT = re.compile(
    r"(?:万亿|千亿|百亿|亿|千万|百万|十万|万|千|百)?(?:"
    + "|".join(map(re.escape, sorted(_UNIT_BASES, key=len, reverse=True)))
    + ")?"
)
_SEP = r"(?:-|—{1,2}|–|―|‐|‑|~|〜|至)"
_DOWN_VERBS = (
    r"降低到|降低至|降到|降至|下降到|下降至|减少到|减少至|压减到|压减至|压缩到|压缩至|"
    r"缩短到|缩短至|控制在|控制到"
)
_UP_VERBS = (
    r"达到|提高到|提高至|提升到|提升至|增加到|增加至|增长到|增长至|上升到|上升至|扩大到|"
    r"扩大至|保持在|稳定在|维持在|实现|保持|达|为"
)
_APPROX_LEAD = rf"(?P<down>{_DOWN_VERBS})?(?:达到|保持在|为|在)?"
_GROWTH_VERBS = r"增长率|增长速度|增长|增速|增幅|递增|提高|提升|上升|下降|降低|减少|递减"
_GROWTH_VERBS_PLAIN = r"增长率|增长速度|增长|增速|增幅|下降|降低|减少"  # need a % after them
_GROWTH_CONNECTORS = r"(?:保持在|保持|稳定在|达到|为|在|要)"
_GROWTH_CMP = r"不低于|不少于|高于|超过|不超过|不高于|控制在|低于"
_DECLINE = frozenset({"下降", "降低", "减少", "递减"})
_CAP = frozenset({"不超过", "不高于", "控制在", "低于", "以内", "以下"})
_RELATIVE = re.compile(
    r"不低于|不少于|不高于|不超过|高于|低于|快于|慢于|优于|好于|超过|领先|同步|持平|平均水平"
)


@dataclass(frozen=True)
class _Context:
    text: str  # original text, stored on the Target
    unit: str  # column unit hint
    direction: str | None  # indicator direction hint


Builder = Callable[[re.Match, _Context], Target | None]


def _unit(m: re.Match, ctx: _Context) -> str:
    """Unit as written after the number, else the column unit."""
    unit = m.groupdict().get("unit") or ""
    unit = unit.lstrip("多余")  # "5000多项", "300余家": the unit is 项 / 家
    for noise in _UNIT_NOISE_SUFFIXES:
        unit = unit.removesuffix(noise)
    known = _KNOWN_UNIT.match(unit).group()
    if known and unit[len(known) : len(known) + 1] not in ("", "/", "·"):
        unit = known
    return unit or ctx.unit


def _is_year(unit: str) -> bool:
    return unit.startswith("年")


def _single(kind: TargetKind | None, *, allow_year: bool = True) -> Builder:
    """Builder for one number; kind None means a bare cell (kind from the direction hint)."""

    def build(m: re.Match, ctx: _Context) -> Target | None:
        value = parse_decimal(m["num"])
        unit = _unit(m, ctx)
        if value is None or (not allow_year and _is_year(unit)):
            return None
        k = kind or (K.AT_MOST if ctx.direction == DOWN else K.AT_LEAST)
        return Target(k, value=value, unit=unit, text=ctx.text)

    return build


def _range(m: re.Match, ctx: _Context) -> Target | None:
    low, high = parse_decimal(m["low"]), parse_decimal(m["high"])
    lunit, written = m["lunit"] or "", m["unit"] or ""
    if low is None or high is None or (lunit and written and lunit != written):
        return None
    if _is_year(lunit) or _is_year(written):  # "2021—2025年" is a period, not a target
        return None
    if low > high:
        low, high = high, low
    direction = DOWN if m["down"] else ctx.direction or UP
    unit = _unit(m, ctx) if written else lunit or ctx.unit
    return Target(K.RANGE, low=low, high=high, unit=unit, text=ctx.text, direction=direction)


def _approx(m: re.Match, ctx: _Context) -> Target | None:
    value = parse_decimal(m["num"])
    if value is None:
        return None
    direction = DOWN if m["down"] else ctx.direction or UP
    return Target(K.APPROX, value=value, unit=_unit(m, ctx), text=ctx.text, direction=direction)


def _rank(m: re.Match, ctx: _Context) -> Target | None:
    value = parse_decimal(m["rank"])
    if value is None or value <= 0:
        return None
    return Target(K.RANK, value=value, unit=ctx.unit, text=ctx.text)


def _growth(m: re.Match, ctx: _Context) -> Target | None:
    value = parse_decimal(m["num"])
    if value is None:
        return None
    groups = m.groupdict()
    unit = _unit(m, ctx)
    if groups.get("verb") in _DECLINE:  # 年均下降3% → growth of at most −3%
        return Target(K.GROWTH, value=-value, unit=unit, text=ctx.text, direction=DOWN)
    capped = groups.get("cmp") in _CAP or groups.get("post") in _CAP
    return Target(K.GROWTH, value=value, unit=unit, text=ctx.text, direction=DOWN if capped else UP)


def _multiple(offset: int = 0, *, power_of_two: bool = False, fixed: int | None = None) -> Builder:
    """翻N番 → 2**N; 增长N倍 → N+1 (grows by N times); 是…的N倍 → N; 翻番 → 2."""

    def build(m: re.Match, ctx: _Context) -> Target | None:
        if fixed is not None:
            value = Decimal(fixed)
        else:
            n = parse_decimal(m["n"])
            if n is None or (power_of_two and not 0 < n <= 10):
                return None
            value = Decimal(2) ** int(n) if power_of_two else n + offset
        return Target(K.MULTIPLE, value=value, unit=ctx.unit, text=ctx.text)

    return build


@dataclass(frozen=True)
class _Rule:
    kind: TargetKind | None
    pattern: re.Pattern
    build: Builder


def _rule(kind: TargetKind | None, pattern: str, build: Builder | None = None) -> _Rule:
    """A grammar rule; without a builder, the match's ``num`` and ``unit`` make a ``kind`` target."""
    return _Rule(kind, re.compile(pattern), build or _single(kind))


# The match that starts earliest in the text wins; on a tie, the rule listed first wins,
# so more specific rules come before the ones they overlap (range before 达到, 左右 before 达到).
_RULES: list[_Rule] = [
    # cumulative: 〔x〕 / [x] is how plan tables mark five-year totals; "〔2011〕279号" is a doc number
    _rule(K.CUMULATIVE, rf"[〔\[]{SNUM}[〕\]](?!\d){UNIT}"),
    _rule(K.CUMULATIVE, rf"(?:累计|合计|总计|共计|新增)\D{{0,15}}?{SNUM}{UNIT}",
          _single(K.CUMULATIVE, allow_year=False)),
    # multiples of the baseline
    _rule(K.MULTIPLE, r"翻(?P<n>[一二两三四五]|\d)番", _multiple(power_of_two=True)),
    _rule(K.MULTIPLE, r"翻番", _multiple(fixed=2)),
    _rule(K.MULTIPLE, rf"(?:增长|增加|提高|扩大)了?{_numx('n')}倍", _multiple(offset=1)),
    _rule(K.MULTIPLE, rf"(?:的|是|为|达到|增长到|增加到|提高到|扩大到){_numx('n')}倍", _multiple()),
    _rule(K.MULTIPLE, rf"{_numx('n')}倍于", _multiple()),
    # rank: lower is better
    _rule(K.RANK, rf"(?<![提年以之])前{_numx('rank')}(?!季|个月|年|月|天|日|批|次|周)", _rank),
    _rule(K.RANK, rf"第{_numx('rank')}(?:位|名)", _rank),
    _rule(K.RANK, rf"(?:位居|居于|位列|名列|排名|排在|保持|进入|居)[^\d第]{{0,8}}?第{_numx('rank')}", _rank),
    _rule(K.RANK, rf"^第{_numx('rank')}$", _rank),
    # growth-rate floors (and ceilings / declines)
    _rule(K.GROWTH, rf"保持(?:年均)?{NUM}(?P<unit>%)(?:以上)?的?(?:年均)?(?:增长|增速)", _growth),
    _rule(K.GROWTH,
          rf"(?:年均|年平均|平均每年|每年)(?P<verb>{_GROWTH_VERBS})?率?{_GROWTH_CONNECTORS}?"
          rf"(?P<cmp>{_GROWTH_CMP})?{SNUM}{UNIT}(?P<post>以上|以内|以下|左右)?", _growth),
    _rule(K.GROWTH,
          rf"(?P<verb>{_GROWTH_VERBS_PLAIN}){_GROWTH_CONNECTORS}?(?P<cmp>{_GROWTH_CMP})?"
          rf"{SNUM}(?P<unit>%)(?P<post>以上|以内|以下|左右)?", _growth),
    # range and approximate values (direction from a 降低到/控制在 prefix or the hint)
    _rule(K.RANGE,
          rf"(?P<down>{_DOWN_VERBS})?(?:达到|保持在|为)?(?<![-+]){_num('low')}"
          rf"(?P<lunit>%|‰|[^\W\d_{_UNIT_STOP}]{{1,4}})?{_SEP}{_num('high')}{UNIT}", _range),
    _rule(K.APPROX, rf"{_APPROX_LEAD}(?:大约|约)?{SNUM}{UNIT}左右", _approx),
    _rule(K.APPROX, rf"{_APPROX_LEAD}(?:大约|约){SNUM}{UNIT}", _approx),
    # symbols
    _rule(K.AT_LEAST, rf"(?:≥|>=|=>){SNUM}{UNIT}"),
    _rule(K.AT_MOST, rf"(?:≤|<=|=<){SNUM}{UNIT}"),
    _rule(K.ABOVE, rf">{SNUM}{UNIT}"),
    _rule(K.BELOW, rf"<{SNUM}{UNIT}"),
    # comparison words (不低于 before 低于, 不超过 before 超过)
    _rule(K.AT_LEAST, rf"(?:不低于|不少于|不小于|至少|最少|最低)(?:达到|为)?{SNUM}{UNIT}"),
    _rule(K.AT_MOST, rf"(?:不高于|不超过|不大于|不多于|最多|最高|{_DOWN_VERBS}){SNUM}{UNIT}"),
    _rule(K.ABOVE, rf"(?<!不)(?:突破|超过|超出|高于|大于|多于|超)了?{SNUM}{UNIT}"),
    _rule(K.BELOW, rf"(?<!不)(?:低于|少于|小于)了?{SNUM}{UNIT}"),
    # suffixes and plain verbs
    _rule(K.AT_LEAST, rf"{SNUM}{UNIT}以上"),
    _rule(K.AT_MOST, rf"{SNUM}{UNIT}(?:以内|以下)"),
    _rule(K.AT_LEAST, rf"(?:{_UP_VERBS}){SNUM}{UNIT}"),
    # a bare table cell: "2", "3.5%", "-2", optionally "(预期性)" after it
    _rule(None, rf"^{SNUM}{UNIT}(?:\([^()]*\))?$", _single(None)),
]  # fmt: skip


def _first_target(s: str, ctx: _Context) -> Target | None:
    """The target of the earliest match any rule builds (ties: the earlier rule)."""
    best: tuple[int, Target] | None = None
    for rule in _RULES:
        for m in rule.pattern.finditer(s):
            if best is not None and m.start() >= best[0]:
                break  # an earlier rule already matched here or before
            target = rule.build(m, ctx)
            if target is not None:
                best = (m.start(), target)
                break
    return None if best is None else best[1]


def parse_target(text: str, *, unit: str = "", direction: str | None = None) -> Target:
    """Parse a target phrase or table cell into a :class:`Target`; never raises on text.

    ``unit`` is the column unit, used when the text writes none ("2" in a "%" column).
    ``direction`` ("up"/"down", e.g. from an indicator named …降低…) decides bare numbers
    (AT_LEAST or AT_MOST), ranges and approximate values; explicit words in the text
    (控制在, 降低到, 以内 …) win over it.  Text that fits no rule becomes RELATIVE when it
    compares with something unnamed by a number (高于GDP增长), else QUALITATIVE.
    """
    if direction not in (None, "", UP, DOWN):
        raise ValueError(f"direction must be 'up', 'down' or None, not {direction!r}")
    raw = text if isinstance(text, str) else ("" if text is None else str(text))
    ctx = _Context(text=raw, unit=(unit or "").strip(), direction=direction or None)
    s = normalize(raw)
    fallback_direction = ctx.direction or UP
    if s and len(s) <= _MAX_TEXT:
        try:
            target = _first_target(s, ctx)
        except ArithmeticError:  # belt and braces: numbers are validated before use
            target = None
        if target is not None:
            return target
        if _RELATIVE.search(s):
            return Target(K.RELATIVE, unit=ctx.unit, text=raw, direction=fallback_direction)
    return Target(K.QUALITATIVE, unit=ctx.unit, text=raw, direction=fallback_direction)
