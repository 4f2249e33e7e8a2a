"""The annual assessment workbook (年度监测评估表): a summary sheet and one sheet per plan (DESIGN.md §6).

Memory stays flat however many plans are exported: the workbook is written in openpyxl's
write-only mode, plan reports arrive one at a time (``selectors.plan_reports``) and each is let go
once its sheet is streamed to a temporary file and closed; strings are written inline (no
shared-strings table). Key projects are fetched for a batch of plans at a time and their sheets
moved next to their plan's before saving. The summary sheet is created first, so it is the first
tab, but filled last from the few numbers kept per plan: a write-only sheet accepts rows until it
is closed, and ``Workbook.save`` closes it.

A workbook of many plans may also be written in parts by several processes (``reports.parallel``):
``write_part`` writes the sheets of a chunk of plans, ``Skeleton`` the summary and the rest.

A plan sheet has these columns:

    序号 · 指标 · 单位 · 属性 · 基期年 · 基期值 · 目标值 · <each year up to the assessment year>
    · 完成进度 · 时序进度 · 评价 · 趋势判断 · 说明 · 备注

The baseline year has its own column (shown as "2020年") so that 基期值 stays a number.
备注 names binding-indicator warnings (预警) and years whose value is preliminary (初步数, only
when unapproved values are included; those values are also set in italics). Key-project progress
for the year goes on a second sheet "<name>-任务" when the plan has key projects.

Safety: every string goes through :func:`safe_text` and :meth:`SheetWriter.text`, which writes it as a
string cell (data_type "s", quote-prefixed when it begins with = + - @), so no text ever becomes a
formula; the workbook has no external links and no macros (.xlsx).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from itertools import count
from pathlib import Path

from django.db.models import Prefetch
from django.utils.translation import get_language
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import ALL_TEMP_FILES as _openpyxl_temporary_files
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from core.spreadsheet import is_formula_like
from indicators.choices import Attribute
from projects.choices import ProgressStatus, State
from projects.models import Project, ProjectProgress

from .assessment import Verdict
from .selectors import batched

SUMMARY_TITLE = "汇总"
MAX_CELL_TEXT = 32767
MAX_SHEET_NAME = 31
FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
RESERVED_SHEET_NAMES = {"history"}  # Excel refuses it

PERCENT_UNITS = {"%", "％", "‰", "个百分点"}
COUNT_UNITS = set("家个项件名人位所座台套篇次户支只处") | {"人次", "个次", "家次"}
PERCENT_FORMAT = "0.0%"
YEAR_FORMAT = '0"年"'

VERDICT_COLORS = {  # fill, font colour
    Verdict.ACHIEVED: ("63BE7B", "000000"),
    Verdict.AHEAD: ("C6EFCE", "000000"),
    Verdict.ON_TRACK: ("BDD7EE", "000000"),
    Verdict.BEHIND: ("FFC000", "000000"),
    Verdict.REGRESSING: ("FF6666", "000000"),
    Verdict.NOT_ACHIEVED: ("C00000", "FFFFFF"),
    Verdict.NO_DATA: ("D9D9D9", "000000"),
    Verdict.NOT_ASSESSABLE: ("F2F2F2", "000000"),
}
VERDICT_MEANINGS = {
    Verdict.ACHIEVED: "已达到目标值",
    Verdict.AHEAD: "完成进度快于时序进度",
    Verdict.ON_TRACK: "完成进度与时序进度基本相当",
    Verdict.BEHIND: "完成进度慢于时序进度",
    Verdict.REGRESSING: "与基期相比偏离目标",
    Verdict.NOT_ACHIEVED: "目标年未达到目标值",
    Verdict.NO_DATA: "尚无数据",
    Verdict.NOT_ASSESSABLE: "目标为定性或相对表述，或缺少基期、目标等信息",
}
STATUS_COLORS = {
    ProgressStatus.COMPLETED: "63BE7B",
    ProgressStatus.IN_PROGRESS: "BDD7EE",
    ProgressStatus.DELAYED: "FFC000",
    ProgressStatus.NOT_STARTED: "D9D9D9",
}

# ---------------------------------------------------------------------------- looks

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BODY_FONT = Font(name="宋体", size=11)
CENTERED = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Look:
    """How a cell looks. Write-only rows cannot be styled afterwards, so each cell is styled as built."""

    font: Font = BODY_FONT
    fill: PatternFill | None = None
    alignment: Alignment = CENTERED
    border: Border | None = BORDER
    number_format: str = "General"

    def but(self, **changes) -> Look:
        return replace(self, **changes)

    def apply(self, cell: Cell) -> None:
        cell.font = self.font
        cell.alignment = self.alignment
        cell.number_format = self.number_format
        if self.fill is not None:
            cell.fill = self.fill
        if self.border is not None:
            cell.border = self.border


def _solid(color: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=color, end_color=color)


CENTER = Look()
LEFT = CENTER.but(alignment=Alignment(horizontal="left", vertical="center", wrap_text=True))
NUMBER = CENTER.but(alignment=Alignment(horizontal="right", vertical="center"))
PERCENT = NUMBER.but(number_format=PERCENT_FORMAT)
YEAR = CENTER.but(number_format=YEAR_FORMAT)
BOLD = CENTER.but(font=Font(name="宋体", size=11, bold=True))
LINK = LEFT.but(font=Font(name="宋体", size=11, color="0563C1", underline="single"))
HEADER = BOLD.but(fill=_solid("DDEBF7"))
TITLE = Look(font=Font(name="黑体", size=16, bold=True), border=None)
SUBTITLE = Look(font=Font(name="黑体", size=12), border=None)
INFO = LEFT.but(border=None, font=Font(name="宋体", size=10, color="595959"))
NOTE = INFO.but(alignment=Alignment(horizontal="left", vertical="top", wrap_text=False))


# Looks built from data are cached, so equal looks are one object and registered once per workbook.
@cache
def verdict_look(verdict: Verdict, warning: bool = False) -> Look:
    fill, font_color = VERDICT_COLORS[verdict]
    return CENTER.but(fill=_solid(fill), font=Font(name="宋体", size=11, color=font_color, bold=warning))


@cache
def number_look(number_format: str, preliminary: bool = False) -> Look:
    font = Font(name="宋体", size=11, italic=True, color="7F6000") if preliminary else BODY_FONT
    return NUMBER.but(number_format=number_format, font=font)


@cache
def status_look(status: str) -> Look:
    return CENTER.but(fill=_solid(STATUS_COLORS.get(status, "D9D9D9")))


# ---------------------------------------------------------------------------- cells


def safe_text(value) -> str:
    """Any value as a string fit for a cell: characters Excel refuses removed, Excel's length limit kept.

    Write it with :meth:`SheetWriter.text`, which keeps it a string even when it begins with = + - @.
    """
    text = "" if value is None else str(value)
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_TEXT]


NUMBER_FORMATS = ("0.00", "#,##0", "#,##0.00")  # every format ``number_format`` gives


def all_looks() -> list[Look]:
    """Every look a workbook can use, in a fixed order (see :class:`Styles`)."""
    return [
        CENTER, LEFT, NUMBER, PERCENT, YEAR, BOLD, LINK, HEADER, TITLE, SUBTITLE, INFO, NOTE,
        *(verdict_look(verdict, warning) for verdict in Verdict for warning in (False, True)),
        *(number_look(fmt, preliminary) for fmt in NUMBER_FORMATS for preliminary in (False, True)),
        *(status_look(status) for status in (*STATUS_COLORS, "")),
    ]  # fmt: skip


class Styles:
    """Each look's style record, plain and quote-prefixed, registered with the workbook when it is
    created, always in the order of :func:`all_looks`.

    Setting font, fill, border and format on a cell makes openpyxl hash every style object, which
    costs more than writing the cell; the look's record is shared with the cell instead. Registering
    everything up front numbers the styles alike in every workbook, so sheets written in separate
    processes can be put into one workbook (``reports.parallel``).
    """

    def __init__(self, wb: Workbook):
        self._records: dict[int, tuple[Look, StyleArray, StyleArray]] = {}  # the look is kept so its id stays its own
        scratch = wb.create_sheet()
        for look in all_looks():
            self._register(scratch, look)
        wb.remove(scratch)
        self._scratch = scratch

    def _register(self, ws, look: Look) -> tuple[Look, StyleArray, StyleArray]:
        cell = WriteOnlyCell(ws)
        look.apply(cell)
        plain = cell._style
        cell.style_id  # noqa: B018 - registers the record with the workbook, which keeps the object
        cell._style = copy(plain)
        cell.quotePrefix = True  # Excel and WPS keep a text beginning with = + - @ text when edited
        cell.style_id  # noqa: B018
        record = self._records[id(look)] = (look, plain, cell._style)
        return record

    def _record(self, look: Look) -> tuple[Look, StyleArray, StyleArray]:
        record = self._records.get(id(look))
        return record if record is not None else self._register(self._scratch, look)

    def apply(self, cell: Cell, look: Look, quoted: bool = False) -> None:
        """Shares the look's record with the cell: a write-only cell is written once and never restyled."""
        cell._style = self._record(look)[2 if quoted else 1]


class CellRowsSheet(WriteOnlyWorksheet):
    """A write-only sheet whose rows are all cells (``SheetWriter`` styles every one).

    openpyxl's ``append`` tries each item as a value and takes it as a cell only once that fails,
    an exception (and a throw-away cell) per styled cell: about a seventh of an export's time.
    Should openpyxl stop calling this method, rows are still written, the slow way.
    """

    def _values_to_row(self, values, row_idx):
        for column, cell in enumerate(values, 1):
            if cell is not None:
                cell.row, cell.column = row_idx, column
                if cell.hyperlink is not None:
                    cell.hyperlink.ref = cell.coordinate
                yield cell


class SheetWriter:
    """Builds styled cells for one write-only sheet and appends its rows, keeping count."""

    def __init__(self, ws, styles: Styles):
        self.ws, self.styles, self.count = ws, styles, 0

    @classmethod
    def new_sheet(cls, wb: Workbook, title: str, styles: Styles) -> SheetWriter:
        ws = CellRowsSheet(parent=wb, title=title)
        wb._add_sheet(ws)  # what Workbook.create_sheet does with its own write-only sheet
        return cls(ws, styles)

    def text(self, value, look: Look = CENTER) -> WriteOnlyCell:
        """A string cell that is never a formula, whatever the text begins with."""
        text = safe_text(value)
        cell = WriteOnlyCell(self.ws, text)
        cell.data_type = "s"  # openpyxl would take "=…" for a formula
        self.styles.apply(cell, look, quoted=is_formula_like(text))
        return cell

    def number(self, value, look: Look = NUMBER) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value)
        self.styles.apply(cell, look)
        return cell

    def add(self, cells: list, height: float | None = None) -> None:
        """Append one row; its height must be set before it is written, and is dropped after."""
        self.count += 1
        if height:
            self.ws.row_dimensions[self.count].height = height
        self.ws.append(cells)
        self.ws.row_dimensions.pop(self.count, None)


def number_format(unit: str, numbers: Iterable[Decimal | None]) -> str:
    """Two decimals for percentages, thousands separators for counts (no decimals when all integral)."""
    unit = (unit or "").strip()
    if unit in PERCENT_UNITS:
        return "0.00"
    if unit in COUNT_UNITS and all(n == n.to_integral_value() for n in numbers if n is not None):
        return "#,##0"
    return "#,##0.00"


@lru_cache(maxsize=8192)  # units, labels and headers come back on every row
def display_width(text: str) -> int:
    """Columns a text takes: CJK (wide and full-width) characters count as two."""
    if text.isascii():  # numbers and codes, most cells: no per-character lookup
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _shown(value) -> str:
    """The text a value shows as, to size its column."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------- sheet names


class SheetNames:
    """Unique sheet names that Excel accepts: at most 31 characters, none of []:*?/\\, no quote at the ends."""

    def __init__(self, reserved: Iterable[str] = ()):
        self._taken = {name.casefold() for name in reserved} | RESERVED_SHEET_NAMES

    def claim(self, name: str, suffix: str = "") -> str:
        base = _clean_sheet_name(name)
        for n in count(1):
            mark = suffix + ("" if n == 1 else f"({n})")
            candidate = _truncate_utf16(base, MAX_SHEET_NAME - _utf16_len(mark)) + mark
            if candidate.casefold() not in self._taken:
                self._taken.add(candidate.casefold())
                return candidate
        raise AssertionError("unreachable")


def _clean_sheet_name(name: str) -> str:
    cleaned = FORBIDDEN_IN_SHEET_NAME.sub("_", safe_text(name))
    cleaned = re.sub(r"\s+", " ", cleaned).strip().strip("'").strip()
    return cleaned or "规划"


def _utf16_len(text: str) -> int:
    """Excel counts UTF-16 code units: a character outside the BMP counts two."""
    return len(text.encode("utf-16-le")) // 2


def _truncate_utf16(text: str, limit: int) -> str:
    while _utf16_len(text) > limit:
        text = text[:-1]
    return text


# ---------------------------------------------------------------------------- page layout


def _merge_rows(ws, rows: Iterable[int], last_column: int) -> None:
    for row in rows:
        ws.merged_cells.add(f"A{row}:{get_column_letter(max(last_column, 1))}{row}")


def _print_setup(ws, header_row: int) -> None:
    """A4 landscape, one page wide, as many pages tall as needed, the header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


# Read only while a sheet is written (its top and tail); Workbook.save reads a closed sheet's
# title, print titles, state and relationships, never these.
_WRITING_ONLY = (
    "merged_cells", "HeaderFooter", "page_setup", "page_margins", "print_options", "sheet_properties",
    "views", "sheet_format", "protection", "conditional_formatting", "data_validations", "scenarios",
    "row_breaks", "col_breaks",
)  # fmt: skip


def _close(ws) -> None:
    """Finish a plan's sheet now: its file handle is freed (save() skips closed sheets), and what
    only writing it needed is dropped, ~20 kB a sheet down to ~5 kB when thousands are exported."""
    ws.close()
    ws.column_dimensions.clear()
    ws.row_dimensions.clear()
    for name in _WRITING_ONLY:
        setattr(ws, name, None)


def _set_widths(ws, widths: list[int]) -> None:
    """Column widths must be set before the first row of a write-only sheet."""
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _fit(texts: Iterable[str], low: int, high: int) -> int:
    widest = max((display_width(line) for text in texts for line in text.split("\n")), default=0)
    return max(low, min(high, widest + 2))


def _height(cells: list, widths: list[int], line: float = 14.5) -> float | None:
    """Room for wrapped text: the most lines any cell of the row needs."""
    lines = 1
    for cell, width in zip(cells, widths):
        if isinstance(cell.value, str) and cell.value:
            lines = max(lines, math.ceil(display_width(cell.value) / max(width - 2, 1)))
    return None if lines == 1 else min(lines, 20) * line + 4


# ---------------------------------------------------------------------------- plan sheet


@dataclass(frozen=True)
class Column:
    header: str
    low: int  # narrowest width
    high: int  # widest width


def plan_columns(years: list[int]) -> list[Column]:
    return [
        Column("序号", 5, 6), Column("指标", 16, 36), Column("单位", 6, 10), Column("属性", 8, 8),
        Column("基期年", 8, 8), Column("基期值", 9, 14), Column("目标值", 12, 26),
        *(Column(f"{year}年", 9, 14) for year in years),
        Column("完成进度", 10, 10), Column("时序进度", 10, 10), Column("评价", 10, 14),
        Column("趋势判断", 10, 12), Column("说明", 30, 60), Column("备注", 10, 20),
    ]  # fmt: skip


def _widths(columns: list[Column], rows: list[list[WriteOnlyCell]]) -> list[int]:
    return [_column_width(column, [row[i].value for row in rows]) for i, column in enumerate(columns)]


def _column_width(column: Column, values: list) -> int:
    """The widest of the header and the values; of the numbers, the largest and the smallest are
    the widest shown (``_shown`` adds digits, separators and the sign as they grow)."""
    texts, numbers = [column.header], []
    for value in values:
        if isinstance(value, str):
            texts.append(value)
        elif value is not None:
            numbers.append(value)
    if numbers:
        texts += [_shown(min(numbers)), _shown(max(numbers))]
    return _fit(texts, column.low, column.high)


def target_words(indicator, plan) -> str:
    """The target as the plan words it, with its year when that is not the plan's last year."""
    text = indicator.target_text or indicator.target.render()
    year = indicator.target_year
    if year and year != plan.end_year and str(year) not in text:
        text = f"{text}（{year}年）"
    return text


def row_notes(row, years: list[int]) -> str:
    notes = []
    if row.assessment.warning:
        notes.append("约束性指标预警")
    preliminary = [f"{y}年" for y in years if y in row.preliminary_years and y in row.values]
    if preliminary:
        notes.append(f"初步数（未审核）：{'、'.join(preliminary)}")
    return "；".join(notes)


def _baseline_cell(out: SheetWriter, indicator, look: Look) -> WriteOnlyCell:
    if indicator.baseline_value is None and indicator.baseline_text:
        return out.text(indicator.baseline_text)
    return out.number(indicator.baseline_value, look)


def indicator_cells(out: SheetWriter, row, plan, years: list[int]) -> list[WriteOnlyCell]:
    """One indicator's row of the plan sheet, in the order of :func:`plan_columns`."""
    indicator, a = row.indicator, row.assessment
    fmt = number_format(indicator.unit, [indicator.baseline_value, *(row.values.get(y) for y in years)])
    return [
        out.number(indicator.number, CENTER),
        out.text(indicator.name, LEFT),
        out.text(indicator.unit),
        out.text(attribute_label(indicator.attribute)),
        out.number(indicator.baseline_year, YEAR),
        _baseline_cell(out, indicator, number_look(fmt)),
        out.text(target_words(indicator, plan), LEFT),
        *(out.number(row.values.get(y), number_look(fmt, y in row.preliminary_years)) for y in years),
        out.number(a.completion, PERCENT),
        out.number(a.time_share, PERCENT),
        out.text(a.verdict.label, verdict_look(a.verdict, a.warning)),
        out.text(a.projected_verdict.label if a.projected_verdict else ""),
        out.text(a.explanation, LEFT),
        out.text(row_notes(row, years), LEFT),
    ]


def attribute_label(code: str) -> str:
    """预期性 / 约束性, resolved once per language (``get_attribute_display`` resolves a lazy
    translation on every call, here once per indicator)."""
    return _attribute_labels(get_language()).get(code, code)


@cache
def _attribute_labels(language: str) -> dict[str, str]:
    return {code: str(label) for code, label in Attribute.choices}


def _scope(include_unapproved: bool) -> str:
    return "含未审核（初步）数据，仅供内部参考" if include_unapproved else "已审核数据"


def _plan_info(report, year: int, exported_on: date) -> str:
    parts = [
        f"规划期：{report.plan.period or '—'}",
        f"评估年度：{year}年",
        f"数据：{_scope(report.include_unapproved)}",
    ]
    if report.has_demo:
        parts.append("含演示数据")
    parts.append(f"导出日期：{exported_on:%Y-%m-%d}")
    return "　　".join(parts)


HEADER_ROW = 4  # plan sheets: title, subtitle, information line, header


def write_plan_sheet(wb: Workbook, styles: Styles, name: str, report, year: int, exported_on: date) -> None:
    """The plan's indicator table with a legend under it."""
    out = SheetWriter.new_sheet(wb, name, styles)
    years = [y for y in report.years if y <= year]
    columns = plan_columns(years)
    rows = [indicator_cells(out, row, report.plan, years) for row in report.rows]
    widths = _widths(columns, rows)
    _set_widths(out.ws, widths)
    _merge_rows(out.ws, (1, 2, 3), len(columns))
    out.ws.freeze_panes = f"C{HEADER_ROW + 1}"
    _print_setup(out.ws, HEADER_ROW)
    out.add([out.text(report.plan.title, TITLE)], 30)
    out.add([out.text(f"{year}年度监测评估", SUBTITLE)], 22)
    out.add([out.text(_plan_info(report, year, exported_on), INFO)], 18)
    out.add([out.text(c.header, HEADER) for c in columns], 30)
    for cells in rows:
        out.add(cells, _height(cells, widths))
    if not rows:
        out.add([out.text("本规划未设定量化指标。", NOTE)])
    _write_legend(out, len(columns))
    _close(out.ws)


LEGEND_NOTE = "注：约束性指标滞后、倒退或未完成时，评价以粗体显示，备注栏标明“约束性指标预警”。"


def _write_legend(out: SheetWriter, last_column: int) -> None:
    """Each verdict's colour and meaning, under the table (merged cells may be added until the sheet closes)."""
    out.add([])
    for index, verdict in enumerate(Verdict):
        label = out.text("图例" if index == 0 else "", NOTE)
        out.add(
            [label, out.text(verdict.label, verdict_look(verdict)), out.text(VERDICT_MEANINGS[verdict], NOTE)]
        )
        out.ws.merged_cells.add(f"C{out.count}:{get_column_letter(max(last_column, 3))}{out.count}")
    out.add([None, out.text(LEGEND_NOTE, NOTE)])


# ---------------------------------------------------------------------------- key projects


@dataclass(frozen=True)
class ProjectLine:
    name: str
    kind: str
    organization: str
    status: str  # code, or "" when not reported
    status_label: str
    narrative: str
    investment: Decimal | None


def project_lines(plan_ids: list[int], year: int, include_unapproved: bool) -> dict[int, list[ProjectLine]]:
    """Plan id → its key projects with their progress for `year` (two queries for any number of plans)."""
    states = (State.APPROVED, State.SUBMITTED, State.DRAFT) if include_unapproved else (State.APPROVED,)
    progress = ProjectProgress.objects.filter(year=year, state__in=states)
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
        return ProjectLine(project.name, project.get_kind_display(), organization, "", "未填报", "", None)
    return ProjectLine(
        project.name, project.get_kind_display(), organization, progress.status,
        progress.get_status_display(), progress.narrative, progress.investment,
    )  # fmt: skip


TASK_HEADER_ROW = 3  # task sheets: title, subtitle, header
PROJECT_COLUMNS = [
    Column("序号", 5, 6), Column("项目", 20, 40), Column("类型", 8, 10), Column("牵头单位", 12, 24),
    Column("状态", 8, 8), Column("进展情况", 30, 70), Column("完成投资（万元）", 12, 16),
]  # fmt: skip


def _project_cells(out: SheetWriter, number: int, line: ProjectLine) -> list[WriteOnlyCell]:
    return [
        out.number(number, CENTER),
        out.text(line.name, LEFT),
        out.text(line.kind),
        out.text(line.organization, LEFT),
        out.text(line.status_label, status_look(line.status)),
        out.text(line.narrative, LEFT),
        out.number(line.investment, number_look("#,##0.00")),
    ]


def write_project_sheet(
    wb: Workbook, styles: Styles, name: str, title: str, year: int, lines: list[ProjectLine]
):
    """Key-project progress for the year: 序号, 项目, 类型, 牵头单位, 状态, 进展情况, 完成投资."""
    out = SheetWriter.new_sheet(wb, name, styles)
    rows = [_project_cells(out, number, line) for number, line in enumerate(lines, 1)]
    widths = _widths(PROJECT_COLUMNS, rows)
    _set_widths(out.ws, widths)
    _merge_rows(out.ws, (1, 2), len(PROJECT_COLUMNS))
    out.ws.freeze_panes = f"C{TASK_HEADER_ROW + 1}"
    _print_setup(out.ws, TASK_HEADER_ROW)
    out.add([out.text(title, TITLE)], 30)
    out.add([out.text(f"{year}年度重点任务进展", SUBTITLE)], 22)
    out.add([out.text(c.header, HEADER) for c in PROJECT_COLUMNS], 30)
    for cells in rows:
        out.add(cells, _height(cells, widths))
    _close(out.ws)


# ---------------------------------------------------------------------------- summary sheet


@dataclass(frozen=True)
class SummaryLine:
    """What the summary keeps of a plan once its sheet is written."""

    sheet: str
    name: str
    period: str
    indicators: int
    counts: tuple[int, ...]  # in the order of Verdict
    warnings: int
    completeness: Decimal | None
    include_unapproved: bool
    has_demo: bool

    @classmethod
    def of(cls, report, sheet: str) -> SummaryLine:
        plan, counts = report.plan, tuple(report.counts.get(verdict.value, 0) for verdict in Verdict)
        return cls(sheet, plan.display_name, plan.period, len(report.rows), counts, report.warnings,
                   report.completeness, report.include_unapproved, report.has_demo)  # fmt: skip


SUMMARY_COLUMNS = [
    Column("序号", 5, 6), Column("规划", 16, 40), Column("规划期", 10, 14), Column("指标数", 8, 8),
    *(Column(verdict.label, 8, 14) for verdict in Verdict),
    Column("约束性指标预警", 10, 16), Column("填报完整率", 12, 12),
]  # fmt: skip
SUMMARY_HEADER_ROW = 3
FIRST_COUNT_COLUMN = 5  # 已完成


def _summary_cells(out: SheetWriter, number: int, line: SummaryLine) -> list[WriteOnlyCell]:
    name = out.text(line.name, LINK)
    name.hyperlink = Hyperlink(
        ref="", location=f"{quote_sheetname(line.sheet)}!A1", display=safe_text(line.name)
    )
    return [
        out.number(number, CENTER),
        name,
        out.text(line.period),
        out.number(line.indicators, CENTER),
        *(out.number(n, CENTER) for n in line.counts),
        out.number(line.warnings, CENTER),
        out.number(line.completeness, PERCENT),
    ]


def _total_cells(out: SheetWriter, lines: list[SummaryLine]) -> list[WriteOnlyCell]:
    sums = [sum(line.counts[i] for line in lines) for i in range(len(Verdict))]
    return [
        out.text("", BOLD),
        out.text("合计", BOLD),
        out.text("", BOLD),
        out.number(sum(line.indicators for line in lines), BOLD),
        *(out.number(n, BOLD) for n in sums),
        out.number(sum(line.warnings for line in lines), BOLD),
        out.text("", BOLD),
    ]


def verdict_chart(ws, first_row: int, last_row: int) -> BarChart:
    """A stacked bar per plan of its verdict counts, coloured as in the plan sheets."""
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
    chart.title = "各规划指标评价结果"
    chart.y_axis.title = "指标数"
    chart.x_axis.scaling.orientation = "maxMin"  # first plan on top, as in the table
    chart.x_axis.delete = chart.y_axis.delete = False  # recent Excel hides axes left undecided
    last_count = FIRST_COUNT_COLUMN + len(Verdict) - 1
    data = Reference(
        ws, min_col=FIRST_COUNT_COLUMN, max_col=last_count, min_row=first_row - 1, max_row=last_row
    )
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, min_row=first_row, max_row=last_row))
    for series, verdict in zip(chart.series, Verdict):
        series.graphicalProperties.solidFill = VERDICT_COLORS[verdict][0]
        series.graphicalProperties.line.solidFill = "808080"
    chart.width = 26
    chart.height = min(max(8, 0.6 * (last_row - first_row + 1) + 4), 60)
    return chart


def fill_summary_sheet(out: SheetWriter, year: int, exported_on: date, lines: list[SummaryLine]) -> None:
    """One row per plan, a total, notes, and the chart; the sheet was created first and is written last."""
    rows = [_summary_cells(out, number, line) for number, line in enumerate(lines, 1)]
    _set_widths(out.ws, _widths(SUMMARY_COLUMNS, rows))
    _merge_rows(out.ws, (1, 2), len(SUMMARY_COLUMNS))
    out.ws.freeze_panes = f"C{SUMMARY_HEADER_ROW + 1}"
    _print_setup(out.ws, SUMMARY_HEADER_ROW)
    out.add([out.text(f"{year}年度规划监测评估汇总表", TITLE)], 30)
    out.add([out.text(f"导出日期：{exported_on:%Y-%m-%d}", INFO)], 18)
    out.add([out.text(c.header, HEADER) for c in SUMMARY_COLUMNS], 30)
    for cells in rows:
        out.add(cells)
    out.add(_total_cells(out, lines))
    for note in summary_notes(lines):
        out.add([None, out.text(note, NOTE)])
    if lines:
        first = SUMMARY_HEADER_ROW + 1
        out.ws.add_chart(verdict_chart(out.ws, first, first + len(lines) - 1), f"B{out.count + 2}")


def summary_notes(lines: list[SummaryLine]) -> list[str]:
    scope = _scope(any(line.include_unapproved for line in lines))
    notes = [f"注：评价依据{scope}；各指标的完成进度、时序进度和评价理由见各规划表“说明”栏。"]
    if any(line.has_demo for line in lines):
        notes.append("注：部分数值为演示数据。")
    return notes


# ---------------------------------------------------------------------------- the workbook


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


class AssessmentWorkbook:
    """One export. Each report's sheet is written as it arrives and the report let go; key projects
    are fetched for a batch of plans at a time (two queries) and their sheets placed after their
    plan's; the summary, created first, is filled last."""

    def __init__(self, year: int, exported_on: date, batch_size: int = 200):
        self.year, self.exported_on, self.batch_size = year, exported_on, batch_size
        self.wb = Workbook(write_only=True)
        self.styles = Styles(self.wb)
        self.summary = SheetWriter.new_sheet(self.wb, SUMMARY_TITLE, self.styles)
        self.names = SheetNames([SUMMARY_TITLE])  # claimed as sheets come: see claim_sheet_names
        self.lines: list[SummaryLine] = []
        self.pending: list[_Pending] = []
        self.position = {SUMMARY_TITLE: (0, 0)}  # sheet → place in the workbook

    def add(self, report) -> None:
        sheet = self.names.claim(report.plan.display_name)
        write_plan_sheet(self.wb, self.styles, sheet, report, self.year, self.exported_on)
        self.lines.append(SummaryLine.of(report, sheet))
        self.position[sheet] = (len(self.lines), 0)
        self.pending.append(_Pending(report.plan.pk, report.plan.title, sheet, report.include_unapproved))
        if len(self.pending) >= self.batch_size:
            self._write_projects()

    def _write_projects(self) -> None:
        """Unapproved progress is shown only when every report of the batch includes unapproved values."""
        include = all(item.include_unapproved for item in self.pending)
        lines = project_lines([item.plan_id for item in self.pending], self.year, include)
        for item in self.pending:
            if lines.get(item.plan_id):
                name = self.names.claim(item.sheet, "-任务")
                write_project_sheet(self.wb, self.styles, name, item.title, self.year, lines[item.plan_id])
                self.position[name] = (self.position[item.sheet][0], 1)
        self.pending = []

    def save(self, output) -> None:
        self._write_projects()
        self.wb._sheets.sort(key=lambda ws: self.position[ws.title])  # each plan's task sheet after it
        fill_summary_sheet(self.summary, self.year, self.exported_on, self.lines)
        self.wb.save(output)

    def discard_temporary_files(self) -> None:
        discard_temporary_files(self.wb)


def discard_temporary_files(wb: Workbook) -> None:
    """Each write-only sheet streams through a temporary file that openpyxl removes when saved, or
    else only when the process exits, and whose name it keeps until then. A web worker lives long:
    remove the files of a failed export, and forget the names either way."""
    paths = {ws._writer.out for ws in wb._sheets if getattr(ws, "_writer", None) is not None}
    for path in paths:
        Path(path).unlink(missing_ok=True)
    _openpyxl_temporary_files[:] = [path for path in _openpyxl_temporary_files if path not in paths]


def write_assessment_workbook(
    reports: Iterable, year: int, output, *, exported_on: date, batch_size: int = 200
) -> None:
    """Write the 年度监测评估表 for `reports` (``PlanReport``s, e.g. from ``plan_reports``) to `output`.

    `output` is a path or a binary file-like object. Memory stays flat in the number of plans:
    each report is let go once its sheet is written (see :class:`AssessmentWorkbook`).
    """
    export = AssessmentWorkbook(year, exported_on, batch_size)
    try:
        for report in reports:
            export.add(report)
        export.save(output)
    finally:
        export.discard_temporary_files()


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
    names, claimed = SheetNames([SUMMARY_TITLE]), {}
    for batch in batched(plans, batch_size):
        sheets = {plan.pk: names.claim(plan.display_name) for plan in batch}
        for plan in batch:
            task_sheet = names.claim(sheets[plan.pk], "-任务") if plan.pk in with_tasks else None
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
    include_unapproved = False
    try:
        for report in reports:
            sheets = names[report.plan.pk]
            write_plan_sheet(wb, styles, sheets.sheet, report, year, exported_on)
            lines.append(SummaryLine.of(report, sheets.sheet))
            include_unapproved = report.include_unapproved
            if sheets.task_sheet:
                with_tasks.append((report.plan, sheets.task_sheet))
        projects = project_lines([plan.pk for plan, _sheet in with_tasks], year, include_unapproved)
        for plan, task_sheet in with_tasks:  # a plan whose projects went meanwhile keeps its (empty) sheet
            write_project_sheet(wb, styles, task_sheet, plan.title, year, projects.get(plan.pk, []))
        wb.save(path)
    finally:
        discard_temporary_files(wb)
    return Part(lines, sheet_members(wb))


class Skeleton:
    """The whole workbook with every plan and task sheet empty (print titles set: ``workbook.xml``
    names them), written while the parts are, and its summary, filled in when they are done.
    A context manager: leaving it removes what is left of its temporary files."""

    def __init__(self, layout: list[tuple[str, int]]):
        self.wb = Workbook(write_only=True)
        styles = Styles(self.wb)
        self.summary = SheetWriter.new_sheet(self.wb, SUMMARY_TITLE, styles)
        try:
            for name, header_row in layout:
                ws = self.wb.create_sheet(name)
                ws.print_title_rows = f"{header_row}:{header_row}"
                _close(ws)
        except BaseException:
            discard_temporary_files(self.wb)
            raise

    def __enter__(self) -> Skeleton:
        return self

    def __exit__(self, *exc) -> None:
        discard_temporary_files(self.wb)

    def save(self, lines: list[SummaryLine], year: int, exported_on: date, path) -> dict[str, str]:
        """Returns each sheet's member in the file."""
        fill_summary_sheet(self.summary, year, exported_on, lines)
        self.wb.save(path)
        return sheet_members(self.wb)
