"""A .docx as blocks, read with python-docx: paragraphs in body order interleaved with native
tables, a paragraph's heading level from its style (Heading N, 标题 N) or outline level, the
labels Word generates for numbered headings rendered into the text, merged table cells repeated
in every grid position they cover. Text boxes, headers and footers are not part of the body and
are not read. ``line`` is the paragraph's index in the body (table rows count one each)."""
import io
import re

from intake.parsing import Paragraph, PlanImportError, SourceDocument, Table, text_document

from .archive import open_zip
from .caption import split_caption
from .errors import library_errors
from .notes import attach_notes
from .numbering import Numbering, read_numbering
from .xml import xpath

BROKEN = ".docx 文件已损坏或格式不规范，无法读取：请在 Word 或 WPS 中打开后重新另存为 .docx 再上传"
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
TITLE_STYLES = {"title", "标题"}
SPACES = " \t\u3000\xa0"


def read_docx(data: bytes) -> SourceDocument:
    open_zip(data, ".docx")
    with library_errors(BROKEN):
        import docx

        document = docx.Document(io.BytesIO(data))
        reader = _Reader(read_numbering(document), _Styles(document))
        for item in document.iter_inner_content():
            reader.add(item)
    blocks = attach_notes(_text_tables(reader.blocks))
    if not blocks:
        raise PlanImportError("文件为空：.docx 中没有可导入的文字")
    return SourceDocument(tuple(blocks), "docx")


class _Reader:
    """Blocks in body order with a running line number (one per paragraph and per table row)."""

    def __init__(self, numbering: Numbering, styles: "_Styles"):
        self.numbering, self.styles = numbering, styles
        self.blocks: list = []
        self.line = 0

    def add(self, item) -> None:
        from docx.table import Table as DocxTable

        if isinstance(item, DocxTable):
            self.add_table(item)
        else:
            self.add_paragraph(item)

    def add_paragraph(self, paragraph) -> None:
        self.line += 1
        label = self.numbered_label(paragraph)
        text = (label + paragraph.text).strip(SPACES + "\n")
        if text.strip(SPACES):
            self.blocks.append(Paragraph(text, self.line, paragraph_level(paragraph._p, self.styles.of(paragraph))))

    def add_table(self, table) -> None:
        rows = table_rows(table)
        if len(rows) == 1 and len(set(rows[0])) == 1:  # a one-cell frame: read what it holds
            for item in table.rows[0].cells[0].iter_inner_content():
                self.add(item)
            return
        caption, rows = split_caption(rows)
        if caption:
            self.line += 1
            self.blocks.append(Paragraph(caption, self.line))
        if rows:
            lines = tuple(range(self.line + 1, self.line + 1 + len(rows)))
            self.blocks.append(Table(tuple(rows), lines[0], lines))
            self.line += len(rows)

    def numbered_label(self, paragraph) -> str:
        num = _numbering_of(paragraph._p, self.styles.of(paragraph))
        return self.numbering.label(*num) if num else ""


def table_rows(table) -> list[tuple[str, ...]]:
    """The grid of cell texts: python-docx's ``row.cells`` repeats a cell merged across columns
    (gridSpan) or rows (vMerge); positions before/after a short row are empty."""
    rows = []
    for row in table.rows:
        cells = [cell_text(cell) for cell in row.cells]
        cells = [""] * row.grid_cols_before + cells + [""] * row.grid_cols_after
        if any(cells):
            rows.append(tuple(cells))
    width = max((len(row) for row in rows), default=0)
    return [row + ("",) * (width - len(row)) for row in rows]


def cell_text(cell) -> str:
    """A cell's paragraphs joined (a line break inside a cell is where Word wrapped it), nested
    tables flattened into the text."""
    from docx.table import Table as DocxTable

    parts = []
    for item in cell.iter_inner_content():
        if isinstance(item, DocxTable):
            parts.extend(text for row in table_rows(item) for text in row if text)
        else:
            parts.append(item.text.strip(SPACES + "\n"))
    return _join([part for part in parts if part])


def _join(parts: list[str]) -> str:
    text = ""
    for part in parts:
        ascii_edge = text and text[-1].isascii() and text[-1].isalnum() and part[0].isascii() and part[0].isalnum()
        text += (" " if ascii_edge else "") + part
    return text


# ---------------------------------------------------------------------------------------------
# Heading levels and numbering


class _Styles:
    """Paragraph styles by id, looked up once each (python-docx looks the default style up anew
    for every paragraph without a style, which is slow on a long document)."""

    def __init__(self, document):
        from docx.enum.style import WD_STYLE_TYPE

        self.document, self.kind, self.cache = document, WD_STYLE_TYPE.PARAGRAPH, {}

    def of(self, paragraph):
        ids = xpath(paragraph._p, "./w:pPr/w:pStyle/@w:val")
        key = ids[0] if ids else None
        if key not in self.cache:
            self.cache[key] = self.document.part.get_style(key, self.kind)
        return self.cache[key]


def paragraph_level(element, style) -> int | None:
    """1–9 for a heading style or an outline level, 0 for the Title style, None for body text."""
    outline = _outline_level(element)  # the paragraph's own setting wins over its style's
    if outline is not None:
        return outline
    while style is not None:
        name = (style.name or "").strip()
        found = HEADING_STYLE.match(name)
        if found:
            return int(found[1])
        if name.lower() in TITLE_STYLES:
            return 0
        outline = _outline_level(style.element)
        if outline is not None:
            return outline
        style = style.base_style
    return None


def _outline_level(element) -> int | None:
    values = xpath(element, "./w:pPr/w:outlineLvl/@w:val")
    if not values or not values[0].isdigit():
        return None
    value = int(values[0])
    return value + 1 if value < 9 else None  # 9 is "body text"


def _numbering_of(element, style) -> tuple[str, int] | None:
    """(numId, ilvl) of a numbered paragraph, from the paragraph or its style chain."""
    while element is not None:
        num_id = xpath(element, "./w:pPr/w:numPr/w:numId/@w:val")
        if num_id:
            ilvl = xpath(element, "./w:pPr/w:numPr/w:ilvl/@w:val")
            return (None if num_id[0] == "0" else (num_id[0], int(ilvl[0]) if ilvl else 0))
        element = style.element if style is not None else None
        style = style.base_style if style is not None else None
    return None


# ---------------------------------------------------------------------------------------------
# Tables typed with tabs in paragraphs


def _text_tables(blocks: list) -> list:
    """Runs of paragraphs holding tabs read by the text path, which finds key-indicator tables
    typed with tabs instead of a native table; paragraphs stay as they are otherwise."""
    result, run = [], []
    for block in blocks + [None]:
        if isinstance(block, Paragraph) and "\t" in block.text and block.level is None:
            run.append(block)
            continue
        result.extend(_run_blocks(run))
        run = []
        if block is not None:
            result.append(block)
    return result


def _run_blocks(run: list[Paragraph]) -> list:
    if len(run) < 2:
        return run
    found = text_document("\n".join(paragraph.text for paragraph in run))
    if not any(isinstance(block, Table) for block in found.blocks):
        return run
    lines = [paragraph.line for paragraph in run]
    return [_relined(block, lines) for block in found.blocks]


def _relined(block, lines: list[int]):
    from dataclasses import replace

    if isinstance(block, Table):
        row_lines = tuple(lines[no - 1] for no in block.lines)
        return replace(block, line=lines[block.line - 1], lines=row_lines)
    return replace(block, line=lines[block.line - 1])
