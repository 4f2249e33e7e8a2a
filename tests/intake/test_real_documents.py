"""The intake parser on real published plans (tests/intake/documents, see README there).

Needs the intake app: until it is merged this module fails with ImportError, as it should.
Expected results were written by reading each document, never by running an importer.
"""
import pytest

from intake.parsing import parse_text, to_json
from tests.intake.scoring import documents, score

DOCS = {name: (text, expected) for name, text, expected in documents()}
NAMES = sorted(DOCS)
WITH_ROWS = [n for n in NAMES if DOCS[n][1]["indicators"]]
WITH_PROSE = [n for n in NAMES if DOCS[n][1]["proposed"]]


def parsed(name):
    text, expected = DOCS[name]
    return text, expected, to_json(parse_text(text))


@pytest.mark.parametrize("name", WITH_ROWS)
def test_table_rows(name):
    text, expected, actual = parsed(name)
    s = score({"indicators": expected["indicators"]}, {"indicators": actual["indicators"]})
    assert s["differences"] == [], "\n".join(s["differences"])
    assert len(actual.get("flags", {})) >= 0


@pytest.mark.parametrize("name", WITH_PROSE)
def test_prose_proposals(name):
    text, expected, actual = parsed(name)
    s = score({"proposed": expected["proposed"]}, {"proposed": actual["proposed"]}, text)
    assert s["differences"] == [], "\n".join(s["differences"])


@pytest.mark.parametrize("name", NAMES)
def test_title_and_metadata(name):
    text, expected, actual = parsed(name)
    s = score({"title": expected["title"], "metadata": expected["metadata"]},
              {"title": actual["title"], "metadata": actual["metadata"]})
    assert s["differences"] == [], "\n".join(s["differences"])
