from django.contrib import admin

from .models import Plan, Section


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["position", "label", "title", "kind", "parent"]
    raw_id_fields = ["parent"]
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "kind", "region", "start_year", "end_year", "document_number"]
    list_filter = ["kind", "region"]
    search_fields = ["title", "code", "document_number", "issuer"]
    autocomplete_fields = ["region", "parent"]
    inlines = [SectionInline]

    def save_model(self, request, obj, form, change):
        obj.renew_stamp()  # what reports derived from the plan (its period, its indicators) is out of date
        super().save_model(request, obj, form, change)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "kind", "position"]
    list_filter = ["kind", "plan"]
    search_fields = ["title", "body", "label"]
    raw_id_fields = ["parent"]
    list_select_related = ["plan"]
