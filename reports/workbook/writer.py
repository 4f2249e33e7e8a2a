"""The workbook: ``write_assessment_workbook`` (one process) and the parts a workbook of many plans
is written in by several (``write_part``, ``Skeleton``, used by ``reports.parallel``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook

from ..selectors import batched
from .cells import SheetWriter, close_sheet, discard_temporary_files
from .plan_sheet import HEADER_ROW, write_plan_sheet
from .project_sheet import TASK_HEADER_ROW, project_lines, write_project_sheet
from .sheet_names import SheetNames, summary_title, task_suffix
from .styles import Styles
from .summary_sheet import SummaryLine, fill_summary_sheet


def outside_period(plans: Iterable, year: int) -> list:
    """The plans whose reporting years do not include `year` (a plan without a period accepts any)."""
    return [plan for plan in plans if plan.years() and year not in plan.years()]


@dataclass(frozen=True)
class _Pending:
    """A written plan sheet whose key-project sheet waits for its batch's query."""

    plan_id: int
    title: str
    sheet: str
    include_unapproved: bool
    scope: object = None  # accounts.visibility.Scope of the report, or None (all)


class AssessmentWorkbook:
    """One export. Each report's sheet is written as it arrives and the report let go; key projects
    are fetched for a batch of plans at a time (two queries) and their sheets inserted after their
    plan's; the summary, created first, is filled last."""

    def __init__(self, year: int, exported_on: date, batch_size: int = 200):
        self.year, self.exported_on, self.batch_size = year, exported_on, batch_size
        self.wb = Workbook(write_only=True)
        self.styles = Styles(self.wb)
        self.summary = SheetWriter.new_sheet(self.wb, summary_title(), self.styles)
        self.names = SheetNames([summary_title()])  # claimed as sheets come: see claim_sheet_names
        self.lines: list[SummaryLine] = []
        self.pending: list[_Pending] = []
        self.sheets = 1  # the summary

    def add(self, report) -> None:
        sheet = self.names.claim(report.plan.display_name)
        write_plan_sheet(self.wb, self.styles, sheet, report, self.year, self.exported_on)
        self.sheets += 1
        self.lines.append(SummaryLine.of(report, sheet))
        self.pending.append(
            _Pending(report.plan.pk, report.plan.title, sheet, report.include_unapproved, report.scope)
        )
        if len(self.pending) >= self.batch_size:
            self._write_projects()

    def _write_projects(self) -> None:
        """Unapproved progress is shown only when every report of the batch includes unapproved values."""
        include = all(item.include_unapproved for item in self.pending)
        scope = self.pending[0].scope if self.pending else None  # one export, one visitor: one scope
        lines = project_lines([item.plan_id for item in self.pending], self.year, include, scope)
        after = self.sheets - len(self.pending) - 1  # the index of the sheet before the batch
        for item in self.pending:
            after += 1
            if lines.get(item.plan_id):
                name = self.names.claim(item.sheet, task_suffix())
                after += 1
                write_project_sheet(self.wb, self.styles, name, item.title, self.year, lines[item.plan_id], after)
                self.sheets += 1
        self.pending = []

    def save(self, output, left_out: Sequence[str] = ()) -> None:
        self._write_projects()
        fill_summary_sheet(self.summary, self.year, self.exported_on, self.lines, left_out)
        self.wb.save(output)


def write_assessment_workbook(
    reports: Iterable, year: int, output, *, exported_on: date, batch_size: int = 200,
    left_out: Sequence[str] = (),
) -> None:
    """Write the 年度监测评估表 for `reports` (``PlanReport``s, e.g. from ``plan_reports``) to `output`;
    the summary names the plans `left_out` (see ``summary_sheet.summary_notes``).

    `output` is a path or a binary file-like object. Memory stays flat in the number of plans:
    each report is let go once its sheet is written (see :class:`AssessmentWorkbook`).
    """
    export = AssessmentWorkbook(year, exported_on, batch_size)
    try:
        for report in reports:
            export.add(report)
        export.save(output, left_out)
    except BaseException:
        discard_temporary_files(export.wb)
        raise


# ---------------------------------------------------------------------------- a workbook in parts


@dataclass(frozen=True)
class PlanSheets:
    """The names of a plan's sheets in the workbook: its indicator sheet and, if it has key projects, its task sheet."""

    sheet: str
    task_sheet: str | None


def claim_sheet_names(plans: Iterable, with_tasks: set[int], batch_size: int = 200) -> dict[int, PlanSheets]:
    """Plan id → its sheets' names, claimed in the order :class:`AssessmentWorkbook` claims them
    (each batch's plan sheets, then its task sheets), so a workbook written in parts
    (``reports.parallel``) names its sheets as a workbook written in one go."""
    names, claimed = SheetNames([summary_title()]), {}
    for batch in batched(plans, batch_size):
        sheets = {plan.pk: names.claim(plan.display_name) for plan in batch}
        for plan in batch:
            task_sheet = names.claim(sheets[plan.pk], task_suffix()) if plan.pk in with_tasks else None
            claimed[plan.pk] = PlanSheets(sheets[plan.pk], task_sheet)
    return claimed


@dataclass(frozen=True)
class Part:
    """What a part of a workbook written in parts holds."""

    lines: list[SummaryLine]  # its plans' summary lines, in order
    members: dict[str, str]  # sheet → its member in the part's file


def sheet_members(wb: Workbook) -> dict[str, str]:
    """Sheet → its member in the saved file (openpyxl numbers them as it saves)."""
    return {ws.title: ws.path.lstrip("/") for ws in wb.worksheets}


def sheet_layout(names: Iterable[PlanSheets]) -> list[tuple[str, int]]:
    """(sheet, header row) of every plan and task sheet, in workbook order."""
    layout = []
    for plan in names:
        layout.append((plan.sheet, HEADER_ROW))
        if plan.task_sheet:
            layout.append((plan.task_sheet, TASK_HEADER_ROW))
    return layout


def write_part(reports: Iterable, names: dict[int, PlanSheets], year: int, exported_on: date, path) -> Part:
    """The plan and task sheets of `reports` under the names given, as a workbook of their own
    (no summary sheet), saved to `path`."""
    wb = Workbook(write_only=True)
    styles, lines, with_tasks = Styles(wb), [], []
    include_unapproved, scope = False, None
    try:
        for report in reports:
            sheets = names[report.plan.pk]
            write_plan_sheet(wb, styles, sheets.sheet, report, year, exported_on)
            lines.append(SummaryLine.of(report, sheets.sheet))
            include_unapproved, scope = report.include_unapproved, report.scope
            if sheets.task_sheet:
                with_tasks.append((report.plan, sheets.task_sheet))
        projects = project_lines([plan.pk for plan, _sheet in with_tasks], year, include_unapproved, scope)
        for plan, task_sheet in with_tasks:  # a plan whose projects went meanwhile keeps its (empty) sheet
            write_project_sheet(wb, styles, task_sheet, plan.title, year, projects.get(plan.pk, []))
        wb.save(path)
    except BaseException:
        discard_temporary_files(wb)
        raise
    return Part(lines, sheet_members(wb))


class Skeleton:
    """The whole workbook with every plan and task sheet empty (print titles set: ``workbook.xml``
    names them), written while the parts are, and its summary, filled in when they are done.
    A context manager: leaving it removes what is left of its temporary files."""

    def __init__(self, layout: list[tuple[str, int]]):
        self.wb = Workbook(write_only=True)
        styles = Styles(self.wb)
        self.summary = SheetWriter.new_sheet(self.wb, summary_title(), styles)
        self.saved = False
        try:
            for name, header_row in layout:
                ws = self.wb.create_sheet(name)
                ws.print_title_rows = f"{header_row}:{header_row}"
                close_sheet(ws)
        except BaseException:
            discard_temporary_files(self.wb)
            raise

    def __enter__(self) -> Skeleton:
        return self

    def __exit__(self, *exc) -> None:
        if not self.saved:
            discard_temporary_files(self.wb)

    def save(
        self, lines: list[SummaryLine], year: int, exported_on: date, path, left_out: Sequence[str] = ()
    ) -> dict[str, str]:
        """Returns each sheet's member in the file."""
        fill_summary_sheet(self.summary, year, exported_on, lines, left_out)
        self.wb.save(path)
        self.saved = True
        return sheet_members(self.wb)
