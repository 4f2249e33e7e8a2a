"""Each role's navigation and landing page: no link in the header answers 403, and everyone
starts where their work is (official → tasks, reviewer → review queue, planner → overview)."""
import re

import pytest
from django.urls import reverse

from accounts.choices import Role
from tests.projects.factories import make_organization, make_user

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="main-nav"[^>]*>(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture
def people():
    county, city = make_organization("蓟州区科技局"), make_organization("天津市科技局")
    return {
        "official": make_user("official", county, Role.OFFICIAL),
        "reviewer": make_user("reviewer", county, Role.REVIEWER),
        "planner": make_user("planner", city, Role.PLANNER),
        "admin": make_user("admin", city, Role.ADMIN),
        "nobody": make_user("nobody"),
    }


def nav_links(client, path="/plans/"):
    return HREF.findall(NAV.search(client.get(path).content.decode()).group(1))


@pytest.mark.parametrize("persona", ["official", "reviewer", "planner", "admin", "nobody", "anonymous"])
def test_it_shows_only_links_the_persona_may_follow(client, people, persona):
    if persona != "anonymous":
        client.force_login(people[persona])
    links = nav_links(client)
    assert reverse("reports:overview") in links and reverse("plans:plan_list") in links
    for url in links:
        assert client.get(url).status_code == 200, (persona, url)


@pytest.mark.parametrize(
    "persona, review, intake",
    [("official", False, False), ("reviewer", True, False), ("planner", False, True), ("admin", False, True)],
)
def test_it_offers_review_only_to_reviewers_and_plan_import_only_to_planners(client, people, persona, review, intake):
    client.force_login(people[persona])
    links = nav_links(client)
    assert (reverse("projects:review_queue") in links) is review
    assert (reverse("intake:draft_list") in links) is intake


def test_it_offers_anonymous_visitors_no_monitoring_links(client):
    links = nav_links(client)
    assert reverse("projects:task_list") not in links and reverse("projects:review_queue") not in links


@pytest.mark.parametrize(
    "persona, landing",
    [("official", "projects:task_list"), ("reviewer", "projects:review_queue"),
     ("planner", "reports:overview"), ("admin", "reports:overview"), ("nobody", "reports:overview")],
)  # fmt: skip
def test_it_lands_each_role_on_its_own_start_page(client, people, persona, landing):
    client.force_login(people[persona])
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse(landing)
    assert client.get(response.url).status_code == 200


def test_it_lands_anonymous_visitors_on_the_overview(client):
    assert client.get("/").url == reverse("reports:overview")


def test_it_takes_a_user_who_logs_in_to_their_start_page(client, people):
    people["official"].set_password("a-long-password-1")
    people["official"].save()
    response = client.post(reverse("accounts:login"), {"username": "official", "password": "a-long-password-1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("projects:task_list")


def test_it_keeps_the_page_a_user_was_sent_to_login_from(client, people):
    people["planner"].set_password("a-long-password-1")
    people["planner"].save()
    login = reverse("accounts:login") + "?next=/plans/"
    response = client.post(login, {"username": "planner", "password": "a-long-password-1"})
    assert response.url == "/plans/"


def test_it_labels_the_navigation_in_natural_english(client, people):
    client.force_login(people["reviewer"])
    html = client.get("/plans/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    nav = NAV.search(html).group(1)
    for label in (">Overview<", ">Plans<", ">Indicator concepts<", ">Reporting<", ">Review<"):
        assert label in nav
    assert "Indicator concept<" not in nav and ">Plan<" not in nav


def test_it_serves_a_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert 'rel="icon"' in client.get("/plans/").content.decode()
