"""A parsed plan as plain JSON data (decimals as strings, missing values as null): the format of
``import_plan --dry-run --json`` that README documents."""
from decimal import Decimal

from .model import Flag, ParsedIndicator, ParsedPlan, ParsedSection, ProposedIndicator


def decimal_json(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _section_json(section: ParsedSection) -> dict:
    return {
        "label": section.label,
        "title": section.title,
        "kind": section.kind,
        "children": [_section_json(child) for child in section.children],
    }


def _target_json(target) -> dict:
    return {
        "target_text": target.text,
        "target_kind": target.kind.value,
        "target_value": decimal_json(target.value),
        "target_low": decimal_json(target.low),
        "target_high": decimal_json(target.high),
    }


def flag_json(flag: Flag) -> dict:
    return {"field": flag.field, "code": flag.code, "params": dict(flag.params), "message": flag.message}


def _indicator_json(indicator: ParsedIndicator) -> dict:
    return {
        "number": indicator.number,
        "name": indicator.name,
        "unit": indicator.unit,
        "category": indicator.category,
        "attribute": indicator.attribute,
        "direction": indicator.direction,
        "aggregation": indicator.aggregation,
        "baseline_year": indicator.baseline_year,
        "baseline_value": decimal_json(indicator.baseline_value),
        "target_year": indicator.target_year,
        **_target_json(indicator.target),
        "responsible": indicator.responsible,
        "flags": [flag_json(flag) for flag in indicator.flags],
    }


def _proposed_json(proposed: ProposedIndicator) -> dict:
    return {
        "name": proposed.name,
        "unit": proposed.unit,
        "category": proposed.category,
        "attribute": proposed.attribute,
        "direction": proposed.direction,
        "aggregation": proposed.aggregation,
        "baseline_year": proposed.baseline_year,
        "baseline_value": decimal_json(proposed.baseline_value),
        "target_year": proposed.target_year,
        **_target_json(proposed.target),
        "quote": proposed.quote,
        "baseline_quote": proposed.baseline_quote,
    }


def to_json(parsed: ParsedPlan) -> dict:
    """The parse result as plain JSON data."""
    meta = parsed.metadata
    return {
        "title": parsed.title,
        "metadata": {
            "issuer": meta.issuer or None,
            "document_number": meta.document_number or None,
            "region": meta.region or None,
            "issued_on": meta.issued_on or None,
            "start_year": meta.start_year,
            "end_year": meta.end_year,
            "base_year": meta.base_year,
        },
        "sections": [_section_json(section) for section in parsed.sections],
        "indicators": [_indicator_json(indicator) for indicator in parsed.indicators],
        "proposed": [_proposed_json(proposed) for proposed in parsed.proposed],
        "warnings": list(parsed.warnings),
    }
