"""An import draft's content as plain JSON data, and back to a ``ParsedPlan`` to publish.

``draft_json(parsed, document)`` is ``parsing.to_json`` extended with what the review page needs:
section bodies and lines, each indicator's source line(s) and quote, each proposal's line. The
planner's edits are *rows*: one dict per indicator as the review table shows it (``initial_rows``
makes them from the parse, ``proposal_row`` from an accepted prose proposal), and
``parsed_from_rows`` turns the draft and its rows into the ``ParsedPlan`` the write path takes.
No Django import: plain values in, plain values out.
"""
from decimal import Decimal, InvalidOperation

from indicators.targets import Target, TargetKind, parse_target

from .parsing import ParsedIndicator, ParsedPlan, ParsedSection, SourceDocument, Table, to_json
from .parsing.flags import flag
from .parsing.serialize import decimal_json, flag_json

ROW_FIELDS = (
    "number", "name", "unit", "category", "baseline_year", "baseline_value", "target_year",
    "target_text", "attribute", "direction", "aggregation", "organization",
)
# A parser's flag names a cell; the review table names the field that holds it.
FLAG_FIELDS = {"target": "target_text", "baseline": "baseline_value", "cells": "name", "unit": "unit"}


# ---------------------------------------------------------------------------------------------
# The parse, as stored


def source_lines(document: SourceDocument) -> dict[int, str]:
    """Each source line's text: a paragraph's line, or a table row's line with its cells."""
    lines: dict[int, str] = {}
    for block in document.blocks:
        if isinstance(block, Table):
            for index, row in enumerate(block.rows):
                lines.setdefault(block.row_line(index), "\t".join(row))
        else:
            lines.setdefault(block.line, block.text)
    return lines


def _section_json(section: ParsedSection) -> dict:
    return {
        "label": section.label, "title": section.title, "kind": section.kind, "body": section.body,
        "line": section.line, "children": [_section_json(child) for child in section.children],
    }


def _header_line(document: SourceDocument, line: int) -> int | None:
    """The header row's line of the table a row line belongs to."""
    for block in document.blocks:
        if isinstance(block, Table) and line in {block.row_line(i) for i in range(len(block.rows))}:
            return block.row_line(0)
    return None


def _source(lines: dict[int, str], document: SourceDocument, line: int) -> list[list]:
    wanted = [_header_line(document, line), line]
    return [[number, lines[number]] for number in dict.fromkeys(wanted) if number in lines]


def draft_json(parsed: ParsedPlan, document: SourceDocument) -> dict:
    """The parse result to store with a draft."""
    data = to_json(parsed)
    lines = source_lines(document)
    data["sections"] = [_section_json(section) for section in parsed.sections]
    for row, indicator in zip(data["indicators"], parsed.indicators):
        row.update(
            line=indicator.line, source_quote=indicator.source_quote,
            baseline_text=indicator.baseline_text, source=_source(lines, document, indicator.line),
        )
    for row, proposed in zip(data["proposed"], parsed.proposed):
        row["line"] = proposed.line
    data["format"] = document.format
    return data


# ---------------------------------------------------------------------------------------------
# Rows: what the planner edits


def _target_fields(data: dict) -> dict:
    return {key: data.get(key) for key in ("target_kind", "target_value", "target_low", "target_high")}


def _row(data: dict, key: str, number: int) -> dict:
    row = {field: data.get(field) for field in ROW_FIELDS}
    row.update(
        key=key, number=number, organization="", target_text=data.get("target_text") or "",
        parsed_target=_target_fields(data) | {"text": data.get("target_text") or "", "unit": data.get("unit") or ""},
        source_quote=data.get("source_quote") or data.get("quote") or "",
        baseline_text=data.get("baseline_text") or "", line=data.get("line"), source=data.get("source") or [],
        responsible_text=data.get("responsible") or "",
    )
    for field in ("name", "unit", "category"):
        row[field] = row[field] or ""
    return row


def initial_rows(data: dict) -> list[dict]:
    """One row per table indicator of the parse, its flags kept with the value they were about."""
    rows = []
    for index, indicator in enumerate(data["indicators"]):
        row = _row(indicator, f"t{index}", indicator["number"])
        row["flags"] = [_row_flag(flag, row) for flag in indicator.get("flags", [])]
        rows.append(row)
    return rows


def _row_flag(flag: dict, row: dict) -> dict:
    field = FLAG_FIELDS.get(flag["field"], flag["field"] if flag["field"] in ROW_FIELDS else "name")
    return {"field": field, "message": flag["message"], "code": flag.get("code", ""),
            "params": flag.get("params") or {}, "value": _text(row.get(field))}


def with_responsible(rows: list[dict], match) -> list[dict]:
    """Rows whose 责任单位 text names a unit: ``match(text)`` gives its name, or None; a row whose
    text names none keeps the text and gets a flag on its organization for the planner."""
    for row in rows:
        text = row.get("responsible_text") or ""
        if not text or row.get("organization"):
            continue
        name = match(text)
        if name:
            row["organization"] = name
        else:
            unmatched = flag("organization", "responsible_unmatched", text=text)
            row["flags"] = [*row.get("flags", []), _row_flag(flag_json(unmatched), row)]
    return rows


def unmatched_responsible(row: dict) -> str:
    """The 责任单位 text of a row whose unit is still to be found (its flag open), else ""."""
    still = any(f.get("code") == "responsible_unmatched" for f in open_flags(row))
    return row.get("responsible_text") or "" if still else ""


def proposal_row(data: dict, index: int, number: int) -> dict:
    """The row an accepted prose proposal becomes, quoting its sentences."""
    proposed = data["proposed"][index]
    row = _row(proposed, f"p{index}", number)
    quotes = [proposed.get("quote") or "", proposed.get("baseline_quote") or ""]
    row.update(source_quote="\n".join(dict.fromkeys(q for q in quotes if q)), flags=[], proposal=index)
    return row


def open_flags(row: dict) -> list[dict]:
    """The row's flags whose cell still holds the value the parser flagged."""
    return [flag for flag in row.get("flags", []) if _text(row.get(flag["field"])) == flag["value"]]


def _text(value) -> str:
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------------------------
# Back to a parsed plan


def sections_from_json(rows: list[dict]) -> list[ParsedSection]:
    return [
        ParsedSection(
            row["label"], row["title"], row["kind"], row.get("body", ""), row.get("line", 0),
            sections_from_json(row.get("children", [])),
        )
        for row in rows
    ]


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def row_target(row: dict) -> Target:
    """The row's typed target: the parser's when the planner left its text and unit alone (it read
    the cell with the table's context), else the target grammar's reading of the new text."""
    parsed = row.get("parsed_target") or {}
    text, unit = row.get("target_text") or "", row.get("unit") or ""
    if parsed.get("target_kind") and parsed.get("text") == text and parsed.get("unit") == unit:
        return Target(
            kind=TargetKind(parsed["target_kind"]), value=_decimal(parsed.get("target_value")),
            low=_decimal(parsed.get("target_low")), high=_decimal(parsed.get("target_high")),
            unit=unit, text=text, direction=row.get("direction") or "up",
        )
    return parse_target(text, unit=unit, direction=row.get("direction") or None)


def target_json(target: Target) -> dict:
    """A target's meaning, for the review page's live view."""
    return {
        "kind": target.kind.value, "value": decimal_json(target.value), "low": decimal_json(target.low),
        "high": decimal_json(target.high), "unit": target.unit, "direction": target.direction,
        "quantitative": target.is_quantitative, "rendered": target.render(),
    }


def row_indicator(row: dict) -> ParsedIndicator:
    target = row_target(row)
    baseline = _decimal(row.get("baseline_value"))
    return ParsedIndicator(
        number=int(row["number"]), name=row["name"], unit=row.get("unit") or "",
        category=row.get("category") or "", attribute=row.get("attribute") or "expected",
        direction=target.direction, aggregation=row.get("aggregation") or "level",
        baseline_year=row.get("baseline_year"), baseline_value=baseline,
        baseline_text=_baseline_text(row, baseline), target_year=row.get("target_year"),
        target=target, source_quote=row.get("source_quote") or "", line=row.get("line") or 0,
        responsible=unmatched_responsible(row),
    )


def _baseline_text(row: dict, baseline: Decimal | None) -> str:
    """The baseline as the plan printed it, unless the planner changed the value."""
    text = row.get("baseline_text") or ""
    if baseline is None:
        return text if _decimal(text) is None else ""
    return text if _decimal(text) == baseline else decimal_json(baseline)


def parsed_from_rows(data: dict, rows: list[dict], title: str) -> ParsedPlan:
    """The plan to publish: the parse's sections, the planner's title and rows."""
    return ParsedPlan(
        title=title, sections=sections_from_json(data["sections"]),
        indicators=[row_indicator(row) for row in rows], warnings=list(data.get("warnings", [])),
    )
