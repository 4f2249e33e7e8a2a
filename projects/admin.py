"""The admin of key projects and the monitoring records.

Reported values, key-project progress and reporting years are read-only here, superuser
included (indicators.admin.ReadOnlyAdmin says why); each change page links the app's page that
changes the record.
"""
from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.visibility import preliminary_scope, visible_values
from indicators.admin import AuditedHistoryAdmin

from .choices import State
from .models import IndicatorValue, Project, ProjectProgress, ReportingYear


class VisibleRecordsAdmin(AuditedHistoryAdmin):
    """Unapproved records, and unapproved versions in a record's history, only for whom the app
    shows them (accounts.visibility): a staff user with the view permission sees no more than on
    the app's pages; a superuser sees all, as there."""

    organization_lookup = "indicator__organization_id"
    region_lookup = "indicator__plan__region_id"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return visible_values(request.user, rows, organization=self.organization_lookup, region=self.region_lookup)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        if not allowed or obj is None or obj.state == State.APPROVED:
            return allowed
        return self.covers(request.user, obj)

    def get_history_queryset(self, request, history_manager, pk_name: str, object_id):
        versions = super().get_history_queryset(request, history_manager, pk_name, object_id)
        current = self.model.objects.filter(pk=object_id).first()  # a deleted record's owner is unknown
        if preliminary_scope(request.user).everything or (current and self.covers(request.user, current)):
            return versions
        return versions.filter(state=State.APPROVED)

    def covers(self, user, record) -> bool:
        organization_id, region_id = self.owner_of(record)
        return preliminary_scope(user).covers(organization_id, region_id)

    def owner_of(self, record) -> tuple[int | None, int | None]:
        """(organization id, plan region id) whose scope the record's unapproved versions are in."""
        raise NotImplementedError


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "kind", "organization"]
    list_filter = ["plan", "kind"]
    search_fields = ["name"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["section"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(VisibleRecordsAdmin):
    """Read only, with a link to the entry page: an edit here could not take part in the workflow.

    A value reads “approved by the reviewer” because a reviewer other than who entered it approved
    that version; an admin form that saved a new number would either keep that claim (a forgery)
    or make the admin the enterer, submitter and approver at once (no four eyes), and would have to
    repeat the year lock, the version check and the validation of the entry page. A mature product
    corrects an approved value the way it was made: the reviewer returns it, the official corrects
    it on the entry page, it is submitted and approved again, every step in its history; a locked
    year is unlocked first by a planner of the plan's region.
    """

    list_display = ["indicator", "year", "value", "state", "vintage", "is_demo", "version"]
    list_filter = ["state", "year", "is_demo", "indicator__plan"]
    list_select_related = ["indicator"]
    history_list_display = ["value", "state", "vintage", "return_reason"]

    def owner_of(self, record):
        indicator = record.indicator
        return indicator.organization_id, indicator.plan.region_id

    def change_page(self, obj):
        indicator = obj.indicator
        if indicator.organization_id is None:
            return indicator.get_absolute_url(), _("该指标没有责任单位，无法填报；请在指标页面查看。")
        url = reverse("projects:value_entry", args=[indicator.plan.code, obj.year, indicator.organization_id])
        return url, _("在填报页面修改；已提交或已审核的数值需由审核员退回后更正。")


@admin.register(ProjectProgress)
class ProjectProgressAdmin(VisibleRecordsAdmin):
    """Read only, with a link to the progress entry page, for the reasons IndicatorValueAdmin gives."""

    list_display = ["project", "year", "status", "state", "version"]
    list_filter = ["state", "year", "status"]
    list_select_related = ["project"]
    history_list_display = ["status", "state", "investment", "return_reason"]
    organization_lookup = "project__organization_id"
    region_lookup = "project__plan__region_id"

    def owner_of(self, record):
        project = record.project
        return project.organization_id, project.plan.region_id

    def change_page(self, obj):
        project = obj.project
        if project.organization_id is None:
            return None, _("该项目没有牵头单位，无法填报。")
        url = reverse("projects:progress_entry", args=[project.plan.code, obj.year, project.organization_id])
        return url, _("在项目进展填报页面修改；已提交或已审核的进展需由审核员退回后更正。")


@admin.register(ReportingYear)
class ReportingYearAdmin(AuditedHistoryAdmin):
    """Read only: a year is locked and unlocked on the plan's completeness page, by the rule of the
    year service (a planner of the plan's region), which also waits for writes in flight; a form
    here would bypass both."""

    list_display = ["plan", "year", "is_locked", "locked_by", "locked_at"]
    list_filter = ["is_locked", "year"]
    list_select_related = ["plan", "locked_by"]
    history_list_display = ["is_locked", "locked_by"]

    def change_page(self, obj):
        url = reverse("projects:completeness", args=[obj.plan.code, obj.year])
        return url, _("在该规划年度的完成情况页面由规划人员锁定或解锁。")
