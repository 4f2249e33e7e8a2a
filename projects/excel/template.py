"""The Excel entry template (填报模板) for one organization × plan × year.

The workbook is the official's offline form: one row per indicator the organization owns, the
baseline, target and the reference value (the latest earlier approved value, else the baseline), and the input cells (value,
source, vintage, note) unlocked on an otherwise protected sheet. Two hidden columns carry the
indicator id and the version of the value the official started from, so an upload can tell a
stale template from a fresh one; a hidden "meta" sheet carries the plan, year and organization.

The file format (sheets, columns) is in ``excel.layout``, shared with ``projects.imports``.
"""
from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from core.spreadsheet import is_formula_like

from ..models import IndicatorValue
from ..selectors.reference import references
from ..validation import reference_label
from .layout import (
    COL, COLUMNS, FIRST_DATA_ROW, HEADER_ROW, HEADERS, HIDDEN_HEADERS, INPUT_HEADERS,
    INSTRUCTIONS_ROW, META_KEYS, META_SHEET, NUMBER_LIMIT, SHEET_NAME, VINTAGE_LABELS,
)

HEADER_FILL = PatternFill("solid", fgColor="EEF0F3")
INPUT_FILL = PatternFill("solid", fgColor="FFF9E6")
INSTRUCTIONS_FILL = PatternFill("solid", fgColor="FDECEA")


def build_template(plan, year: int, organization) -> bytes:
    """The pre-filled, protected entry workbook, as xlsx bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    rows = template_rows(plan, year, organization)
    _write_instructions(ws, plan, year, organization)
    _write_headers(ws)
    for offset, row in enumerate(rows):
        _write_row(ws, FIRST_DATA_ROW + offset, row)
    last_row = FIRST_DATA_ROW + max(len(rows), 1) - 1
    _add_validations(ws, rows)
    _format_sheet(ws, last_row)
    _write_meta(wb, plan, year, organization)
    wb.security = WorkbookProtection(lockStructure=True)  # no renaming, adding or unhiding sheets
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def template_rows(plan, year: int, organization) -> list[dict]:
    """One dict per indicator the organization owns in the plan, with its current value and the
    reference a new one is compared with (projects.reference: the rule the import applies)."""
    indicators = list(plan.indicators.filter(organization=organization).order_by("number"))
    current = {v.indicator_id: v for v in IndicatorValue.objects.filter(indicator__in=indicators, year=year)}
    reference = references(indicators, year)
    return [_row_for(ind, year, current.get(ind.pk), reference[ind.pk]) for ind in indicators]


def _row_for(indicator, year: int, value, reference) -> dict:
    return {
        "indicator": indicator,
        "baseline": indicator.baseline_value,
        "target": indicator.target_text,
        "reference": reference_label(reference, year) if reference else "",
        "previous": reference.value if reference else None,
        "value": value.value if value else None,
        "source": value.source if value else "",
        "vintage": _vintage_label(value.vintage) if value else "",
        "note": value.note if value else "",
        "version": value.version if value else 0,
    }


def _vintage_label(vintage: str) -> str:
    return next((label for label, code in VINTAGE_LABELS.items() if code == vintage), "")


def _write_instructions(ws, plan, year: int, organization) -> None:
    text = _(
        "%(plan)s · %(year)s年 · %(org)s。填写说明：只填写黄色单元格。"
        "「本年数值」按「单位」列的单位填写纯数字（单位为 %% 时填 1.65 表示 1.65%%，不要填 0.0165）；"
        "位次填正整数；与「参照值」相比年均变化较大时请在「说明」中解释原因。"
        "「数据性质」选择 初步 或 核实。请勿修改工作表名称、表头、行列结构和隐藏列，否则无法导入。"
    ) % {"plan": plan.display_name, "year": year, "org": organization.name}
    last = get_column_letter(COL["说明"])
    ws.merge_cells(f"A{INSTRUCTIONS_ROW}:{last}{INSTRUCTIONS_ROW}")
    cell = ws.cell(INSTRUCTIONS_ROW, 1)
    write_text(cell, text)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    cell.fill = INSTRUCTIONS_FILL
    ws.row_dimensions[INSTRUCTIONS_ROW].height = 66


def _write_headers(ws) -> None:
    for column, header in enumerate(HEADERS, start=1):
        cell = ws.cell(HEADER_ROW, column, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _write_row(ws, r: int, row: dict) -> None:
    indicator = row["indicator"]
    ws.cell(r, COL["序号"], indicator.number)
    write_text(ws.cell(r, COL["指标"]), indicator.name)
    write_text(ws.cell(r, COL["单位"]), indicator.unit)
    write_number(ws.cell(r, COL["基期值"]), row["baseline"])
    write_text(ws.cell(r, COL["目标"]), row["target"])
    write_text(ws.cell(r, COL["参照"]), row["reference"])
    write_number(ws.cell(r, COL["参照值"]), row["previous"])
    write_number(ws.cell(r, COL["本年数值"]), row["value"])
    write_text(ws.cell(r, COL["数据来源"]), row["source"])
    write_text(ws.cell(r, COL["数据性质(初步/核实)"]), row["vintage"])
    write_text(ws.cell(r, COL["说明"]), row["note"])
    ws.cell(r, COL["指标ID"], indicator.pk)
    ws.cell(r, COL["版本"], row["version"])
    for header in INPUT_HEADERS:
        cell = ws.cell(r, COL[header])
        cell.protection = Protection(locked=False)
        cell.fill = INPUT_FILL
    ws.cell(r, COL["指标"]).alignment = Alignment(wrap_text=True, vertical="top")
    ws.cell(r, COL["说明"]).alignment = Alignment(wrap_text=True, vertical="top")


def write_text(cell, text) -> None:
    """Write text that is never taken for a formula, whatever it starts with."""
    cell.value = "" if text is None else str(text)
    if is_formula_like(cell.value):  # the one guard, core.spreadsheet
        cell.data_type = "s"
        cell.quotePrefix = True


def write_number(cell, number: Decimal | None) -> None:
    """Decimals go to Excel as numbers (integers as int, so 2 is not shown as 2.0000)."""
    if number is None:
        return
    number = number.normalize()
    cell.value = int(number) if number == number.to_integral_value() else number
    cell.number_format = "General"


def _add_validations(ws, rows: list[dict]) -> None:
    value_col = get_column_letter(COL["本年数值"])
    groups = {"decimal": [], "share": [], "rank": []}
    for offset, row in enumerate(rows):
        indicator = row["indicator"]
        kind = "rank" if indicator.is_rank else "share" if indicator.is_share else "decimal"
        groups[kind].append(f"{value_col}{FIRST_DATA_ROW + offset}")
    for kind, cells in groups.items():
        if cells:
            validation = _number_validation(kind)
            ws.add_data_validation(validation)
            for ref in cells:
                validation.add(ref)
    vintage_col = get_column_letter(COL["数据性质(初步/核实)"])
    vintage = DataValidation(type="list", formula1='"初步,核实"', allow_blank=True, showErrorMessage=True)
    vintage.error = _("请选择 初步 或 核实")
    vintage.errorTitle = _("数据性质")
    ws.add_data_validation(vintage)
    vintage.add(f"{vintage_col}{FIRST_DATA_ROW}:{vintage_col}{FIRST_DATA_ROW + max(len(rows), 1) - 1}")


def _number_validation(kind: str) -> DataValidation:
    if kind == "rank":
        validation = DataValidation(type="whole", operator="between", formula1="1", formula2="100000")
        validation.error = _("位次须为正整数")
    elif kind == "share":
        validation = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
        validation.error = _("比重须在 0 到 100 之间（填 1.65 表示 1.65%）")
    else:
        validation = DataValidation(
            type="decimal", operator="between", formula1=str(-NUMBER_LIMIT), formula2=str(NUMBER_LIMIT)
        )
        validation.error = _("请填写数字")
    validation.allow_blank = True
    validation.showErrorMessage = True
    validation.errorTitle = _("本年数值")
    return validation


def _format_sheet(ws, last_row: int) -> None:
    for column, (_header, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    for header in HIDDEN_HEADERS:
        ws.column_dimensions[get_column_letter(COL[header])].hidden = True
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)
    ws.protection.sheet = True  # only the unlocked input cells can be edited
    ws.protection.formatCells = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1


def _write_meta(wb, plan, year: int, organization) -> None:
    meta = wb.create_sheet(META_SHEET)
    for r, (key, value) in enumerate(zip(META_KEYS, (plan.code, year, organization.pk)), start=1):
        meta.cell(r, 1, key)
        if isinstance(value, str):
            write_text(meta.cell(r, 2), value)
        else:
            meta.cell(r, 2, value)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
