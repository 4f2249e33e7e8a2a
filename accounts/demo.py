"""Demo accounts, one per role, for trying the app locally. Never use these passwords in production.

Besides one account per role in Tianjin (蓟州区 ⊂ 天津市), two accounts elsewhere let the scoping
be tried: ``official-b`` enters for a Shenzhen unit, so nothing unapproved of the Jizhou plan is
theirs to see, and ``planner-js`` plans for Jiangsu only. ``manager`` is a 管理员 of 天津市科技局 who
is not a superuser: the people and organizations of 天津市 and 蓟州区 are theirs to manage.
"""
from django.db import transaction

from .choices import RegionLevel, Role
from .models import Membership, Organization, Region, User

DEMO_ACCOUNTS = [
    # username, password, full name, organization, role
    ("official", "guihua-official-2026", "蓟州区科技局填报员", "蓟州区科技局", Role.OFFICIAL),
    ("reviewer", "guihua-reviewer-2026", "蓟州区科技局审核员", "蓟州区科技局", Role.REVIEWER),
    ("planner", "guihua-planner-2026", "天津市科技局规划人员", "天津市科技局", Role.PLANNER),
    ("admin", "guihua-admin-2026", "系统管理员", "天津市科技局", Role.ADMIN),
    ("official-b", "guihua-official-b-2026", "深圳市科工贸信委填报员", "深圳市科技工贸和信息化委员会", Role.OFFICIAL),
    ("planner-js", "guihua-planner-js-2026", "江苏省科技厅规划人员", "江苏省科技厅", Role.PLANNER),
    ("manager", "guihua-manager-2026", "天津市科技局管理员", "天津市科技局", Role.ADMIN),
]
SUPERUSERS = {"admin"}  # ``manager`` is a 管理员 only: 人员与单位 of 天津市 and 蓟州区, not superuser
# The regions the demo organizations sit in, as the seed plans' curated data names them:
# region: (level, parent region)
REGIONS = {
    "天津市": (RegionLevel.PROVINCE, None),
    "蓟州区": (RegionLevel.COUNTY, "天津市"),
    "广东省": (RegionLevel.PROVINCE, None),
    "深圳市": (RegionLevel.CITY, "广东省"),
    "江苏省": (RegionLevel.PROVINCE, None),
}
ORGANIZATION_REGIONS = {
    "蓟州区科技局": "蓟州区",
    "天津市科技局": "天津市",
    "深圳市科技工贸和信息化委员会": "深圳市",
    "江苏省科技厅": "江苏省",
}


@transaction.atomic
def create_demo_accounts() -> list[tuple[str, str, str, str]]:
    """Create (or reset) the demo users; returns (username, password, role label, organization) rows."""
    rows = []
    for username, password, full_name, org_name, role in DEMO_ACCOUNTS:
        organization = _organization(org_name)
        user, _ = User.objects.get_or_create(username=username)
        user.full_name = full_name
        user.is_staff = user.is_superuser = username in SUPERUSERS
        user.is_active = True
        user.set_password(password)
        user.save()
        Membership.objects.get_or_create(user=user, organization=organization, role=role)
        rows.append((username, password, str(role.label), org_name))
    return rows


def _organization(name: str) -> Organization:
    organization, created = Organization.objects.get_or_create(
        name=name, defaults={"region": _region(ORGANIZATION_REGIONS[name])}
    )
    if not created and organization.region_id is None:
        organization.region = _region(ORGANIZATION_REGIONS[name])
        organization.save(update_fields=["region"])
    return organization


def _region(name: str) -> Region:
    level, parent_name = REGIONS[name]
    parent = _region(parent_name) if parent_name else None
    region, _ = Region.objects.get_or_create(name=name, defaults={"level": level, "parent": parent})
    return region
