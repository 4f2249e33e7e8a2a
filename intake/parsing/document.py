"""A ``SourceDocument`` read as a plan: its title, section tree and key indicators."""
import re
from dataclasses import replace

from .indicators import table_indicators
from .model import ParsedIndicator, ParsedPlan, PlanImportError, SourceDocument, Table
from .outline import block_text, build_tree, heading
from .text import text_document

MISSING_TITLE = "没有识别出规划标题，请在导入后补充"
TITLE_WORDS = re.compile(
    r"(规划|纲要|意见|措施|方案|计划|办法|通知|决定|要点|规定|细则)([（(][^）)]*[）)])?$"
)


def parse_text(text: str) -> ParsedPlan:
    """Parse a plan's text (a .txt file or pasted text)."""
    return parse_document(text_document(text))


def parse_document(document: SourceDocument) -> ParsedPlan:
    """Parse a plan into its title, section tree and key-indicator table rows."""
    blocks = list(document.blocks)
    if not any(block_text(block).strip() for block in blocks):
        raise PlanImportError("文件为空：没有可导入的文字")
    title_index = _title_index(blocks)
    title = blocks.pop(title_index).text if title_index is not None else ""
    sections, headings = build_tree(blocks)
    if not headings:
        raise PlanImportError(
            "没有识别出章节结构：未找到“一、”“（一）”“1．”或“专栏”等标题，请确认这是一份规划文本"
        )
    warnings = list(document.warnings) + ([] if title else [MISSING_TITLE])
    tables = [block for block in blocks if isinstance(block, Table)]
    indicators = _numbered([row for table in tables for row in table_indicators(table)], warnings)
    return ParsedPlan(title, sections, indicators, warnings)


def document_text(document: SourceDocument) -> str:
    """The plan's text as the parser reads it: one paragraph a line, tables as tab-separated rows.
    Quotes (``source_quote``) are substrings of this."""
    return "\n".join(block_text(block) for block in document.blocks)


def clean_text(text: str) -> str:
    return document_text(text_document(text))


def _title_index(blocks) -> int | None:
    """The paragraph holding the plan's title: the last short, unpunctuated line before the first
    heading that ends like a plan's name (…规划, …若干措施, …实施方案)."""
    found = None
    for index, block in enumerate(blocks):
        if isinstance(block, Table) or heading(block.text):
            break
        text = block.text
        if len(text) <= 60 and not re.search("[，。；：]", text) and TITLE_WORDS.search(text):
            found = index
    return found


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



