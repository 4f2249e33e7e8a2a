"""A plan's key projects (重点任务) and their progress in the year, on a sheet of its own."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from accounts.visibility import Scope, visible_values
from projects.choices import State
from projects.models import Project, ProjectProgress

from .cells import Column, SheetWriter, close_sheet, fit_height, merge_rows, print_setup, set_widths, widths_of
from .styles import CENTER, HEADER, LEFT, SUBTITLE, TITLE, Styles, number_format, number_look, status_look


@dataclass(frozen=True)
class ProjectLine:
    name: str
    kind: str
    organization: str
    status: str  # code, or "" when not reported
    status_label: str
    narrative: str
    investment: Decimal | None


def project_lines(
    plan_ids: list[int], year: int, include_unapproved: bool, scope: Scope | None = None
) -> dict[int, list[ProjectLine]]:
    """Plan id → its key projects with their progress for `year` (two queries for any number of plans);
    unapproved progress only within `scope` when given (``accounts.visibility``: the lead organization's)."""
    states = (State.APPROVED, State.SUBMITTED, State.DRAFT) if include_unapproved else (State.APPROVED,)
    progress = ProjectProgress.objects.filter(year=year, state__in=states)
    if include_unapproved and scope is not None:
        progress = visible_values(
            scope, progress, organization="project__organization_id", region="project__plan__region_id"
        )
    projects = (
        Project.objects.filter(plan_id__in=plan_ids)
        .select_related("organization")
        .prefetch_related(Prefetch("progress", queryset=progress, to_attr="year_progress"))
        .order_by("plan_id", "position", "pk")
    )
    lines: dict[int, list[ProjectLine]] = {}
    for project in projects:
        lines.setdefault(project.plan_id, []).append(_project_line(project))
    return lines


def _project_line(project) -> ProjectLine:
    progress = project.year_progress[0] if project.year_progress else None
    organization = project.organization.name if project.organization else ""
    if progress is None:
        return ProjectLine(project.name, project.get_kind_display(), organization, "", _("未填报"), "", None)
    return ProjectLine(
        project.name, project.get_kind_display(), organization, progress.status,
        progress.get_status_display(), progress.narrative, progress.investment,
    )  # fmt: skip


TASK_HEADER_ROW = 3  # task sheets: title, subtitle, header
def project_columns() -> list[Column]:
    return [
        Column(_("序号"), 5, 6), Column(_("项目"), 20, 40), Column(_("类型"), 8, 12), Column(_("牵头单位"), 12, 24),
        Column(_("状态"), 8, 12), Column(_("进展情况"), 30, 70), Column(_("完成投资（万元）"), 12, 20),
    ]  # fmt: skip


def _project_cells(out: SheetWriter, number: int, line: ProjectLine) -> list[Cell]:
    return [
        out.number(number, CENTER),
        out.text(line.name, LEFT),
        out.text(line.kind),
        out.text(line.organization, LEFT),
        out.text(line.status_label, status_look(line.status)),
        out.text(line.narrative, LEFT),
        out.number(line.investment, number_look(number_format("", line.investment))),
    ]


def write_project_sheet(
    wb: Workbook, styles: Styles, name: str, title: str, year: int, lines: list[ProjectLine], index: int | None = None
):
    """Key-project progress for the year: 序号, 项目, 类型, 牵头单位, 状态, 进展情况, 完成投资."""
    out = SheetWriter.new_sheet(wb, name, styles, index)
    rows = [_project_cells(out, number, line) for number, line in enumerate(lines, 1)]
    columns = project_columns()
    widths = widths_of(columns, rows)
    set_widths(out.ws, widths)
    merge_rows(out.ws, (1, 2), len(columns))
    out.ws.freeze_panes = f"C{TASK_HEADER_ROW + 1}"
    print_setup(out.ws, TASK_HEADER_ROW)
    out.add([out.text(title, TITLE)], 30)
    out.add([out.text(_("%(year)s年度重点任务进展") % {"year": year}, SUBTITLE)], 22)
    out.add([out.text(c.header, HEADER) for c in columns], 30)
    for cells in rows:
        out.add(cells, fit_height(cells, widths))
    close_sheet(out.ws)
    return out.ws

