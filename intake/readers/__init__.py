"""Files to ``SourceDocument``: ``read_document(data, filename)`` picks the reader from the
content (magic bytes, the zip's members) and the name: .docx (python-docx), .pdf (pdfplumber),
.xlsx (openpyxl), text (.txt or pasted). Whatever cannot be read raises ``PlanImportError`` with a
message saying what to do. No Django import here."""
from intake.parsing import PlanImportError, SourceDocument

from .detect import file_kind
from .limits import MAX_BYTES, MAX_PAGES

EMPTY = "文件为空：没有可导入的文字"
TOO_LARGE = f"文件超过 {MAX_BYTES // (1024 * 1024)} MB，无法导入：请只上传规划正文（可删去图片、附件后另存）"


def read_document(data: bytes, filename: str = "") -> SourceDocument:
    """The blocks of a plan file; raises ``PlanImportError`` for a file that cannot be read."""
    if len(data) > MAX_BYTES:
        raise PlanImportError(TOO_LARGE)
    if not data.strip():
        raise PlanImportError(EMPTY)
    kind = file_kind(data, filename)
    return _READERS[kind](data)


def _read_text(data: bytes) -> SourceDocument:
    from .text import read_text

    return read_text(data)


def _read_docx(data: bytes) -> SourceDocument:
    from .docx import read_docx

    return read_docx(data)


def _read_pdf(data: bytes) -> SourceDocument:
    from .pdf import read_pdf

    return read_pdf(data)


def _read_xlsx(data: bytes) -> SourceDocument:
    from .xlsx import read_xlsx

    return read_xlsx(data)


_READERS = {"txt": _read_text, "docx": _read_docx, "pdf": _read_pdf, "xlsx": _read_xlsx}

__all__ = ["MAX_BYTES", "MAX_PAGES", "read_document"]
