"""Views: every persona on every view that changes data, validation messages, stale pages, locks."""
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.numbers import number_text
from accounts.choices import Role
from projects import services
from projects.choices import State
from projects.models import IndicatorValue, ProjectProgress, ReportingYear

from .factories import (
    make_indicator, make_jizhou, make_organization, make_plan, make_progress, make_user, make_value,
)

pytestmark = pytest.mark.django_db
PERSONAS = ["official", "reviewer", "planner", "outsider", "other_official"]


def entry_url(world, name="projects:value_entry", org=None):
    return reverse(name, args=[world.plan.code, world.year, (org or world.org).pk])


def entry_data(world, rows, action="save"):
    """POST data for the entry page: every indicator of the organization, with stored versions."""
    data = {"action": action}
    for indicator in (world.share, world.count, world.rank):
        current = IndicatorValue.objects.filter(indicator=indicator, year=world.year).first()
        fields = {"value": "", "source": "", "vintage": "preliminary", "note": "", "version": 0}
        if current:
            fields.update(value=number_text(current.value), source=current.source, note=current.note,
                          vintage=current.vintage, version=current.version)
        fields.update(rows.get(indicator, {}))
        data.update({f"v{indicator.pk}-{k}": v for k, v in fields.items()})
    return data


def login(client, user):
    client.force_login(user)
    return client


# Entry page: reads ----------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [
    ("official", 200), ("reviewer", 200), ("planner", 200), ("outsider", 403), ("other_official", 403),
])
def test_it_shows_the_entry_page_only_inside_the_organization(client, world, persona, status):
    make_value(world.share, world.year, "1.8", State.DRAFT)
    response = login(client, getattr(world, persona)).get(entry_url(world))
    assert response.status_code == status
    if status == 200:
        assert "R&amp;D经费投入强度" in response.content.decode()


def test_it_sends_anonymous_users_to_login(client, world):
    response = client.get(entry_url(world))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("args", [("nope", 2023), ("jizhou-14-sti", 2030)])
def test_it_answers_404_for_unknown_plans_and_years(client, world, args):
    url = reverse("projects:value_entry", args=[*args, world.org.pk])
    assert login(client, world.official).get(url).status_code == 404
    assert login(client, world.official).get(reverse("projects:value_entry", args=[world.plan.code, 2023, 999999])).status_code == 404


def test_it_shows_unit_baseline_target_prior_values_and_state(client, world):
    make_value(world.share, 2021, "1.70", State.APPROVED)
    make_value(world.share, 2022, "1.75", State.SUBMITTED)  # not approved: not shown as a prior value
    make_value(world.share, world.year, "1.80", State.RETURNED, return_reason="请注明数据来源")
    html = login(client, world.official).get(entry_url(world)).content.decode()
    assert "1.65" in html and "2.0%" in html and "1.7<" in html and "1.75" not in html
    assert "state-returned" in html and "请注明数据来源" in html
    assert 'name="v%d-version"' % world.share.pk in html
    assert "保存草稿" in html and "提交审核" in html


def test_it_shows_the_page_read_only_to_reviewers(client, world):
    html = login(client, world.reviewer).get(entry_url(world)).content.decode()
    assert "本页只读" in html and "提交审核" not in html and "disabled" in html


# Entry page: writes ---------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [
    ("official", 302), ("reviewer", 403), ("planner", 403), ("outsider", 403), ("other_official", 403),
])
def test_it_lets_only_the_organizations_officials_save(client, world, persona, status):
    data = entry_data(world, {world.share: {"value": "1.8"}})
    response = login(client, getattr(world, persona)).post(entry_url(world), data)
    assert response.status_code == status
    assert IndicatorValue.objects.filter(indicator=world.share).exists() is (status == 302)


def test_it_saves_drafts_with_source_vintage_and_note(client, world):
    data = entry_data(world, {world.share: {"value": "１．８", "source": "统计公报", "vintage": "verified", "note": "初值"},
                              world.count: {"value": "1,234"}})
    response = login(client, world.official).post(entry_url(world), data, follow=True)
    assert "已保存草稿 2 条" in response.content.decode()
    share = IndicatorValue.objects.get(indicator=world.share)
    assert (share.value, share.source, share.vintage, share.note, share.state) == (
        Decimal("1.8"), "统计公报", "verified", "初值", State.DRAFT,
    )
    assert IndicatorValue.objects.get(indicator=world.count).value == Decimal("1234")


def test_it_submits_every_filled_row(client, world):
    make_value(world.count, world.year, "120", State.DRAFT)
    data = entry_data(world, {world.share: {"value": "1.8"}}, action="submit")
    response = login(client, world.official).post(entry_url(world), data)
    assert response.status_code == 302
    assert set(IndicatorValue.objects.values_list("state", flat=True)) == {State.SUBMITTED}
    assert IndicatorValue.objects.count() == 2


@pytest.mark.parametrize(("row", "field", "message"), [
    ({"value": "abc"}, "value", "不是有效的数值"),
    ({"value": "1.8%"}, "value", "不是百分比"),
])
def test_it_puts_format_errors_on_the_field_and_writes_nothing(client, world, row, field, message):
    data = entry_data(world, {world.share: {"value": "1.8"}, world.count: row})
    response = login(client, world.official).post(entry_url(world), data)
    assert response.status_code == 200
    form = next(r.form for r in response.context["rows"] if r.indicator == world.count)
    assert message in form.errors[field][0]
    assert message in response.content.decode()
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(("indicator", "row", "field", "message"), [
    ("share", {"value": "150"}, "value", "0 到 100"),
    ("rank", {"value": "2.5"}, "value", "位次应为正整数"),
    ("count", {"value": "900"}, "note", "请在说明中写明原因"),
])
def test_it_checks_every_row_before_submitting(client, world, indicator, row, field, message):
    data = entry_data(world, {world.share: {"value": "1.8"}, getattr(world, indicator): row}, action="submit")
    response = login(client, world.official).post(entry_url(world), data)
    form = next(r.form for r in response.context["rows"] if r.indicator == getattr(world, indicator))
    assert message in form.errors[field][0]
    assert not IndicatorValue.objects.exists()


def test_it_saves_as_draft_what_it_would_not_submit(client, world):
    data = entry_data(world, {world.count: {"value": "900"}})
    assert login(client, world.official).post(entry_url(world), data).status_code == 302
    assert IndicatorValue.objects.get().state == State.DRAFT


def test_it_shows_both_values_when_the_page_was_stale(client, world):
    login(client, world.official)
    stale = entry_data(world, {world.share: {"value": "2.1"}})  # loaded when there was no value
    services.value_save(world.official, world.share, world.year,
                        value=Decimal("1.9"), expected_version=0)
    response = client.post(entry_url(world), stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert "该数值已被 official 于" in html and "修改为 1.9" in html and "你提交的是 2.1" in html
    assert IndicatorValue.objects.get().value == Decimal("1.9")
    # the re-rendered row carries the stored version: saving again is a deliberate choice
    assert f'name="v{world.share.pk}-version" value="1"' in html
    again = client.post(entry_url(world), {**stale, f"v{world.share.pk}-version": "1"})
    assert again.status_code == 302 and IndicatorValue.objects.get().value == Decimal("2.1")


def test_it_refuses_changes_to_a_row_submitted_meanwhile(client, world):
    value = make_value(world.share, world.year, "1.8", State.DRAFT)
    stale = entry_data(world, {world.share: {"value": "2.0"}})
    services.value_submit(world.official, value)
    response = login(client, world.official).post(entry_url(world), stale)
    assert response.status_code == 200 and "你提交的是 2.0" in response.content.decode()
    value.refresh_from_db()
    assert (value.value, value.state) == (Decimal("1.8"), State.SUBMITTED)


def test_it_lets_officials_correct_and_resubmit_a_returned_value(client, world):
    value = make_value(world.share, world.year, "1.8", State.SUBMITTED)
    services.value_return(world.reviewer, value, "与公报不符")
    login(client, world.official)
    assert "与公报不符" in client.get(entry_url(world)).content.decode()
    data = entry_data(world, {world.share: {"value": "1.85", "note": "按公报更正"}}, action="submit")
    assert client.post(entry_url(world), data).status_code == 302
    value.refresh_from_db()
    assert (value.value, value.state, value.note) == (Decimal("1.85"), State.SUBMITTED, "按公报更正")


def test_it_disables_the_form_of_a_locked_year_and_refuses_posts(client, world):
    services.year_lock(world.planner, world.plan, world.year)
    login(client, world.official)
    html = client.get(entry_url(world)).content.decode()
    assert "锁定" in html and "规划人员或管理员" in html and "提交审核" not in html
    response = client.post(entry_url(world), entry_data(world, {world.share: {"value": "1.8"}}), follow=True)
    assert "规划人员或管理员解锁" in response.content.decode()
    assert not IndicatorValue.objects.exists()


# Progress page --------------------------------------------------------------------------------


def progress_data(world, **fields):
    base = {"status": "in_progress", "narrative": "主体完工", "investment": "1,200", "note": "", "version": 0}
    return {"action": fields.pop("action", "save"), **{f"p{world.project.pk}-{k}": v for k, v in {**base, **fields}.items()}}


@pytest.mark.parametrize(("persona", "status"), [
    ("official", 302), ("reviewer", 403), ("planner", 403), ("outsider", 403), ("other_official", 403),
])
def test_it_lets_only_officials_save_progress(client, world, persona, status):
    url = entry_url(world, "projects:progress_entry")
    response = login(client, getattr(world, persona)).post(url, progress_data(world))
    assert response.status_code == status
    assert ProjectProgress.objects.exists() is (status == 302)


def test_it_saves_progress_with_an_attachment_and_serves_it_inside_the_organization(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = entry_url(world, "projects:progress_entry")
    data = progress_data(world, action="submit")
    data[f"p{world.project.pk}-attachment"] = SimpleUploadedFile("进展.pdf", b"%PDF-1.4 test", "application/pdf")
    assert login(client, world.official).post(url, data).status_code == 302
    progress = ProjectProgress.objects.get()
    assert (progress.state, progress.investment) == (State.SUBMITTED, Decimal("1200"))
    download = reverse("projects:progress_attachment", args=[progress.pk])
    assert client.get(download).status_code == 200
    assert login(client, world.outsider).get(download).status_code == 403


@pytest.mark.parametrize(("name", "size", "message"), [
    ("a.exe", 10, "附件只能是"),
    ("big.pdf", 10 * 1024 * 1024 + 1, "不能超过 10 MB"),
])
def test_it_refuses_bad_attachments(client, world, settings, tmp_path, name, size, message):
    settings.MEDIA_ROOT = tmp_path
    data = progress_data(world)
    data[f"p{world.project.pk}-attachment"] = SimpleUploadedFile(name, b"x" * size)
    response = login(client, world.official).post(entry_url(world, "projects:progress_entry"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ProjectProgress.objects.exists()


def test_it_wants_a_reason_when_a_project_is_delayed(client, world):
    data = progress_data(world, status="delayed", narrative="", action="submit")
    response = login(client, world.official).post(entry_url(world, "projects:progress_entry"), data)
    assert "说明原因" in response.content.decode() and not ProjectProgress.objects.exists()


# Review ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [
    ("official", 403), ("reviewer", 200), ("planner", 403), ("outsider", 403), ("other_official", 403),
])
def test_it_shows_the_review_queue_to_reviewers(client, world, persona, status):
    make_value(world.share, 2022, "1.7", State.APPROVED)
    make_value(world.share, world.year, "1.9", State.SUBMITTED)
    make_value(world.foreign, world.year, "12", State.SUBMITTED)
    response = login(client, getattr(world, persona)).get(reverse("projects:review_queue"))
    assert response.status_code == status
    if status == 200:
        rows = response.context["values"]
        assert [r.record.indicator for r in rows] == [world.share]
        assert (rows[0].previous_shown, rows[0].change_shown, rows[0].change_percent) == ("1.7", "+0.2", "+11.8%")


REVIEW_STEPS = [
    ("projects:value_approve", {}, State.APPROVED),
    ("projects:value_return", {"reason": "数据偏高"}, State.RETURNED),
]


@pytest.mark.parametrize(("name", "data", "new_state"), REVIEW_STEPS)
@pytest.mark.parametrize(("persona", "status"), [
    ("official", 403), ("reviewer", 302), ("planner", 403), ("outsider", 403), ("other_official", 403),
])
def test_it_lets_only_reviewers_approve_or_return_values(client, world, name, data, new_state, persona, status):
    value = make_value(world.share, world.year, "1.8", State.SUBMITTED)
    response = login(client, getattr(world, persona)).post(reverse(name, args=[value.pk]), data)
    assert response.status_code == status
    value.refresh_from_db()
    assert value.state == (new_state if status == 302 else State.SUBMITTED)


@pytest.mark.parametrize(("name", "data", "new_state"), [
    ("projects:progress_approve", {}, State.APPROVED),
    ("projects:progress_return", {"reason": "缺附件"}, State.RETURNED),
])
@pytest.mark.parametrize(("persona", "status"), [
    ("official", 403), ("reviewer", 302), ("planner", 403), ("outsider", 403), ("other_official", 403),
])
def test_it_lets_only_reviewers_approve_or_return_progress(client, world, name, data, new_state, persona, status):
    progress = make_progress(world.project, world.year, state=State.SUBMITTED)
    response = login(client, getattr(world, persona)).post(reverse(name, args=[progress.pk]), data)
    assert response.status_code == status
    progress.refresh_from_db()
    assert progress.state == (new_state if status == 302 else State.SUBMITTED)


def test_it_refuses_get_on_review_steps(client, world):
    value = make_value(world.share, world.year, "1.8", State.SUBMITTED)
    assert login(client, world.reviewer).get(reverse("projects:value_approve", args=[value.pk])).status_code == 405


def test_it_requires_a_reason_to_return(client, world):
    value = make_value(world.share, world.year, "1.8", State.SUBMITTED)
    response = login(client, world.reviewer).post(
        reverse("projects:value_return", args=[value.pk]), {"reason": "  "}, follow=True
    )
    assert "退回时必须填写理由" in response.content.decode()
    value.refresh_from_db()
    assert value.state == State.SUBMITTED


def test_it_refuses_an_approval_from_a_stale_queue(client, world):
    value = make_value(world.share, world.year, "1.8", State.SUBMITTED)
    services.value_return(world.reviewer, value, "x")
    response = login(client, world.reviewer).post(
        reverse("projects:value_approve", args=[value.pk]), {"version": "1"}, follow=True
    )
    assert "该数值已被 reviewer" in response.content.decode()
    value.refresh_from_db()
    assert value.state == State.RETURNED


@pytest.mark.parametrize(("persona", "status"), [
    ("official", 403), ("reviewer", 302), ("planner", 403), ("outsider", 403), ("other_official", 403),
])
def test_it_approves_all_selected(client, world, persona, status):
    first = make_value(world.share, world.year, "1.8", State.SUBMITTED)
    second = make_value(world.count, world.year, "120", State.SUBMITTED)
    progress = make_progress(world.project, world.year, state=State.SUBMITTED)
    data = {"values": [first.pk, second.pk], "progress": [progress.pk],
            f"version-v{first.pk}": 1, f"version-v{second.pk}": 1, f"version-p{progress.pk}": 1}
    response = login(client, getattr(world, persona)).post(reverse("projects:review_queue"), data)
    assert response.status_code == status
    expected = State.APPROVED if status == 302 else State.SUBMITTED
    assert set(IndicatorValue.objects.values_list("state", flat=True)) == {expected}
    progress.refresh_from_db()
    assert progress.state == expected


def test_it_does_not_approve_values_of_other_organizations_in_bulk(client, world):
    foreign = make_value(world.foreign, world.year, "12", State.SUBMITTED)
    response = login(client, world.reviewer).post(reverse("projects:review_queue"), {"values": [foreign.pk]})
    assert response.status_code == 403
    foreign.refresh_from_db()
    assert foreign.state == State.SUBMITTED


# Year lock and completeness -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["projects:year_lock", "projects:year_unlock"])
@pytest.mark.parametrize(("persona", "status"), [
    ("official", 403), ("reviewer", 403), ("planner", 302), ("outsider", 403), ("other_official", 403),
])
def test_it_lets_only_planners_lock_and_unlock(client, world, name, persona, status):
    if name == "projects:year_unlock":
        services.year_lock(world.planner, world.plan, world.year)
    data = {"confirm": "lock"} if name == "projects:year_lock" else {}
    response = login(client, getattr(world, persona)).post(reverse(name, args=[world.plan.code, world.year]), data)
    assert response.status_code == status
    locked = ReportingYear.objects.filter(plan=world.plan, year=world.year, is_locked=True).exists()
    assert locked is ((name == "projects:year_lock") == (status == 302))


def test_it_lets_admins_lock_years(client, world):
    admin = make_user("admin", world.org, Role.ADMIN)
    response = login(client, admin).post(reverse("projects:year_lock", args=[world.plan.code, world.year]),
                                         {"confirm": "lock"})
    assert response.status_code == 302


@pytest.mark.parametrize(("persona", "status"), [
    ("official", 403), ("reviewer", 403), ("planner", 200), ("outsider", 403), ("other_official", 403),
])
def test_it_shows_completeness_to_planners(client, world, persona, status):
    make_value(world.share, world.year, "1.8", State.APPROVED)
    make_value(world.count, world.year, "120", State.SUBMITTED)
    make_value(world.rank, world.year - 1, "3", State.APPROVED)  # another year: not counted
    response = login(client, getattr(world, persona)).get(
        reverse("projects:completeness", args=[world.plan.code, world.year])
    )
    assert response.status_code == status
    if status == 200:
        rows = {r.organization_name: r for r in response.context["report"].indicators}
        jizhou = rows["蓟州区科技局"]
        assert (jizhou.total, jizhou.not_reported, jizhou.counts["approved"], jizhou.counts["submitted"]) == (3, 1, 1, 1)
        assert (jizhou.reported_percent, jizhou.approved_percent) == (67, 33)
        assert rows["蓟州区统计局"].not_reported == 1
        assert "锁定年度" in response.content.decode()


def _plan_with_indicators(n: int, code: str):
    plan = make_plan(code=code, region=make_jizhou())
    org = make_organization(region=plan.region)
    official = make_user(f"official-{code}", org, Role.OFFICIAL)
    planner = make_user(f"planner-{code}", org, Role.PLANNER)
    for number in range(1, n + 1):
        indicator = make_indicator(plan, org, number)
        make_value(indicator, 2022, "1.7", State.APPROVED)
        if number % 2:
            make_value(indicator, 2023, "1.8", State.RETURNED, user=official, return_reason="核实")
    return plan, org, official, planner


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["entry", "completeness"])
def test_it_runs_the_same_number_of_queries_for_3_and_10_indicators(client, db, page, django_assert_num_queries):
    counts = []
    for n in (3, 10):
        plan, org, official, planner = _plan_with_indicators(n, f"plan-{n}")
        if page == "entry":
            client.force_login(official)
            url = reverse("projects:value_entry", args=[plan.code, 2023, org.pk])
        else:
            client.force_login(planner)
            url = reverse("projects:completeness", args=[plan.code, 2023])
        if n == 3:
            counts.append(_count_queries(client, url))
        else:
            with django_assert_num_queries(counts[0]):
                client.get(url)


# My tasks -------------------------------------------------------------------------------------


def test_it_lists_the_users_forms_with_counts_by_state(client, world):
    make_value(world.share, world.year, "1.8", State.DRAFT)
    make_value(world.count, world.year, "120", State.SUBMITTED)
    response = login(client, world.official).get(reverse("projects:task_list"))
    tasks = [t for t in response.context["tasks"] if t.year == world.year]
    assert len(tasks) == 1
    task = tasks[0]
    assert (task.organization, task.indicators, task.not_reported, task.counts["draft"], task.counts["submitted"]) == (
        world.org, 3, 1, 1, 1,
    )
    assert task.can_enter and not task.can_review
    assert entry_url(world) in response.content.decode()
    assert response.context["plans"] == []


def test_it_shows_planners_every_plans_completeness(client, world):
    response = login(client, world.planner).get(reverse("projects:task_list"))
    assert reverse("projects:completeness", args=[world.plan.code, world.year]) in response.content.decode()


def test_it_shows_outsiders_an_empty_task_list(client, world):
    response = login(client, world.outsider).get(reverse("projects:task_list"))
    assert response.status_code == 200 and response.context["tasks"] == []


def test_it_leaves_alone_rows_that_were_not_on_the_posted_page(client, world):
    data = entry_data(world, {world.share: {"value": "1.8"}})
    make_value(world.foreign, world.year, "3", State.DRAFT)
    late = world.foreign
    late.organization = world.org  # assigned to the organization after the page was loaded
    late.save()
    assert login(client, world.official).post(entry_url(world), data).status_code == 302
    assert IndicatorValue.objects.get(indicator=world.share).value == Decimal("1.8")
    assert IndicatorValue.objects.get(indicator=late).value == Decimal("3")


def test_it_treats_a_missing_version_as_a_page_without_the_value(client, world):
    make_value(world.share, world.year, "1.8", State.DRAFT)
    data = entry_data(world, {world.share: {"value": "2.0", "version": ""}})
    response = login(client, world.official).post(entry_url(world), data)
    assert response.status_code == 200 and "你提交的是 2" in response.content.decode()
    assert IndicatorValue.objects.get(indicator=world.share).value == Decimal("1.8")


def test_it_lists_the_review_queue_in_a_constant_number_of_queries(client, world, django_assert_num_queries):
    def submitted(n):
        for number in range(n):
            indicator = make_indicator(world.plan, world.org, 100 + IndicatorValue.objects.count() + number)
            make_value(indicator, world.year, "1.8", State.SUBMITTED, submitted_by=world.official)
            make_progress(
                type(world.project).objects.create(plan=world.plan, organization=world.org, name=f"P{indicator.pk}"),
                world.year, state=State.SUBMITTED, submitted_by=world.official,
            )

    login(client, world.reviewer)
    submitted(3)
    few = _count_queries(client, reverse("projects:review_queue"))
    submitted(7)
    with django_assert_num_queries(few):
        response = client.get(reverse("projects:review_queue"))
    assert len(response.context["values"]) == 10 and len(response.context["progress"]) == 10
