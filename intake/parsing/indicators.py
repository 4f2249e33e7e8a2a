"""A key-indicator table's rows as indicators: the header's columns (``header``), the notes under
the table (带*的为2019年数据, 〔〕内为5年累计数), and each row's number, name, unit, category,
baseline and typed target.

Every row becomes an indicator and none aborts the document: what cannot be read is kept with a
``Flag`` (``flags``) naming the cell and why, for the planner to fix. Group rows spanning the
table (一、经济发展) set the category of the rows under them."""
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from indicators.targets import Target, TargetKind, normalize, parse_decimal, parse_target

from .cells import (
    DECIMAL_MARK, group_label, is_attribute, is_empty, is_unit, is_value, row_number, split_number, topic_label,
    without_footnote_marks,
)
from .header import Columns, column_role, columns, is_header_row, merge_header
from .flags import flag
from .model import Flag, ParsedIndicator, Table

__all__ = [
    "Columns", "baseline_value", "column_role", "columns", "is_empty", "split_unit", "table_indicators",
]


@dataclass
class Notes:
    star_year: int | None = None  # 注：带*的为2019年数据
    cumulative_brackets: str | None = None  # 注：〔〕内为5年累计数


@dataclass
class Row:
    """One body row being read: its cells aligned to the header, its line and its flags."""

    cells: list[str]
    line: int
    position: int  # the number it gets when its own cannot be read
    category: str
    flags: list[Flag]
    source: str = ""  # the row as the table printed it (tab-joined), a substring of the plan's text


def parse_notes(text: str) -> Notes:
    star = re.search(r"[*＊※][^。；\d]{0,8}((?:19|20)\d\d)\s*年", text)
    brackets = re.search(r"([〔［\[【])\s*([〕］\]】])[^。；]*累计", text)
    return Notes(int(star[1]) if star else None, brackets[1] + brackets[2] if brackets else None)


def table_indicators(table: Table) -> list[ParsedIndicator]:
    """The indicators of a key-indicator table (none when its first rows are no header)."""
    header, start = table_header(table.rows)
    cols = columns(header) if header else None
    if cols is None:
        return []
    body = list(table.rows[start:])
    cols = _with_number_column(cols, header, body)
    cols, header = _with_topic_column(cols, header, body)
    notes = parse_notes("".join(table.notes))
    indicators: list[ParsedIndicator] = []
    category, topic, heading = "", "", ""
    by_position = cols.topic is not None and _has_items(body, cols)
    for index, cells in enumerate(body, start=start):
        if _is_topic_row(cells, body, index - start):
            heading = topic_label(cells[0])
            continue
        label = _group(cells, cols)
        if label:
            category, heading = label, ""
            continue
        row = _row(_spanning_name(list(cells), cols), cols, category, table.row_line(index), indicators)
        category = row.category
        if cols.topic is not None:
            topic = _itemised(row, cols, topic, by_position and bool(indicators))
        if heading:
            row.category = "·".join(part for part in (row.category, heading) if part)
        indicators.append(_row_indicator(row, cols, notes))
    return indicators


def _is_topic_row(cells, body, at: int) -> bool:
    """A row of one numbered topic (1。空气质量) over rows whose names carry no number."""
    filled = list(dict.fromkeys(cell for cell in cells if cell.strip()))  # a merged cell repeated: once
    if len(filled) != 1 or topic_label(filled[0]) is None:
        return False
    following = next((row for row in body[at + 1:] if len([c for c in row if c.strip()]) > 1), None)
    return bool(following) and not any(split_number(cell)[0] is not None for cell in following[:2])


# ---------------------------------------------------------------------------------------------
# 指标 over two columns: a topic and its items (18．森林发展 | 森林覆盖率, 森林蓄积量)


def _with_topic_column(cols: Columns, header: list[str], body) -> tuple[Columns, list[str]]:
    """A header printing 指标 once over two columns (rows one cell wider, both cells names):
    the header with the item column it leaves out."""
    if cols.topic is not None:
        return cols, header
    wide = [cells for cells in body if len(cells) == cols.count + 1]
    at = cols.name
    items = [cells for cells in wide if not is_value(cells[at + 1]) and (cells[at] or cells[at + 1])]
    if cols.category is None:  # without a 类别 column, only numbered topics (1。空气质量) show it
        items = [cells for cells in items if not cells[at] or topic_label(cells[at])]
    if not items or len(items) * 4 < len([cells for cells in body if len(cells) > 1]):
        return cols, header
    widened = list(header[:at + 1]) + [header[at]] + list(header[at + 1:])
    found = columns(widened)
    if found is None:
        return cols, header
    return replace(found, topic=at, name=at + 1, category=None if cols.category is None else found.category), widened


def _spanning_name(cells: list[str], cols: Columns) -> list[str]:
    """A row whose name spans the topic and item columns (one cell fewer): the name in both."""
    if cols.topic is not None and len(cells) == cols.count - 1 and cells[cols.topic] and not is_value(cells[cols.topic]):
        cells.insert(cols.topic + 1, cells[cols.topic])
    return cells


def _has_items(body, cols: Columns) -> bool:
    return any(len(cells) == cols.count and cells[cols.name].strip() and cells[cols.name] != cells[cols.topic]
               for cells in body)


def _itemised(row: Row, cols: Columns, topic: str, by_position: bool) -> str:
    """The row's name cell as one indicator's name: a topic that states a measure and unit
    (主要污染物排放总量减少（%）) names each item with it (……：化学需氧量); a topic that is only a
    heading (森林发展) joins the category. When items share a number, rows after the table's
    first are numbered in sequence from it (``by_position``)."""
    cells = row.cells
    own = cells[cols.topic].strip() or topic
    item = cells[cols.name].strip()
    _, topic_name = split_number(own)
    topic_name, unit = split_unit(topic_name)
    if item and item != own:
        name, item_unit = split_unit(split_number(item)[1])
        if unit:
            cells[cols.name] = f"{topic_name}：{name}（{item_unit or unit}）"
        else:
            cells[cols.name] = item
            row.category = "·".join(part for part in (row.category, topic_name) if part)
    elif not item:
        cells[cols.name] = own
    if by_position:
        cells[cols.name] = split_number(cells[cols.name])[1]
        if cols.number is not None:
            cells[cols.number] = ""
    return own


def _row(cells, cols: Columns, category: str, line: int, before: list[ParsedIndicator]) -> Row:
    """A body row aligned to the header, numbered after the rows ``before`` it when it must be."""
    row = _aligned(list(cells), cols, category, line, before[-1].number + 1 if before else 1)
    row.source = "\t".join(cells)
    for index in (cols.baseline, cols.target, cols.growth):
        if index is not None:
            row.cells[index] = DECIMAL_MARK.sub(".", row.cells[index])
    if cols.category is not None:  # 一、经济发展 / （一）经济发展 in the 类别 column: the group's name
        cell = row.cells[cols.category]
        row.category = (group_label(cell) or cell) or category
    return row


def table_header(rows) -> tuple[list[str] | None, int]:
    """The header of a grid and where its body starts: a second header row (目标值 / 年均增长
    under 2025年) is merged into the first."""
    if not rows:
        return None, 0
    first = list(rows[0])
    if len(rows) > 1 and is_header_row(rows[1]):
        widths = [len(cells) for cells in rows[2:] if len(cells) > 1]
        width = max(set(widths), key=widths.count) if widths else None
        merged = merge_header(first, list(rows[1]), width)
        if merged and columns(merged):
            return merged, 2
    return first, 1


def _with_number_column(cols: Columns, header: list[str], body) -> Columns:
    """An unlabelled 序号 column: rows one cell wider than the header, starting with a number."""
    if cols.number is not None:
        return cols
    wide = [cells for cells in body if len(cells) == cols.count + 1]
    numbered = [cells for cells in wide if row_number(cells[0]) is not None]
    if wide and len(numbered) * 2 > len([cells for cells in body if len(cells) > 1]):
        return columns(["序号"] + list(header)) or cols
    return cols


def _group(cells, cols: Columns) -> str | None:
    """The category a group row sets: one non-empty cell (经济发展), or a 一、… label, or a
    cell merged across the table (a .docx grid repeats it in every column)."""
    filled = [cell for cell in cells if cell.strip()]
    if len(set(filled)) == 1 and len(filled) == len(cells) > 2:  # a merged cell repeated across
        filled = filled[:1]
    if len(filled) == 1 and (len(cells) == 1 or cols.count > 2):
        text = filled[0].strip()
        return group_label(text) or (text if not re.search(r"\d", text) or len(cells) > 1 else None)
    return None


def _aligned(cells: list[str], cols: Columns, category: str, line: int, position: int) -> Row:
    """The row's cells in the header's columns; a category given only on its group's first row
    is carried down; any other mismatch is aligned from the left and flagged."""
    n, flags = cols.count, []
    while len(cells) > n and not cells[-1].strip():
        cells.pop()
    if len(cells) == n - 1 and cols.category is not None:
        cells.insert(cols.category, category)
    elif len(cells) == n - 1 and _unit_left_out(cells, cols):
        cells.insert(cols.unit, "")
    elif len(cells) == n - 1 and cols.responsible == n - 1:  # no unit named, the last cell left empty
        cells.append("")
    elif len(cells) == n - 1 and cols.attribute == n - 1 and cols.growth == n - 2 and is_attribute(cells[-1]):
        cells.insert(n - 2, "")  # an empty 年均/累计 cell extraction did not print
    elif len(cells) != n:
        flags.append(flag("cells", "cells_missing" if len(cells) < n else "cells_extra", got=len(cells), count=n))
        overflow = [" ".join(cells[n - 1:])]
        cells = cells[: n - 1] + overflow if len(cells) > n else cells + [""] * (n - len(cells))
    return Row(cells, line, position, category, flags)


def _unit_left_out(cells: list[str], cols: Columns) -> bool:
    """A row one cell short whose unit cell holds a value: the unit was empty and not printed."""
    at = cols.unit
    return at is not None and at < len(cells) and is_value(cells[at]) and not is_unit(cells[at])


# ---------------------------------------------------------------------------------------------
# One table row → one indicator


UNIT_CHARS = set(
    "%‰件家个亿万千百元美人年项篇名位倍岁吨克米里方立标准煤度次台套所座户床张条份部分点亩公顷瓦时天月辆本册种处支只平"
    "kKmMWhg²³/"
)
DOWN_NAME = re.compile("排名|位次|降低|下降|能耗|排放|失业率|死亡率|发生率|浓度|事故|劣[ⅤV五]类|极差")
DOWN_TARGET = re.compile("降低|下降|控制|以内|以下|不超过|不高于|^[<＜≤]")
GROWTH_NAME = re.compile("增长|增速|增幅|增加")


def split_unit(name: str) -> tuple[str, str]:
    """"技术合同交易额（亿元）" → ("技术合同交易额", "亿元"); a trailing （R&D） is not a unit."""
    match = re.search(r"[（(]([^（）()]{1,8})[）)]\s*$", name)
    if match and set(normalize(match[1])) <= UNIT_CHARS:
        return name[: match.start()].strip(), normalize(match[1])
    return name, ""


def _cell_value(cell: str) -> str:
    """A cell's text for the number grammar: no star, no brackets, simplified characters."""
    return re.sub(r"[*※〔〕\[\]【】]", "", normalize(cell))


def baseline_value(cell: str) -> Decimal | None:
    """The number of a baseline cell: "1.65", "2.1*", "〔900〕", or the first number of "10%以上"."""
    if is_empty(cell):
        return None
    value = parse_decimal(_cell_value(cell))
    number = re.search(r"-?\d+(?:\.\d+)?", _cell_value(cell)) if value is None else None
    return Decimal(number[0]) if number else value


def _row_indicator(row: Row, cols: Columns, notes: Notes) -> ParsedIndicator:
    cells = row.cells
    printed, name = split_number(cells[cols.name])
    name, unit = split_unit(without_footnote_marks(name))
    if cols.unit is not None and not is_empty(cells[cols.unit]):
        unit = normalize(cells[cols.unit])
    direction = _direction(name, _target_cells(cells, cols))
    target = _row_target(row, cols, name, unit, direction, notes)
    baseline_cell = cells[cols.baseline] if cols.baseline is not None else ""
    return ParsedIndicator(
        number=_number(row, cols, printed),
        name=name,
        unit=unit,
        category=row.category if cols.category is not None or row.category else "",
        attribute=_attribute(cells, cols),
        direction=direction,
        aggregation=_aggregation(name, target),
        baseline_year=_baseline_year(baseline_cell, cols, notes),
        baseline_value=baseline_value(baseline_cell),
        baseline_text=baseline_cell,
        target_year=cols.target_year,
        target=target,
        source_quote=row.source or "\t".join(cells),
        line=row.line,
        flags=tuple(row.flags),
        responsible=cells[cols.responsible].strip() if cols.responsible is not None else "",
    )


def _target_cells(cells: list[str], cols: Columns) -> str:
    return "".join(cells[i] for i in (cols.target, cols.growth) if i is not None)


def _row_target(row: Row, cols: Columns, name: str, unit: str, direction: str, notes: Notes) -> Target:
    """The target of the target column, else of the 年均/累计 column; flagged when neither reads."""
    cell = row.cells[cols.target] if cols.target is not None else ""
    if not is_empty(cell):
        return _checked(row, cell, _target(cell, unit, direction, notes, name))
    growth = row.cells[cols.growth] if cols.growth is not None else ""
    if not is_empty(growth):
        return _checked(row, growth, _growth_target(growth, unit, direction, notes, name, cols))
    row.flags.append(_no_target_flag(cols))
    return Target(TargetKind.QUALITATIVE, unit=unit, text="", direction=direction)


def _no_target_flag(cols: Columns) -> Flag:
    header = cols.target_header or "目标"
    if cols.growth is None:
        return flag("target", "no_target", header=header)
    return flag("target", "no_target_growth", header=header, growth=cols.growth_header or "年均/累计")


def _checked(row: Row, cell: str, target: Target) -> Target:
    if target.kind == TargetKind.QUALITATIVE and re.search(r"\d", normalize(cell)):
        row.flags.append(flag("target", "target_unread", cell=cell))
    return target


def _attribute(cells: list[str], cols: Columns) -> str:
    binding = cols.attribute is not None and "约束" in cells[cols.attribute]
    return "binding" if binding else "expected"


def _number(row: Row, cols: Columns, printed: int | None) -> int:
    """The number printed in the 序号 column or before the name, else the row's position."""
    if cols.number is None:
        return printed if printed is not None else row.position
    cell = row.cells[cols.number]
    number = row_number(cell)
    if number is not None:
        return number
    if printed is not None:
        return printed
    if cell.strip():
        row.flags.append(flag("number", "number_unread", cell=cell, position=row.position))
    return row.position


def _direction(name: str, target_cell: str) -> str:
    down = DOWN_NAME.search(name) or DOWN_TARGET.search(normalize(target_cell).lstrip("*"))
    return "down" if down else "up"


def _target(cell: str, unit: str, direction: str, notes: Notes, name: str) -> Target:
    """The typed target of a cell; 〔x〕 is cumulative by convention, other brackets by note;
    a bare number of a 排名/位次 indicator is a rank."""
    text = re.sub(r"[*＊※]", "", cell)
    target = parse_target(text, unit=unit, direction=direction)
    brackets = notes.cumulative_brackets
    if brackets and cell.startswith(brackets[0]) and cell.endswith(brackets[1]):
        target = replace(target, kind=TargetKind.CUMULATIVE)
    elif re.search("排名|位次", name) and target.kind in (TargetKind.AT_LEAST, TargetKind.AT_MOST):
        target = replace(target, kind=TargetKind.RANK)
    return replace(target, text=cell)


def _growth_target(cell: str, unit: str, direction: str, notes: Notes, name: str, cols: Columns) -> Target:
    """A target in the 年均/累计 column: 〔13.5〕 is cumulative, a number (＞7) of a growth
    indicator (…增长) or in a column of growth alone (年均增长) is a growth floor."""
    target = _target(cell, unit, direction, notes, name)
    header = normalize(cols.growth_header)
    growth_column = "年均" in header and "累计" not in header
    plain = target.kind in (TargetKind.AT_LEAST, TargetKind.ABOVE, TargetKind.AT_MOST, TargetKind.BELOW)
    if plain and (GROWTH_NAME.search(name) or growth_column):
        capped = target.kind in (TargetKind.AT_MOST, TargetKind.BELOW)
        return Target(TargetKind.GROWTH, value=target.value, unit=target.unit or unit, text=cell,
                      direction="down" if capped else "up")
    return target


def _aggregation(name: str, target: Target) -> str:
    if target.kind == TargetKind.CUMULATIVE or "累计" in name:
        return "cumulative"
    if target.kind == TargetKind.GROWTH or re.search("年均增长|增速|增长率|增长$", name):
        return "growth"
    return "level"


def _baseline_year(cell: str, cols: Columns, notes: Notes) -> int | None:
    if is_empty(cell):
        return None
    if notes.star_year and re.search(r"[*＊※]", cell):
        return notes.star_year
    return cols.baseline_year
