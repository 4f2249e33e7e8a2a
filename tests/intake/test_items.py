"""A national-style table whose 指标 spans two columns: a topic (18．森林发展) merged down over its
items (森林覆盖率, 森林蓄积量), beside a 类别 column merged down its group — as Word's text, as a
grid with merged cells repeated, as a real .docx, as tab-separated and pipe text.

Rows from 《中华人民共和国国民经济和社会发展第十三个五年规划纲要》 专栏1 “十三五”时期经济社会发展主要指标,
资源环境 (in part)."""
from decimal import Decimal

import pytest

from intake.parsing import Paragraph, SourceDocument, Table, parse_document, parse_text
from intake.readers import read_document
from tests.intake.render_files import docx_bytes

HEADER = ("类别", "指标", "2015年", "2020年", "年均增长〔累计〕", "属性")
ROWS = (  # as printed: 指标 once over two columns, a merged cell once, an empty cell under a merged one
    ("资源环境", "12．耕地保有量（亿亩）", "18.65", "18.65", "〔0〕", "约束性"),
    ("", "13．新增建设用地规模（万亩）", "—", "—", "〔＜3256〕", "约束性"),
    ("", "14．万元GDP用水量下降（%）", "—", "—", "〔23〕", "约束性"),
    ("", "15．森林发展", "森林覆盖率（%）", "21.66", "23.04", "〔1.38〕", "约束性"),
    ("", "", "森林蓄积量（亿立方米）", "151", "165", "〔14〕", "约束性"),
    ("", "16．空气质量", "地级及以上城市空气质量优良天数比率（%）", "76.7", "＞80", "—", "约束性"),
    ("", "", "细颗粒物未达标地级及以上城市浓度下降（%）", "—", "—", "〔18〕", "约束性"),
    ("", "17．主要污染物排放总量减少（%）", "化学需氧量", "—", "—", "〔10〕", "约束性"),
    ("", "", "氨氮", "—", "—", "〔10〕", "约束性"),
)
EXPECTED = [  # number, name, unit, category, baseline, target text
    (12, "耕地保有量", "亿亩", "资源环境", Decimal("18.65"), "18.65"),
    (13, "新增建设用地规模", "万亩", "资源环境", None, "〔＜3256〕"),
    (14, "万元GDP用水量下降", "%", "资源环境", None, "〔23〕"),
    (15, "森林覆盖率", "%", "资源环境·森林发展", Decimal("21.66"), "23.04"),
    (16, "森林蓄积量", "亿立方米", "资源环境·森林发展", Decimal("151"), "165"),
    (17, "地级及以上城市空气质量优良天数比率", "%", "资源环境·空气质量", Decimal("76.7"), "＞80"),
    (18, "细颗粒物未达标地级及以上城市浓度下降", "%", "资源环境·空气质量", None, "〔18〕"),
    (19, "主要污染物排放总量减少：化学需氧量", "%", "资源环境", None, "〔10〕"),
    (20, "主要污染物排放总量减少：氨氮", "%", "资源环境", None, "〔10〕"),
]


def merged_grid() -> list[tuple[str, ...]]:
    """The table as a .docx/.xlsx reader gives it: every merged cell repeated where it covers."""
    rows, category, topic = [("类别", "指标", "指标") + HEADER[2:]], "", ""
    for row in ROWS:
        category = row[0] or category
        if len(row) == len(HEADER):
            rows.append((category, row[1], row[1]) + row[2:])
            topic = ""
        else:
            topic = row[1] or topic
            rows.append((category, topic) + row[2:])
    return rows


def facts(plan):
    return [(i.number, i.name, i.unit, i.category, i.baseline_value, i.target.text) for i in plan.indicators]


def in_document(rows) -> SourceDocument:
    return SourceDocument((Paragraph("某市“十三五”规划纲要", 1), Paragraph("一、主要指标", 2),
                           Table(tuple(rows), 3), Paragraph("二、重点任务", 20)))


def test_it_reads_items_under_a_topic_from_the_printed_rows():
    plan = parse_document(in_document((HEADER,) + ROWS))
    assert facts(plan) == EXPECTED
    assert not any(i.flags for i in plan.indicators)
    assert plan.indicators[3].target.kind.value == "at_least" and plan.indicators[7].target.kind.value == "cumulative"


def test_it_reads_the_same_from_merged_cells_repeated():
    assert facts(parse_document(in_document(merged_grid()))) == EXPECTED


def test_it_reads_the_same_from_a_real_docx_with_merged_cells():
    data = docx_bytes(in_document(merged_grid()))
    assert facts(parse_document(read_document(data, "plan.docx"))) == EXPECTED


@pytest.mark.parametrize("layout", ["tabs", "pipes"])
def test_it_reads_the_same_from_text(layout):
    def line(row):
        return "\t".join(row) if layout == "tabs" else "| " + " | ".join(row) + " |"

    lines = [line(HEADER)] + (["|---|---|---|---|---|---|"] if layout == "pipes" else []) + [line(r) for r in ROWS]
    text = "某市“十三五”规划纲要\n一、主要指标\n" + "\n".join(lines) + "\n二、重点任务\n加快发展。\n"
    assert facts(parse_text(text)) == EXPECTED


def test_it_reads_numbered_topics_in_their_own_column_without_a_category_column():
    """十三五生态环境保护规划's table as Word's text gives it: 指标 over a topic column (1。空气质量)
    and the items, a group row spanning the table, decimals with a full stop."""
    text = "\n".join([
        "“十三五”生态环境保护规划", "一、主要指标", "指标\t2015年\t2020年\t〔累计〕\t属性", "生态环境质量",
        "1。空气质量\t地级及以上城市空气质量优良天数比率(%)\t76。7\t>80\t-\t约束性",
        "\t细颗粒物未达标地级及以上城市浓度下降(%)\t-\t-\t〔18〕\t约束性",
        "2。水环境质量\t地表水质量达到或好于Ⅲ类水体比例(%)\t66\t>70\t-\t约束性",
        "\t地表水质量劣Ⅴ类水体比例(%)\t9。7\t<5\t-\t约束性", "二、重点任务", "加快发展。",
    ])
    assert facts(parse_text(text)) == [
        (1, "地级及以上城市空气质量优良天数比率", "%", "生态环境质量·空气质量", Decimal("76.7"), ">80"),
        (2, "细颗粒物未达标地级及以上城市浓度下降", "%", "生态环境质量·空气质量", None, "〔18〕"),
        (3, "地表水质量达到或好于Ⅲ类水体比例", "%", "生态环境质量·水环境质量", Decimal("66"), ">70"),
        (4, "地表水质量劣Ⅴ类水体比例", "%", "生态环境质量·水环境质量", Decimal("9.7"), "<5"),
    ]


def test_it_reads_the_same_from_a_real_ruled_pdf():
    from tests.intake.render_files import pdf_bytes

    data = pdf_bytes(in_document(merged_grid()))
    assert facts(parse_document(read_document(data, "plan.pdf"))) == EXPECTED
