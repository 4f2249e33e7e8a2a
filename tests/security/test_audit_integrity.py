"""History records are evidence: nothing in the admin or the UI edits, reverts or deletes them."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from indicators.models import Indicator, TargetRevision
from indicators.services import target_revise
from projects.models import IndicatorValue, ProjectProgress, ReportingYear

from .factories import make_world

pytestmark = [pytest.mark.django_db]
AUDITED = [IndicatorValue, ProjectProgress, ReportingYear, Indicator, TargetRevision]


@pytest.fixture
def world(db):
    w = make_world()
    w.revision = target_revise(
        w.planner, w.count, target_text="220家", baseline_value=Decimal("100"), document="蓟科规〔2023〕2号",
        revised_on=date(2023, 6, 1), reason="中期评估调整",
    )  # fmt: skip
    return w


def audited_object(world, model):
    return {
        IndicatorValue: world.submitted_value,
        ProjectProgress: world.submitted_progress,
        ReportingYear: world.reporting_year,
        Indicator: world.share,
        TargetRevision: world.revision,
    }[model]


def history_snapshot(model):
    return list(model.history.model.objects.order_by("history_id").values())


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_it_registers_no_historical_model_in_the_admin():
    registered = {model._meta.model_name for model in admin.site._registry}
    assert not {name for name in registered if name.startswith("historical")}
    for model in AUDITED:
        assert model.history.model not in admin.site._registry


def test_it_disables_revert_and_history_editing_in_settings():
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
    assert not getattr(settings, "SIMPLE_HISTORY_EDIT", False)


@pytest.mark.parametrize("model", AUDITED, ids=lambda m: m.__name__)
@pytest.mark.parametrize("view", ["changelist", "change", "delete", "history"])
def test_it_has_no_admin_page_for_historical_records(client, world, model, view):
    client.force_login(world.admin)
    history = model.history.model
    record = history.objects.filter(**{model._meta.pk.attname: audited_object(world, model).pk}).first()
    app, name = history._meta.app_label, history._meta.model_name
    path = f"/admin/{app}/{name}/" if view == "changelist" else f"/admin/{app}/{name}/{record.pk}/{view}/"
    for method in (client.get, client.post):
        assert method(path).status_code == 404
    assert history.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("model", AUDITED, ids=lambda m: m.__name__)
def test_it_shows_history_to_the_admin_without_a_revert_button(client, world, model):
    client.force_login(world.admin)
    obj = audited_object(world, model)
    response = client.get(admin_url(model, "history", obj.pk))
    assert response.status_code == 200
    assert response.context["revert_disabled"] is True
    record = obj.history.first()
    response = client.get(admin_url(model, "simple_history", obj.pk, record.history_id))
    assert response.status_code == 200
    assert response.context["revert_disabled"] is True
    assert b'name="_save"' not in response.content


@pytest.mark.parametrize("model", AUDITED, ids=lambda m: m.__name__)
def test_it_refuses_to_revert_through_the_history_form(client, world, model):
    client.force_login(world.admin)
    obj = audited_object(world, model)
    before_row = model.objects.filter(pk=obj.pk).values().get()
    before_history = history_snapshot(model)
    record = obj.history.first()
    url = admin_url(model, "simple_history", obj.pk, record.history_id)
    posted = {key: value for key, value in before_row.items() if value is not None}
    for extra in ({}, {"_change_history": "1"}):
        response = client.post(url, {**posted, "value": "999", "year": 2024, **extra})
        assert response.status_code == 403
    assert model.objects.filter(pk=obj.pk).values().get() == before_row
    assert history_snapshot(model) == before_history


def test_it_refuses_to_delete_a_value_in_the_admin_and_keeps_its_history(client, world):
    """A value is evidence of what was reported: the admin deletes neither it nor its history."""
    value = world.draft_value
    before_row, before = IndicatorValue.objects.filter(pk=value.pk).values().get(), history_snapshot(IndicatorValue)
    client.force_login(world.admin)
    assert client.post(admin_url(IndicatorValue, "delete", value.pk), {"post": "yes"}).status_code == 403
    changelist = admin_url(IndicatorValue, "changelist")
    response = client.post(changelist, {"action": "delete_selected", "_selected_action": [value.pk], "post": "yes"})
    assert response.status_code in (200, 302)
    assert IndicatorValue.objects.filter(pk=value.pk).values().get() == before_row
    assert history_snapshot(IndicatorValue) == before


def test_it_never_deletes_users_so_history_keeps_its_authors(client):
    from accounts.models import User

    admin = User.objects.create_superuser("root", "root@example.org", "pw-for-tests-1")
    someone = User.objects.create_user("someone", password="pw-for-tests-1")
    client.force_login(admin)
    response = client.post(f"/admin/accounts/user/{someone.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=someone.pk).exists()
