from django.contrib import admin

from .models import PlanDraft


@admin.register(PlanDraft)
class PlanDraftAdmin(admin.ModelAdmin):
    """Read only: drafts are made and published in the browser (导入规划), not here."""

    list_display = ("__str__", "created_by", "status", "revises", "plan", "updated_at")
    list_filter = ("status",)
    readonly_fields = [field.name for field in PlanDraft._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
