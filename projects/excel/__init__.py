"""The Excel entry template (填报模板): its file format (layout) and the writer (template)."""
from .layout import (
    COL, COLUMNS, FIRST_DATA_ROW, HEADER_ROW, HEADERS, HIDDEN_HEADERS, INPUT_HEADERS,
    INSTRUCTIONS_ROW, META_KEYS, META_SHEET, NUMBER_LIMIT, SHEET_NAME, VINTAGE_LABELS,
)
from .template import build_template, template_rows, write_number, write_text

__all__ = [
    "COL", "COLUMNS", "FIRST_DATA_ROW", "HEADER_ROW", "HEADERS", "HIDDEN_HEADERS",
    "INPUT_HEADERS", "INSTRUCTIONS_ROW", "META_KEYS", "META_SHEET", "NUMBER_LIMIT", "SHEET_NAME",
    "VINTAGE_LABELS", "build_template", "template_rows", "write_number", "write_text",
]
