"""The indicator's history partial (templates/indicators/_value_history.html) and who may see what."""
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from projects import services
from projects.selectors import indicator_history_for_user

pytestmark = pytest.mark.django_db


def _entered_and_returned(world):
    value = services.value_save(world.official, world.share, world.year, value=Decimal("1.8"), expected_version=0)
    value = services.value_save(
        world.official, world.share, world.year, value=Decimal("1.9"), expected_version=value.version
    )
    value = services.value_submit(world.official, value)
    return services.value_return(world.reviewer, value, "与统计公报不一致")


def test_it_renders_who_when_old_new_and_reason(world):
    _entered_and_returned(world)
    html = render_to_string("indicators/_value_history.html", {"value_history": indicator_history_for_user(world.reviewer, world.share)})
    assert "变更记录" in html and "2023年数值" in html
    assert "<td>1.8</td>" in html and "<td>1.9</td>" in html
    assert "退回：与统计公报不一致" in html and "reviewer" in html and "official" in html


def test_it_hides_unapproved_history_from_users_outside_the_organization(world):
    _entered_and_returned(world)
    def value_rows(user):
        return [r for r in indicator_history_for_user(user, world.share) if r.subject == "2023年数值"]

    assert value_rows(world.outsider) == [] and value_rows(world.other_official) == []
    assert value_rows(world.planner) != [] and value_rows(world.official) != []


def test_it_says_when_there_is_no_history(world):
    html = render_to_string("indicators/_value_history.html", {"value_history": []})
    assert "暂无变更记录" in html


def test_it_shows_anonymous_visitors_only_target_and_baseline_changes(world):
    from django.contrib.auth.models import AnonymousUser

    value = _entered_and_returned(world)
    value = services.value_submit(world.official, value)
    services.value_approve(world.reviewer, value)
    rows = indicator_history_for_user(AnonymousUser(), world.share)
    assert rows and {r.kind for r in rows} == {"indicator"}
    assert {r.kind for r in indicator_history_for_user(world.outsider, world.share)} == {"indicator", "value"}
