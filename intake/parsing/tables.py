"""Key-indicator tables in extracted text: where one starts, its rows of cells and its notes.

The layouts (``layouts``) are tried in turn at a line: one row a line (tab-separated, pipe,
space-aligned), one cell a line, a whole table in one paragraph. A candidate is a table only
when it starts with a key-indicator header (``header.columns``) and has rows under it, so
prose and the outline's numbered headings are never taken for one."""
import re

from .layouts import flat_table, line_table, stream_table
from .lines import Line
from .model import Table

READERS = (line_table, stream_table, flat_table)
NOTE = re.compile(r"^(注|说明|备注)\s*[:：]")


def table_at(lines: list[Line], i: int) -> tuple[Table | None, int]:
    """A key-indicator table starting at ``lines[i]`` with its notes, or (None, i)."""
    if not lines[i].text and not lines[i].cells:
        return None, i
    for read in READERS:
        found = read(lines, i)
        if found:
            break
    else:
        return None, i
    rows, j = found
    rows = _without_indent_column(rows)
    notes, j = _table_notes(lines, j)
    table = Table(
        rows=tuple(tuple(cells) for _, cells in rows),
        line=rows[0][0],
        lines=tuple(no for no, _ in rows),
        notes=tuple(notes),
    )
    return table, j


def _without_indent_column(rows):
    """A table indented by one tab has an empty first cell in every row: drop it."""
    wide = [cells for _, cells in rows if len(cells) > 1]
    if wide and all(not cells[0] for cells in wide):
        return [(no, cells[1:] if len(cells) > 1 else cells) for no, cells in rows]
    return rows


def _skip_blank(lines: list[Line], j: int) -> int:
    while j < len(lines) and not lines[j].text and not lines[j].indented:
        j += 1
    return j


def _table_notes(lines: list[Line], j: int) -> tuple[list[str], int]:
    """The note lines (注：…) right under a table, with their numbered continuation lines."""
    notes: list[str] = []
    k = _skip_blank(lines, j)
    while k < len(lines) and NOTE.match(lines[k].text):
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
    numbered = re.match(r"^([（(]?[0-9０-９]{1,2}[）)．.、]|[①-⑩])", text) and len(text) < 80
    return bool(numbered and re.search(r"[*＊※]|累计|数据|口径|〔|\[|指|为", text))
