"""The admin of key projects and the monitoring records.

Reported values, key-project progress and reporting years are read-only here, superuser
included (indicators.admin.ReadOnlyAdmin says why); each change page links the app's page that
changes the record.
"""
from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from indicators.admin import AuditedHistoryAdmin

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

    def change_page(self, obj):
        indicator = obj.indicator
        if indicator.organization_id is None:
            return indicator.get_absolute_url(), _("该指标没有责任单位，无法填报；请在指标页面查看。")
        url = reverse("projects:value_entry", args=[indicator.plan.code, obj.year, indicator.organization_id])
        return url, _("在填报页面修改；已提交或已审核的数值需由审核员退回后更正。")


@admin.register(ProjectProgress)
class ProjectProgressAdmin(AuditedHistoryAdmin):
    """Read only, with a link to the progress entry page, for the reasons IndicatorValueAdmin gives."""

    list_display = ["project", "year", "status", "state", "version"]
    list_filter = ["state", "year", "status"]
    list_select_related = ["project"]
    history_list_display = ["status", "state", "investment", "return_reason"]

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
