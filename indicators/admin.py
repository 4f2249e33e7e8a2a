from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Concept, Indicator, TargetRevision


class AuditedHistoryAdmin(SimpleHistoryAdmin):
    """Shows a record's history and never changes it: no revert, no edit of a historical version.

    SIMPLE_HISTORY_REVERT_DISABLED only hides the button; the revert view still saves whatever is
    posted to it, so it is refused here. The historical models themselves are not registered in
    the admin at all, so they have no change or delete pages.
    """

    history_list_display = ["history_change_reason"]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied(_("历史记录只能查看，不能恢复或修改。"))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def has_change_history_permission(self, request, obj=None):
        return False

    def has_view_history_permission(self, request, obj=None):
        return self.has_view_permission(request, obj) or self.has_change_permission(request, obj)


class TargetRevisionInline(admin.TabularInline):
    model = TargetRevision
    extra = 0
    readonly_fields = ["created_by", "created_at"]


@admin.register(Indicator)
class IndicatorAdmin(AuditedHistoryAdmin):
    list_display = [
        "number", "name", "plan", "unit", "baseline_value", "target_text", "target_kind", "attribute", "organization",
    ]
    list_filter = ["plan", "attribute", "direction", "aggregation", "target_kind"]
    search_fields = ["name", "category", "target_text"]
    autocomplete_fields = ["organization", "concept"]
    raw_id_fields = ["section"]
    list_select_related = ["plan", "organization"]
    inlines = [TargetRevisionInline]
    history_list_display = ["target_text", "baseline_value", "organization"]

    def save_model(self, request, obj, form, change):
        obj.renew_stamp()  # what reports derived from the indicator is out of date
        super().save_model(request, obj, form, change)


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit"]
    search_fields = ["name", "code"]


@admin.register(TargetRevision)
class TargetRevisionAdmin(admin.ModelAdmin):
    list_display = ["indicator", "revised_on", "document", "old_target_text", "new_target_text"]
    raw_id_fields = ["indicator"]
