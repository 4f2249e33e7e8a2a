"""Tests for the target grammar (indicators/targets.py): pure Python, no database."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.targets import (
    DOWN,
    UP,
    Target,
    TargetKind,
    normalize,
    parse_decimal,
    parse_target,
)

K = TargetKind
D = Decimal


# ---------------------------------------------------------------------------
# parse_target: real phrases from plans
# ---------------------------------------------------------------------------

# (text, parse_target kwargs, kind, value, unit)
SINGLE_VALUE_PHRASES = [
    ("达到3.5%", {}, K.AT_LEAST, "3.5", "%"),
    ("提高到16%", {}, K.AT_LEAST, "16", "%"),
    ("每万人口发明专利拥有量达到18件", {}, K.AT_LEAST, "18", "件"),
    ("全社会研发投入强度达到1.65%", {}, K.AT_LEAST, "1.65", "%"),
    ("三大检索系统收录的科技论文数量达到3万篇", {}, K.AT_LEAST, "3", "万篇"),
    ("每万名劳动力中研发人员达到150人年", {}, K.AT_LEAST, "150", "人年"),
    ("2025年达到3.5%", {}, K.AT_LEAST, "3.5", "%"),
    ("科技型中小企业占比由9%提高到24%", {}, K.AT_LEAST, "24", "%"),
    ("比重从2010年的16%增长到48%", {}, K.AT_LEAST, "48", "%"),
    ("达到 3.5 %", {}, K.AT_LEAST, "3.5", "%"),
    ("３．５％", {}, K.AT_LEAST, "3.5", "%"),
    ("降低到0.5", {}, K.AT_MOST, "0.5", ""),
    ("控制在3%以内", {}, K.AT_MOST, "3", "%"),
    ("不超过5%", {}, K.AT_MOST, "5", "%"),
    ("3%以下", {}, K.AT_MOST, "3", "%"),
    ("5000家以上", {}, K.AT_LEAST, "5000", "家"),
    ("13,000亿元以上", {}, K.AT_LEAST, "13000", "亿元"),
    ("公民科学素质达标率提高到10%以上", {}, K.AT_LEAST, "10", "%"),
    ("重点引进并支持1000名以上海外高层次人才", {}, K.AT_LEAST, "1000", "名"),
    ("不低于2.5%", {}, K.AT_LEAST, "2.5", "%"),
    ("不少于100人", {}, K.AT_LEAST, "100", "人"),
    ("突破13000亿元", {}, K.ABOVE, "13000", "亿元"),
    ("生物技术和新医药产业实现产值突破13000亿元", {}, K.ABOVE, "13000", "亿元"),
    ("突破13000亿元大关", {}, K.ABOVE, "13000", "亿元"),
    ("突破2600億元", {}, K.ABOVE, "2600", "亿元"),
    ("超过50亿元", {}, K.ABOVE, "50", "亿元"),
    ("低于0.5%", {}, K.BELOW, "0.5", "%"),
    ("＞5", {}, K.ABOVE, "5", ""),
    (">5", {}, K.ABOVE, "5", ""),
    ("＜0.5", {}, K.BELOW, "0.5", ""),
    ("<0.5", {}, K.BELOW, "0.5", ""),
    ("≥3", {}, K.AT_LEAST, "3", ""),
    ("≤3", {}, K.AT_MOST, "3", ""),
    (">=3%", {}, K.AT_LEAST, "3", "%"),
    ("30个左右", {}, K.APPROX, "30", "个"),
    ("约30个", {}, K.APPROX, "30", "个"),
    ("約30個", {}, K.APPROX, "30", "个"),
    ("建设30个左右高水平国家和省级可持续发展实验区", {}, K.APPROX, "30", "个"),
    ("R&D经费投入强度达到3.5%左右", {}, K.APPROX, "3.5", "%"),
    ("保持第三位", {}, K.RANK, "3", ""),
    ("综合科技进步水平在全国各省市中保持第三位", {}, K.RANK, "3", ""),
    ("进入前15位", {}, K.RANK, "15", ""),
    ("全省前40位", {}, K.RANK, "40", ""),
    ("位居全国第三", {}, K.RANK, "3", ""),
    ("进入全国前十五位", {}, K.RANK, "15", ""),
    ("前3位", {"unit": "位"}, K.RANK, "3", "位"),
    ("第3", {}, K.RANK, "3", ""),
    ("年均增长20%以上", {}, K.GROWTH, "20", "%"),
    ("保持20%以上的增长速度", {}, K.GROWTH, "20", "%"),
    ("科技服务业主营业务收入保持20%以上的增长速度", {}, K.GROWTH, "20", "%"),
    ("研发经费年均增长15%", {}, K.GROWTH, "15", "%"),
    ("增长20%", {}, K.GROWTH, "20", "%"),
    ("研发经费增长率不低于10%", {}, K.GROWTH, "10", "%"),
    ("翻一番", {}, K.MULTIPLE, "2", ""),
    ("翻两番", {}, K.MULTIPLE, "4", ""),
    ("翻兩番", {}, K.MULTIPLE, "4", ""),
    ("比2010年翻一番", {}, K.MULTIPLE, "2", ""),
    ("实现翻番", {}, K.MULTIPLE, "2", ""),
    ("增长1倍", {}, K.MULTIPLE, "2", ""),
    ("是2010年的1.6倍", {}, K.MULTIPLE, "1.6", ""),
    ("3倍", {}, K.MULTIPLE, "3", ""),
    ("1.5倍以上", {"unit": "亿元"}, K.MULTIPLE, "1.5", "亿元"),
    ("3倍", {"unit": "倍"}, K.AT_LEAST, "3", "倍"),
    ("〔50〕", {}, K.CUMULATIVE, "50", ""),
    ("[50]", {}, K.CUMULATIVE, "50", ""),
    ("［50］", {"unit": "个"}, K.CUMULATIVE, "50", "个"),
    ("累计50个", {}, K.CUMULATIVE, "50", "个"),
    ("五年累计引进1000名", {}, K.CUMULATIVE, "1000", "名"),
    ("累计承担国家重大科技项目5000多项", {}, K.CUMULATIVE, "5000", "项"),
    ("2021-2025年累计新增50家", {}, K.CUMULATIVE, "50", "家"),
    ("１．６５", {"unit": "%"}, K.AT_LEAST, "1.65", "%"),
    ("2", {"unit": "%"}, K.AT_LEAST, "2", "%"),
    ("13", {"unit": "%", "direction": "down"}, K.AT_MOST, "13", "%"),
    ("3.5%", {}, K.AT_LEAST, "3.5", "%"),
    ("-2", {"unit": "%"}, K.AT_LEAST, "-2", "%"),
    ("2(预期性)", {"unit": "%"}, K.AT_LEAST, "2", "%"),
    ("〔15〕", {"unit": "%", "direction": "down"}, K.CUMULATIVE, "15", "%"),
    ("＞5", {"unit": "%"}, K.ABOVE, "5", "%"),
]


@pytest.mark.parametrize(("text", "kwargs", "kind", "value", "unit"), SINGLE_VALUE_PHRASES)
def test_parse_single_value_phrases(text, kwargs, kind, value, unit):
    t = parse_target(text, **kwargs)
    assert (t.kind, t.value, t.unit) == (kind, D(value), unit)
    assert t.text == text  # the phrase as written, un-normalised
    assert t.is_quantitative


@pytest.mark.parametrize(
    ("text", "kwargs", "low", "high", "unit", "direction"),
    [
        ("25－30个", {}, "25", "30", "个", UP),
        ("25—30", {}, "25", "30", "", UP),
        ("25-30", {}, "25", "30", "", UP),
        ("25～30家", {}, "25", "30", "家", UP),
        ("80-100个", {}, "80", "100", "个", UP),
        ("25至30", {}, "25", "30", "", UP),
        ("25个-30个", {}, "25", "30", "个", UP),
        ("2.5%—3%", {}, "2.5", "3", "%", UP),
        ("30-25", {}, "25", "30", "", UP),
        ("打造25－30个国内一流的省临床医学研究中心", {}, "25", "30", "个", UP),
        ("25-30", {"direction": "down"}, "25", "30", "", DOWN),
        ("降低到25-30个", {}, "25", "30", "个", DOWN),
        ("控制在25—30", {"direction": "up"}, "25", "30", "", DOWN),
        ("25-30", {"unit": "%"}, "25", "30", "%", UP),
    ],
)
def test_parse_ranges(text, kwargs, low, high, unit, direction):
    t = parse_target(text, **kwargs)
    assert (t.kind, t.low, t.high, t.unit, t.direction) == (K.RANGE, D(low), D(high), unit, direction)
    assert t.value is None


@pytest.mark.parametrize(
    ("text", "kwargs", "kind", "value", "direction"),
    [
        ("单位GDP能耗年均下降3%", {}, K.GROWTH, "-3", DOWN),
        ("单位GDP能耗降低13.5%", {}, K.GROWTH, "-13.5", DOWN),
        ("年均增长控制在5%以内", {}, K.GROWTH, "5", DOWN),
        ("年均增长20%以上", {"direction": "down"}, K.GROWTH, "20", UP),  # the text is explicit
        ("控制在30个左右", {}, K.APPROX, "30", DOWN),
        ("30左右", {"direction": "down"}, K.APPROX, "30", DOWN),
        ("30左右", {}, K.APPROX, "30", UP),
        ("达到3.5%", {"direction": "down"}, K.AT_LEAST, "3.5", UP),
        ("保持第三位", {"direction": "up"}, K.RANK, "3", DOWN),
        ("5", {"direction": "up"}, K.AT_LEAST, "5", UP),
        ("5", {"direction": "down"}, K.AT_MOST, "5", DOWN),
    ],
)
def test_direction(text, kwargs, kind, value, direction):
    t = parse_target(text, **kwargs)
    assert (t.kind, t.value, t.direction) == (kind, D(value), direction)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("不低于全市平均水平", K.RELATIVE),
        ("高于GDP增长", K.RELATIVE),
        ("快于地区生产总值增速", K.RELATIVE),
        ("高于全国平均水平2个百分点", K.RELATIVE),
        ("保持在合理区间", K.QUALITATIVE),
        ("明显提升", K.QUALITATIVE),
        ("显著提升", K.QUALITATIVE),
        ("", K.QUALITATIVE),
        ("   ", K.QUALITATIVE),
        ("—", K.QUALITATIVE),
        ("约束性", K.QUALITATIVE),
        ("NaN", K.QUALITATIVE),
        ("Infinity", K.QUALITATIVE),
        ("-Infinity%", K.QUALITATIVE),
        ("1e5", K.QUALITATIVE),
        ("9" * 500, K.QUALITATIVE),
        ("达到" + "9" * 500 + "%", K.QUALITATIVE),
        ("国科发社〔2011〕279号", K.QUALITATIVE),
    ],
)
def test_non_quantitative(text, kind):
    t = parse_target(text, unit="%", direction="down")
    assert t.kind is kind
    assert not t.is_quantitative
    assert (t.value, t.low, t.high, t.headline) == (None, None, None, None)
    assert t.text == text
    assert t.render() == text
    assert t.symbol() == text
    assert t.is_met(D("1"), baseline=D("1")) is None
    assert t.direction == DOWN  # the hint is kept for relative/qualitative targets


def test_first_phrase_wins_when_several_targets_share_a_sentence():
    t = parse_target("战略性新兴企业达到24家、产值占规上工业总产值比重超过20%")
    assert (t.kind, t.value, t.unit) == (K.AT_LEAST, D(24), "家")


def test_big_but_valid_numbers_are_kept_exactly():
    t = parse_target("达到12345678901234567890.5亿元")  # 21 significant digits: rejected
    assert t.kind is K.QUALITATIVE
    t = parse_target("达到1234567890123456789.5亿元")  # 20
    assert t.value == D("1234567890123456789.5")


def test_invalid_direction_hint_is_a_programming_error():
    with pytest.raises(ValueError):
        parse_target("5", direction="sideways")
    assert parse_target("5", direction="").kind is K.AT_LEAST


# ---------------------------------------------------------------------------
# is_met
# ---------------------------------------------------------------------------


def T(text, **kwargs):
    return parse_target(text, **kwargs)


@pytest.mark.parametrize(
    ("target", "value", "baseline", "expected"),
    [
        (T("达到3.5%"), "3.5", None, True),
        (T("达到3.5%"), "3.49", None, False),
        (T("达到3.5%"), "4", None, True),
        (T("控制在3%以内"), "3", None, True),
        (T("控制在3%以内"), "3.01", None, False),
        (T("突破13000亿元"), "13000", None, False),
        (T("突破13000亿元"), "13000.01", None, True),
        (T("<0.5"), "0.5", None, False),
        (T("<0.5"), "0.49", None, True),
        (T("25－30个"), "25", None, True),
        (T("25－30个"), "24", None, False),
        (T("25－30个"), "35", None, True),
        (T("25-30", direction="down"), "30", None, True),
        (T("25-30", direction="down"), "31", None, False),
        (T("30个左右"), "28.5", None, True),  # exactly 95 %
        (T("30个左右"), "28.49", None, False),
        (T("控制在30个左右"), "31.5", None, True),  # exactly 105 %
        (T("控制在30个左右"), "31.51", None, False),
        (T("保持第三位"), "3", None, True),
        (T("保持第三位"), "1", None, True),
        (T("保持第三位"), "4", None, False),
        (T("进入前15位"), "15", None, True),
        (T("年均增长20%以上"), "20", None, True),
        (T("年均增长20%以上"), "19.99", None, False),
        (T("年均下降3%"), "-3", None, True),
        (T("年均下降3%"), "-2", None, False),
        (T("翻一番"), "6.9", "3.05", True),
        (T("翻一番"), "6.1", "3.05", True),
        (T("翻一番"), "6.09", "3.05", False),
        (T("翻一番"), "6.9", None, None),
        (T("翻两番"), "12", "3", True),
        (T("〔50〕"), "50", None, True),
        (T("累计1000名"), "999", None, False),
        (T("达到3.5%"), None, None, None),
        (T("达到3.5%"), D("NaN"), None, None),
        (T("达到3.5%"), 4, None, True),  # ints are fine
    ],
)
def test_is_met(target, value, baseline, expected):
    v = D(value) if isinstance(value, str) else value
    b = None if baseline is None else D(baseline)
    assert target.is_met(v, baseline=b) is expected


def test_is_met_refuses_floats():
    with pytest.raises(TypeError):
        T("达到3.5%").is_met(3.5)


def test_approx_tolerance_is_configurable():
    t = Target(K.APPROX, value=D(100), tolerance=D("0.1"))
    assert t.is_met(D(90)) is True
    assert t.is_met(D("89.9")) is False


def test_is_met_with_absurd_baseline_does_not_raise():
    assert T("翻一番").is_met(D(1), baseline=D("9E+999999")) is None


# ---------------------------------------------------------------------------
# Target: construction, headline, render, symbol
# ---------------------------------------------------------------------------


def test_direction_follows_kind_when_implied():
    assert Target(K.AT_LEAST, value=D(1), direction=DOWN).direction == UP
    assert Target(K.RANK, value=D(1)).direction == DOWN
    assert Target(K.BELOW, value=D(1)).direction == DOWN
    assert Target(K.RANGE, low=D(1), high=D(2), direction=DOWN).direction == DOWN


def test_constructor_coerces_and_validates():
    t = Target("at_least", value=3, unit="%")
    assert t.kind is K.AT_LEAST and t.value == D(3)
    assert Target(K.AT_LEAST, value="1,234.5").value == D("1234.5")
    with pytest.raises(TypeError):
        Target(K.AT_LEAST, value=3.5)
    with pytest.raises(ValueError):
        Target(K.AT_LEAST, value=D("NaN"))
    with pytest.raises(ValueError):
        Target(K.APPROX, value=D(1), direction="sideways")


def test_headline():
    assert T("25－30个").headline == D(25)
    assert T("25－30个", direction="down").headline == D(30)
    assert T("达到3.5%").headline == D("3.5")
    assert T("高于GDP增长").headline is None


@pytest.mark.parametrize(
    ("text", "kwargs", "rendered", "symbol"),
    [
        ("达到3.5%", {}, "达到3.5%", "≥ 3.5%"),
        ("25－30个", {}, "25—30个", "25–30 个"),
        ("30个左右", {}, "30个左右", "≈ 30 个"),
        ("突破13000亿元", {}, "突破13000亿元", "> 13000 亿元"),
        ("保持第三位", {}, "保持第3位", "≤ 第3位"),
        ("进入前15位", {}, "前15位", "≤ 第15位"),
        ("年均增长20%以上", {}, "年均增长20%以上", "年均 ≥ 20%"),
        ("翻一番", {}, "翻一番", "×2 基期"),
        ("是2010年的1.6倍", {}, "达到基期的1.6倍", "×1.6 基期"),
        ("五年累计引进1000名", {}, "累计1000名", "Σ ≥ 1000 名"),
        ("＞5", {}, "＞5", "> 5"),
        ("<0.5", {}, "＜0.5", "< 0.5"),
        ("低于0.5", {}, "低于0.5", "< 0.5"),
        ("控制在3%以内", {}, "控制在3%以内", "≤ 3%"),
        ("13000亿元以上", {}, "13000亿元以上", "≥ 13000 亿元"),
        ("年均下降3%", {}, "年均下降3%以上", "年均 ≤ -3%"),
        ("控制在30个左右", {}, "控制在30个左右", "≈ 30 个"),
        ("2", {"unit": "%"}, "达到2%", "≥ 2%"),
        ("高于GDP增长", {}, "高于GDP增长", "高于GDP增长"),
    ],
)
def test_render_and_symbol(text, kwargs, rendered, symbol):
    t = parse_target(text, **kwargs)
    assert t.render() == rendered
    assert str(t) == rendered
    assert t.symbol() == symbol


def test_render_never_uses_exponent_notation():
    assert Target(K.AT_LEAST, value=D("1E+3"), unit="家").render() == "达到1000家"


def test_dict_round_trip():
    for text in ("25－30个", "控制在30个左右", "翻一番", "高于GDP增长", "年均下降3%"):
        t = parse_target(text, unit="%")
        assert Target.from_dict(t.to_dict()) == t


def test_kind_is_a_plain_string():
    assert K.AT_LEAST == "at_least"
    assert str(K.RANK) == "rank"


# ---------------------------------------------------------------------------
# normalize, parse_decimal
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１２３％", "123%"),
        ("１．６５", "1.65"),
        ("（约束性）", "(约束性)"),
        ("\u3000达 到\t3.5 %\n", "达到3.5%"),
        ("＞５，＜６", ">5,<6"),
        ("25～30", "25~30"),
        ("25－30", "25-30"),
        ("億萬達標於內產項個實現", "亿万达标于内产项个实现"),
        ("增長超過累計進入翻兩番", "增长超过累计进入翻两番"),
        ("〔50〕", "〔50〕"),
        ("a\u200bb\x00c", "abc"),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.5", "1234.5"),
        ("１．６５", "1.65"),
        ("3.5%", "3.5"),
        ("-2", "-2"),
        ("+2", "2"),
        (".5", "0.5"),
        ("0042", "42"),
        ("三", "3"),
        ("十", "10"),
        ("十五", "15"),
        ("二十", "20"),
        ("两", "2"),
        ("一百零五", "105"),
        ("9" * 20, "9" * 20),
        ("0.000000000000000000000000001", "1E-27"),
    ],
)
def test_parse_decimal(text, expected):
    assert parse_decimal(text) == D(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "sNaN",
        "1e5",
        "9" * 21,
        "1,2345",
        "三三",
        "十十",
        "1.2.3",
        "%",
    ],
)
def test_parse_decimal_rejects(text):
    assert parse_decimal(text) is None


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

UNITS = [
    "",
    "%",
    "‰",
    "亿元",
    "万元",
    "万篇",
    "个",
    "家",
    "人年",
    "件",
    "项",
    "名",
    "万人",
    "个百分点",
    "km",
    "吨/万元",
]
amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
signed_amounts = st.decimals(
    min_value=-(10**6), max_value=10**6, places=2, allow_nan=False, allow_infinity=False
)
units = st.sampled_from(UNITS)
directions = st.sampled_from([UP, DOWN])
hints = st.sampled_from([None, UP, DOWN])


@st.composite
def quantitative_targets(draw):
    kind = draw(st.sampled_from([k for k in K if k not in (K.RELATIVE, K.QUALITATIVE)]))
    unit, direction = draw(units), draw(directions)
    if kind is K.RANGE:
        low, high = sorted([draw(amounts), draw(amounts)])
        return Target(kind, low=low, high=high, unit=unit, direction=direction)
    if kind is K.RANK:
        return Target(kind, value=D(draw(st.integers(1, 500))), unit=unit)
    if kind is K.GROWTH:
        return Target(kind, value=draw(signed_amounts), unit=unit, direction=direction)
    if kind is K.MULTIPLE:
        value = draw(st.one_of(st.sampled_from([D(2), D(4), D(8)]), amounts))
        return Target(kind, value=value, unit=unit)
    return Target(kind, value=draw(amounts), unit=unit, direction=direction)


@settings(max_examples=500)
@given(quantitative_targets())
def test_render_round_trips(t):
    back = parse_target(t.render(), unit=t.unit)
    assert (back.kind, back.value, back.low, back.high, back.unit, back.direction) == (
        t.kind,
        t.value,
        t.low,
        t.high,
        t.unit,
        t.direction,
    ), t.render()


@settings(max_examples=300)
@given(quantitative_targets(), amounts, amounts)
def test_is_met_and_symbol_never_raise(t, value, baseline):
    assert t.is_met(value, baseline=baseline) in (True, False)
    assert t.symbol()
    assert t.headline is not None


def _check_total(text, unit="", direction=None):
    t = parse_target(text, unit=unit, direction=direction)
    assert isinstance(t, Target)
    assert t.text == text
    t.render()
    t.symbol()
    t.is_met(D(1), baseline=D(1))
    if t.is_quantitative:
        assert t.headline is not None


@settings(max_examples=1000)
@given(st.text(), units, hints)
def test_parse_target_never_raises_on_any_text(text, unit, direction):
    _check_total(text, unit, direction)


# Fragments that exercise the grammar: numbers of every shape, keywords, separators.
FRAGMENTS = [
    "达到", "提高到", "降低到", "控制在", "以内", "以上", "以下", "左右", "约", "突破", "超过", "不低于",
    "不超过", "低于", "高于", "前", "第", "位", "保持", "进入", "年均", "增长", "下降", "翻", "番", "倍",
    "的", "累计", "新增", "〔", "〕", "[", "]", "＞", "<", "≥", "≤", "-", "—", "～", "至", "%", "％", "亿元",
    "万篇", "个", "年", "三", "十五", "两", "1", "25", "3.5", "１．６５", "1,234", "0", ".", ",", "，",
    "9" * 30, "NaN", "Infinity", "e5", "(", ")", "\u3000", "\x00", "\u200b", "億", "🙂", "ア", "ß",
]  # fmt: skip


@settings(max_examples=2000)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join), units, hints)
def test_parse_target_never_raises_on_grammar_soup(text, unit, direction):
    _check_total(text, unit, direction)


def test_parse_target_huge_inputs():
    for text in ("9" * 500, "9" * 100_000, "达到" * 5000 + "3%", "1," * 5000, "〔" * 3000):
        _check_total(text)


@given(st.text())
def test_parse_decimal_never_raises(text):
    d = parse_decimal(text)
    assert d is None or d.is_finite()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("保持在合理区间、各年度视情提出", K.QUALITATIVE),
        ("高于GDP增长", K.RELATIVE),
        ("与GDP增长基本同步", K.RELATIVE),
        ("不低于全市平均水平", K.RELATIVE),
    ],
)
def test_it_keeps_the_phrases_of_a_national_table_as_text(text, kind):
    target = parse_target(text, unit="%")
    assert (target.kind, target.text, target.value) == (kind, text, None)


def test_it_types_the_symbols_of_a_growth_column():
    assert (parse_target("＞7").kind, parse_target("＞7").value) == (K.ABOVE, D(7))
    assert (parse_target("＜5.5").kind, parse_target("＜5.5").direction) == (K.BELOW, DOWN)
    assert parse_target("＞7、力争投入强度高于“十三五”时期实际").value == D(7)
