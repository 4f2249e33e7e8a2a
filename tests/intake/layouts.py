"""Real key-indicator tables rendered mechanically into the text layouts extraction gives.

A ``Grid`` is a table as printed: its header (one row, or two when 2025年 spans sub-headers or
the header broke over two lines), its body rows (a category given only on a group's first row is
an empty cell below it; a group row spanning the table is a row of one cell) and its notes.
``as_table`` is the grid as a reader of a real table format gives it (merged header cells
repeated). One function per text layout renders a grid; ``Style`` holds the choices a test (or
Hypothesis) makes: indentation, blank lines, spacing. Reusable for other formats (.docx/.pdf):
the grid and ``as_table`` carry everything the table holds."""
import re
import unicodedata
from dataclasses import dataclass, field, replace

from intake.parsing.indicators import split_unit
from intake.parsing.model import Paragraph, SourceDocument, Table

TITLE = "某市国民经济和社会发展第十四个五年规划纲要"
BEFORE = ["一、发展目标", "“十四五”时期主要指标如下。"]
AFTER = ["二、重点任务", "加快建设创新型城市。"]


@dataclass(frozen=True)
class Grid:
    name: str
    header: tuple[str, ...]  # the header as one row (目标值 under 2025年 → "2025年目标值")
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()
    printed: tuple[tuple[str, ...], ...] = ()  # the header rows as printed, when not one row

    @property
    def header_rows(self) -> tuple[tuple[str, ...], ...]:
        return self.printed or (self.header,)


@dataclass(frozen=True)
class Style:
    indent: str = ""  # before every cell of the one-cell-a-line layout ("" or "\t")
    row_gap: int = 1  # blank lines between rows (one cell a line)
    cell_gap: int = 0  # blank lines between the cells of a row (one cell a line)
    spaces: int = 2  # spaces between space-aligned columns
    ideographic: bool = False  # space-aligned with U+3000 instead of spaces
    newline: str = "\n"
    wrap: int = 0  # one cell a line: cells longer than this are broken over two lines (0: never)
    glued: bool = False  # flattened: the attribute word glued to the cells around it, years together


def as_table(grid: Grid, merged: bool = False) -> Table:
    """The grid as a reader of .docx/.xlsx gives it: one header row, group rows padded with
    empty cells, or (``merged``) as such a reader gives merged cells: repeated in every position
    they cover — the group row across the table, a header cell over the sub-headers under it."""
    width = len(grid.header)
    rows = [row if len(row) > 1 else _group_cells(row, width, merged) for row in grid.rows]
    if merged and "类别" in grid.header:  # the category cell merged down its group
        rows = _filled_down(rows, grid.header.index("类别"))
    header = [grid.header] if not (merged and grid.printed) else list(_merged_header(grid))
    return Table(rows=tuple(header + rows), line=1, notes=grid.notes)


def _group_cells(row: tuple[str], width: int, merged: bool) -> tuple[str, ...]:
    return row * width if merged else row + ("",) * (width - 1)


def _filled_down(rows, column: int) -> list[tuple[str, ...]]:
    filled, above = [], ""
    for row in rows:
        above = row[column] or above
        filled.append(row[:column] + (above,) + row[column + 1:])
    return filled


def _merged_header(grid: Grid) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Two header rows of the grid's width: a parent over sub-headers repeated over each, the
    cells that span both rows repeated in both. Broken headers (no sub-headers) stay one row."""
    first, subs = grid.printed
    if len(first) + len(subs) == len(grid.header):
        return (grid.header,)
    top, bottom = [], []
    for cell in grid.header:
        parent = next((p for p in first if cell.startswith(p) and cell != p and cell[len(p):] in subs), None)
        top.append(parent or cell)
        bottom.append(cell[len(parent):] if parent else cell)
    return tuple(top), tuple(bottom)


def document(grid: Grid, merged: bool = False) -> SourceDocument:
    """The grid in a plan: a title and a heading before it, the next chapter after it."""
    paragraphs = [Paragraph(text, n) for n, text in enumerate([TITLE] + BEFORE, start=1)]
    after = [Paragraph(text, 100 + n) for n, text in enumerate(AFTER)]
    return SourceDocument(tuple(paragraphs + [as_table(grid, merged)] + after))


def in_plan(table_text: str, style: Style = Style()) -> str:
    """The rendered table in a plan's text, between a heading and the next chapter."""
    lines = [TITLE] + BEFORE + [table_text.rstrip("\n")] + AFTER
    return style.newline.join(lines).replace("\n", style.newline) + style.newline


# ---------------------------------------------------------------------------------------------
# Layouts: one function each, grid → text


def notes(grid: Grid) -> list[str]:
    return list(grid.notes)


def tabs(grid: Grid, style: Style = Style()) -> str:
    """Tab-separated rows; with ``style.indent`` the whole table indented by a tab."""
    rows = grid.header_rows + grid.rows
    lines = [style.indent + "\t".join(row) for row in rows]
    return "\n".join(lines + notes(grid))


def pipes(grid: Grid, style: Style = Style()) -> str:
    def line(cells):
        return "| " + " | ".join(cells) + " |"

    width = len(grid.header)
    body = [line(row if len(row) > 1 else row + ("",) * (width - 1)) for row in grid.rows]
    rule = "|" + "|".join(["---"] * len(grid.header_rows[0])) + "|"
    header = [line(grid.header_rows[0]), rule] + [line(row) for row in grid.header_rows[1:]]
    return "\n".join(header + body + notes(grid))


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def spaced(grid: Grid, style: Style = Style()) -> str:
    """Columns padded to a common width (CJK counted double), as ``pdftotext -layout`` gives;
    with ``style.wrap`` a long name goes on over the next line, under the name column."""
    name = 1 if len(grid.header) > 1 and grid.header[0] in ("序号", "类别") else None
    rows = [grid.header] + [row for row in grid.rows if len(row) > 1]
    count = max(len(row) for row in rows)
    cut = [_wrap_name(row, name, style.wrap) for row in rows]
    widths = [max(width(row[k]) for row, _ in cut if k < len(row)) for k in range(count)]
    gap = "\u3000" if style.ideographic else " " * style.spaces

    def line(cells):
        if style.ideographic:
            return gap.join(cells).rstrip("\u3000")
        padded = [cell + " " * (widths[k] - width(cell)) for k, cell in enumerate(cells)]
        return gap.join(padded).rstrip()

    def block(row):
        head, rest = _wrap_name(row, name, style.wrap)
        if not rest or style.ideographic:
            return [line(row)]
        return [line(head), " " * (widths[0] + len(gap)) + rest]

    body = [text for row in grid.rows for text in (block(row) if len(row) > 1 else row)]
    lines = [line(grid.header)] + body
    return "\n".join(lines + notes(grid))


def _wrap_name(row, name: int | None, wrap: int):
    """The row with its name cut at ``wrap`` characters, and the rest of the name ("" if none)."""
    if name is None or not wrap or len(row) <= name or len(row[name]) <= wrap:
        return row, ""
    return row[:name] + (row[name][:wrap],) + row[name + 1:], row[name][wrap:]


def cells(grid: Grid, style: Style = Style()) -> str:
    """One cell a line, as PDF extraction gives: empty cells are not printed."""
    def block(row, body=True):
        separator = "\n" * (style.cell_gap + 1)
        return separator.join(style.indent + part for cell in row if cell for part in wrapped(cell, body))

    def wrapped(cell, body):
        if not body or not style.wrap or len(cell) <= style.wrap:
            return [cell]
        return [cell[: style.wrap], cell[style.wrap:]]

    # a group row spans the table's width, so it does not break as a narrow cell does
    rows = [block(row, False) for row in grid.header_rows] + [block(row, len(row) > 1) for row in grid.rows]
    return ("\n" * (style.row_gap + 1)).join(rows) + "\n" + "\n".join(notes(grid))


def flat(grid: Grid, style: Style = Style()) -> str:
    """The whole table in one paragraph, as a document-sharing site's copy gives it."""
    tokens = [cell for row in grid.header_rows + grid.rows for cell in row if cell]
    text = " ".join(tokens)
    if style.glued:
        text = re.sub(r" ?(预期性|约束性) ?", r"\1", text).replace("年 20", "年20")
    return text + "\n" + "\n".join(notes(grid))


def flat_glued(grid: Grid, style: Style = Style()) -> str:
    """Flattened, with the attribute words and the years glued to their neighbours."""
    return flat(grid, replace(style, glued=True))


def cells_wrapped(grid: Grid, style: Style = Style()) -> str:
    """One cell a line, with cells longer than 10 characters broken over two lines."""
    return cells(grid, replace(style, wrap=style.wrap or 10))


def spaced_ideographic(grid: Grid, style: Style = Style()) -> str:
    return spaced(grid, replace(style, ideographic=True))


def spaced_wrapped(grid: Grid, style: Style = Style()) -> str:
    """Space-aligned, with names longer than 12 characters going on over the next line."""
    return spaced(grid, replace(style, wrap=style.wrap or 12, ideographic=False))


LAYOUTS = {
    "tabs": tabs, "pipes": pipes, "spaced": spaced, "spaced_ideographic": spaced_ideographic,
    "spaced_wrapped": spaced_wrapped,
    "cells": cells, "cells_wrapped": cells_wrapped, "flat": flat, "flat_glued": flat_glued,
}


# ---------------------------------------------------------------------------------------------
# Variants: the same table as other plans print it


NUMERALS = "一二三四五六七八九十"
GROUP_LABELS = {  # how plans print a group row's name: 经济发展, 一、经济发展, （一）经济发展
    "plain": lambda n, text: text,
    "numbered": lambda n, text: f"{NUMERALS[n]}、{text}",
    "bracketed": lambda n, text: f"（{NUMERALS[n]}）{text}",
}


def with_group_rows(grid: Grid, label: str = "plain") -> Grid:
    """The 类别 column (first column) as group rows spanning the table: 经济发展 or 一、经济发展."""
    rows, groups = [], 0
    for row in grid.rows:
        if row[0]:
            rows.append((GROUP_LABELS[label](groups, row[0]),))
            groups += 1
        rows.append(row[1:])
    suffix = "+groups" if label == "plain" else f"+{label}-groups"
    return replace(grid, name=grid.name + suffix, header=grid.header[1:], rows=tuple(rows), printed=())


def with_group_labels(grid: Grid, label: str) -> Grid:
    """A grid's group rows (rows of one cell) labelled in another style."""
    rows, groups = [], 0
    for row in grid.rows:
        if len(row) == 1:
            row = (GROUP_LABELS[label](groups, group_name(row[0])),)
            groups += 1
        rows.append(row)
    return replace(grid, name=grid.name + f"+{label}-labels", rows=tuple(rows))


def group_name(text: str) -> str:
    return re.sub(rf"^(?:[{NUMERALS}]+、|（[{NUMERALS}]+）)", "", text)


def without_row_numbers(grid: Grid) -> Grid:
    """Rows without printed numbers: "1．森林覆盖率（%）" printed as "森林覆盖率（%）"."""
    def bare(row):
        return row if len(row) == 1 else tuple(re.sub(r"^\d{1,2}．", "", cell) for cell in row)

    return replace(grid, name=grid.name + "+unnumbered", rows=tuple(map(bare, grid.rows)))


DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")


def with_decimal_mark(grid: Grid, mark: str) -> Grid:
    """Decimals printed with another mark, as PDF extraction and typists give them: 76。7, 76．7, 76 .7."""
    def marked(row):
        return tuple(DECIMAL.sub(mark, cell) for cell in row)

    return replace(grid, name=grid.name + f"+decimal{mark.strip()}", rows=tuple(map(marked, grid.rows)))


def without_number_label(grid: Grid) -> Grid:
    """An unlabelled 序号 column: the header leaves the number column's cell out."""
    return replace(grid, name=grid.name + "+bare-number", header=grid.header[1:], printed=())


def with_unit_column(grid: Grid, name_column: int) -> Grid:
    """The unit moved from the name's （） into a 单位 column after the name."""
    def move(row):
        if len(row) == 1:
            return row
        name, unit = split_unit(row[name_column])
        return row[:name_column] + (name, unit) + row[name_column + 1:]

    header = grid.header[:name_column] + ("指标名称", "单位") + grid.header[name_column + 1:]
    rows = tuple(map(move, grid.rows))
    return replace(grid, name=grid.name + "+unit", header=header, rows=rows, printed=())


def with_broken_header(grid: Grid, at: int) -> Grid:
    """The header printed over two lines, broken before cell ``at``."""
    return replace(grid, name=grid.name + f"+header/{at}", printed=(grid.header[:at], grid.header[at:]))


@dataclass(frozen=True)
class Spanning:
    """Header cells printed as a parent over sub-headers: columns ``column``… ("2025年目标",
    or 2025年 over 目标值 | 年均/累计) as ``parent`` in the first header row, ``subs`` under it."""

    column: int
    parent: str
    subs: tuple[str, ...] = field(default=("目标",))


def with_sub_header(grid: Grid, span: Spanning) -> Grid:
    end = span.column + len(span.subs)
    header = grid.header[: span.column] + tuple(span.parent + sub for sub in span.subs) + grid.header[end:]
    printed = (grid.header[: span.column] + (span.parent,) + grid.header[end:], span.subs)
    return replace(grid, name=grid.name + "+sub-header", header=header, printed=printed)


RESPONSIBLE = ("区科技局", "区发展改革委", "区工业和信息化局、区科技局", "区教育局")


def with_responsible_column(grid: Grid, header: str = "责任单位") -> Grid:
    """A 责任单位 (or 牵头单位) column after the last, each row naming its unit(s)."""
    rows, k = [], 0
    for row in grid.rows:
        if len(row) > 1:
            row = row + (RESPONSIBLE[k % len(RESPONSIBLE)],)
            k += 1
        rows.append(row)
    return replace(grid, name=grid.name + f"+{header}", header=grid.header + (header,), rows=tuple(rows),
                   printed=())


def with_topics(grid: Grid, topics: dict[int, str]) -> Grid:
    """Unnumbered rows under numbered topics (1．空气质量) printed as rows of their own: ``topics``
    maps the index of a row in ``grid.rows`` to the topic printed before it."""
    rows = []
    for index, row in enumerate(without_row_numbers(grid).rows):
        if index in topics:
            rows.append((topics[index],))
        rows.append(row)
    return replace(grid, name=grid.name + "+topics", rows=tuple(rows))


def with_category_labels(grid: Grid, label: str) -> Grid:
    """The 类别 column's cells (first column, on each group's first row) labelled 一、… or （一）…"""
    rows, groups = [], 0
    for row in grid.rows:
        if len(row) > 1 and row[0]:
            row = (GROUP_LABELS[label](groups, row[0]),) + row[1:]
            groups += 1
        rows.append(row)
    return replace(grid, name=grid.name + f"+{label}-categories", rows=tuple(rows))
