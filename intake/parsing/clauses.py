"""One clause of prose read as a measure and its value: "每万人口发明专利拥有量达到18件" (the
measure, then the verb and value), "集聚200家国家级科研院所" (a verb, the number, then what is
counted), "被国际三大检索系统收录科技论文2.3万篇" (the number closing the clause) or "研发人员由2010
年的54人年增加到73人年" (a baseline and a target in one).  Pure functions over plain strings."""
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from indicators.targets import Target, TargetKind, parse_decimal, parse_target

from .chinese import same_length_simplified

DIGIT = "0-9０-９"
NUMBER = rf"[{DIGIT}]+(?:[.．][{DIGIT}]+)?"
CN_RANK = "一二三四五六七八九十"
UNIT = (
    r"(?:万亿|千亿|百亿|亿|千万|百万|十万|万|千|百)?"
    r"(?:个百分点|百分点|平方公里|平方米|人年|人次|美元|元|家|个|项|件|篇|名|人|所|座|台|套|批|条|种|部|次"
    r"|户|亩|公顷|吨|千瓦|倍|位|岁|天|小时|公里|千米|辆|艘|张|床|[%％‰])"
)
COUNT = rf"{NUMBER}(?:\s*[－\-—~～至到]\s*{NUMBER})?\s*{UNIT}(?:左右|以上|多|余)?"
VERBS = (
    "达到|突破|超过|超出|提高到|提升到|提高至|提升至|增加到|增加至|增长到|增长至|上升到|降低到|降低至|下降到"
    "|下降至|降至|减少到|减少至|控制在|保持在|稳定在|维持在|不低于|不少于|不超过|不高于|低于|高于|年均增长"
    "|增长|提高|降低|下降|减少|翻一番|翻两番|翻三番|保持|位居|位列|居于|进入|居|达|为"
)
VERB = re.compile(VERBS)
# Verbs that carry the target's meaning, so stay in the target's text ("增长6%左右", "超过8000亿元").
MEANING_VERB = re.compile(r"^(?:年均增长|增长|超过|超出|突破|不超过|不低于|不少于|不高于|低于|高于|下降|降低|减少|翻)")
FROM_TO = re.compile(
    rf"(?:由|从)(?:(?P<year>(?:19|20)\d\d)年(?:底|末)?的?)?(?P<base>{NUMBER}\s*{UNIT}?)[，,]?\s*(?:将|再)?"
    rf"(?:提高|增加|增长|提升|上升|扩大|下降|降低|减少|缩小)(?:到|至|为)"
)
VALUE_START = re.compile(rf"[{DIGIT}]|第[{CN_RANK}]+|翻[一两三]番|前[{CN_RANK}]+")
COMPARED = re.compile(
    r"^(?P<name>.+?)(?P<since>(?:比|较)(?P<year>(?:19|20)\d\d)年(?:底|末)?)"
    r"(?P<value>翻[一两三]番|(?:增长|提高|下降|降低|减少)[^，。；]*)$"
)
YEAR_LEAD = re.compile(r"^(?:到|至|截至|截止|截止到)?(?:19|20)\d\d年(?:底|末)?[，,、]?")
YEAR_INSIDE = re.compile(r"(?:19|20)\d\d年")
LEAD = re.compile(
    r"^(?:——|—|-|\s|其中|此外|并|且|和|同时|力争|争取|努力|确保|推动|使|全面|基本|进一步|重点|着力|大力"
    r"|全市|全省|全区|全县|我市|我省|我区|本市|本省|被|累计|最终|“?十[一二三四五六]五”?(?:期间|时期|以来|末)?)+"
)
TRAIL = re.compile(
    r"(?:只有|仅有|仅|已|力争|预计|争取|稳定|要|将|进一步|累计|年均|均|持续|努力|分别|实现|的|[在于][^，。；]{0,12}?中"
    r"|在全国[^，。；]*|\s)+$"
)
OBJECT_TAIL = re.compile(r"(?:来[^，。；]{1,2}创新创业|落户|入驻|来[^，。；]{1,2}发展).*$")
NOT_MEASURE = re.compile(r"(?:目标|指标|方面|任务|措施|中)$")  # "13个预期性指标中", "6个方面具体目标"
GROUPING = re.compile(r"第[一二三四五六七八九十\d]+(?:方阵|梯队|阵营|方队)")  # 第一方阵 is a group, not a rank
DOWN_NAME = re.compile("排名|位次|降低|下降|能耗|排放|失业率|死亡率|发病率|事故")


@dataclass(frozen=True)
class Statement:
    """What a clause says: the measure's ``name``, the value phrase as written, its typed target,
    and for "由a提高到b" the stated earlier value (``baseline``/``baseline_year``)."""

    name: str
    value_text: str
    target: Target
    counted: bool  # "集聚200家…": what the plan will do over its period, so a cumulative total
    baseline: Decimal | None = None
    baseline_year: int | None = None
    target_year: int | None = None  # "提高至2020年的78岁"


def read_clause(clause: str) -> Statement | None:
    """The measure and value a clause states, or None when it states no measurable value.
    Read on a simplified copy (達到 → 达到); the name and value keep the characters as written."""
    original = clause.strip()
    simple = same_length_simplified(original)
    statement = _read(simple)
    if statement is None or simple == original:
        return statement
    target = replace(statement.target, unit=_as_written(statement.target.unit, simple, original))
    return replace(statement, name=_as_written(statement.name, simple, original),
                   value_text=_as_written(statement.value_text, simple, original), target=target)


def _as_written(part: str, simple: str, original: str) -> str:
    at = simple.find(part)
    return original[at:at + len(part)] if at >= 0 else part


def _read(text: str) -> Statement | None:
    text = LEAD.sub("", YEAR_LEAD.sub("", LEAD.sub("", text)))
    match = VALUE_START.search(text)
    if not match or text.startswith(("比", "是", "较", "相当于", "分别是", "占")):
        return None
    return _from_to(text) or _compared(text) or _subject(text, match.start()) or _counted(text)


def _compared(text: str) -> Statement | None:
    """"<measure>比2015年翻一番": a multiple or growth of a year's value the clause does not give."""
    match = COMPARED.match(text)
    name = trim_name(match["name"]) if match else ""
    target = _target(name, match["value"]) if name else None
    if not target:
        return None
    return Statement(name, text[match.start("since"):], target, False, None, int(match["year"]))


def _from_to(text: str) -> Statement | None:
    match = FROM_TO.search(text)
    if not match:
        return None
    name, value = trim_name(text[:match.start()]), text[match.end():]
    until = re.match(r"((?:19|20)\d\d)年(?:底|末)?的?", value)
    value = value[until.end():] if until else value
    target = _target(name, "达到" + value)
    if not name or not target:
        return None
    base = parse_target(match["base"], unit=target.unit).value
    year = int(match["year"]) if match["year"] else None
    return Statement(name, value, target, False, base, year, int(until[1]) if until else None)


def _subject(text: str, value_at: int) -> Statement | None:
    """"<measure><verb><value>": the verb closest before the value's first number."""
    if YEAR_INSIDE.search(text[:value_at]):
        return None  # "比2010年翻一番", "是2010年的1.6倍": a comparison, not a value
    verbs = list(VERB.finditer(text[:value_at]))
    if not verbs:
        return None
    verb = max(verbs, key=lambda m: (m.end(), len(m[0])))
    name = trim_name(text[:verb.start()])
    target = _target(name, text[verb.start():])
    value_text = text[verb.start():] if MEANING_VERB.match(verb[0]) else text[verb.end():]
    return Statement(name, value_text, target, False) if name and target else None


def _counted(text: str) -> Statement | None:
    """"<verb><number><unit><what>" (集聚200家研发机构) or "<what><number><unit>" (论文2.3万篇)."""
    match = re.search(COUNT, text)
    if not match or YEAR_INSIDE.search(text[:match.start()]):
        return None
    after = OBJECT_TAIL.sub("", text[match.end():]).strip()
    counted = bool(after)
    name = trim_name(_head(after) if counted else text[:match.start()])
    target = _target(name, match[0])
    if not name or not target:
        return None
    if counted and target.kind in (TargetKind.AT_LEAST, TargetKind.ABOVE):
        target = Target(TargetKind.CUMULATIVE, target.value, unit=target.unit, text=target.text)
    return Statement(name, match[0], target, counted)


def _head(noun_phrase: str) -> str:
    """What a counted noun phrase counts: the part after its last 的 (国内一流的省临床医学研究中心)."""
    head = noun_phrase.rsplit("的", 1)[-1]
    return head if len(head) >= 2 else noun_phrase


def trim_name(name: str) -> str:
    """The measure without the verbs, adverbs and connectors around it."""
    previous = None
    while previous != name:
        previous = name
        name = TRAIL.sub("", LEAD.sub("", name)).strip("，,、；;：: ")
    name = re.sub(r"(?<=.)实现", "", name)
    return name if 2 <= len(name) <= 60 and not NOT_MEASURE.search(name) else ""


def _target(name: str, phrase: str) -> Target | None:
    if GROUPING.search(phrase):
        return None
    direction = "down" if DOWN_NAME.search(same_length_simplified(name)) else None
    target = parse_target(phrase, direction=direction)
    if not target.is_quantitative and rank_value(phrase) is not None and re.search("第|前", phrase):
        target = Target(TargetKind.RANK, rank_value(phrase), text=phrase)
    if not target.is_quantitative:
        return None
    if target.kind is TargetKind.RANK and not target.unit and "位" in phrase:
        target = Target(TargetKind.RANK, target.value, unit="位", text=target.text)
    return target


def rank_value(text: str) -> Decimal | None:
    """The rank a phrase states ("位居全国第三" → 3)."""
    match = re.search(rf"(?:第|前)([{CN_RANK}]+|[{DIGIT}]+)", same_length_simplified(text))
    return parse_decimal(match[1]) if match else None


# ---------------------------------------------------------------------------------------------
# Distributive targets: "A、B分别增长10.6%、7.9%", "A和B分别达到60%和30%"

RESPECTIVELY = re.compile(
    rf"^(?P<names>.+?)(?P<adverb>(?:年均|平均|均|将|要|力争|争取)*)分别(?P<verb>{VERBS})?(?P<values>.+)$"
)
LIST_SEPARATOR = re.compile(r"、|和|与|及|以及")
VALUE_ITEM = re.compile(rf"^\s*(?:{NUMBER}\s*{UNIT}?(?:左右|以上|以下|以内|多|余)?|第[{CN_RANK}]+|前[{CN_RANK}]+)\s*$")
# Pairs a plan contracts into one word: 城乡居民 is 城镇居民 and 农村居民.
CONTRACTED = {"城乡": ("城镇", "农村")}
SHARED_MIN = 2  # the shortest common ending that shows where a list's shared words begin


def distributed(clause: str) -> list[Statement] | None:
    """The statements of a clause giving each named item its own value with 分别, or None:
    "高技术制造业、装备制造业增加值年均分别增长10.6%、7.9%" → 高技术制造业增加值 (年均增长10.6%)
    and 装备制造业增加值 (7.9%, a growth as the verb says). The first value keeps its verb as a
    lone statement would; the others are as printed."""
    simple = same_length_simplified(clause.strip())
    match = RESPECTIVELY.match(simple)
    if not match or not match["verb"]:
        return None
    values = LIST_SEPARATOR.split(match["values"])
    if len(values) < 2 or not all(VALUE_ITEM.match(value) for value in values):
        return None
    names = _distributed_names(match["names"], len(values))
    if not names:
        return None
    verb, original = (match["adverb"] or "") + match["verb"], clause.strip()
    statements = []
    for index, (name, value) in enumerate(zip(names, values)):
        statement = read_clause(name + verb + value.strip())
        if statement is None:
            return None
        if index:
            statement = replace(statement, value_text=_written(value.strip(), simple, original))
        statements.append(statement)
    return statements


def _written(part: str, simple: str, original: str) -> str:
    at = simple.find(part)
    return original[at:at + len(part)] if at >= 0 else part


def _distributed_names(text: str, count: int) -> list[str] | None:
    """``count`` measure names from "A、B<shared words>": the words the last item has after its
    part alike in ending to the first item go with each one; "城乡居民…" is two names."""
    items = [item for item in LIST_SEPARATOR.split(text) if item]
    if len(items) == 1:
        for word, pair in CONTRACTED.items():
            if word in items[0] and len(pair) == count:
                return [items[0].replace(word, part, 1) for part in pair]
        return None
    if len(items) != count:
        return None
    shared = _shared_tail(items[0], items[-1])
    return [item if item.endswith(shared) else item + shared for item in items[:-1]] + [items[-1]]


def _shared_tail(first: str, last: str) -> str:
    """The words after the prefix of ``last`` that ends as ``first`` ends (高技术制造业 / 装备制造业
    增加值 → 增加值), or "" when no prefix ends alike."""
    best, tail = 0, ""
    for end in range(SHARED_MIN, len(last)):
        prefix = last[:end]
        common = 0
        while common < min(len(first), len(prefix)) and first[-1 - common] == prefix[-1 - common]:
            common += 1
        if common >= SHARED_MIN and common > best:
            best, tail = common, last[end:]
    return tail
