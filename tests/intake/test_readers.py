"""The readers on real files written and read again: .docx (python-docx), .pdf (fpdf2 with a CJK
font; tables ruled and without lines), .xlsx (openpyxl) parse to the same indicators and outline
as the equivalent text."""
import io
from pathlib import Path

import pytest

from intake.parsing import Paragraph, SourceDocument, Table, parse_document, parse_text, text_document
from intake.readers import read_document
from tests.intake.readers_facts import indicator_facts, outline, unlabelled
from tests.intake.render_files import docx_bytes, pdf_bytes

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "plans"
SEED_NAMES = sorted(path.stem for path in SEEDS.glob("*.txt"))
JIZHOU = (SEEDS / "jizhou-14-sti.txt").read_text(encoding="utf-8")
RENDERERS = {
    "docx": lambda document: docx_bytes(document),
    "pdf-ruled": lambda document: pdf_bytes(document),
    "pdf-unruled": lambda document: pdf_bytes(document, ruled=False),
}


def seed_text(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


def read_back(data: bytes, name: str):
    return parse_document(read_document(data, name))


@pytest.mark.parametrize("layout", RENDERERS)
@pytest.mark.parametrize("name", SEED_NAMES)
def test_it_reads_a_seed_plan_as_a_file_like_its_text(name, layout):
    text = seed_text(name)
    expected = parse_text(text)
    data = RENDERERS[layout](text_document(text))
    parsed = read_back(data, f"{name}.{layout.split('-')[0]}")
    assert parsed.title == expected.title
    assert indicator_facts(parsed) == indicator_facts(expected)
    assert outline(parsed.sections) == outline(expected.sections)


def test_it_reads_the_jizhou_table_from_a_docx_as_a_native_table():
    document = read_document(docx_bytes(text_document(JIZHOU)), "jizhou.docx")
    assert document.format == "docx"
    table = next(block for block in document.blocks if isinstance(block, Table))
    assert table.rows[0] == ("序号", "指标（单位）", "2020年", "2025年目标", "属性")
    assert table.rows[2] == ("2", "技术合同交易额（亿元）", "20", "30", "预期性")
    paragraphs = [block for block in document.blocks if isinstance(block, Paragraph)]
    assert [p.line for p in paragraphs[:3]] == [1, 2, 3]  # the paragraph's index in the body


# ---------------------------------------------------------------------------------------------
# .docx: headings by style, outline levels, Word numbering


def chapter_titles(text: str) -> dict[str, tuple[int, str]]:
    """The chapter and section headings of a text (一、… / （一）…) → (level, title without label)."""
    from intake.parsing.outline import heading

    styled = {}
    for block in text_document(text).blocks:
        found = isinstance(block, Paragraph) and heading(block.text)
        if found and found.style in ("dun", "paren") and len(found.rest) < 30:
            styled[block.text] = (1 if found.style == "dun" else 2, found.rest)
    return styled


def test_it_reads_headings_by_their_style_when_no_label_is_printed():
    styled = chapter_titles(JIZHOU)
    assert len(styled) > 5
    parsed = read_back(docx_bytes(text_document(JIZHOU), styled=styled), "styled.docx")
    expected = parse_text(JIZHOU)
    assert unlabelled(outline(parsed.sections)) == unlabelled(outline(expected.sections))
    assert indicator_facts(parsed) == indicator_facts(expected)
    chapters = [s for s in parsed.sections if s.kind == "chapter"]
    assert chapters[0].title == "基础与形势" and chapters[0].label == ""
    assert [c.title for c in chapters[0].children] == ["发展基础", "面临形势"]


def test_it_takes_a_heading_level_from_the_style_and_the_outline_level():
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    out = docx.Document()
    out.add_paragraph("某区科技创新规划", style="Title")
    out.add_paragraph("基础与形势", style="Heading 1")
    out.add_paragraph("发展基础", style="Heading 2")
    marked = out.add_paragraph("面临形势")
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "1")  # 0-based: outline level 2
    marked._p.get_or_add_pPr().append(level)
    out.add_paragraph("当今世界正经历百年未有之大变局。")
    document = read_document(_saved(out), "levels.docx")
    assert [(b.text, b.level) for b in document.blocks] == [
        ("某区科技创新规划", 0), ("基础与形势", 1), ("发展基础", 2), ("面临形势", 2), ("当今世界正经历百年未有之大变局。", None),
    ]
    parsed = parse_document(document)
    assert parsed.title == "某区科技创新规划"
    assert outline(parsed.sections) == [
        (0, "", "基础与形势", "chapter"), (1, "", "发展基础", "section"), (1, "", "面临形势", "section"),
    ]


def test_it_renders_the_labels_word_generates_for_numbered_paragraphs():
    import docx

    out = docx.Document()
    out.add_paragraph("一、基础与形势")
    out.add_paragraph("科技创新环境不断优化。发挥政策引导作用。", style="List Number")
    out.add_paragraph("科技创新主体健康发展。强化企业创新主体地位。", style="List Number")
    document = read_document(_saved(out), "numbered.docx")
    assert [b.text[:4] for b in document.blocks] == ["一、基础", "1.科技", "2.科技"]
    parsed = parse_document(document)
    assert [(s.label, s.title) for s in parsed.sections[0].children] == [
        ("1.", "科技创新环境不断优化"), ("2.", "科技创新主体健康发展"),
    ]


def _saved(out) -> bytes:
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Merged cells, captions, notes


CATEGORIES = ["创新投入", "创新投入", "创新产出", "创新主体", "创新主体", "创新主体", "创新主体", "创新主体",
              "产业发展", "创新环境"]
NOTE = "注：带*的为2019年数据。"


def grouped_table() -> Table:
    """The jizhou table with a 类别 column (merged down each group when written to a file) and a
    note under it."""
    table = next(block for block in text_document(JIZHOU).blocks if isinstance(block, Table))
    header, *rows = table.rows
    rows = [(row[0], category, *row[1:]) for row, category in zip(rows, CATEGORIES)]
    return Table((header[:1] + ("类别",) + header[1:], *rows), 1, notes=(NOTE,))


def grouped_document(caption: str) -> SourceDocument:
    before = [Paragraph("某区科技创新“十四五”规划", 1), Paragraph("一、发展目标", 2), Paragraph("到2025年，科技创新能力明显提升。", 3)]
    table = grouped_table()
    rows = ((caption,) * len(table.rows[0]),) + table.rows if caption else table.rows
    return SourceDocument((*before, Table(rows, 4, notes=table.notes), Paragraph("二、重点任务", 20)))


def grouped_text() -> str:
    table = grouped_table()
    return "\n".join(["某区科技创新“十四五”规划", "一、发展目标", "到2025年，科技创新能力明显提升。", "专栏一：主要指标"]
                     + ["\t".join(row) for row in table.rows] + [NOTE, "二、重点任务"])


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_it_reads_merged_category_cells_a_caption_row_and_the_notes(kind):
    document = grouped_document("专栏一：主要指标")
    data = docx_bytes(document) if kind == "docx" else pdf_bytes(document)
    read = read_document(data, f"grouped.{kind}")
    table = next(block for block in read.blocks if isinstance(block, Table))
    assert table.rows[0][:3] == ("序号", "类别", "指标（单位）")
    assert [row[1] for row in table.rows[1:]] == CATEGORIES  # the merged cell repeated down its group
    assert table.notes == (NOTE,)
    caption = read.blocks[read.blocks.index(table) - 1]
    assert caption.text == "专栏一：主要指标"
    expected = parse_text(grouped_text())
    assert [i.category for i in expected.indicators] == CATEGORIES
    parsed = parse_document(read)
    assert indicator_facts(parsed) == indicator_facts(expected)
    assert outline(parsed.sections) == outline(expected.sections)


def test_it_sets_the_page_of_pdf_blocks_over_many_pages():
    text = seed_text("tianjin-13-sti")
    document = read_document(pdf_bytes(text_document(text)), "long.pdf")
    pages = [block.page for block in document.blocks]
    assert pages[0] == 1 and pages[-1] > 10 and pages == sorted(pages)
    assert not any("- " in block.text and block.text.strip("- 0123456789") == "" for block in document.blocks
                   if isinstance(block, Paragraph))  # the page numbers in the footer are gone


# ---------------------------------------------------------------------------------------------
# .xlsx


def test_it_reads_an_indicator_table_from_an_xlsx_with_merged_cells():
    import openpyxl

    table = grouped_table()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "主要指标"
    sheet.append(["蓟州区科技创新“十四五”规划主要指标"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(table.rows[0]))
    for r, row in enumerate(table.rows, start=2):
        for c, text in enumerate(row, start=1):
            if r == 2 or c != 2 or text != table.rows[r - 3][1]:
                sheet.cell(r, c, float(text) if text.replace(".", "", 1).isdigit() and c > 3 else text)
    for start, end in ((3, 4), (6, 10)):  # 创新投入, 创新主体 merged down their groups
        sheet.merge_cells(start_row=start, start_column=2, end_row=end, end_column=2)
    sheet.append([NOTE])
    buffer = io.BytesIO()
    book.save(buffer)
    document = read_document(buffer.getvalue(), "indicators.xlsx")
    read = next(block for block in document.blocks if isinstance(block, Table))
    assert [row[1] for row in read.rows[1:]] == CATEGORIES and read.notes == (NOTE,)
    assert document.blocks[0].text == "蓟州区科技创新“十四五”规划主要指标"
    from intake.parsing.indicators import table_indicators

    expected = [(i.name, i.category, i.baseline_value, i.target.value) for i in parse_text(grouped_text()).indicators]
    assert [(i.name, i.category, i.baseline_value, i.target.value) for i in table_indicators(read)] == expected


def test_it_repeats_a_pdf_cell_merged_across_columns_or_down_rows():
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    from tests.intake.render_files import cjk_font

    header = ("序号", "类别", "指标（单位）", "2020年", "2025年目标", "属性")
    pdf = FPDF()
    pdf.add_font("cjk", fname=str(cjk_font("".join(header) + "主要指标创新投入研发强度技术合同交易额亿元预期性")))
    pdf.set_font("cjk", size=10)
    pdf.add_page()
    with pdf.table(headings_style=FontFace(), first_row_as_headings=False) as grid:
        grid.row().cell("主要指标", colspan=len(header))
        row = grid.row()
        for text in header:
            row.cell(text)
        for number, name, cells in (("1", "研发强度（%）", ("1.6", "2")), ("2", "技术合同交易额（亿元）", ("20", "30"))):
            row = grid.row()
            row.cell(number)
            if number == "1":
                row.cell("创新投入", rowspan=2)
            for text in (name, *cells, "预期性"):
                row.cell(text)
    document = read_document(bytes(pdf.output()), "merged.pdf")
    caption, table = document.blocks
    assert caption.text == "主要指标" and table.rows[0] == header
    assert [row[1] for row in table.rows[1:]] == ["创新投入", "创新投入"]
    assert [i.category for i in parse_document(SourceDocument((Paragraph("一、目标", 1), table))).indicators] == [
        "创新投入", "创新投入"]
