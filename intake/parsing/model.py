"""The data of intake: the blocks a reader makes of a file, and what the parser reads from them.

Plain frozen dataclasses, no Django. A reader (text, .docx, .pdf, .xlsx) turns a file into a
``SourceDocument``: paragraphs and tables in reading order, each with the position it came from.
The parser turns that into a ``ParsedPlan``.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from indicators.targets import Target


class PlanImportError(ValueError):
    """The document cannot be imported; ``line`` is the 1-based line of the input when known."""

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(f"第 {line} 行：{message}" if line else message)


class PlanEncodingWarning(UserWarning):
    """The file was not UTF-8 and was decoded from another encoding (GBK/GB18030)."""


# ---------------------------------------------------------------------------------------------
# What a reader makes of a file


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of running text. ``line`` is where it starts in the source (a text line, a
    .docx paragraph's index, …); ``level`` is the heading level the format states (a .docx
    "Heading 2" style or outline level → 2), None when the format says nothing."""

    text: str
    line: int
    level: int | None = None
    page: int | None = None


@dataclass(frozen=True)
class Table:
    """A table as a grid of cell texts, a merged cell repeated in every position it covers.
    ``notes`` are the 注：… lines printed under it; ``lines`` the source line of each row."""

    rows: tuple[tuple[str, ...], ...]
    line: int
    lines: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()
    page: int | None = None

    def row_line(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line + index


Block = Paragraph | Table


@dataclass(frozen=True)
class SourceDocument:
    """A file as blocks in reading order. ``format`` is txt, docx, pdf or xlsx; ``warnings`` say
    what the reader noticed (an encoding guessed, pages without text)."""

    blocks: tuple[Block, ...]
    format: str = "txt"
    warnings: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# What the parser reads


@dataclass(frozen=True)
class Flag:
    """A cell the parser could not read with confidence: which field, and why (in Chinese, for
    the planner who fixes it); ``code`` and ``params`` say the same for a translation
    (``flags.MESSAGES``)."""

    field: str
    message: str
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()


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
    flags: tuple[Flag, ...] = ()
    responsible: str = ""  # the 责任单位/牵头单位 cell as printed


@dataclass(frozen=True)
class ProposedIndicator:
    """A measurable target stated in prose: a proposal nobody has accepted yet. ``quote`` is the
    sentence the target comes from; ``baseline_quote`` the one stating the baseline, if any."""

    name: str
    unit: str
    target: Target
    target_year: int | None
    direction: str
    aggregation: str
    baseline_year: int | None
    baseline_value: Decimal | None
    quote: str
    baseline_quote: str
    line: int
    category: str = ""
    attribute: str = "expected"
    baseline_text: str = ""  # the baseline as written ("10%以上", "全国第三")


@dataclass(frozen=True)
class PlanMetadata:
    """What the text says about the plan itself; empty or None where it says nothing."""

    issuer: str = ""
    document_number: str = ""
    region: str = ""
    issued_on: str = ""  # ISO date
    start_year: int | None = None
    end_year: int | None = None
    base_year: int | None = None


@dataclass(frozen=True)
class ParsedPlan:
    title: str
    sections: list[ParsedSection]
    indicators: list[ParsedIndicator]
    warnings: list[str]
    proposed: list[ProposedIndicator] = field(default_factory=list)
    metadata: PlanMetadata = field(default_factory=PlanMetadata)
