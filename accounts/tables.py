import django_tables2 as tables
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .models import Organization, User


class OrganizationTable(tables.Table):
    name = tables.LinkColumn("accounts:organization_edit", args=[tables.A("pk")], verbose_name=_("名称"))
    short_name = tables.Column(verbose_name=_("简称"))
    region = tables.Column(verbose_name=_("地区"))
    member_count = tables.Column(verbose_name=_("成员数"), attrs={"td": {"class": "num"}})

    class Meta:
        model = Organization
        fields = ["name", "short_name", "region", "member_count"]
        order_by = ["name"]
        empty_text = _("没有符合条件的单位")


class UserTable(tables.Table):
    username = tables.LinkColumn("accounts:user_detail", args=[tables.A("pk")], verbose_name=_("用户名"))
    full_name = tables.Column(verbose_name=_("姓名"))
    email = tables.Column(verbose_name=_("电子邮箱"))
    roles = tables.Column(verbose_name=_("单位与角色"), empty_values=(), orderable=False)
    is_active = tables.BooleanColumn(verbose_name=_("已启用"))

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "roles", "is_active"]
        order_by = ["username"]
        empty_text = _("没有符合条件的用户")

    def render_roles(self, record):
        memberships = [(m.organization, m.get_role_display()) for m in record.memberships.all()]
        return format_html_join("", "<div>{} · {}</div>", memberships) if memberships else "—"
