"""``manage.py create_demo_accounts``: one account per role, plus two outside Tianjin to try the scoping."""
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.choices import RegionLevel, Role
from accounts.demo import DEMO_ACCOUNTS
from accounts.models import Membership, Organization, User

README = Path(__file__).resolve().parents[2] / "README.md"

pytestmark = pytest.mark.django_db


def create(**options):
    out = io.StringIO()
    call_command("create_demo_accounts", user="system:demo", stdout=out, **options)
    return out.getvalue()


def membership(username) -> Membership:
    return Membership.objects.select_related("organization__region__parent").get(user__username=username)


def test_it_creates_an_official_in_shenzhen_and_a_planner_in_jiangsu():
    out = create()
    assert "official-b" in out and "planner-js" in out
    official_b = membership("official-b")
    assert official_b.role == Role.OFFICIAL
    assert official_b.organization.name == "深圳市科技工贸和信息化委员会"
    assert (official_b.organization.region.name, official_b.organization.region.level) == ("深圳市", RegionLevel.CITY)
    assert official_b.organization.region.parent.name == "广东省"
    planner_js = membership("planner-js")
    assert (planner_js.role, planner_js.organization.name) == (Role.PLANNER, "江苏省科技厅")
    assert (planner_js.organization.region.name, planner_js.organization.region.level) == ("江苏省", RegionLevel.PROVINCE)
    jizhou = membership("official").organization.region
    assert (jizhou.name, jizhou.parent.name) == ("蓟州区", "天津市")


@pytest.mark.parametrize("username,password", [(row[0], row[1]) for row in DEMO_ACCOUNTS])
def test_every_demo_account_logs_in_with_the_password_in_the_readme(client, username, password):
    create()
    assert f"`{username}` | `{password}`" in README.read_text(encoding="utf-8")
    client.post("/accounts/login/", {"username": username, "password": password})
    assert int(client.session["_auth_user_id"]) == User.objects.get(username=username).pk


def test_it_is_idempotent_and_uses_the_seed_plans_organizations():
    call_command("load_seed_plans", user="system:seed", stdout=io.StringIO(), stderr=io.StringIO())
    organizations = Organization.objects.count()
    create()
    create()
    assert Organization.objects.count() == organizations  # the seeds already have all four units
    assert Membership.objects.filter(user__username__in=[row[0] for row in DEMO_ACCOUNTS]).count() == len(DEMO_ACCOUNTS)
