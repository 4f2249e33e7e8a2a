"""What an upload is made of: its rows as read, the changes they make, the plan of an import, and
the errors it reports (“第 N 行 · 列: 原因”)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

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
XLSX, CSV = "xlsx", "csv"
CHANGE_REASONS = {XLSX: "Excel 导入", CSV: "CSV 导入"}

# Column names used in messages: the template's Chinese headers, or the CSV's own header.
XLSX_LABELS = {
    "file": "文件", "plan": "规划(meta)", "year": "年份(meta)", "organization": "单位(meta)",
    "indicator": "序号", "indicator_id": "指标ID", "version": "版本", "value": "本年数值",
    "source": "数据来源", "vintage": "数据性质(初步/核实)", "note": "说明",
}
CSV_LABELS = {name: name for name in CSV_HEADER} | {"file": "文件", "columns": "列数"}


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

    def error(self, column: str, reason: str) -> str:
        return row_error(self.line, self.label(column), reason)

    def label(self, column: str) -> str:
        labels = XLSX_LABELS if self.kind == XLSX else CSV_LABELS
        return labels.get(column, column)

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

