"""A key-indicator table's header: what each column holds, in the names plans really use
(指标名称, 单位, 2020年 / 基期值 / 现状值, 2025年 / 目标值 / 预期目标, 年均/累计, 属性 / 指标属性,
责任单位), and headers printed on two lines (2025年 spanning 目标值 / 年均增长, or one header row
broken over two extracted lines)."""
import re
from dataclasses import dataclass

from indicators.targets import normalize

from .cells import group_label, is_value


@dataclass
class Columns:
    count: int
    name: int
    target: int | None
    number: int | None = None
    category: int | None = None
    unit: int | None = None
    attribute: int | None = None
    baseline: int | None = None
    baseline_year: int | None = None
    target_year: int | None = None
    growth: int | None = None  # 年均/累计: the target of rows whose target column is empty
    growth_header: str = ""
    target_header: str = ""
    responsible: int | None = None
    topic: int | None = None  # 指标 over two columns: a topic (18．森林发展) and its items (森林覆盖率)


ROLES = [  # tried in order: 责任单位 is not a unit, 年均增长 is not a year, 指标属性 is not a name
    ("responsible", "责任|牵头|主管|承担|配合"),
    ("number", "^(序号|编号|序|编码|No\\.?)$"),
    ("category", "类别|领域|分类|方面|维度|一级指标|类型$"),
    ("attribute", "属性|性质"),
    ("unit", "^(计量)?单位"),
    ("growth", "年均|累计|增速|年增长"),
    ("target", "目标|规划值|预期值|规划|预计"),
    ("baseline", "基期|基准|现状|基础|基数|现值|完成"),
    ("year", r"(19|20)\d\d"),
    ("name", "指标|名称|项目|内容"),
]
SUB_HEADER = re.compile(
    "^(目标值?|预期值|规划值|年均增长|年均增速|年均|累计|增量|绝对值|增速|增长|年均[/／、]?累计|"
    "(年均增长)?[〔\\[（(]?累计[〕\\]）)]?)$"
)


def column_role(cell: str) -> str | None:
    cell = normalize(cell)
    if not cell or len(cell) > 20 or re.search("[:：，,。；;]|^(专栏|表)", cell) or group_label(cell):
        return None
    for role, pattern in ROLES:
        if re.search(pattern, cell):
            return role
    return None


def year_of(cell: str) -> int | None:
    years = re.findall(r"((?:19|20)\d\d)", normalize(cell))
    return int(years[-1]) if years else None


def columns(cells) -> Columns | None:
    """The column layout of a key-indicator table header, or None when ``cells`` is no header."""
    roles = _roles(cells)
    names, years = roles.get("name", []), roles.get("year", [])
    baseline = (roles.get("baseline") or years[:1] or [None])[0]
    target = (roles.get("target") or [y for y in years if y != baseline][-1:] or [None])[0]
    growth = roles.get("growth", [None])[0]
    if not names or (target is None and growth is None) or len(cells) < 3:
        return None

    def first(role: str) -> int | None:
        return roles[role][0] if role in roles else None

    def text(index: int | None) -> str:
        return cells[index] if index is not None else ""

    return Columns(
        count=len(cells), name=names[-1], target=target, number=first("number"),
        category=first("category"), unit=first("unit"), attribute=first("attribute"),
        baseline=baseline, baseline_year=year_of(text(baseline)),
        target_year=year_of(text(target)) or year_of(text(growth)),
        growth=growth, growth_header=text(growth), target_header=text(target),
        responsible=first("responsible"), topic=_topic(names, roles),
    )


def _topic(names: list[int], roles: dict) -> int | None:
    """Of two adjacent name columns beside a 类别 column, the first holds each item's topic."""
    if len(names) == 2 and names[1] == names[0] + 1 and roles.get("category", [None])[0] not in names:
        return names[0]
    return None


def _roles(cells) -> dict[str, list[int]]:
    """The columns of each role; of two name columns (一级指标, 二级指标) the first is the category."""
    roles: dict[str, list[int]] = {}
    for index, cell in enumerate(cells):
        role = column_role(cell)
        if role:
            roles.setdefault(role, []).append(index)
    if len(roles.get("name", [])) > 1 and "category" not in roles:
        roles["category"] = roles["name"][:1]
    return roles


def is_header_row(cells) -> bool:
    """Cells that all name a column (or a sub-column such as 目标值), none holding a value."""
    filled = [cell for cell in cells if cell.strip()]
    return bool(filled) and all(
        (column_role(cell) or SUB_HEADER.match(normalize(cell))) and not is_value(cell) for cell in filled
    )


def merge_header(first: list[str], second: list[str], width: int | None = None) -> list[str] | None:
    """One header from two printed rows. ``width`` is the body rows' cell count when known.
    - rows of the body's width, a merged cell repeated (a .docx grid) or left blank under its
      parent: each column's cells joined (2025年 + 目标值 → 2025年目标值);
    - rows that together have ``width`` cells: one header broken in two;
    - otherwise the second row subdivides the last year/target cells of the first
      (2025年 over 目标值, 年均增长 → 2025年目标值, 2025年年均增长)."""
    if len(first) == len(second) and width in (None, len(first)):
        return [a if a == b or not b else b if not a else a + b for a, b in zip(first, second, strict=True)]
    second = [cell for cell in second if cell.strip()]
    if len(first) + len(second) == width or width is None and columns(first) is None:
        return first + second
    return _subdivided(first, second, width or len(first) + len(second) - 1)


def _subdivided(first: list[str], second: list[str], width: int) -> list[str] | None:
    spanning = len(first) + len(second) - width
    if spanning < 1 or len(second) % spanning:
        return None
    parents = [i for i, cell in enumerate(first) if column_role(cell) in ("year", "target")][-spanning:]
    if len(parents) < spanning:
        return None
    share = len(second) // spanning
    merged: list[str] = []
    for index, cell in enumerate(first):
        if index in parents:
            k = parents.index(index)
            merged += [cell + sub for sub in second[k * share:(k + 1) * share]]
        else:
            merged.append(cell)
    return merged
