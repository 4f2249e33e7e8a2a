"""The admin of indicators, and the read-only admin every audited record uses.

The admin shows records the app's pages write and never writes them itself: those pages are where
the rules live (who may, which region, year locks, four eyes, versions, history), and a generic
edit form would have to repeat every one of them and drift from them. So indicators, target
revisions, monitoring records and reporting years are read-only here, superuser included, and
each page says where the record is changed; their history can be read and never edited, reverted
or deleted. Since deleting a plan, a project or an indicator would delete such records with it,
the admin refuses those deletions too (Django checks the delete permission of every related
object it would delete).
"""
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.admin import NoWrites, ReadOnlyHistoryAdmin

from .models import Concept, Indicator, TargetRevision


class ReadOnlyAdmin(NoWrites, admin.ModelAdmin):
    """No add, change or delete, for anyone; `where_to_change` points to the page that does it."""

    def get_fields(self, request, obj=None):
        fields = [name for name in super().get_fields(request, obj) if name != "where_to_change"]
        return ["where_to_change", *fields] if obj is not None else fields

    def get_readonly_fields(self, request, obj=None):
        return ["where_to_change", *super().get_readonly_fields(request, obj)]

    @admin.display(description=_("在哪里修改"))
    def where_to_change(self, obj):
        url, label = self.change_page(obj)
        if url is None:
            return label
        return format_html('<a href="{}">{}</a>', url, label)

    def change_page(self, obj) -> tuple[str | None, str]:
        """(url, label) of the app's page that changes the record; url None when there is none."""
        return None, _("此记录只能查看。")


class AuditedHistoryAdmin(ReadOnlyAdmin, ReadOnlyHistoryAdmin):
    """Shows a record and its history and never changes either: no edit, no revert, no delete.
    The historical models themselves are not registered in the admin at all, so they have no
    change or delete pages."""

    history_list_display = ["history_change_reason"]


class TargetRevisionInline(NoWrites, admin.TabularInline):
    model = TargetRevision
    extra = 0
    fields = ["revised_on", "document", "old_target_text", "new_target_text", "old_baseline_value",
              "new_baseline_value", "reason", "created_by", "created_at"]  # fmt: skip
    readonly_fields = fields


@admin.register(Indicator)
class IndicatorAdmin(AuditedHistoryAdmin):
    """Read only: planners edit an indicator's definition on its page (/indicators/N/edit/, within
    their region, kept in its history) and change its target or baseline only by a 规划调整
    (/indicators/N/revise/), which records the revision; plans are written by intake."""

    list_display = [
        "number", "name", "plan", "unit", "baseline_value", "target_text", "target_kind", "attribute", "organization",
    ]
    list_filter = ["plan", "attribute", "direction", "aggregation", "target_kind"]
    search_fields = ["name", "category", "target_text"]
    list_select_related = ["plan", "organization"]
    inlines = [TargetRevisionInline]
    history_list_display = ["target_text", "baseline_value", "organization"]

    def change_page(self, obj):
        return obj.get_absolute_url(), _("在指标页面编辑定义；目标和基期值通过“规划调整”修改。")


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit"]
    search_fields = ["name", "code"]


@admin.register(TargetRevision)
class TargetRevisionAdmin(AuditedHistoryAdmin):
    """Read only: a revision is the record of what the plan said before; it is made by 规划调整 on
    the indicator's page and never edited or deleted (its history keeps any change made outside)."""

    list_display = ["indicator", "revised_on", "document", "old_target_text", "new_target_text", "created_by"]
    list_select_related = ["indicator", "created_by"]
    history_list_display = ["old_target_text", "new_target_text", "old_baseline_value", "new_baseline_value"]

    def change_page(self, obj):
        return obj.indicator.get_absolute_url(), _("目标调整记录只能查看；新的调整在指标页面通过“规划调整”记录。")
