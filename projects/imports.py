"""Bulk entry of indicator values from the Excel template or a CSV file, in three steps:

1. ``read_upload`` parses the file into ``ImportRow`` objects (no database access);
2. ``validate_rows`` checks every row against the database and returns an ``ImportPlan``: the
   changes value by value (old → new) and every error as “第 N 行 · 列: 原因”;
3. ``apply_import`` writes all changes in one transaction, or nothing.

The file is treated as hostile: size, row count and the zip's uncompressed size are capped
before parsing, formulas are never evaluated (only their cached values are read), and nothing
is written unless every row is valid.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.choices import Role
from indicators.models import Indicator
from indicators.services import indicators_changed
from plans.models import Plan

from . import access, services
from .choices import State, Vintage
from .excel import COL, FIRST_DATA_ROW, HEADER_ROW, HEADERS, META_KEYS, META_SHEET, SHEET_NAME, VINTAGE_LABELS
from .models import IndicatorValue
from .validation import check_value, format_decimal, parse_value_input

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 1_000
CSV_HEADER = ["plan", "indicator", "year", "value", "source", "note"]
XLSX, CSV = "xlsx", "csv"
CHANGE_REASONS = {XLSX: "Excel 导入", CSV: "CSV 导入"}
UPDATE_FIELDS = [
    "value", "source", "vintage", "note", "state", "version", "is_demo", "return_reason",
    "entered_by", "entered_at", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at",
]

# Column names used in messages: the template's Chinese headers, or the CSV's own header.
XLSX_LABELS = {
    "file": "文件", "plan": "规划(meta)", "year": "年份(meta)", "organization": "单位(meta)",
    "indicator": "序号", "indicator_id": "指标ID", "version": "版本", "value": "本年数值",
    "source": "数据来源", "vintage": "数据性质(初步/核实)", "note": "说明",
}
CSV_LABELS = {name: name for name in CSV_HEADER} | {"file": "文件", "columns": "列数"}


class UploadError(Exception):
    """The file as a whole cannot be read; ``errors`` say why, with row and column where known."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


class ImportConflict(Exception):
    """The database changed between validation and writing; nothing was written."""


@dataclass
class ImportRow:
    """One data row of an upload, as read: texts and numbers, not yet checked against the database."""

    line: int
    kind: str
    plan: str
    indicator: object
    year: object
    value: object
    source: str = ""
    note: str = ""
    vintage: object = None
    indicator_id: object = None
    version: object = None
    organization: object = None
    errors: list[str] = field(default_factory=list)

    def error(self, column: str, reason: str) -> str:
        return row_error(self.line, self.label(column), reason)

    def label(self, column: str) -> str:
        labels = XLSX_LABELS if self.kind == XLSX else CSV_LABELS
        return labels.get(column, column)


@dataclass
class Change:
    """One value that the import creates or changes."""

    indicator: Indicator
    year: int
    old_value: Decimal | None
    new_value: Decimal
    old_state: str | None
    source: str
    note: str
    vintage: str = Vintage.PRELIMINARY
    new_state: str = State.DRAFT
    record_id: int | None = None
    version: int = 0
    line: int = 0
    old_is_demo: bool = False

    @property
    def is_new(self) -> bool:
        return self.record_id is None

    @property
    def old_state_label(self) -> str:
        return State(self.old_state).label if self.old_state else ""

    @property
    def new_state_label(self) -> str:
        return State(self.new_state).label

    @property
    def vintage_label(self) -> str:
        return Vintage(self.vintage).label

    def key(self) -> tuple:
        return (self.indicator.pk, self.year, str(self.old_value), str(self.new_value), self.old_state,
                self.new_state, self.source, self.note, self.vintage, self.version)


@dataclass
class ImportPlan:
    """What an import would do: the changes, or the errors that stop it."""

    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    kind: str = CSV
    rows: int = 0

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def reason(self) -> str:
        return CHANGE_REASONS[self.kind]

    def fingerprint(self) -> str:
        """A digest of the changes, so a confirmation applies exactly what the preview showed."""
        return hashlib.sha256(repr([c.key() for c in self.changes]).encode()).hexdigest()


def row_error(line: int, column: str, reason: str) -> str:
    return _("第 %(line)s 行 · %(column)s: %(reason)s") % {"line": line, "column": column, "reason": reason}


def file_error(reason: str) -> str:
    return _("文件: %(reason)s") % {"reason": reason}


# 1. Reading -----------------------------------------------------------------------------------


def read_upload(file_bytes: bytes, filename: str = "") -> list[ImportRow]:
    """Parse the entry template (xlsx) or a CSV into rows; UploadError when the file is unusable."""
    if len(file_bytes) > MAX_FILE_BYTES:
        raise UploadError([file_error(_("文件超过 10 MB，请拆分后分批上传。"))])
    kind = detect_kind(file_bytes, filename)
    return read_xlsx(file_bytes) if kind == XLSX else read_csv(file_bytes)


def detect_kind(data: bytes, filename: str = "") -> str:
    """xlsx or csv, from the content first (a renamed extension does not fool it)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(b"PK\x03\x04"):
        return XLSX
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadError([file_error(_("这是旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后上传。"))])
    if extension == "xlsx":
        raise UploadError([file_error(_("文件扩展名是 .xlsx，但内容不是有效的 xlsx 文件。"))])
    if extension not in ("", "csv", "txt") or b"\x00" in data[:8192]:
        raise UploadError([file_error(_("只接受 xlsx 填报模板或 CSV 文件。"))])
    return CSV


def check_zip(data: bytes) -> None:
    """Refuse a zip bomb before openpyxl inflates anything: sizes come from the zip directory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise UploadError([file_error(_("文件已损坏，不是有效的 xlsx 文件。"))]) from None
    if len(infos) > MAX_ZIP_ENTRIES or sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise UploadError([file_error(_("xlsx 解压后超过 100 MB，拒绝处理。"))])
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        raise UploadError([file_error(_("这不是 xlsx 工作簿，请上传系统下载的填报模板或 CSV 文件。"))])


# xlsx -----------------------------------------------------------------------------------------


def read_xlsx(data: bytes) -> list[ImportRow]:
    check_zip(data)
    values_book = _open_workbook(data, data_only=True)
    formulas_book = _open_workbook(data, data_only=False)
    try:
        sheet = _entry_sheet(values_book)
        meta = _read_meta(values_book)
        _check_headers(sheet)
        return _xlsx_rows(sheet, formulas_book[SHEET_NAME], meta)
    except UploadError:
        raise
    except Exception:  # read-only openpyxl inflates a part only when it reads it: damage shows up here
        raise UploadError([file_error(_("文件已损坏，不是有效的 xlsx 文件。"))]) from None
    finally:
        values_book.close()
        formulas_book.close()


def _open_workbook(data: bytes, *, data_only: bool):
    # read_only + data_only: formulas are never evaluated, a formula cell yields its cached value.
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception:  # openpyxl raises many types on malformed parts
        raise UploadError([file_error(_("无法读取该 xlsx 文件，请确认它是系统下载的填报模板。"))]) from None


def _entry_sheet(book):
    if SHEET_NAME not in book.sheetnames:
        found = "、".join(book.sheetnames)
        reason = _("找不到名为“%(name)s”的工作表（现有：%(found)s）。请勿重命名工作表。")
        raise UploadError([file_error(reason % {"name": SHEET_NAME, "found": found})])
    return book[SHEET_NAME]


def _read_meta(book) -> dict:
    if META_SHEET not in book.sheetnames:
        raise UploadError([file_error(_("缺少隐藏的 meta 工作表，请使用系统下载的填报模板。"))])
    meta = {}
    for row in book[META_SHEET].iter_rows(min_row=1, max_row=len(META_KEYS), max_col=2, values_only=True):
        if row and row[0] in META_KEYS:
            meta[row[0]] = row[1]
    missing = [key for key in META_KEYS if meta.get(key) in (None, "")]
    if missing:
        reason = _("meta 工作表缺少 %(keys)s，请使用系统下载的填报模板。") % {"keys": ", ".join(missing)}
        raise UploadError([file_error(reason)])
    return meta


def _check_headers(sheet) -> None:
    found = next(sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
    found = [str(cell).strip() if cell is not None else "" for cell in found]
    while found and not found[-1]:
        found.pop()
    if found == HEADERS:
        return
    raise UploadError(_header_errors(found, HEADERS, HEADER_ROW, _("表头")))


def _header_errors(found: list[str], expected: list[str], line: int, column: str) -> list[str]:
    errors = [
        row_error(line, column, _("缺少列“%(name)s”。") % {"name": name}) for name in expected if name not in found
    ]
    errors += [
        row_error(line, column, _("多出列“%(name)s”。") % {"name": name or _("（空表头）")})
        for name in found
        if name not in expected
    ]
    if not errors:
        reason = _("列的顺序被改动，应为：%(names)s。") % {"names": ", ".join(expected)}
        errors.append(row_error(line, column, reason))
    return errors + [file_error(_("请勿增删或移动列；请重新下载模板填写。"))]


def _xlsx_rows(sheet, formula_sheet, meta: dict) -> list[ImportRow]:
    width = len(HEADERS)
    pairs = zip(
        sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=width),
        formula_sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=width),
    )
    rows = []
    for line, (cells, formula_cells) in enumerate(pairs, start=FIRST_DATA_ROW):
        cells, formula_cells = _padded(cells, width), _padded(formula_cells, width)
        if all(_is_blank(cell.value) for cell in [*cells, *formula_cells]):
            continue
        if len(rows) >= MAX_ROWS:
            raise UploadError([file_error(_("超过 %(n)s 行，请拆分后分批导入。") % {"n": MAX_ROWS})])
        rows.append(_xlsx_row(line, cells, formula_cells, meta))
    return rows


def _padded(cells, width: int) -> list:
    cells = list(cells)
    return cells + [_Empty()] * (width - len(cells))


class _Empty:
    value = None
    data_type = "n"
    number_format = "General"


def _xlsx_row(line: int, cells, formula_cells, meta: dict) -> ImportRow:
    def cell(header):
        return cells[COL[header] - 1].value

    row = ImportRow(
        line=line, kind=XLSX, plan=str(meta["plan"]).strip(), year=meta["year"],
        organization=meta["organization"],
        indicator=cell("序号"), indicator_id=cell("指标ID"), version=cell("版本"),
        value=_xlsx_number(cells[COL["本年数值"] - 1]), source=_text(cell("数据来源")),
        vintage=_text(cell("数据性质(初步/核实)")), note=_text(cell("说明")),
    )
    row.errors += _formula_errors(line, cells, formula_cells)
    return row


def _formula_errors(line: int, cells, formula_cells) -> list[str]:
    """A formula without a cached value (never calculated by Excel) cannot be read: say where."""
    errors = []
    for index, (cell, formula_cell) in enumerate(zip(cells, formula_cells)):
        if getattr(formula_cell, "data_type", None) == "f" and cell.value is None:
            reason = _("公式没有计算结果（缓存值），系统不计算公式。请在 Excel 中保存后再上传，或直接填写数值。")
            errors.append(row_error(line, HEADERS[index], reason))
    return errors


def _xlsx_number(cell):
    """A number cell as text for parse_value_input; a percent-formatted 1.65% (0.0165) becomes 1.65."""
    value = cell.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _text(value) if not isinstance(value, (datetime, date)) else str(value)
    number = Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)
    if "%" in (getattr(cell, "number_format", "") or ""):
        number *= 100
    return format_decimal(number.normalize())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(value, ".15g")
    return str(value).strip()


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# CSV ------------------------------------------------------------------------------------------


def read_csv(data: bytes) -> list[ImportRow]:
    reader = csv.reader(io.StringIO(decode_text(data), newline=""))
    try:
        header = next(reader, None)
        _check_csv_header(header)
        return _csv_rows(reader)
    except csv.Error as exc:
        reason = _("CSV 格式错误：%(error)s") % {"error": exc}
        raise UploadError([row_error(reader.line_num, _("文件"), reason)]) from None


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GBK/GB18030 as saved by Chinese Excel and WPS."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadError([file_error(_("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV。"))])


def _check_csv_header(header: list[str] | None) -> None:
    found = [cell.strip().lower() for cell in (header or [])]
    while found and not found[-1]:
        found.pop()
    if not found:
        reason = _("文件为空，第一行应为表头 %(h)s。") % {"h": ",".join(CSV_HEADER)}
        raise UploadError([row_error(1, _("表头"), reason)])
    if found != CSV_HEADER:
        errors = _header_errors(found, CSV_HEADER, 1, _("表头"))
        raise UploadError(errors[:-1] + [file_error(_("表头应为 %(h)s。") % {"h": ",".join(CSV_HEADER)})])


def _csv_rows(reader) -> list[ImportRow]:
    rows = []
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) >= MAX_ROWS:
            raise UploadError([file_error(_("超过 %(n)s 行，请拆分后分批导入。") % {"n": MAX_ROWS})])
        rows.append(_csv_row(reader.line_num, record))
    return rows


def _csv_row(line: int, record: list[str]) -> ImportRow:
    cells = [cell.strip() for cell in record] + [""] * (len(CSV_HEADER) - len(record))
    row = ImportRow(line, CSV, *cells[:6])
    if len(record) != len(CSV_HEADER):
        reason = _("应有 %(n)s 列，实际 %(m)s 列。") % {"n": len(CSV_HEADER), "m": len(record)}
        row.errors.append(row.error("columns", reason))
    return row


# 2. Validation --------------------------------------------------------------------------------


@dataclass
class Scope:
    """Restricts an upload to one plan, year and organization (the web upload page)."""

    plan: Plan
    year: int
    organization: object


@dataclass
class _Parsed:
    row: ImportRow
    indicator: Indicator
    year: int
    value: Decimal | None
    vintage: str | None
    existing: IndicatorValue | None


class _Context:
    """Everything validation needs from the database, loaded in a constant number of queries."""

    def __init__(self, rows: list[ImportRow]):
        codes = {row.plan for row in rows}
        self.plans = {plan.code: plan for plan in Plan.objects.filter(code__in=codes)}
        indicators = Indicator.objects.filter(plan__in=self.plans.values()).select_related("plan", "organization")
        self.indicators = {(ind.plan_id, ind.number): ind for ind in indicators}
        self.values, self.approved = self._load_values()
        self.locks = {}

    def _load_values(self):
        """Stored values by (indicator, year), and approved ones by indicator for the outlier check."""
        records = IndicatorValue.objects.filter(indicator__plan__in=self.plans.values()).order_by("year")
        fields = ["indicator_id", "year", "value", "state", "source", "note", "vintage", "version", "is_demo"]
        values, approved = {}, {}
        for record in records.only(*fields):
            values[(record.indicator_id, record.year)] = record
            if record.state == State.APPROVED:
                approved.setdefault(record.indicator_id, []).append((record.year, record.value))
        return values, approved

    def lock_error(self, plan: Plan, year: int) -> str | None:
        if (plan.pk, year) not in self.locks:
            try:
                services.ensure_year_open(plan, year)
                self.locks[(plan.pk, year)] = None
            except services.YearLockedError as exc:
                self.locks[(plan.pk, year)] = str(exc)
        return self.locks[(plan.pk, year)]


def validate_rows(
    rows: list[ImportRow], *, user=None, state=State.DRAFT, scope: Scope | None = None
) -> ImportPlan:
    """Check every row; the plan's changes are only meant to be applied when it has no errors."""
    plan = ImportPlan(kind=rows[0].kind if rows else CSV, rows=len(rows))
    context = _Context(rows)
    parsed, seen, errors_by_line = [], {}, {}
    for row in rows:
        item, errors = _parse_row(row, context, seen, user=user, state=state, scope=scope)
        errors_by_line.setdefault(row.line, []).extend(errors)
        if item is not None:
            parsed.append(item)
    uploaded: dict[int, dict[int, Decimal]] = {}  # indicator id → year → value, of this file
    for p in parsed:
        if p.value is not None:
            uploaded.setdefault(p.indicator.pk, {})[p.year] = p.value
    for item in parsed:
        change, errors = _change_for(item, context, uploaded, user=user, state=state)
        errors_by_line[item.row.line].extend(errors)
        if change is not None:
            plan.changes.append(change)
    plan.errors = [error for line in sorted(errors_by_line) for error in errors_by_line[line]]
    if not rows:
        plan.errors.append(file_error(_("文件中没有数据行。")))
    return plan


def _parse_row(row: ImportRow, context: _Context, seen: dict, *, user, state, scope):
    """The row resolved and parsed, or None with the reasons why not."""
    errors = list(row.errors)
    indicator, year, resolve_errors = _resolve(row, context)
    errors += resolve_errors
    if indicator is None or year is None:
        return None, errors
    errors += _check_identity(row, indicator)
    errors += _check_scope(row, indicator, year, scope)
    errors += _check_duplicate(row, indicator, year, seen)
    errors += _check_permission(row, indicator, user, state)
    existing = context.values.get((indicator.pk, year))
    if _is_blank(row.value):
        return None, errors + _blank_value_errors(row, existing)
    lock = context.lock_error(indicator.plan, year)
    if lock:
        errors.append(row.error("year", lock))
    value, vintage, value_errors = _parse_value(row, indicator)
    errors += value_errors
    if errors:
        return None, errors
    return _Parsed(row, indicator, year, value, vintage, existing), []


def _resolve(row: ImportRow, context: _Context) -> tuple[Indicator | None, int | None, list[str]]:
    plan = context.plans.get(row.plan)
    if plan is None:
        return None, None, [row.error("plan", _("未知的规划代码“%(code)s”。") % {"code": row.plan})]
    errors = []
    year = _integer(row.year)
    if year is None or not 1900 <= year <= 2200:
        errors.append(row.error("year", _("年份“%(text)s”无效，应为四位整数。") % {"text": row.year}))
    elif plan.years() and year not in plan.years() and year != plan.base_year:
        span = f"{plan.years()[0]}—{plan.years()[-1]}"
        reason = _("%(year)s 年不在规划期（%(span)s）内。") % {"year": year, "span": span}
        errors.append(row.error("year", reason))
    number = _integer(row.indicator)
    indicator = context.indicators.get((plan.pk, number)) if number is not None else None
    if indicator is None:
        reason = _("规划“%(code)s”没有序号为“%(number)s”的指标。") % {"code": plan.code, "number": row.indicator}
        errors.append(row.error("indicator", reason))
    return (None, None, errors) if errors else (indicator, year, [])


def _integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return int(number) if number.is_finite() and number == number.to_integral_value() else None


def _check_identity(row: ImportRow, indicator: Indicator) -> list[str]:
    """The template's hidden id must match the 序号 column: a moved or edited row is refused."""
    if row.kind != XLSX:
        return []
    if _integer(row.indicator_id) != indicator.pk:
        return [row.error("indicator_id", _("隐藏的指标ID与序号不符，模板结构被改动，请重新下载模板。"))]
    return []


def _check_scope(row: ImportRow, indicator: Indicator, year: int, scope: Scope | None) -> list[str]:
    if scope is None:
        return []
    if row.kind == XLSX and _integer(row.organization) != scope.organization.pk:
        return [row.error("organization", _("该模板属于其他单位，请在对应单位的页面上传。"))]
    expected = (scope.plan.pk, scope.year, scope.organization.pk)
    if (indicator.plan_id, year, indicator.organization_id) != expected:
        reason = _("不属于本次填报范围（%(plan)s · %(year)s 年 · %(org)s）。") % {
            "plan": scope.plan.display_name, "year": scope.year, "org": scope.organization
        }
        return [row.error("indicator", reason)]
    return []


def _check_duplicate(row: ImportRow, indicator: Indicator, year: int, seen: dict) -> list[str]:
    key = (indicator.pk, year)
    if key in seen:
        reason = _("与第 %(line)s 行重复（同一规划、指标和年份只能出现一次）。") % {"line": seen[key]}
        return [row.error("indicator", reason)]
    seen[key] = row.line
    return []


def _check_permission(row: ImportRow, indicator: Indicator, user, state) -> list[str]:
    if user is None:
        return []
    organization = indicator.organization or _("（未指定责任单位）")
    if state == State.APPROVED:
        if not (_is_admin(user) or access.can_review(user, indicator.organization_id)):
            reason = _("你无权审核“%(org)s”的指标，不能以“已审核”状态导入。") % {"org": organization}
            return [row.error("indicator", reason)]
        return []
    if not access.can_enter(user, indicator.organization_id):
        return [row.error("indicator", _("你无权填报“%(org)s”的指标。") % {"org": organization})]
    return []


def _is_admin(user) -> bool:
    return user is None or user.is_superuser or user.has_role(Role.ADMIN)


def _blank_value_errors(row: ImportRow, existing: IndicatorValue | None) -> list[str]:
    """An empty value cell is “not reported”, unless it would silently drop data."""
    if existing is not None and row.kind == XLSX:
        reason = _("不能通过导入清空已有数值（当前为 %(v)s）。") % {"v": format_decimal(existing.value)}
        return [row.error("value", reason)]
    if existing is not None or row.kind == CSV or row.source or row.note:
        return [row.error("value", _("请填写数值。"))]
    return []


def _parse_value(row: ImportRow, indicator: Indicator) -> tuple[Decimal | None, str | None, list[str]]:
    errors = []
    value = vintage = None
    try:
        value = parse_value_input(row.value, percent_unit=indicator.is_share)
    except ValueError as exc:
        errors.append(row.error("value", str(exc)))
    if row.kind == XLSX and row.vintage:
        vintage = VINTAGE_LABELS.get(row.vintage) or (row.vintage if row.vintage in Vintage.values else None)
        if vintage is None:
            errors.append(row.error("vintage", _("数据性质应为“初步”或“核实”。")))
    return value, vintage, errors


def _change_for(item: _Parsed, context: _Context, uploaded: dict, *, user, state):
    """The change the row makes (None when it changes nothing), or the reasons it may not."""
    existing, row = item.existing, item.row
    change = _make_change(item, state)
    if existing is not None and not _differs(change, existing):
        return None, []
    errors = _check_overwrite(row, existing, user) + _check_version(row, existing)
    previous = _previous(item, context, uploaded)
    problems = check_value(
        change.new_value, is_share=item.indicator.is_share, is_rank=item.indicator.is_rank,
        previous=previous, note=change.note, outlier_percent=services.outlier_percent(),
    )
    errors += [row.error(getattr(p, "field", "value"), str(p)) for p in problems]
    return (None, errors) if errors else (change, [])


def _make_change(item: _Parsed, state: str) -> Change:
    existing, row = item.existing, item.row
    keep = existing is not None and row.kind == XLSX  # the template pre-fills them; CSV says them all
    vintage = item.vintage or (existing.vintage if existing else Vintage.PRELIMINARY)
    new_state = state
    if existing is not None and existing.state == State.RETURNED and state == State.DRAFT:
        new_state = State.RETURNED  # edited but not resubmitted: the reason stays visible
    return Change(
        indicator=item.indicator, year=item.year, new_value=item.value, vintage=vintage, new_state=new_state,
        old_value=existing.value if existing else None, old_state=existing.state if existing else None,
        source=row.source if (row.source or not keep) else existing.source,
        note=row.note if (row.note or not keep) else existing.note,
        record_id=existing.pk if existing else None, version=existing.version if existing else 0,
        line=row.line, old_is_demo=bool(existing and existing.is_demo),
    )


def _differs(change: Change, existing: IndicatorValue) -> bool:
    fields = (change.new_value, change.source, change.note, change.vintage)
    if fields != (existing.value, existing.source, existing.note, existing.vintage):
        return True
    return existing.is_editable and change.new_state != existing.state


def _check_overwrite(row: ImportRow, existing: IndicatorValue | None, user) -> list[str]:
    """Officials change only drafts and returned values; admins and the loading command may correct any."""
    if existing is None or existing.is_editable or _is_admin(user):
        return []
    reason = _("该数值%(state)s，不能通过导入修改；如需更正，请联系审核员退回。") % {
        "state": existing.get_state_display()
    }
    return [row.error("value", reason)]


def _check_version(row: ImportRow, existing: IndicatorValue | None) -> list[str]:
    """The template remembers the version it was made from: a value changed since is not overwritten."""
    if row.kind != XLSX:
        return []
    template_version = _integer(row.version)
    current = existing.version if existing else 0
    if template_version == current:
        return []
    current_value = format_decimal(existing.value) if existing else _("（空）")
    reason = _(
        "下载模板后该数值已被他人修改（模板版本 %(old)s，当前版本 %(new)s，当前值 %(value)s），请重新下载模板。"
    )
    return [row.error("version", reason % {"old": row.version, "new": current, "value": current_value})]


def _previous(item: _Parsed, context: _Context, uploaded: dict) -> Decimal | None:
    """As services.previous_approved: the latest earlier approved value (rows of this file
    count too), else the baseline."""
    indicator, year = item.indicator, item.year
    earlier = [(y, v) for y, v in context.approved.get(indicator.pk, []) if y < year]
    # by indicator: scanning every uploaded row for every row made a 10,000-row file quadratic
    earlier += [(y, v) for y, v in uploaded.get(indicator.pk, {}).items() if y < year]
    if earlier:
        return max(earlier, key=lambda pair: pair[0])[1]
    if indicator.baseline_year and indicator.baseline_year < year:
        return indicator.baseline_value
    return None


# 3. Writing -----------------------------------------------------------------------------------


def apply_import(plan: ImportPlan, *, user=None, state=State.DRAFT) -> int:
    """Write every change in one transaction; any error or exception leaves the database as it was."""
    if plan.errors:
        raise ValueError("apply_import() refuses an import plan with errors")
    now = timezone.now()
    with transaction.atomic():
        _lock_years(plan.changes)
        current = _lock_records(plan.changes)
        updated = [_updated_record(c, current[c.record_id], user, now) for c in plan.changes if not c.is_new]
        created = [_new_record(c, user, now) for c in plan.changes if c.is_new]
        if updated:
            bulk_update_with_history(updated, IndicatorValue, UPDATE_FIELDS, batch_size=1000,
                                     default_user=user, default_change_reason=plan.reason)
        _create_records(created, user, plan.reason)
        indicators_changed(c.indicator.pk for c in plan.changes)
    return len(updated) + len(created)


def _lock_years(changes: list[Change]) -> None:
    """Plan-year rows first, in a fixed order, as every monitoring write does (see services)."""
    for plan_id, year in sorted({(c.indicator.plan_id, c.year) for c in changes}):
        try:
            services.lock_year_for_write(plan_id, year)
        except services.YearLockedError as exc:
            raise ImportConflict(str(exc)) from None


def _lock_records(changes: list[Change]) -> dict[int, IndicatorValue]:
    ids = [c.record_id for c in changes if not c.is_new]
    records = {r.pk: r for r in IndicatorValue.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    for change in changes:
        record = records.get(change.record_id) if not change.is_new else None
        if not change.is_new and (record is None or record.version != change.version):
            reason = _("第 %(line)s 行的数值在预览后已被他人修改，本次没有写入任何数据，请重新上传。")
            raise ImportConflict(reason % {"line": change.line})
    return records


def _updated_record(change: Change, record: IndicatorValue, user, now) -> IndicatorValue:
    record.value, record.source = change.new_value, change.source
    record.note, record.vintage = change.note, change.vintage
    record.version += 1
    record.is_demo = False  # a real value replaces demo data
    _set_state(record, change.new_state, user, now)
    return record


def _new_record(change: Change, user, now) -> IndicatorValue:
    record = IndicatorValue(
        indicator=change.indicator, year=change.year, value=change.new_value, source=change.source,
        note=change.note, vintage=change.vintage, version=1,
    )
    _set_state(record, change.new_state, user, now)
    return record


def _set_state(record: IndicatorValue, state: str, user, now) -> None:
    record.state = state
    record.entered_by, record.entered_at = user, now
    if state in (State.SUBMITTED, State.APPROVED):
        record.submitted_by, record.submitted_at = user, now
    if state == State.APPROVED:
        record.reviewed_by, record.reviewed_at, record.return_reason = user, now, ""


def _create_records(records: list[IndicatorValue], user, reason: str) -> None:
    if not records:
        return
    try:
        with transaction.atomic():
            bulk_create_with_history(records, IndicatorValue, batch_size=1000, default_user=user,
                                     default_change_reason=reason)
    except IntegrityError:
        # Someone created one of these values after the preview: refuse rather than overwrite.
        raise ImportConflict(_("有数值在预览后已被他人填报，本次没有写入任何数据，请重新上传。")) from None


def import_file(file_bytes: bytes, filename: str, *, user=None, state=State.DRAFT, scope=None) -> ImportPlan:
    """Read and validate in one call (the command and the upload view share it)."""
    return validate_rows(read_upload(file_bytes, filename), user=user, state=state, scope=scope)
