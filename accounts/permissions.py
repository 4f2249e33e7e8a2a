"""Role checks that read only accounts: a user's memberships and roles in an organization.

Officials (填报员) enter and submit their organization's records; reviewers (审核员) of the same
organization approve or return them (never a record they entered or submitted: projects.workflow);
planners (规划人员, or 管理员 of an organization) act on the plans of their organization's region and
of every region under it: they revise targets, edit indicators, lock years, publish a plan again.
A superuser may do everything, everywhere. Checks per monitoring record (which need its models)
are in projects/access.py, built on these.
"""
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _

from .choices import Role
from .models import Membership, Region

REGION_ROLES = (Role.PLANNER, Role.ADMIN)


def can_plan(user) -> bool:
    """Has a planner's role somewhere: reaches the planners' pages (whose plans: can_plan_region)."""
    return user.is_authenticated and (user.is_superuser or has_any_role(user, *REGION_ROLES))


def can_plan_region(user, region_id: int | None) -> bool:
    """May the user act as planner on a plan of `region_id` (a plan without a region: superusers only)?"""
    if not user.is_authenticated:
        return False
    return user.is_superuser or (region_id is not None and region_id in planning_regions(user))


def require_plan_region(user, plan) -> None:
    """PermissionDenied, saying why, unless the user may act as planner on `plan` (its region_id)."""
    if not can_plan_region(user, plan.region_id):
        raise PermissionDenied(planning_refusal(user, plan))


def planning_refusal(user, plan) -> str:
    """Why the user may not act as planner on `plan`."""
    if not can_plan(user):
        return _("只有规划人员或管理员可以进行此操作。")
    load_memberships(user)
    regions = sorted({str(m.organization.region) for m in user.memberships.all() if _plans_for_region(m)})
    if not regions:
        return _("你所在单位没有设置所属地区，不能管理任何地区的规划。请联系系统管理员为单位设置地区。")
    return _("你只能管理%(regions)s及其下级地区的规划；该规划属于%(region)s。") % {
        "regions": "、".join(regions), "region": plan.region or _("（未设置地区）"),
    }


def planning_regions(user) -> frozenset[int]:
    """The regions whose plans the user acts on as planner (superusers aside): the regions of the
    organizations they are 规划人员 or 管理员 of, and every region under them. Kept for the request."""
    cached = getattr(user, "_planning_regions", None)
    if cached is None:
        load_memberships(user)
        memberships = [(m.organization_id, m.organization.region_id, m.role) for m in user.memberships.all()]
        roots = planning_roots(memberships)
        parents = dict(Region.objects.values_list("pk", "parent_id")) if roots else {}
        cached = user._planning_regions = regions_under(parents, roots)
    return cached


def planning_roots(memberships: Iterable[tuple[int, int | None, str]]) -> set[int]:
    """The regions of the planner and admin memberships, given as (organization, its region, role) (pure)."""
    return {region for _org, region, role in memberships if role in REGION_ROLES and region is not None}


def regions_under(parents: Mapping[int, int | None], roots: Iterable[int]) -> frozenset[int]:
    """The regions `roots` and every region below them, given each region's parent (pure)."""
    children: dict[int | None, list[int]] = {}
    for region, parent in parents.items():
        children.setdefault(parent, []).append(region)
    found, todo = set(), [r for r in roots if r is not None]
    while todo:
        region = todo.pop()
        if region not in found:
            found.add(region)
            todo.extend(children.get(region, []))
    return frozenset(found)


def _plans_for_region(membership) -> bool:
    return membership.role in REGION_ROLES and membership.organization.region_id is not None


def can_enter(user, organization) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.OFFICIAL in roles_in(user, organization))


def can_review(user, organization) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.REVIEWER in roles_in(user, organization))


def can_read(user, organization, region_id: int | None) -> bool:
    """May see the drafts and unapproved records of the organization in a plan of `region_id`: the
    organization's members, and the planners of the region (accounts.visibility, the same rule)."""
    return bool(roles_in(user, organization)) or can_plan_region(user, region_id)


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
