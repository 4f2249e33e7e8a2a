"""The summary sheet (汇总): one row per plan with its verdict counts, a total, notes and a bar chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink

from ..assessment import Verdict
from ..labels import translated_label
from .cells import Column, SheetWriter, merge_rows, print_setup, safe_text, set_widths, widths_of
from .plan_sheet import scope_words
from .styles import BOLD, CENTER, HEADER, INFO, LINK, NOTE, TITLE, VERDICT_COLORS, percent_look


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


def summary_columns() -> list[Column]:
    return [
        Column(_("序号"), 5, 6), Column(_("规划"), 16, 40), Column(_("规划期"), 10, 14), Column(_("指标数"), 8, 12),
        *(Column(translated_label(verdict), 8, 14) for verdict in Verdict),
        Column(_("约束性指标预警"), 10, 16), Column(_("填报完整率"), 12, 14),
    ]  # fmt: skip
SUMMARY_HEADER_ROW = 3
FIRST_COUNT_COLUMN = 5  # 已完成


def _summary_cells(out: SheetWriter, number: int, line: SummaryLine) -> list[Cell]:
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
        out.number(line.completeness, percent_look(line.completeness)),
    ]


def _total_cells(out: SheetWriter, lines: list[SummaryLine]) -> list[Cell]:
    sums = [sum(line.counts[i] for line in lines) for i in range(len(Verdict))]
    return [
        out.text("", BOLD),
        out.text(_("合计"), BOLD),
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
    chart.title = _("各规划指标评价结果")
    chart.y_axis.title = _("指标数")
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


def fill_summary_sheet(
    out: SheetWriter, year: int, exported_on: date, lines: list[SummaryLine], left_out: Sequence[str] = ()
) -> None:
    """One row per plan, a total, notes (with the plans `left_out` of the export and why), and the
    chart; the sheet was created first and is written last."""
    rows = [_summary_cells(out, number, line) for number, line in enumerate(lines, 1)]
    columns = summary_columns()
    set_widths(out.ws, widths_of(columns, rows))
    merge_rows(out.ws, (1, 2), len(columns))
    out.ws.freeze_panes = f"C{SUMMARY_HEADER_ROW + 1}"
    print_setup(out.ws, SUMMARY_HEADER_ROW)
    out.add([out.text(_("%(year)s年度规划监测评估汇总表") % {"year": year}, TITLE)], 30)
    out.add([out.text(_("导出日期：%(date)s") % {"date": f"{exported_on:%Y-%m-%d}"}, INFO)], 18)
    out.add([out.text(c.header, HEADER) for c in columns], 30)
    for cells in rows:
        out.add(cells)
    out.add(_total_cells(out, lines))
    for note in summary_notes(lines, year, left_out):
        out.add([None, out.text(note, NOTE)])
    if lines:
        first = SUMMARY_HEADER_ROW + 1
        out.ws.add_chart(verdict_chart(out.ws, first, first + len(lines) - 1), f"B{out.count + 2}")


def summary_notes(lines: list[SummaryLine], year: int, left_out: Sequence[str] = ()) -> list[str]:
    """The notes under the table: what the verdicts rest on, and what the workbook leaves out or
    cannot assess for `year` and why. `left_out`: the plans not exported, each "name（period）"."""
    scope = scope_words(any(line.include_unapproved for line in lines))
    notes = [_("注：评价依据%(scope)s；各指标的完成进度、时序进度和评价理由见各规划表“说明”栏。") % {"scope": scope}]
    if any(line.has_demo for line in lines):
        notes.append(_("注：部分数值为演示数据。"))
    without_data = [line.name for line in lines if line.indicators and _has_no_data(line)]
    if without_data:
        notes.append(_("注：以下规划%(year)s年及以前无%(scope)s，各指标评价为“无数据”：%(plans)s。") % {
            "year": year, "scope": scope, "plans": _("、").join(without_data),
        })  # fmt: skip
    if left_out:
        notes.append(_("注：以下%(n)s个规划的规划期不含%(year)s年，未列入本表：%(plans)s。") % {
            "n": len(left_out), "year": year, "plans": _("、").join(left_out),
        })  # fmt: skip
    return notes


def _has_no_data(line: SummaryLine) -> bool:
    return line.counts[list(Verdict).index(Verdict.NO_DATA)] == line.indicators

