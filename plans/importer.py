"""Plan-document importer: the text of a plan, as extracted from Word or PDF, into its sections
and its key-indicator table rows.

Pure parsing, no database access: ``decode_plan_bytes`` → ``parse_plan`` → ``ParsedPlan``, which
``plans.services.plan_import`` writes. The grammar is generic (no code path for one document):

* cleaning: ``[bookmark: …]`` tags, garbage lines (书书书, runs of ASCII punctuation, page
  numbers such as ``- 12 -``) and ideographic indentation go; lines broken in mid-sentence by a
  PDF are joined again;
* headings: ``第一章`` / ``一、`` (chapter), ``第一节`` / ``（一）`` (section), ``1．`` ``1.`` ``１．``
  (article), ``（1）`` ``①`` (item), ``专栏一：标题`` (box); "1．标题。正文" puts the text up to the
  first 。 into the title and the rest into the body;
* key-indicator tables, tab-separated or one cell per line, with their notes (注：…).
"""
import codecs
import re
import warnings
from dataclasses import dataclass, field, replace
from decimal import Decimal

from indicators.targets import Target, TargetKind, normalize, parse_decimal, parse_target

from .choices import SectionKind

TITLE_MAX = 40  # a heading's title longer than this is prose, not a title
BOX_ITEM_MAX = 25  # "高质量发展蓟州经济开发区。…": the short title that opens a box paragraph
MISSING_TITLE = "没有识别出规划标题，请在导入后补充"


class PlanImportError(ValueError):
    """The document cannot be imported; ``line`` is the 1-based line of the input when known."""

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(f"第 {line} 行：{message}" if line else message)


class PlanEncodingWarning(UserWarning):
    """The file was not UTF-8 and was decoded from another encoding (GBK/GB18030)."""


@dataclass(frozen=True)
class ParsedSection:
    label: str
    title: str
    kind: str
    body: str
    line: int
    children: list["ParsedSection"] = field(default_factory=list)


@dataclass(frozen=True)
class ParsedIndicator:
    number: int
    name: str
    unit: str
    category: str
    attribute: str
    direction: str
    aggregation: str
    baseline_year: int | None
    baseline_value: Decimal | None
    baseline_text: str
    target_year: int | None
    target: Target
    source_quote: str
    line: int


@dataclass(frozen=True)
class ParsedPlan:
    title: str
    sections: list[ParsedSection]
    indicators: list[ParsedIndicator]
    warnings: list[str]


# ---------------------------------------------------------------------------------------------
# Decoding


def decode_plan_bytes(data: bytes) -> str:
    """Decode a plan file: UTF-8 with or without BOM, UTF-16 with BOM, or GBK/GB18030 (with a
    ``PlanEncodingWarning``). Binary data raises ``PlanImportError``."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[len(codecs.BOM_UTF8):], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16")
    if _looks_binary(data):
        raise PlanImportError("不是文本文件：内容含有大量控制字符，请上传 .txt 纯文本（UTF-8 或 GBK 编码）")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = _decode(data, "gb18030")
    warnings.warn("文件编码为 GBK/GB18030，已自动转换为 UTF-8", PlanEncodingWarning, stacklevel=2)
    return text


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise PlanImportError("无法识别文件编码：请将文件另存为 UTF-8 编码的纯文本后重试") from error


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f\x1b")
    return controls / len(sample) > 0.02


# ---------------------------------------------------------------------------------------------
# Lines: cleaning and garbage


BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
SPACES = " \t\f\v\u3000\xa0\u200b\ufeff"
GARBAGE = [
    re.compile(r"^(.)\1{2,}$"),  # 书书书: one glyph repeated, a font-extraction artefact
    re.compile(r"^[!-/:-@\[-`{-~’‘“”]{3,}$"),  # !"#$%&’()*+,
    re.compile(r"^[-—–－]\s*\d{1,4}\s*[-—–－]$"),  # - 12 -
    re.compile(r"^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),
]
SENTENCE_END = re.compile(r"([。！？；：!?;:…]|[。！？!?][”’」』）)])$")


@dataclass
class _Line:
    no: int
    text: str  # without bookmarks, surrounding spaces and indentation
    indented: bool  # began with a tab: a table cell in the one-cell-per-line layout
    cells: list[str] | None  # tab-separated cells, when the line has at least two


def _read_lines(text: str) -> list[_Line]:
    lines = []
    for no, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        raw = BOOKMARK.sub("", raw).rstrip(SPACES.replace("\t", "") + "\n")
        stripped = raw.strip(SPACES)
        indented = raw.startswith("\t")
        if _is_garbage(stripped, indented):
            continue
        cells = [cell.strip(SPACES) for cell in raw.split("\t")] if "\t" in raw.strip(SPACES) else None
        lines.append(_Line(no, stripped, indented, cells))
    return lines


def _is_garbage(text: str, indented: bool) -> bool:
    if not text:
        return False
    if any(pattern.match(text) for pattern in GARBAGE):
        return True
    return not indented and re.fullmatch(r"\d{1,3}", text) is not None  # a bare page number


def _ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text))


# ---------------------------------------------------------------------------------------------
# Headings


CN_NUM = "一二三四五六七八九十百零〇"
HEADINGS = [
    # (style, pattern, kind); the pattern's group 1 is the label as printed, group 2 the rest
    ("zhang", re.compile(rf"^(第[{CN_NUM}\d]+(?:章|部分|篇))\s*(.*)$"), SectionKind.CHAPTER),
    ("jie", re.compile(rf"^(第[{CN_NUM}\d]+节)\s*(.*)$"), SectionKind.SECTION),
    ("dun", re.compile(rf"^([{CN_NUM}]+、)\s*(.*)$"), SectionKind.CHAPTER),
    ("paren", re.compile(rf"^([（(][{CN_NUM}]+[）)])\s*(.*)$"), SectionKind.SECTION),
    ("dot", re.compile(r"^([0-9０-９]{1,2}\s*[．.、])(?![0-9０-９])\s*(.*)$"), SectionKind.ARTICLE),
    ("paren_num", re.compile(r"^([（(][0-9０-９]{1,2}[）)])\s*(.*)$"), SectionKind.ITEM),
    ("circled", re.compile(r"^([①-⑳])\s*(.*)$"), SectionKind.ITEM),
    ("box", re.compile(rf"^(专栏\s*[{CN_NUM}0-9０-９]+)\s*[：:．.、]?\s*(.*)$"), SectionKind.BOX),
]
KIND_RANK = [SectionKind.CHAPTER, SectionKind.SECTION, SectionKind.ARTICLE, SectionKind.ITEM]


@dataclass
class _Heading:
    style: str
    kind: str
    label: str
    rest: str


def _heading(text: str) -> _Heading | None:
    for style, pattern, kind in HEADINGS:
        match = pattern.match(text)
        if match:
            return _Heading(style, kind.value, match[1].replace(" ", ""), match[2].strip())
    return None


def _heading_only(text: str) -> bool:
    """A heading line with no prose after its title ("一、基础与形势"), so never continued."""
    heading = _heading(text)
    return heading is not None and len(heading.rest) <= TITLE_MAX and not re.search("[，。；]", heading.rest)


def _split_heading(rest: str) -> tuple[str, str]:
    """The title and inline body of "标题。正文"; a long first sentence yields its first clause."""
    sentence = re.match(r"([^。！？]*?)[。！？](.*)$", rest, re.DOTALL)
    if sentence and len(sentence[1]) <= TITLE_MAX:
        return sentence[1], sentence[2].strip()
    if not sentence and (len(rest) <= TITLE_MAX or not re.search("[，；]", rest)):
        return rest, ""
    clause = re.match(r"([^，；。]*?)[，；](.*)$", rest, re.DOTALL)
    if clause and len(clause[1]) <= TITLE_MAX:
        return clause[1], clause[2].strip()
    return "", rest


# ---------------------------------------------------------------------------------------------
# Paragraphs: joining lines broken in mid-sentence


@dataclass
class _Para:
    line: int
    text: str
    last: str  # the last physical line, to decide whether the next one continues it
    table: "_Table | None" = None


def _wrap_width(lines: list[_Line]) -> int | None:
    """The typical width of a hard-wrapped document (a PDF extraction), or None when paragraphs
    are one line each. Measured on the lines that stop without ending a sentence."""
    content = [line for line in lines if line.text and not line.indented and not line.cells]
    open_lengths = sorted(
        len(line.text) for line in content if not _ends_sentence(line.text) and not _heading_only(line.text)
    )
    if len(open_lengths) < 5 or len(open_lengths) < 0.2 * len(content):
        return None
    return open_lengths[int(len(open_lengths) * 0.75)]


def _continues(para: _Para, line: _Line, width: int | None) -> bool:
    """Whether ``line`` continues ``para`` (a line break in mid-sentence)."""
    last = para.last
    if para.table or line.cells or _ends_sentence(last) or _heading_only(last) or _heading(line.text):
        return False
    if width:
        return len(last) >= 0.8 * width
    # One paragraph per line: only a line that reads like a sentence fragment continues.
    return len(last) >= TITLE_MAX or bool(re.search("[，、；]", last))


def _paragraphs(lines: list[_Line]) -> list[_Para]:
    width = _wrap_width(lines)
    paras: list[_Para] = []
    blank = True
    i = 0
    while i < len(lines):
        table, end = _read_table(lines, i)
        if table:
            paras.append(_Para(lines[i].no, table.text, "", table))
            i, blank = end, True
            continue
        line = lines[i]
        i += 1
        if not line.text:
            blank = True
            continue
        joinable = paras and (width or not blank) and _continues(paras[-1], line, width)
        if joinable:
            paras[-1].text += line.text
            paras[-1].last = line.text
        else:
            paras.append(_Para(line.no, line.text, line.text))
        blank = False
    return paras


# ---------------------------------------------------------------------------------------------
# Key-indicator tables


@dataclass
class _Columns:
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
class _Notes:
    star_year: int | None = None  # 注：带*的为2019年数据
    cumulative_brackets: str | None = None  # 注：〔〕内为5年累计数


@dataclass
class _Table:
    text: str
    indicators: list[ParsedIndicator]


def _column_role(cell: str) -> str | None:
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


def _columns(cells: list[str]) -> _Columns | None:
    """The column layout of a key-indicator table header, or None when ``cells`` is no header."""
    roles: dict[str, list[int]] = {}
    for index, cell in enumerate(cells):
        role = _column_role(cell)
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

    return _Columns(
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


def _cell_group(lines: list[_Line], i: int) -> tuple[list[_Line], int]:
    """Consecutive tab-indented lines holding one cell each (the one-cell-per-line layout)."""
    j = i
    while j < len(lines) and lines[j].indented and not lines[j].cells:
        j += 1
    return lines[i:j], j


def _skip_blank(lines: list[_Line], j: int) -> int:
    while j < len(lines) and not lines[j].text and not lines[j].indented:
        j += 1
    return j


def _table_rows(lines: list[_Line], i: int) -> tuple[list[str], list[tuple[int, list[str]]], int] | None:
    """The header cells, the rows (line, cells) and the end of a table starting at ``lines[i]``."""
    line = lines[i]
    if line.cells:
        header, j, rows = _trim(line.cells), i + 1, []
        while (j := _skip_blank(lines, j)) < len(lines) and lines[j].cells:
            rows.append((lines[j].no, _trim(lines[j].cells)))
            j += 1
        return header, rows, j
    if line.indented:
        group, j = _cell_group(lines, i)
        header, rows = [cell.text for cell in group], []
        while (j := _skip_blank(lines, j)) < len(lines) and lines[j].indented and not lines[j].cells:
            group, j = _cell_group(lines, j)
            rows.append((group[0].no, [cell.text for cell in group]))
        return header, rows, j
    return None


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def _read_table(lines: list[_Line], i: int) -> tuple[_Table | None, int]:
    """A key-indicator table starting at ``lines[i]`` with its notes, or (None, i)."""
    found = _table_rows(lines, i)
    columns = _columns(found[0]) if found and len(found[0]) >= 3 else None
    if not columns:
        return None, i
    header, rows, j = found
    if header and not header[0]:  # the whole table is indented by one tab
        header = header[1:]
        rows = [(no, cells[1:] if cells and not cells[0] else cells) for no, cells in rows]
        columns = _columns(header)
    note_lines, j = _table_notes(lines, j)
    notes = _parse_notes("".join(note_lines))
    indicators = _table_indicators(rows, columns, notes)
    text = "\n".join(["\t".join(header)] + ["\t".join(cells) for _, cells in rows] + note_lines)
    return _Table(text, indicators), j


def _table_notes(lines: list[_Line], j: int) -> tuple[list[str], int]:
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


def _parse_notes(text: str) -> _Notes:
    star = re.search(r"[*＊※][^。；\d]{0,8}((?:19|20)\d\d)\s*年", text)
    brackets = re.search(r"([〔［\[【])\s*([〕］\]】])[^。；]*累计", text)
    return _Notes(int(star[1]) if star else None, brackets[1] + brackets[2] if brackets else None)


def _table_indicators(rows, columns: _Columns, notes: _Notes) -> list[ParsedIndicator]:
    indicators, category = [], ""
    for position, (line, cells) in enumerate(rows, start=1):
        cells = _fill_row(cells, columns, category, line)
        if columns.category is not None:
            category = cells[columns.category] or category
        indicators.append(_row_indicator(cells, columns, notes, category, position, line))
    return indicators


def _fill_row(cells: list[str], columns: _Columns, category: str, line: int) -> list[str]:
    """The row's cells with a category given only on the first row of its group carried down."""
    if len(cells) == columns.count - 1 and columns.category is not None and category:
        cells = cells[: columns.category] + [category] + cells[columns.category:]
    if len(cells) != columns.count:
        problem = "缺少单元格" if len(cells) < columns.count else "多出单元格"
        raise PlanImportError(f"指标表格{problem}：表头有 {columns.count} 列，这一行有 {len(cells)} 列", line)
    return cells


# ---------------------------------------------------------------------------------------------
# One table row → one indicator


UNIT_CHARS = set(
    "%‰件家个亿万千百元美人年项篇名位倍岁吨克米里方立标准煤度次台套所座户床张条份部分点亩公顷瓦时天月辆本册种处支只平"
    "kKmMWhg²³/"
)
DOWN_NAME = re.compile("排名|位次|降低|下降|能耗|排放")
DOWN_TARGET = re.compile("降低|下降|控制|以内|以下|不超过|不高于")


def _split_unit(name: str) -> tuple[str, str]:
    """"技术合同交易额（亿元）" → ("技术合同交易额", "亿元"); a trailing （R&D） is not a unit."""
    match = re.search(r"[（(]([^（）()]{1,8})[）)]\s*$", name)
    if match and set(_unit(match[1])) <= UNIT_CHARS:
        return name[: match.start()].strip(), _unit(match[1])
    return name, ""


def _unit(text: str) -> str:
    return normalize(text)  # ％ → %, 億元 → 亿元


def _cell_value(cell: str) -> str:
    """A cell's text for the number grammar: no star, no brackets, simplified characters."""
    return re.sub(r"[*※〔〕\[\]【】]", "", normalize(cell))


def _is_empty(cell: str) -> bool:
    return _cell_value(cell) in ("", "-", "—", "——", "/", "无", "—/—")


def _baseline_value(cell: str) -> Decimal | None:
    """The number of a baseline cell: "1.65", "2.1*", "〔900〕", or the first number of "10%以上"."""
    if _is_empty(cell):
        return None
    value = parse_decimal(_cell_value(cell))
    number = re.search(r"-?\d+(?:\.\d+)?", _cell_value(cell)) if value is None else None
    return Decimal(number[0]) if number else value


def _row_indicator(cells, columns: _Columns, notes: _Notes, category, position, line) -> ParsedIndicator:
    name, unit = _split_unit(cells[columns.name])
    if columns.unit is not None and cells[columns.unit]:
        unit = _unit(cells[columns.unit])
    target_cell = cells[columns.target]
    if _is_empty(target_cell):
        raise PlanImportError(f"指标“{name}”没有目标值", line)
    direction = _direction(name, target_cell)
    target = _target(target_cell, unit, direction, notes)
    baseline_cell = cells[columns.baseline] if columns.baseline is not None else ""
    return ParsedIndicator(
        number=_number(cells, columns, position, line),
        name=name,
        unit=unit,
        category=category if columns.category is not None else "",
        attribute=_attribute(cells, columns),
        direction=direction,
        aggregation=_aggregation(name, target),
        baseline_year=_baseline_year(baseline_cell, columns, notes),
        baseline_value=_baseline_value(baseline_cell),
        baseline_text=baseline_cell,
        target_year=columns.target_year,
        target=target,
        source_quote="\t".join(cells),
        line=line,
    )


def _attribute(cells: list[str], columns: _Columns) -> str:
    binding = columns.attribute is not None and "约束" in cells[columns.attribute]
    return "binding" if binding else "expected"


def _number(cells, columns: _Columns, position: int, line: int) -> int:
    if columns.number is None:
        return position
    digits = normalize(cells[columns.number]).strip("．. ")
    if not digits.isdigit():
        raise PlanImportError(f"序号“{cells[columns.number]}”不是数字", line)
    return int(digits)


def _direction(name: str, target_cell: str) -> str:
    return "down" if DOWN_NAME.search(name) or DOWN_TARGET.search(target_cell) else "up"


def _target(cell: str, unit: str, direction: str, notes: _Notes) -> Target:
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


def _baseline_year(cell: str, columns: _Columns, notes: _Notes) -> int | None:
    if _is_empty(cell):
        return None
    if notes.star_year and re.search(r"[*＊※]", cell):
        return notes.star_year
    return columns.baseline_year


# ---------------------------------------------------------------------------------------------
# The section tree


@dataclass
class _Node:
    kind: str
    style: str = ""
    label: str = ""
    title: str = ""
    line: int = 0
    body: list[_Para] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)


class _Outline:
    """The headings open while reading, and the nesting order of the numbering styles seen so far
    (一、 before （一） before 1．), which tells where a heading closes the ones above it."""

    def __init__(self, root: _Node):
        self.stack = [root]
        self.order: list[str] = []

    def attach(self, node: _Node) -> None:
        styles = [open_node.style for open_node in self.stack]
        if node.style in styles:  # a sibling closes its predecessor and everything below it
            del self.stack[styles.index(node.style):]
        elif node.style in self.order:
            while len(self.stack) > 1 and self._closes(self.stack[-1], node.style):
                self.stack.pop()
        if node.kind == SectionKind.BOX:  # boxes sit under the enclosing chapter or section
            while self.stack[-1].kind in (SectionKind.ARTICLE, SectionKind.ITEM):
                self.stack.pop()
        elif node.style not in self.order:
            self.order.append(node.style)
        parent = self.stack[-1]
        node.kind = _nested_kind(node.kind, parent.kind)
        parent.children.append(node)
        self.stack.append(node)

    def _rank(self, style: str) -> int:
        return self.order.index(style) if style in self.order else -1

    def _closes(self, open_node: _Node, style: str) -> bool:
        """Whether a heading of a known ``style`` ends ``open_node``: a deeper or equal level does;
        a box ends when the heading belongs beside it, under the box's own parent."""
        if open_node.kind == SectionKind.BOX:
            return self._rank(style) <= self._rank(self.stack[-2].style) + 1
        return self._rank(open_node.style) >= self._rank(style)


def _nested_kind(kind: str, parent_kind: str) -> str:
    """A heading's kind one level below its parent at least: 一、 under 第一章 is a section."""
    if parent_kind not in KIND_RANK or kind not in KIND_RANK:
        return kind
    rank = max(KIND_RANK.index(kind), KIND_RANK.index(parent_kind) + 1)
    return KIND_RANK[min(rank, len(KIND_RANK) - 1)].value


def _build_tree(paras: list[_Para]) -> tuple[list[_Node], int]:
    """The section tree (a preamble first when text precedes the first heading) and the number
    of headings found."""
    root, preamble = _Node("root"), _Node(SectionKind.PREAMBLE.value)
    outline, current, headings = _Outline(root), preamble, 0
    for para in paras:
        heading = None if para.table else _heading(para.text)
        if not heading:
            current.line = current.line or para.line
            current.body.append(para)
            continue
        title, inline = _split_heading(heading.rest)
        current = _Node(heading.kind, heading.style, heading.label, title, para.line)
        if inline:
            current.body.append(_Para(para.line, inline, inline))
        outline.attach(current)
        headings += 1
    return ([preamble] if preamble.body else []) + root.children, headings


def _freeze(node: _Node) -> ParsedSection:
    children = [_freeze(child) for child in node.children]
    body = node.body
    if node.kind == SectionKind.BOX:
        items = _box_items(body)
        if items:
            body, children = [para for para in body if para.table], items + children
    return ParsedSection(
        node.label, node.title, node.kind, "\n".join(para.text for para in body), node.line, children
    )


def _box_items(body: list[_Para]) -> list[ParsedSection]:
    """A box whose every paragraph opens with a short title ("现代装备制造。…") lists items."""
    texts = [para for para in body if not para.table]
    matches = [re.match(rf"^([^，。；：]{{2,{BOX_ITEM_MAX}}})。(.*)$", para.text, re.DOTALL) for para in texts]
    if not texts or not all(matches):
        return []
    return [
        ParsedSection("", match[1], SectionKind.ITEM.value, match[2].strip(), para.line, [])
        for para, match in zip(texts, matches)
    ]


# ---------------------------------------------------------------------------------------------
# The document


TITLE_WORDS = re.compile(
    r"(规划|纲要|意见|措施|方案|计划|办法|通知|决定|要点|规定|细则)([（(][^）)]*[）)])?$"
)


def _title_index(paras: list[_Para]) -> int | None:
    """The paragraph holding the plan's title: the last short, unpunctuated line before the first
    heading that ends like a plan's name (…规划, …若干措施, …实施方案)."""
    found = None
    for index, para in enumerate(paras):
        if para.table or _heading(para.text):
            break
        if len(para.text) <= 60 and not re.search("[，。；：]", para.text) and TITLE_WORDS.search(para.text):
            found = index
    return found


def clean_text(text: str) -> str:
    """The plan's text as the parser reads it: no garbage lines or bookmarks, one paragraph a
    line, tables as tab-separated rows. Quotes (source_quote) are substrings of this."""
    return "\n".join(para.text for para in _paragraphs(_read_lines(text)))


def parse_plan(text: str) -> ParsedPlan:
    """Parse a plan's text into its title, section tree and key-indicator table rows."""
    lines = _read_lines(text.lstrip("\ufeff"))
    if not any(line.text for line in lines):
        raise PlanImportError("文件为空：没有可导入的文字")
    paras = _paragraphs(lines)
    title_index = _title_index(paras)
    title = paras.pop(title_index).text if title_index is not None else ""
    nodes, headings = _build_tree(paras)
    if not headings:
        raise PlanImportError(
            "没有识别出章节结构：未找到“一、”“（一）”“1．”或“专栏”等标题，请确认这是一份规划文本"
        )
    warnings_ = [] if title else [MISSING_TITLE]
    indicators = _numbered([ind for para in paras if para.table for ind in para.table.indicators], warnings_)
    return ParsedPlan(title, [_freeze(node) for node in nodes], indicators, warnings_)


def _numbered(indicators: list[ParsedIndicator], warnings_: list[str]) -> list[ParsedIndicator]:
    """Indicators with unique numbers: a second table numbered from 1 again continues the first."""
    seen: set[int] = set()
    result = []
    for indicator in indicators:
        if indicator.number in seen:
            number = max(seen) + 1
            warnings_.append(f"第 {indicator.line} 行：序号 {indicator.number} 重复，已改为 {number}")
            indicator = replace(indicator, number=number)
        seen.add(indicator.number)
        result.append(indicator)
    return result


# ---------------------------------------------------------------------------------------------
# JSON


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _section_json(section: ParsedSection) -> dict:
    return {
        "label": section.label,
        "title": section.title,
        "kind": section.kind,
        "children": [_section_json(child) for child in section.children],
    }


def _indicator_json(indicator: ParsedIndicator) -> dict:
    target = indicator.target
    return {
        "number": indicator.number,
        "name": indicator.name,
        "unit": indicator.unit,
        "category": indicator.category,
        "attribute": indicator.attribute,
        "direction": indicator.direction,
        "aggregation": indicator.aggregation,
        "baseline_year": indicator.baseline_year,
        "baseline_value": _decimal(indicator.baseline_value),
        "target_year": indicator.target_year,
        "target_text": target.text,
        "target_kind": target.kind.value,
        "target_value": _decimal(target.value),
        "target_low": _decimal(target.low),
        "target_high": _decimal(target.high),
    }


def to_json(parsed: ParsedPlan) -> dict:
    """The parse result as plain JSON data (decimals as strings, missing values as null)."""
    return {
        "title": parsed.title,
        "sections": [_section_json(section) for section in parsed.sections],
        "indicators": [_indicator_json(indicator) for indicator in parsed.indicators],
    }
