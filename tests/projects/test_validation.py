"""validation.py: number input and the checks before submission (no database)."""
from decimal import Decimal

import pytest

from projects.validation import check_value, format_decimal, parse_value_input

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


def _check(value, *, is_share=False, is_rank=False, previous=None, note=""):
    return check_value(
        Decimal(value), is_share=is_share, is_rank=is_rank, previous=previous, note=note, outlier_percent=LIMIT
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


def test_it_formats_decimals_as_written():
    assert format_decimal(Decimal("1.6500")) == "1.65"
    assert format_decimal(Decimal("20.0000")) == "20"
    assert format_decimal(Decimal("1E+3")) == "1000"
    assert format_decimal(None) == ""
