"""Key-indicator tables: the cell, header and row-cutting helpers on plain values, the national
14th FYP table read row by row, and the table features plans really print."""
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.targets import TargetKind
from intake.parsing import (
    Paragraph,
    PlanImportError,
    SourceDocument,
    Table,
    document_text,
    parse_document,
    parse_text,
    text_document,
)
from intake.parsing.cells import (
    group_label,
    is_attribute,
    is_empty,
    is_unit,
    is_value,
    row_number,
    split_number,
    starts_row,
)
from intake.parsing.header import column_role, columns, is_header_row, merge_header
from intake.parsing.layouts import display_spans, place_by_position, segment, unwrapped

from . import layouts as L
from .grids import NATIONAL_14

K = TargetKind


# ---------------------------------------------------------------------------------------------
# Cells


@pytest.mark.parametrize(("cell", "number"), [
    ("3", 3), ("3．", 3), ("（3）", 3), ("３", 3), ("12、", 12),
    ("2.5", None), ("12%", None), ("一", None), ("", None),
])
def test_it_reads_a_row_number_cell(cell, number):
    assert row_number(cell) == number


@pytest.mark.parametrize(("name", "split"), [
    ("3．常住人口城镇化率", (3, "常住人口城镇化率")),
    ("10.每千人口医师数（人）", (10, "每千人口医师数（人）")),
    ("（2）技术合同成交额", (2, "技术合同成交额")),
    ("4、研发投入", (4, "研发投入")),
    ("5G基站数量", (None, "5G基站数量")),
    ("2.5", (None, "2.5")),
    ("研发投入强度", (None, "研发投入强度")),
])
def test_it_splits_the_printed_row_number_off_a_name(name, split):
    assert split_number(name) == split


def test_it_knows_group_labels_empty_cells_values_attributes_and_units():
    assert group_label("一、经济发展") == "经济发展"
    assert group_label("（一）创新投入") == "创新投入"
    assert group_label("经济发展") is None and group_label("一、加快建设创新型城市，推动发展") is None
    assert all(is_empty(cell) for cell in ("", "—", "-", "/", "——", " — "))
    assert not is_empty("0")
    assert all(is_value(cell) for cell in ("1.65", "60.6*", "〔13.5〕", "＞7", "95%", "—", "［900］"))
    assert not any(is_value(cell) for cell in ("研发投入强度", "保持在合理区间", "亿元", "预期性"))
    assert is_attribute("约束性") and is_attribute("预期性") and not is_attribute("属性")
    assert all(is_unit(cell) for cell in ("%", "亿元", "家", "件/万人", "亿吨标准煤", "万人"))
    assert not is_unit("研发投入强度")
    assert starts_row("7") == 7 and starts_row("7．人均寿命") == 7 and starts_row("1.65") is None


# ---------------------------------------------------------------------------------------------
# Headers


@pytest.mark.parametrize(("cell", "role"), [
    ("序号", "number"), ("类别", "category"), ("指标名称", "name"), ("指标（单位）", "name"),
    ("单位", "unit"), ("计量单位", "unit"), ("责任单位", "responsible"), ("牵头部门", "responsible"),
    ("2020年", "year"), ("基期值", "baseline"), ("现状值", "baseline"), ("基准值", "baseline"),
    ("基期（2020年）", "baseline"), ("2025年", "year"), ("目标值", "target"), ("预期目标", "target"),
    ("规划目标", "target"), ("2025年目标", "target"), ("年均/累计", "growth"), ("年均增长〔累计〕", "growth"),
    ("属性", "attribute"), ("指标属性", "attribute"), ("一、主要目标", None), ("专栏1：主要指标", None),
    ("加快建设创新型城市", None),
])
def test_it_knows_what_a_header_cell_names(cell, role):
    assert column_role(cell) == role


def test_it_reads_the_national_header_with_its_growth_column():
    cols = columns(NATIONAL_14.header)
    roles = (cols.category, cols.name, cols.baseline, cols.target, cols.growth, cols.attribute)
    assert roles == (0, 1, 2, 3, 4, 5)
    assert (cols.baseline_year, cols.target_year, cols.growth_header) == (2020, 2025, "年均/累计")
    assert columns(["序号", "指标", "单位", "责任单位", "2020年", "2025年"]).unit == 2
    assert columns(["一、主要目标", "（一）发展目标"]) is None


def test_it_merges_headers_printed_on_two_lines():
    first = ["序号", "指标", "单位", "2020年", "2025年", "属性"]
    assert merge_header(first, ["目标值", "年均增长"], 7) == [
        "序号", "指标", "单位", "2020年", "2025年目标值", "2025年年均增长", "属性",
    ]
    assert merge_header(first, ["", "", "", "", "目标值", "年均增长"], 7)[4:6] == ["2025年目标值", "2025年年均增长"]
    assert merge_header(["序号", "指标", "单位"], ["2020年", "2025年", "属性"], 6) == first
    grid = ["序号", "指标", "2025年", "2025年"]
    assert merge_header(grid, ["序号", "指标", "目标值", "年均增长"], 4) == ["序号", "指标", "2025年目标值", "2025年年均增长"]
    assert is_header_row(["目标值", "年均增长"]) and not is_header_row(["1", "研发投入", "2.5"])


# ---------------------------------------------------------------------------------------------
# Cutting a stream of cells into rows


def stream(*cells):
    return [(n, cell) for n, cell in enumerate(cells, start=10)]


def test_it_cuts_rows_at_the_attribute_word_that_ends_them():
    cols = columns(["类别", "指标", "2020年", "2025年", "属性"])
    rows, used = segment(stream("创新", "研发投入", "2.1", "2.5", "预期性", "专利", "3", "6", "约束性", "二、任务"), cols)
    assert rows == [(10, ["创新", "研发投入", "2.1", "2.5", "预期性"]), (15, ["专利", "3", "6", "约束性"])]
    assert used == 9


def test_it_cuts_rows_at_row_numbers_not_at_a_value_equal_to_the_next_number():
    cols = columns(["序号", "指标", "2020年", "2025年"])
    rows, used = segment(stream("1", "研发投入", "1", "2", "2", "专利", "3", "6", "说明。"), cols)
    assert [cells for _, cells in rows] == [["1", "研发投入", "1", "2"], ["2", "专利", "3", "6"]]
    assert used == 8


def test_it_cuts_rows_at_the_cell_count_when_no_anchor_marks_them():
    cols = columns(["指标", "单位", "2020年", "2025年"])
    rows, used = segment(stream("研发投入", "%", "2.1", "2.5", "专利", "件", "3", "6", "加强领导。"), cols)
    assert [cells for _, cells in rows] == [["研发投入", "%", "2.1", "2.5"], ["专利", "件", "3", "6"]]
    assert used == 8


def test_it_reads_group_rows_in_a_stream():
    cols = columns(["指标", "2020年", "2025年", "属性"])
    rows, _ = segment(stream("经济发展", "1．GDP增长", "2.3", "6", "预期性", "（二）创新", "2．专利", "3", "6", "预期性"), cols)
    assert [cells for _, cells in rows] == [
        ["经济发展"], ["1．GDP增长", "2.3", "6", "预期性"], ["（二）创新"], ["2．专利", "3", "6", "预期性"],
    ]


def test_it_joins_a_cell_broken_over_two_lines():
    cols = columns(["序号", "指标", "单位", "2020年", "2025年", "属性"])
    cells = ["1", "全社会研究与试验发展经费", "投入强度", "%", "2.1", "2.5", "预期性"]
    assert unwrapped(cells, cols) == ["1", "全社会研究与试验发展经费投入强度", "%", "2.1", "2.5", "预期性"]
    bare = columns(["指标", "单位", "2020年", "2025年", "属性"])  # unlabelled 序号: 6 cells are right
    assert unwrapped(["1", "研发投入", "%", "2.1", "2.5", "预期性"], bare) == ["1", "研发投入", "%", "2.1", "2.5", "预期性"]


def test_it_places_the_cells_of_a_space_aligned_row_by_column_position():
    header = "指标名称          单位    2020年    2025年    属性"
    row = "技术合同成交额    亿元              200       预期性"
    assert [text for _, _, text in display_spans(header)] == ["指标名称", "单位", "2020年", "2025年", "属性"]
    assert place_by_position(header, row, 5) == ["技术合同成交额", "亿元", "", "200", "预期性"]


# ---------------------------------------------------------------------------------------------
# The national 14th FYP table, row by row


def national():
    return {i.number: i for i in parse_document(L.document(NATIONAL_14)).indicators}


def test_it_reads_every_row_of_the_national_table():
    rows = national()
    assert list(rows) == list(range(1, 21))
    assert [rows[n].category for n in (1, 4, 7, 14, 19)] == ["经济发展", "创新驱动", "民生福祉", "绿色生态", "安全保障"]
    assert rows[3].name == "常住人口城镇化率" and rows[3].unit == "%"
    assert rows[20].unit == "亿吨标准煤" and rows[20].attribute == "binding"
    assert all(not i.flags for i in rows.values())


@pytest.mark.parametrize(("number", "kind", "value", "aggregation", "direction"), [
    (1, K.QUALITATIVE, None, "growth", "up"),  # 保持在合理区间、各年度视情提出
    (2, K.RELATIVE, None, "growth", "up"),  # 高于GDP增长
    (3, K.AT_LEAST, "65", "level", "up"),
    (4, K.GROWTH, "7", "growth", "up"),  # ＞7 in the 年均/累计 column of a …增长 indicator
    (7, K.RELATIVE, None, "growth", "up"),  # 与GDP增长基本同步
    (8, K.BELOW, "5.5", "level", "down"),  # ＜5.5: 失业率, a level, not a growth
    (13, K.CUMULATIVE, "1", "cumulative", "up"),  # 〔1〕
    (14, K.CUMULATIVE, "13.5", "cumulative", "down"),  # 〔13.5〕, 降低
    (15, K.CUMULATIVE, "18", "cumulative", "down"),
    (19, K.ABOVE, "6.5", "level", "up"),
])
def test_it_types_the_national_targets(number, kind, value, aggregation, direction):
    indicator = national()[number]
    assert indicator.target.kind == kind
    assert indicator.target.value == (Decimal(value) if value else None)
    assert (indicator.aggregation, indicator.direction) == (aggregation, direction)


def test_it_keeps_the_text_of_phrase_targets_and_applies_the_notes():
    rows = national()
    assert rows[1].target.text == "保持在合理区间、各年度视情提出"
    assert rows[7].target.text == "与GDP增长基本同步"
    starred = rows[3]
    assert (starred.baseline_year, starred.baseline_value) == (2019, Decimal("60.6"))
    assert starred.baseline_text == "60.6*"
    assert (rows[5].baseline_year, rows[5].baseline_value) == (2020, Decimal("6.3"))
    assert rows[14].baseline_value is None and rows[14].baseline_year is None
    assert rows[13].target_year == 2025


# ---------------------------------------------------------------------------------------------
# Table features in text


def test_it_reads_a_header_whose_target_year_spans_target_and_growth_columns():
    plan = parse_text(
        "一、目标\n"
        "序号\t指标名称\t单位\t2020年\t2025年\t属性\t责任单位\n"
        "\t\t\t\t目标值\t年均增长\n"
        "1\t地区生产总值\t亿元\t1000\t1500\t8%\t预期性\t区发改委\n"
        "2\t研发经费投入增长\t%\t—\t—\t10\t预期性\t区科技局\n"
    )
    gdp, research = plan.indicators
    assert (gdp.unit, gdp.target.kind, gdp.target.value) == ("亿元", K.AT_LEAST, Decimal(1500))
    assert gdp.target_year == 2025
    assert (research.target.kind, research.target.value) == (K.GROWTH, Decimal(10))
    assert research.aggregation == "growth"


def test_it_reads_group_rows_spanning_a_tab_separated_table():
    plan = parse_text(
        "一、目标\n"
        "序号\t指标\t单位\t2020年\t2025年\t属性\n"
        "一、创新投入\n"
        "1\t研发投入强度\t%\t2.1\t2.5\t预期性\n"
        "（二）创新产出\n"
        "2\t技术合同成交额\t亿元\t120\t200\t预期性\n"
        "二、重点任务\n"
        "加强基础研究。\n"
    )
    assert [(i.number, i.category) for i in plan.indicators] == [(1, "创新投入"), (2, "创新产出")]
    assert [s.label for s in plan.sections] == ["一、", "二、"]
    assert plan.sections[1].body == "加强基础研究。"


def test_it_reads_an_unlabelled_number_column():
    plan = parse_text(
        "一、目标\n"
        "指标\t单位\t2020年\t2025年\t属性\n"
        "1\t研发投入强度\t%\t2.1\t2.5\t预期性\n"
        "2\t技术合同成交额\t亿元\t120\t200\t约束性\n"
    )
    assert [(i.number, i.name, i.unit, i.target.value, i.attribute, i.flags) for i in plan.indicators] == [
        (1, "研发投入强度", "%", Decimal("2.5"), "expected", ()),
        (2, "技术合同成交额", "亿元", Decimal(200), "binding", ()),
    ]


def test_it_flags_what_it_cannot_read_and_keeps_every_row():
    plan = parse_text(
        "一、目标\n"
        "序号\t指标\t单位\t现状值\t规划目标\t年均/累计\t指标属性\n"
        "1\t研发投入强度\t%\t2.1\t2.5\t—\t预期性\n"
        "三\t规上企业研发机构覆盖率\t%\t40\t—\t—\t约束性\n"
        "4\t科技服务业收入\t亿元\t100\t约150亿元左右以上?\t—\t预期性\n"
    )
    first, worded, odd = plan.indicators
    assert first.flags == ()
    assert worded.number == 2 and worded.target.kind == K.QUALITATIVE
    assert [(f.field, f.message) for f in worded.flags] == [
        ("target", "没有目标值：规划目标一栏为空，年均/累计一栏也没有可读的目标"),
        ("number", "序号“三”不是数字，按位置编为 2"),
    ]
    assert odd.number == 4 and odd.target.value is not None


def test_it_reads_ranks_multiples_and_relative_targets():
    plan = parse_text(
        "一、目标\n"
        "序号\t指标\t单位\t基期值\t目标值\t属性\n"
        "1\t全市科技进步水平排名\t位\t5\t3\t预期性\n"
        "2\t高新技术产业产值\t亿元\t500\t翻一番\t预期性\n"
        "3\t技术合同成交额\t亿元\t100\t3倍\t预期性\n"
        "4\t科技投入增幅\t%\t8\t不低于全市平均水平\t预期性\n"
        "5\t单位GDP能耗\t吨标准煤/万元\t0.5\t0.45\t约束性\n"
    )
    rank, doubled, tripled, relative, energy = plan.indicators
    assert (rank.target.kind, rank.target.value, rank.direction) == (K.RANK, 3, "down")
    assert (doubled.target.kind, doubled.target.value) == (K.MULTIPLE, 2)
    assert (tripled.target.kind, tripled.target.value) == (K.MULTIPLE, 3)
    assert (relative.target.kind, relative.target.text) == (K.RELATIVE, "不低于全市平均水平")
    assert (energy.direction, energy.target.kind, energy.unit) == ("down", K.AT_MOST, "吨标准煤/万元")


def test_it_applies_a_square_bracket_cumulative_note():
    plan = parse_text(
        "一、目标\n"
        "| 序号 | 指标 | 单位 | 2020年 | 2025年 | 属性 |\n"
        "|:--|:--:|--|--|--|--|\n"
        "| 1 | 新增发明专利 | 件 | [900] | [1500] | 预期性 |\n"
        "注：[]内为5年累计数\n"
    )
    (patents,) = plan.indicators
    assert (patents.target.kind, patents.target.value) == (K.CUMULATIVE, 1500)
    assert patents.aggregation == "cumulative"


def test_it_reads_a_space_aligned_table_with_an_empty_cell():
    plan = parse_text(
        "一、目标\n"
        "指标名称          单位    2020年    2025年    属性\n"
        "研发投入强度      %       2.1       2.5       预期性\n"
        "技术合同成交额    亿元              200       预期性\n"
    )
    intensity, contracts = plan.indicators
    assert (intensity.unit, intensity.baseline_value) == ("%", Decimal("2.1"))
    assert intensity.target.value == Decimal("2.5")
    assert (contracts.unit, contracts.baseline_value, contracts.target.value) == ("亿元", None, Decimal(200))
    assert contracts.flags == ()


def test_it_reads_a_table_flattened_into_one_paragraph():
    plan = parse_text(
        "一、目标\n主要指标\n"
        "序号 指标 单位 2020年 2025年 属性 1 研发投入强度 % 2.1 2.5 预期性 2 技术合同成交额 亿元 120 200 预期性 "
        "3 单位GDP能耗降低 % — 〔15〕 约束性\n"
        "注：〔〕内为5年累计数\n二、任务\n正文。\n"
    )
    assert [(i.number, i.name, i.unit, str(i.target.value)) for i in plan.indicators] == [
        (1, "研发投入强度", "%", "2.5"), (2, "技术合同成交额", "亿元", "200"), (3, "单位GDP能耗降低", "%", "15"),
    ]
    assert "主要指标" in plan.sections[0].body and plan.sections[1].body == "正文。"


def test_it_does_not_take_prose_or_numbered_headings_for_a_table():
    text = (
        "某区科技创新规划\n"
        "一、发展目标\n"
        "主要指标\n"
        "1．提升创新能力\n"
        "到2025年，研发投入强度达到2.5%，技术合同成交额 200亿元。\n"
        "2．指标体系  2020年  2025年\n"
        "指标 2020年 2025年 属性\n"
        "建立完善的指标体系。\n"
        "二、保障措施\n"
        "3\n"
        "加强组织领导。\n"
    )
    plan = parse_text(text)
    assert plan.indicators == []
    goals = plan.sections[0]
    assert [(a.label, a.title) for a in goals.children] == [("1．", "提升创新能力"), ("2．", "指标体系  2020年  2025年")]
    assert plan.sections[1].body == "加强组织领导。"


def test_it_quotes_each_row_as_the_plans_text_holds_it():
    plan_text = L.in_plan(L.cells(NATIONAL_14))
    document = text_document(plan_text)
    text = document_text(document)
    indicators = parse_document(document).indicators
    assert len(indicators) == 20
    assert all(indicator.source_quote in text for indicator in indicators)
    assert indicators[1].source_quote.startswith("2．全员劳动生产率增长")


TABLE_WORDS = [
    "序号", "指标", "单位", "2020年", "2025年", "目标值", "年均增长", "年均/累计", "属性", "类别", "预期性",
    "约束性", "1", "2", "3", "1．研发", "一、经济发展", "（一）创新", "经济发展", "—", "〔13.5〕", "＞7", "2.5",
    "%", "亿元", "注：〔〕内为5年累计数", "带*的为2019年数据", "|", "|---|", "", "保持在合理区间", "3倍",
    "第3位", "二、任务", "正文。",
]
SEPARATORS = ["\t", "  ", "\u3000", " ", "\n", "\n\n", " | "]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(TABLE_WORDS), st.sampled_from(SEPARATORS)), max_size=60))
def test_it_reads_any_soup_of_table_words_without_raising(parts):
    text = "一、目标\n" + "".join(word + separator for word, separator in parts)
    try:
        plan = parse_text(text)
    except PlanImportError as error:
        assert error.message
    else:
        assert all(indicator.name is not None for indicator in plan.indicators)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(TABLE_WORDS), max_size=8).map(tuple), min_size=1, max_size=8))
def test_it_reads_any_grid_of_table_words_without_raising(rows):
    document = SourceDocument((Paragraph("一、目标", 1), Table(tuple(rows), 2)))
    for indicator in parse_document(document).indicators:
        assert indicator.number >= 1


# -- a pipe table a site broke into one cell a line ---------------------------------------------


def test_it_reads_a_lone_pipe_as_a_row_end_and_a_piped_cell_as_the_cell():
    from intake.parsing.lines import unpiped

    assert unpiped("|") == "" and unpiped("｜") == ""
    assert unpiped("| 76.7") == "76.7" and unpiped("| 2015年 ") == "2015年"
    assert unpiped("| 指标 | 2020年 |") == "| 指标 | 2020年 |"  # a whole pipe row stays a row
    assert unpiped("技术合同交易额") == "技术合同交易额"


def test_it_reads_a_pipe_table_broken_into_one_cell_a_line():
    from intake.parsing import parse_text

    rows = [("序号", "指标", "2020年", "2025年", "属性"),
            ("1", "技术合同交易额（亿元）", "20", "30", "预期性"),
            ("2", "国家高新技术企业数量（家）", "62", "90", "预期性"),
            ("3", "公民科学素养达标率（%）", "8.2", "13", "约束性")]
    table = "\n|\n".join("\n".join(f"| {cell}" if k else cell for k, cell in enumerate(row)) for row in rows)
    parsed = parse_text(f"某区科技创新规划\n一、主要指标\n{table}\n二、重点任务\n推进创新。\n")
    read = [(i.number, i.name, i.unit, str(i.baseline_value), i.target.text, i.attribute) for i in parsed.indicators]
    assert read == [
        (1, "技术合同交易额", "亿元", "20", "30", "expected"),
        (2, "国家高新技术企业数量", "家", "62", "90", "expected"),
        (3, "公民科学素养达标率", "%", "8.2", "13", "binding"),
    ]
    assert [s.title for s in parsed.sections] == ["主要指标", "重点任务"]


@pytest.mark.parametrize("name, read", [
    ("地级及以上城市2空气质量优良天数比率", "地级及以上城市空气质量优良天数比率"),  # a footnote number
    ("地表水质量3达到或好于Ⅲ类水体比例", "地表水质量达到或好于Ⅲ类水体比例"),
    ("每千人口拥有3岁以下婴幼儿托位数", "每千人口拥有3岁以下婴幼儿托位数"),  # a count keeps its number
    ("5G基站数", "5G基站数"), ("PM2.5年均浓度", "PM2.5年均浓度"), ("新增2个国家级平台", "新增2个国家级平台"),
])
def test_it_drops_a_footnote_number_set_inside_a_name_and_keeps_counts(name, read):
    from intake.parsing.cells import without_footnote_marks

    assert without_footnote_marks(name) == read


@pytest.mark.parametrize("cell, topic", [
    ("1。空气质量", "空气质量"), ("（2）水环境质量", "水环境质量"), ("3．土壤环境质量", "土壤环境质量"),
    ("1．森林覆盖率（%）", None), ("空气质量", None), ("76。7", None),
])
def test_it_reads_a_numbered_topic_heading(cell, topic):
    from intake.parsing.cells import topic_label

    assert topic_label(cell) == topic


def test_it_reads_a_pipe_after_each_cell_as_one_cell_a_line():
    from intake.parsing.lines import unpiped

    assert [unpiped(t) for t in ("76。7 |", "| 76.7", "|", "指标 | 2015年 |")] == ["76。7", "76.7", "", "指标 | 2015年 |"]
