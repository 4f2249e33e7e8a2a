"""The admin cannot rewrite the audit: values, progress, years, indicators and target revisions are
read-only there for everyone, superuser included, and it bypasses none of the app's rules."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator, TargetRevision
from indicators.services import target_revise
from plans.models import Plan
from projects.choices import State
from projects.models import IndicatorValue, ProjectProgress, ReportingYear

from .factories import make_user, make_value, make_world

pytestmark = [pytest.mark.django_db]
READ_ONLY = [IndicatorValue, ProjectProgress, ReportingYear, Indicator, TargetRevision]


@pytest.fixture
def world(db):
    w = make_world()
    w.approved_value = make_value(w.share, 2022, "1.72", State.APPROVED, w.official)
    IndicatorValue.objects.filter(pk=w.approved_value.pk).update(
        submitted_by=w.official, reviewed_by=w.reviewer, reviewed_at=timezone.now(), version=3
    )
    w.revision = target_revise(
        w.planner, w.count, target_text="220家", baseline_value=Decimal("100"), document="蓟科规〔2023〕2号",
        revised_on=date(2023, 6, 1), reason="中期评估调整",
    )  # fmt: skip
    ReportingYear.objects.filter(pk=w.reporting_year.pk).update(is_locked=True, locked_by=w.planner)
    return w


def record(world, model):
    return {
        IndicatorValue: world.approved_value,
        ProjectProgress: world.submitted_progress,
        ReportingYear: world.reporting_year,
        Indicator: world.share,
        TargetRevision: world.revision,
    }[model]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def snapshot(model):
    return list(model.objects.order_by("pk").values()), list(model.history.order_by("history_id").values())


def edited(row: dict) -> dict:
    """The record's fields as a change form would post them, with the things a forger would change."""
    posted = {key: value for key, value in row.items() if value is not None and not key.endswith("_at")}
    posted.update(value="999", old_target_text="3%", new_target_text="1%", is_locked="", status="completed")
    posted.update({key.removesuffix("_id"): value for key, value in row.items() if key.endswith("_id") and value})
    return posted


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m.__name__)
def test_it_shows_the_record_to_a_superuser_without_a_save_button_and_says_where_it_changes(client, world, model):
    client.force_login(world.admin)
    response = client.get(admin_url(model, "change", record(world, model).pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html and "在哪里修改" in html
    assert client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m.__name__)
def test_a_superuser_can_neither_change_nor_delete_nor_add_it(client, world, model):
    obj = record(world, model)
    before = snapshot(model)
    row = model.objects.filter(pk=obj.pk).values().get()
    client.force_login(world.admin)
    assert client.post(admin_url(model, "change", obj.pk), edited(row)).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "add"), edited(row)).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    client.post(admin_url(model, "changelist"), bulk)
    assert snapshot(model) == before


def test_a_target_revision_has_a_history_that_the_admin_shows_and_never_reverts(client, world):
    revision = world.revision
    assert [(h.history_type, h.new_target_text) for h in revision.history.all()] == [("+", "220家")]
    client.force_login(world.admin)
    assert client.get(admin_url(TargetRevision, "history", revision.pk)).status_code == 200
    url = admin_url(TargetRevision, "simple_history", revision.pk, revision.history.get().history_id)
    before = snapshot(TargetRevision)
    row = TargetRevision.objects.filter(pk=revision.pk).values().get()
    assert client.post(url, edited(row)).status_code == 403
    assert snapshot(TargetRevision) == before


def test_a_change_made_outside_the_app_stays_on_the_revision_record(world):
    """Whoever changes a revision in a shell leaves the original in its history."""
    revision, pk = world.revision, world.revision.pk
    revision.new_target_text = "300家"
    revision.save()
    revision.delete()
    history = TargetRevision.history.filter(id=pk).order_by("history_id")
    assert [(h.history_type, h.new_target_text) for h in history] == [("+", "220家"), ("~", "300家"), ("-", "300家")]


def test_an_admin_edit_cannot_leave_an_approved_value_approved_by_the_reviewer_with_its_version(client, world):
    value = world.approved_value
    before = IndicatorValue.objects.filter(pk=value.pk).values().get()
    client.force_login(world.admin)
    response = client.post(admin_url(IndicatorValue, "change", value.pk), {**edited(before), "value": "9.99"})
    assert response.status_code == 403
    after = IndicatorValue.objects.filter(pk=value.pk).values().get()
    assert after == before  # not a new number under the reviewer's approval, not a silent version
    assert (after["value"], after["reviewed_by_id"], after["version"]) == (Decimal("1.7200"), world.reviewer.pk, 3)


def test_the_value_page_links_the_entry_page_where_the_workflow_corrects_it(client, world):
    client.force_login(world.admin)
    html = client.get(admin_url(IndicatorValue, "change", world.approved_value.pk)).content.decode()
    entry = reverse("projects:value_entry", args=[world.plan.code, 2022, world.org.pk])
    assert f'href="{entry}"' in html


def test_a_staff_user_with_every_reporting_year_permission_cannot_unlock_a_year_in_the_admin(client, world):
    clerk = make_user("clerk", is_staff=True)
    clerk.user_permissions.set(Permission.objects.filter(content_type__model="reportingyear"))
    year = world.reporting_year
    client.force_login(clerk)
    response = client.post(admin_url(ReportingYear, "change", year.pk), {"plan": world.plan.pk, "year": 2023})
    assert response.status_code == 403
    assert client.post(admin_url(ReportingYear, "add"), {"plan": world.plan.pk, "year": 2024}).status_code == 403
    assert client.post(admin_url(ReportingYear, "delete", year.pk), {"post": "yes"}).status_code == 403
    year.refresh_from_db()
    assert year.is_locked and year.locked_by == world.planner
    assert not ReportingYear.objects.filter(plan=world.plan, year=2024).exists()
    html = client.get(admin_url(ReportingYear, "change", year.pk)).content.decode()
    assert reverse("projects:completeness", args=[world.plan.code, 2023]) in html


def test_deleting_a_plan_or_indicator_would_delete_reported_values_so_the_admin_refuses(client, world):
    before = snapshot(IndicatorValue), snapshot(TargetRevision), Indicator.objects.count()
    client.force_login(world.admin)
    client.post(reverse("admin:plans_plan_delete", args=[world.plan.pk]), {"post": "yes"})
    client.post(reverse("admin:indicators_indicator_delete", args=[world.share.pk]), {"post": "yes"})
    assert Plan.objects.filter(pk=world.plan.pk).exists()
    assert (snapshot(IndicatorValue), snapshot(TargetRevision), Indicator.objects.count()) == before


def test_a_staff_user_sees_in_the_admin_no_unapproved_value_the_app_would_not_show_them(client, world):
    clerk = make_user("clerk", is_staff=True)
    clerk.user_permissions.set(Permission.objects.filter(codename__in=["view_indicatorvalue", "view_projectprogress"]))
    reviewed, draft = world.submitted_value, world.draft_value
    reviewed.state = State.APPROVED
    reviewed.save()  # its history: the submitted version, then the approved one
    client.force_login(clerk)
    listed = client.get(admin_url(IndicatorValue, "changelist")).context["cl"].result_list
    assert {row.pk for row in listed} == {reviewed.pk, world.approved_value.pk}
    assert client.get(admin_url(IndicatorValue, "change", draft.pk)).status_code in (302, 403, 404)
    assert client.get(admin_url(IndicatorValue, "history", draft.pk)).status_code in (403, 404)
    history = client.get(admin_url(IndicatorValue, "history", reviewed.pk)).context["page_obj"].object_list
    assert [record.state for record in history] == [State.APPROVED]
    progress = client.get(admin_url(ProjectProgress, "changelist")).context["cl"].result_list
    assert list(progress) == []  # the only progress record is submitted, of an organization not theirs
    client.force_login(world.official)  # no staff flag: no admin at all
    assert client.get(admin_url(IndicatorValue, "changelist")).status_code == 302
    client.force_login(world.admin)
    listed = client.get(admin_url(IndicatorValue, "changelist")).context["cl"].result_list
    assert {row.pk for row in listed} == {reviewed.pk, draft.pk, world.approved_value.pk}
    history = client.get(admin_url(IndicatorValue, "history", reviewed.pk)).context["page_obj"].object_list
    assert [record.state for record in history] == [State.APPROVED, State.SUBMITTED]
