"""core.numbers: the one number grammar and the one Decimal-to-text rule, with plain values."""
from decimal import Decimal as D

import pytest

from core.numbers import Number, number_text, optional_text, parse_decimal, read_number, trimmed


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234.5", D("1234.5")), ("1,234.5", D("1234.5")), ("12,345,678", D("12345678")),
        ("+2", D("2")), ("-0.5", D("-0.5")), (".5", D("0.5")), ("5.", D("5")),
        ("１．６５", D("1.65")), ("－２", D("-2")), ("\u22123", D("-3")), (" 7 ", D("7")),
        ("0.0001", D("0.0001")),
    ],
)
def test_it_reads_what_people_type(text, value):
    assert parse_decimal(text) == value


@pytest.mark.parametrize(
    "text",
    ["", " ", "abc", "1e5", "NaN", "Infinity", "1,23", "12,34.5", "1.2.3", "--1", "੨", "1 234",
     "1" * 21, "十五", None, 3, "1" * 201],
)
def test_it_refuses_anything_else(text):
    assert parse_decimal(text) is None


def test_it_reports_the_percent_sign_beside_the_number():
    assert read_number("3.5%") == Number(D("3.5"), "%")
    assert read_number("３．５％") == Number(D("3.5"), "%")
    assert read_number("2‰") == Number(D("2"), "‰")
    assert read_number("42") == Number(D("42"), "")
    assert read_number("%") is None


@pytest.mark.parametrize(("text", "value"), [("三", 3), ("十五", 15), ("一百零五", 105), ("两", 2)])
def test_it_reads_small_chinese_numerals_when_asked(text, value):
    assert parse_decimal(text, chinese=True) == D(value)


@pytest.mark.parametrize("text", ["三三", "十十", "百十百"])
def test_it_refuses_malformed_chinese_numerals(text):
    assert parse_decimal(text, chinese=True) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("1.65"), "1.65"), (D("1.6500"), "1.65"), (D("500.0000"), "500"), (D("20.0000"), "20"),
        (D("1E+3"), "1000"), (D("0.0000"), "0"), (D("-0.0000"), "0"), (D("-2.50"), "-2.5"),
        (D("0.0001"), "0.0001"), (D("12345678"), "12345678"), (7, "7"), (None, ""),
    ],
)
def test_it_writes_numbers_as_people_write_them(value, text):
    assert number_text(value) == text


def test_it_rounds_computed_numbers_half_up_without_padding():
    assert number_text(D("0.42857"), 2) == "0.43"
    assert number_text(D("2.5"), 0) == "3"
    assert number_text(D("1.10"), 4) == "1.1"
    assert number_text(D("123456789012345678.5"), 0) == "123456789012345679"


def test_it_keeps_none_for_machine_readable_output():
    assert optional_text(None) is None
    assert optional_text(D("100.0000")) == "100"


def test_it_trims_padding_but_keeps_the_value():
    assert trimmed(D("2.2000")) == D("2.2") and str(trimmed(D("2.2000"))) == "2.2"
    assert str(trimmed(D("100.0000"))) == "100"
    assert trimmed(None) is None
