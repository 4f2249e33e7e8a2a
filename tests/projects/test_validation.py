"""validation.py: number input and the checks before submission (no database)."""
from decimal import Decimal

import pytest

from projects.reference import Reference, previous_reference
from projects.validation import annual_change, check_value, parse_value_input, reference_label

LIMIT = Decimal(50)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("12,345,678", "12345678"),
        ("１．６５", "1.65"),
        ("１，２３４．５", "1234.5"),
        (" 2 ", "2"),
        ("-3.2", "-3.2"),
        ("－３．２", "-3.2"),
        ("0.0001", "0.0001"),
        ("9999999999999999.9999", "9999999999999999.9999"),
    ],
)
def test_it_parses_numbers_as_people_type_them(text, expected):
    assert parse_value_input(text, percent_unit=False) == Decimal(expected)


@pytest.mark.parametrize("text", ["3.5%", "3.5 %", "３．５％"])
def test_it_accepts_a_trailing_percent_for_percentage_units(text):
    assert parse_value_input(text, percent_unit=True) == Decimal("3.5")


def test_it_rejects_a_percent_sign_for_other_units():
    with pytest.raises(ValueError, match="不是百分比"):
        parse_value_input("3.5%", percent_unit=False)


@pytest.mark.parametrize(
    "text",
    ["abc", "NaN", "nan", "Infinity", "-inf", "1e5", "1E-3", "1.2.3", "12,34", "1 234", "约3.5", "3.5万",
     "%", "3%%", "--1", "1,", "0x10", "十五", "∞", "-੨೨᪈༢", "٣٫٥"],
)
def test_it_rejects_anything_else(text):
    with pytest.raises(ValueError, match="不是有效的数值"):
        parse_value_input(text, percent_unit=True)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_it_asks_for_a_value_when_empty(text):
    with pytest.raises(ValueError, match="请填写数值"):
        parse_value_input(text, percent_unit=False)


def test_it_rejects_more_than_sixteen_integer_digits():
    assert parse_value_input("1" * 16, percent_unit=False) == Decimal("1" * 16)
    with pytest.raises(ValueError, match="整数部分最多 16 位"):
        parse_value_input("1" * 17, percent_unit=False)


def test_it_rejects_more_decimal_places_than_stored():
    with pytest.raises(ValueError, match="小数最多 4 位"):
        parse_value_input("1.23456", percent_unit=False)


def _check(value, *, is_share=False, is_rank=False, previous=None, note="", year=2023, gap=1, baseline=False):
    """A value of 2023 against a reference (the value of 2022 by default) as plain numbers."""
    reference = None if previous is None else Reference(previous, year - gap, is_baseline=baseline)
    return check_value(
        Decimal(value), is_share=is_share, is_rank=is_rank, year=year, reference=reference, note=note,
        outlier_percent=LIMIT,
    )


@pytest.mark.parametrize(("value", "ok"), [("0", True), ("100", True), ("55.5", True), ("-0.1", False), ("100.01", False)])
def test_it_keeps_shares_between_0_and_100(value, ok):
    problems = _check(value, is_share=True)
    assert (problems == []) is ok
    if not ok:
        assert "0 到 100" in problems[0] and problems[0].field == "value"


@pytest.mark.parametrize(("value", "ok"), [("1", True), ("3", True), ("3.0", True), ("0", False), ("-2", False), ("2.5", False)])
def test_it_wants_ranks_as_positive_integers(value, ok):
    problems = _check(value, is_rank=True)
    assert (problems == []) is ok
    if not ok:
        assert problems[0] == "位次应为正整数。"


def test_it_wants_a_note_when_the_value_jumps_more_than_the_limit():
    problems = _check("2.6", previous=Decimal("1.7"))
    assert len(problems) == 1
    assert problems[0].field == "note"
    assert "1.7" in problems[0] and "+52.9%" in problems[0] and "50%" in problems[0]


def test_it_accepts_a_jump_with_a_note():
    assert _check("2.6", previous=Decimal("1.7"), note="统计口径调整") == []


def test_it_accepts_changes_within_the_limit_and_downward_jumps_need_notes_too():
    assert _check("2.5", previous=Decimal("1.7")) == []
    assert _check("0.8", previous=Decimal("1.7"))[0].field == "note"


def test_it_has_no_outlier_check_without_a_previous_value():
    assert _check("1000000") == []


def test_it_treats_any_change_from_zero_as_an_outlier():
    assert _check("0", previous=Decimal(0)) == []
    assert "从零起变化" in _check("1", previous=Decimal(0))[0]


def test_it_reports_every_problem_at_once():
    problems = _check("150", is_share=True, previous=Decimal("2"))
    assert [p.field for p in problems] == ["value", "note"]


# The previous reference and the jump over several years -----------------------------------------


def test_it_takes_the_latest_earlier_approved_value_as_the_reference():
    approved = {2021: Decimal("1.7"), 2023: Decimal("1.9"), 2024: Decimal("2.0")}
    assert previous_reference(2024, approved, 2020, Decimal("1.65")) == Reference(Decimal("1.9"), 2023)


def test_it_falls_back_on_an_earlier_baseline():
    assert previous_reference(2021, {}, 2020, Decimal("1.65")) == Reference(Decimal("1.65"), 2020, is_baseline=True)
    assert previous_reference(2020, {}, 2020, Decimal("1.65")) is None  # not earlier than the value
    assert previous_reference(2021, {}, 2020, None) is None
    assert previous_reference(2021, {2021: Decimal("3")}, None, None) is None  # the same year never counts


def test_it_says_what_the_reference_is_and_which_year():
    assert reference_label(Reference(Decimal("139"), 2024), 2025) == "上年已审核值（2024年）"
    assert reference_label(Reference(Decimal("139"), 2023), 2025) == "上一已审核值（2023年）"
    assert reference_label(Reference(Decimal("3.05"), 2015, is_baseline=True), 2020) == "基期值（2015年）"


def test_it_compares_the_yearly_pace_over_several_years():
    # a target of doubling in five years: 3.05 (2015) → 6.9 (2020) is +126.2%, about +17.7% a year
    reference = Reference(Decimal("3.05"), 2015, is_baseline=True)
    assert round(annual_change(reference, 2020, Decimal("6.9")), 1) == Decimal("17.7")
    assert _check("6.9", previous=Decimal("3.05"), year=2020, gap=5, baseline=True) == []


def test_it_still_wants_a_note_for_a_jump_years_after_the_reference():
    problems = _check("139", previous=Decimal("20"), year=2025, gap=2)
    assert problems[0].field == "note"
    assert "上一已审核值（2023年） 20" in problems[0] and "+595.0%" in problems[0] and "年均 +163.6%" in problems[0]
    assert "上年" not in problems[0]


def test_it_counts_a_change_of_sign_over_several_years_as_a_jump():
    assert _check("-1", previous=Decimal("2"), year=2025, gap=3)[0].field == "note"
