"""Cells and rows of a write-only sheet: text that is never a formula, numbers, widths and heights,
page layout, and removing the temporary files of a workbook that was not saved."""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.spreadsheet import cell_text, is_formula_like

from .styles import CENTER, NUMBER, PERCENT_UNITS, Look, Styles, number_format, places_of  # noqa: F401 - re-exported

MAX_CELL_TEXT = 32767
COUNT_UNITS = set("家个项件名人位所座台套篇次户支只处") | {"人次", "个次", "家次"}


def safe_text(value) -> str:
    """Any value as a string fit for a cell: characters Excel refuses removed, Excel's length limit kept.

    Write it with :meth:`SheetWriter.text`, which keeps it a string even when it begins with = + - @.
    """
    return ILLEGAL_CHARACTERS_RE.sub("", cell_text(value))[:MAX_CELL_TEXT]



class SheetWriter:
    """Builds styled cells for one write-only sheet and appends its rows, keeping count."""

    def __init__(self, ws, styles: Styles):
        self.ws, self.styles, self.count = ws, styles, 0

    @classmethod
    def new_sheet(cls, wb, title: str, styles: Styles, index: int | None = None) -> SheetWriter:
        return cls(wb.create_sheet(title, index), styles)

    def text(self, value, look: Look = CENTER) -> Cell:
        """A string cell that is never a formula, whatever the text begins with."""
        text = safe_text(value)
        cell = Cell(self.ws, row=1, column=1, value=text, style_array=self.styles.array(look, is_formula_like(text)))
        cell.data_type = "s"  # openpyxl would take "=…" for a formula
        return cell

    def number(self, value, look: Look = NUMBER) -> Cell:
        return Cell(self.ws, row=1, column=1, value=value, style_array=self.styles.array(look))

    def add(self, cells: list, height: float | None = None) -> None:
        """Append one row; its height must be set before it is written, and is dropped after."""
        self.count += 1
        if height:
            self.ws.row_dimensions[self.count].height = height
        self.ws.append(cells)
        self.ws.row_dimensions.pop(self.count, None)


@lru_cache(maxsize=8192)  # units, labels and headers come back on every row
def display_width(text: str) -> int:
    """Columns a text takes: CJK (wide and full-width) characters count as two."""
    if text.isascii():  # numbers and codes, most cells: no per-character lookup
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _shown(value) -> str:
    """The text a value shows as, to size its column."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Column:
    header: str
    low: int  # narrowest width
    high: int  # widest width



def widths_of(columns: list[Column], rows: list[list[Cell]]) -> list[int]:
    return [_column_width(column, [row[i].value for row in rows]) for i, column in enumerate(columns)]


def _column_width(column: Column, values: list) -> int:
    """The widest of the header and the values; of the numbers, the largest and the smallest are
    the widest shown (``_shown`` adds digits, separators and the sign as they grow)."""
    texts, numbers = [column.header], []
    for value in values:
        if isinstance(value, str):
            texts.append(value)
        elif value is not None:
            numbers.append(value)
    if numbers:
        texts += [_shown(min(numbers)), _shown(max(numbers))]
    return _fit(texts, column.low, column.high)



def merge_rows(ws, rows: Iterable[int], last_column: int) -> None:
    for row in rows:
        ws.merged_cells.add(f"A{row}:{get_column_letter(max(last_column, 1))}{row}")


def print_setup(ws, header_row: int) -> None:
    """A4 landscape, one page wide, as many pages tall as needed, the header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = _("第 &P 页，共 &N 页")


# Read only while a sheet is written (its top and tail); Workbook.save reads a closed sheet's
# title, print titles, state and relationships, never these.
_WRITING_ONLY = (
    "merged_cells", "HeaderFooter", "page_setup", "page_margins", "print_options", "sheet_properties",
    "views", "sheet_format", "protection", "conditional_formatting", "data_validations", "scenarios",
    "row_breaks", "col_breaks",
)  # fmt: skip


def close_sheet(ws) -> None:
    """Finish a plan's sheet now: its file handle is freed (save() skips closed sheets), and what
    only writing it needed is dropped, ~20 kB a sheet down to ~5 kB when thousands are exported."""
    ws.close()
    ws.column_dimensions.clear()
    ws.row_dimensions.clear()
    for name in _WRITING_ONLY:
        setattr(ws, name, None)


def set_widths(ws, widths: list[int]) -> None:
    """Column widths must be set before the first row of a write-only sheet."""
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _fit(texts: Iterable[str], low: int, high: int) -> int:
    widest = max((display_width(line) for text in texts for line in text.split("\n")), default=0)
    return max(low, min(high, widest + 2))


def fit_height(cells: list, widths: list[int], line: float = 14.5) -> float | None:
    """Room for wrapped text: the most lines any cell of the row needs."""
    lines = 1
    for cell, width in zip(cells, widths):
        if isinstance(cell.value, str) and cell.value:
            lines = max(lines, math.ceil(display_width(cell.value) / max(width - 2, 1)))
    return None if lines == 1 else min(lines, 20) * line + 4



class _Discarded(io.RawIOBase):
    """A file that forgets what is written to it (a zip archive accepts an unseekable file)."""

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return len(data)


def discard_temporary_files(wb) -> None:
    """Each write-only sheet streams through a temporary file that openpyxl removes when the
    workbook is saved, or else only when the process exits. A web worker lives long: a failed
    export saves what it has into nothing, which removes every file (and openpyxl forgets their
    names); should that fail too, the files wait for the process to exit."""
    try:
        wb.save(_Discarded())
    except Exception:  # noqa: BLE001 - the export's own error is the one raised
        pass
