"""Pages showing unapproved values are never stored by a browser or a proxy (issue 14 §8):
``Cache-Control: private, no-store`` (config/middleware.py), while public pages keep theirs."""

import pytest
from django.urls import reverse

from .factories import make_user, make_world

pytestmark = pytest.mark.django_db


def private(response) -> bool:
    parts = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= parts


@pytest.fixture
def world():
    return make_world()


def test_it_keeps_entry_review_task_and_import_pages_out_of_every_cache(client, world):
    plan, year, org = world.plan.code, world.year, world.org.pk
    pages = {
        "official": [
            reverse("projects:task_list"),
            reverse("projects:value_entry", args=[plan, year, org]),
            reverse("projects:progress_entry", args=[plan, year, org]),
            reverse("excel:upload", args=[plan, year, org]),
            reverse("excel:template_download", args=[plan, year, org]),
            reverse("reports:plan_dashboard", args=[plan]) + f"?year={year}&preliminary=1",
        ],
        "reviewer": [reverse("projects:review_queue")],
        "planner": [reverse("projects:completeness", args=[plan, year])],
    }
    for persona, urls in pages.items():
        client.force_login(getattr(world, persona))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert private(response), f"{persona} {url}: {response.get('Cache-Control')}"
    client.force_login(world.official)
    draft = client.get(reverse("projects:value_entry", args=[plan, year, org])).content.decode()
    assert "120" in draft  # the page does show the draft value it must not let a cache keep


def test_it_leaves_public_pages_cacheable(client, world):
    client.force_login(world.official)
    for url in [reverse("reports:plan_dashboard", args=[world.plan.code]), reverse("reports:overview")]:
        response = client.get(url)
        assert response.status_code == 200 and not private(response), url


def test_it_keeps_the_people_pages_and_their_one_time_passwords_out_of_every_cache(client, world):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 200
    assert private(response), response.get("Cache-Control")
    assert private(client.get(reverse("accounts:login")))
