"""A .pdf as blocks, read with pdfplumber: tables drawn with ruling lines as grids of cells, the
rest of each page as text lines in reading order (top to bottom, words left to right, a wide gap
between words read as a column break, i.e. a tab) through the text path, which joins the lines a
PDF broke, drops page numbers and finds the tables drawn without ruling lines. Pages without any
character (scanned images) are counted: a PDF of only such pages needs OCR first."""
import io
import re
from dataclasses import dataclass, replace

from intake.parsing import Paragraph, PlanImportError, SourceDocument, Table, text_document
from intake.parsing.cells import group_label, is_attribute, is_value, starts_row
from intake.parsing.lines import ends_sentence, is_garbage
from intake.parsing.outline import heading

from .caption import split_caption
from .errors import library_errors
from .limits import MAX_PAGES
from .notes import attach_notes

BROKEN = "PDF 文件已损坏或不完整，无法读取：请重新导出或重新下载该 PDF 后上传"
ENCRYPTED = "PDF 文件已加密（设置了打开密码），无法读取：请取消密码后重新导出 PDF 再上传"
SCANNED = ("扫描版 PDF 没有文字层，需要先做文字识别（OCR）：请用 WPS、Acrobat 等软件的 OCR 功能转成可复制文字的 "
           "PDF 或 Word 文档后再上传，或上传规划的 .docx 原件")
TOO_MANY_PAGES = f"PDF 超过 {MAX_PAGES} 页，无法导入：请只上传规划正文"
COLUMN_GAP = 1.5  # a gap between words wider than this many character heights separates two cells
LINE_TOLERANCE = 0.5  # words whose tops differ by less than this many heights share a line
NOTE_LINE = re.compile(r"^(注|说明|备注|资料来源|数据来源)\s*[:：]")
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


@dataclass
class _Rows:
    """A ruled table read from one page."""

    rows: list[tuple[str, ...]]
    page: int


def read_pdf(data: bytes) -> SourceDocument:
    with library_errors(BROKEN):
        import pdfplumber

        with _open(pdfplumber, data) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise PlanImportError(TOO_MANY_PAGES)
            items, scanned, with_text = [], [], 0
            for number, page in enumerate(pdf.pages, start=1):
                page_items = page_content(page, number)
                with_text += bool(page_items)
                if not page_items and page.images:
                    scanned.append(number)
                items.extend(page_items)
                page.close()
    if not with_text:
        raise PlanImportError(SCANNED if scanned else "PDF 中没有可导入的文字")
    warnings = (_scanned_warning(scanned),) if scanned else ()
    return SourceDocument(tuple(attach_notes(blocks_of(items))), "pdf", warnings)


def _open(pdfplumber, data: bytes):
    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - pdfminer wraps its errors; an encrypted file is one
        if _encrypted(error):
            raise PlanImportError(ENCRYPTED) from error
        raise


def _encrypted(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 5:
        causes = [error, *[arg for arg in error.args if isinstance(arg, BaseException)]]
        if any("Password" in type(cause).__name__ or "Encrypt" in type(cause).__name__ for cause in causes):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _scanned_warning(pages: list[int]) -> str:
    listed = "、".join(str(page) for page in pages[:20]) + ("等" if len(pages) > 20 else "")
    return f"第 {listed} 页没有文字层（可能是扫描图片），这些页的内容未能读取，需要文字识别（OCR）后补充"


# ---------------------------------------------------------------------------------------------
# One page


def page_content(page, number: int) -> list:
    """The page's text lines (str) and ruled tables (``_Rows``) from top to bottom."""
    if not page.chars:
        return []
    tables = [table for table in page.find_tables(TABLE_SETTINGS) if _is_grid(table)]
    boxes = [table.bbox for table in tables]
    text_page = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes)) if boxes else page
    placed = [(top, text) for top, text in text_lines(text_page.extract_words(use_text_flow=False))]
    placed += [(table.bbox[1], _Rows(table_grid(table), number)) for table in tables]
    placed.sort(key=lambda item: item[0])
    return [(item, number) for _, item in placed]


def _is_grid(table) -> bool:
    rows = table.rows
    return len(rows) >= 2 and max(len(row.cells) for row in rows) >= 2


def _inside(obj, box) -> bool:
    if "x0" not in obj or "top" not in obj:
        return False
    x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def table_grid(table) -> list[tuple[str, ...]]:
    """Cells as text, a cell's wrapped lines joined; a position covered by a merged cell (no cell
    of its own) repeats the text of the cell covering it, from the left or from above."""
    texts = [[_cell(cell) for cell in row] for row in table.extract()]
    boxes = [list(row.cells) for row in table.rows]
    if len(boxes) == len(texts):
        _fill_merged(texts, boxes)
    return [tuple(row) for row in texts if any(row)]


def _fill_merged(texts: list[list[str]], boxes: list[list]) -> None:
    starts = {}
    for row in boxes:
        for c, box in enumerate(row):
            if box is not None:
                starts[c] = min(starts.get(c, box[0]), box[0])
    for r, row in enumerate(boxes):
        for c, box in enumerate(row):
            if box is not None or c >= len(texts[r]):
                continue
            left = next((k for k in range(c - 1, -1, -1) if row[k] is not None), None)
            if left is not None and row[left][2] > starts.get(c, row[left][2]) + 1:
                texts[r][c] = texts[r][left]
            elif r and c < len(texts[r - 1]):
                texts[r][c] = texts[r - 1][c]


def _cell(text: str | None) -> str:
    joined = ""
    for part in (text or "").split("\n"):
        part = part.strip()
        if part and joined and joined[-1].isascii() and joined[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            joined += " "
        joined += part
    return joined


def text_lines(words: list[dict]) -> list[tuple[float, str]]:
    """Words grouped into lines by their top, each line's words left to right; a gap wider than
    ``COLUMN_GAP`` character heights becomes a tab (a column of a table drawn without lines). A
    cell that wrapped onto the next line under its column is joined back (``joined_wraps``)."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        height = max(word["bottom"] - word["top"], 1.0)
        if lines and abs(lines[-1][0]["top"] - word["top"]) < LINE_TOLERANCE * height:
            lines[-1].append(word)
        else:
            lines.append([word])
    cells = [(line[0]["top"], _line_cells(sorted(line, key=lambda w: w["x0"]))) for line in lines]
    return [(top, "\t".join(text for _, _, text in row)) for top, row in joined_wraps(cells)]


Cell = tuple[float, float, str]  # x0, x1, text


def _line_cells(words: list[dict]) -> list[Cell]:
    """A line's words as cells: a gap wider than ``COLUMN_GAP`` heights starts a new one."""
    cells: list[list] = []
    previous = None
    for word in words:
        height = max(word["bottom"] - word["top"], 1.0)
        gap = word["x0"] - previous["x1"] if previous is not None else None
        if gap is None or gap >= COLUMN_GAP * height:
            cells.append([word["x0"], word["x1"], word["text"]])
        else:
            cells[-1][1] = word["x1"]
            cells[-1][2] += _space(previous["text"], word["text"], gap, height) + word["text"]
        previous = word
    return [tuple(cell) for cell in cells]


def joined_wraps(lines: list[tuple[float, list]]) -> list[tuple[float, list]]:
    """Lines with a table cell's wrapped part joined to the cell above it: a line of one cell,
    no number, attribute, heading or note, starting where a cell of the row above starts and
    ending before that row's next cell (a paragraph under the table runs on across the
    columns), closer to the row than the table's rows are to each other (a group row is a row)."""
    pitch = _row_pitch(lines)
    result: list[tuple[float, list]] = []
    row_top = None
    for top, cells in lines:
        row = result[-1][1] if result else None
        near = row_top is not None and (pitch is None or top - row_top < 0.9 * pitch)
        places = _wrapped_under(cells, row) if near and row and len(row) >= 3 and len(cells) < len(row) - 1 else None
        if places is None:
            result.append((top, list(cells)))
            row_top = top if len(cells) >= 3 else None
            continue
        for cell, at in zip(cells, places):
            x0, x1, text = row[at]
            row[at] = (x0, max(x1, cell[1]), _joined_text(text, cell[2]))
        row_top = top
    return result


def _row_pitch(lines: list[tuple[float, list]]) -> float | None:
    """The usual distance between two table rows that follow each other on a page."""
    steps = sorted(b[0] - a[0] for a, b in zip(lines, lines[1:]) if len(a[1]) >= 3 and len(b[1]) >= 3)
    return steps[len(steps) // 2] if steps else None


def _wrapped_under(cells: list, row: list) -> list[int] | None:
    """The column of the row above each cell of a continuation line stands under, or None."""
    places = [_column_under(cell, row) for cell in cells]
    if None in places or places != sorted(set(places)):
        return None
    return places


def _column_under(cell, row: list) -> int | None:
    x0, x1, text = cell
    if is_value(text) or is_attribute(text) or starts_row(text) is not None or ends_sentence(text):
        return None
    if group_label(text) or heading(text) or NOTE_LINE.match(text):
        return None
    for index, (start, end, _) in enumerate(row):
        following = row[index + 1][0] if index + 1 < len(row) else None
        width = max(end - start, 1.0)
        inside = x1 < following if following is not None else x1 <= end + 2
        if abs(x0 - start) <= 0.1 * width + 2 and inside:
            return index
    return None


def _joined_text(first: str, rest: str) -> str:
    """A wrapped cell's parts joined; a CJK line breaks anywhere (占GD / P比重), so no space unless
    the cell is all Latin text."""
    latin = first.isascii() and rest.isascii() and first[-1:].isalnum() and rest[:1].isalnum()
    return first + (" " if latin else "") + rest


def _space(left: str, right: str, gap: float, height: float) -> str:
    """A space between two words, except between CJK characters set a little apart."""
    if left[-1].isascii() or right[0].isascii():
        return " "
    return " " if gap >= 0.5 * height else ""


# ---------------------------------------------------------------------------------------------
# The pages together


def blocks_of(items: list) -> list:
    """Runs of text lines through the text path (paragraphs joined across page breaks), ruled
    tables as ``Table`` blocks, a table continued on the next page joined to its first part.
    Line numbers count the text lines and table rows of the whole document."""
    blocks, run, line = [], [], 0
    for item, page in items:
        if isinstance(item, str):
            line += 1
            run.append((item, page, line))
            continue
        if _continues_table(blocks, run, item):
            blocks[-1], run = _joined(blocks[-1], item, line), []
        else:
            blocks.extend(_text_blocks(run))
            run = []
            caption, rows = split_caption(item.rows)
            if caption:
                blocks.append(Paragraph(caption, line + 1, page=page))
            first = line + 1 + bool(caption)
            blocks.append(Table(tuple(rows), first, tuple(range(first, first + len(rows))), page=page))
        line += len(item.rows)
    return blocks + _text_blocks(run)


def _continues_table(blocks: list, run: list, item: _Rows) -> bool:
    """A table at the top of a page continuing the previous page's table of the same width."""
    if not blocks or not isinstance(blocks[-1], Table) or blocks[-1].page == item.page:
        return False
    previous = blocks[-1]
    between = [text for text, _page, _line in run]
    return len(previous.rows[0]) == len(item.rows[0]) and all(is_garbage(text.strip(), False) for text in between)


def _joined(table: Table, item: _Rows, line: int) -> Table:
    rows = item.rows[1:] if item.rows[0] == table.rows[0] else item.rows  # a repeated header goes
    first = line + 1 + (len(item.rows) - len(rows))
    return replace(table, rows=table.rows + tuple(rows), lines=table.lines + tuple(range(first, first + len(rows))))


def _text_blocks(run: list) -> list:
    if not run:
        return []
    document = text_document("\n".join(text for text, _page, _line in run))
    pages = [page for _text, page, _line in run]
    lines = [line for _text, _page, line in run]
    return [_placed(block, lines, pages) for block in document.blocks]


def _placed(block, lines: list[int], pages: list[int]):
    page = pages[block.line - 1]
    if isinstance(block, Table):
        return replace(block, line=lines[block.line - 1], lines=tuple(lines[no - 1] for no in block.lines), page=page)
    return replace(block, line=lines[block.line - 1], page=page)
