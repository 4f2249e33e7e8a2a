"""Key indicators of a plan: definition, baseline, typed target, and their revisions."""
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organization
from plans.models import ChangeStamped, Plan, Section

from .choices import Aggregation, Attribute, Direction, TargetKindChoice
from .targets import Target, TargetKind

DECIMAL = {"max_digits": 20, "decimal_places": 4, "null": True, "blank": True}


class Concept(models.Model):
    """One measure that several plans track (e.g. R&D intensity), linking them across periods and levels."""

    code = models.SlugField(_("代码"), max_length=80, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    unit = models.CharField(_("单位"), max_length=30, blank=True)
    description = models.TextField(_("定义"), blank=True)

    class Meta:
        verbose_name = _("指标概念")
        verbose_name_plural = _("指标概念")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reports:concept_detail", args=[self.code])


class Indicator(ChangeStamped):
    """A key indicator of one plan, with the target as the plan words it and as a typed value."""

    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="indicators")
    section = models.ForeignKey(
        Section, verbose_name=_("所在章节"), null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    number = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("指标"), max_length=300)
    unit = models.CharField(_("单位"), max_length=30, blank=True)
    category = models.CharField(_("类别"), max_length=100, blank=True)
    definition = models.TextField(_("定义"), blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("基期年"), null=True, blank=True)
    baseline_value = models.DecimalField(_("基期值"), **DECIMAL)
    baseline_text = models.CharField(_("基期值原文"), max_length=200, blank=True)
    target_year = models.PositiveSmallIntegerField(_("目标年"), null=True, blank=True)
    target_text = models.CharField(_("目标原文"), max_length=300, blank=True)
    target_kind = models.CharField(_("目标类型"), max_length=20, choices=TargetKindChoice.choices)
    target_value = models.DecimalField(_("目标值"), **DECIMAL)
    target_low = models.DecimalField(_("目标下限"), **DECIMAL)
    target_high = models.DecimalField(_("目标上限"), **DECIMAL)
    attribute = models.CharField(_("属性"), max_length=20, choices=Attribute.choices, default=Attribute.EXPECTED)
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices, default=Direction.UP)
    aggregation = models.CharField(
        _("统计口径"), max_length=20, choices=Aggregation.choices, default=Aggregation.LEVEL
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    concept = models.ForeignKey(
        Concept, verbose_name=_("指标概念"), null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    source_quote = models.TextField(_("原文出处"), blank=True)
    # change_stamp (ChangeStamped) is also renewed when the values change: services.indicators_changed
    history = HistoricalRecords(excluded_fields=["source_quote", "definition", "change_stamp"])

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_indicator_number"),
            models.CheckConstraint(
                condition=models.Q(target_low__isnull=True)
                | models.Q(target_high__isnull=True)
                | models.Q(target_low__lte=models.F("target_high")),
                name="indicator_target_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


    def get_absolute_url(self):
        return reverse("indicators:indicator_detail", args=[self.pk])

    @property
    def target(self) -> Target:
        """The typed target, rebuilt from its columns."""
        kind = TargetKind(self.target_kind)
        return Target(
            kind=kind,
            value=self.target_value,
            low=self.target_low,
            high=self.target_high,
            # a growth floor is a rate, whatever unit the indicator's level is counted in
            unit="%" if kind is TargetKind.GROWTH else self.unit,
            text=self.target_text,
            direction=self.direction,
        )

    def set_target(self, target: Target) -> None:
        self.target_kind = target.kind.value
        self.target_value = target.value
        self.target_low = target.low
        self.target_high = target.high
        self.target_text = target.text or target.render()

    @property
    def is_binding(self) -> bool:
        return self.attribute == Attribute.BINDING

    @property
    def is_share(self) -> bool:
        """Percent units, whose values must lie in 0–100."""
        return self.unit.strip() in {"%", "％"}

    @property
    def is_rank(self) -> bool:
        return self.target_kind == TargetKind.RANK.value


class TargetRevision(models.Model):
    """A mid-plan adjustment (规划调整) of an indicator's target or baseline, with its document and reason.

    The row keeps both the values before and after, so the original target stays known.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="revisions"
    )
    document = models.CharField(_("调整依据文件"), max_length=300)
    revised_on = models.DateField(_("调整日期"))
    reason = models.TextField(_("调整理由"))
    old_target_text = models.CharField(_("原目标"), max_length=300, blank=True)
    new_target_text = models.CharField(_("新目标"), max_length=300, blank=True)
    old_baseline_value = models.DecimalField(_("原基期值"), **DECIMAL)
    new_baseline_value = models.DecimalField(_("新基期值"), **DECIMAL)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    # A revision is evidence of what the plan said before: any later change or deletion stays on record.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("目标调整")
        verbose_name_plural = _("目标调整")
        ordering = ["indicator", "revised_on", "pk"]

    def __str__(self):
        return f"{self.indicator} · {self.revised_on}"
