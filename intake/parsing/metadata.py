"""What a plan's text says about the plan itself: who issued it (印发机关), its document number
(津政办发〔2021〕12号), region, date of issue, period (“十四五” → 2021–2025) and base year."""
import re
from dataclasses import dataclass

from .chinese import same_length_simplified
from .model import PlanMetadata

EDGE = 30  # paragraphs at the top and at the end where the issuing office and date stand
NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,10}[〔\[［(（【]\s*((?:19|20)\d\d)\s*[〕\]］)）】]\s*[0-9０-９]{1,4}\s*号)"
)
NUMBER_CLOSING = re.compile(
    r"(?<![（(])([\u4e00-\u9fff]{2,12}[〔\[［(（【]\s*(?:19|20)\d\d\s*[〕\]］)）】]\s*[0-9０-９]{1,4}\s*号)$"
)
NOTICE_END = re.compile(r"^.*(?:通知|决定|意见|通告|公告|》)")
ISSUER = re.compile(
    r"^(?:发文机关[：:]\s*)?([\u4e00-\u9fff]{2,30}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会"
    r"|科学技术局|科学技术厅|科技局|科技厅|局|厅|委))(?:\s*(?:关于印发|印发|关于|[0-9０-９〇一二]{4}\s*年)|$)"
)
DATE = re.compile(r"((?:19|20)\d\d|[〇○零一二三四五六七八九]{4})\s*年\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月"
                  r"\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*日")
FIVE_YEAR = re.compile(r"第?([一二三四五六七八九十]{2,3})(?:五|个五年)")
SPAN = re.compile(r"((?:19|20)\d\d)\s*(?:年)?\s*[—－\-–~～至到]+\s*((?:19|20)\d\d)\s*年?")
ANNUAL = re.compile(r"((?:19|20)\d\d)年(?:度)?[^《》]*(?:计划|报告|要点|工作安排)")
PERIOD_TEXT = re.compile(r"规划(?:期|期限|时限|期间)[为是：:至]?\s*" + SPAN.pattern)
BASE_YEAR = re.compile(r"以((?:19|20)\d\d)年为(?:基期|基准年|基年|基础年)|基期(?:年)?[为是：:]\s*((?:19|20)\d\d)")
REGION_PART = re.compile(r"[\u4e00-\u9fff]{2,7}?(?:省|自治区|特别行政区|自治州|市|地区|盟|区|县|旗)")
CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}
NOT_REGION = re.compile("关于|印发|规划|方案|计划|意见|措施|科技|创新|发展|国民经济|推动|推进|加快|加强|促进|支持|实施|建设|深化|全面|进一步")


@dataclass(frozen=True)
class _Texts:
    title: str
    top: list[str]  # the paragraphs before the body (and the title), simplified
    edges: list[str]  # the top and the last paragraphs, simplified


def read_metadata(title: str, paragraphs: list[str]) -> PlanMetadata:
    """The plan's metadata from its title and paragraphs (empty where the text says nothing)."""
    simple = [same_length_simplified(text) for text in paragraphs]
    texts = _Texts(same_length_simplified(title), simple[:EDGE], simple[:EDGE] + simple[-EDGE:])
    issuer = find_issuer(texts.edges)
    start, end = find_period(texts.title, simple)
    return PlanMetadata(
        issuer=_as_written(issuer, paragraphs),
        document_number=_as_written(find_document_number(texts.edges), paragraphs),
        region=_as_written(find_region(texts.title, issuer), [title] + paragraphs),
        issued_on=find_issued_on(texts.edges),
        start_year=start,
        end_year=end,
        base_year=find_base_year(simple, start),
    )


def _as_written(simple: str, paragraphs: list[str]) -> str:
    """A phrase found in the simplified copy, as the document writes it."""
    for text in paragraphs:
        position = same_length_simplified(text).find(simple)
        if simple and position >= 0:
            return text[position:position + len(simple)]
    return simple


def find_document_number(paragraphs: list[str]) -> str:
    """A document number standing on its own line (深府办〔2012〕53 号), after 文号：, or closing a
    paragraph the text joined it to; never one cited in parentheses inside a sentence."""
    for text in paragraphs:
        line = re.sub(r"^(?:发文字号|文号)[：:]\s*", "", text.strip())
        match = NUMBER.search(line) if len(line) <= 24 else NUMBER_CLOSING.search(line)
        if match:
            number = NOTICE_END.sub("", re.sub(r"\s", "", match[1]))
            return number.replace("[", "〔").replace("]", "〕")
    return ""


def find_issuer(paragraphs: list[str]) -> str:
    """The issuing office: "XX市人民政府办公厅关于印发…的通知", a 发文机关 line, or the signature line."""
    for text in paragraphs:
        match = ISSUER.match(text.strip())
        if match and len(text.strip()) <= 80:
            return match[1]
    return ""


def find_issued_on(paragraphs: list[str]) -> str:
    """The date of issue, ISO: a short line holding a date, near the top or the end."""
    for text in paragraphs:
        match = DATE.search(text)
        if match and len(text.strip()) <= 40:
            year, month, day = (_number(part) for part in match.groups())
            if year and 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def _number(text: str) -> int:
    text = text.translate({cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)})
    if text.isdigit():
        return int(text)
    if len(text) == 4:  # 二〇二一
        return int("".join(str(CN_DIGITS.get(c, 0)) for c in text))
    tens, _, units = text.partition("十")
    if "十" not in text:
        return CN_DIGITS.get(text, 0)
    return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(units, 0) if units else 0)


def find_period(title: str, paragraphs: list[str]) -> tuple[int | None, int | None]:
    """The plan's years from its title ("十四五", "2021—2025年"), else from 规划期为2021—2025年."""
    span = SPAN.search(title)
    if span:
        return int(span[1]), int(span[2])
    five = FIVE_YEAR.search(title)
    if five:
        n = _number(five[1]) if len(five[1]) > 1 else 0
        if 6 <= n <= 20:
            start = 1981 + 5 * (n - 6)  # 六五 began in 1981, 十四五 in 2021
            return start, start + 4
    for text in paragraphs:
        match = PERIOD_TEXT.search(text)
        if match:
            return int(match[1]), int(match[2])
    year = ANNUAL.search(title)  # 咸阳市2023年国民经济和社会发展计划
    return (int(year[1]), int(year[1])) if year else (None, None)


def find_base_year(paragraphs: list[str], start: int | None) -> int | None:
    for text in paragraphs:
        match = BASE_YEAR.search(text)
        if match:
            return int(match[1] or match[2])
    return start - 1 if start else None


def find_region(title: str, issuer: str) -> str:
    """The region the plan is for: the most specific place named at the start of its title, else
    of its issuer (天津市蓟州区人民政府 → 蓟州区)."""
    for text in (title, issuer):
        text, parts = re.sub(r"^(?:中共|关于)", "", text), []
        while match := REGION_PART.match(text):
            if NOT_REGION.search(match[0]):
                break
            parts.append(match[0])
            text = text[match.end():]
        if parts:
            return parts[-1]
    return ""
