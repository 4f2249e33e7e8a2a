"""The 导入规划 pages, as each persona: upload or paste, review and correct, publish, re-import."""
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Organization
from indicators.models import Indicator
from intake import services
from intake.models import PlanDraft
from plans.models import Plan
from projects.models import IndicatorValue

from .drafting import PLAN_TEXT, REVISED_TEXT, form_data, make_personas, with_proposal

pytestmark = pytest.mark.django_db
@pytest.fixture
def people():
    return make_personas()


@pytest.fixture
def draft(people):
    return services.draft_create(people.planner, text=PLAN_TEXT)


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


VIEW_URLS = [
    lambda d: reverse("intake:draft_list"),
    lambda d: reverse("intake:draft_new"),
    lambda d: reverse("intake:draft_review", args=[d.pk]),
    lambda d: reverse("intake:draft_publish", args=[d.pk]),
    lambda d: reverse("intake:target_preview") + "?text=达到2.5%25",
]


@pytest.mark.parametrize("url", VIEW_URLS)
@pytest.mark.parametrize("persona, status", [
    ("anonymous", "login"), ("outsider", 403), ("official", 403), ("reviewer", 403), ("planner", 200),
])
def test_it_lets_only_planners_in(client, people, draft, url, persona, status):
    response = as_user(client, getattr(people, persona)).get(url(draft))
    if status == "login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == status


@pytest.mark.parametrize("name", ["intake:draft_review", "intake:draft_publish", "intake:draft_discard"])
def test_it_shows_a_draft_only_to_its_author_and_superusers(client, people, draft, name):
    url = reverse(name, args=[draft.pk])
    assert as_user(client, people.other_planner).get(url).status_code in (403, 405)
    assert as_user(client, people.other_planner).post(url, form_data(draft)).status_code == 403
    if name != "intake:draft_discard":
        assert as_user(client, people.admin).get(url).status_code == 200
    draft.refresh_from_db()
    assert draft.is_open and draft.edits["rows"][0]["name"] == "研发经费投入强度"


def test_it_links_the_import_pages_for_planners_only(client, people):
    assert "导入规划" in as_user(client, people.planner).get(reverse("plans:plan_list")).text
    client.logout()
    assert "nav-intake" not in as_user(client, people.official).get(reverse("plans:plan_list")).text


def test_it_reads_an_upload_into_a_review_page(client, people):
    upload = SimpleUploadedFile("某某区规划.txt", PLAN_TEXT.encode("gb18030"), "text/plain")
    response = as_user(client, people.planner).post(reverse("intake:draft_new"), {"file": upload})
    draft = PlanDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    page = client.get(response["Location"]).text
    assert '<span class="line-no">11</span> 1\t研发经费投入强度\t%\t1.65\t2.2\t预期性' in page  # the source line
    assert '<span class="line-no">10</span> 序号\t指标' in page  # and its table's header
    assert 'value="某某区科技创新“十四五”规划"' in page
    assert "专栏一" in page and "GBK" in page  # the outline, the decoder's warning
    assert not Plan.objects.exists()


@pytest.mark.parametrize("payload, message", [
    ({"file": SimpleUploadedFile("empty.txt", b"")}, "请选择一个文件"),
    ({"file": SimpleUploadedFile("blank.txt", b"   \n")}, "文件为空"),
    ({"file": SimpleUploadedFile("binary.txt", bytes(range(256)) * 50)}, "不是文本文件"),
    ({"file": SimpleUploadedFile("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))}, "另存为 .docx"),
    ({"file": SimpleUploadedFile("big.txt", b"a" * (20 * 1024 * 1024 + 1))}, "超过 20 MB"),
    ({"text": "随便写的一段话，没有章节。"}, "没有识别出章节结构"),
    ({"text": "某规划\n\n一、总体要求\n坚持创新驱动。\n"}, "没有找到指标表格"),
    ({}, "请选择一个文件，或粘贴规划全文"),
    ({"text": PLAN_TEXT, "file": SimpleUploadedFile("plan.txt", PLAN_TEXT.encode())}, "不要同时提供"),
])
def test_it_tells_what_is_wrong_with_bad_input_and_writes_nothing(client, people, payload, message):
    response = as_user(client, people.planner).post(reverse("intake:draft_new"), payload)
    assert response.status_code == 200
    assert message in response.text
    assert not PlanDraft.objects.exists() and not Plan.objects.exists()


def test_it_saves_edits_and_resumes_the_draft(client, people, draft):
    client = as_user(client, people.planner)
    data = form_data(draft, **{"rows-2-target_text": "20亿元", "rows-2-organization": people.org.name,
                               "rows-3-number": "4", "rows-3-name": "新增指标", "rows-3-target_text": "50个",
                               "rows-1-DELETE": "on"})
    assert client.post(draft.get_absolute_url(), data).status_code == 302
    draft.refresh_from_db()
    assert [row["name"] for row in draft.edits["rows"]] == ["研发经费投入强度", "技术合同成交额", "新增指标"]
    assert draft.edits["rows"][1]["organization"] == people.org.name
    listing = client.get(reverse("intake:draft_list")).text
    assert draft.get_absolute_url() in listing and "草稿" in listing
    page = client.get(draft.get_absolute_url()).text
    assert 'value="20亿元"' in page and 'value="新增指标"' in page


@pytest.mark.parametrize("changes, message", [
    ({"rows-0-name": ""}, "第 1 行 · 指标：这个字段是必填项"),
    ({"rows-0-baseline_value": "一点六五"}, "输入一个数字"),
    ({"rows-1-number": "1"}, "第 2 行 · 序号：序号 1 与第 1 行重复"),
    ({"rows-0-target_year": "2019"}, "目标年不能早于基期年"),
    ({"rows-0-organization": "不存在的局"}, "没有名为“不存在的局”的责任单位"),
    ({"end_year": "2020", "start_year": "2021"}, "终止年不能早于起始年"),
    ({"code": "不是代码"}, "代码只能由字母、数字"),
])
def test_it_refuses_an_invalid_cell_saving_nothing(client, people, draft, changes, message):
    before = draft.edits
    response = as_user(client, people.planner).post(draft.get_absolute_url(), form_data(draft, **changes))
    assert response.status_code == 200
    assert message in response.text and "什么也没有保存" in response.text
    draft.refresh_from_db()
    assert draft.edits == before


def test_it_accepts_a_proposal_and_publishes_to_the_dashboard(client, people, draft):
    with_proposal(draft)
    client = as_user(client, people.planner)
    response = client.post(draft.get_absolute_url(), form_data(draft, action="accept:0", code="mou-14"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.edits["proposals"] == {"0": "accepted"} and len(draft.edits["rows"]) == 4
    response = client.post(draft.get_absolute_url(), form_data(draft, action="publish"))
    assert response["Location"] == reverse("intake:draft_publish", args=[draft.pk])
    assert "将发布 4 个指标" in client.get(response["Location"]).text
    assert not Plan.objects.exists()
    response = client.post(reverse("intake:draft_publish", args=[draft.pk]))
    assert response["Location"] == reverse("reports:plan_dashboard", args=["mou-14"])
    assert client.get(response["Location"]).status_code == 200
    assert Plan.objects.get().indicators.count() == 4
    assert client.get(draft.get_absolute_url()).status_code == 200  # a published draft stays readable
    assert client.post(draft.get_absolute_url(), form_data(draft)).status_code == 403


def test_it_shows_a_revision_s_changes_and_keeps_the_values(client, people):
    first = services.draft_create(people.planner, text=PLAN_TEXT)
    plan = services.draft_publish(people.planner, first).plan
    assert plan.region is not None
    Organization.objects.filter(users=people.planner).update(region=plan.region)  # the plan is in their region
    dropped = plan.indicators.get(number=3)
    IndicatorValue.objects.create(indicator=dropped, year=2021, value=Decimal("12"), state="approved")
    client = as_user(client, people.planner)
    upload = SimpleUploadedFile("revised.txt", REVISED_TEXT.encode(), "text/plain")
    response = client.post(reverse("intake:draft_new"), {"file": upload, "revises": plan.pk})
    draft = PlanDraft.objects.latest("pk")
    confirm = client.get(reverse("intake:draft_publish", args=[draft.pk])).text
    for shown in ("每万人发明专利拥有量", "国家高新技术企业数量", "已有填报数据而保留", "target-changed"):
        assert shown in confirm
    assert Indicator.objects.filter(plan=plan).count() == 3
    response = client.post(reverse("intake:draft_publish", args=[draft.pk]), follow=True)
    assert "技术合同成交额" in response.text  # the kept indicator is named
    assert Plan.objects.count() == 1
    assert IndicatorValue.objects.get().indicator_id == dropped.pk
    assert plan.indicators.count() == 4


def test_it_discards_a_draft(client, people, draft):
    response = as_user(client, people.planner).post(reverse("intake:draft_discard", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "discarded"
    assert client.post(reverse("intake:draft_discard", args=[draft.pk])).status_code == 403


def test_it_explains_a_target_as_it_is_typed(client, people):
    response = as_user(client, people.planner).get(
        reverse("intake:target_preview"), {"text": "25－30个", "unit": "个", "direction": "up"}
    )
    data = response.json()
    assert (data["kind"], data["low"], data["high"], data["label"]) == ("range", "25", "30", "区间")


def test_it_shows_the_review_page_in_constant_queries(client, people, django_assert_max_num_queries):
    client = as_user(client, people.planner)
    small = services.draft_create(people.planner, text=PLAN_TEXT)
    rows = "\n".join(f"{n}\t指标{n}\t家\t{n}\t{2 * n}\t预期性" for n in range(1, 61))
    big_text = PLAN_TEXT.replace("1\t研发经费投入强度\t%\t1.65\t2.2\t预期性\n", rows + "\n")
    big = services.draft_create(people.planner, text=big_text)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for draft in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(draft.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and len(big.edits["rows"]) > 60
