"""Users, the responsible units (责任单位) they belong to, and the regions both sit in.

Region lives here rather than in plans/ because organizations need it and accounts is the
bottom of the dependency chain (reports → projects → indicators → plans → accounts).
"""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import RegionLevel, Role


class Region(models.Model):
    """An administrative area: 天津市 ⊃ 蓟州区."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    level = models.CharField(_("级别"), max_length=20, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级地区"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organization(models.Model):
    """A responsible unit (责任单位) that owns indicators and key projects, e.g. 蓟州区科技局."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("地区"), null=True, blank=True, on_delete=models.PROTECT, related_name="organizations"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person using Guihua; what they may do comes from their memberships."""

    full_name = models.CharField(_("姓名"), max_length=100, blank=True)
    organizations = models.ManyToManyField(
        Organization, through="Membership", verbose_name=_("所属单位"), related_name="users", blank=True
    )
    must_change_password = models.BooleanField(
        _("下次登录须修改密码"), default=False,
        help_text=_("管理员重置密码后设置；用户修改密码后清除。"),
    )
    # Who changed whom, and when; the password hash never goes into the history, and neither does
    # the login time (a login is not a change of the account).
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        if set(kwargs.get("update_fields") or ()) == {"last_login"}:
            self.skip_history_when_saving = True  # simple_history's own switch
            try:
                return super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
        return super().save(*args, **kwargs)

    def roles_in(self, organization_id) -> set[str]:
        return {m.role for m in self.memberships.all() if m.organization_id == organization_id}

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or any(m.role in roles for m in self.memberships.all())

    @property
    def is_planner(self) -> bool:
        return self.has_role(Role.PLANNER, Role.ADMIN)


class Membership(models.Model):
    """A user's role (填报员/审核员/规划人员/管理员) in one organization."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("单位成员")
        verbose_name_plural = _("单位成员")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="unique_membership_role"),
        ]

    def __str__(self):
        return f"{self.user} · {self.organization} · {self.get_role_display()}"
