"""The text layouts extraction gives a key-indicator table, each read into rows of cells.

- one row a line: tab-separated, pipe/markdown (``| 指标 | 2020年 |``, ``|---|`` rules),
  space-aligned columns (two or more spaces or ideographic spaces between cells; a row with
  fewer cells is placed by column position), or single spaces when a line holds a whole row;
- one cell a line, indented or not, with or without blank lines between cells or rows;
- a whole table flattened into one paragraph (a document-sharing site's copy).

The last two give a stream of cells; ``segment`` cuts it into rows at the anchors a row has: an
attribute word (预期性/约束性) ending it, a row number (``1``, ``1．名称``) starting it, else the
header's cell count. Group rows (``一、经济发展``) are rows of one cell. A layout reader returns the
rows, header first, and the index of the first line after the table, or None."""
import re
import unicodedata
from collections import Counter

from .cells import (
    clean, group_label, is_attribute, is_unit, is_value, row_number, split_number, starts_row, topic_label,
)
from .header import SUB_HEADER, Columns, column_role, columns, is_header_row, merge_header
from .lines import Line

Rows = list[tuple[int, list[str]]]
MAX_CELL = 60  # a longer line is prose, not a cell
STOP = re.compile(r"^(注|说明|备注|资料来源|数据来源)\s*[:：]|[。；]$")
PIPE_RULE = re.compile(r"^[|｜]?\s*:?-{2,}:?\s*([|｜]\s*:?-{2,}:?\s*)*[|｜]?$")


# ---------------------------------------------------------------------------------------------
# Splitting one line into cells


def tab_cells(line: Line) -> list[str] | None:
    return _trim(line.cells) if line.cells else None


def pipe_cells(line: Line) -> list[str] | None:
    text = line.text
    if not text.startswith(("|", "｜")) or PIPE_RULE.match(text):
        return None
    inner = re.sub(r"^[|｜]|[|｜]$", "", text.strip())
    return _trim([clean(cell) for cell in re.split(r"[|｜]", inner)])


def space_cells(line: Line) -> list[str] | None:
    """Cells split at runs of two or more spaces (or an ideographic space); a line with single
    spaces only is split at each space."""
    if line.cells or not line.text:
        return None
    cells = [cell for cell in re.split(r"(?:\s{2,}|\u3000+)", line.text) if cell]
    if len(cells) < 2:
        cells = line.text.split()
    return cells if len(cells) >= 2 else None


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def display_spans(raw: str) -> list[tuple[int, int, str]]:
    """The cells of a space-aligned line with their start and end columns (CJK counted double)."""
    spans, column = [], 0
    for part in re.split(r"((?:[ \u3000\xa0]{2,}|\u3000+))", raw.replace("\t", "    ")):
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in part)
        if part.strip(" \u3000\xa0"):
            lead = len(part) - len(part.lstrip(" "))
            spans.append((column + lead, column + width, part.strip(" \u3000\xa0")))
        column += width
    return spans


def place_by_position(header_raw: str, row_raw: str, count: int) -> list[str] | None:
    """A space-aligned row with empty cells: each cell goes to the header column it overlaps most."""
    heads = display_spans(header_raw)
    if len(heads) != count:
        return None
    bounds = [start for start, _, _ in heads] + [10**6]
    cells = [""] * count
    for start, end, text in display_spans(row_raw):
        overlaps = [min(end, bounds[k + 1]) - max(start, bounds[k]) for k in range(count)]
        best = max(range(count), key=lambda k: overlaps[k])
        cells[best] = f"{cells[best]} {text}".strip()
    return cells


# ---------------------------------------------------------------------------------------------
# One row a line


LINE_LAYOUTS = (tab_cells, pipe_cells, space_cells)


def line_table(lines: list[Line], i: int) -> tuple[Rows, int] | None:
    """A table of one row a line starting at ``lines[i]``, in the first layout that reads it."""
    for split in LINE_LAYOUTS:
        found = _line_rows(lines, i, split)
        if found:
            return found
    return None


def _line_rows(lines: list[Line], i: int, split) -> tuple[Rows, int] | None:
    first = split(lines[i])
    if not first or not is_header_row(first):
        return None
    header_rows, j = [(lines[i], first)], _next(lines, i + 1, split)
    if j < len(lines) and (second := split(lines[j])) and is_header_row(second):
        header_rows.append((lines[j], second))
        j = _next(lines, j + 1, split)
    name_at = _name_span(lines[i]) if split is space_cells else None
    body, j = _body_lines(lines, j, split, name_at)
    header = _line_header([cells for _, cells in header_rows], body)
    if header is None or not any(len(cells) > 1 for _, cells, _ in body):
        return None
    cols = columns(header)
    body = [(no, _placed(cells, cols, header_rows[0][0], raw, split), raw) for no, cells, raw in body]
    if name_at:
        body = _joined_continuations(body, cols, name_at)
    return [(header_rows[0][0].no, header)] + [(no, cells) for no, cells, _ in body], j


def _line_header(rows: list[list[str]], body) -> list[str] | None:
    width = _width([cells for _, cells, _ in body])
    header = rows[0] if len(rows) == 1 else merge_header(rows[0], rows[1], width)
    return header if header and columns(header) else None


def _placed(cells, cols: Columns, header: Line, raw: str, split) -> list[str]:
    if split is space_cells and 1 < len(cells) < cols.count and "  " in header.raw.strip():
        return place_by_position(header.raw, raw, cols.count) or cells
    return cells


BodyLines = list[tuple[int, list[str], str]]


def _body_lines(lines: list[Line], j: int, split, name_at=None) -> tuple[BodyLines, int]:
    """The rows under a header: lines that split into cells, group rows (一、经济发展) of one
    cell when a row follows them, and (space-aligned) a name's continuation under the name
    column. Returns (line, cells, raw) and the end."""
    body, end = [], j
    while j < len(lines):
        cells = split(lines[j])
        if cells and len(cells) > 1:
            body.append((lines[j].no, cells, lines[j].raw))
        elif _group_row(lines, j, split) or body and _under(name_at, lines[j]):
            body.append((lines[j].no, (cells or [lines[j].text])[:1], lines[j].raw))
        elif not PIPE_RULE.match(lines[j].text):
            break
        j = _next(lines, j + 1, split)
        end = j
    return body, end


def _name_span(header: Line) -> tuple[int, int] | None:
    """Where the name column of a space-aligned header stands, when it is not the first column."""
    spans = display_spans(header.raw)
    cols = columns([text for _, _, text in spans])
    if cols is None or cols.name == 0 or len(spans) < 3:
        return None
    return spans[cols.name][0], spans[cols.name + 1][0]


def _under(name_at, line: Line) -> bool:
    """A one-cell line that starts inside the name column: a long name broken over two lines."""
    spans = display_spans(line.raw) if name_at and not line.cells else []
    return len(spans) == 1 and name_at[0] - 1 <= spans[0][0] < name_at[1] and not STOP.search(line.text)


def _joined_continuations(body, cols: Columns, name_at) -> list[tuple[int, list[str], str]]:
    """Rows with a name's continuation line (one cell under the name column) joined back."""
    joined: list[tuple[int, list[str], str]] = []
    for no, cells, raw in body:
        spans = display_spans(raw)
        under = len(cells) == 1 and len(spans) == 1 and name_at[0] - 1 <= spans[0][0] < name_at[1]
        if under and joined and len(joined[-1][1]) > cols.name and not group_label(cells[0]):
            joined[-1][1][cols.name] += cells[0]
        else:
            joined.append((no, cells, raw))
    return joined


def _group_row(lines: list[Line], j: int, split) -> bool:
    own = split(lines[j]) or [lines[j].text]
    text = own[0]
    if len(own) > 1 or not text or STOP.search(text):
        return False
    k = _next(lines, j + 1, split)
    following = split(lines[k]) if k < len(lines) else None
    below = (following or [lines[k].text])[0] if k < len(lines) else ""
    if not (following and len(following) > 1) and topic_label(below) and not topic_label(text):
        k = _next(lines, k + 1, split)  # a group row over a topic (1．空气质量) over the rows
        following = split(lines[k]) if k < len(lines) else None
    word = group_label(text) or topic_label(text) or (len(text) <= 12 and not re.search(r"[，。；：:\d]", text))
    return bool(word and following and len(following) > 2 and not is_header_row(following))


def _next(lines: list[Line], j: int, split) -> int:
    while j < len(lines) and not lines[j].text and not (split is tab_cells and lines[j].cells):
        j += 1
    return j


def _width(rows: list[list[str]]) -> int | None:
    counts = Counter(len(cells) for cells in rows if len(cells) > 2)
    return counts.most_common(1)[0][0] if counts else None


# ---------------------------------------------------------------------------------------------
# One cell a line, and whole tables in one paragraph


def stream_table(lines: list[Line], i: int) -> tuple[Rows, int] | None:
    """A table of one cell a line (indented or not, blank lines anywhere) at ``lines[i]``."""
    header, j = _stream_header(lines, i)
    if header is None:
        return None
    stream, ends = [], []
    while (j := _skip(lines, j)) < len(lines) and _is_cell_line(lines[j]):
        stream.append((lines[j].no, lines[j].text))
        ends.append(j + 1)
        j += 1
    found = _best_segmentation(header, stream)
    if not found:
        return None
    header, rows, used = found
    return [(lines[i].no, header)] + rows, ends[used - 1]


def flat_table(lines: list[Line], i: int) -> tuple[Rows, int] | None:
    """A whole table flattened into the paragraph ``lines[i]``: header words, then row cells."""
    line = lines[i]
    if line.cells or len(line.text) < 20:
        return None
    tokens = flat_tokens(line.text)
    k = 0
    while k < len(tokens) and is_header_row([tokens[k]]):
        k += 1
    if k < 3:
        return None
    found = _best_segmentation(tokens[:k], [(line.no, token) for token in tokens[k:]])
    if not found or found[2] < len(tokens) - k - 2:
        return None
    header, rows, _ = found
    return [(line.no, header)] + rows, i + 1


ANCHOR = re.compile(r"(预期性|约束性|(?<=年)(?=(?:19|20)\d\d年))")


def flat_tokens(text: str) -> list[str]:
    """The cells of a flattened table: words between spaces, cut again at the anchors a site
    glues to their neighbours (``2.5预期性2``, ``2020年2025年``)."""
    tokens = []
    for word in re.sub(r"(?<=[0-9])\s+(?=[.．][0-9])", "", text).split():  # "76 .7" is one number
        tokens += [part for part in ANCHOR.split(word) if part]
    return tokens


def _stream_header(lines: list[Line], i: int) -> tuple[list[str] | None, int]:
    cells, j, names = [], i, 0
    while (j := _skip(lines, j) if cells else j) < len(lines) and _is_header_cell(lines[j]):
        names += column_role(lines[j].text) == "name"
        cells.append(lines[j].text)
        j += 1
    if len(cells) < 3 or names > 1 and not any(column_role(c) == "category" for c in cells):
        return None, i
    return cells, j


def _is_header_cell(line: Line) -> bool:
    return not line.cells and bool(line.text) and len(line.text) <= 16 and is_header_row([line.text])


def _is_cell_line(line: Line) -> bool:
    return not line.cells and 0 < len(line.text) <= MAX_CELL and not STOP.search(line.text)


def _skip(lines: list[Line], j: int) -> int:
    while j < len(lines) and not lines[j].text and not lines[j].cells:
        j += 1
    return j


def _header_variants(cells: list[str]) -> list[list[str]]:
    """The header as printed, and as two rows when it ends in sub-headers (目标值, 年均增长)."""
    variants = [cells] if columns(cells) else []
    k = len(cells)
    while k > 1 and SUB_HEADER.match(cells[k - 1]):
        k -= 1
    if 1 < k < len(cells):
        for width in range(len(cells) - 1, k - 1, -1):
            merged = merge_header(cells[:k], cells[k:], width)
            if merged and columns(merged) and merged not in variants:
                variants.append(merged)
    return variants


def _best_segmentation(header_cells, stream):
    """The header reading whose rows fit it best: rows of the width it asks for, with an
    attribute word in its attribute column."""
    best = None
    for header in _header_variants(header_cells):
        cols = columns(header)
        rows, used = segment(stream, cols)
        score = (sum(_fit(cells, cols) for _, cells in rows), used)
        if rows and (best is None or score > best[0]):
            best = (score, header, rows, used)
    return best[1:] if best and best[0][0] else None


def _fit(cells: list[str], cols: Columns) -> int:
    if len(cells) == 1:
        return 0
    fit = len(cells) == row_width(cells, cols)
    if cols.attribute is not None and cols.count - cols.attribute <= len(cells):
        fit += is_attribute(cells[len(cells) - (cols.count - cols.attribute)])
    return fit


# ---------------------------------------------------------------------------------------------
# Cutting a stream of cells into rows


def segment(stream: list[tuple[int, str]], cols: Columns) -> tuple[Rows, int]:
    """Rows of a cell stream and how many cells they use; stops at the first cell that starts no row."""
    rows: Rows = []
    k, expected, numbered = 0, None, _numbers_rows(stream)
    while k < len(stream):
        if _is_group(stream, k, cols, expected) or _is_topic(stream, k, cols, numbered, expected):
            rows.append((stream[k][0], [stream[k][1]]))
            k += 1
            continue
        size = _row_size(stream, k, cols, expected)
        cells = unwrapped([cell for _, cell in stream[k:k + size]], cols)
        if not size or not _plausible(cells, cols):
            break
        rows.append((stream[k][0], cells))
        expected = _row_number(cells)
        expected = expected + 1 if expected is not None else None
        k += size
    return rows, k


def _row_number(cells: list[str]) -> int | None:
    """The number of a row: its first cell's, or its second's when a category comes first."""
    return next((n for n in map(starts_row, cells[:2]) if n is not None), None)


def _is_group(stream, k: int, cols: Columns, expected: int | None) -> bool:
    """A group row (一、经济发展, or a bare word before a numbered row that starts with a name)."""
    cell = stream[k][1]
    if is_value(cell) or is_attribute(cell) or starts_row(cell) is not None or k + 2 >= len(stream):
        return False
    if group_label(cell):
        return True
    number = starts_row(stream[k + 1][1])
    named = not is_value(stream[k + 2][1]) or split_number(stream[k + 1][1])[0] is not None
    if cols.category is None and len(cell) <= 12 and number == (expected or 1) and named:
        return True
    over_topic = topic_label(stream[k + 1][1]) is not None and _text(stream[k + 2][1])  # 污染物排放总量, 4。污染物减排
    if cols.category is None and len(cell) <= 12 and not re.search(r"\d", cell) and over_topic:
        return True
    return cols.category is None and _leads_unnumbered_row(stream, k, cols)


def _is_topic(stream, k: int, cols: Columns, numbered: bool, expected: int | None) -> bool:
    """A numbered topic (1。空气质量) before an unnumbered row's name: a row of its own. Not in a
    table whose rows carry numbers (``numbered``, the number the rows before it lead to
    ``expected``, or the next row numbered after it): there
    "1．地级及以上城市空" is a name's first line, as long as the part after it or longer."""
    if numbered or k + 2 >= len(stream) or topic_label(stream[k][1]) is None:
        return False
    if expected is not None and starts_row(stream[k][1]) == expected:
        return False
    cell, following = stream[k][1], stream[k + 1][1]
    if not _text(following) or starts_row(following) is not None or topic_label(following) is not None:
        return False
    if len(cell) >= len(following):
        return False
    # the next row (or a group row before it) numbered after it, its first line as long: both
    # are the first lines of numbered names broken at the column's width
    after = k + 1 + _row_size(stream, k + 1, cols, None)
    return not any(starts_row(stream[j][1]) == starts_row(cell) + 1 and len(stream[j][1]) == len(cell)
                   for j in range(after, min(after + 2, len(stream))))


def _numbers_rows(stream) -> bool:
    """Whether a stream's rows carry numbers: a numbered name (3．常住人口城镇化率) followed by a value."""
    return any(split_number(cell)[0] is not None and is_value(after)
               for (_, cell), (_, after) in zip(stream, stream[1:]))


GROUP_WORD_MAX = 7  # a group's name (生态环境质量) is shorter than a line of the name column


def _leads_unnumbered_row(stream, k: int, cols: Columns) -> bool:
    """A bare group word glued before an unnumbered row ("生态环境质量", "地级及以上城市……比率（%）",
    "76.7", …): one cell more than the row has room for, the first a short word and shorter than
    the name after it, where a name broken over two lines has its longer part first."""
    cell, following = stream[k][1], stream[k + 1][1]
    if len(cell) > GROUP_WORD_MAX or re.search(r"[\d，。；：、（）()%％]", cell) or is_unit(cell):
        return False
    if not _text(following) or starts_row(following) is not None or len(following) <= len(cell):
        return False
    size = _row_size(stream, k, cols, None)
    return size > row_width([c for _, c in stream[k + 1:k + size]], cols)


def _row_size(stream, k: int, cols: Columns, expected: int | None) -> int:
    """How many cells the row starting at ``stream[k]`` has."""
    n, rest = cols.count, len(stream) - k
    if cols.attribute == n - 1:
        for size in range(2, min(n + 3, rest) + 1):
            if is_attribute(stream[k + size - 1][1]):
                return size
    elif cols.attribute == n - 2 and cols.responsible == n - 1:  # 属性 then 责任单位
        for size in range(2, min(n + 2, rest) + 1):
            if is_attribute(stream[k + size - 1][1]):
                return size + _responsible_size(stream, k + size)
    number = _row_number([cell for _, cell in stream[k:k + 2]])
    number = number if number is not None else expected
    if number is not None:
        sizes = [n, n - 1, n + 1] if cols.category is not None else [n, n + 1]
        for size in (size for size in sizes if 2 <= size < rest):
            if starts_row(stream[k + size][1]) == number + 1 or _is_group(stream, k + size, cols, number + 1):
                return _before_category(stream, k, size, n - 1, cols)
    return min(n, rest)


ORGANIZATION_END = re.compile(r"(局|委|委员会|办|办公室|厅|部|会|院|中心|公司|政府|所|站|队|处|署|集团|街道|镇|乡)$")


def _responsible_size(stream, k: int) -> int:
    """The cells of the 责任单位 after a row's attribute: none, one, or two when a long list of
    units broke over two lines and the next row's number follows."""
    if k >= len(stream) or not _responsible_cell(stream[k][1]):
        return 0
    broken = k + 1 < len(stream) and _responsible_cell(stream[k + 1][1]) and ORGANIZATION_END.search(stream[k + 1][1])
    return 2 if broken and _next_row_at(stream, k + 2) else 1


def _next_row_at(stream, k: int) -> bool:
    """Whether a row (or the end) starts at ``stream[k]``: its number, a group, a category before a number."""
    if k >= len(stream):
        return True
    cell = stream[k][1]
    if starts_row(cell) is not None or group_label(cell):
        return True
    return len(cell) <= 12 and _text(cell) and k + 1 < len(stream) and starts_row(stream[k + 1][1]) is not None


def _responsible_cell(cell: str) -> bool:
    """A cell after the attribute that names a unit, not the next row's number or group."""
    return _text(cell) and starts_row(cell) is None and not group_label(cell)


def row_width(cells: list[str], cols: Columns) -> int:
    """The cell count a row should have: one less when its category is left to the group's first
    row, one more when the header leaves the 序号 column unlabelled."""
    if cols.category is not None and len(cells) > cols.category:
        first = cells[cols.category]
        if starts_row(first) is not None or is_value(first):
            return cols.count - 1
    if cols.number is None and cells and row_number(cells[0]) is not None:
        return cols.count + 1
    return cols.count


def unwrapped(cells: list[str], cols: Columns) -> list[str]:
    """A row with a cell broken over two lines (a long name, a target phrase) joined back: of the
    adjacent pairs of text cells, the one whose first part is longest, as a wrapped line is."""
    while len(cells) > row_width(cells, cols):
        pairs = [k for k in range(len(cells) - 1) if _text(cells[k]) and _text(cells[k + 1])
                 and starts_row(cells[k + 1]) is None]
        if not pairs:
            break
        k = max(pairs, key=lambda k: len(cells[k]))
        cells = cells[:k] + [cells[k] + cells[k + 1]] + cells[k + 2:]
    return _unit_gap_unwrapped(cells, cols)


def _unit_gap_unwrapped(cells: list[str], cols: Columns) -> list[str]:
    """A broken name whose row has no unit: its second part stands where the unit would, and a
    value follows it ("重点生态功能区", "所属县域……指数", "60.4")."""
    if cols.unit is None:
        return cells
    for k in range(len(cells) - 2):
        second, after = cells[k + 1], cells[k + 2]
        if _text(cells[k]) and _text(second) and starts_row(second) is None and is_value(after) and not is_unit(after):
            return cells[:k] + [cells[k] + second] + cells[k + 2:]
    return cells


def _text(cell: str) -> bool:
    return not is_value(cell) and not is_attribute(cell) and not is_unit(cell)


def _before_category(stream, k: int, size: int, low: int, cols: Columns) -> int:
    """A next row's category (创新主体 before its number 3) belongs to that row."""
    before = stream[k + size - 1][1]
    if cols.category is not None and size - 1 >= low and not is_value(before) and not is_attribute(before):
        return size - 1
    return size


def _plausible(cells: list[str], cols: Columns) -> bool:
    """A row: near the header's width, with a name (text that is no value) and a value or attribute."""
    if len(cells) < max(2, cols.count - 2) or len(cells) > cols.count + 1:
        return False
    texts = [cell for cell in cells if not is_value(cell) and not is_attribute(cell)]
    return bool(texts) and any(is_value(cell) or is_attribute(cell) for cell in cells)
