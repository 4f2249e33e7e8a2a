"""An .xlsx holding a key-indicator table, read with openpyxl (values only): the first sheet with a
header row that ``intake.parsing.indicators.columns`` accepts becomes a ``Table`` (merged cells
filled in every position they cover); the text rows above the header become paragraphs, the
first of them or else the sheet's name the title. ``line`` is the worksheet row."""
import io
import itertools
import re

from intake.parsing import Paragraph, PlanImportError, SourceDocument, Table
from intake.parsing.indicators import columns

from .archive import open_zip
from .errors import library_errors
from .limits import MAX_SHEET_ROWS
from .notes import attach_notes

BROKEN = ".xlsx 文件已损坏或格式不规范，无法读取：请在 Excel 或 WPS 中打开后重新另存为 .xlsx 再上传"
NO_TABLE = "表格中没有找到指标表：需要一行表头，含“指标”（或“指标名称”）和目标值列（如“2025年”“目标值”）"


def read_xlsx(data: bytes) -> SourceDocument:
    archive = open_zip(data, ".xlsx")
    with library_errors(BROKEN):
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for sheet in book.worksheets:
            blocks = sheet_blocks(sheet.title, sheet_grid(sheet, merged_ranges(archive, sheet)))
            if blocks:
                return SourceDocument(tuple(attach_notes(blocks)), "xlsx")
    raise PlanImportError(NO_TABLE)


def merged_ranges(archive, sheet) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of the sheet's merged cells, from its XML (openpyxl's
    read-only mode does not read them)."""
    from openpyxl.utils.cell import range_boundaries

    path = getattr(sheet, "_worksheet_path", None)
    if not path or path.lstrip("/") not in archive.namelist():
        return []
    xml = archive.read(path.lstrip("/")).decode("utf-8", "replace")
    return [range_boundaries(ref) for ref in re.findall(r'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+:[A-Z]+\d+)"', xml)]


def sheet_grid(sheet, merged: list[tuple[int, int, int, int]]) -> list[list[str]]:
    """The sheet's values as text, rows up to ``MAX_SHEET_ROWS``, merged ranges filled."""
    rows = itertools.islice(sheet.iter_rows(values_only=True), MAX_SHEET_ROWS)
    grid = [[_text(value) for value in row] for row in rows]
    for min_col, min_row, max_col, max_row in merged:
        value = _at(grid, min_row, min_col)
        for row in range(min_row, min(max_row, len(grid)) + 1):
            for col in range(min_col, max_col + 1):
                _put(grid, row, col, value)
    return grid


def sheet_blocks(title: str, grid: list[list[str]]) -> list:
    """Paragraphs for the text rows above the header, the table, then text rows below (notes)."""
    header = next((i for i, row in enumerate(grid) if _trimmed(row) and columns(_trimmed(row)) is not None), None)
    if header is None:
        return []
    width = len(_trimmed(grid[header]))
    above = [Paragraph(_row_text(row), i + 1) for i, row in enumerate(grid[:header]) if any(row)]
    rows, lines, end = [], [], header
    for end in range(header, len(grid)):
        cells = tuple((grid[end] + [""] * width)[:width])
        if not any(cells) or (end > header and _is_text_row(cells)):
            break
        rows.append(cells)
        lines.append(end + 1)
    else:
        end = len(grid)
    below = [Paragraph(_row_text(row), i + 1) for i, row in enumerate(grid[end:], start=end) if any(row)]
    heading = [] if above else [Paragraph(title, 0)]
    return heading + above + [Table(tuple(rows), lines[0], tuple(lines))] + below


def _row_text(row: list[str]) -> str:
    """A text row's cells, a merged cell's text once."""
    texts: list[str] = []
    for cell in row:
        if cell and cell not in texts:
            texts.append(cell)
    return " ".join(texts)


def _is_text_row(cells: tuple[str, ...]) -> bool:
    """A note row under the table (注：…) holds text in its first cell only, or the same text
    in every cell of a merged row."""
    filled = [cell for cell in cells if cell]
    return len(set(filled)) == 1 and (len(filled) == 1 or len(filled) == len(cells)) and len(filled[0]) > 8


def _trimmed(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1]:
        end -= 1
    return row[:end]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _at(grid, row, col) -> str:
    return grid[row - 1][col - 1] if row <= len(grid) and col <= len(grid[row - 1]) else ""


def _put(grid, row, col, value) -> None:
    if row <= len(grid):
        line = grid[row - 1]
        line.extend([""] * (col - len(line)))
        line[col - 1] = value
