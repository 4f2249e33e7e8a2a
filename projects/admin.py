from django.contrib import admin

from indicators.admin import AuditedHistoryAdmin
from indicators.services import indicators_changed

from .models import IndicatorValue, Project, ProjectProgress, ReportingYear


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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        moved_from = form.initial.get("indicator")  # the value may have been moved to another indicator
        indicators_changed([obj.indicator_id, *([moved_from] if moved_from else [])])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        indicators_changed([obj.indicator_id])

    def delete_queryset(self, request, queryset):
        indicator_ids = list(queryset.values_list("indicator_id", flat=True))
        super().delete_queryset(request, queryset)
        indicators_changed(indicator_ids)


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
