"""Demo accounts, one per role, for trying the app locally. Never use these passwords in production."""
from django.db import transaction

from .choices import RegionLevel, Role
from .models import Membership, Organization, Region, User

DEMO_ACCOUNTS = [
    # username, password, full name, organization, role
    ("official", "guihua-official-2026", "蓟州区科技局填报员", "蓟州区科技局", Role.OFFICIAL),
    ("reviewer", "guihua-reviewer-2026", "蓟州区科技局审核员", "蓟州区科技局", Role.REVIEWER),
    ("planner", "guihua-planner-2026", "天津市科技局规划人员", "天津市科技局", Role.PLANNER),
    ("admin", "guihua-admin-2026", "系统管理员", "天津市科技局", Role.ADMIN),
]


@transaction.atomic
def create_demo_accounts() -> list[tuple[str, str, str]]:
    """Create (or reset) the demo users; returns (username, password, role label) rows."""
    tianjin, _ = Region.objects.get_or_create(name="天津市", defaults={"level": RegionLevel.PROVINCE})
    jizhou, _ = Region.objects.get_or_create(name="蓟州区", defaults={"level": RegionLevel.COUNTY, "parent": tianjin})
    regions = {"蓟州区科技局": jizhou, "天津市科技局": tianjin}
    rows = []
    for username, password, full_name, org_name, role in DEMO_ACCOUNTS:
        organization, _ = Organization.objects.get_or_create(name=org_name, defaults={"region": regions[org_name]})
        user, _ = User.objects.get_or_create(username=username)
        user.full_name = full_name
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.set_password(password)
        user.save()
        Membership.objects.get_or_create(user=user, organization=organization, role=role)
        rows.append((username, password, str(role.label)))
    return rows
