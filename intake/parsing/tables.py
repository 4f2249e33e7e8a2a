"""Key-indicator tables in extracted text: where one starts, its rows of cells and its notes.

Layouts read: tab-separated rows; one cell per line, tab-indented, rows separated by blank lines.
A candidate is a table only when its first row reads as a key-indicator header
(``indicators.columns``)."""
import re

from .indicators import columns
from .lines import Line
from .model import Table


def table_at(lines: list[Line], i: int) -> tuple[Table | None, int]:
    """A key-indicator table starting at ``lines[i]`` with its notes, or (None, i)."""
    found = _table_rows(lines, i)
    if not found or len(found[0][0][1]) < 3 or columns(found[0][0][1]) is None:
        return None, i
    rows, j = found
    if not rows[0][1][0]:  # the whole table is indented by one tab
        rows = [(no, cells[1:] if cells and not cells[0] else cells) for no, cells in rows]
        if columns(rows[0][1]) is None:
            return None, i
    notes, j = _table_notes(lines, j)
    table = Table(
        rows=tuple(tuple(cells) for _, cells in rows),
        line=rows[0][0],
        lines=tuple(no for no, _ in rows),
        notes=tuple(notes),
    )
    return table, j


def _table_rows(lines: list[Line], i: int) -> tuple[list[tuple[int, list[str]]], int] | None:
    """The rows (line, cells), header first, and the end of a table starting at ``lines[i]``."""
    line = lines[i]
    if line.cells:
        rows, j = [(line.no, _trim(line.cells))], i + 1
        while (j := _skip_blank(lines, j)) < len(lines) and lines[j].cells:
            rows.append((lines[j].no, _trim(lines[j].cells)))
            j += 1
        return rows, j
    if line.indented:
        group, j = _cell_group(lines, i)
        rows = [(group[0].no, [cell.text for cell in group])]
        while (j := _skip_blank(lines, j)) < len(lines) and lines[j].indented and not lines[j].cells:
            group, j = _cell_group(lines, j)
            rows.append((group[0].no, [cell.text for cell in group]))
        return rows, j
    return None


def _cell_group(lines: list[Line], i: int) -> tuple[list[Line], int]:
    """Consecutive tab-indented lines holding one cell each (the one-cell-per-line layout)."""
    j = i
    while j < len(lines) and lines[j].indented and not lines[j].cells:
        j += 1
    return lines[i:j], j


def _skip_blank(lines: list[Line], j: int) -> int:
    while j < len(lines) and not lines[j].text and not lines[j].indented:
        j += 1
    return j


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def _table_notes(lines: list[Line], j: int) -> tuple[list[str], int]:
    """The note lines (注：…) right under a table, with their numbered continuation lines."""
    notes: list[str] = []
    k = _skip_blank(lines, j)
    while k < len(lines) and re.match(r"^(注|说明|备注)\s*[:：]", lines[k].text):
        notes.append(lines[k].text)
        k += 1
        while k < len(lines) and _numbered_note(lines[k].text):
            notes.append(lines[k].text)
            k += 1
        j = k
        k = _skip_blank(lines, k)
    return notes, j


def _numbered_note(text: str) -> bool:
    """"1．带*的为2019年数据": a numbered line continuing a table note, not a heading."""
    numbered = re.match(r"^([（(]?[0-9０-９]{1,2}[）)．.、])", text) and len(text) < 60
    return bool(numbered and re.search(r"[*＊※]|累计|数据|口径|〔|\[", text))
