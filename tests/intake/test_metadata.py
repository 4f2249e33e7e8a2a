"""Plan metadata read from the text: issuer, document number, region, date, period, base year."""
import pytest

from intake.parsing import parse_text
from intake.parsing.metadata import (
    find_document_number, find_issued_on, find_issuer, find_period, find_region, read_metadata,
)


@pytest.mark.parametrize("line, number", [
    ("深府办〔2012〕53 号", "深府办〔2012〕53号"),
    ("津政办发[2021]12号", "津政办发〔2021〕12号"),
    ("鲁政发【2021】5号", "鲁政发【2021】5号"),
    ("文号：咸政发（2023）8号", "咸政发（2023）8号"),
])
def test_it_reads_a_document_number_standing_on_its_line(line, number):
    assert find_document_number(["", line]) == number


def test_it_ignores_a_document_number_cited_in_a_sentence():
    cited = "为贯彻落实科技部《关于加快发展民生科技的意见》（国科发社〔2011〕279号），加强民生科技工作，制定本意见。"
    assert find_document_number([cited]) == ""


@pytest.mark.parametrize("line, issuer", [
    ("天津市人民政府办公厅关于印发天津市科技创新“十四五”规划的通知", "天津市人民政府办公厅"),
    ("深圳市人民政府办公厅 2012 年 11 月 2 日印发", "深圳市人民政府办公厅"),
    ("发文机关：江苏省科学技术厅", "江苏省科学技术厅"),
    ("咸阳市人民政府", "咸阳市人民政府"),
])
def test_it_reads_the_issuing_office(line, issuer):
    assert find_issuer([line]) == issuer


@pytest.mark.parametrize("line, date", [
    ("深圳市人民政府办公厅 2012 年 11 月 2 日印发", "2012-11-02"),
    ("2023年2月21日", "2023-02-21"),
    ("二○一二年十一月二日", "2012-11-02"),
    ("二〇二一年十二月三十日", "2021-12-30"),
])
def test_it_reads_the_date_of_issue(line, date):
    assert find_issued_on([line]) == date


@pytest.mark.parametrize("title, period", [
    ("天津市科技创新“十三五”规划", (2016, 2020)),
    ("蓟州区科技创新“十四五”规划", (2021, 2025)),
    ("某市科技创新“十五五”规划", (2026, 2030)),
    ("山东省国民经济和社会发展第十四个五年规划和2035年远景目标纲要", (2021, 2025)),
    ("江苏省科技创新规划（2021—2025年）", (2021, 2025)),
    ("国家中长期科学和技术发展规划纲要(2006-2020年)", (2006, 2020)),
    ("咸阳市2023年国民经济和社会发展计划", (2023, 2023)),
    ("关于加快发展民生科技的若干措施", (None, None)),
])
def test_it_reads_the_period_from_the_title(title, period):
    assert find_period(title, []) == period


def test_it_reads_the_period_from_the_text_when_the_title_has_none():
    assert find_period("某区科技创新规划", ["本规划期限为2021—2025年，展望到2035年。"]) == (2021, 2025)


@pytest.mark.parametrize("title, issuer, region", [
    ("天津市科技创新“十三五”规划", "", "天津市"),
    ("蓟州区科技创新“十四五”规划", "天津市蓟州区人民政府", "蓟州区"),
    ("关于加快发展民生科技的若干措施", "深圳市人民政府办公厅", "深圳市"),
    ("广东省深圳市科技规划", "", "深圳市"),
    ("关于推动城市更新的意见", "", ""),
])
def test_it_reads_the_most_specific_region_named(title, issuer, region):
    assert find_region(title, issuer) == region


def test_it_takes_the_base_year_the_text_states_or_the_year_before_the_period():
    assert read_metadata("某市“十四五”规划", ["本规划以2019年为基期。"]).base_year == 2019
    assert read_metadata("某市“十四五”规划", []).base_year == 2020


def test_it_keeps_traditional_characters_as_written():
    metadata = read_metadata("懷化市貫徹落實若干政策措施實施方案", ["懷政辦發〔2023〕9號"])
    assert (metadata.document_number, metadata.region) == ("懷政辦發〔2023〕9號", "懷化市")


def test_it_reads_the_metadata_of_a_notice_with_its_plan():
    notice = "\n".join([
        "咸阳市人民政府关于印发《咸阳市2023年国民经济和社会发展计划》的通知", "", "咸政发〔2023〕8号", "",
        "咸阳市人民政府", "2023年2月21日", "", "咸阳市2023年国民经济和社会发展计划", "",
        "主要预期目标是:生产总值增长6%左右,粮食产量保持在180万吨以上。",
    ])
    parsed = parse_text(notice)
    assert parsed.title == "咸阳市2023年国民经济和社会发展计划"
    meta = parsed.metadata
    assert (meta.issuer, meta.document_number, meta.region, meta.issued_on) == (
        "咸阳市人民政府", "咸政发〔2023〕8号", "咸阳市", "2023-02-21",
    )
    assert (meta.start_year, meta.end_year, meta.base_year) == (2023, 2023, 2022)
    assert [(p.name, p.target_year) for p in parsed.proposed] == [("生产总值", 2023), ("粮食产量", 2023)]
