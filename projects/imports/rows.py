"""What an upload is made of: its rows as read, the changes they make, the plan of an import, and
the errors it reports (“第 N 行 · 列: 原因”)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from indicators.models import Indicator

from ..choices import State, Vintage

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_PART_BYTES = 20 * 1024 * 1024  # one part of an xlsx (a sheet, the shared strings) unpacked
MAX_SHEET_ROWS = 10_000  # rows of the template's sheet, blank ones included (one per indicator)
MAX_SHEET_CELLS = 200_000  # cells of one sheet, blank ones included
MAX_ZIP_ENTRIES = 1_000
CSV_HEADER = ["plan", "indicator", "year", "value", "source", "note"]
# Kinds of upload: our entry template; a CSV; a sheet of an xlsx that is not our template (both read
# by column names).
XLSX, CSV, SHEET = "xlsx", "csv", "sheet"
CHANGE_REASONS = {XLSX: "Excel 导入", CSV: "CSV 导入", SHEET: "Excel 导入"}

# Column names in messages, in the page's language: the template's columns by their meaning (its
# headers are fixed Chinese texts); a CSV's or another sheet's columns as its own header writes them
# (ImportRow.labels), so they can be found in the file; a column the file lacks by its meaning.
XLSX_LABELS = {
    "file": pgettext_lazy("import column", "文件"),
    "plan": pgettext_lazy("import column", "规划(meta)"),
    "year": pgettext_lazy("import column", "年份(meta)"),
    "organization": pgettext_lazy("import column", "单位(meta)"),
    "indicator": pgettext_lazy("import column", "序号"),
    "indicator_id": pgettext_lazy("import column", "指标ID"),
    "version": pgettext_lazy("import column", "版本"),
    "value": pgettext_lazy("import column", "本年数值"),
    "source": pgettext_lazy("import column", "数据来源"),
    "vintage": pgettext_lazy("import column", "数据性质(初步/核实)"),
    "note": pgettext_lazy("import column", "说明"),
}
NAMED_LABELS = {
    "file": pgettext_lazy("import column", "文件"),
    "columns": pgettext_lazy("import column", "列数"),
    "plan": pgettext_lazy("import column", "规划"),
    "indicator": pgettext_lazy("import column", "序号"),
    "indicator_name": pgettext_lazy("import column", "指标"),
    "year": pgettext_lazy("import column", "年份"),
    "value": pgettext_lazy("import column", "数值"),
    "source": pgettext_lazy("import column", "数据来源"),
    "vintage": pgettext_lazy("import column", "数据性质"),
    "note": pgettext_lazy("import column", "说明"),
}


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def header_label(header: str, meaning=None) -> str:
    """A column of the file as messages name it: its header as written, so it can be found; on a page
    whose language writes the column's meaning without Chinese characters (English), a Chinese
    header comes after that meaning: “Value (本年数值)”."""
    meaning = str(meaning or "")
    if meaning and _CJK.search(header) and not _CJK.search(meaning):
        return f"{meaning} ({header})"
    return header


class UploadError(Exception):
    """The file as a whole cannot be read; ``errors`` say why, with row and column where known."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


class ImportConflict(Exception):
    """The database changed between validation and writing; nothing was written."""


@dataclass
class ImportRow:
    """One data row of an upload, as read: texts and numbers, not yet checked against the database."""

    line: int
    kind: str
    plan: str
    indicator: object
    year: object
    value: object
    source: str = ""
    note: str = ""
    vintage: object = None
    indicator_id: object = None
    version: object = None
    organization: object = None
    errors: list[str] = field(default_factory=list)
    indicator_name: str = ""  # the indicator by its exact name (a file of another office), else ""
    labels: dict | None = None  # field → the file's own header of its column (CSV, other sheets)

    def error(self, column: str, reason: str) -> str:
        return row_error(self.line, self.label(column), reason)

    def label(self, column: str) -> str:
        if self.labels and column in self.labels:
            return header_label(self.labels[column], NAMED_LABELS.get(column))
        return str((XLSX_LABELS if self.kind == XLSX else NAMED_LABELS).get(column, column))

    def to_json(self) -> dict:
        """The row as stored between preview and confirm; cells keep their type when JSON has it."""
        return {name: _json_cell(value) for name, value in vars(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> ImportRow:
        return cls(**data)


def _json_cell(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, list):
        return [_json_cell(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_cell(item) for key, item in value.items()}
    return str(value)  # a float, a date: validation reads its text the same way


@dataclass
class Change:
    """One value that the import creates or changes."""

    indicator: Indicator
    year: int
    old_value: Decimal | None
    new_value: Decimal
    old_state: str | None
    source: str
    note: str
    vintage: str = Vintage.PRELIMINARY
    new_state: str = State.DRAFT
    record_id: int | None = None
    version: int = 0
    line: int = 0
    old_is_demo: bool = False

    @property
    def is_new(self) -> bool:
        return self.record_id is None

    @property
    def old_state_label(self) -> str:
        return State(self.old_state).label if self.old_state else ""

    @property
    def new_state_label(self) -> str:
        return State(self.new_state).label

    @property
    def vintage_label(self) -> str:
        return Vintage(self.vintage).label

    def key(self) -> tuple:
        return (self.indicator.pk, self.year, str(self.old_value), str(self.new_value), self.old_state,
                self.new_state, self.source, self.note, self.vintage, self.version)


@dataclass
class ImportPlan:
    """What an import would do: the changes, or the errors that stop it."""

    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    kind: str = CSV
    rows: int = 0
    notices: list[str] = field(default_factory=list)  # what the reader ignored (unknown columns)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def reason(self) -> str:
        return CHANGE_REASONS[self.kind]

    def fingerprint(self) -> str:
        """A digest of the changes, so a confirmation applies exactly what the preview showed."""
        return hashlib.sha256(repr([c.key() for c in self.changes]).encode()).hexdigest()


def row_error(line: int, column: str, reason: str) -> str:
    return _("第 %(line)s 行 · %(column)s: %(reason)s") % {"line": line, "column": column, "reason": reason}


def line_error(line: int, reason: str) -> str:
    """An error of a whole line of the file (a CSV quoting error), where no column can be named."""
    return _("第 %(line)s 行: %(reason)s") % {"line": line, "reason": reason}


def file_error(reason: str) -> str:
    return _("文件: %(reason)s") % {"reason": reason}

