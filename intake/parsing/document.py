"""A ``SourceDocument`` read as a plan: its title, metadata, section tree, key indicators and the
targets its prose states (proposals)."""
import re
from dataclasses import replace

from .chinese import same_length_simplified
from .indicators import table_indicators
from .metadata import DATE, NUMBER, read_metadata
from .model import Paragraph, ParsedIndicator, ParsedPlan, PlanImportError, SourceDocument, Table
from .outline import block_text, build_tree, heading
from .prose import GOAL_TITLE, propose
from .text import text_document

MISSING_TITLE = "没有识别出规划标题，请在导入后补充"
NOTHING_TO_READ = (
    "没有识别出章节结构（“一、”“（一）”“1．”“专栏”等标题），也没有找到指标表或文字中的量化目标"
    "（如“到2025年，……达到2.5%”）：请确认这是一份规划文本"
)
TITLE_WORDS = re.compile(
    r"(规划|纲要|意见|措施|方案|计划|办法|通知|决定|要点|规定|细则)([（(][^）)]*[）)])?$"
)
TITLE_MAX = 60
TITLE_PART_MAX = 30  # the first line of a title broken over two lines
PERIOD_LINE = re.compile(r"^[（(]\s*(?:19|20)\d\d\s*[—－\-–~～至到]+\s*(?:19|20)\d\d\s*年?\s*[）)]$")
CITED = re.compile(
    r"(?:发布|印发|出台|公布|审议通过|正式实施|出炉|制定)(?:了|的)?《([^》]{4,80})》"
    r"|《([^》]{4,80})》\s*(?=[(（]以下简称|已发布|已经|已印发|正式发布|正式印发)"
)
HEADLINE = re.compile(r"出台了|发布了|印发了|出炉|正式发布|获悉")  # a report's headline, not the plan's title
NOTICE = re.compile(r"^.{0,30}?关于印发《?(.{4,80}?)》?的通知")
CITED_WITHIN = 12
NOT_TITLE_PART = re.compile(r"[，。；：、]|人民政府$|办公厅$|办公室$|印发$|^附件")


def parse_text(text: str) -> ParsedPlan:
    """Parse a plan's text (a .txt file or pasted text)."""
    return parse_document(text_document(text))


def parse_document(document: SourceDocument) -> ParsedPlan:
    """Parse a plan into its title, metadata, section tree, key-indicator rows and prose targets."""
    blocks = list(document.blocks)
    if not any(block_text(block).strip() for block in blocks):
        raise PlanImportError("文件为空：没有可导入的文字")
    paragraphs = [block.text for block in blocks if isinstance(block, Paragraph)]
    title, blocks = _take_title(blocks)
    metadata = read_metadata(title, paragraphs)
    sections, headings = build_tree(blocks)
    warnings = list(document.warnings) + ([] if title else [MISSING_TITLE])
    tables = [block for block in blocks if isinstance(block, Table)]
    indicators = _numbered([row for table in tables for row in table_indicators(table)], warnings)
    proposed = propose(blocks, indicators, metadata.base_year, metadata.end_year, title)
    if not (headings or indicators or proposed):
        raise PlanImportError(NOTHING_TO_READ)
    return ParsedPlan(title, sections, indicators, warnings, proposed, metadata)


def document_text(document: SourceDocument) -> str:
    """The plan's text as the parser reads it: one paragraph a line, tables as tab-separated rows.
    Quotes (``source_quote``, ``quote``) are substrings of this."""
    return "\n".join(block_text(block) for block in document.blocks)


def clean_text(text: str) -> str:
    return document_text(text_document(text))


def _take_title(blocks: list) -> tuple[str, list]:
    """The title (with the line before it when the title was broken over two lines, and a
    "（2021—2025年）" line after it) and the blocks without it; else the plan a report names
    (“市政府近日发布的《……规划》”), or a first line naming a goals part (“十三五”科技创新的总体目标)."""
    index = _title_index(blocks)
    if index is None:
        cited = _cited_title(blocks)
        if cited:
            return cited, blocks
        first = blocks[0] if blocks and isinstance(blocks[0], Paragraph) else None
        if first and len(first.text.strip()) <= TITLE_MAX and GOAL_TITLE.search(same_length_simplified(first.text.strip())):
            return first.text.strip(), blocks[1:]
        return "", blocks
    first, last = index, index
    if index > 0 and _title_part(blocks[index - 1], blocks[index]):
        first = index - 1
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    if isinstance(following, Paragraph) and PERIOD_LINE.match(following.text.strip()):
        last = index + 1
    title = _unquoted("".join(block.text.strip() for block in blocks[first:last + 1]))
    notice = NOTICE.match(same_length_simplified(title))
    if notice and TITLE_WORDS.search(notice[1]):  # "XX人民政府关于印发《YY规划》的通知": the plan is YY
        title = title[notice.start(1):notice.end(1)]
    return title, blocks[:first] + blocks[last + 1:]


def _unquoted(text: str) -> str:
    """A title standing in book-title marks on its own line (《……纲要》) without them."""
    return text[1:-1] if text.startswith("《") and text.endswith("》") and text.count("《") == 1 else text


def _cited_title(blocks) -> str:
    """The plan a report or notice names: 《…规划》 right after 发布/印发/出台/公布/审议通过."""
    for block in blocks[:CITED_WITHIN]:
        if isinstance(block, Paragraph):
            simple = same_length_simplified(block.text)
            for match in CITED.finditer(simple):
                group = 1 if match[1] else 2
                if TITLE_WORDS.search(match[group]):
                    return block.text[match.start(group):match.end(group)]
    return ""


def _title_index(blocks) -> int | None:
    """The paragraph holding the plan's title: the last short, unpunctuated line before the first
    heading that ends like a plan's name (…规划, …若干措施, …实施方案)."""
    found = None
    for index, block in enumerate(blocks):
        if isinstance(block, Table) or heading(block.text):
            break
        text = _unquoted(same_length_simplified(block.text.strip()))
        short = len(text) <= TITLE_MAX and not re.search("[，。；：]", text)
        if short and TITLE_WORDS.search(text) and not HEADLINE.search(text):
            found = index
    return found


def _title_part(block, title: Paragraph) -> bool:
    """Whether ``block`` is the first line of a title broken over two lines ("天津市科技创新" /
    "“十四五”规划"): short, unpunctuated, right above it, not a title, number or date itself."""
    if not isinstance(block, Paragraph) or title.line - block.line > 2:
        return False
    text = same_length_simplified(block.text.strip())
    if not 2 <= len(text) <= TITLE_PART_MAX or len(text) + len(title.text.strip()) > TITLE_MAX:
        return False
    if NOT_TITLE_PART.search(text) or TITLE_WORDS.search(text) or heading(text):
        return False
    return not (NUMBER.search(text) or DATE.search(text) or re.fullmatch(r"[\W\d_a-zA-Z]+", text))


def _numbered(indicators: list[ParsedIndicator], warnings: list[str]) -> list[ParsedIndicator]:
    """Indicators with unique numbers: a second table numbered from 1 again continues the first."""
    seen: set[int] = set()
    result = []
    for indicator in indicators:
        if indicator.number in seen:
            number = max(seen) + 1
            warnings.append(f"第 {indicator.line} 行：序号 {indicator.number} 重复，已改为 {number}")
            indicator = replace(indicator, number=number)
        seen.add(indicator.number)
        result.append(indicator)
    return result
