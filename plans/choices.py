from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    FIVE_YEAR = "five_year", _("五年规划")
    OPINIONS = "opinions", _("实施意见")
    MEASURES = "measures", _("若干措施")
    ACTION_PLAN = "action_plan", _("行动计划")
    PROGRAMME = "programme", _("实施方案")
    OTHER = "other", _("其他")


class SectionKind(models.TextChoices):
    PREAMBLE = "preamble", _("前言")
    CHAPTER = "chapter", _("章")
    SECTION = "section", _("节")
    ARTICLE = "article", _("条")
    ITEM = "item", _("项")
    BOX = "box", _("专栏")
    PRINCIPLE = "principle", _("要点")
