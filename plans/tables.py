import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Plan


class PlanTable(tables.Table):
    title = tables.Column(verbose_name=_("规划"), linkify=True)
    region = tables.Column(verbose_name=_("地区"))
    kind = tables.Column(verbose_name=_("类型"))
    period = tables.Column(verbose_name=_("期限"), order_by=("start_year", "end_year"), empty_values=())
    document_number = tables.Column(verbose_name=_("文号"))
    indicator_count = tables.Column(verbose_name=_("指标数"), attrs={"td": {"class": "num"}})
    section_count = tables.Column(verbose_name=_("章节数"), attrs={"td": {"class": "num"}})

    class Meta:
        model = Plan
        fields = ["title", "region", "kind", "period", "issuer", "document_number"]
        order_by = ["-start_year"]
        empty_text = _("没有符合条件的规划")

    def render_period(self, record):
        return record.period or "—"
