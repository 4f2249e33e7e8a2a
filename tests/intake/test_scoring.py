"""The scoring helper on a tiny hand-made pair of dicts (runs without the intake app)."""
from tests.intake.scoring import score

ROW = {
    "number": 1, "name": "全社会研究与试验发展经费（R&D）支出占地区生产总值比重", "unit": "%",
    "category": "创新投入", "baseline_year": 2020, "baseline_value": "1.65", "target_year": 2025,
    "target_text": "2", "target_kind": "at_least", "target_value": "2", "target_low": None,
    "target_high": None, "attribute": "expected", "direction": "up", "aggregation": "level",
}
ROW2 = dict(ROW, number=2, name="单位地区生产总值能耗降低", unit="%", baseline_value=None,
            target_text="〔13.5〕", target_kind="cumulative", target_value="13.5",
            attribute="binding", direction="down", aggregation="cumulative")
PROPOSAL = {"name": "全社会研发经费投入强度", "unit": "%", "target_year": 2025,
            "target_text": "2.5%以上", "target_kind": "at_least", "target_value": "2.5",
            "baseline_year": 2020, "baseline_value": "1.65",
            "quote": "到2025年，全社会研发经费投入强度达到2.5%以上"}
TEXT = "二、发展目标\n到2025年，全社会研发经费投入强度达到2.5%以上，……"
EXPECTED = {
    "title": "某区科技创新“十四五”规划",
    "metadata": {"issuer": "某区人民政府", "document_number": None, "region": "某区",
                 "start_year": 2021, "end_year": 2025, "base_year": 2020},
    "indicators": [ROW, ROW2],
    "proposed": [PROPOSAL],
}


def test_identical_scores_everything_right():
    s = score(EXPECTED, EXPECTED, TEXT)
    assert s["rows_expected"] == s["rows_found"] == s["rows_all_right"] == 2
    assert s["fields_right"] == s["fields_expected"] == 30
    assert s["proposals_found"] == s["proposals_all_right"] == 1
    assert s["metadata_right"] == s["metadata_expected"] == 7
    assert s["differences"] == []


def test_numbers_compare_as_strings():
    actual = dict(EXPECTED, indicators=[dict(ROW, number="1", baseline_year="2020"), ROW2])
    assert score(EXPECTED, actual)["rows_all_right"] == 2


def test_wrong_field_missing_row_and_extra_row():
    wrong = dict(ROW2, target_kind="at_most", direction="up")
    extra = dict(ROW, number=9, name="多出来的指标")
    actual = {"title": "某区科技创新", "metadata": {"issuer": "某区人民政府"},
              "indicators": [extra, wrong], "proposed": []}
    s = score(EXPECTED, actual, TEXT)
    assert s["rows_found"] == 1 and s["rows_extra"] == 1 and s["rows_all_right"] == 0
    assert s["fields_right"] == 13 and s["fields_expected"] == 30
    assert s["proposals_found"] == 0
    assert s["metadata_right"] == 2  # issuer, and document_number (None == missing)
    joined = "\n".join(s["differences"])
    for fragment in ("全社会研究与试验发展经费（R&D）支出占地区生产总值比重: 没有读出",
                     "target_kind: 应为 'cumulative'，读为 'at_most'",
                     "多读出的行: 9 多出来的指标", "提议 全社会研发经费投入强度: 没有读出", "title:"):
        assert fragment in joined


def test_row_found_by_name_when_number_differs():
    actual = dict(EXPECTED, indicators=[dict(ROW, number=7), ROW2])
    s = score(EXPECTED, actual)
    assert s["rows_found"] == 2 and s["rows_all_right"] == 1
    assert any("number: 应为 '1'，读为 '7'" in d for d in s["differences"])


def test_proposal_quote_must_be_in_text_and_found_by_target():
    renamed = dict(PROPOSAL, name="研发经费投入强度", quote="不在原文里的一句")
    s = score(EXPECTED, dict(EXPECTED, proposed=[renamed]), TEXT)
    assert s["proposals_found"] == 1 and s["proposals_all_right"] == 0
    assert any("quote 不在原文中" in d for d in s["differences"])
    assert any("name: 应为" in d for d in s["differences"])


def test_same_name_two_years_and_whitespace():
    a = dict(PROPOSAL, name="失业率", target_year=2013, target_text="4.1%", quote="失业率为4.1%")
    b = dict(a, target_year=2016, target_text="3.9%", quote="失业率目标为3.9%")
    expected = {"title": "民国102年-105年  国家发展计画", "metadata": {}, "proposed": [a, b]}
    actual = {"title": "民国102年-105年 国家发展计画", "metadata": {}, "proposed": [b, a]}
    s = score(expected, actual)
    assert s["proposals_all_right"] == 2 and s["metadata_right"] == 7, s["differences"]
