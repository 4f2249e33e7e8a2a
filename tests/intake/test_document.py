"""The document as a whole: titles on two lines or in traditional characters, traditional
headings, and what is read from a document without headings."""
import pytest

from intake.parsing import NOTHING_TO_READ, Paragraph, PlanImportError, SourceDocument, parse_document, parse_text
from intake.parsing.outline import heading

BODY = "\n一、发展基础\n2020年，全社会研发经费投入强度达到3.44%。\n二、发展目标\n到2025年，全社会研发经费投入强度达到3.7%。\n"


def test_it_joins_a_title_broken_over_two_lines():
    parsed = parse_text("天津市科技创新\n“十四五”规划\n" + BODY)
    assert parsed.title == "天津市科技创新“十四五”规划"
    assert (parsed.metadata.region, parsed.metadata.start_year) == ("天津市", 2021)
    assert [s.title for s in parsed.sections] == ["发展基础", "发展目标"]


def test_it_joins_the_period_printed_under_the_title():
    parsed = parse_text("江苏省科技创新规划\n（2021—2025年）\n" + BODY)
    assert parsed.title == "江苏省科技创新规划（2021—2025年）"
    assert (parsed.metadata.start_year, parsed.metadata.end_year) == (2021, 2025)


@pytest.mark.parametrize("above", ["津政办发〔2021〕12号", "天津市人民政府办公厅", "2021年12月30日", "附件"])
def test_it_does_not_join_a_number_issuer_or_date_to_the_title(above):
    parsed = parse_text(f"{above}\n天津市科技创新“十四五”规划\n" + BODY)
    assert parsed.title == "天津市科技创新“十四五”规划"


def test_it_reads_a_title_and_headings_in_traditional_characters_as_written():
    text = ("北京市“十三五”時期加強全國科技創新中心建設規劃\n第一章 發展基礎\n2015年，研發經費投入強度達到6%。\n"
            "第二章 發展目標\n第一節 主要目標\n到2020年，研發經費投入強度達到6%左右。\n")
    parsed = parse_text(text)
    assert parsed.title == "北京市“十三五”時期加強全國科技創新中心建設規劃"
    assert [(s.label, s.title) for s in parsed.sections] == [("第一章", "發展基礎"), ("第二章", "發展目標")]
    assert [(s.label, s.title, s.kind) for s in parsed.sections[1].children] == [("第一節", "主要目標", "section")]
    [proposal] = parsed.proposed
    assert (proposal.name, proposal.target.kind.value, proposal.target_year) == ("研發經費投入強度", "approx", 2020)
    assert proposal.baseline_quote == "研發經費投入強度達到6%"


def test_it_recognises_a_traditional_heading_keeping_its_characters():
    found = heading("第三節　發展目標")
    assert (found.style, found.label, found.rest) == ("jie", "第三節", "發展目標")


def test_it_reads_a_document_with_prose_targets_but_no_heading():
    parsed = parse_text("到2025年，全社会研发经费投入强度达到2.5%以上，技术合同成交额突破1000亿元。")
    assert [p.name for p in parsed.proposed] == ["全社会研发经费投入强度", "技术合同成交额"]
    assert parsed.sections[0].kind == "preamble"


def test_it_reads_a_document_with_an_indicator_table_but_no_heading():
    table = "序号\t指标\t单位\t2020年\t2025年\t属性\n1\t全社会研发经费投入强度\t%\t1.65\t2.5\t预期性\n"
    assert [i.name for i in parse_text(table).indicators] == ["全社会研发经费投入强度"]


def test_it_refuses_a_document_with_no_table_no_targets_and_no_structure():
    with pytest.raises(PlanImportError, match="没有识别出章节结构") as error:
        parse_text("会议纪要\n今天开会讨论了科技工作，大家发言踊跃。\n")
    assert error.value.message == NOTHING_TO_READ


def test_it_keeps_every_stored_text_as_written_in_traditional_documents():
    document = SourceDocument((Paragraph("臺北市科技發展規劃", 1), Paragraph("一、發展目標", 2),
                               Paragraph("到2025年，研發經費投入強度達到3%。", 3)))
    parsed = parse_document(document)
    assert parsed.title == "臺北市科技發展規劃" and parsed.sections[0].title == "發展目標"
    assert parsed.proposed[0].quote == "研發經費投入強度達到3%"


def test_it_takes_the_plan_a_notice_issues_as_the_title():
    parsed = parse_text("潘集区人民政府关于印发潘集区国民经济和社会发展第十四个五年规划和2035年远景目标纲要的通知\n" + BODY)
    assert parsed.title == "潘集区国民经济和社会发展第十四个五年规划和2035年远景目标纲要"
    assert (parsed.metadata.issuer, parsed.metadata.region, parsed.metadata.start_year) == ("潘集区人民政府", "潘集区", 2021)


def test_it_takes_the_plan_a_report_names_rather_than_its_headline():
    report = ("磐安县出台了科技发展“十四五”规划\n\n近日,磐安县人民政府办公室印发了《磐安县科技发展“十四五”规划》。"
              "《规划》明确,到 2025 年,国家高新技术企业达到80家、省科技型中小企业达到260家。")
    parsed = parse_text(report)
    assert parsed.title == "磐安县科技发展“十四五”规划"
    assert [(p.name, p.target_year) for p in parsed.proposed] == [("国家高新技术企业", 2025), ("省科技型中小企业", 2025)]


def test_it_takes_a_title_standing_in_book_title_marks():
    parsed = parse_text("《国家中长期科学和技术发展规划纲要(2006-2020年)》\n" + BODY)
    assert parsed.title == "国家中长期科学和技术发展规划纲要(2006-2020年)"
    assert (parsed.metadata.start_year, parsed.metadata.end_year, parsed.metadata.base_year) == (2006, 2020, 2005)
