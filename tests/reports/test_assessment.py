"""Tests for reports.assessment: the pure assessment method of DESIGN.md §4."""

import json
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.targets import Target, TargetKind
from reports.assessment import (
    Assessment,
    IndicatorInput,
    SdgStatus,
    Trend,
    Verdict,
    assess,
    assess_series,
    sdg_status,
)
from reports.assessment.wording import render

K = TargetKind


def target(kind, value=None, *, low=None, high=None, direction="up", unit="", text=""):
    return Target(
        kind=kind,
        value=None if value is None else D(value),
        low=None if low is None else D(low),
        high=None if high is None else D(high),
        unit=unit,
        text=text,
        direction=direction,
    )


def indicator(kind=K.AT_LEAST, value="2.5", *, values=(), baseline="2.1", **kw):
    """R&D intensity style defaults: baseline 2.1 in 2015, target 2.5 in 2020."""
    kw.setdefault("baseline_year", 2015)
    kw.setdefault("target_year", 2020)
    tkw = {k: kw.pop(k) for k in ("low", "high", "text") if k in kw}
    direction = kw.get("direction", "up")
    return IndicatorInput(
        target=target(kind, value, direction=direction, unit=kw.get("unit", ""), **tkw),
        baseline_value=None if baseline is None else D(baseline),
        values={year: D(v) for year, v in dict(values).items()},
        **kw,
    )


def rnd():
    """The worked example of the brief."""
    return indicator(values={2017: "2.2"})


# --------------------------------------------------------------------- worked examples


def test_it_assesses_the_worked_example():
    result = assess(rnd(), 2017)

    assert result.verdict == Verdict.BEHIND
    assert result.time_share == D("0.4")
    assert result.completion == D("0.25")
    assert result.value == D("2.2") and result.value_year == 2017
    assert result.sdg_ratio == D("0.66")
    assert result.sdg_status == SdgStatus.ACCELERATE
    assert result.projected == D("2.36")
    assert result.projected_verdict == Trend.ACCELERATE
    assert result.observed_growth == D("0.0235")
    assert result.required_growth == D("0.0435")  # (2.5/2.2)^(1/3) − 1
    assert result.warning is False


def test_it_explains_with_the_numbers():
    assert assess(rnd(), 2017).explanation == (
        "2017年：2.2，时序进度40%，完成进度25%，滞后；"
        "按2015年以来年均增长2.35%推算，2020年预计2.36，需加快；其余年份需年均增长4.35%"
    )


def test_it_prints_values_as_people_write_them_with_their_unit():
    result = assess(indicator(values={2017: "2.40"}, unit="%"), 2017)  # core.numbers: no padding zeros

    assert result.explanation.startswith("2017年：2.4%，时序进度40%，完成进度75%，快于预期")


def test_it_takes_the_baseline_from_the_values_when_not_given():
    result = assess(indicator(baseline=None, values={2015: "2.1", 2017: "2.2"}), 2017)

    assert (result.completion, result.verdict, result.baseline_value) == (D("0.25"), Verdict.BEHIND, D("2.1"))


def test_it_judges_a_rank_where_lower_is_better():
    ind = indicator(K.RANK, "15", baseline="18", values={2018: "16"}, direction="down")
    result = assess(ind, 2018)

    assert result.completion == D("0.6667")
    assert result.time_share == D("0.6")
    assert result.verdict == Verdict.AHEAD  # 0.6667 ≥ 0.6 + 0.05
    assert result.projected_verdict == Trend.LIKELY
    assert result.required_growth < 0
    assert "年均下降" in result.explanation


def test_it_judges_a_doubling_against_twice_the_baseline():
    ind = indicator(K.MULTIPLE, "2", baseline="3.05", values={2017: "4.5", 2020: "6.9"})

    assert assess(ind, 2020).verdict == Verdict.ACHIEVED
    assert assess(ind, 2020).target_value == D("6.10")
    midway = assess(ind, 2017)
    assert midway.completion == D("0.4754")  # (4.5 − 3.05) / (6.10 − 3.05)
    assert midway.verdict == Verdict.AHEAD


def test_it_sums_a_cumulative_target():
    ind = indicator(K.CUMULATIVE, "50", baseline=None, values={2016: "12", 2017: "9", 2018: "11"}, unit="个")
    result = assess(ind, 2018)

    assert result.value == D("32")
    assert result.completion == D("0.64")
    assert result.time_share == D("0.6")
    assert result.verdict == Verdict.ON_TRACK  # 0.64 − 0.6 = 0.04 < δ
    assert result.projected == D("53.33")  # 32 + 32/3 × 2
    assert result.projected_verdict == Trend.LIKELY
    assert result.required_annual == D("9")
    assert result.explanation == (
        "2016–2018年累计：32个，时序进度60%，完成进度64%，基本符合预期；"
        "按年均10.67个推算，2020年预计累计53.33个，预计可完成；其余年份需年均9个"
    )


def test_it_sums_from_the_start_year_when_given():
    values = {2015: "100", 2016: "12", 2017: "9", 2018: "11"}
    ind = indicator(K.CUMULATIVE, "50", baseline=None, baseline_year=None, start_year=2016, values=values)

    assert assess(ind, 2018).value == D("32")


def test_it_treats_cumulative_aggregation_like_a_cumulative_target():
    values = {2016: "12", 2017: "9", 2018: "11"}
    ind = indicator(K.AT_LEAST, "50", baseline=None, aggregation="cumulative", values=values)

    assert (assess(ind, 2018).completion, assess(ind, 2018).verdict) == (D("0.64"), Verdict.ON_TRACK)


def test_it_counts_a_cumulative_total_reached_early_as_achieved():
    ind = indicator(K.CUMULATIVE, "50", baseline=None, values={2016: "30", 2017: "25"})

    assert assess(ind, 2017).verdict == Verdict.ACHIEVED


def test_it_fails_a_cumulative_total_short_at_the_target_year_and_ignores_later_years():
    values = {2016: "10", 2017: "10", 2018: "10", 2019: "10", 2020: "9", 2021: "50"}
    result = assess(indicator(K.CUMULATIVE, "50", baseline=None, values=values), 2021)

    assert (result.verdict, result.value, result.value_year) == (Verdict.NOT_ACHIEVED, D("49"), 2020)


def test_it_notes_missing_years_of_a_cumulative_target():
    result = assess(indicator(K.CUMULATIVE, "50", baseline=None, values={2016: "12", 2018: "11"}), 2018)

    assert result.value == D("23")
    assert "2017年无数据" in result.explanation


def test_it_judges_a_cumulative_cap_where_lower_is_better():
    def cap(values):
        return indicator(K.AT_MOST, "100", baseline=None, aggregation="cumulative", values=values)

    assert assess(cap({2016: "10", 2017: "10", 2018: "10"}), 2018).verdict == Verdict.AHEAD  # 30% used at 60%
    assert assess(cap({2016: "60", 2017: "50"}), 2017).verdict == Verdict.NOT_ACHIEVED
    assert assess(cap({y: "20" for y in range(2016, 2021)}), 2020).verdict == Verdict.ACHIEVED


def test_it_meets_a_range_by_its_lower_bound():
    ind = indicator(
        K.RANGE, None, low="25", high="30", baseline=None, baseline_year=None, start_year=2016, values={2018: "26"}
    )

    assert assess(ind, 2018).verdict == Verdict.ACHIEVED


def test_it_meets_an_approximate_target_within_tolerance():
    ind = indicator(K.APPROX, "30", baseline=None, values={2019: "29"})

    assert assess(ind, 2019).verdict == Verdict.ACHIEVED


def test_it_requires_above_to_be_strictly_above():
    ind = indicator(K.ABOVE, "13000", baseline="9000", values={2020: "13000"}, unit="亿元")

    assert assess(ind, 2020).verdict == Verdict.NOT_ACHIEVED


# --------------------------------------------------------------------- growth floors


def growth(values, baseline="500", floor="20", **kw):
    return indicator(K.GROWTH, floor, baseline=baseline, values=values, unit="亿元", **kw)


def test_it_keeps_a_growth_floor_on_track_not_achieved_before_the_target_year():
    # 500 × 1.2³ = 864: exactly 20% a year, but a rate is only achieved over the whole period
    result = assess(growth({2018: "864"}), 2018)

    assert result.verdict == Verdict.ON_TRACK
    assert (result.completion, result.observed_growth, result.sdg_ratio) == (D("1"), D("0.2"), D("1"))
    assert result.projected == D("1244.16")
    assert result.projected_verdict == Trend.LIKELY
    assert "年均增长20%（目标年均增长20%以上）" in result.explanation


def test_it_finds_a_slow_growth_behind():
    result = assess(growth({2018: "700"}), 2018)  # 11.9% a year

    assert result.verdict == Verdict.BEHIND
    assert result.completion == D("0.5934")  # 0.1187 / 0.20
    assert result.projected_verdict == Trend.ACCELERATE
    assert result.required_growth > D("0.2")


def test_it_achieves_a_growth_floor_at_the_target_year():
    assert assess(growth({2020: "1244.16"}), 2020).verdict == Verdict.ACHIEVED
    assert assess(growth({2020: "1200"}), 2020).verdict == Verdict.NOT_ACHIEVED
    assert assess(growth({2018: "864"}, target_year=2018), 2018).verdict == Verdict.ACHIEVED  # exactly 20%


def test_it_finds_a_falling_value_regressing_against_a_growth_floor():
    assert assess(growth({2017: "480"}), 2017).verdict == Verdict.REGRESSING


def test_it_judges_a_decline_target():
    # 年均下降3%: value −3, direction down; 100 → 90 in three years is −3.45% a year
    ind = growth({2018: "90"}, baseline="100", floor="-3", direction="down")

    assert assess(ind, 2018).verdict == Verdict.AHEAD
    rising = growth({2018: "101"}, baseline="100", floor="-3", direction="down")
    assert assess(rising, 2018).verdict == Verdict.REGRESSING


def test_it_compounds_yearly_rates_for_growth_aggregation():
    ind = growth({2016: "22", 2017: "18", 2018: "20"}, baseline=None, aggregation="growth")
    result = assess(ind, 2018)

    assert result.verdict == Verdict.ON_TRACK
    assert result.observed_growth == D("0.1999")
    assert result.value == D("20")


def test_it_cannot_assess_growth_without_a_positive_baseline_or_value():
    assert assess(growth({2018: "864"}, baseline=None), 2018).reason == "增速目标缺少基期值"
    assert assess(growth({2018: "864"}, baseline="0"), 2018).verdict == Verdict.NOT_ASSESSABLE
    assert assess(growth({2018: "0"}), 2018).verdict == Verdict.NOT_ASSESSABLE
    assert assess(growth({2015: "500"}), 2015).verdict == Verdict.NOT_ASSESSABLE


# --------------------------------------------------------------------- verdicts


def test_it_judges_an_at_most_target_where_lower_is_better():
    def energy(values):
        return indicator(K.AT_MOST, "0.6", baseline="0.8", values=values, direction="down")

    assert assess(energy({2018: "0.7"}), 2018).completion == D("0.5")
    assert assess(energy({2018: "0.7"}), 2018).verdict == Verdict.BEHIND  # 0.5 ≤ 0.6 − 0.05
    assert assess(energy({2018: "0.68"}), 2018).verdict == Verdict.ON_TRACK
    assert assess(energy({2018: "0.66"}), 2018).verdict == Verdict.AHEAD
    assert assess(energy({2020: "0.6"}), 2020).verdict == Verdict.ACHIEVED
    assert assess(energy({2020: "0.62"}), 2020).verdict == Verdict.NOT_ACHIEVED


def test_it_finds_a_value_moving_away_regressing():
    assert assess(indicator(values={2017: "2.0"}), 2017).verdict == Verdict.REGRESSING
    rank = indicator(K.RANK, "15", baseline="18", values={2018: "20"}, direction="down")
    assert assess(rank, 2018).verdict == Verdict.REGRESSING


def test_it_finds_a_baseline_that_met_the_target_and_lost_it_regressing():
    assert assess(indicator(baseline="2.7", values={2017: "2.4"}), 2017).verdict == Verdict.REGRESSING


def test_it_warns_on_binding_indicators_below_pace_only():
    assert assess(indicator(values={2017: "2.2"}, attribute="binding"), 2017).warning is True
    assert assess(indicator(values={2017: "2.0"}, attribute="binding"), 2017).warning is True
    assert assess(indicator(values={2017: "2.6"}, attribute="binding"), 2017).warning is False
    assert assess(indicator(values={2017: "2.2"}), 2017).warning is False
    assert assess(indicator(values={}, attribute="binding"), 2017).warning is False


def test_it_does_not_achieve_after_the_target_year():
    result = assess(indicator(values={2020: "2.4"}, attribute="binding"), 2021)

    assert result.verdict == Verdict.NOT_ACHIEVED
    assert (result.value_year, result.completion, result.time_share) == (2020, D("0.75"), D("1"))
    assert (result.projected, result.projected_verdict, result.required_growth) == (None, None, None)
    assert result.warning is True
    assert result.explanation == "2020年（2021年尚无数据）：2.4，时序进度100%，完成进度75%，未完成"


def test_it_judges_the_latest_value_on_pace_when_the_target_year_has_none_yet():
    result = assess(indicator(values={2019: "2.42"}), 2020)

    assert (result.verdict, result.time_share) == (Verdict.ON_TRACK, D("0.8"))  # not 未完成


def test_it_uses_a_configurable_tolerance():
    ind = indicator(values={2017: "2.23"})  # p = 0.325, e = 0.4

    assert assess(ind, 2017).verdict == Verdict.BEHIND
    assert assess(ind, 2017, tolerance=D("0.10")).verdict == Verdict.ON_TRACK


def test_it_is_on_track_at_the_baseline_year():
    result = assess(indicator(values={2015: "2.1"}), 2015)

    assert (result.verdict, result.time_share, result.completion) == (Verdict.ON_TRACK, D("0"), D("0"))
    assert result.projected is None and result.sdg_ratio is None


def test_it_projects_from_the_latest_value_across_missing_years():
    result = assess(indicator(values={2016: "2.15", 2018: "2.3"}), 2019)

    assert (result.value, result.value_year) == (D("2.3"), 2018)
    assert result.projected == D("2.44")  # 2.3 × ((2.3/2.1)^(1/3))², from 2018 to 2020
    assert result.explanation.startswith("2018年（2019年尚无数据）：2.3")


def test_it_projects_from_the_first_value_without_a_baseline():
    result = assess(indicator(baseline=None, values={2016: "2.0", 2018: "2.2"}), 2018)

    assert result.completion == D("0.88")  # a / t
    assert result.observed_growth == D("0.0488")  # (2.2/2.0)^(1/2) − 1
    assert result.projected == D("2.42")
    assert result.sdg_ratio is None


def test_it_uses_t_over_a_without_a_baseline_when_lower_is_better():
    ind = indicator(K.RANK, "15", baseline=None, values={2018: "20"}, direction="down")

    assert assess(ind, 2018).completion == D("0.75")


# --------------------------------------------------------------------- no data, not assessable


def test_it_has_no_data_without_values_at_or_before_the_year():
    result = assess(indicator(values={2019: "2.4"}), 2017)

    assert (result.verdict, result.reason) == (Verdict.NO_DATA, "尚无已审核数据")
    assert result.value is None and result.completion is None


def test_it_cannot_assess_qualitative_or_relative_targets():
    qualitative = assess(indicator(K.QUALITATIVE, None, values={2017: "1"}, text="显著提升"), 2017)
    relative = assess(indicator(K.RELATIVE, None, values={2017: "1"}, text="高于全国平均水平"), 2017)

    assert (qualitative.verdict, qualitative.reason) == (Verdict.NOT_ASSESSABLE, "目标为定性表述：显著提升")
    assert relative.reason == "目标为相对表述：高于全国平均水平"


def test_it_cannot_assess_a_baseline_equal_to_an_unmet_target():
    ind = indicator(K.ABOVE, "13000", baseline="13000", values={2017: "13000"})

    assert (assess(ind, 2017).verdict, assess(ind, 2017).reason) == (Verdict.NOT_ASSESSABLE, "基期值等于目标值")
    assert assess(ind, 2020).verdict == Verdict.NOT_ASSESSABLE  # still only 2017 data
    ind = indicator(K.ABOVE, "13000", baseline="13000", values={2020: "13000"})
    assert assess(ind, 2020).verdict == Verdict.NOT_ACHIEVED


def test_it_achieves_a_baseline_equal_to_a_met_target():
    result = assess(indicator(baseline="2.5", values={2017: "2.5"}), 2017)

    assert (result.verdict, result.completion) == (Verdict.ACHIEVED, None)


def test_it_cannot_assess_a_value_only_before_the_baseline_year():
    result = assess(indicator(values={2013: "2.0"}), 2017)

    assert result.verdict == Verdict.NOT_ASSESSABLE
    assert result.reason == "仅有基期（2015年）之前的数据"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"target_year": None}, "未设定目标年份"),
        ({"baseline_year": None}, "缺少基期年份和规划起始年份"),
        ({"baseline_year": 2020}, "基期年份不早于目标年份"),
        ({"kind": K.MULTIPLE, "value": "2", "baseline": None}, "翻番目标缺少基期值"),
        ({"kind": K.AT_LEAST, "value": None}, "缺少目标值"),
    ],
)
def test_it_explains_why_it_cannot_assess(changes, reason):
    kind, value = changes.pop("kind", K.AT_LEAST), changes.pop("value", "2.5")
    result = assess(indicator(kind, value, values={2017: "2.2"}, **changes), 2017)

    assert (result.verdict, result.reason) == (Verdict.NOT_ASSESSABLE, reason)
    assert reason in result.explanation


def test_it_cannot_assess_a_zero_target_without_a_baseline():
    result = assess(indicator(K.AT_LEAST, "0", baseline=None, values={2017: "-1"}), 2017)

    assert result.verdict == Verdict.NOT_ASSESSABLE


def test_it_assesses_a_zero_baseline_but_skips_the_projection():
    result = assess(indicator(K.AT_LEAST, "10", baseline="0", values={2017: "3"}), 2017)

    assert (result.completion, result.verdict) == (D("0.3"), Verdict.BEHIND)
    assert (result.projected, result.projected_verdict, result.sdg_ratio) == (None, None, None)
    assert result.required_growth == D("0.4938")  # (10/3)^(1/3) − 1
    assert "无法按年均增速推算" in result.explanation


def test_it_assesses_negative_values_without_projecting():
    result = assess(indicator(K.AT_LEAST, "2", baseline="-1", values={2017: "-2"}), 2017)

    assert result.verdict == Verdict.REGRESSING
    assert (result.projected, result.sdg_ratio, result.required_growth) == (None, None, None)


def test_it_assesses_a_target_of_zero():
    result = assess(indicator(K.AT_MOST, "0", baseline="5", values={2018: "2"}), 2018)

    assert (result.completion, result.verdict, result.required_growth) == (D("0.6"), Verdict.ON_TRACK, None)


# --------------------------------------------------------------------- series, enums, SDG


def test_it_assesses_a_series_for_the_heatmap():
    ind = indicator(values={2016: "2.15", 2017: "2.2", 2019: "2.45", 2020: "2.5"})
    series = assess_series(ind, range(2015, 2022))

    assert list(series) == list(range(2015, 2022))
    assert [a.verdict for a in series.values()] == [
        Verdict.NO_DATA,
        Verdict.BEHIND,
        Verdict.BEHIND,
        Verdict.BEHIND,  # 2018 has no value: 2017's is judged
        Verdict.AHEAD,
        Verdict.ACHIEVED,
        Verdict.ACHIEVED,
    ]


def test_it_labels_its_codes_in_chinese():
    assert Verdict.BEHIND.label == "滞后" and Verdict("not_assessable").label == "无法评估"
    assert Trend.ACCELERATE.label == "需加快"
    assert SdgStatus.DETERIORATION.label == "倒退"
    assert str(Verdict.ON_TRACK) == "on_track"
    assert json.dumps([Verdict.AHEAD, SdgStatus.LIMITED]) == '["ahead", "limited"]'


@pytest.mark.parametrize(
    ("ratio", "status"),
    [("0.95", SdgStatus.ON_TRACK), ("0.94", SdgStatus.ACCELERATE), ("0.6", SdgStatus.ACCELERATE),
     ("0.59", SdgStatus.LIMITED), ("0", SdgStatus.LIMITED), ("-0.01", SdgStatus.DETERIORATION)],
)  # fmt: skip
def test_it_grades_the_sdg_ratio(ratio, status):
    assert sdg_status(D(ratio)) == status


def test_it_returns_decimals_never_floats():
    result = assess(rnd(), 2017)

    numbers = [result.completion, result.time_share, result.projected, result.required_growth]
    assert all(isinstance(n, D) for n in [*numbers, result.sdg_ratio, result.observed_growth])


# --------------------------------------------------------------------- never raises

amounts = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
edge_amounts = st.sampled_from([D(0), D("0.01"), D("-0.01"), D(-100)])
maybe_amounts = st.none() | amounts | edge_amounts
years = st.integers(min_value=2010, max_value=2030)
quantitative = [k for k in TargetKind if k not in (K.QUALITATIVE, K.RELATIVE)]


@st.composite
def indicators(draw):
    kind = draw(st.sampled_from(list(TargetKind)))
    low, high = sorted([draw(amounts), draw(amounts)])
    value = draw(maybe_amounts) if kind in quantitative else None
    direction = draw(st.sampled_from(["up", "down"]))
    return IndicatorInput(
        target=Target(kind=kind, value=value, low=low, high=high, direction=direction),
        target_year=draw(st.none() | years),
        baseline_year=draw(st.none() | years),
        baseline_value=draw(maybe_amounts),
        attribute=draw(st.sampled_from(["expected", "binding"])),
        direction=direction,
        aggregation=draw(st.sampled_from(["level", "cumulative", "growth"])),
        start_year=draw(st.none() | years),
        values=draw(st.dictionaries(years, amounts | edge_amounts, max_size=8)),
        unit=draw(st.sampled_from(["", "%", "个"])),
    )


@settings(max_examples=400, deadline=None)
@given(indicators(), years, st.sampled_from([D("0"), D("0.05"), D("0.1")]))
def test_it_never_raises_and_always_returns_a_verdict(ind, year, tolerance):
    result = assess(ind, year, tolerance)

    assert isinstance(result, Assessment) and isinstance(result.verdict, Verdict)
    assert result.explanation
    if result.time_share is not None:
        assert D(0) <= result.time_share <= D(1)
    if result.warning:
        assert ind.attribute == "binding"
    if result.verdict in (Verdict.NO_DATA, Verdict.NOT_ASSESSABLE):
        assert result.reason


def test_it_gives_the_explanation_as_parts_with_plain_values():
    result = assess(rnd(), 2017)
    headline, outlook, need = result.explanation_parts
    assert headline[0] == ["%(year)s年", {"year": 2017}]
    assert headline[1] == ["：%(value)s%(unit)s", {"value": "2.2", "unit": ""}]
    assert headline[-1] == ["，%(verdict)s", {"verdict": {"verdict": "behind"}}]
    assert outlook[0][1]["trend"] == {"trend": "accelerate"} and outlook[0][1]["value"] == "2.36"
    assert need == [["其余年份需年均%(rate)s", {"rate": {"piece": ["增长%(share)s%%", {"share": "4.35"}]}}]]
    assert json.loads(json.dumps(result.explanation_parts)) == result.explanation_parts  # storable as it is
    assert render(result.explanation_parts) == result.explanation  # the Chinese text is the parts in Chinese


def test_it_words_the_parts_in_the_language_it_is_given():
    english = {"；": "; ", "%(year)s年": "%(year)s", "：%(value)s%(unit)s": ": %(value)s%(unit)s",
               "，时序进度%(share)s%%": ", time elapsed %(share)s%%", "滞后": "behind"}  # fmt: skip
    result = assess(rnd(), 2017)
    text = render(result.explanation_parts[:1], lambda msgid: english.get(msgid, msgid))
    assert text.startswith("2017: 2.2, time elapsed 40%") and text.endswith("，behind")


def test_it_gives_the_reason_it_cannot_assess_as_a_part():
    result = assess(indicator(K.QUALITATIVE, None, text="显著提升"), 2017)
    [[only]] = result.explanation_parts
    assert only == ["%(year)s年：%(verdict)s（%(reason)s）", {
        "year": 2017, "verdict": {"verdict": "not_assessable"},
        "reason": {"piece": ["目标为定性表述：%(target)s", {"target": "显著提升"}]},
    }]  # fmt: skip
    assert result.explanation == "2017年：无法评估（目标为定性表述：显著提升）" == render(result.explanation_parts)
