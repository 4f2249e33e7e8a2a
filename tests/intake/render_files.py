"""Real .docx and .pdf files rendered from a plan's blocks, for the readers' tests and benchmarks.

``docx_bytes`` writes paragraphs (a heading by a style when asked) and native tables (python-docx,
merged cells where the table's grid repeats a cell); ``pdf_bytes`` writes the same with fpdf2 and
a CJK font: paragraphs wrapped at the page width, tables with cell borders (ruled) or without.
fpdf2 embeds the installed Noto Sans CJK (an OpenType/CFF collection) in a way pdfminer cannot
read back (an embedded CID CMap), so ``cjk_font`` converts the glyphs a document needs to a
TrueType font first, as most CJK PDFs in the wild carry."""
import functools
import hashlib
import io
import tempfile
from pathlib import Path

from intake.parsing import Paragraph, SourceDocument, Table

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_SC = 2  # Noto Sans CJK SC in the collection
FONT_DIR = Path(tempfile.gettempdir()) / "guihua-test-fonts"
ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "，。、；：？！“”‘’（）《》〔〕【】—…％．·①②③④⑤⑥⑦⑧⑨⑩"


# ---------------------------------------------------------------------------------------------
# .docx


def docx_bytes(document: SourceDocument, *, styled: dict[str, tuple[int, str]] | None = None) -> bytes:
    """A .docx of ``document``'s blocks. ``styled`` maps a paragraph's text to (heading level, the
    text to write): the heading written without its printed label, in style "Heading N"."""
    import docx

    out = docx.Document()
    for block in document.blocks:
        if isinstance(block, Table):
            add_docx_table(out, block)
        elif styled and block.text in styled:
            level, text = styled[block.text]
            out.add_paragraph(text, style=f"Heading {level}")
        else:
            out.add_paragraph(block.text)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def add_docx_table(out, table: Table) -> None:
    """A native table; runs of a cell repeated across a row (gridSpan) or down a column (vMerge)
    are written as one merged cell."""
    width = max(len(row) for row in table.rows)
    rows = [tuple(row) + ("",) * (width - len(row)) for row in table.rows]
    grid = out.add_table(rows=len(rows), cols=width)
    grid.style = "Table Grid"
    done = set()
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (r, c) in done:
                continue
            right = _run_length([row[k] if (r, k) not in done else None for k in range(c, width)], text)
            down = 1 if right > 1 else _run_length(
                [rows[k][c] if (k, c) not in done else None for k in range(r, len(rows))], text)
            cell = grid.cell(r, c)
            if right > 1 or down > 1:
                cell = cell.merge(grid.cell(r + down - 1, c + right - 1))
            cell.text = text
            done |= {(r + i, c + j) for i in range(down) for j in range(right)}
    for note in table.notes:
        out.add_paragraph(note)


def _run_length(cells: list[str | None], text: str) -> int:
    """How many cells from the first repeat a non-empty ``text`` (1 for an empty one); None is a
    cell already part of another merged cell."""
    if not text:
        return 1
    count = 0
    while count < len(cells) and cells[count] == text:
        count += 1
    return count


# ---------------------------------------------------------------------------------------------
# .pdf


def cjk_font(chars: str) -> Path:
    """A TrueType font holding the glyphs of ``chars`` (and ASCII, common punctuation), made
    once per set of characters from Noto Sans CJK SC."""
    wanted = "".join(sorted(set(chars + ALWAYS) - set("\n\t\r")))
    path = FONT_DIR / f"cjk-{hashlib.sha1(wanted.encode()).hexdigest()[:16]}.ttf"
    if not path.exists():
        FONT_DIR.mkdir(parents=True, exist_ok=True)
        _convert(wanted, path)
    return path


@functools.lru_cache(maxsize=8)
def _noto():
    from fontTools.ttLib import TTFont

    return NOTO.read_bytes()


def _convert(chars: str, path: Path) -> None:
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.subset import Options, Subsetter
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(io.BytesIO(_noto()), fontNumber=NOTO_SC)
    options = Options()
    options.layout_features, options.desubroutinize, options.notdef_outline = [], True, True
    subsetter = Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in chars})
    subsetter.subset(font)
    order, glyphs = font.getGlyphOrder(), font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    _truetype_tables(font)
    temporary = path.with_suffix(".tmp")
    font.save(temporary)
    temporary.replace(path)


def _truetype_tables(font) -> None:
    from fontTools.ttLib import newTable

    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for name in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, name, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"


def document_chars(document: SourceDocument) -> str:
    texts = [block.text if isinstance(block, Paragraph) else "".join("".join(r) for r in block.rows)
             + "".join(block.notes) for block in document.blocks]
    return "".join(sorted(set("".join(texts))))


def pdf_bytes(document: SourceDocument, *, ruled: bool = True, size: float = 10.5,
              page_numbers: bool = True, wrapped: bool = False) -> bytes:
    """A PDF of ``document``: paragraphs wrapped at the page width, each table drawn with cell
    borders (``ruled``) or as columns without any line; a page number ("- N -") in the footer.
    ``wrapped``: the widest column (the names) narrowed so that its long cells wrap onto a second
    line, the other cells of the row at its first line (top-aligned)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", format="A4")
    pdf.add_font("cjk", fname=str(cjk_font(document_chars(document) + "-0123456789")))
    pdf.set_font("cjk", size=size)
    if page_numbers:
        pdf.footer = lambda: _footer(pdf)
    pdf.add_page()
    for block in document.blocks:
        if isinstance(block, Table):
            _pdf_table(pdf, block, ruled, wrapped)
        else:
            pdf.multi_cell(0, size * 0.6, block.text, new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR")
            pdf.ln(size * 0.2)
    return bytes(pdf.output())


def _footer(pdf) -> None:
    pdf.set_y(-15)
    pdf.cell(0, 8, f"- {pdf.page_no()} -", align="C")


def _pdf_table(pdf, table: Table, ruled: bool, wrapped: bool = False) -> None:
    from fpdf.fonts import FontFace

    width = max(len(row) for row in table.rows)
    rows = [tuple(row) + ("",) * (width - len(row)) for row in table.rows]
    size, room = pdf.font_size_pt, pdf.epw
    widths = _widths(pdf, rows, ruled)
    if wrapped:
        pdf.set_font_size(size * 0.8)
        widths = _widths(pdf, rows, ruled)
        widest, pad = widths.index(max(widths)), 6 + pdf.font_size * 2
        widths[widest] = (widths[widest] - pad) * 0.6 + pad  # the text narrower, the gap kept
    elif not ruled and sum(widths) > room:  # without lines a wrapped cell would break its row: smaller type
        pdf.set_font_size(size * 0.9 * room / sum(widths))
        widths = _widths(pdf, rows, ruled)
    if sum(widths) > room:  # the widest column (the names) wraps in its cell
        widest = widths.index(max(widths))
        widths[widest] = max(room - (sum(widths) - widths[widest]), 20)
    with pdf.table(col_widths=widths, width=min(sum(widths), room), headings_style=FontFace(),
                   borders_layout="ALL" if ruled else "NONE", first_row_as_headings=False,
                   text_align="LEFT", v_align="TOP", **({"padding": (0.5, 3)} if wrapped else {})) as grid:
        for row in rows:
            line = grid.row()
            for text in row:
                line.cell(text)
    pdf.set_font_size(size)
    for note in table.notes:
        pdf.multi_cell(0, pdf.font_size * 1.5, note, new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR")


def _widths(pdf, rows, ruled: bool) -> list[float]:
    """Each column as wide as its longest cell; without lines set apart by two characters' space."""
    pad = 4 if ruled else 6 + pdf.font_size * 2
    return [max(pdf.get_string_width(row[c]) for row in rows) + pad for c in range(len(rows[0]))]
