"""core.text: uploaded bytes decoded by one rule, with plain bytes."""
import codecs

import pytest

from core.text import (
    UndecodableText, code_point, control_characters, decode_bytes, looks_binary, without_control_characters,
)

TEXT = "规划,指标\n蓟州区,1.65\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("gbk"), "gb18030"),
    ],
)
def test_it_decodes_the_encodings_chinese_offices_save(data, encoding):
    decoded = decode_bytes(data)
    assert (decoded.text, decoded.encoding) == (TEXT, encoding)
    assert decoded.is_gbk is (encoding == "gb18030")


def test_it_refuses_binary_data_when_asked():
    data = b"PK\x03\x04\x00\x00binary"
    assert looks_binary(data)
    with pytest.raises(UndecodableText) as error:
        decode_bytes(data, refuse_binary=True)
    assert error.value.binary is True


def test_it_refuses_bytes_no_encoding_reads():
    with pytest.raises(UndecodableText) as error:
        decode_bytes(b"\xff\xfe\x00\xd8")  # UTF-16 BOM, then half of a surrogate pair
    assert error.value.binary is False


def test_it_takes_ordinary_text_for_text():
    assert not looks_binary(TEXT.encode("utf-8"))
    assert not looks_binary(b"")
    assert not looks_binary(b"a\tb\r\nc\f")


def test_it_finds_the_control_characters_a_cell_must_not_hold():
    text = "统计\x00公报\x1b[31m\x00\x7f\x85"
    assert control_characters(text) == ["\x00", "\x1b", "\x7f", "\x85"]
    assert without_control_characters(text) == "统计\ufffd公报\ufffd[31m\ufffd\ufffd\ufffd"
    assert [code_point(char) for char in control_characters(text)] == ["U+0000", "U+001B", "U+007F", "U+0085"]


def test_tabs_and_line_breaks_belong_in_a_cell():
    assert control_characters("第一行\r\n第二行\t注") == []
