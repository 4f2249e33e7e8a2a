"""The labels Word generates for numbered paragraphs (numPr): "一、", "（一）", "第一章", "1．".
The text of such a paragraph holds no label, so the label is rendered from numbering.xml (number
format, level text, start) with a counter per list, as Word prints it."""
from dataclasses import dataclass, field

from .xml import xpath

CN_DIGITS = "〇一二三四五六七八九"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
TIANGAN = "甲乙丙丁戊己庚辛壬癸"
CHINESE_FORMATS = {"chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
                   "chineseLegalSimplified", "ideographLegalTraditional", "taiwaneseCountingThousand"}


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (as Word's chineseCounting)."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    tail = "" if not rest else ("零" + chinese_number(rest) if rest < 10 else chinese_number(rest))
    return CN_DIGITS[hundreds] + "百" + ("一" + tail if 10 <= rest < 20 else tail)


def format_number(n: int, fmt: str) -> str:
    if fmt in CHINESE_FORMATS:
        return chinese_number(n)
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= len(CIRCLED):
        return CIRCLED[n - 1]
    if fmt == "ideographTraditional" and 1 <= n <= len(TIANGAN):
        return TIANGAN[n - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class Numbering:
    """numId → its abstract list's levels, and the running counters of each abstract list."""

    lists: dict[str, tuple[str, dict[int, Level]]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    def label(self, num_id: str, ilvl: int) -> str:
        """The label of the next paragraph of list ``num_id`` at level ``ilvl`` ("" for bullets)."""
        if num_id not in self.lists:
            return ""
        abstract, levels = self.lists[num_id]
        counts = self.counters.setdefault(abstract, {})
        counts[ilvl] = counts.get(ilvl, levels.get(ilvl, Level()).start - 1) + 1
        for deeper in [key for key in counts if key > ilvl]:
            del counts[deeper]
        level = levels.get(ilvl, Level())
        if level.fmt in ("bullet", "none"):
            return ""
        label = level.text
        for index in range(ilvl + 1):
            own = levels.get(index, Level())
            value = counts.get(index, own.start)
            label = label.replace(f"%{index + 1}", format_number(value, own.fmt))
        return label


def read_numbering(document) -> Numbering:
    """The numbering definitions of a python-docx ``Document`` (none when it has no numbering part)."""
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return Numbering()
    abstracts = {a.get(_w("abstractNumId")): _levels(a) for a in xpath(root, "./w:abstractNum")}
    lists = {}
    for num in xpath(root, "./w:num"):
        ref = xpath(num, "./w:abstractNumId/@w:val")
        if ref and ref[0] in abstracts:
            lists[num.get(_w("numId"))] = (ref[0], abstracts[ref[0]])
    return Numbering(lists)


def _levels(abstract) -> dict[int, Level]:
    levels = {}
    for lvl in xpath(abstract, "./w:lvl"):
        fmt = xpath(lvl, "./w:numFmt/@w:val")
        text = xpath(lvl, "./w:lvlText/@w:val")
        start = xpath(lvl, "./w:start/@w:val")
        levels[int(lvl.get(_w("ilvl"), "0"))] = Level(
            fmt[0] if fmt else "decimal", text[0] if text else "", int(start[0]) if start and start[0].isdigit() else 1
        )
    return levels


def _w(name: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + name
