"""The publish service: a draft written through the same path as ``import_plan``, re-imports that
update the plan in place and keep every reported value."""
from decimal import Decimal
from types import SimpleNamespace

import pytest

from indicators.models import Indicator, TargetRevision
from intake import reimport, services
from intake.models import DraftStatus, PlanDraft
from intake.parsing import PlanImportError
from plans.models import Plan, Section
from projects.models import IndicatorValue

from .drafting import PLAN_TEXT, REVISED_TEXT, make_personas, with_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return make_personas()


def publish(people, text=PLAN_TEXT, revises=None, **edits):
    draft = services.draft_create(people.planner, data=text.encode(), filename="plan.txt", revises=revises)
    if edits:
        draft.edits = {**draft.edits, **edits}
        draft.save()
    return draft, services.draft_publish(people.planner, draft)


def test_it_keeps_an_upload_as_a_draft_with_its_parse(people, settings, tmp_path):
    settings.UPLOAD_STAGING_ROOT = tmp_path
    draft = services.draft_create(people.planner, data=PLAN_TEXT.encode(), filename="某某区规划.txt")
    assert (draft.file_format, draft.file_size, draft.status) == ("txt", len(PLAN_TEXT.encode()), "draft")
    assert (tmp_path / "intake" / draft.stored_name).read_bytes() == PLAN_TEXT.encode()
    assert [row["name"] for row in draft.edits["rows"]] == ["研发经费投入强度", "高新技术企业数量", "技术合同成交额"]
    assert draft.parsed["indicators"][0]["source"][1] == [11, "1\t研发经费投入强度\t%\t1.65\t2.2\t预期性"]
    assert draft.parsed["sections"][1]["body"].startswith("到2025年")
    assert draft.edits["metadata"]["title"] == "某某区科技创新“十四五”规划"
    assert draft.edits["metadata"]["kind"] == "five_year"
    assert not Plan.objects.exists()


@pytest.mark.parametrize("data, filename, message", [
    (b"", "plan.txt", "文件为空"),
    (b"\x00\x01\x02" * 100, "plan.txt", "不是文本文件"),
    (b"x" * (20 * 1024 * 1024 + 1), "plan.txt", "超过 20 MB"),
    ("一份没有标题结构的说明。".encode(), "plan.txt", "没有识别出章节结构"),
    ("某规划\n\n一、总体要求\n坚持创新驱动。\n".encode(), "plan.txt", "没有找到指标表格"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "plan.doc", "另存为 .docx"),
])
def test_it_refuses_bad_input_writing_nothing(people, data, filename, message):
    with pytest.raises(PlanImportError, match=message):
        services.draft_create(people.planner, data=data, filename=filename)
    assert not PlanDraft.objects.exists() and not Plan.objects.exists()


def test_it_publishes_a_draft_with_sections_and_edited_indicators(people):
    draft = services.draft_create(people.planner, text=PLAN_TEXT)
    rows = draft.edits["rows"]
    rows[2].update(target_text="20亿元", organization=people.org.name)
    metadata = {**draft.edits["metadata"], "code": "mou-14", "start_year": 2021, "end_year": 2025,
                "base_year": 2020, "region": "某某区", "region_level": "county", "document_number": "〔2021〕12号"}
    services.draft_save(draft, metadata, rows)
    outcome = services.draft_publish(people.planner, draft)
    plan = Plan.objects.get(code="mou-14")
    assert outcome.created and outcome.plan == plan
    assert (plan.start_year, plan.end_year, plan.region.name, plan.document_number) == (2021, 2025, "某某区", "〔2021〕12号")
    assert plan.sections.count() == Section.objects.count() > 3
    third = plan.indicators.get(number=3)
    assert (third.target_kind, third.target_value, third.organization) == ("at_least", Decimal("20"), people.org)
    assert plan.indicators.get(number=1).section.label == "专栏一"
    draft.refresh_from_db()
    assert (draft.status, draft.plan) == (DraftStatus.PUBLISHED, plan)


def test_it_publishes_once(people):
    draft, _ = publish(people)
    with pytest.raises(services.DraftError, match="已发布"):
        services.draft_publish(people.planner, draft)
    assert Plan.objects.count() == 1


def test_it_refuses_a_new_plan_whose_code_is_taken(people):
    first, outcome = publish(people)
    draft = services.draft_create(people.planner, text=PLAN_TEXT)
    draft.edits["metadata"]["code"] = outcome.plan.code
    draft.save()
    with pytest.raises(services.DraftError, match="已被使用"):
        services.draft_publish(people.planner, draft)
    assert Plan.objects.count() == 1 and Indicator.objects.count() == 3


def test_it_turns_an_accepted_proposal_into_an_indicator_with_its_quote(people):
    draft = with_proposal(services.draft_create(people.planner, text=PLAN_TEXT))
    services.draft_decide(draft, 0, accept=True)
    with pytest.raises(services.DraftError):
        services.draft_decide(draft, 0, accept=False)
    outcome = services.draft_publish(people.planner, draft)
    prose = outcome.plan.indicators.get(number=4)
    assert (prose.name, prose.target_kind, prose.target_value) == ("研发经费投入强度（全区）", "at_least", Decimal("2.5"))
    assert prose.source_quote == "到2025年，全区研发经费投入强度达到2.5%以上。"


def test_it_leaves_a_discarded_proposal_out(people):
    draft = with_proposal(services.draft_create(people.planner, text=PLAN_TEXT))
    services.draft_decide(draft, 0, accept=False)
    assert services.draft_publish(people.planner, draft).plan.indicators.count() == 3


def revision_world(people):
    """A published plan with an approved value on indicator 1, a value on 3 and a revision of 2."""
    _, outcome = publish(people)
    plan = outcome.plan
    first, second, third = plan.indicators.order_by("number")
    approved = IndicatorValue.objects.create(indicator=first, year=2021, value=Decimal("1.7"), state="approved")
    IndicatorValue.objects.create(indicator=third, year=2021, value=Decimal("12"), state="submitted")
    TargetRevision.objects.create(indicator=second, document="调整〔2023〕1号", revised_on="2023-06-30",
                                  reason="中期评估", old_target_text="200", new_target_text="220")
    return SimpleNamespace(plan=plan, first=first, second=second, third=third, approved=approved)


def test_it_shows_what_a_revision_changes_before_writing(people):
    world = revision_world(people)
    draft = services.draft_create(people.planner, text=REVISED_TEXT, revises=world.plan)
    before = list(Indicator.objects.order_by("pk").values_list())
    diff = services.draft_preview(draft)
    assert list(Indicator.objects.order_by("pk").values_list()) == before
    assert [i.name for i in diff.added] == ["每万人发明专利拥有量"]
    assert [i.name for i in diff.kept] == ["技术合同成交额"] and diff.removed == []
    (changed,) = diff.changed
    assert changed.old.pk == world.second.pk
    assert {c.field for c in changed.changes} == {"name", "target"}
    assert diff.targets_changed == [changed]
    assert draft.edits["metadata"]["code"] == world.plan.code


def test_it_updates_the_plan_in_place_keeping_values_and_revisions(people):
    world = revision_world(people)
    _, outcome = publish(people, REVISED_TEXT, revises=world.plan)
    assert Plan.objects.count() == 1 and outcome.plan.pk == world.plan.pk and not outcome.created
    approved = IndicatorValue.objects.get(pk=world.approved.pk)
    assert (approved.indicator_id, approved.state, approved.history.count()) == (world.first.pk, "approved", 1)
    second = Indicator.objects.get(pk=world.second.pk)
    assert (second.name, second.target_value, second.revisions.count()) == ("国家高新技术企业数量", Decimal("250"), 1)
    assert second.history.first().name == "国家高新技术企业数量"  # the change is in the history
    kept = Indicator.objects.get(pk=world.third.pk)
    assert kept.values.count() == 1 and kept.section is None
    assert sorted(world.plan.indicators.values_list("number", "name")) == [
        (1, "研发经费投入强度"), (2, "国家高新技术企业数量"), (3, "技术合同成交额"), (4, "每万人发明专利拥有量")
    ]
    assert [i.pk for i in outcome.diff.kept] == [world.third.pk]


def test_it_deletes_a_dropped_indicator_nothing_was_reported_for(people):
    _, outcome = publish(people)
    _, second = publish(people, REVISED_TEXT, revises=outcome.plan)
    assert [i.name for i in second.diff.removed] == ["技术合同成交额"]
    assert not Indicator.objects.filter(name="技术合同成交额").exists()


def test_it_gives_a_kept_indicator_a_free_number_when_a_new_one_takes_its_own(people):
    world = revision_world(people)
    text = PLAN_TEXT.replace("2\t高新技术企业数量", "3\t高新技术企业数量").replace(
        "3\t技术合同成交额\t亿元\t10\t大幅提高", "2\t每万人发明专利拥有量\t件\t5\t10")
    _, outcome = publish(people, text, revises=world.plan)
    assert [i.pk for i in outcome.diff.kept] == [world.third.pk]
    assert Indicator.objects.get(pk=world.third.pk).number == 4
    assert Indicator.objects.get(pk=world.second.pk).number == 3
    assert world.plan.indicators.get(number=2).name == "每万人发明专利拥有量"


def test_it_rolls_a_failed_revision_back_entirely(people, monkeypatch):
    world = revision_world(people)
    before = list(Indicator.objects.order_by("pk").values_list("pk", "name", "number"))
    draft = services.draft_create(people.planner, text=REVISED_TEXT, revises=world.plan)
    monkeypatch.setattr(services, "_write_projects", lambda plan, projects: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.draft_publish(people.planner, draft)
    assert list(Indicator.objects.order_by("pk").values_list("pk", "name", "number")) == before
    draft.refresh_from_db()
    assert draft.is_open and world.plan.sections.count() > 3


def test_it_matches_by_number_and_name_then_name_then_number():
    old = [SimpleNamespace(number=1, name="A", pk=1), SimpleNamespace(number=2, name="B", pk=2),
           SimpleNamespace(number=3, name="C", pk=3)]
    new = [SimpleNamespace(number=1, name="B"), SimpleNamespace(number=2, name="A"),
           SimpleNamespace(number=3, name="D"), SimpleNamespace(number=4, name="E")]
    pairs, added, unmatched = reimport.match(old, new)
    assert [(o.pk, n.name) for o, n in pairs] == [(2, "B"), (1, "A"), (3, "D")]
    assert [n.name for n in added] == ["E"] and unmatched == []


def test_it_keeps_the_parser_s_target_until_the_planner_retypes_it():
    from intake.drafts import row_target

    row = {"target_text": "〔13.5〕", "unit": "%", "direction": "up",
           "parsed_target": {"target_kind": "cumulative", "target_value": "13.5", "target_low": None,
                             "target_high": None, "text": "〔13.5〕", "unit": "%"}}
    assert (row_target(row).kind.value, row_target(row).value) == ("cumulative", Decimal("13.5"))
    retyped = row_target({**row, "target_text": "25－30"})
    assert (retyped.kind.value, retyped.low, retyped.high) == ("range", Decimal("25"), Decimal("30"))


def test_it_resolves_a_flag_once_its_cell_changes():
    from intake.drafts import initial_rows, open_flags

    data = {"indicators": [{"number": 3, "name": "技术合同成交额", "target_text": "", "unit": "亿元",
                            "flags": [{"field": "target", "message": "没有目标值：2025年一栏为空"}]}]}
    (row,) = initial_rows(data)
    assert open_flags(row) == [{"field": "target_text", "message": "没有目标值：2025年一栏为空", "code": "",
                                "params": {}, "value": ""}]
    assert open_flags({**row, "target_text": "20亿元"}) == []


def test_it_publishes_nothing_without_an_indicator(people):
    draft = with_proposal(services.draft_create(people.planner, text=PLAN_TEXT))
    services.draft_save(draft, draft.edits["metadata"], [])
    with pytest.raises(services.DraftError, match="没有可发布的指标"):
        services.draft_publish(people.planner, draft)
    services.draft_decide(draft, 0, accept=True)
    assert services.draft_publish(people.planner, draft).plan.indicators.count() == 1


def test_it_gives_every_published_indicator_a_first_history_record_naming_the_planner(people):
    _draft, outcome = publish(people)
    indicators = list(outcome.plan.indicators.all())
    assert indicators
    for indicator in indicators:
        assert [(h.history_type, h.history_user) for h in indicator.history.all()] == [("+", people.planner)]
