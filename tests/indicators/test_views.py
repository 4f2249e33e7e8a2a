"""The indicator pages: the edit page of a published indicator, by persona, with history kept."""
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.choices import Role
from indicators.models import Indicator
from tests.projects.factories import make_indicator, make_jizhou, make_organization, make_plan, make_user

pytestmark = pytest.mark.django_db

EDIT = {
    "name": "全社会研发经费投入强度", "unit": "%", "category": "创新投入", "attribute": "binding",
    "direction": "up", "aggregation": "level", "concept": "",
}


@pytest.fixture
def indicator():
    jizhou = make_jizhou()
    org = make_organization("蓟州区科技局", jizhou)
    return make_indicator(make_plan(region=jizhou), org, number=1, name="R&D经费占比", baseline_value=Decimal("1.65"))


def personas(indicator) -> dict:
    org = indicator.organization
    return {
        "official": make_user("official", org, Role.OFFICIAL),
        "reviewer": make_user("reviewer", org, Role.REVIEWER),
        "planner": make_user("planner", make_organization("天津市科技局", make_jizhou().parent), Role.PLANNER),
        "outsider": make_user("outsider"),
    }


def edit(client, indicator, **data):
    payload = EDIT | {"organization": indicator.organization_id} | data
    return client.post(reverse("indicators:indicator_edit", args=[indicator.pk]), payload)


def test_it_lets_a_planner_edit_the_definition_and_keeps_the_old_one_in_history(client, indicator):
    client.force_login(personas(indicator)["planner"])
    stamp = indicator.change_stamp
    response = edit(client, indicator)
    assert response.status_code == 302 and response["Location"] == indicator.get_absolute_url()
    indicator.refresh_from_db()
    assert (indicator.name, indicator.attribute, indicator.category) == ("全社会研发经费投入强度", "binding", "创新投入")
    assert indicator.change_stamp != stamp  # stored assessments of the indicator are out of date
    latest = indicator.history.first()
    assert latest.history_user.username == "planner" and latest.history_change_reason == "编辑指标定义"
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert "R&amp;D经费占比" in page and "全社会研发经费投入强度" in page  # old → new in 变更记录
    assert reverse("indicators:indicator_edit", args=[indicator.pk]) in page


def test_it_leaves_target_and_baseline_to_revisions(client, indicator):
    client.force_login(personas(indicator)["planner"])
    response = edit(client, indicator, target_text="3%", baseline_value="9")
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.target_text, indicator.baseline_value) == ("2.0%", Decimal("1.65"))


@pytest.mark.parametrize("persona", ["official", "reviewer", "outsider"])
def test_it_refuses_everyone_but_planners(client, indicator, persona):
    client.force_login(personas(indicator)[persona])
    assert client.get(reverse("indicators:indicator_edit", args=[indicator.pk])).status_code == 403
    assert edit(client, indicator).status_code == 403
    assert Indicator.objects.get(pk=indicator.pk).name == "R&D经费占比"


def test_it_sends_anonymous_visitors_to_login(client, indicator):
    response = edit(client, indicator)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert Indicator.objects.get(pk=indicator.pk).name == "R&D经费占比"


def test_it_shows_what_is_wrong_and_saves_nothing(client, indicator):
    client.force_login(personas(indicator)["planner"])
    response = edit(client, indicator, name="", attribute="mandatory")
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "attribute"}
    assert Indicator.objects.get(pk=indicator.pk).name == "R&D经费占比"


def test_it_hides_the_edit_link_from_officials(client, indicator):
    client.force_login(personas(indicator)["official"])
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert reverse("indicators:indicator_edit", args=[indicator.pk]) not in page
