"""An uploaded file or pasted text as a ``SourceDocument``: the file through
``intake.readers.read_document`` (.docx, .pdf, .xlsx, text; it refuses empty, oversized, binary,
encrypted or damaged files with a message saying what to do), pasted text through the text reader."""
from pathlib import PurePath

from .parsing import PlanImportError, SourceDocument, text_document
from .readers import read_document
from .readers.limits import MAX_BYTES as MAX_UPLOAD_BYTES

__all__ = ["MAX_UPLOAD_BYTES", "file_format", "read_pasted", "read_upload"]


def file_format(filename: str) -> str:
    return PurePath(filename or "").suffix.lower().lstrip(".") or "txt"


def read_upload(data: bytes, filename: str) -> SourceDocument:
    """The document in an uploaded file; ``PlanImportError`` says why it cannot be read."""
    return read_document(data, filename)


def read_pasted(text: str) -> SourceDocument:
    if not text.strip():
        raise PlanImportError("没有粘贴任何文字")
    if len(text.encode("utf-8")) > MAX_UPLOAD_BYTES:
        raise PlanImportError("粘贴的文字超过 20 MB：请只粘贴规划正文")
    return text_document(text)
