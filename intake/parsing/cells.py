"""Single table cells read as plain values: a row number (``3``, ``3．``, ``（3）``) and the name it
prefixes, an empty cell (—, -, /), an attribute word (预期性/约束性), a group label (一、经济发展),
a cell holding a value (1.65, 60.6*, 〔13.5〕, ＞7). Pure string helpers, no table logic."""
import re

from indicators.targets import normalize

BLANK = " \t\u3000\xa0"
EMPTY = ("", "-", "—", "——", "–", "/", "无", "—/—", "-/-", "…")
ATTRIBUTES = ("预期性", "约束性", "预期", "约束", "指导性", "引导性", "导向性")
# "3．名称", "3.名称" (not "2.5"), "3、名称", "3。名称", "（3）名称", "3 名称"
NUMBER_PREFIX = re.compile(
    r"^[（(]?([0-9０-９]{1,3})(?:[）)]\s*|\s*[．、]\s*|[.。](?![0-9０-９])\s*|\s+(?=[^\s0-9０-９.．%％]))"
)
BARE_NUMBER = re.compile(r"^[（(]?([0-9０-９]{1,3})[）)]?[．.、]?$")
CN_NUMERAL = "一二三四五六七八九十"
GROUP_LABEL = re.compile(
    rf"^(?:[{CN_NUMERAL}]{{1,3}}[、．.]|[（(][{CN_NUMERAL}]{{1,3}}[）)]|第[{CN_NUMERAL}]{{1,3}}[类部分])\s*(\S.*)$"
)
VALUE = re.compile(r"^[*＊※]?[〔［\[【(（]?[<>≤≥＜＞~～约]?[-+－]?[0-9０-９][0-9０-９.．,，%％‰]*[*＊※]?[〕］\]】)）]?[*＊※]?$")


# A decimal point extraction or a typist printed otherwise: 76。7, 76．7, 76 .7 (between digits only)
DECIMAL_MARK = re.compile(r"(?<=[0-9０-９])(?:\s*[。．]\s*|\s+[.]\s*)(?=[0-9０-９])")


def decimal_points(cell: str) -> str:
    """A value cell with its decimal marks made points ("76。7" → "76.7"); any other cell as it is,
    so a name such as "3．5G基站数" keeps its row number."""
    marked = DECIMAL_MARK.sub(".", cell or "")
    return marked if marked != cell and VALUE.match(clean(marked).replace(" ", "")) else cell


def clean(cell: str) -> str:
    return re.sub(r"\s+", " ", cell or "").strip(BLANK)


def is_empty(cell: str) -> bool:
    return re.sub(r"[*※〔〕\[\]【】]", "", normalize(cell)) in EMPTY


def is_attribute(cell: str) -> bool:
    return normalize(cell) in ATTRIBUTES


def row_number(cell: str) -> int | None:
    """The row number a cell holds alone: "3", "3．", "（3）", "３" → 3; "2.5", "12%" → None."""
    match = BARE_NUMBER.match(normalize(cell) if cell else "")
    return int(match[1]) if match else None


def split_number(name: str) -> tuple[int | None, str]:
    """"3．常住人口城镇化率" → (3, "常住人口城镇化率"); "5G基站数" and "2.5" keep their digits."""
    text = clean(name)
    match = NUMBER_PREFIX.match(text)
    if not match or not text[match.end():]:
        return None, text
    return int(normalize(match[1])), text[match.end():].strip(BLANK)


def group_label(cell: str) -> str | None:
    """"一、经济发展" / "（一）创新投入" → the group's name; None for any other cell."""
    match = GROUP_LABEL.match(clean(cell))
    if not match or len(match[1]) > 24 or re.search("[，。；：]", match[1]):
        return None
    return match[1].strip()


UNIT_WORDS = re.compile(
    r"^(%|‰|(万|亿|千|百|十)?(元|美元|人|人次|人年|家|个|件|项|篇|名|位|座|所|台|套|张|床|户|吨|吨标准煤|"
    r"立方米|平方米|平方公里|公里|千米|米|亩|公顷|年|岁|天|小时|次|倍|辆|条|本|册|部|种|处|个百分点|百分点|千瓦|千瓦时|"
    r"亿吨|亿吨标准煤)(/\S{1,4})?)$"
)


def is_unit(cell: str) -> bool:
    """A unit cell: %, 亿元, 家, 件/万人, 吨标准煤/万元."""
    return bool(UNIT_WORDS.match(normalize(cell)))


def is_value(cell: str) -> bool:
    """A cell that holds a number (1.65, 60.6*, 〔13.5〕, ＞7, 95%) or is empty (—)."""
    text = clean(decimal_points(cell)).replace(" ", "")
    return is_empty(text) or bool(VALUE.match(text))


def starts_row(cell: str) -> int | None:
    """The row number a row's first cell gives: a bare number or a name that a number prefixes."""
    number = row_number(cell)
    return number if number is not None else split_number(cell)[0]


def topic_label(cell: str) -> str | None:
    """"1。空气质量" / "（2）水环境质量": a numbered topic heading the rows under it (their
    numbers are their own), short and without a unit; the topic's name, or None."""
    number, rest = split_number(clean(cell))
    if number is None or not 2 <= len(rest) <= 12 or re.search(r"[\d，。；：、（）()%％]", rest):
        return None
    return rest


# A footnote's number set inline inside a name ("地级及以上城市2空气质量", "地表水质量3达到"): one digit
# between two Chinese characters that is no count, the character after it being no measure word
# (3岁以下, 5年, 2个 keep theirs).
FOOTNOTE_MARK = re.compile(
    r"(?<=[\u4e00-\u9fff])[0-9](?=[\u4e00-\u9fff])(?![岁年月日个人家项件倍类级星次天周万亿千百十代期批座所张床户名位元吨米亩号层种部条本台套辆])"
)


def without_footnote_marks(name: str) -> str:
    return FOOTNOTE_MARK.sub("", name)
