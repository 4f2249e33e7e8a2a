"""Bytes of a text file to text: UTF-8 with or without BOM, UTF-16 with BOM, or GBK/GB18030."""
import codecs
import warnings

from .model import PlanEncodingWarning, PlanImportError


def decode_plan_bytes(data: bytes) -> str:
    """Decode a plan file: UTF-8 with or without BOM, UTF-16 with BOM, or GBK/GB18030 (with a
    ``PlanEncodingWarning``). Binary data raises ``PlanImportError``."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[len(codecs.BOM_UTF8):], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16")
    if looks_binary(data):
        raise PlanImportError("不是文本文件：内容含有大量控制字符，请上传 .txt 纯文本（UTF-8 或 GBK 编码）")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = _decode(data, "gb18030")
    warnings.warn("文件编码为 GBK/GB18030，已自动转换为 UTF-8", PlanEncodingWarning, stacklevel=2)
    return text


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise PlanImportError("无法识别文件编码：请将文件另存为 UTF-8 编码的纯文本后重试") from error


def looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f\x1b")
    return controls / len(sample) > 0.02
