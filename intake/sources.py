"""An uploaded file or pasted text as a ``SourceDocument``, refused with a clear message when it
cannot be a plan: empty, oversized, binary, a format no reader takes."""
import warnings
from pathlib import PurePath

from .parsing import PlanImportError, SourceDocument, decode_plan_bytes, text_document

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


def file_format(filename: str) -> str:
    return PurePath(filename or "").suffix.lower().lstrip(".") or "txt"


def read_upload(data: bytes, filename: str) -> SourceDocument:
    """The document in an uploaded file; ``PlanImportError`` says why it cannot be read."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise PlanImportError("文件超过 20 MB：请拆分文件，或只上传规划正文")
    if not data.strip():
        raise PlanImportError("文件为空：没有可导入的文字")
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        raise PlanImportError(f"暂不支持 {suffix} 文件：请上传 .txt 纯文本，或把正文粘贴到文本框中")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = decode_plan_bytes(data)
    return text_document(text, warnings=tuple(str(w.message) for w in caught))


def read_pasted(text: str) -> SourceDocument:
    if not text.strip():
        raise PlanImportError("没有粘贴任何文字")
    if len(text.encode("utf-8")) > MAX_UPLOAD_BYTES:
        raise PlanImportError("粘贴的文字超过 20 MB：请只粘贴规划正文")
    return text_document(text)
