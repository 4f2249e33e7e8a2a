from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    NATIONAL = "national", _("国家")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("区县级")


class Role(models.TextChoices):
    OFFICIAL = "official", _("填报员")
    REVIEWER = "reviewer", _("审核员")
    PLANNER = "planner", _("规划人员")
    ADMIN = "admin", _("管理员")
