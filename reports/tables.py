"""The indicator assessment table of the plan dashboard, over ``IndicatorRow`` objects (not a queryset).

django-tables2 sorts lists in Python through the same accessors, so every column sorts; the
``value_*`` methods give the plain text the csv/xlsx export writes instead of the HTML.
"""

from decimal import Decimal

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.numbers import number_text as core_number_text
from indicators.choices import Attribute
from indicators.targets import TargetKind

from .labels import explanation_text, translated_label


NUMBER_TARGETS = {  # kinds whose target is one number in the indicator's unit
    TargetKind.AT_LEAST, TargetKind.AT_MOST, TargetKind.ABOVE, TargetKind.BELOW, TargetKind.APPROX,
    TargetKind.CUMULATIVE,
}  # fmt: skip


def number_text(value: Decimal | None) -> str:
    """The value as people write it (``core.numbers``), a dash when there is none."""
    return core_number_text(value) or "—"


def percent_text(fraction: Decimal | None) -> str:
    if fraction is None:
        return "—"
    return f"{core_number_text(fraction * 100, 1)}%"


def _bar_width(fraction: Decimal | None) -> str:
    if fraction is None:
        return "0"
    return f"{min(max(fraction, Decimal(0)), Decimal(1)) * 100:.0f}"


class IndicatorAssessmentTable(tables.Table):
    number = tables.Column(
        verbose_name=_("序号"), accessor="indicator__number", attrs={"td": {"class": "num"}}
    )
    name = tables.Column(
        verbose_name=_("指标"),
        accessor="indicator__name",
        linkify=lambda record: record.indicator.get_absolute_url(),
    )
    unit = tables.Column(verbose_name=_("单位"), accessor="indicator__unit")
    baseline = tables.Column(
        verbose_name=_("基期"), accessor="indicator__baseline_value", attrs={"td": {"class": "num"}}
    )
    latest = tables.Column(
        verbose_name=_("最新值"), accessor="assessment__value", attrs={"td": {"class": "num"}}
    )
    target = tables.Column(
        verbose_name=_("目标"), accessor="indicator__target_text", order_by=("indicator__target_value",)
    )
    progress = tables.Column(
        verbose_name=_("完成进度 / 时序进度"), accessor="assessment__completion", empty_values=(),
        exclude_from_export=True,
    )
    # export only: the numbers of the cells above, one a column, the unit in the header
    target_number = tables.Column(verbose_name=_("目标值"), accessor="indicator__target_value", visible=False)
    completion = tables.Column(verbose_name=_("完成进度（%）"), accessor="assessment__completion", visible=False)
    time_share = tables.Column(verbose_name=_("时序进度（%）"), accessor="assessment__time_share", visible=False)
    preliminary = tables.Column(verbose_name=_("数据状态"), accessor="is_preliminary", visible=False)
    verdict = tables.Column(
        verbose_name=_("评价"), accessor="assessment__verdict", order_by=("verdict_rank",)
    )
    warning = tables.Column(verbose_name=_("预警"), accessor="assessment__warning")
    attribute = tables.Column(verbose_name=_("属性"), accessor="indicator__attribute")

    export_title = _("指标评估")  # the sheet's name in a workbook

    class Meta:
        orderable = True
        default = "—"
        empty_text = _("本规划没有量化指标")
        row_attrs = {"class": lambda record: "preliminary" if record.is_preliminary else ""}

    def __init__(self, data, *args, year: int | None = None, **kwargs):
        super().__init__(data, *args, **kwargs)
        if year is not None:
            self.columns["latest"].column.verbose_name = gettext("最新值（%(year)s）") % {"year": year}

    # -- HTML ---------------------------------------------------------------------

    def render_baseline(self, record, value):
        year = record.indicator.baseline_year
        if year is None:
            return number_text(value)
        return format_html('{}&nbsp;<span class="muted nowrap">({})</span>', number_text(value), year)

    def render_latest(self, record, value):
        year = record.assessment.value_year
        tag = (
            format_html(' <span class="tag preliminary-tag">{}</span>', gettext("初步"))
            if record.is_preliminary
            else ""
        )
        return format_html('{}&nbsp;<span class="muted nowrap">({})</span>{}', number_text(value), year, tag)

    def render_target(self, record, value):
        year = record.indicator.target_year
        return format_html('{}&nbsp;<span class="muted nowrap">{}</span>', value, f"({year})" if year else "")

    def render_progress(self, record):
        a = record.assessment
        if a.completion is None and a.time_share is None:
            return "—"
        return format_html(
            '<div class="progress-pair" title="{title}">'
            '<div class="bar-row completion"><span class="bar"><span style="width:{p}%"></span></span>'
            "<em>{label_p}</em></div>"
            '<div class="bar-row elapsed"><span class="bar"><span style="width:{e}%"></span></span>'
            "<em>{label_e}</em></div>"
            "</div>",
            title=self.value_progress(record),
            p=_bar_width(a.completion),
            e=_bar_width(a.time_share),
            label_p=gettext("完成 %(p)s") % {"p": percent_text(a.completion)},
            label_e=gettext("时序 %(e)s") % {"e": percent_text(a.time_share)},
        )

    def render_verdict(self, record, value):
        return format_html(
            '<span class="badge verdict-{}" title="{}">{}</span>',
            value.value,
            explanation_text(record.assessment),
            translated_label(value),
        )

    def render_warning(self, value):
        return format_html('<span class="warning-flag">{}</span>', gettext("预警")) if value else "—"

    def render_attribute(self, value):
        return format_html('<span class="badge attr-{}">{}</span>', value, Attribute(value).label)

    # -- export -------------------------------------------------------------------

    def value_baseline(self, record, value):
        return core_number_text(value)

    def value_latest(self, record, value):
        return core_number_text(value)

    def value_target(self, record, value):
        return value

    def value_target_number(self, record, value):
        """The target where it is one number in the indicator's unit; empty for a range, a rate or a phrase."""
        return core_number_text(value) if record.indicator.target.kind in NUMBER_TARGETS else ""

    def value_completion(self, value):
        return "" if value is None else core_number_text(value * 100, 1)

    def value_time_share(self, value):
        return "" if value is None else core_number_text(value * 100, 1)

    def value_preliminary(self, value):
        return gettext("初步") if value else gettext("已审核")

    def value_progress(self, record):
        a = record.assessment
        return gettext("完成进度 %(p)s · 时序进度 %(e)s") % {
            "p": percent_text(a.completion),
            "e": percent_text(a.time_share),
        }

    def value_verdict(self, value):
        return translated_label(value)

    def value_warning(self, value):
        return gettext("预警") if value else ""

    def value_attribute(self, value):
        return str(Attribute(value).label)
