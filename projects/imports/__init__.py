"""Bulk entry of indicator values from the Excel template or a CSV file, in three steps, one module each:

1. ``reading.read_file`` parses the file into ``ImportRow`` objects (no database access): our
   template by its layout; a CSV or any other xlsx by its column names, in Chinese or English, in
   any order (``columns.ALIASES``), the indicator by 序号 or by exact name, unknown columns ignored
   with a notice;
2. ``validating.validate_rows`` checks every row against the database and returns an ``ImportPlan``:
   the changes value by value (old → new) and every error as “第 N 行 · 列: 原因”;
3. ``applying.apply_import`` writes all changes in one transaction, or nothing.

The file is treated as hostile: its size, row count, the sheet's rows and the uncompressed size of
the zip and of each of its parts are capped before or while parsing, formulas are never evaluated
(only their cached values are read), and nothing is written unless every row is valid. The web
pages read a file once: the rows as read are staged (``ImportRow.to_json``) and the preview and the
confirmation validate those same rows against the database as it is then.

The csv module and openpyxl read the files, not pandas (though installed): pandas takes a stray
quote in a CSV cell silently, reads a cell formatted as a percent as its fraction under a text dtype,
and cannot tell a never-calculated formula from an empty cell (see ``reading``).
"""
from ..choices import State
from .applying import apply_import
from .columns import ALIASES, column_guide
from .guards import check_zip, detect_kind
from .reading import Upload, decode_text, read_csv, read_file, read_upload, read_xlsx
from .rows import (
    CSV, CSV_HEADER, MAX_FILE_BYTES, MAX_PART_BYTES, MAX_ROWS, MAX_SHEET_CELLS, MAX_SHEET_ROWS,
    MAX_UNZIPPED_BYTES, SHEET, XLSX, Change, ImportConflict, ImportPlan, ImportRow, UploadError, file_error,
    line_error, row_error,
)
from .validating import Scope, validate_rows

__all__ = [
    "ALIASES", "CSV", "CSV_HEADER", "MAX_FILE_BYTES", "MAX_PART_BYTES", "MAX_ROWS", "MAX_SHEET_CELLS",
    "MAX_SHEET_ROWS", "SHEET", "Upload", "column_guide", "read_file",
    "MAX_UNZIPPED_BYTES", "XLSX", "Change", "ImportConflict", "ImportPlan", "ImportRow", "Scope",
    "UploadError", "apply_import", "check_zip", "decode_text", "detect_kind", "file_error", "import_file",
    "line_error", "read_csv", "read_upload", "read_xlsx", "row_error", "validate_rows",
]


def import_file(file_bytes: bytes, filename: str, *, user=None, state=State.DRAFT, scope=None) -> ImportPlan:
    """Read and validate in one call (the command); the reader's notices come with the plan."""
    upload = read_file(file_bytes, filename)
    plan = validate_rows(upload.rows, user=user, state=state, scope=scope)
    plan.notices = upload.notices
    return plan
