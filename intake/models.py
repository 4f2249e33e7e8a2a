"""Import drafts: a plan document read in the browser, reviewed and edited before it is published."""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plans.models import Plan


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    DISCARDED = "discarded", _("已放弃")


class PlanDraft(models.Model):
    """One import of a plan document by a planner: the file or pasted text, what the parser read
    (``parsed``, the ``intake.drafts.draft_json`` format) and the planner's edits (``edits``:
    metadata, indicator rows, decisions on prose proposals). The uploaded file is kept under
    UPLOAD_STAGING_ROOT (``stored_name``), outside MEDIA_ROOT, so it is never served."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.CASCADE, related_name="plan_drafts"
    )
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    file_format = models.CharField(_("格式"), max_length=10, blank=True)
    file_size = models.PositiveIntegerField(_("文件大小"), default=0)
    stored_name = models.CharField(_("暂存文件"), max_length=100, blank=True, editable=False)
    pasted_text = models.TextField(_("粘贴的文本"), blank=True)
    source_text = models.TextField(_("原文"), blank=True)
    parsed = models.JSONField(_("解析结果"))
    edits = models.JSONField(_("修改"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=DraftStatus.choices, default=DraftStatus.DRAFT)
    revises = models.ForeignKey(
        Plan, verbose_name=_("修订的规划"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("发布的规划"), null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入草稿")
        verbose_name_plural = _("导入草稿")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(plan__isnull=False),
                name="published_draft_has_plan",
            ),
        ]

    def __str__(self):
        return self.title or self.filename or _("粘贴的文本")

    def get_absolute_url(self):
        return reverse("intake:draft_review", args=[self.pk])

    @property
    def title(self) -> str:
        return (self.edits.get("metadata") or {}).get("title") or self.parsed.get("title") or ""

    @property
    def is_open(self) -> bool:
        return self.status == DraftStatus.DRAFT
