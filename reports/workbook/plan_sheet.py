"""A plan's sheet: its indicator table (one row per indicator) and the legend of verdict colours."""

from __future__ import annotations

from datetime import date
from functools import cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from core.numbers import trimmed
from indicators.choices import Attribute

from ..assessment import Verdict
from ..labels import explanation_text, translated_label
from .cells import Column, SheetWriter, close_sheet, fit_height, merge_rows, number_format, print_setup, set_widths, widths_of
from .styles import (
    CENTER, HEADER, INFO, LEFT, NOTE, SUBTITLE, TARGET_PREFIXES, TITLE, VERDICT_MEANINGS, Look, Styles, number_look,
    percent_look, year_look,
    verdict_look,
)



def plan_columns(years: list[int]) -> list[Column]:
    return [
        Column(_("序号"), 5, 6), Column(_("指标"), 16, 36), Column(_("单位"), 6, 10), Column(_("属性"), 8, 10),
        Column(_("基期年"), 8, 13), Column(_("基期值"), 9, 14), Column(_("目标值"), 12, 26),
        *(Column(_("%(year)s年") % {"year": year}, 9, 14) for year in years),
        Column(_("完成进度"), 10, 12), Column(_("时序进度"), 10, 12), Column(_("评价"), 10, 14),
        Column(_("趋势判断"), 10, 12), Column(_("说明"), 30, 60), Column(_("备注"), 10, 20),
    ]  # fmt: skip



def target_words(indicator, plan) -> str:
    """The target as the plan words it, with its year when that is not the plan's last year."""
    text = indicator.target_text or indicator.target.render()
    year = indicator.target_year
    if year and year != plan.end_year and str(year) not in text:
        text = _("%(target)s（%(year)s年）") % {"target": text, "year": year}
    return text


def row_notes(row, years: list[int]) -> str:
    notes = []
    if row.assessment.warning:
        notes.append(_("约束性指标预警"))
    preliminary = [_("%(year)s年") % {"year": y} for y in years if y in row.preliminary_years and y in row.values]
    if preliminary:
        notes.append(_("初步数（未审核）：%(years)s") % {"years": _("、").join(preliminary)})
    return _("；").join(notes)


def _baseline_cell(out: SheetWriter, indicator) -> Cell:
    if indicator.baseline_value is None and indicator.baseline_text:
        return out.text(indicator.baseline_text)
    return out.number(indicator.baseline_value, number_look(number_format(indicator.unit, indicator.baseline_value)))


def _target_cell(out: SheetWriter, indicator, plan) -> Cell:
    """A number cell, the sign in its format ("≥ 150"), where the target is one number in the
    indicator's unit and of the plan's last year; the plan's words (a range, a rate, a phrase) otherwise."""
    target = indicator.target
    prefix = TARGET_PREFIXES.get(target.kind)
    year = indicator.target_year
    if prefix is None or target.value is None or (year and plan.end_year and year != plan.end_year):
        return out.text(target_words(indicator, plan), LEFT)
    value = trimmed(target.value)
    return out.number(value, number_look(number_format(indicator.unit, value, prefix)))


def _value_cell(out: SheetWriter, row, year: int) -> Cell:
    value = row.values.get(year)
    return out.number(value, number_look(number_format(row.indicator.unit, value), year in row.preliminary_years))


def indicator_cells(out: SheetWriter, row, plan, years: list[int]) -> list[Cell]:
    """One indicator's row of the plan sheet, in the order of :func:`plan_columns`."""
    indicator, a = row.indicator, row.assessment
    return [
        out.number(indicator.number, CENTER),
        out.text(indicator.name, LEFT),
        out.text(indicator.unit),
        out.text(attribute_label(indicator.attribute)),
        out.number(indicator.baseline_year, year_look()),
        _baseline_cell(out, indicator),
        _target_cell(out, indicator, plan),
        *(_value_cell(out, row, y) for y in years),
        out.number(a.completion, percent_look(a.completion)),
        out.number(a.time_share, percent_look(a.time_share)),
        out.text(verdict_label(a.verdict), verdict_look(a.verdict, a.warning)),
        out.text(verdict_label(a.projected_verdict) if a.projected_verdict else ""),
        out.text(explanation_text(a), LEFT),
        out.text(row_notes(row, years), LEFT),
    ]


def verdict_label(coded) -> str:
    return translated_label(coded)


def attribute_label(code: str) -> str:
    """预期性 / 约束性, resolved once per language (``get_attribute_display`` resolves a lazy
    translation on every call, here once per indicator)."""
    return _attribute_labels(get_language()).get(code, code)


@cache
def _attribute_labels(language: str) -> dict[str, str]:
    return {code: str(label) for code, label in Attribute.choices}


def scope_words(include_unapproved: bool) -> str:
    return _("含未审核（初步）数据，仅供内部参考") if include_unapproved else _("已审核数据")


def _plan_info(report, year: int, exported_on: date) -> str:
    parts = [
        _("规划期：%(period)s") % {"period": report.plan.period or "—"},
        _("评估年度：%(year)s年") % {"year": year},
        _("数据：%(scope)s") % {"scope": scope_words(report.include_unapproved)},
    ]
    if report.has_demo:
        parts.append(_("含演示数据"))
    parts.append(_("导出日期：%(date)s") % {"date": f"{exported_on:%Y-%m-%d}"})
    return _("　　").join(parts)


HEADER_ROW = 4  # plan sheets: title, subtitle, information line, header


def write_plan_sheet(wb: Workbook, styles: Styles, name: str, report, year: int, exported_on: date):
    """The plan's indicator table with a legend under it."""
    out = SheetWriter.new_sheet(wb, name, styles)
    years = [y for y in report.years if y <= year]
    columns = plan_columns(years)
    rows = [indicator_cells(out, row, report.plan, years) for row in report.rows]
    widths = widths_of(columns, rows)
    set_widths(out.ws, widths)
    merge_rows(out.ws, (1, 2, 3), len(columns))
    out.ws.freeze_panes = f"C{HEADER_ROW + 1}"
    print_setup(out.ws, HEADER_ROW)
    out.add([out.text(report.plan.title, TITLE)], 30)
    out.add([out.text(_("%(year)s年度监测评估") % {"year": year}, SUBTITLE)], 22)
    out.add([out.text(_plan_info(report, year, exported_on), INFO)], 18)
    out.add([out.text(c.header, HEADER) for c in columns], 30)
    for cells in rows:
        out.add(cells, fit_height(cells, widths))
    if not rows:
        out.add([out.text(_("本规划未设定量化指标。"), NOTE)])
    _write_legend(out, len(columns))
    close_sheet(out.ws)
    return out.ws


LEGEND_NOTE = gettext_noop("注：约束性指标滞后、倒退或未完成时，评价以粗体显示，备注栏标明“约束性指标预警”。")


def _write_legend(out: SheetWriter, last_column: int) -> None:
    """Each verdict's colour and meaning, under the table (merged cells may be added until the sheet closes)."""
    out.add([])
    for index, verdict in enumerate(Verdict):
        label = out.text(_("图例") if index == 0 else "", NOTE)
        meaning = out.text(_(VERDICT_MEANINGS[verdict]), NOTE)
        out.add([label, out.text(verdict_label(verdict), verdict_look(verdict)), meaning])
        out.ws.merged_cells.add(f"C{out.count}:{get_column_letter(max(last_column, 3))}{out.count}")
    out.add([None, out.text(_(LEGEND_NOTE), NOTE)])

