from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from indicators.admin import AuditedHistoryAdmin

from .models import IndicatorValue, Project, ProjectProgress, ReportingYear
from .services import BatchError, ValueChange, values_write
from .services.records import values_written_now


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "kind", "organization"]
    list_filter = ["plan", "kind"]
    search_fields = ["name"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["section"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(AuditedHistoryAdmin):
    list_display = ["indicator", "year", "value", "state", "vintage", "is_demo"]
    list_filter = ["state", "year", "is_demo", "indicator__plan"]
    raw_id_fields = ["indicator"]
    readonly_fields = ["version", "entered_by", "submitted_by", "reviewed_by"]
    list_select_related = ["indicator"]
    history_list_display = ["value", "state", "vintage", "return_reason"]

    def get_readonly_fields(self, request, obj=None):
        """A value stays with its indicator and year; its fields change through the write path."""
        fixed = ["indicator", "year"] if obj is not None else []
        return [*fixed, *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        """Through the one write path of values, as an admin's correction to the state chosen."""
        value = ValueChange(obj.indicator, obj.year, obj.value, obj.source, obj.vintage, obj.note, None)
        try:
            values_write(request.user, [value], state=obj.state, reason=_("管理后台更正"), correct=True)
        except (BatchError, PermissionDenied) as exc:
            errors = exc.errors.values() if isinstance(exc, BatchError) else [exc]
            for error in errors:
                self.message_user(request, _("没有保存：%(error)s") % {"error": error}, messages.ERROR)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        values_written_now([obj.indicator_id])

    def delete_queryset(self, request, queryset):
        indicator_ids = list(queryset.values_list("indicator_id", flat=True))
        super().delete_queryset(request, queryset)
        values_written_now(indicator_ids)


@admin.register(ProjectProgress)
class ProjectProgressAdmin(AuditedHistoryAdmin):
    list_display = ["project", "year", "status", "state"]
    list_filter = ["state", "year", "status"]
    raw_id_fields = ["project"]
    readonly_fields = ["version", "entered_by", "submitted_by", "reviewed_by"]
    history_list_display = ["status", "state", "investment", "return_reason"]


@admin.register(ReportingYear)
class ReportingYearAdmin(AuditedHistoryAdmin):
    list_display = ["plan", "year", "is_locked", "locked_by", "locked_at"]
    list_filter = ["is_locked", "year"]
    history_list_display = ["is_locked", "locked_by"]
