"""Lines of extracted text: bookmarks, garbage lines (书书书, runs of ASCII punctuation, page
numbers such as ``- 12 -``) and indentation go; lines a PDF broke in mid-sentence are joined."""
import re
from dataclasses import dataclass

from .outline import TITLE_MAX, heading, heading_only

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
class Line:
    no: int
    text: str  # without bookmarks, surrounding spaces and indentation
    indented: bool  # began with a tab: a table cell in the one-cell-per-line layout
    cells: list[str] | None  # tab-separated cells, when the line has at least two
    raw: str = ""  # the line as written, indentation and inner spacing kept (space-aligned tables)
    bare: bool = False  # a bare number: a page number in running text, a cell in a table


def read_lines(text: str) -> list[Line]:
    lines = []
    for no, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        raw = BOOKMARK.sub("", raw).rstrip(SPACES.replace("\t", "") + "\n")
        stripped = unpiped(raw.strip(SPACES))
        indented = raw.startswith("\t")
        if is_garbage(stripped, indented):
            if re.fullmatch(r"\d{1,3}", stripped):  # kept for tables; text drops it elsewhere
                lines.append(Line(no, stripped, indented, None, raw, bare=True))
            continue
        cells = [cell.strip(SPACES) for cell in raw.split("\t")] if "\t" in raw.strip(SPACES) else None
        lines.append(Line(no, stripped, indented, cells, raw))
    return lines


LONE_PIPE = re.compile(r"[|｜]")
PIPED_CELL = re.compile(r"[|｜]\s*([^|｜]+?)")
CELL_PIPED = re.compile(r"([^|｜]+?)\s*[|｜]")


def unpiped(text: str) -> str:
    """A pipe table that a site broke into one cell a line: a lone ``|`` ends a row (read as a
    blank line) and ``| 76.7`` or ``76.7 |`` is the cell ``76.7``. Rows with several pipes are
    left as they are."""
    if LONE_PIPE.fullmatch(text):
        return ""
    cell = PIPED_CELL.fullmatch(text) or CELL_PIPED.fullmatch(text)
    return cell[1].strip(SPACES) if cell else text


def is_garbage(text: str, indented: bool) -> bool:
    if not text:
        return False
    if any(pattern.match(text) for pattern in GARBAGE):
        return True
    return not indented and re.fullmatch(r"\d{1,3}", text) is not None  # a bare page number


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text))


def wrap_width(lines: list[Line]) -> int | None:
    """The typical width of a hard-wrapped document (a PDF extraction), or None when paragraphs
    are one line each. Measured on the lines that stop without ending a sentence."""
    content = [line for line in lines if line.text and not line.indented and not line.cells and not line.bare]
    open_lengths = sorted(
        len(line.text) for line in content if not ends_sentence(line.text) and not heading_only(line.text)
    )
    if len(open_lengths) < 5 or len(open_lengths) < 0.2 * len(content):
        return None
    return open_lengths[int(len(open_lengths) * 0.75)]


def continues(last: str, line: Line, width: int | None) -> bool:
    """Whether ``line`` continues the paragraph whose last physical line is ``last``."""
    if line.cells or ends_sentence(last) or heading_only(last) or heading(line.text):
        return False
    if width:
        return len(last) >= 0.8 * width
    # One paragraph per line: only a line that reads like a sentence fragment continues.
    return len(last) >= TITLE_MAX or bool(re.search("[，、；]", last))
