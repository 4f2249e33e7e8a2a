"""A key-indicator table's rows as indicators: the header's columns, the notes under the table
(带*的为2019年数据, 〔〕内为5年累计数), and each row's name, unit, baseline and typed target."""
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from indicators.targets import Target, TargetKind, normalize, parse_decimal, parse_target

from .model import ParsedIndicator, PlanImportError, Table


@dataclass
class Columns:
    count: int
    name: int
    target: int
    number: int | None = None
    category: int | None = None
    unit: int | None = None
    attribute: int | None = None
    baseline: int | None = None
    baseline_year: int | None = None
    target_year: int | None = None


@dataclass
class Notes:
    star_year: int | None = None  # 注：带*的为2019年数据
    cumulative_brackets: str | None = None  # 注：〔〕内为5年累计数


def column_role(cell: str) -> str | None:
    cell = normalize(cell)
    if cell in ("序号", "编号", "序"):
        return "number"
    if re.search("类别|领域|分类|方面|维度|一级指标", cell):
        return "category"
    if re.search("属性|性质", cell):
        return "attribute"
    if cell in ("单位", "计量单位") or cell.startswith("单位"):
        return "unit"
    if re.search("目标|规划值|预期值", cell):
        return "target"
    if re.search("基期|基准|现状|基础值|基数", cell):
        return "baseline"
    if re.search(r"(19|20)\d\d", cell):
        return "year"
    if re.search("指标|名称", cell):
        return "name"
    return None


def _year_of(cell: str) -> int | None:
    match = re.search(r"((?:19|20)\d\d)", cell)
    return int(match[1]) if match else None


def columns(cells) -> Columns | None:
    """The column layout of a key-indicator table header, or None when ``cells`` is no header."""
    roles: dict[str, list[int]] = {}
    for index, cell in enumerate(cells):
        role = column_role(cell)
        if role:
            roles.setdefault(role, []).append(index)
    names, years = roles.get("name", []), roles.get("year", [])
    if len(names) > 1 and "category" not in roles:
        roles["category"] = names[:1]
    baseline = (roles.get("baseline") or years[:1] or [None])[0]
    target = (roles.get("target") or [y for y in years if y != baseline][-1:] or [None])[0]
    if not names or target is None:
        return None

    def first(role: str) -> int | None:
        return roles[role][0] if role in roles else None

    return Columns(
        count=len(cells),
        name=names[-1],
        target=target,
        number=first("number"),
        category=first("category"),
        unit=first("unit"),
        attribute=first("attribute"),
        baseline=baseline,
        baseline_year=_year_of(cells[baseline]) if baseline is not None else None,
        target_year=_year_of(cells[target]),
    )


def parse_notes(text: str) -> Notes:
    star = re.search(r"[*＊※][^。；\d]{0,8}((?:19|20)\d\d)\s*年", text)
    brackets = re.search(r"([〔［\[【])\s*([〕］\]】])[^。；]*累计", text)
    return Notes(int(star[1]) if star else None, brackets[1] + brackets[2] if brackets else None)


def table_indicators(table: Table) -> list[ParsedIndicator]:
    """The indicators of a key-indicator table (none when its first row is not a header)."""
    cols = columns(table.rows[0]) if table.rows else None
    if cols is None:
        return []
    notes = parse_notes("".join(table.notes))
    indicators, category = [], ""
    for index, cells in enumerate(table.rows[1:], start=1):
        line = table.row_line(index)
        cells = _fill_row(list(cells), cols, category, line)
        if cols.category is not None:
            category = cells[cols.category] or category
        indicators.append(_row_indicator(cells, cols, notes, category, index, line))
    return indicators


def _fill_row(cells: list[str], cols: Columns, category: str, line: int) -> list[str]:
    """The row's cells with a category given only on the first row of its group carried down."""
    if len(cells) == cols.count - 1 and cols.category is not None and category:
        cells = cells[: cols.category] + [category] + cells[cols.category:]
    if len(cells) != cols.count:
        problem = "缺少单元格" if len(cells) < cols.count else "多出单元格"
        raise PlanImportError(f"指标表格{problem}：表头有 {cols.count} 列，这一行有 {len(cells)} 列", line)
    return cells


# ---------------------------------------------------------------------------------------------
# One table row → one indicator


UNIT_CHARS = set(
    "%‰件家个亿万千百元美人年项篇名位倍岁吨克米里方立标准煤度次台套所座户床张条份部分点亩公顷瓦时天月辆本册种处支只平"
    "kKmMWhg²³/"
)
DOWN_NAME = re.compile("排名|位次|降低|下降|能耗|排放")
DOWN_TARGET = re.compile("降低|下降|控制|以内|以下|不超过|不高于")


def split_unit(name: str) -> tuple[str, str]:
    """"技术合同交易额（亿元）" → ("技术合同交易额", "亿元"); a trailing （R&D） is not a unit."""
    match = re.search(r"[（(]([^（）()]{1,8})[）)]\s*$", name)
    if match and set(normalize(match[1])) <= UNIT_CHARS:
        return name[: match.start()].strip(), normalize(match[1])
    return name, ""


def _cell_value(cell: str) -> str:
    """A cell's text for the number grammar: no star, no brackets, simplified characters."""
    return re.sub(r"[*※〔〕\[\]【】]", "", normalize(cell))


def is_empty(cell: str) -> bool:
    return _cell_value(cell) in ("", "-", "—", "——", "/", "无", "—/—")


def baseline_value(cell: str) -> Decimal | None:
    """The number of a baseline cell: "1.65", "2.1*", "〔900〕", or the first number of "10%以上"."""
    if is_empty(cell):
        return None
    value = parse_decimal(_cell_value(cell))
    number = re.search(r"-?\d+(?:\.\d+)?", _cell_value(cell)) if value is None else None
    return Decimal(number[0]) if number else value


def _row_indicator(cells, cols: Columns, notes: Notes, category, position, line) -> ParsedIndicator:
    name, unit = split_unit(cells[cols.name])
    if cols.unit is not None and cells[cols.unit]:
        unit = normalize(cells[cols.unit])
    target_cell = cells[cols.target]
    if is_empty(target_cell):
        raise PlanImportError(f"指标“{name}”没有目标值", line)
    direction = _direction(name, target_cell)
    target = _target(target_cell, unit, direction, notes)
    baseline_cell = cells[cols.baseline] if cols.baseline is not None else ""
    return ParsedIndicator(
        number=_number(cells, cols, position, line),
        name=name,
        unit=unit,
        category=category if cols.category is not None else "",
        attribute=_attribute(cells, cols),
        direction=direction,
        aggregation=_aggregation(name, target),
        baseline_year=_baseline_year(baseline_cell, cols, notes),
        baseline_value=baseline_value(baseline_cell),
        baseline_text=baseline_cell,
        target_year=cols.target_year,
        target=target,
        source_quote="\t".join(cells),
        line=line,
    )


def _attribute(cells: list[str], cols: Columns) -> str:
    binding = cols.attribute is not None and "约束" in cells[cols.attribute]
    return "binding" if binding else "expected"


def _number(cells, cols: Columns, position: int, line: int) -> int:
    if cols.number is None:
        return position
    digits = normalize(cells[cols.number]).strip("．. ")
    if not digits.isdigit():
        raise PlanImportError(f"序号“{cells[cols.number]}”不是数字", line)
    return int(digits)


def _direction(name: str, target_cell: str) -> str:
    return "down" if DOWN_NAME.search(name) or DOWN_TARGET.search(target_cell) else "up"


def _target(cell: str, unit: str, direction: str, notes: Notes) -> Target:
    """The typed target of a cell; 〔x〕 is cumulative by convention, other brackets by note."""
    target = parse_target(re.sub(r"[*＊※]", "", cell), unit=unit, direction=direction)
    brackets = notes.cumulative_brackets
    if brackets and cell.startswith(brackets[0]) and cell.endswith(brackets[1]):
        target = replace(target, kind=TargetKind.CUMULATIVE)
    return replace(target, text=cell)


def _aggregation(name: str, target: Target) -> str:
    if target.kind == TargetKind.CUMULATIVE or "累计" in name:
        return "cumulative"
    if target.kind == TargetKind.GROWTH or re.search("年均增长|增速|增长率", name):
        return "growth"
    return "level"


def _baseline_year(cell: str, cols: Columns, notes: Notes) -> int | None:
    if is_empty(cell):
        return None
    if notes.star_year and re.search(r"[*＊※]", cell):
        return notes.star_year
    return cols.baseline_year
