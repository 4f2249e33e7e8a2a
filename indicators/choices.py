from django.db import models
from django.utils.translation import gettext_lazy as _


class Attribute(models.TextChoices):
    EXPECTED = "expected", _("预期性")
    BINDING = "binding", _("约束性")


class Direction(models.TextChoices):
    UP = "up", _("越高越好")
    DOWN = "down", _("越低越好")


class Aggregation(models.TextChoices):
    LEVEL = "level", _("水平值")
    CUMULATIVE = "cumulative", _("累计值")
    GROWTH = "growth", _("增长率")


class TargetKindChoice(models.TextChoices):
    AT_LEAST = "at_least", _("不低于")
    AT_MOST = "at_most", _("不高于")
    ABOVE = "above", _("突破")
    BELOW = "below", _("低于")
    RANGE = "range", _("区间")
    APPROX = "approx", _("左右")
    RANK = "rank", _("位次")
    GROWTH = "growth", _("增速下限")
    MULTIPLE = "multiple", _("倍数")
    CUMULATIVE = "cumulative", _("累计")
    RELATIVE = "relative", _("相对表述")
    QUALITATIVE = "qualitative", _("定性表述")
