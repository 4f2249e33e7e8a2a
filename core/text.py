"""Decoding uploaded bytes into text: one rule for CSV uploads and plan documents.

Tried in this order: a UTF-8 byte-order mark, a UTF-16 byte-order mark, plain UTF-8, then GB18030
(a superset of GBK, what Chinese Excel, WPS and Notepad save).  Binary data (NUL bytes, or more
than 2 % control characters) can be refused first.  Messages are the caller's: this module only
raises ``UndecodableText`` and says which encoding it used.  It also finds and replaces the control
characters a cell of text must not hold (NUL, which PostgreSQL cannot store, escape, DEL, C1 …).
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

UTF8_BOM = codecs.BOM_UTF8
GB18030 = "gb18030"
_SAMPLE = 65536
_ALLOWED_CONTROLS = b"\t\n\r\f\x1b"
# In a cell of text only tab and line breaks belong; NUL cannot even be stored by PostgreSQL.
_CELL_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class UndecodableText(ValueError):
    """The bytes are binary, or text in none of the encodings tried."""

    def __init__(self, message: str, *, binary: bool = False):
        super().__init__(message)
        self.binary = binary


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # "utf-8-sig", "utf-16", "utf-8" or "gb18030"

    @property
    def is_gbk(self) -> bool:
        return self.encoding == GB18030


def decode_bytes(data: bytes, *, refuse_binary: bool = False) -> DecodedText:
    """The text of an uploaded file; raises ``UndecodableText`` when it has none."""
    if data.startswith(UTF8_BOM):
        return _decoded(data[len(UTF8_BOM):], "utf-8", "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decoded(data, "utf-16", "utf-16")
    if refuse_binary and looks_binary(data):
        raise UndecodableText("binary data", binary=True)
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return _decoded(data, GB18030, GB18030)


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 2 % control characters other than tab, newlines, form feed, escape."""
    sample = data[:_SAMPLE]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in _ALLOWED_CONTROLS)
    return controls / len(sample) > 0.02


def _decoded(data: bytes, codec: str, name: str) -> DecodedText:
    try:
        return DecodedText(data.decode(codec), name)
    except UnicodeDecodeError as error:
        raise UndecodableText(f"not {name} text") from error


def control_characters(text: str) -> list[str]:
    """The control characters of a cell's text other than tab and line breaks, each once, as found."""
    return list(dict.fromkeys(_CELL_CONTROLS.findall(text)))


def without_control_characters(text: str) -> str:
    """The text with those control characters replaced by U+FFFD, so it can be stored and shown."""
    return _CELL_CONTROLS.sub("\ufffd", text)


def code_point(char: str) -> str:
    """U+0000 notation of one character, how messages name an invisible one."""
    return f"U+{ord(char):04X}"
