"""Every write that changes what an indicator's assessment reads gives it a new change stamp, so the
stored assessments of reports (reports/stored.py) are never used out of date."""
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from indicators.models import Indicator
from indicators.services import target_revise
from plans.models import Plan
from projects import services
from projects.choices import State, Vintage
from projects.demo import load_demo_values
from projects.imports import apply_import, read_upload, validate_rows

from .factories import make_user, make_value

pytestmark = pytest.mark.django_db


def _stamp(indicator):
    return Indicator.objects.values_list("change_stamp", flat=True).get(pk=indicator.pk)


def _changes(indicator, write):
    """True when `write()` gave the indicator a new stamp."""
    before = _stamp(indicator)
    write()
    return _stamp(indicator) != before


def _save(world, version=0):
    return services.value_save(world.official, world.share, world.year, value=Decimal("1.8"), source="年鉴",
                               vintage=Vintage.PRELIMINARY, note="", expected_version=version)


def test_it_changes_the_stamp_when_a_value_is_approved_and_not_before(world):
    # the official assessment reads approved values only (DESIGN §5): drafts, submissions and
    # returns leave it, and what reports stored from it, as it was
    assert not _changes(world.share, lambda: _save(world))
    value = world.share.values.get()
    assert not _changes(world.share, lambda: services.value_submit(world.official, value))
    assert not _changes(world.share, lambda: services.value_return(world.reviewer, value, "来源不明"))
    assert not _changes(world.share, lambda: _save(world, version=3))
    assert not _changes(world.share, lambda: services.value_submit(world.official, value))
    assert _changes(world.share, lambda: services.value_approve(world.reviewer, value))
    assert not _changes(world.count, lambda: None)  # other indicators keep theirs


def test_an_import_of_approved_values_changes_the_stamps_of_the_indicators_it_wrote(world):
    header = "plan,indicator,year,value,source,note\n"
    rows = read_upload((header + "jizhou-14-sti,2,2022,110,,\n").encode(), "v.csv")
    plan = validate_rows(rows, state=State.APPROVED)
    assert plan.errors == []
    before = {_stamp(world.share), _stamp(world.count)}
    apply_import(plan, state=State.APPROVED)
    assert _stamp(world.count) not in before and _stamp(world.share) in before


def test_demo_data_changes_the_stamps_of_the_demo_plans(world, monkeypatch):
    monkeypatch.setattr("projects.demo.DEMO_YEARS", {world.plan.code: [2021, 2022]})
    assert _changes(world.share, load_demo_values)


def _admin_save(obj, rf, user):
    """Save `obj` through its admin page's save_model, as an edit in the admin does."""
    from django.contrib import admin

    request = rf.post("/")
    request.user = user
    admin.site._registry[type(obj)].save_model(request, obj, form=None, change=True)


def _renewed_save(obj):
    """What every writer of an indicator does (the edit page, intake, 规划调整): renew, then save."""
    obj.renew_stamp()
    obj.save()


def test_editing_an_indicator_or_revising_its_target_changes_its_stamp(world, client):
    indicator = Indicator.objects.get(pk=world.count.pk)
    stale_copy = Indicator.objects.get(pk=world.count.pk)
    client.force_login(world.planner)
    form = {"name": "新名称", "unit": indicator.unit, "category": "", "attribute": indicator.attribute,
            "direction": indicator.direction, "aggregation": indicator.aggregation,
            "organization": indicator.organization_id or ""}  # fmt: skip
    assert _changes(indicator, lambda: client.post(f"/indicators/{indicator.pk}/edit/", form))
    # an out-of-date instance saved later still writes a new stamp, never its old one back
    assert _changes(indicator, lambda: _renewed_save(stale_copy))
    # a save that renews nothing keeps the stamp: the model itself writes nothing on save (DESIGN §7.5)
    assert not _changes(indicator, lambda: Indicator.objects.get(pk=indicator.pk).save(update_fields=["name"]))
    assert _changes(indicator, lambda: target_revise(
        world.planner, indicator, target_text="250", baseline_value=Decimal(100), document="文件",
        revised_on=date(2023, 6, 30), reason="上调",
    ))  # fmt: skip


def test_editing_a_plan_changes_the_plan_stamp(world, rf, admin_user):
    before = Plan.objects.values_list("change_stamp", flat=True).get(pk=world.plan.pk)
    world.plan.end_year = 2030
    _admin_save(world.plan, rf, admin_user)
    assert Plan.objects.values_list("change_stamp", flat=True).get(pk=world.plan.pk) != before
