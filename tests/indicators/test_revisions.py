"""Mid-plan target adjustments (规划调整) keep the original target and record who, when and why."""
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.choices import Role
from indicators.models import TargetRevision
from tests.projects.factories import make_indicator, make_jizhou, make_organization, make_plan, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator():
    jizhou = make_jizhou()
    org = make_organization("蓟州区科技局", jizhou)
    return make_indicator(make_plan(region=jizhou), org, number=1, baseline_value=Decimal("1.65"), target_text="2",
                          target_value=Decimal("2"))


def revise(client, indicator, **data):
    payload = {"target_text": "2.2", "baseline_value": "1.7", "document": "蓟政发〔2023〕5号",
               "revised_on": "2023-06-30", "reason": "中期评估后上调目标"} | data
    return client.post(reverse("indicators:indicator_revise", args=[indicator.pk]), payload)


def test_it_lets_a_planner_adjust_a_target_and_keeps_the_original(client, indicator):
    client.force_login(make_user("planner", make_organization("天津市科技局", make_jizhou().parent), Role.PLANNER))
    response = revise(client, indicator)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.target_text == "2.2" and indicator.target_value == Decimal("2.2")
    assert indicator.baseline_value == Decimal("1.7")
    revision = TargetRevision.objects.get(indicator=indicator)
    assert (revision.old_target_text, revision.old_baseline_value) == ("2", Decimal("1.65"))
    assert revision.document == "蓟政发〔2023〕5号" and revision.revised_on == date(2023, 6, 30)
    latest = indicator.history.first()
    assert latest.history_user.username == "planner"
    assert "蓟政发〔2023〕5号" in latest.history_change_reason
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert "中期评估后上调目标" in page and "原目标" in page


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.REVIEWER])
def test_it_refuses_adjustments_from_anyone_but_planners(client, indicator, role):
    client.force_login(make_user("someone", indicator.organization, role))
    assert revise(client, indicator).status_code == 403
    assert not TargetRevision.objects.exists()


def test_it_sends_anonymous_users_to_login(client, indicator):
    assert revise(client, indicator).status_code == 302
    assert not TargetRevision.objects.exists()


def test_it_rejects_a_target_without_a_number(client, indicator):
    client.force_login(make_user("planner", make_organization("天津市科技局", make_jizhou().parent), Role.PLANNER))
    response = revise(client, indicator, target_text="明显提升")
    assert response.status_code == 200
    assert "无法识别新目标中的数值" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.target_text == "2" and not TargetRevision.objects.exists()


def test_it_shows_the_old_target_in_the_change_log_of_a_bulk_published_indicator(client, indicator):
    indicator.history.all().delete()  # as a plan published by bulk insert (intake) leaves it
    client.force_login(make_user("planner", make_organization("天津市科技局", make_jizhou().parent), Role.PLANNER))
    assert revise(client, indicator, target_text="2.1").status_code == 302
    history = client.get(indicator.get_absolute_url()).context["value_history"]
    target_changes = [(row.old, row.new) for row in history if row.field == "目标原文"]
    assert ("2", "2.1") in target_changes
    assert ("", "2.1") not in target_changes
