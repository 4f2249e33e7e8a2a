"""Compare what a parser read from a real plan with what a careful planner reads from it.

Works on plain dicts (the format of ``tests/intake/documents/NAME.expected.json``), so it
needs neither Django nor the ``intake`` package.  ``python -m tests.intake.scoring`` prints a
per-document table once ``intake.parsing`` exists.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

DOCUMENTS = Path(__file__).parent / "documents"

INDICATOR_FIELDS = (
    "number", "name", "unit", "category",
    "baseline_year", "baseline_value", "target_year", "target_text",
    "target_kind", "target_value", "target_low", "target_high",
    "attribute", "direction", "aggregation",
)
PROPOSAL_FIELDS = (
    "name", "unit", "target_year", "target_text", "target_kind", "target_value",
    "baseline_year", "baseline_value",
)
METADATA_FIELDS = ("issuer", "document_number", "region", "start_year", "end_year", "base_year")


def norm(value):
    """Values compare as strings, trimmed, inner runs of whitespace as one space.

    "2" == 2, None stays None, "" is None.
    """
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _match_rows(expected_rows, actual_rows):
    """Pair expected rows with actual rows: by number and name, then by name, then by number."""
    pairs, used = [], set()
    for key in (
        lambda r: (norm(r.get("number")), norm(r.get("name"))),
        lambda r: norm(r.get("name")),
        lambda r: norm(r.get("number")),
    ):
        index = {}
        for i, row in enumerate(actual_rows):
            if i not in used:
                index.setdefault(key(row), i)
        for e, row in enumerate(expected_rows):
            if any(p[0] == e for p in pairs):
                continue
            i = index.get(key(row))
            if i is not None and i not in used:
                pairs.append((e, i))
                used.add(i)
                index = {k: v for k, v in index.items() if v != i}
    return dict(pairs)


def score_indicators(expected_rows, actual_rows):
    matched = _match_rows(expected_rows, actual_rows)
    fields_expected = fields_right = rows_all_right = 0
    differences = []
    for e, row in enumerate(expected_rows):
        label = f"行 {row.get('number')} {row.get('name')}"
        actual = actual_rows[matched[e]] if e in matched else None
        if actual is None:
            differences.append(f"{label}: 没有读出")
        all_right = actual is not None
        for field in INDICATOR_FIELDS:
            fields_expected += 1
            if actual is None:
                continue
            want, got = norm(row.get(field)), norm(actual.get(field))
            if want == got:
                fields_right += 1
            else:
                all_right = False
                differences.append(f"{label} · {field}: 应为 {want!r}，读为 {got!r}")
        rows_all_right += all_right
    extra = [r for i, r in enumerate(actual_rows) if i not in matched.values()]
    for row in extra:
        differences.append(f"多读出的行: {row.get('number')} {row.get('name')}")
    return {
        "rows_expected": len(expected_rows),
        "rows_found": len(matched),
        "rows_extra": len(extra),
        "rows_all_right": rows_all_right,
        "fields_expected": fields_expected,
        "fields_right": fields_right,
        "differences": differences,
    }


def _find_proposal(want, actual_rows):
    for row in actual_rows:  # the same name can stand for several years (2013 and 2016)
        if (norm(row.get("name")) == norm(want.get("name"))
                and norm(row.get("target_year")) == norm(want.get("target_year"))):
            return row
    for row in actual_rows:
        if norm(row.get("name")) == norm(want.get("name")):
            return row
    for row in actual_rows:  # a different wording of the name, same target and year
        if (norm(row.get("target_text")) == norm(want.get("target_text"))
                and norm(row.get("target_year")) == norm(want.get("target_year"))):
            return row
    return None


def score_proposals(expected_rows, actual_rows, text=None):
    found = all_right = fields_expected = fields_right = 0
    differences = []
    for want in expected_rows:
        label = f"提议 {want.get('name')}"
        got = _find_proposal(want, actual_rows)
        fields_expected += len(PROPOSAL_FIELDS)
        if got is None:
            differences.append(f"{label}: 没有读出")
            continue
        found += 1
        right = True
        for field in PROPOSAL_FIELDS:
            if norm(want.get(field)) == norm(got.get(field)):
                fields_right += 1
            else:
                right = False
                differences.append(
                    f"{label} · {field}: 应为 {norm(want.get(field))!r}，读为 {norm(got.get(field))!r}")
        quote = got.get("quote") or ""
        if text is not None and quote and quote not in text:
            right = False
            differences.append(f"{label} · quote 不在原文中: {quote!r}")
        all_right += right
    return {
        "proposals_expected": len(expected_rows),
        "proposals_found": found,
        "proposals_all_right": all_right,
        "proposal_fields_expected": fields_expected,
        "proposal_fields_right": fields_right,
        "differences": differences,
    }


def score_metadata(expected, actual):
    differences = []
    right = 0
    pairs = [("title", expected.get("title"), actual.get("title"))]
    emeta, ameta = expected.get("metadata") or {}, actual.get("metadata") or {}
    pairs += [(f"metadata.{f}", emeta.get(f), ameta.get(f)) for f in METADATA_FIELDS]
    for field, want, got in pairs:
        if norm(want) == norm(got):
            right += 1
        else:
            differences.append(f"{field}: 应为 {norm(want)!r}，读为 {norm(got)!r}")
    return {"metadata_expected": len(pairs), "metadata_right": right, "differences": differences}


def score(expected: dict, actual: dict, text: str | None = None) -> dict:
    """Compare one document: rows, fields, proposals and metadata, with every difference."""
    rows = score_indicators(expected.get("indicators") or [], actual.get("indicators") or [])
    proposals = score_proposals(expected.get("proposed") or [], actual.get("proposed") or [], text)
    meta = score_metadata(expected, actual)
    result = {k: v for k, v in rows.items() if k != "differences"}
    result.update({k: v for k, v in proposals.items() if k != "differences"})
    result.update({k: v for k, v in meta.items() if k != "differences"})
    result["differences"] = rows["differences"] + proposals["differences"] + meta["differences"]
    return result


def documents():
    """(name, text, expected) for every document of the collection, in name order."""
    for path in sorted(DOCUMENTS.glob("*.txt")):
        expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
        yield path.stem, path.read_text(encoding="utf-8"), expected


def main(argv=None) -> int:
    from intake.parsing import PlanImportError, parse_text, to_json  # noqa: PLC0415 (needs the intake app)

    header = ("document", "rows exp", "rows found", "rows right", "fields", "prose exp",
              "prose found", "prose right", "metadata")
    lines = [header]
    totals = [0] * 10
    for name, text, expected in documents():
        try:
            actual = to_json(parse_text(text))
        except PlanImportError:  # refused: nothing read, every expected field missed
            actual = {"title": None, "metadata": {}, "indicators": [], "proposed": []}
        s = score(expected, actual, text)
        nums = [s["rows_expected"], s["rows_found"], s["rows_all_right"], s["fields_right"],
                s["fields_expected"], s["proposals_expected"], s["proposals_found"],
                s["proposals_all_right"], s["metadata_right"], s["metadata_expected"]]
        totals = [a + b for a, b in zip(totals, nums)]
        lines.append(_cells(name, nums))
        if "-v" in (argv or sys.argv[1:]):
            for d in s["differences"]:
                print(f"  {name}: {d}")
    lines.append(_cells("total", totals))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths)))
    return 0


def _cells(name, n):
    return (name, n[0], n[1], n[2], f"{n[3]}/{n[4]}", n[5], n[6], n[7], f"{n[8]}/{n[9]}")


if __name__ == "__main__":
    sys.exit(main())
