"""How alike two measures' names are: plans word the same measure differently (研发强度, 全社会研发
经费投入强度, R&D/GDP), so a baseline is matched to a target by similarity, not equality."""
import re

from .chinese import simplified

# Common ways of naming the same measure, reduced to one spelling before comparing.
SYNONYMS = [
    (re.compile(r"(全社会)?(研究与试验发展|研发|R&D|Ｒ＆Ｄ)(经费)?(投入|支出)?"
                r"(占(地区|国内)?生产总值(的)?比重|占GDP(的)?比重|强度)([（(]R&D/GDP[）)])?"), "研发投入强度"),
    (re.compile(r"[（(]R&D/GDP[）)]"), ""),
    (re.compile(r"地区生产总值|国内生产总值|GDP"), "生产总值"),
    (re.compile(r"高企"), "高新技术企业"),
    (re.compile(r"研究与试验发展|R&D"), "研发"),
]
GENERIC = re.compile(r"全市|全省|全区|全县|全国|我市|我省|我区|本市|数量|总量|总数|总额|的|各类|规模以上|规上")
ITEM_SPLIT = re.compile(r"[、和及与]")
MATCH = 0.5  # names at least this alike name the same measure


def measure_key(name: str) -> str:
    text = simplified(name)
    for pattern, replacement in SYNONYMS:
        text = pattern.sub(replacement, text)
    return GENERIC.sub("", re.sub(r"\s", "", text))


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def _dice(a: set, b: set) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _score(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    contained = 0.9 if (a in b or b in a) and min(len(a), len(b)) >= 2 else 0.0
    return max(contained, (_dice(_bigrams(a), _bigrams(b)) + _dice(set(a), set(b))) / 2)


def similarity(a: str, b: str) -> float:
    """0 (nothing alike) to 1 (the same measure): the better of the whole names and of their best
    pair of list items ("国家级科研院所、海内外研发机构" against "国家大院大所和科研机构")."""
    key_a, key_b = measure_key(a), measure_key(b)
    whole = _score(key_a, key_b)
    items_a = [item for item in ITEM_SPLIT.split(key_a) if len(item) >= 2]
    items_b = [item for item in ITEM_SPLIT.split(key_b) if len(item) >= 2]
    pairs = [_score(x, y) for x in items_a for y in items_b]
    return max([whole] + [0.9 * score for score in pairs])
