"""A plan's text as printed: 专栏 tables as tables, boxes as boxes, the preamble without a heading."""
import re

import pytest

from plans.models import Plan, Section
from plans.section_text import text_blocks

BOX_BODY = "序号\t指标（单位）\t2020年\t2025年目标\t属性\n1\t技术合同交易额（亿元）\t20\t30\t预期性\n2\t雏鹰企业数量（家）\t40"


def test_it_splits_a_body_into_text_and_a_table():
    blocks = text_blocks("说明如下。\n" + BOX_BODY + "\n注：数据来源于统计局。")
    assert [block.is_table for block in blocks] == [False, True, False]
    table = blocks[1]
    assert table.header == ["序号", "指标（单位）", "2020年", "2025年目标", "属性"]
    assert table.rows == [["1", "技术合同交易额（亿元）", "20", "30", "预期性"], ["2", "雏鹰企业数量（家）", "40", "", ""]]
    assert blocks[2].text == "注：数据来源于统计局。"


def test_it_keeps_a_single_tabbed_line_as_text():
    assert [block.is_table for block in text_blocks("一行\t文字")] == [False]
    assert text_blocks("") == []


@pytest.mark.django_db
def test_the_plan_page_renders_the_box_table_and_a_preamble_without_heading(client):
    plan = Plan.objects.create(code="p-text", title="测试规划", start_year=2021, end_year=2025)
    Section.objects.create(plan=plan, kind="preamble", body="为深入实施创新驱动发展战略，编制本规划。", position=0)
    chapter = Section.objects.create(plan=plan, kind="chapter", label="一、", title="发展目标", position=1)
    Section.objects.create(
        plan=plan, parent=chapter, kind="box", label="专栏一", title="主要指标", body=BOX_BODY, position=2, depth=1
    )
    html = client.get(plan.get_absolute_url()).content.decode()
    text = html[html.index('class="card plan-text"'):]
    box = text[text.index('class="section depth-1 box"'):]
    assert '<table class="table plan-table">' in box
    assert "<th>2025年目标</th>" in box and "<td>技术合同交易额（亿元）</td>" in box
    summaries = re.findall(r"<summary>(.*?)</summary>", text, re.S)
    assert all(re.sub(r"<[^>]+>|\s", "", summary) for summary in summaries)  # no empty “▼” heading
    assert len(summaries) == 2
    assert "为深入实施创新驱动发展战略" in text
