"""Annual monitoring records: indicator values and key-project progress, their review workflow,
year locks, and their history."""
from datetime import timedelta

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organization, User
from indicators.models import Indicator
from plans.models import Plan, Section

from .choices import ProgressStatus, ProjectKind, State, Vintage


class WorkflowRecord(models.Model):
    """Fields every reported record shares: its review state, who did each step and when, and a
    version for optimistic locking (a save from a stale page is refused, never silently applied)."""

    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    note = models.TextField(_("说明"), blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    entered_by = models.ForeignKey(
        User, verbose_name=_("填报人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(_("填报时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        User, verbose_name=_("提交人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    # Four eyes allowed a reviewer to decide on their own record (settings.GUIHUA_ALLOW_SELF_REVIEW).
    self_reviewed = models.BooleanField(_("本人审核"), default=False)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.state in (State.DRAFT, State.RETURNED)


class IndicatorValue(WorkflowRecord):
    """The value an organization reports for one indicator and year."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("年份"))
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4)
    source = models.CharField(_("数据来源"), max_length=200, blank=True)
    vintage = models.CharField(_("数据性质"), max_length=20, choices=Vintage.choices, default=Vintage.PRELIMINARY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指标数值")
        verbose_name_plural = _("指标数值")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="unique_indicator_year"),
        ]
        indexes = [models.Index(fields=["state", "year"])]

    def __str__(self):
        return f"{self.indicator} · {self.year}: {self.value}"

    def get_absolute_url(self):
        return reverse("indicators:indicator_detail", args=[self.indicator_id])


class Project(models.Model):
    """A key project, special programme, engineering programme or task of a plan."""

    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="projects")
    section = models.ForeignKey(
        Section, verbose_name=_("所在章节"), null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    name = models.CharField(_("名称"), max_length=300)
    kind = models.CharField(_("类型"), max_length=20, choices=ProjectKind.choices, default=ProjectKind.TASK)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("牵头单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    position = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("重点项目")
        verbose_name_plural = _("重点项目")
        ordering = ["plan", "position", "pk"]

    def __str__(self):
        return self.name


class ProjectProgress(WorkflowRecord):
    """A key project's yearly status, narrative and investment."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="progress")
    year = models.PositiveSmallIntegerField(_("年份"))
    status = models.CharField(_("进展"), max_length=20, choices=ProgressStatus.choices)
    narrative = models.TextField(_("进展情况"), blank=True)
    investment = models.DecimalField(_("完成投资（万元）"), max_digits=20, decimal_places=4, null=True, blank=True)
    attachment = models.FileField(_("附件"), upload_to="progress/%Y/", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目进展")
        verbose_name_plural = _("项目进展")
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="unique_project_year"),
        ]

    def __str__(self):
        return f"{self.project} · {self.year}: {self.get_status_display()}"


class ReportingYear(models.Model):
    """A plan's reporting year; once locked it refuses every change until a planner unlocks it."""

    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="reporting_years")
    year = models.PositiveSmallIntegerField(_("年份"))
    is_locked = models.BooleanField(_("已锁定"), default=False)
    locked_by = models.ForeignKey(
        User, verbose_name=_("锁定人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("填报年度")
        verbose_name_plural = _("填报年度")
        ordering = ["plan", "year"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="unique_plan_year")]

    def __str__(self):
        return f"{self.plan.display_name} {self.year}"


class StagedUpload(models.Model):
    """An uploaded file's rows as read, waiting between its preview and its confirmation.

    The rows (``projects.imports.ImportRow.to_json``), not the file, are kept: the preview and the
    confirmation validate exactly these rows, and the file is never parsed again. It belongs to the
    user who uploaded it; one not confirmed within ``LIFETIME`` is deleted by the next upload page
    anyone opens, or by ``manage.py clear_staged_uploads``.
    """

    LIFETIME = timedelta(hours=24)

    token = models.CharField(_("令牌"), max_length=64, unique=True)
    user = models.ForeignKey(User, verbose_name=_("上传人"), on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年份"))
    organization = models.ForeignKey(
        Organization, verbose_name=_("责任单位"), on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(_("导入后状态"), max_length=20, choices=State.choices)
    filename = models.CharField(_("文件名"), max_length=200)
    rows = models.JSONField(_("数据行"), default=list)
    fingerprint = models.CharField(_("预览摘要"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("待确认的导入")
        verbose_name_plural = _("待确认的导入")

    def __str__(self):
        return f"{self.filename} · {self.user}"

    @classmethod
    def clear_expired(cls) -> int:
        """Delete every upload older than LIFETIME, whoever made it; how many were deleted."""
        deleted, _by_model = cls.objects.filter(created_at__lt=timezone.now() - cls.LIFETIME).delete()
        return deleted

    @property
    def is_expired(self) -> bool:
        return self.created_at < timezone.now() - self.LIFETIME
