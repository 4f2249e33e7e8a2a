from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Concept, Indicator, TargetRevision


class TargetRevisionInline(admin.TabularInline):
    model = TargetRevision
    extra = 0
    readonly_fields = ["created_by", "created_at"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = [
        "number", "name", "plan", "unit", "baseline_value", "target_text", "target_kind", "attribute", "organization",
    ]
    list_filter = ["plan", "attribute", "direction", "aggregation", "target_kind"]
    search_fields = ["name", "category", "target_text"]
    autocomplete_fields = ["organization", "concept"]
    raw_id_fields = ["section"]
    list_select_related = ["plan", "organization"]
    inlines = [TargetRevisionInline]


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit"]
    search_fields = ["name", "code"]


@admin.register(TargetRevision)
class TargetRevisionAdmin(admin.ModelAdmin):
    list_display = ["indicator", "revised_on", "document", "old_target_text", "new_target_text"]
    raw_id_fields = ["indicator"]
