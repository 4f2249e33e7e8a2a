"""Open data: a plan's indicators, targets and approved values as CSV and JSON (issue 5).

Only approved (已审核) values are published. Numbers are written as plain decimals without
trailing zeros ("1.65", never 1.6500 or a float). The CSV is UTF-8 with a byte-order mark so
Excel opens the Chinese text correctly, one row per indicator × year of the plan period (value
empty when none was approved); text that Excel or WPS would run as a formula (starting with
= + - @, tab or carriage return) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io

from django.db.models import Prefetch

from core.numbers import optional_text
from core.spreadsheet import csv_safe
from indicators.models import Indicator
from plans.models import Plan
from projects.choices import State
from projects.models import IndicatorValue

CSV_FIELDS = [
    "plan", "number", "name", "unit", "attribute", "baseline_year", "baseline_value", "target_year",
    "target_text", "target_kind", "target_value", "target_low", "target_high", "year", "value",
]  # fmt: skip
BOM = "\ufeff"


def open_indicators(plan: Plan) -> list[Indicator]:
    """The plan's indicators with their approved values, in two queries."""
    approved = IndicatorValue.objects.filter(state=State.APPROVED).only(
        "indicator_id", "year", "value", "vintage"
    )
    return list(
        plan.indicators.defer("source_quote", "definition")
        .prefetch_related(Prefetch("values", queryset=approved.order_by("year"), to_attr="open_values"))
        .order_by("number")
    )


def _years(plan: Plan, indicator: Indicator) -> list[int | None]:
    """The plan's years plus any year with a value; [None] when there are neither."""
    years = sorted(set(plan.years()) | {v.year for v in indicator.open_values})
    return years or [None]


def _definition(plan: Plan, indicator: Indicator) -> list:
    """The CSV columns that describe the indicator (everything but year and value)."""
    return [
        csv_safe(plan.code), indicator.number, csv_safe(indicator.name), csv_safe(indicator.unit),
        indicator.attribute, indicator.baseline_year or "", optional_text(indicator.baseline_value) or "",
        indicator.target_year or "", csv_safe(indicator.target_text), indicator.target_kind,
        optional_text(indicator.target_value) or "", optional_text(indicator.target_low) or "",
        optional_text(indicator.target_high) or "",
    ]  # fmt: skip


def csv_rows(plan: Plan, indicators: list[Indicator]):
    """One list per indicator × year, in the order of CSV_FIELDS."""
    for indicator in indicators:
        definition = _definition(plan, indicator)
        values = {v.year: v.value for v in indicator.open_values}
        for year in _years(plan, indicator):
            yield [*definition, year or "", optional_text(values.get(year)) or ""]


def plan_csv(plan: Plan) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    writer.writerows(csv_rows(plan, open_indicators(plan)))
    return out.getvalue().encode("utf-8")


def _plan_dict(plan: Plan) -> dict:
    return {
        "code": plan.code, "title": plan.title, "short_name": plan.short_name, "kind": plan.kind,
        "kind_label": str(plan.get_kind_display()), "issuer": plan.issuer, "document_number": plan.document_number,
        "region": plan.region.name if plan.region else None,
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
        "start_year": plan.start_year, "end_year": plan.end_year, "base_year": plan.base_year,
        "url": plan.get_absolute_url(),
    }  # fmt: skip


def _indicator_dict(indicator: Indicator) -> dict:
    return {
        "number": indicator.number, "name": indicator.name, "unit": indicator.unit, "category": indicator.category,
        "attribute": indicator.attribute, "attribute_label": str(indicator.get_attribute_display()),
        "direction": indicator.direction, "aggregation": indicator.aggregation,
        "baseline_year": indicator.baseline_year, "baseline_value": optional_text(indicator.baseline_value),
        "target_year": indicator.target_year, "target_text": indicator.target_text,
        "target_kind": indicator.target_kind, "target_value": optional_text(indicator.target_value),
        "target_low": optional_text(indicator.target_low), "target_high": optional_text(indicator.target_high),
        "values": [
            {"year": v.year, "value": optional_text(v.value), "vintage": v.vintage} for v in indicator.open_values
        ],
    }  # fmt: skip


def plan_json(plan: Plan) -> dict:
    """``{"plan": {...}, "indicators": [{..., "values": [{"year", "value", "vintage"}]}]}``; decimals as strings."""
    return {"plan": _plan_dict(plan), "indicators": [_indicator_dict(i) for i in open_indicators(plan)]}
