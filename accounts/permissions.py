"""Role checks that read only accounts: a user's memberships and roles in an organization.

Officials (填报员) enter and submit their organization's records; reviewers (审核员) of the same
organization approve or return them; planners (规划人员) and admins read everything, lock years and
edit indicators. A superuser may do everything. Checks per monitoring record (which need its
models) are in projects/access.py, built on these.
"""
from django.db.models import Prefetch, prefetch_related_objects

from .choices import Role
from .models import Membership


def can_plan(user) -> bool:
    """Planners and admins read everything, lock or unlock years and edit indicators."""
    return user.is_authenticated and (user.is_superuser or has_any_role(user, Role.PLANNER, Role.ADMIN))


def can_enter(user, organization) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.OFFICIAL in roles_in(user, organization))


def can_review(user, organization) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.REVIEWER in roles_in(user, organization))


def can_read(user, organization) -> bool:
    """May see drafts and unapproved records of the organization: its members and planners."""
    return can_plan(user) or bool(roles_in(user, organization))


def is_admin(user) -> bool:
    """Admins (and the system, user None) may correct records in any state."""
    return user is None or user.is_superuser or has_any_role(user, Role.ADMIN)


def is_reviewer(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_any_role(user, Role.REVIEWER))


def reviewer_organization_ids(user) -> set[int] | None:
    """The organizations whose records the user reviews; None means all (superuser)."""
    if user.is_superuser:
        return None
    load_memberships(user)
    return {m.organization_id for m in user.memberships.all() if m.role == Role.REVIEWER}


def roles_in(user, organization) -> set[str]:
    """The user's roles in one organization (object or pk), from memberships loaded once per request."""
    org_id = getattr(organization, "pk", organization)
    if org_id is None or not user.is_authenticated:
        return set()
    load_memberships(user)
    return user.roles_in(org_id)


def has_any_role(user, *roles) -> bool:
    load_memberships(user)
    return any(m.role in roles for m in user.memberships.all())


def load_memberships(user) -> None:
    """Memberships are read many times per request; load them once."""
    if "memberships" not in getattr(user, "_prefetched_objects_cache", {}):
        memberships = Membership.objects.select_related("organization")
        prefetch_related_objects([user], Prefetch("memberships", queryset=memberships))
