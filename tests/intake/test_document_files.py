"""The collection itself: every expected file loads, has the right shape, and quotes its text.

Runs now, without the intake app.
"""
import json
import re

import pytest

from tests.intake.scoring import DOCUMENTS, INDICATOR_FIELDS, METADATA_FIELDS, PROPOSAL_FIELDS

NAMES = sorted(p.stem for p in DOCUMENTS.glob("*.txt"))
KINDS = {"at_least", "at_most", "above", "below", "range", "approx", "rank", "growth",
         "multiple", "cumulative", "relative", "qualitative"}


def load(name):
    text = (DOCUMENTS / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((DOCUMENTS / f"{name}.expected.json").read_text(encoding="utf-8"))
    return text, expected


def test_collection_is_listed_in_readme():
    readme = (DOCUMENTS / "README.md").read_text(encoding="utf-8")
    assert NAMES
    for name in NAMES:
        assert f"`{name}`" in readme, name
    for path in DOCUMENTS.glob("*.expected.json"):
        assert path.name.removesuffix(".expected.json") in NAMES, path.name


@pytest.mark.parametrize("name", NAMES)
def test_expected_file_is_well_formed(name):
    text, expected = load(name)
    assert set(expected) >= {"title", "metadata", "indicators", "proposed"}
    assert set(expected["metadata"]) == set(METADATA_FIELDS)
    for row in expected["indicators"]:
        assert set(row) - {"note"} == set(INDICATOR_FIELDS), row
        assert row["target_kind"] in KINDS
        assert row["attribute"] in {"expected", "binding", None}
        assert row["direction"] in {"up", "down"}
        assert row["aggregation"] in {"level", "cumulative", "growth"}
        for field in ("baseline_value", "target_value", "target_low", "target_high"):
            assert row[field] is None or isinstance(row[field], str), (field, row)
    for row in expected["proposed"]:
        assert set(row) - {"note", "quote"} == set(PROPOSAL_FIELDS), row
        assert row["target_kind"] in KINDS
        for field in ("baseline_value", "target_value"):
            assert row[field] is None or isinstance(row[field], str), (field, row)


@pytest.mark.parametrize("name", NAMES)
def test_quotes_and_names_are_in_the_text(name):
    text, expected = load(name)
    unmarked = re.sub(r"(?<=[\u4e00-\u9fff])\d(?=[\u4e00-\u9fff])", "", text)  # footnote numbers in names
    for row in expected["indicators"]:
        assert row["name"] in text or row["name"] in unmarked and "footnote" in row.get("note", ""), row["name"]
    for row in expected["proposed"]:
        assert row["quote"] in text, row["quote"]
        assert row["target_text"] in row["quote"], row
    assert text.strip()
