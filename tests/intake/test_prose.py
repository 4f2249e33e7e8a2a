"""Prose targets: clauses of real plans' goals read as measures, typed targets and baselines."""
from decimal import Decimal

import pytest

from intake.parsing import PlanImportError, accept_proposals, document_text, parse_text, text_document
from intake.parsing.clauses import read_clause, trim_name
from intake.parsing.names import similarity
from intake.parsing.prose import split_clauses

D = Decimal


@pytest.mark.parametrize("clause, name, kind, value, unit", [
    ("到2025年全社会研发经费投入强度达到2.5%以上", "全社会研发经费投入强度", "at_least", "2.5", "%"),
    ("技术合同成交额突破1000亿元", "技术合同成交额", "above", "1000", "亿元"),
    ("高新技术企业数量达到5000家以上", "高新技术企业数量", "at_least", "5000", "家"),
    ("综合科技进步水平在全国各省市中保持第三位", "综合科技进步水平", "rank", "3", "位"),
    ("科技服务业主营业务收入保持20%以上的增长速度", "科技服务业主营业务收入", "growth", "20", "%"),
    ("生产总值增长6%左右", "生产总值", "growth", "6", "%"),
    ("建设30个左右高水平国家和省级可持续发展实验区", "高水平国家和省级可持续发展实验区", "approx", "30", "个"),
    ("重点组织实施50个重大社会发展科技示范项目", "重大社会发展科技示范项目", "cumulative", "50", "个"),
    ("重点引进并支持1000名以上海外高层次人才来津创新创业", "海外高层次人才", "cumulative", "1000", "名"),
    ("国家高新技术企业为7000家", "国家高新技术企业", "at_least", "7000", "家"),
    ("技术合同成交额820亿元", "技术合同成交额", "at_least", "820", "亿元"),
    ("國際科技論文被引次數達到世界第二", "國際科技論文被引次數", "rank", "2", ""),
    ("高新技術企業營業收入達到34萬億元", "高新技術企業營業收入", "at_least", "34", "萬億元"),
])
def test_it_reads_a_clause_as_a_measure_and_its_target(clause, name, kind, value, unit):
    statement = read_clause(clause)
    assert (statement.name, statement.target.kind.value, statement.target.value, statement.target.unit) == (
        name, kind, D(value), unit,
    )


def test_it_reads_a_range_target():
    statement = read_clause("着力打造25－30个国内一流、国际有影响的省临床医学研究中心")
    assert statement.name == "省临床医学研究中心"
    assert (statement.target.kind.value, statement.target.low, statement.target.high) == ("range", D(25), D(30))


def test_it_reads_the_earlier_value_of_a_rise():
    statement = read_clause("人均预期寿命从2015年的76.7岁,提高至78岁")
    assert (statement.name, statement.target.value, statement.baseline, statement.baseline_year) == (
        "人均预期寿命", D(78), D("76.7"), 2015,
    )


def test_it_reads_a_multiple_of_a_year_the_clause_names():
    statement = read_clause("通过《专利合作条约》(PCT)途径提交的专利申请量比2015年翻一番")
    assert (statement.target.kind.value, statement.target.value, statement.baseline_year) == ("multiple", D(2), 2015)
    assert statement.value_text == "比2015年翻一番"


@pytest.mark.parametrize("clause", [
    "取得一批有重大影响的科技成果", "比2010年增加3.5件", "是2010年的1.6倍", "到2020年", "科技综合实力保持全国前列",
])
def test_it_reads_nothing_measurable_from_goals_without_a_number(clause):
    assert read_clause(clause) is None


def test_it_keeps_verbs_that_carry_the_meaning_in_the_target_text():
    assert read_clause("技术合同成交额超过8000亿元").value_text == "超过8000亿元"
    assert read_clause("地区生产总值达到3.6万亿元").value_text == "3.6万亿元"


def test_it_splits_a_sentence_at_enumeration_commas_only_between_numbers():
    assert split_clauses("国家高新技术企业达到80家、省科技型中小企业达到260家、省级以上研发机构达到40家。") == [
        "国家高新技术企业达到80家", "省科技型中小企业达到260家", "省级以上研发机构达到40家",
    ]
    assert split_clauses("着力打造25－30个国内一流、国际有影响的省临床医学研究中心，建设30个左右实验区") == [
        "着力打造25－30个国内一流、国际有影响的省临床医学研究中心", "建设30个左右实验区",
    ]


def test_it_trims_connectors_and_adverbs_from_a_name():
    assert trim_name("——其中全市") == ""
    assert trim_name("力争全市科技进步贡献率") == "科技进步贡献率"


def test_it_finds_the_same_measure_under_different_names():
    assert similarity("全社会研发支出占地区生产总值比重（R&D/GDP）", "研发强度") == 1
    assert similarity("科技型中小企业总量", "全市科技型中小企业数量") >= 0.9
    assert similarity("科技小巨人领军企业", "科技企业上市挂牌") < 0.5


PLAN = """天津市科技创新
“十四五”规划

一、发展基础
2020年，全社会研发经费投入强度达到3.44%，国家高新技术企业达到7400家。技术合同成交额由2015年的539亿元增长到1100亿元。

二、发展目标
到2025年，全社会研发经费投入强度达到3.7%，高新技术企业数量达到1.2万家，技术合同成交额突破1800亿元，培育一批创新型领军企业。
"""


def test_it_proposes_the_goals_with_their_baselines_and_quotes():
    document = text_document(PLAN)
    parsed = parse_text(PLAN)
    proposed = {p.name: p for p in parsed.proposed}
    assert list(proposed) == ["全社会研发经费投入强度", "高新技术企业数量", "技术合同成交额"]
    rd = proposed["全社会研发经费投入强度"]
    assert (rd.target.value, rd.target_year, rd.baseline_value, rd.baseline_year) == (D("3.7"), 2025, D("3.44"), 2020)
    assert rd.quote == "全社会研发经费投入强度达到3.7%" and rd.baseline_quote == "全社会研发经费投入强度达到3.44%"
    contracts = proposed["技术合同成交额"]
    assert (contracts.target.kind.value, contracts.baseline_value, contracts.baseline_year) == ("above", D(1100), 2020)
    enterprises = proposed["高新技术企业数量"]
    assert enterprises.unit == "万家" and enterprises.baseline_value is None  # 7400家 is not in 万家
    text = document_text(document)
    assert all(p.quote in text and p.baseline_quote in text for p in parsed.proposed)


def test_it_does_not_propose_what_the_indicator_table_has():
    table = "\n主要指标\n序号\t指标\t单位\t2020年\t2025年\t属性\n1\t全社会研发经费投入强度\t%\t3.44\t3.7\t预期性\n"
    parsed = parse_text(PLAN + table)
    assert [i.name for i in parsed.indicators] == ["全社会研发经费投入强度"]
    assert "全社会研发经费投入强度" not in [p.name for p in parsed.proposed]


def test_it_accepts_proposals_by_name_or_index_numbered_after_the_table():
    parsed = parse_text(PLAN)
    accepted = accept_proposals(parsed, ["技术合同成交额", 0])
    assert [(i.number, i.name) for i in accepted.indicators] == [(1, "技术合同成交额"), (2, "全社会研发经费投入强度")]
    assert [p.name for p in accepted.proposed] == ["高新技术企业数量"]
    first = accepted.indicators[0]
    assert first.source_quote == "技术合同成交额突破1800亿元\n技术合同成交额由2015年的539亿元增长到1100亿元"
    assert first.line == parsed.proposed[2].line
    assert len(parsed.proposed) == 3  # the parsed plan given is left as it was


def test_it_refuses_to_accept_a_proposal_the_text_does_not_state():
    with pytest.raises(PlanImportError, match="没有读出名为“研发人员”"):
        accept_proposals(parse_text(PLAN), ["研发人员"])
    with pytest.raises(PlanImportError, match="没有第 9 个候选指标"):
        accept_proposals(parse_text(PLAN), [8])


TRADITIONAL_GOALS = """“十三五”科技創新的總體目標
一是自主創新能力全面提升。研究與試驗發展經費投入強度達到2.5%,規模以上工業企業研發經費支出與主營業務收入之比達到1.1%;每萬人口發明專利擁有量達到12件。
"""


def test_it_reads_a_goals_excerpt_in_traditional_characters_as_written():
    parsed = parse_text(TRADITIONAL_GOALS)
    assert [(p.name, p.target.text, p.target_year) for p in parsed.proposed] == [
        ("研究與試驗發展經費投入強度", "2.5%", 2020),
        ("規模以上工業企業研發經費支出與主營業務收入之比", "1.1%", 2020),
        ("每萬人口發明專利擁有量", "12件", 2020),
    ]


def test_it_reads_goals_announced_midway_through_a_report():
    report = ("深圳市科创委对外发布了《深圳国家高新区“十四五”发展规划》,提出到2025年,国家高新技术企业为7000家,"
              "技术合同成交额820亿元。")
    parsed = parse_text(report)
    assert parsed.title == "深圳国家高新区“十四五”发展规划"
    assert [(p.name, p.target_year) for p in parsed.proposed] == [("国家高新技术企业", 2025), ("技术合同成交额", 2025)]


def test_it_reads_the_goals_a_lead_sentence_opens_and_no_further():
    report = ("此规划发展目标是:到2020年,公共服务体系更加完善。其中人均预期寿命从2015年的76.7岁,提高至78岁。\n"
              "数据显示,建国初期我国人均预期寿命只有40岁左右,规划目标为74.5岁。\n")
    parsed = parse_text("重庆市社会事业发展“十三五”规划\n" + report)
    assert [(p.name, p.quote, p.baseline_value) for p in parsed.proposed] == [
        ("人均预期寿命", "人均预期寿命从2015年的76.7岁,提高至78岁", D("76.7")),
    ]


@pytest.mark.parametrize("clause", ["13个预期性指标中", "《纲要》明确了“十四五”发展6个方面具体目标", "营商环境便利度居全国第一方阵"])
def test_it_does_not_take_counts_of_goals_or_groupings_for_targets(clause):
    assert read_clause(clause) is None


@pytest.mark.parametrize("clause, expected", [
    ("高技术制造业、装备制造业增加值年均分别增长10.6%、7.9%",
     [("高技术制造业增加值", "年均增长10.6%", "growth", "10.6", "%"), ("装备制造业增加值", "7.9%", "growth", "7.9", "%")]),
    ("数字经济核心产业增加值、战略性新兴产业增加值占地区生产总值比重分别达到60%和30%",
     [("数字经济核心产业增加值占地区生产总值比重", "60%", "at_least", "60", "%"),
      ("战略性新兴产业增加值占地区生产总值比重", "30%", "at_least", "30", "%")]),
    ("规模以上工业企业研发机构覆盖率、高新技术企业数分别达到50%、1000家以上",
     [("规模以上工业企业研发机构覆盖率", "50%", "at_least", "50", "%"),
      ("高新技术企业数", "1000家以上", "at_least", "1000", "家")]),
    ("城乡居民人均可支配收入分别增长7%、8%左右",
     [("城镇居民人均可支配收入", "增长7%", "growth", "7", "%"), ("农村居民人均可支配收入", "8%左右", "growth", "8", "%")]),
])
def test_it_gives_each_item_of_a_distributive_target_its_own_value(clause, expected):
    text = f"某市“十四五”规划\n二、发展目标\n到2025年，{clause}。\n"
    proposed = parse_text(text).proposed
    got = [(p.name, p.target.text, p.target.kind.value, str(p.target.value), p.unit) for p in proposed]
    assert got == expected
    assert all(p.quote == clause and p.target_year == 2025 for p in proposed)


@pytest.mark.parametrize("clause", [
    "城乡居民收入分别提高",  # no values
    "研发投入、专利、论文分别达到3%和20件",  # three items, two values
])
def test_it_leaves_a_respectively_clause_it_cannot_pair_to_the_clause_reader(clause):
    from intake.parsing.clauses import distributed

    assert distributed(clause) is None
