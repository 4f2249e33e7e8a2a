"""Which kind of file this is, from its content first (magic bytes, the zip's members) and its
name second; the kinds that cannot be read say what to do instead."""
import io
import zipfile
from pathlib import PurePath

from intake.parsing import PlanImportError
from intake.parsing.decode import looks_binary

from .archive import BOMB, check_sizes

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AS_DOCX = "这是旧版 Word/WPS 文档（.doc/.wps），无法直接读取：请在 Word 或 WPS 中另存为 .docx 后上传"
SAVE_AS_XLSX = "这是旧版 Excel/WPS 表格（.xls/.et），无法直接读取：请在 Excel 或 WPS 中另存为 .xlsx 后上传"
ENCRYPTED_OFFICE = "文件设置了打开密码（已加密），无法读取：请在 Word/Excel 中取消密码后重新保存再上传"
UNKNOWN_BINARY = "无法识别的文件类型：请上传 .docx、.pdf、.xlsx 或 .txt 文件"
TEXT_NAMES = (".txt", ".text", ".md", ".csv", "")


def file_kind(data: bytes, filename: str) -> str:
    """docx, xlsx, pdf or txt; raises ``PlanImportError`` for the kinds that cannot be read."""
    suffix = PurePath(filename or "").suffix.lower()
    if data.lstrip(b"\xef\xbb\xbf \t\r\n\x00")[:5] == b"%PDF-" or suffix == ".pdf" and b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(OLE2):
        raise PlanImportError(_ole2_message(data, suffix))
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data, suffix)
    if suffix == ".pdf":
        raise PlanImportError("PDF 文件已损坏（缺少 %PDF 文件头），请重新导出或下载后上传")
    if suffix in (".docx", ".xlsx"):
        raise PlanImportError(f"{suffix} 文件已损坏（不是有效的 Office 文件），请重新保存后上传")
    if suffix in (".doc", ".wps"):
        raise PlanImportError(SAVE_AS_DOCX)
    if suffix not in TEXT_NAMES and looks_binary(data):
        raise PlanImportError(UNKNOWN_BINARY)
    return "txt"


def _ole2_message(data: bytes, suffix: str) -> str:
    """OLE2 is the container of .doc/.xls/.wps and of an encrypted .docx/.xlsx."""
    head = data[: 1024 * 1024]
    if "EncryptedPackage".encode("utf-16-le") in head:
        return ENCRYPTED_OFFICE
    if suffix in (".xls", ".et") or "Workbook".encode("utf-16-le") in head:
        return SAVE_AS_XLSX
    return SAVE_AS_DOCX


def _zip_kind(data: bytes, suffix: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as error:  # noqa: BLE001 - zipfile's many ways of failing on a broken zip
        raise PlanImportError("文件已损坏或不完整（压缩包无法打开），请重新保存后上传") from error
    check_sizes(members)
    names = {member.filename for member in members}
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if suffix == ".docx" or "[Content_Types].xml" in names and suffix != ".xlsx":
        raise PlanImportError("文件已损坏：.docx 中缺少正文（word/document.xml），请在 Word 中重新保存后上传")
    if suffix == ".xlsx":
        raise PlanImportError("文件已损坏：.xlsx 中缺少工作簿（xl/workbook.xml），请在 Excel 中重新保存后上传")
    raise PlanImportError(UNKNOWN_BINARY)


__all__ = ["BOMB", "file_kind"]
