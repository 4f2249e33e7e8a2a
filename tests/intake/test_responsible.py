"""The 责任单位 column: read into each indicator, matched to an existing organization at draft and
at publication, else kept as text with a flag the review page shows (in the page's language)."""
import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Organization
from indicators.models import Indicator
from intake import services
from intake.flag_text import flag_reason
from intake.parsing import parse_text
from intake.parsing.flags import MESSAGES
from intake.responsible import matched_unit
from tests.test_i18n import messages as po_messages

from .drafting import make_personas

UNITS = [(1, "某某区科学技术局", "区科技局"), (2, "某某区发展和改革委员会", "区发展改革委"),
         (3, "某某区教育局", ""), (4, "某某市教育局", "")]


@pytest.mark.parametrize("text, key", [
    ("某某区科学技术局", 1),  # the name
    ("区科技局", 1),  # the short name
    ("区科技局、区发展改革委", 1),  # a list: the lead unit first
    ("某某区发展和改革委员会（牵头）", 2),  # the name inside the cell
    ("某某区教育", 3),  # inside one name only
    ("教育局", None),  # inside two names: ambiguous
    ("区卫健委", None),  # no such unit
    ("", None),
])
def test_it_matches_a_responsible_text_to_one_unit_or_none(text, key):
    assert matched_unit(text, UNITS) == key


TABLE_PLAN = """某某区科技创新“十四五”规划

一、发展目标
序号\t指标\t单位\t2020年\t2025年\t属性\t责任单位
1\t研发经费投入强度\t%\t1.65\t2.2\t预期性\t区科技局
2\t高新技术企业数量\t家\t100\t200\t预期性\t区卫健委、区科技局
3\t技术合同成交额\t亿元\t10\t20\t预期性\t
"""


def test_it_reads_the_responsible_column_as_printed():
    indicators = parse_text(TABLE_PLAN).indicators
    assert [i.responsible for i in indicators] == ["区科技局", "区卫健委、区科技局", ""]


@pytest.fixture
def people(db):
    people = make_personas()
    people.science = Organization.objects.create(name="某某区科学技术局", short_name="区科技局")
    return people


def test_it_fills_the_organization_a_draft_row_names_and_flags_the_one_it_cannot(people):
    draft = services.draft_create(people.planner, text=TABLE_PLAN)
    first, second, third = draft.edits["rows"]
    assert (first["organization"], first["responsible_text"], first["flags"]) == ("某某区科学技术局", "区科技局", [])
    assert second["organization"] == ""
    assert [(f["field"], f["code"], f["params"]) for f in second["flags"]] == [
        ("organization", "responsible_unmatched", {"text": "区卫健委、区科技局"})]
    assert third["organization"] == "" and third["flags"] == []


def test_it_publishes_the_matched_unit_and_a_unit_created_since_the_draft(people):
    draft = services.draft_create(people.planner, text=TABLE_PLAN)
    health = Organization.objects.create(name="某某区卫生健康委员会", short_name="区卫健委")
    services.draft_publish(people.planner, draft)
    owners = dict(Indicator.objects.filter(plan__code=draft.edits["metadata"]["code"])
                  .values_list("number", "organization__name"))
    assert owners == {1: "某某区科学技术局", 2: health.name, 3: None}


def test_it_shows_the_responsible_text_and_its_flag_in_english(client, people):
    draft = services.draft_create(people.planner, text=TABLE_PLAN)
    client.force_login(people.planner)
    page = client.get(reverse("intake:draft_review", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Responsible unit in the table" in page and "区卫健委、区科技局" in page
    assert "matches no existing organization" in page
    chinese = client.get(reverse("intake:draft_review", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "没有对应的已有单位" in chinese.content.decode()


def test_every_flag_message_has_its_english(db):
    known = {entry["msgid"] for entry in po_messages()}
    assert set(MESSAGES.values()) <= known


def test_it_translates_a_parser_flag_and_keeps_the_chinese_for_the_command_line(db):
    flag = parse_text(TABLE_PLAN.replace("1.65\t2.2", "1.65\t—")).indicators[0].flags[0]
    assert (flag.code, dict(flag.params)) == ("no_target", {"header": "2025年"})
    assert flag.message == "没有目标值：2025年一栏为空"
    with translation.override("en"):
        assert flag_reason({"code": flag.code, "params": dict(flag.params), "message": flag.message}) == (
            "No target: the column 2025年 is empty")
        assert flag_reason({"field": "name", "message": "旧草稿的提示"}) == "旧草稿的提示"


def test_the_command_line_path_matches_the_responsible_units_too(people):
    plan = services.plan_import(parse_text(TABLE_PLAN), code="responsible-cli")
    owners = dict(plan.indicators.values_list("number", "organization__name"))
    assert owners == {1: "某某区科学技术局", 2: None, 3: None}
