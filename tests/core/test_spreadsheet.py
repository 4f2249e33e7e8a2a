"""core.spreadsheet: one formula guard for every file the app writes."""
import pytest

from core.spreadsheet import FORMULA_PREFIXES, cell_text, csv_safe, is_formula_like


@pytest.mark.parametrize(
    "text", ["=1+1", "+2%", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-cmd|' /C calc'!A0", "-3.5（初步）", "-1e3", "-3.5\n"]
)
def test_it_takes_every_formula_start_for_a_formula(text):
    assert is_formula_like(text)
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["1.65", "蓟州区", "", "a=b", " =1", "-3.5", "+2", "-12", "-0.0001"])
def test_it_leaves_ordinary_text_alone(text):
    assert not is_formula_like(text)
    assert csv_safe(text) == text


def test_the_list_is_the_strictest_of_the_writers():
    assert set(FORMULA_PREFIXES) >= {"=", "+", "-", "@", "\t", "\r"}


def test_it_writes_none_as_empty_and_anything_else_as_its_text():
    assert cell_text(None) == "" and csv_safe(None) == ""
    assert cell_text(12) == "12"
