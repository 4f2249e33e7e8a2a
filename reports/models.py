"""Stored assessments: the verdicts of the overview and the workbook, kept instead of recomputed.

The assessment (``assessment.py``) stays the only source of every verdict; these rows only keep
what it said, so a national overview need not assess 90,000 indicators per request (issue 6).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator

from .assessment import Verdict


class StoredAssessment(models.Model):
    """An indicator's assessment as of one year, from approved values and the default tolerance.

    The row is current while ``indicator_stamp`` and ``plan_stamp`` equal the ``change_stamp`` of
    its indicator and plan and ``tolerance`` the configured one; any other row is ignored and
    rewritten when next needed (``stored.py``).
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="stored_assessments"
    )
    year = models.PositiveSmallIntegerField(_("评估年份"))
    verdict = models.CharField(_("评价"), max_length=20, choices=[(v.value, v.label) for v in Verdict])
    warning = models.BooleanField(_("预警"), default=False)
    reported = models.BooleanField(_("本年已有审核数据"), default=False)
    demo = models.BooleanField(_("含演示数据"), default=False)
    indicator_stamp = models.UUIDField(_("指标变更标记"))
    plan_stamp = models.UUIDField(_("规划变更标记"))
    tolerance = models.DecimalField(_("容差"), max_digits=6, decimal_places=4)
    assessment = models.JSONField(_("评估结果"))

    class Meta:
        verbose_name = _("已存评估结果")
        verbose_name_plural = _("已存评估结果")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="unique_stored_assessment"),
        ]

    def __str__(self):
        return f"{self.indicator} · {self.year} · {self.get_verdict_display()}"
