"""Who may manage which people and organizations (人员与单位管理, /accounts/manage/): one rule.

A 管理员 (Role.ADMIN membership, not Django's superuser) manages the organizations of their
organization's region and of every region under it (accounts.permissions.regions_under, the rule
planners follow too), and the people who are members of those organizations. A superuser manages
everyone. Nobody, superuser included, changes a system actor (``system:NAME``, accounts.actors)
here, deactivates themselves, or gives anyone Django's superuser or staff flags (the page has no
such field). Only a superuser changes a superuser's account. An account that also belongs to an
organization outside the admin's region is changed (name, e-mail, password, active) only by someone
who manages all of its organizations; its memberships in the admin's own organizations may still be
added or removed.

The decisions are pure functions of plain facts (``Manager``, ``Person``); the query helpers
below them turn users into those facts.
"""
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .actors import SYSTEM_PREFIX
from .choices import Role
from .models import Membership, Organization, Region, User
from .permissions import has_any_role, load_memberships, regions_under


@dataclass(frozen=True)
class Manager:
    """The acting user: who they are, and the organizations they manage (None: all, a superuser)."""

    pk: int
    is_superuser: bool
    organization_ids: frozenset[int] | None


@dataclass(frozen=True)
class Person:
    """The account being changed."""

    pk: int
    username: str
    is_superuser: bool
    organization_ids: frozenset[int]


def admin_roots(memberships: Iterable[tuple[int, int | None, str]]) -> set[int]:
    """The regions of the 管理员 memberships, given as (organization, its region, role) (pure)."""
    return {region for _org, region, role in memberships if role == Role.ADMIN and region is not None}


def person_refusal(manager: Manager, person: Person) -> str | None:
    """Why `manager` may not change `person`'s account (name, e-mail, password, active), or None (pure)."""
    if person.username.startswith(SYSTEM_PREFIX):
        return _("“%(name)s”是系统身份，不能在这里修改。") % {"name": person.username}
    if manager.is_superuser:
        return None
    if person.is_superuser:
        return _("只有系统管理员可以修改系统管理员的账号。")
    if person.pk == manager.pk:
        return None
    if not person.organization_ids:
        return _("该用户不属于你管理的任何单位。")
    if not person.organization_ids <= manager.organization_ids:
        return _("该用户还属于你管理范围以外的单位，只能由管理所有这些单位的管理员修改。")
    return None


def deactivation_refusal(manager: Manager, person: Person) -> str | None:
    """Why `manager` may not deactivate `person`, or None (pure)."""
    if person.pk == manager.pk:
        return _("不能停用自己的账号。")
    return person_refusal(manager, person)


def membership_refusal(manager: Manager, person: Person, organization_id: int, role: str) -> str | None:
    """Why `manager` may not give or take `person`'s `role` in the organization, or None (pure)."""
    if person.username.startswith(SYSTEM_PREFIX):
        return _("“%(name)s”是系统身份，不能在这里修改。") % {"name": person.username}
    if manager.is_superuser:
        return None
    if person.is_superuser:
        return _("只有系统管理员可以修改系统管理员的账号。")
    if organization_id not in manager.organization_ids:
        return _("你只能在自己管理的单位中分配或取消角色。")
    if person.pk != manager.pk and not person.organization_ids & manager.organization_ids:
        return _("该用户不属于你管理的任何单位。")
    if role not in Role.values:
        return _("未知角色。")
    return None


def removal_refusal(manager: Manager, person: Person, organization_id: int, role: str, remaining: int) -> str | None:
    """Why `manager` may not remove the membership, `remaining` being how many the person keeps (pure)."""
    refusal = membership_refusal(manager, person, organization_id, role)
    if refusal:
        return refusal
    if person.pk == manager.pk and role == Role.ADMIN and not manager.is_superuser:
        return _("不能取消自己的管理员角色；请由其他管理员操作。")
    if remaining == 0 and not manager.is_superuser:
        return _("这是该用户唯一的角色：取消后你将无法再管理该用户。如不再使用，请停用该用户。")
    return None


def require(refusal: str | None) -> None:
    if refusal:
        raise PermissionDenied(refusal)


# -- from users to facts ------------------------------------------------------------------------


def can_manage_people(user) -> bool:
    """Reaches the management page: a superuser, or a 管理员 of some organization."""
    return user.is_authenticated and (user.is_superuser or has_any_role(user, Role.ADMIN))


def managed_region_ids(user) -> frozenset[int] | None:
    """The regions whose organizations the user manages (None: all). Kept for the request."""
    if user.is_superuser:
        return None
    cached = getattr(user, "_managed_regions", None)
    if cached is None:
        load_memberships(user)
        roots = admin_roots((m.organization_id, m.organization.region_id, m.role) for m in user.memberships.all())
        parents = dict(Region.objects.values_list("pk", "parent_id")) if roots else {}
        cached = user._managed_regions = regions_under(parents, roots)
    return cached


def managed_regions(user):
    regions = managed_region_ids(user)
    return Region.objects.all() if regions is None else Region.objects.filter(pk__in=regions)


def managed_organizations(user):
    regions = managed_region_ids(user)
    organizations = Organization.objects.select_related("region")
    return organizations if regions is None else organizations.filter(region_id__in=regions)


def managed_users(user):
    """The accounts on the page: members of the organizations the user manages (all people for a
    superuser), never system actors."""
    users = User.objects.exclude(username__startswith=SYSTEM_PREFIX)
    if not user.is_superuser:
        users = users.filter(memberships__organization__in=managed_organizations(user)).distinct()
    return users


def manager_of(user) -> Manager:
    regions = managed_region_ids(user)
    organizations = None if regions is None else frozenset(managed_organizations(user).values_list("pk", flat=True))
    return Manager(pk=user.pk, is_superuser=user.is_superuser, organization_ids=organizations)


def person_of(user) -> Person:
    organizations = frozenset(Membership.objects.filter(user=user).values_list("organization_id", flat=True))
    return Person(pk=user.pk, username=user.username, is_superuser=user.is_superuser, organization_ids=organizations)
