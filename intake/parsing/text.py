"""Plain text (a .txt file or pasted text) as a ``SourceDocument``: paragraphs joined where a PDF
broke lines in mid-sentence, key-indicator tables as grids of cells."""
from .lines import continues, read_lines, wrap_width
from .model import Paragraph, SourceDocument, Table
from .tables import table_at


def text_document(text: str, *, format: str = "txt", warnings: tuple[str, ...] = ()) -> SourceDocument:
    lines = read_lines(text.lstrip("\ufeff"))
    width = wrap_width(lines)
    blocks: list[Paragraph | Table] = []
    last = None  # the last physical line of the open paragraph; None after a table or a heading break
    blank = True
    i = 0
    while i < len(lines):
        table, end = table_at(lines, i)
        if table:
            blocks.append(table)
            i, blank, last = end, True, None
            continue
        line = lines[i]
        i += 1
        if line.bare:  # a page number outside any table
            continue
        if not line.text:
            blank = True
            continue
        if last is not None and (width or not blank) and continues(last, line, width):
            previous = blocks[-1]
            blocks[-1] = Paragraph(previous.text + line.text, previous.line)
        else:
            blocks.append(Paragraph(line.text, line.no))
        last, blank = line.text, False
    return SourceDocument(tuple(blocks), format, warnings)
