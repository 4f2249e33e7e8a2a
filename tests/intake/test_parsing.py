"""The plan-document parser, on the five seed plans and on awkward input written here."""
import re
import warnings
from decimal import Decimal
from pathlib import Path

import pytest

from indicators.targets import TargetKind
from intake.parsing import (
    PlanEncodingWarning,
    PlanImportError,
    clean_text,
    decode_plan_bytes,
    parse_text,
    to_json,
)

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "plans"
CN = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
    "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四",
]
CODES = [
    "tianjin-13-sti", "jizhou-14-sti", "tianjin-12-minsheng", "shenzhen-2012-minsheng", "jiangsu-kjhm-2016",
]


def seed_text(code):
    return decode_plan_bytes((SEEDS / f"{code}.txt").read_bytes())


def seed(code):
    return parse_text(seed_text(code))


def walk(sections):
    for section in sections:
        yield section
        yield from walk(section.children)


def labels(sections, kind):
    return [section.label for section in walk(sections) if section.kind == kind]


def letters(text):
    """Only the words and numbers: punctuation, spaces and line breaks do not count."""
    return re.sub(r"[\W_]", "", text)


def find(sections, title):
    return next(section for section in walk(sections) if section.title == title)


# ---------------------------------------------------------------------------------------------
# The seeds


def test_it_reads_shenzhen_as_three_chapters_of_24_measures():
    plan = seed("shenzhen-2012-minsheng")
    assert plan.title == "关于加快发展民生科技的若干措施"
    chapters = [section for section in plan.sections if section.kind == "chapter"]
    assert [chapter.label for chapter in chapters] == ["一、", "二、", "三、"]
    assert [chapter.title for chapter in chapters] == [
        "着力提升民生科技基础能力", "实施科技惠民工程", "保障措施",
    ]
    assert labels(plan.sections, "section") == [f"（{n}）" for n in CN]
    assert [len(chapter.children) for chapter in chapters] == [4, 11, 9]
    assert plan.indicators == []


def test_it_joins_pdf_lines_broken_in_mid_sentence():
    plan = seed("shenzhen-2012-minsheng")
    first = find(plan.sections, "加强民生科技基础设施建设")
    assert first.body == (
        "坚持开放创新、国际化原则，瞄准国际民生科技发展前沿，引进一批民生科技基础设施项目。"
        "支持企业、高等院校和科研机构承担国家和省级民生科技基础设施建设任务，提高基础研究、"
        "试验研究、共性技术研究、技术开发与转化服务的水平。"
    )
    preamble = plan.sections[0]
    assert preamble.kind == "preamble"
    assert "《关于加快发展民生科技的若干措施》已经市政府同意，现予印发，请遵照执行。" in preamble.body
    # Short lines (document number, date) end their paragraph; they are not glued to the next one.
    assert preamble.body.splitlines()[:2] == ["深府办〔2012〕53 号", "印发关于加快发展民生科技若干措施的通知"]


def test_it_titles_a_long_measure_by_its_first_clause():
    plan = seed("shenzhen-2012-minsheng")
    fifth = next(section for section in walk(plan.sections) if section.label == "（五）")
    assert fifth.title == "建立市政府相关部门协同创新机制"
    assert fifth.body.startswith("市科技部门与市人居环境、交通运输")


def test_it_drops_garbage_lines_bookmarks_and_page_numbers():
    for code in ("shenzhen-2012-minsheng", "jizhou-14-sti"):
        text = clean_text(seed_text(code))
        assert "书书书" not in text
        assert "!\"#$%" not in text
        assert "[bookmark" not in text
        assert "- 12 -" not in text
        bodies = "".join(section.body + section.title for section in walk(seed(code).sections))
        assert "书书书" not in bodies and "[bookmark" not in bodies and "_Toc" not in bodies


@pytest.mark.parametrize("code", CODES)
def test_it_keeps_the_whole_text_in_the_sections(code):
    raw = (SEEDS / f"{code}.txt").read_text(encoding="utf-8")
    garbage = re.compile(r"\[bookmark:[^\]]*\]|^书书书$|^- \d+ -$", re.MULTILINE)
    plan = seed(code)
    cleaned = clean_text(raw)
    assert letters(cleaned) == letters(garbage.sub("", raw))
    without_title = [line for line in cleaned.splitlines() if line != plan.title]  # the title is the plan's
    in_sections = "".join(s.label + s.title + s.body for s in walk(plan.sections))
    assert letters(in_sections) == letters("".join(without_title))


def test_it_reads_jizhou_chapters_boxes_and_box_items():
    plan = seed("jizhou-14-sti")
    assert plan.title == "蓟州区科技创新“十四五”规划"
    assert labels(plan.sections, "chapter") == ["一、", "二、", "三、", "四、"]
    assert labels(plan.sections, "box") == [f"专栏{n}" for n in CN[:7]]
    box = find(plan.sections, "产业发展")
    assert box.kind == "box"
    assert [item.title for item in box.children] == ["现代装备制造", "新材料", "绿色食品", "新一代信息技术"]
    assert all(item.kind == "item" for item in box.children)
    # 四、保障措施 numbers its articles 1．… directly under the chapter.
    safeguards = plan.sections[-1]
    assert (safeguards.children[0].label, safeguards.children[0].title) == ("1．", "强化组织领导")


JIZHOU_TABLE = [
    (1, "全社会研究与试验发展经费（R&D）支出占地区生产总值比重", "%", "1.65", "2"),
    (2, "技术合同交易额", "亿元", "20", "30"),
    (3, "每万人口有效发明专利拥有量", "件", "2.1", "4"),
    (4, "国家高新技术企业数量", "家", "62", "90"),
    (5, "国家科技型中小企业数量", "家", "120", "150"),
    (6, "雏鹰企业数量", "家", "40", "60"),
    (7, "瞪羚企业数量", "家", "2", "10"),
    (8, "科技领军（培育）企业数量", "家", "3", "5"),
    (9, "工业战略性新兴产业增加值占规模以上工业增加值比重", "%", "24.3", "30"),
    (10, "公民科学素养达标率", "%", "8.2", "13"),
]


def test_it_reads_the_jizhou_indicator_table_exactly():
    indicators = seed("jizhou-14-sti").indicators
    got = [(i.number, i.name, i.unit, str(i.baseline_value), str(i.target.value)) for i in indicators]
    assert got == JIZHOU_TABLE
    for indicator in indicators:
        assert indicator.baseline_year == 2020 and indicator.target_year == 2025
        assert indicator.attribute == "expected"
        assert indicator.direction == "up" and indicator.aggregation == "level"
        assert indicator.target.kind == TargetKind.AT_LEAST
        assert indicator.category == ""
    assert indicators[0].line == 38
    assert indicators[0].source_quote.split("\t")[2:] == ["1.65", "2", "预期性"]


def test_it_reads_tianjin_12_parts_engineering_programmes_and_items():
    plan = seed("tianjin-12-minsheng")
    assert plan.title == "" and plan.warnings  # the text has no title line: curated data gives it
    assert labels(plan.sections, "chapter") == ["一、", "二、", "三、", "四、", "五、"]
    works = plan.sections[3]
    assert [s.title for s in works.children] == [
        "实施全民健康科技工程", "实施公共安全科技工程", "实施生态环境科技工程", "实施防灾减灾科技工程",
    ]
    assert [len(s.children) for s in works.children] == [4, 3, 5, 5]
    assert works.children[0].children[0].label == "1." and works.children[0].children[0].kind == "article"


def test_it_reads_tianjin_13_special_programmes_and_engineering():
    plan = seed("tianjin-13-sti")
    assert labels(plan.sections, "chapter") == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert len(find(plan.sections, "重大专项").children) == 12
    assert len(find(plan.sections, "重大工程").children) == 11
    assert find(plan.sections, "发展目标").body.count("——") == 4  # lead items stay in the body
    assert plan.indicators == []  # its targets are prose: the curated data holds them


def test_it_reads_jiangsu_with_prose_targets():
    plan = seed("jiangsu-kjhm-2016")
    assert plan.title == "江苏省科技惠民行动计划实施方案"
    assert labels(plan.sections, "chapter") == ["一、", "二、", "三、", "四、"]
    assert "突破13000亿元" in find(plan.sections, "主要目标").body
    assert find(plan.sections, "推进措施").children[0].title == "创新工作体制机制"


# ---------------------------------------------------------------------------------------------
# Heading grammar


def test_it_knows_full_and_half_width_numbering_boxes_and_lead_items():
    plan = parse_text(
        "某市科技创新规划\n"
        "一、总体要求\n"
        "（一）发展目标\n"
        "1．提升创新能力。加强基础研究。\n"
        "2.壮大创新主体。培育企业。\n"
        "３．优化创新生态\n"
        "——坚持改革。深化体制改革。\n"
        "专栏1 重大工程\n"
        "创新平台工程。建设10个平台。\n"
        "人才引育工程。引进100名人才。\n"
        "二、保障措施\n"
        "加强组织领导。\n"
    )
    goals = plan.sections[0].children[0]
    assert [(a.label, a.title, a.body) for a in goals.children if a.kind == "article"] == [
        ("1．", "提升创新能力", "加强基础研究。"),
        ("2.", "壮大创新主体", "培育企业。"),
        ("３．", "优化创新生态", "——坚持改革。深化体制改革。"),
    ]
    box = goals.children[-1]
    assert (box.kind, box.label, box.title) == ("box", "专栏1", "重大工程")
    assert [item.title for item in box.children] == ["创新平台工程", "人才引育工程"]
    assert plan.sections[1].body == "加强组织领导。"


def test_it_nests_numbering_styles_under_chapters_and_closes_boxes_at_the_right_level():
    plan = parse_text(
        "某省科技创新规划\r\n"
        "第一章　发展基础\r\n"
        "　　一、主要成就\r\n"
        "　　（一）创新能力。取得显著成效。\r\n"
        "　　1．研发投入。持续增长。\r\n"
        "第二章　主要任务\r\n"
        "专栏2　重大工程\r\n"
        "1．创新平台工程。建设平台。\r\n"
        "2．人才工程。引进人才。\r\n"
        "　　二、保障措施\r\n"
        "　　加强领导。\r\n"
    )
    first, second = plan.sections
    assert [(s.kind, s.label) for s in walk([first])] == [
        ("chapter", "第一章"), ("section", "一、"), ("article", "（一）"), ("item", "1．"),
    ]
    box, safeguards = second.children
    assert (box.kind, [a.title for a in box.children]) == ("box", ["创新平台工程", "人才工程"])
    assert (safeguards.kind, safeguards.label, safeguards.body) == ("section", "二、", "加强领导。")


def test_it_does_not_take_a_decimal_for_a_heading():
    plan = parse_text("一、目标\n研发投入强度达到\n1.65%。\n")
    assert [s.label for s in walk(plan.sections)] == ["一、"]


def test_it_refuses_empty_input():
    for text in ("", "  \n\u3000\n\n"):
        with pytest.raises(PlanImportError, match="文件为空"):
            parse_text(text)


def test_it_refuses_text_without_structure():
    with pytest.raises(PlanImportError, match="没有识别出章节结构"):
        parse_text("这是一段没有任何标题的文字。\n另一段文字，也没有标题。\n")


# ---------------------------------------------------------------------------------------------
# Tables


def one_cell_per_line(*rows):
    return "\n\n".join("\n".join(f"\t{cell}" for cell in row) for row in rows) + "\n"


def test_it_carries_a_category_given_only_on_the_first_row_of_its_group():
    table = one_cell_per_line(
        ["类别", "序号", "指标", "单位", "2020年", "2025年", "属性"],
        ["创新投入", "1", "研发投入强度", "%", "2.1", "2.5", "预期性"],
        ["2", "技术合同成交额", "亿元", "120", "200", "预期性"],
        ["创新主体", "3", "高新技术企业数量", "家", "800", "1200", "约束性"],
        ["4", "单位GDP能耗降低", "%", "—", "〔15〕", "约束性"],
    )
    plan = parse_text("一、目标\n专栏一：主要指标\n" + table)
    rows = [(i.number, i.category, i.name, i.unit, i.attribute) for i in plan.indicators]
    assert rows == [
        (1, "创新投入", "研发投入强度", "%", "expected"),
        (2, "创新投入", "技术合同成交额", "亿元", "expected"),
        (3, "创新主体", "高新技术企业数量", "家", "binding"),
        (4, "创新主体", "单位GDP能耗降低", "%", "binding"),
    ]
    last = plan.indicators[-1]
    assert last.direction == "down" and last.baseline_value is None and last.baseline_year is None
    assert last.target_year == 2025 and last.target.kind == TargetKind.CUMULATIVE
    assert plan.indicators[0].baseline_year == 2020


def test_it_applies_a_starred_baseline_year_note():
    table = one_cell_per_line(
        ["序号", "指标（单位）", "2020年", "2025年目标", "属性"],
        ["1", "研发投入强度（%）", "1.8*", "2.5", "预期性"],
        ["2", "每万人口发明专利拥有量（件）", "3.0", "6", "预期性"],
    )
    plan = parse_text("一、目标\n" + table + "注：带*的为2019年数据。\n二、任务\n正文。\n")
    first, second = plan.indicators
    assert (first.baseline_year, first.baseline_value, first.baseline_text) == (2019, Decimal("1.8"), "1.8*")
    assert (second.baseline_year, second.baseline_value) == (2020, Decimal("3.0"))
    assert "注：带*的为2019年数据。" in plan.sections[0].body
    assert plan.sections[1].title == "任务"


def test_it_makes_bracketed_cells_cumulative_by_note():
    plan = parse_text(
        "一、目标\n"
        "序号\t指标\t单位\t2015年指标值\t2020年目标值\t属性\n"
        "1\t新增发明专利\t件\t［900］\t［1500］\t预期性\n"
        "2\t研发投入强度\t%\t2.2\t2.8\t预期性\n"
        "注：［］内为5年累计数\n"
    )
    patents, intensity = plan.indicators
    assert patents.aggregation == "cumulative" and patents.target.kind == TargetKind.CUMULATIVE
    assert patents.target.value == Decimal(1500) and patents.target.text == "［1500］"
    assert patents.baseline_value == Decimal(900) and patents.baseline_year == 2015
    assert intensity.aggregation == "level" and intensity.target.kind == TargetKind.AT_LEAST


def test_it_reads_a_tab_separated_table_with_a_unit_column_and_a_traditional_character_target():
    plan = parse_text(
        "一、发展目标\n"
        "序号\t指标名称\t单位\t基期（2020年）\t目标（2025年）\t属性\n"
        "1\t生物医药产业产值\t亿元\t1800\t突破2600億元\t预期性\n"
        "2\t全国综合科技进步水平排名\t位\t5\t进入前3位\t预期性\n"
    )
    output, rank = plan.indicators
    assert output.target.kind == TargetKind.ABOVE and output.target.value == Decimal(2600)
    assert output.unit == "亿元" and output.baseline_value == Decimal(1800)
    assert (output.baseline_year, output.target_year) == (2020, 2025)
    assert rank.direction == "down" and rank.target.kind == TargetKind.RANK and rank.target.value == 3


def test_it_reads_the_number_of_a_worded_baseline_and_a_ceiling_target():
    plan = parse_text(
        "一、目标\n"
        "序号\t指标（单位）\t2020年\t2025年\t属性\n"
        "1\t公民科学素质达标率（%）\t10%以上\t16\t预期性\n"
        "2\t万元GDP用水量（立方米）\t30\t控制在25以内\t约束性\n"
    )
    literacy, water = plan.indicators
    assert (literacy.baseline_value, literacy.baseline_text) == (Decimal(10), "10%以上")
    assert water.direction == "down" and water.target.kind == TargetKind.AT_MOST
    assert (water.unit, water.attribute) == ("立方米", "binding")


def test_it_flags_a_row_with_a_missing_cell_and_keeps_the_other_rows():
    plan = parse_text(
        "一、目标\n"
        "序号\t指标（单位）\t2020年\t2025年\t属性\n"
        "1\t研发投入强度（%）\t2.1\t2.5\t预期性\n"
        "2\t技术合同成交额（亿元）\t120\t预期性\n"
        "3\t高新技术企业数量（家）\t800\t1200\t预期性\n"
    )
    first, short, third = plan.indicators
    assert first.flags == () and third.flags == ()
    assert (third.number, third.name, third.target.value) == (3, "高新技术企业数量", Decimal(1200))
    assert short.line == 4 and short.name == "技术合同成交额"
    assert [flag.field for flag in short.flags] == ["cells"]
    assert "这一行有 4 个单元格，表头有 5 列" in short.flags[0].message


def test_it_flags_a_short_row_in_a_one_cell_per_line_table():
    table = one_cell_per_line(
        ["序号", "指标（单位）", "2020年", "2025年目标", "属性"],
        ["1", "瞪羚企业（家）", "2", "预期性"],
        ["2", "雏鹰企业（家）", "40", "60", "预期性"],
    )
    plan = parse_text("一、目标\n专栏一：指标\n" + table)
    short, full = plan.indicators
    assert short.line == 9 and short.name == "瞪羚企业" and short.flags[0].field == "cells"
    assert (full.number, full.name, full.baseline_value, full.target.value, full.flags) == (
        2, "雏鹰企业", Decimal(40), Decimal(60), (),
    )


# ---------------------------------------------------------------------------------------------
# Bytes


def test_it_decodes_utf8_with_and_without_bom_and_utf16_with_bom():
    text = "一、总则\n（一）目标。达到3.5%。\n"
    assert decode_plan_bytes(text.encode("utf-8")) == text
    assert decode_plan_bytes(text.encode("utf-8-sig")) == text
    assert decode_plan_bytes(text.encode("utf-16")) == text


def test_it_decodes_gbk_and_says_so():
    text = "一、总体要求\n（一）发展目标。研发投入强度达到3.5%。\n"
    with pytest.warns(PlanEncodingWarning, match="GBK"):
        assert decode_plan_bytes(text.encode("gbk")) == text


def test_it_refuses_binary_data():
    with pytest.raises(PlanImportError, match="不是文本文件"):
        decode_plan_bytes(bytes(range(256)) * 20)
    with pytest.raises(PlanImportError, match="不是文本文件"):
        decode_plan_bytes(b"%PDF-1.4\n\x00\x00\x00binary")


def test_it_decodes_utf8_text_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert decode_plan_bytes("一、总则".encode()) == "一、总则"


# ---------------------------------------------------------------------------------------------
# JSON


def test_it_writes_the_documented_json_shape():
    data = to_json(seed("jizhou-14-sti"))
    assert set(data) == {"title", "metadata", "sections", "indicators", "proposed", "warnings"}
    assert set(data["sections"][0]) == {"label", "title", "kind", "children"}
    assert set(data["indicators"][0]) == {
        "number", "name", "unit", "category", "attribute", "direction", "aggregation",
        "baseline_year", "baseline_value", "target_year", "target_text",
        "target_kind", "target_value", "target_low", "target_high", "responsible", "flags",
    }
    first = data["indicators"][0]
    assert (first["baseline_value"], first["target_value"], first["target_kind"]) == ("1.65", "2", "at_least")
    assert first["target_low"] is None and first["target_high"] is None
