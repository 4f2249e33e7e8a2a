"""Traditional characters read for recognition: a simplified copy of a text (OpenCC t2s) to match
headings, titles and target words against, while the stored text stays as written."""
from functools import lru_cache

from opencc import OpenCC

_CONVERTER = OpenCC("t2s")


@lru_cache(maxsize=4096)
def simplified(text: str) -> str:
    """``text`` in simplified characters; pure ASCII and plain simplified text come back as is."""
    if text.isascii():
        return text
    return _CONVERTER.convert(text)


def same_length_simplified(text: str) -> str:
    """The simplified copy when it keeps every character's position (so spans found in it apply
    to the original), else the original text."""
    converted = simplified(text)
    return converted if len(converted) == len(text) else text
