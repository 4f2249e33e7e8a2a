"""core.text: uploaded bytes decoded by one rule, with plain bytes."""
import codecs

import pytest

from core.text import UndecodableText, decode_bytes, looks_binary

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
