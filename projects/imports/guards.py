"""The first checks on an uploaded file, before anything parses it: what kind of file it is, and
whether an xlsx would inflate beyond what a value import can be (a zip bomb, a sheet of a million
blank rows, a bloated shared-strings part). No database access."""
from __future__ import annotations

import io
import re
import zipfile

from django.utils.translation import gettext as _

from .rows import (
    CSV, MAX_PART_BYTES, MAX_SHEET_CELLS, MAX_SHEET_ROWS, MAX_UNZIPPED_BYTES, MAX_ZIP_ENTRIES, XLSX, UploadError,
    file_error,
)

_MB = 1024 * 1024


def detect_kind(data: bytes, filename: str = "") -> str:
    """xlsx or csv, from the content first (a renamed extension does not fool it)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(b"PK\x03\x04"):
        return XLSX
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadError([file_error(_("这是旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后上传。"))])
    if extension == "xlsx":
        raise UploadError([file_error(_("文件扩展名是 .xlsx，但内容不是有效的 xlsx 文件。"))])
    if extension not in ("", "csv", "txt") or _looks_binary(data[:8192]):
        raise UploadError([file_error(_("只接受 xlsx 填报模板或 CSV 文件。"))])
    return CSV


def _looks_binary(sample: bytes) -> bool:
    """More than 2 % control bytes (NUL included) at the start: a binary file. A stray NUL in a text
    is named later by row and column; UTF-16 text (with its byte-order mark) is full of NUL bytes."""
    if not sample or sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r")
    return controls / len(sample) > 0.02


def check_zip(data: bytes) -> None:
    """Refuse a zip bomb before openpyxl inflates anything: sizes come from the zip directory (zipfile
    never inflates a part beyond the size its directory entry states), the whole and each part; then
    the rows and cells of each sheet are counted in its raw XML, which takes milliseconds where
    openpyxl would take seconds (a sheet without a dimension element is parsed whole on opening)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_sizes(infos)
            for info in infos:
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    _check_sheet_xml(archive, info)
    except UploadError:
        raise
    except Exception:  # BadZipFile, NotImplementedError (an unknown zip version or method), zlib.error …
        raise UploadError([file_error(_("文件已损坏，不是有效的 xlsx 文件。"))]) from None


def _check_sizes(infos) -> None:
    if len(infos) > MAX_ZIP_ENTRIES or sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise UploadError([file_error(_("xlsx 解压后超过 100 MB，拒绝处理。"))])
    largest = max(infos, key=lambda info: info.file_size, default=None)
    if largest is not None and largest.file_size > MAX_PART_BYTES:
        reason = _("xlsx 中的“%(part)s”解压后有 %(size)s MB，超过 %(limit)s MB 的上限，拒绝处理。") % {
            "part": largest.filename[:100], "size": largest.file_size // _MB, "limit": MAX_PART_BYTES // _MB,
        }
        raise UploadError([file_error(reason)])
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        raise UploadError([file_error(_("这不是 xlsx 工作簿，请上传系统下载的填报模板或 CSV 文件。"))])


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
_OVERLAP = 16  # a tag cut by the chunk boundary is counted in the next chunk


def _check_sheet_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    rows = cells = 0
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(1 << 20):
            window = tail + chunk
            end = len(window) - _OVERLAP  # tags starting from here on are left for the next window
            rows += sum(1 for tag in _ROW_TAG.finditer(window) if tag.start() < end)
            cells += sum(1 for tag in _CELL_TAG.finditer(window) if tag.start() < end)
            tail = window[end:]
            if rows > MAX_SHEET_ROWS or cells > MAX_SHEET_CELLS:
                raise UploadError([too_many_sheet_rows()])
    rows += len(_ROW_TAG.findall(tail))
    cells += len(_CELL_TAG.findall(tail))
    if rows > MAX_SHEET_ROWS or cells > MAX_SHEET_CELLS:
        raise UploadError([too_many_sheet_rows()])


def too_many_sheet_rows() -> str:
    reason = _(
        "工作表超过 %(n)s 行或 %(cells)s 个单元格（空行、空单元格也算在内），拒绝处理。请重新下载模板填写。"
    )
    return file_error(reason % {"n": MAX_SHEET_ROWS, "cells": MAX_SHEET_CELLS})
