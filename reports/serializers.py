"""Plain-data forms of report rows, shared by ``manage.py assess --json``, the workbook and open data.

Decimals become strings as ``core.numbers`` writes them (never floats, no padding zeros), missing values
``None`` (JSON null), codes stay codes (``achieved``, ``likely`` …) with the Chinese label beside.
"""

from core.numbers import optional_text as decimal_text


def _code(value) -> str | None:
    return None if value is None else value.value


def assessment_row_dict(row) -> dict:
    """One indicator row: its identity, the value assessed and every number of the assessment."""
    a, indicator = row.assessment, row.indicator
    return {
        "number": indicator.number,
        "name": indicator.name,
        "unit": indicator.unit,
        "attribute": indicator.attribute,
        "value": decimal_text(a.value),
        "value_year": a.value_year,
        "preliminary": a.value_year in row.preliminary_years,
        "verdict": a.verdict.value,
        "verdict_label": a.verdict.label,
        "completion": decimal_text(a.completion),
        "time_share": decimal_text(a.time_share),
        "projected": decimal_text(a.projected),
        "projected_verdict": _code(a.projected_verdict),
        "required_growth": decimal_text(a.required_growth),
        "sdg_ratio": decimal_text(a.sdg_ratio),
        "sdg_status": _code(a.sdg_status),
        "warning": a.warning,
        "explanation": a.explanation,
        "reason": a.reason,
    }


def plan_report_dict(report) -> dict:
    """A whole plan report: ``{"plan", "year", "include_unapproved", "indicators": [...]}``."""
    return {
        "plan": report.plan.code,
        "year": report.year,
        "include_unapproved": report.include_unapproved,
        "indicators": [assessment_row_dict(row) for row in report.rows],
    }
