"""Step 1 of an import: the uploaded file (entry template xlsx or CSV) read into ImportRow objects.

No database access. The file is hostile: its size, the uncompressed size of every zip part, the
sheet's rows and the CSV's rows are capped before or while parsing; formulas are never evaluated
(only their cached values are read); control characters and CSV quoting errors are named by row.

Our template is read by its fixed layout (sheet 填报, hidden ids and versions, meta sheet); a CSV
and the first sheet of any other xlsx with a recognisable header row are read by column names
(``columns``). The page's plan and year stand in for a plan or year column the file does not have.

pandas is not used here, on purpose: its CSV parser takes a stray quote in a cell (``a,"x"y``) as
the text ``xy`` where the strict csv module names the row, and ``read_excel(dtype=str)`` reads a cell
formatted as 1.65 % as ``0.0165`` (a share off by a factor of 100) and cannot tell a formula that was
never calculated from an empty cell. The csv module and openpyxl's read-only cells (value, type and
number format) give all three, inside the size and zip checks (``guards``).
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.numbers import number_text
from core.text import (
    UndecodableText, code_point, control_characters, decode_bytes, without_control_characters,
)

from ..excel import COL, FIRST_DATA_ROW, HEADER_ROW, HEADERS, META_KEYS, META_SHEET, SHEET_NAME
from .columns import ALIASES, FIELD_LABELS, Columns, is_header, map_columns
from .guards import check_zip, detect_kind, too_many_sheet_rows
from .rows import (
    CSV, CSV_HEADER, MAX_FILE_BYTES, MAX_ROWS, MAX_SHEET_ROWS, SHEET, XLSX, ImportRow, UploadError, file_error,
    header_label, line_error, row_error,
)

TEXT_FIELDS = (
    "plan", "indicator", "indicator_name", "year", "value", "source", "note", "vintage", "indicator_id",
    "version",
)
HEADER_SEARCH_ROWS = 20  # a sheet that is not our template: its header row is among its first rows

# 1. Reading -----------------------------------------------------------------------------------


@dataclass
class Upload:
    """The rows of a file as read, and what the reader tells the user (columns it ignored)."""

    rows: list[ImportRow]
    notices: list[str] = field(default_factory=list)


def read_file(file_bytes: bytes, filename: str = "", *, plan: str | None = None, year: int | None = None
              ) -> Upload:
    """Parse the entry template, another xlsx or a CSV; UploadError when the file is unusable.

    ``plan`` and ``year`` (the upload page's) stand in where the file has no such column or a blank cell."""
    if len(file_bytes) > MAX_FILE_BYTES:
        raise UploadError([file_error(_("文件超过 10 MB，请拆分后分批上传。"))])
    defaults = {name: value for name, value in (("plan", plan), ("year", year)) if value not in (None, "")}
    kind = detect_kind(file_bytes, filename)
    upload = read_xlsx(file_bytes, defaults) if kind == XLSX else read_csv(file_bytes, defaults)
    for row in upload.rows:
        _check_control_characters(row)
    return upload


def read_upload(file_bytes: bytes, filename: str = "", **defaults) -> list[ImportRow]:
    """The rows only (read_file also returns the notices)."""
    return read_file(file_bytes, filename, **defaults).rows


# xlsx -----------------------------------------------------------------------------------------


def read_xlsx(data: bytes, defaults: dict | None = None) -> Upload:
    check_zip(data)
    values_book = _open_workbook(data, data_only=True)
    formulas_book = _open_workbook(data, data_only=False)
    try:
        if not _is_template(values_book):
            return _read_other_sheet(values_book, formulas_book, defaults or {})
        sheet = _entry_sheet(values_book)
        _check_dimension(sheet)
        meta = _read_meta(values_book)
        _check_headers(sheet)
        return Upload(_xlsx_rows(sheet, formulas_book[SHEET_NAME], meta))
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


def _is_template(book) -> bool:
    """Our template, even with its sheet renamed (then refused by name: its ids and versions count)."""
    return SHEET_NAME in book.sheetnames or META_SHEET in book.sheetnames


def _entry_sheet(book):
    if SHEET_NAME not in book.sheetnames:
        found = _("、").join(book.sheetnames)
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


def _check_dimension(sheet) -> None:
    """The size the sheet states (its dimension element) checked before any row is read; a sheet
    that states none or understates it is stopped while its rows are read (_xlsx_rows)."""
    if (sheet.max_row or 0) > MAX_SHEET_ROWS:
        raise UploadError([too_many_sheet_rows()])


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
        if line > MAX_SHEET_ROWS:
            raise UploadError([too_many_sheet_rows()])
        cells, formula_cells = _padded(cells, width), _padded(formula_cells, width)
        if all(is_blank(cell.value) for cell in [*cells, *formula_cells]):
            continue
        if len(rows) >= MAX_ROWS:
            raise UploadError([file_error(_("超过 %(n)s 行，请拆分后分批导入。") % {"n": MAX_ROWS})])
        rows.append(_xlsx_row(line, cells, formula_cells, meta))
    return rows


# An xlsx that is not our template: its first sheet with a recognisable header, read by column names.


def _read_other_sheet(values_book, formulas_book, defaults: dict) -> Upload:
    for name in values_book.sheetnames:
        sheet = values_book[name]
        _check_dimension(sheet)
        found = _header_row(sheet)
        if found is not None:
            line, header = found
            columns = map_columns(header, line, defaults=set(defaults))
            rows = _sheet_rows(sheet, formulas_book[name], line, columns, defaults)
            return Upload(rows, _notices(columns))
    reason = _(
        "不是系统的填报模板，也没有找到表头：各工作表的前 %(n)s 行中没有一行同时含有数值列（%(values)s）"
        "和序号或指标列。"
    ) % {"n": HEADER_SEARCH_ROWS, "values": " / ".join(ALIASES["value"])}
    raise UploadError([file_error(reason)])


def _header_row(sheet) -> tuple[int, list[str]] | None:
    rows = sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True)
    for line, cells in enumerate(rows, start=1):
        header = [without_control_characters(_text(cell)) for cell in cells]
        if is_header(header):
            return line, header
    return None


def _sheet_rows(sheet, formula_sheet, header_line: int, columns: Columns, defaults: dict) -> list[ImportRow]:
    width = columns.width
    labels = {index: header_label(columns.headers[name], FIELD_LABELS[name])
              for name, index in columns.index.items()}
    first = header_line + 1
    pairs = zip(
        sheet.iter_rows(min_row=first, max_col=width), formula_sheet.iter_rows(min_row=first, max_col=width)
    )
    rows = []
    for line, (cells, formula_cells) in enumerate(pairs, start=first):
        if line > MAX_SHEET_ROWS:
            raise UploadError([too_many_sheet_rows()])
        cells, formula_cells = _padded(cells, width), _padded(formula_cells, width)
        read = [cells[index] for index in labels] + [formula_cells[index] for index in labels]
        if all(is_blank(cell.value) for cell in read):
            continue
        if len(rows) >= MAX_ROWS:
            raise UploadError([file_error(_("超过 %(n)s 行，请拆分后分批导入。") % {"n": MAX_ROWS})])
        texts = [_text(cell.value) if not isinstance(cell.value, (datetime, date)) else str(cell.value)
                 for cell in cells]
        value_cell = columns.cell(cells, "value")
        row = _named_row(line, SHEET, texts, columns, defaults)
        row.value = _xlsx_number(value_cell) if value_cell is not None else ""
        row.errors += _formula_errors(line, cells, formula_cells, labels)
        rows.append(row)
    return rows


def _named_row(line: int, kind: str, cells: list[str], columns: Columns, defaults: dict) -> ImportRow:
    """A row of a file read by column names; the page's plan and year fill a missing or blank cell."""
    def get(name):
        return (columns.cell(cells, name, "") or "").strip()

    number, name = get("number"), get("indicator")
    if "number" not in columns.index and _is_whole_number(name):
        number, name = name, ""  # the old header plan,indicator,…: its indicator is the 序号
    return ImportRow(
        line=line, kind=kind, plan=get("plan") or str(defaults.get("plan", "")),
        indicator=number or None, indicator_name=name, year=get("year") or defaults.get("year", ""),
        value=get("value"), source=get("source"), note=get("note"), vintage=get("vintage") or None,
        labels=_labels(columns),
    )


def _is_whole_number(text: str) -> bool:
    return bool(re.fullmatch(r"\d+(\.0*)?", unicodedata.normalize("NFKC", text)))


def _labels(columns: Columns) -> dict:
    """Each field's column as the file's header writes it; the indicator's 序号 errors name the column
    the 序号 came from (number, else indicator)."""
    labels = dict(columns.headers)
    labels.pop("number", None)
    if "indicator" in columns.headers:
        labels["indicator_name"] = columns.headers["indicator"]
    if "number" in columns.headers:
        labels["indicator"] = columns.headers["number"]
    return labels


def _notices(columns: Columns) -> list[str]:
    notice = columns.notice()
    return [notice] if notice else []


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


def _formula_errors(line: int, cells, formula_cells, labels=None) -> list[str]:
    """A formula without a cached value (never calculated by Excel) cannot be read: say where.
    ``labels``: column index → its name (another sheet's read columns); the template's by default."""
    errors = []
    for index, (cell, formula_cell) in enumerate(zip(cells, formula_cells)):
        label = _template_label(index) if labels is None else labels.get(index)
        if label and getattr(formula_cell, "data_type", None) == "f" and cell.value is None:
            reason = _("公式没有计算结果（缓存值），系统不计算公式。请在 Excel 中保存后再上传，或直接填写数值。")
            errors.append(row_error(line, label, reason))
    return errors


def _template_label(index: int) -> str:
    """A template column in messages: by its meaning in the page's language."""
    probe = ImportRow(0, XLSX, "", None, None, None)
    field_name = _TEMPLATE_FIELDS.get(HEADERS[index])
    return probe.label(field_name) if field_name else _(HEADERS[index])


_TEMPLATE_FIELDS = {
    "序号": "indicator", "本年数值": "value", "数据来源": "source", "数据性质(初步/核实)": "vintage", "说明": "note",
    "指标ID": "indicator_id", "版本": "version",
}


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


def _check_control_characters(row: ImportRow) -> None:
    """NUL and other control characters, named by row and column, then replaced so the row can be
    kept for the preview (PostgreSQL cannot store a NUL, not even in JSON)."""
    texts = [(name, getattr(row, name)) for name in TEXT_FIELDS]
    texts = [(name, text) for name, text in texts if isinstance(text, str)]
    if not control_characters("".join(text for _name, text in texts)):
        return  # the usual case, in one search
    for name, text in texts:
        found = control_characters(text)
        if found:
            names = _("、").join(_control_name(char) for char in found)
            reason = _("含有不可见的控制字符 %(chars)s，请删除后重新上传。") % {"chars": names}
            row.errors.append(row.error(name, reason))
            setattr(row, name, without_control_characters(text))


def _control_name(char: str) -> str:
    return _("%(code)s（空字符）") % {"code": code_point(char)} if char == "\x00" else code_point(char)


# CSV ------------------------------------------------------------------------------------------


def read_csv(data: bytes, defaults: dict | None = None) -> Upload:
    # strict: a stray quote is an error rather than a guess, so a note that opens a quote and never
    # closes it cannot swallow the rows after it.
    reader = csv.reader(io.StringIO(decode_text(data), newline=""), strict=True)
    records = _records(reader)
    line, header = next(records, (1, None))
    columns = _csv_columns(header, line, defaults or {})
    return Upload(_csv_rows(records, columns, defaults or {}), _notices(columns))


def _records(reader):
    """(line where the record starts, its cells); a quoting error names the line its quote opened."""
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise UploadError([_quote_error(start, reader.line_num, str(error))]) from None
        if any("\n" in cell and _EMBEDDED_RECORD.search(cell) for cell in record):
            raise UploadError([_quote_error(start, reader.line_num, "embedded record")])
        yield start, record
        start = reader.line_num + 1


# A line of the file inside a quoted cell (plan,indicator,year,…): a quote opened and closed rows later.
_EMBEDDED_RECORD = re.compile(r"\n\s*[\w.-]+\s*,\s*\d+\s*,\s*\d{4}\s*,")


def _quote_error(start: int, end: int, error: str) -> str:
    """The csv module's error (English, for no user) in the user's words, at the line it began."""
    if end > start or "end of data" in error or "embedded record" in error:
        reason = _("引号未闭合：从本行开始的引号一直延续到第 %(end)s 行，其后的行都被读成了一格的内容。"
                   "请删除多余的引号，或把整格用引号括起来并把格内的引号写成两个（\"\"）。") % {"end": end}
    elif "field limit" in error:
        reason = _("有一格超过 %(n)s 个字符。") % {"n": csv.field_size_limit()}
    else:
        reason = _("引号使用有误：格内的引号应写成两个（\"\"），并把整格用引号括起来。")
    return line_error(start, reason)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, then GBK/GB18030 as saved by Chinese Excel and WPS."""
    try:
        return decode_bytes(data).text
    except UndecodableText:
        raise UploadError([file_error(_("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV。"))]) from None


def _csv_columns(header: list[str] | None, line: int, defaults: dict) -> Columns:
    found = [without_control_characters(cell.strip()) for cell in (header or [])]
    if not any(found):
        reason = _("文件为空，第一行应为表头，例如 %(h)s。") % {"h": ",".join(CSV_HEADER)}
        raise UploadError([row_error(line, _("表头"), reason)])
    return map_columns(found, line, defaults=set(defaults))


def _csv_rows(records, columns: Columns, defaults: dict) -> list[ImportRow]:
    rows = []
    for line, record in records:
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) >= MAX_ROWS:
            raise UploadError([file_error(_("超过 %(n)s 行，请拆分后分批导入。") % {"n": MAX_ROWS})])
        rows.append(_csv_row(line, record, columns, defaults))
    return rows


def _csv_row(line: int, record: list[str], columns: Columns, defaults: dict) -> ImportRow:
    row = _named_row(line, CSV, [cell.strip() for cell in record], columns, defaults)
    if len(record) != columns.width:
        reason = _("应有 %(n)s 列，实际 %(m)s 列。") % {"n": columns.width, "m": len(record)}
        row.errors.append(row.error("columns", reason))
    return row
