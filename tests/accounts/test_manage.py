"""人员与单位管理 (/accounts/manage/): a 管理员 manages the organizations of their region and below
and their people; nobody reaches outside their region, makes anyone superuser, deactivates
themselves or touches a system actor; every change is in the history.

Personas: the 管理员 of 天津市科技局 (天津市 ⊃ 蓟州区), managing 蓟州区's units; a 江苏省科技厅 official
(outside Tianjin); a 蓟州区科技局 official; a superuser; the system actor system:seed."""
import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from accounts import management_rules as rules
from accounts.actors import system_actor
from accounts.choices import RegionLevel, Role
from accounts.models import Membership, Organization, User
from tests.projects.factories import make_jizhou, make_organization, make_region, make_user

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


@pytest.fixture
def country():
    jizhou = make_jizhou()
    tianjin = jizhou.parent
    jiangsu = make_region("江苏省", RegionLevel.PROVINCE)
    city, county = make_organization("天津市科技局", tianjin), make_organization("蓟州区科技局", jizhou)
    jiangsu_org = make_organization("江苏省科技厅", jiangsu)
    return SimpleNamespace(
        tianjin=tianjin, jizhou=jizhou, jiangsu=jiangsu, city=city, county=county, jiangsu_org=jiangsu_org,
        admin=make_user("admin-tj", city, Role.ADMIN),
        official=make_user("official", county, Role.OFFICIAL),
        official_js=make_user("official-js", jiangsu_org, Role.OFFICIAL),
        superuser=make_user("root", is_superuser=True, is_staff=True),
        seed=system_actor("seed"),
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def logs_in(username, password) -> bool:
    """Through the login page, as a person does (django-axes needs the request)."""
    response = Client().post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code == 302


def table(response) -> str:
    return re.search(r"<table.*?</table>", response.content.decode(), re.S).group(0)


def snapshot():
    """Every account, membership and organization, to show a refused request changed nothing."""
    return (
        list(User.objects.order_by("pk").values_list("username", "full_name", "email", "is_active", "is_superuser",
                                                      "is_staff", "password", "must_change_password")),
        list(Membership.objects.order_by("pk").values_list("user_id", "organization_id", "role")),
        list(Organization.objects.order_by("pk").values_list("name", "short_name", "region_id")),
    )


# The pure rule ---------------------------------------------------------------------------------


def test_it_decides_from_plain_facts():
    admin = rules.Manager(pk=1, is_superuser=False, organization_ids=frozenset({10, 11}))
    inside = rules.Person(pk=2, username="a", is_superuser=False, organization_ids=frozenset({11}))
    straddling = rules.Person(pk=3, username="b", is_superuser=False, organization_ids=frozenset({11, 99}))
    system = rules.Person(pk=4, username="system:seed", is_superuser=True, organization_ids=frozenset())
    myself = rules.Person(pk=1, username="me", is_superuser=False, organization_ids=frozenset({10}))
    assert rules.person_refusal(admin, inside) is None
    assert "管理范围以外" in rules.person_refusal(admin, straddling)
    assert "系统身份" in rules.person_refusal(admin, system)
    assert "不能停用自己" in rules.deactivation_refusal(admin, myself)
    assert rules.membership_refusal(admin, straddling, 10, Role.REVIEWER) is None
    assert "自己管理的单位" in rules.membership_refusal(admin, inside, 99, Role.REVIEWER)
    assert "唯一的角色" in rules.removal_refusal(admin, inside, 11, Role.OFFICIAL, remaining=0)
    root = rules.Manager(pk=9, is_superuser=True, organization_ids=None)
    assert "系统身份" in rules.person_refusal(root, system)
    assert rules.person_refusal(root, straddling) is None
    assert rules.admin_roots([(1, 10, Role.ADMIN), (2, 20, Role.PLANNER), (3, None, Role.ADMIN)]) == {10}


# Who reaches the page ----------------------------------------------------------------------------


def test_it_lists_the_admins_region_and_below_only(country):
    client = signed_in(country.admin)
    users = table(client.get(reverse("accounts:user_list")))
    assert "official" in users and "admin-tj" in users
    assert "official-js" not in users and "system:seed" not in users and "root" not in users
    organizations = table(client.get(reverse("accounts:organization_list")))
    assert "蓟州区科技局" in organizations and "天津市科技局" in organizations and "江苏省科技厅" not in organizations


def test_it_filters_users_by_organization_role_and_active(country):
    make_user("reviewer", country.county, Role.REVIEWER)
    elsewhere = make_user("reviewer-city", country.city, Role.REVIEWER)  # a reviewer, but not of the county
    Membership.objects.create(user=elsewhere, organization=country.county, role=Role.OFFICIAL)
    User.objects.filter(username="official").update(is_active=False)
    client = signed_in(country.admin)
    html = table(client.get(reverse("accounts:user_list"), {"organization": country.county.pk, "role": Role.REVIEWER}))
    assert ">reviewer<" in html and ">official<" not in html and ">admin-tj<" not in html
    assert ">reviewer-city<" not in html
    html = table(client.get(reverse("accounts:user_list"), {"is_active": "false"}))
    assert ">official<" in html and ">reviewer<" not in html


@pytest.mark.parametrize("persona", ["official", "official_js"])
def test_it_refuses_people_without_the_admin_role(country, persona):
    client = signed_in(getattr(country, persona))
    for name in ("accounts:user_list", "accounts:organization_list", "accounts:user_create"):
        assert client.get(reverse(name)).status_code == 403
    before = snapshot()
    response = client.post(reverse("accounts:membership_add", args=[getattr(country, persona).pk]),
                           {"organization": country.county.pk, "role": Role.ADMIN})
    assert response.status_code == 403 and snapshot() == before


def test_it_sends_anonymous_visitors_to_login(country):
    response = Client().get(reverse("accounts:user_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_it_shows_the_navigation_link_only_to_admins(country):
    link = f'href="{reverse("accounts:user_list")}"'
    assert link in signed_in(country.admin).get("/plans/").content.decode()
    assert link in signed_in(country.superuser).get("/plans/").content.decode()
    assert link not in signed_in(country.official).get("/plans/").content.decode()


# The admin of 天津市科技局 at work in 蓟州区 ------------------------------------------------------------


def test_it_adds_a_unit_and_a_user_with_a_role_and_a_one_time_password(country):
    client = signed_in(country.admin)
    response = client.post(reverse("accounts:organization_create"),
                           {"name": "蓟州区统计局", "short_name": "区统计局", "region": country.jizhou.pk})
    assert response.status_code == 302
    unit = Organization.objects.get(name="蓟州区统计局")
    assert unit.region == country.jizhou and unit.history.first().history_user == country.admin

    response = client.post(reverse("accounts:user_create"), {
        "username": "tongji", "full_name": "王统计", "email": "wang@example.cn",
        "organization": unit.pk, "role": Role.OFFICIAL,
    })
    assert response.status_code == 200
    password = re.search(r'id="one-time-password">([^<]+)<', response.content.decode()).group(1)
    user = User.objects.get(username="tongji")
    assert user.roles_in(unit.pk) == {Role.OFFICIAL} and user.must_change_password and user.check_password(password)
    assert response["Cache-Control"].count("no-store") == 1

    newcomer = Client()
    assert newcomer.post(reverse("accounts:login"), {"username": "tongji", "password": password}).status_code == 302
    # the first thing they must do is choose a password of their own
    assert newcomer.get(reverse("projects:task_list"))["Location"] == reverse("accounts:password_change")
    response = newcomer.post(reverse("accounts:password_change"), {
        "old_password": password, "new_password1": "Tongji-eigen-2026", "new_password2": "Tongji-eigen-2026",
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Tongji-eigen-2026")
    assert newcomer.get(reverse("projects:task_list")).status_code == 200


def test_it_edits_roles_deactivates_and_reactivates(country):
    client = signed_in(country.admin)
    official = country.official
    response = client.post(reverse("accounts:membership_add", args=[official.pk]),
                           {"organization": country.county.pk, "role": Role.REVIEWER})
    assert response.status_code == 302
    assert official.roles_in(country.county.pk) == {Role.OFFICIAL, Role.REVIEWER}
    reviewer = Membership.objects.get(user=official, role=Role.REVIEWER)
    assert client.post(reverse("accounts:membership_remove", args=[reviewer.pk])).status_code == 302
    assert not Membership.objects.filter(pk=reviewer.pk).exists()

    assert client.post(reverse("accounts:user_detail", args=[official.pk]),
                       {"full_name": "李填报", "email": "li@example.cn"}).status_code == 302
    assert client.post(reverse("accounts:user_active", args=[official.pk]), {"active": "0"}).status_code == 302
    official.refresh_from_db()
    assert (official.full_name, official.email, official.is_active) == ("李填报", "li@example.cn", False)
    assert not logs_in("official", "pw-for-tests-1")
    client.post(reverse("accounts:user_active", args=[official.pk]), {"active": "1"})
    assert logs_in("official", "pw-for-tests-1")


def test_it_records_who_changed_whom_and_when(country):
    client = signed_in(country.admin)
    official = country.official
    client.post(reverse("accounts:membership_add", args=[official.pk]),
                {"organization": country.county.pk, "role": Role.REVIEWER})
    membership = Membership.objects.get(user=official, role=Role.REVIEWER)
    client.post(reverse("accounts:membership_remove", args=[membership.pk]))
    client.post(reverse("accounts:user_active", args=[official.pk]), {"active": "0"})
    client.post(reverse("accounts:user_password", args=[official.pk]), {"mode": "generate"})

    membership_history = Membership.history.filter(id=membership.pk).order_by("history_date")
    assert [(h.history_type, h.history_user) for h in membership_history] == [
        ("+", country.admin), ("-", country.admin),
    ]
    reasons = [h.history_change_reason for h in official.history.filter(history_user=country.admin)]
    assert reasons == ["重置密码", "停用"]  # newest first
    assert not hasattr(official.history.first(), "password")  # the hash is not kept in the history
    page = client.get(reverse("accounts:user_detail", args=[official.pk])).content.decode()
    assert "重置密码" in page and "蓟州区科技局 · 审核员" in page


def test_a_login_is_not_a_change_of_the_account(country):
    before = country.official.history.count()
    assert logs_in("official", "pw-for-tests-1")
    assert country.official.history.count() == before


def test_it_resets_a_password_to_one_that_passes_the_validators(country):
    client = signed_in(country.admin)
    url = reverse("accounts:user_password", args=[country.official.pk])
    before = snapshot()
    response = client.post(url, {"mode": "set", "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200 and snapshot() == before
    errors = response.context["form"].errors["password1"]
    assert any("太短" in e for e in errors) and any("全是数字" in e or "纯数字" in e or "数字" in e for e in errors)
    response = client.post(url, {"mode": "set", "password1": "Jizhou-new-2026", "password2": "Jizhou-other-2026"})
    assert "两次输入的密码不一致" in response.content.decode() and snapshot() == before

    response = client.post(url, {"mode": "set", "password1": "Jizhou-new-2026", "password2": "Jizhou-new-2026"})
    assert response.status_code == 200 and "one-time-password" not in response.content.decode()
    assert logs_in("official", "Jizhou-new-2026")
    assert not logs_in("official", "pw-for-tests-1")


# Bad input: a clear message on the field, nothing written -------------------------------------------


@pytest.mark.parametrize("field, value, message", [
    ("username", "official", "用户名“official”已被使用"),
    ("username", "OFFICIAL", "用户名“OFFICIAL”已被使用"),
    ("username", "system:evil", "用户名不能包含“:”"),
    ("username", "", "这个字段是必填项"),
    ("full_name", "   ", "请填写姓名"),
    ("email", "not-an-email", "有效"),
])
def test_it_refuses_bad_new_accounts_on_the_field(country, field, value, message):
    data = {"username": "newbie", "full_name": "新人", "email": "new@example.cn",
            "organization": country.county.pk, "role": Role.OFFICIAL, field: value}
    before = snapshot()
    response = signed_in(country.admin).post(reverse("accounts:user_create"), data)
    assert response.status_code == 200 and snapshot() == before
    assert any(message in error for error in response.context["form"].errors[field]), response.context["form"].errors


def test_it_refuses_an_empty_or_duplicate_organization_name(country):
    client, before = signed_in(country.admin), snapshot()
    response = client.post(reverse("accounts:organization_create"), {"name": " ", "region": country.jizhou.pk})
    assert response.context["form"].errors["name"] and snapshot() == before
    response = client.post(reverse("accounts:organization_create"), {"name": "蓟州区科技局", "region": country.jizhou.pk})
    assert "已存在" in response.context["form"].errors["name"][0] and snapshot() == before


# Outside the admin's scope: refused, nothing changed ----------------------------------------------------


def test_it_refuses_a_jiangsu_organization_and_its_people(country):
    client, before = signed_in(country.admin), snapshot()
    js = country.official_js
    assert client.get(reverse("accounts:organization_edit", args=[country.jiangsu_org.pk])).status_code == 403
    assert client.post(reverse("accounts:organization_edit", args=[country.jiangsu_org.pk]),
                       {"name": "改名", "region": country.jiangsu.pk}).status_code == 403
    # a Tianjin unit cannot be moved to Jiangsu, nor a new one made there
    response = client.post(reverse("accounts:organization_edit", args=[country.county.pk]),
                           {"name": "蓟州区科技局", "region": country.jiangsu.pk})
    assert response.status_code == 200 and response.context["form"].errors["region"]
    assert client.get(reverse("accounts:user_detail", args=[js.pk])).status_code == 403
    for name, data in [
        ("accounts:user_detail", {"full_name": "改名", "email": ""}),
        ("accounts:user_active", {"active": "0"}),
        ("accounts:user_password", {"mode": "generate"}),
        ("accounts:membership_add", {"organization": country.county.pk, "role": Role.OFFICIAL}),
    ]:
        assert client.post(reverse(name, args=[js.pk]), data).status_code == 403, name
    membership = js.memberships.get()
    assert client.post(reverse("accounts:membership_remove", args=[membership.pk])).status_code == 403
    # a role in a Jiangsu organization, for someone of Jizhou
    response = client.post(reverse("accounts:membership_add", args=[country.official.pk]),
                           {"organization": country.jiangsu_org.pk, "role": Role.ADMIN})
    assert response.status_code == 302 and snapshot() == before
    response = client.post(reverse("accounts:user_create"), {
        "username": "spy", "full_name": "间谍", "organization": country.jiangsu_org.pk, "role": Role.ADMIN,
    })
    assert response.context["form"].errors["organization"] and snapshot() == before


def test_it_never_makes_anyone_superuser(country):
    client, before = signed_in(country.admin), snapshot()
    client.post(reverse("accounts:user_detail", args=[country.admin.pk]),
                {"full_name": "admin-tj", "email": "", "is_superuser": "on", "is_staff": "on"})
    client.post(reverse("accounts:user_create"), {
        "username": "boss", "full_name": "老板", "organization": country.county.pk, "role": Role.OFFICIAL,
        "is_superuser": "on", "is_staff": "on",
    })
    assert not User.objects.filter(is_superuser=True).exclude(pk__in=[country.superuser.pk, country.seed.pk]).exists()
    assert not User.objects.filter(is_staff=True).exclude(pk=country.superuser.pk).exists()
    assert User.objects.filter(username="boss").exists()  # created, as an official only
    assert len(snapshot()[0]) == len(before[0]) + 1


def test_it_refuses_to_deactivate_oneself_or_drop_ones_own_admin_role(country):
    client, before = signed_in(country.admin), snapshot()
    response = client.post(reverse("accounts:user_active", args=[country.admin.pk]), {"active": "0"})
    assert response.status_code == 403 and "不能停用自己的账号" in response.content.decode()
    own = country.admin.memberships.get()
    assert client.post(reverse("accounts:membership_remove", args=[own.pk])).status_code == 403
    assert snapshot() == before


def test_it_refuses_system_actors_and_superusers_to_an_admin(country):
    client, before = signed_in(country.admin), snapshot()
    for target in (country.seed, country.superuser):
        assert client.get(reverse("accounts:user_detail", args=[target.pk])).status_code == 403
        assert client.post(reverse("accounts:user_password", args=[target.pk]), {"mode": "generate"}).status_code == 403
        assert client.post(reverse("accounts:user_active", args=[target.pk]), {"active": "1"}).status_code == 403
    assert snapshot() == before


def test_a_superuser_manages_everyone_but_system_actors(country):
    client, before = signed_in(country.superuser), snapshot()
    assert ">official-js<" in table(client.get(reverse("accounts:user_list")))
    assert client.post(reverse("accounts:membership_add", args=[country.official_js.pk]),
                       {"organization": country.county.pk, "role": Role.REVIEWER}).status_code == 302
    assert client.post(reverse("accounts:organization_edit", args=[country.jiangsu_org.pk]),
                       {"name": "江苏省科学技术厅", "short_name": "", "region": country.jiangsu.pk}).status_code == 302
    assert client.post(reverse("accounts:user_active", args=[country.official_js.pk]), {"active": "0"}).status_code == 302
    assert Organization.objects.filter(name="江苏省科学技术厅").exists()
    assert not User.objects.get(pk=country.official_js.pk).is_active
    after = snapshot()
    for target, data in [(country.seed, {"active": "1"}), (country.superuser, {"active": "0"})]:
        assert client.post(reverse("accounts:user_active", args=[target.pk]), data).status_code == 403
    assert client.post(reverse("accounts:user_password", args=[country.seed.pk]), {"mode": "generate"}).status_code == 403
    assert snapshot() == after != before


# English ------------------------------------------------------------------------------------------


def test_the_pages_in_english_have_no_chinese_outside_user_data(country):
    client = signed_in(country.admin)
    client.cookies.load({"django_language": "en"})
    user_data = ["天津市科技局", "蓟州区科技局", "天津市", "蓟州区", "李四"]
    country.official.full_name = "李四"
    country.official.save()
    pages = [
        reverse("accounts:user_list"), reverse("accounts:organization_list"), reverse("accounts:user_create"),
        reverse("accounts:organization_create"), reverse("accounts:organization_edit", args=[country.county.pk]),
        reverse("accounts:user_detail", args=[country.official.pk]),
        reverse("accounts:user_password", args=[country.official.pk]),
    ]
    for url in pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="en">' in html
        text = re.sub(r"<[^>]+>", " ", html)
        for data in sorted(user_data, key=len, reverse=True):
            text = text.replace(data, "")
        text = text.replace("中文", "")  # the language switch
        assert not CJK.findall(text), (url, sorted(set(CJK.findall(text))))


def test_the_history_is_read_only_in_the_django_admin(country):
    client = signed_in(country.superuser)
    membership = country.official.memberships.get()
    version = membership.history.first()
    for url in (reverse("admin:accounts_membership_history", args=[membership.pk]),
                reverse("admin:accounts_user_history", args=[country.official.pk]),
                reverse("admin:accounts_organization_history", args=[country.county.pk])):
        assert client.get(url).status_code == 200, url
    revert = reverse("admin:accounts_membership_simple_history", args=[membership.pk, version.history_id])
    before = snapshot()
    response = client.post(revert, {"user": country.official.pk, "organization": country.county.pk, "role": Role.ADMIN})
    assert response.status_code == 403 and snapshot() == before


def test_the_demo_manager_is_an_admin_not_a_superuser():
    from accounts.demo import create_demo_accounts

    create_demo_accounts()
    manager = User.objects.get(username="manager")
    assert not manager.is_superuser and rules.can_manage_people(manager)
    assert rules.managed_organizations(manager).filter(name="蓟州区科技局").exists()
    assert not rules.managed_organizations(manager).filter(name="江苏省科技厅").exists()


def test_a_user_in_two_regions_keeps_what_lies_outside_the_admins(country):
    both = make_user("both", country.county, Role.OFFICIAL)
    Membership.objects.create(user=both, organization=country.jiangsu_org, role=Role.REVIEWER)
    client = signed_in(country.admin)
    page = client.get(reverse("accounts:user_detail", args=[both.pk])).content.decode()
    jizhou, jiangsu = (both.memberships.get(organization=org) for org in (country.county, country.jiangsu_org))
    assert reverse("accounts:membership_remove", args=[jizhou.pk]) in page
    assert reverse("accounts:membership_remove", args=[jiangsu.pk]) not in page  # no button that answers 403
    assert reverse("accounts:user_password", args=[both.pk]) not in page and "管理范围以外" in page
    before = snapshot()
    assert client.post(reverse("accounts:user_password", args=[both.pk]), {"mode": "generate"}).status_code == 403
    assert client.post(reverse("accounts:membership_remove", args=[jiangsu.pk])).status_code == 403
    assert snapshot() == before
    assert client.post(reverse("accounts:membership_add", args=[both.pk]),
                       {"organization": country.county.pk, "role": Role.REVIEWER}).status_code == 302
    assert both.roles_in(country.county.pk) == {Role.OFFICIAL, Role.REVIEWER}
