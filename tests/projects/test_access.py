"""access.py: one helper per object, raising 404 or 403."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import permissions
from projects import access
from projects.choices import State

from .factories import make_progress, make_user, make_value

pytestmark = pytest.mark.django_db
EVERYONE = ["official", "reviewer", "planner", "outsider", "other_official"]


def _allowed(helper, *args, **kwargs) -> bool:
    try:
        helper(*args, **kwargs)
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize(("state", "readers"), [
    (State.DRAFT, {"official", "reviewer", "planner"}),
    (State.SUBMITTED, {"official", "reviewer", "planner"}),
    (State.RETURNED, {"official", "reviewer", "planner"}),
    (State.APPROVED, set(EVERYONE)),
])
def test_it_shows_unapproved_values_only_inside_the_organization(world, state, readers):
    value = make_value(world.share, world.year, "1.8", state)
    progress = make_progress(world.project, world.year, state=state)
    for persona in EVERYONE:
        user = getattr(world, persona)
        assert _allowed(access.get_value_for_user, user, value.pk) is (persona in readers), persona
        assert _allowed(access.get_progress_for_user, user, progress.pk) is (persona in readers), persona


def test_it_lets_only_officials_and_reviewers_of_the_organization_write(world):
    value = make_value(world.share, world.year, "1.8", State.APPROVED)
    writers = {p for p in EVERYONE if _allowed(access.get_value_for_user, getattr(world, p), value.pk, write=True)}
    assert writers == {"official", "reviewer"}


def test_it_refuses_anonymous_users(world):
    value = make_value(world.share, world.year, "1.8", State.APPROVED)
    assert not _allowed(access.get_value_for_user, AnonymousUser(), value.pk)
    assert not permissions.can_plan(AnonymousUser())


def test_it_answers_404_for_missing_records(world):
    with pytest.raises(Http404):
        access.get_value_for_user(world.official, 999999)
    with pytest.raises(Http404):
        access.get_plan_year_for_user(world.official, world.plan.code, world.year, 999999)
    with pytest.raises(Http404):
        access.get_plan_year_for_user(world.official, world.plan.code, 2019, world.org.pk)


def test_it_scopes_plan_years_by_role(world):
    args = (world.plan.code, world.year, world.org.pk)
    readers = {p for p in EVERYONE if _allowed(access.get_plan_year_for_user, getattr(world, p), *args)}
    writers = {p for p in EVERYONE if _allowed(access.get_plan_year_for_user, getattr(world, p), *args, write=True)}
    assert (readers, writers) == ({"official", "reviewer", "planner"}, {"official"})
    scope = access.get_plan_year_for_user(world.official, *args)
    assert (scope.plan, scope.year, scope.organization) == (world.plan, world.year, world.org)


def test_it_lets_superusers_do_everything(world):
    root = make_user("root", None, is_superuser=True)
    assert permissions.can_enter(root, world.org) and permissions.can_review(root, world.other_org) and permissions.can_plan(root)
    assert permissions.reviewer_organization_ids(root) is None


def test_it_reads_memberships_once(world, django_assert_num_queries):
    user = type(world.official).objects.get(pk=world.official.pk)
    with django_assert_num_queries(1):
        for _ in range(5):
            permissions.can_enter(user, world.org)
            permissions.can_review(user, world.org)
            permissions.can_plan(user)
