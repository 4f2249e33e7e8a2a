"""Headings and the section tree: 第一章 / 一、 (chapter), 第一节 / （一） (section), 1． (article),
（1） ① (item), 专栏一 (box). "1．标题。正文" puts the text up to the first 。 into the title and
the rest into the body."""
import re
from dataclasses import dataclass, field

from . import kinds
from .chinese import same_length_simplified
from .model import Paragraph, ParsedSection, Table

TITLE_MAX = 40  # a heading's title longer than this is prose, not a title
BOX_ITEM_MAX = 25  # "高质量发展蓟州经济开发区。…": the short title that opens a box paragraph

CN_NUM = "一二三四五六七八九十百零〇"
HEADINGS = [
    # (style, pattern, kind); the pattern's group 1 is the label as printed, group 2 the rest
    ("zhang", re.compile(rf"^(第[{CN_NUM}\d]+(?:章|部分|篇))\s*(.*)$"), kinds.CHAPTER),
    ("jie", re.compile(rf"^(第[{CN_NUM}\d]+节)\s*(.*)$"), kinds.SECTION),
    ("dun", re.compile(rf"^([{CN_NUM}]+、)\s*(.*)$"), kinds.CHAPTER),
    ("paren", re.compile(rf"^([（(][{CN_NUM}]+[）)])\s*(.*)$"), kinds.SECTION),
    ("dot", re.compile(r"^([0-9０-９]{1,2}\s*[．.、])(?![0-9０-９])\s*(.*)$"), kinds.ARTICLE),
    ("paren_num", re.compile(r"^([（(][0-9０-９]{1,2}[）)])\s*(.*)$"), kinds.ITEM),
    ("circled", re.compile(r"^([①-⑳])\s*(.*)$"), kinds.ITEM),
    ("box", re.compile(rf"^(专栏\s*[{CN_NUM}0-9０-９]+)\s*[：:．.、]?\s*(.*)$"), kinds.BOX),
]


@dataclass
class Heading:
    style: str
    kind: str
    label: str
    rest: str


def heading(text: str) -> Heading | None:
    """The heading a paragraph opens with, recognised on a simplified copy (第一節, 發展目標) while
    the label and title keep the characters as written."""
    simple = same_length_simplified(text)
    for style, pattern, kind in HEADINGS:
        match = pattern.match(simple)
        if match:
            label, rest = text[match.start(1):match.end(1)], text[match.start(2):match.end(2)]
            return Heading(style, kind, label.replace(" ", ""), rest.strip())
    return None


def heading_only(text: str) -> bool:
    """A heading line with no prose after its title ("一、基础与形势"), so never continued."""
    found = heading(text)
    return found is not None and len(found.rest) <= TITLE_MAX and not re.search("[，。；]", found.rest)


def split_heading(rest: str) -> tuple[str, str]:
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


def table_text(table: Table) -> str:
    """A table as the plan's text holds it: tab-separated rows, then its notes."""
    return "\n".join(["\t".join(row) for row in table.rows] + list(table.notes))


def block_text(block: Paragraph | Table) -> str:
    return table_text(block) if isinstance(block, Table) else block.text


# ---------------------------------------------------------------------------------------------
# The tree


@dataclass
class _Node:
    kind: str
    style: str = ""
    label: str = ""
    title: str = ""
    line: int = 0
    body: list[Paragraph | Table] = field(default_factory=list)
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
        if node.kind == kinds.BOX:  # boxes sit under the enclosing chapter or section
            while self.stack[-1].kind in (kinds.ARTICLE, kinds.ITEM):
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
        if open_node.kind == kinds.BOX:
            return self._rank(style) <= self._rank(self.stack[-2].style) + 1
        return self._rank(open_node.style) >= self._rank(style)


def _nested_kind(kind: str, parent_kind: str) -> str:
    """A heading's kind one level below its parent at least: 一、 under 第一章 is a section."""
    if parent_kind not in kinds.NESTING or kind not in kinds.NESTING:
        return kind
    rank = max(kinds.NESTING.index(kind), kinds.NESTING.index(parent_kind) + 1)
    return kinds.NESTING[min(rank, len(kinds.NESTING) - 1)]


def build_tree(blocks: list[Paragraph | Table]) -> tuple[list[ParsedSection], int]:
    """The section tree (a preamble first when text precedes the first heading) and the number
    of headings found."""
    root, preamble = _Node("root"), _Node(kinds.PREAMBLE)
    outline, current, headings = _Outline(root), preamble, 0
    for block in blocks:
        found = block_heading(block)
        if not found:
            current.line = current.line or block.line
            current.body.append(block)
            continue
        title, inline = split_heading(found.rest)
        current = _Node(found.kind, found.style, found.label, title, block.line)
        if inline:
            current.body.append(Paragraph(inline, block.line))
        outline.attach(current)
        headings += 1
    nodes = ([preamble] if preamble.body else []) + root.children
    return [_freeze(node) for node in nodes], headings


LEVEL_KINDS = (kinds.CHAPTER, kinds.SECTION, kinds.ARTICLE, kinds.ITEM)


def block_heading(block: Paragraph | Table) -> Heading | None:
    """A paragraph's heading: its printed label ("一、", "（一）") when it has one, else the heading
    level the format states (a .docx "Heading 1" → a chapter; style "level1"), else None. A
    stated level on a long sentence is prose set in a heading style, not a heading."""
    if not isinstance(block, Paragraph):
        return None
    found = heading(block.text)
    if found or not block.level or len(block.text) > TITLE_MAX or re.search("[。；]", block.text):
        return found
    kind = LEVEL_KINDS[min(block.level, len(LEVEL_KINDS)) - 1]
    return Heading(f"level{block.level}", kind, "", block.text.strip())


def _freeze(node: _Node) -> ParsedSection:
    children = [_freeze(child) for child in node.children]
    body = node.body
    if node.kind == kinds.BOX:
        items = _box_items(body)
        if items:
            body, children = [block for block in body if isinstance(block, Table)], items + children
    text = "\n".join(block_text(block) for block in body)
    return ParsedSection(node.label, node.title, node.kind, text, node.line, children)


def _box_items(body: list[Paragraph | Table]) -> list[ParsedSection]:
    """A box whose every paragraph opens with a short title ("现代装备制造。…") lists items."""
    texts = [block for block in body if isinstance(block, Paragraph)]
    matches = [re.match(rf"^([^，。；：]{{2,{BOX_ITEM_MAX}}})。(.*)$", para.text, re.DOTALL) for para in texts]
    if not texts or not all(matches):
        return []
    return [
        ParsedSection("", match[1], kinds.ITEM, match[2].strip(), para.line, [])
        for para, match in zip(texts, matches)
    ]
