"""The intake parser on real published plans (tests/intake/documents, see README there).

Expected results were written by reading each document, never by running an importer. What the
parser still reads wrong is listed, difference by difference, in ``documents/known_misses.json``:
each test asserts that the differences are exactly those, so a regression fails and so does an
improvement until the ledger is updated (``python -m tests.intake.test_real_documents`` rewrites
it and prints the per-document scores for the closing note).
"""
import json
import sys

import pytest

from intake.parsing import PlanImportError, parse_text, to_json
from tests.intake.scoring import DOCUMENTS, documents, score

DOCS = {name: (text, expected) for name, text, expected in documents()}
NAMES = sorted(DOCS)
LEDGER = DOCUMENTS / "known_misses.json"
PARTS = {
    "rows": lambda expected: {"indicators": expected["indicators"]},
    "prose": lambda expected: {"proposed": expected["proposed"]},
    "title": lambda expected: {"title": expected["title"], "metadata": expected["metadata"]},
}


def differences(name: str, part: str) -> list[str]:
    """What the parser reads differently from the expectation for one part of one document."""
    text, expected = DOCS[name]
    try:
        actual = to_json(parse_text(text))
    except PlanImportError as error:
        return [f"拒绝导入：{error.message}"]
    wanted = PARTS[part](expected)
    return score(wanted, {key: actual[key] for key in wanted}, text if part == "prose" else None)[
        "differences"
    ]


def known(name: str, part: str) -> list[str]:
    ledger = json.loads(LEDGER.read_text(encoding="utf-8")) if LEDGER.exists() else {}
    return ledger.get(name, {}).get(part, [])


def cases(part: str):
    key = {"rows": "indicators", "prose": "proposed", "title": "title"}[part]
    return [name for name in NAMES if DOCS[name][1][key]]


@pytest.mark.parametrize("name", cases("rows"))
def test_it_reads_every_table_row(name):
    assert differences(name, "rows") == known(name, "rows")


@pytest.mark.parametrize("name", cases("prose"))
def test_it_proposes_the_prose_targets(name):
    assert differences(name, "prose") == known(name, "prose")


@pytest.mark.parametrize("name", cases("title"))
def test_it_reads_the_title_and_metadata(name):
    assert differences(name, "title") == known(name, "title")


def test_the_ledger_names_only_collected_documents():
    ledger = json.loads(LEDGER.read_text(encoding="utf-8"))
    assert set(ledger) <= set(NAMES)


def rewrite_ledger() -> None:
    ledger = {}
    for name in NAMES:
        misses = {part: differences(name, part) for part in PARTS if name in cases(part)}
        misses = {part: found for part, found in misses.items() if found}
        if misses:
            ledger[name] = misses
    LEDGER.write_text(json.dumps(ledger, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    import django

    django.setup()
    rewrite_ledger()
    sys.exit(0)
