"""Plans and their own hierarchy of sections, holding the plan's whole text in order."""
import uuid

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Region

from .choices import PlanKind, SectionKind


class ChangeStamped(models.Model):
    """A model with a ``change_stamp``: what is derived from the row (the stored assessments of
    reports) is current while it carries the same stamp. Whatever changes the row renews the stamp
    explicitly, in the same save (``renew_stamp`` in the forms, admin and services that edit plans
    and indicators) or, for a batch, with ``indicators.services.indicators_changed``. Random, not a
    counter, so a save from an out-of-date instance never writes back a stamp still in use."""

    change_stamp = models.UUIDField(_("变更标记"), default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True

    def renew_stamp(self) -> None:
        """Give the instance a new stamp, written by its next save (nothing is written here)."""
        self.change_stamp = uuid.uuid4()


PLAN_TEXT_FIELDS = ("source_text", "source_note")  # a plan's whole text: reports never need it


class Plan(ChangeStamped):
    """A policy plan: a five-year plan, implementation opinions, measures or an action plan."""

    code = models.SlugField(_("代码"), max_length=80, unique=True)
    title = models.CharField(_("标题"), max_length=300)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=PlanKind.choices, default=PlanKind.FIVE_YEAR)
    issuer = models.CharField(_("发布机关"), max_length=200, blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("地区"), null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    issued_on = models.DateField(_("发布日期"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("起始年"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("终止年"), null=True, blank=True)
    base_year = models.PositiveSmallIntegerField(_("基期年"), null=True, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上位规划"), null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    source_text = models.TextField(_("原文"), blank=True)
    source_note = models.TextField(_("来源说明"), blank=True)

    class Meta:
        verbose_name = _("规划")
        verbose_name_plural = _("规划")
        ordering = ["-start_year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True)
                | models.Q(start_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="plan_end_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:plan_detail", args=[self.code])

    @property
    def display_name(self) -> str:
        return self.short_name or self.title

    @property
    def period(self) -> str:
        if self.start_year and self.end_year:
            return f"{self.start_year}—{self.end_year}"
        if self.start_year:
            return _("%(year)s年起") % {"year": self.start_year}
        return ""

    def years(self) -> list[int]:
        """The plan's reporting years; open-ended plans run to the current year."""
        from django.utils import timezone

        if not self.start_year:
            return []
        end = self.end_year or max(self.start_year, timezone.localdate().year)
        return list(range(self.start_year, end + 1))


class Section(models.Model):
    """One node of a plan's own hierarchy, with its label as printed (一、 （一） 1． 专栏一)."""

    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=SectionKind.choices)
    label = models.CharField(_("编号"), max_length=40, blank=True)
    title = models.CharField(_("标题"), max_length=500, blank=True)
    body = models.TextField(_("正文"), blank=True)
    position = models.PositiveIntegerField(_("顺序"), help_text=_("在全文中的顺序"))
    depth = models.PositiveSmallIntegerField(_("层级"), default=0)

    class Meta:
        verbose_name = _("章节")
        verbose_name_plural = _("章节")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="unique_section_position"),
        ]

    def __str__(self):
        return f"{self.label}{self.title}".strip() or self.get_kind_display()

    def get_absolute_url(self):
        return reverse("plans:plan_detail", args=[self.plan.code]) + f"#s{self.pk}"

    @property
    def heading(self) -> str:
        return f"{self.label}{self.title}".strip()
