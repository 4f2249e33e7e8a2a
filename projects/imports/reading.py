"""Step 1 of an import: the uploaded file (entry template xlsx or CSV) read into ImportRow objects.

No database access. The file is hostile: size, row count and the zip's uncompressed size are
capped before parsing, and formulas are never evaluated (only their cached values are read).
"""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.numbers import number_text
from core.text import UndecodableText, decode_bytes

from ..excel import COL, FIRST_DATA_ROW, HEADER_ROW, HEADERS, META_KEYS, META_SHEET, SHEET_NAME
from .rows import (
    CSV, CSV_HEADER, MAX_FILE_BYTES, MAX_ROWS, MAX_UNZIPPED_BYTES, MAX_ZIP_ENTRIES, XLSX, ImportRow, UploadError,
    file_error, row_error,
)

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
        if all(is_blank(cell.value) for cell in [*cells, *formula_cells]):
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
    return number_text(number.normalize())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(value, ".15g")
    return str(value).strip()


def is_blank(value) -> bool:
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
    """UTF-8 (with or without BOM), UTF-16 with BOM, then GBK/GB18030 as saved by Chinese Excel and WPS."""
    try:
        return decode_bytes(data).text
    except UndecodableText:
        raise UploadError([file_error(_("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV。"))]) from None


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

