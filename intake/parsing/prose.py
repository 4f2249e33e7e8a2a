"""Targets stated in prose: the goals part's sentences ("到2025年，全社会研发经费投入强度达到2.5%以
上，……") become proposed indicators, each with the clause it comes from and, where the development
basis states one ("2020年，……达到1.65%"), its baseline matched by the measure's name.  Nothing here is
published: ``accept_proposals`` turns the proposals a person accepts into indicators."""
import re
from dataclasses import dataclass, replace

from .chinese import same_length_simplified
from .clauses import Statement, distributed, read_clause
from .model import Paragraph, ParsedIndicator, ParsedPlan, PlanImportError, ProposedIndicator, Table
from .names import MATCH, similarity
from .outline import heading

GOAL_TITLE = re.compile(r"(发展目标|主要目标|总体目标|目标任务|具体目标|规划目标|预期目标|目标要求|^目标)[：:]?$")
BASIS_TITLE = re.compile(r"(基础|基础与形势|基础和形势|现状|回顾|发展成就|主要成就|取得的成就|成效)[：:]?$")
SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
CLAUSE_BREAK = re.compile(r"([，；,;：:])")
GOAL_OPENING = re.compile(r"(?:^|[，,：:])(?:提出|力争|争取)?(?:到|至)\s*((?:19|20)\d\d)\s*年(?:底|末)?[，,]|目标(?:是|为|包括|如下)[:：]")
GOAL_LEAD = re.compile(r"^[^，。,；;]{0,30}?(?:目标|目标任务)(?:是|为|包括|如下|有)?[:：]")
LIST_ITEM = re.compile(r"^\s*(?:——|—|[一二三四五六七八九十]+是|[0-9０-９]+[.．、]|[（(][一二三四五六七八九十0-9]+[）)])")
QUOTE_LEAD = re.compile(r"^(?:——|—|其中|此外|同时|另外|并且|并)+")
VERB_FIRST = re.compile(r"^(?:将|要|并|再)?(?:提高|增加|增长|提升|上升|下降|降低|减少|达到|突破|超过)(?:到|至|为)?")
TARGET_YEAR = re.compile(r"(?:到|至|截至|截止到)\s*((?:19|20)\d\d)\s*年")
LEAD_YEAR = re.compile(r"^\s*(?:——)?(?:截至|截止|截止到)?((?:19|20)\d\d)年")
CATEGORY_CUT = re.compile(
    r"(保持|明显|显著|不断|基本|全面|进一步|大幅|持续|稳步|加快|实现|取得|提高|提升|增强|完善|优化|迈上|跻身|走在)"
)
CUMULATIVE_MATCH = 0.35  # a cumulative total matched to a 累计 baseline: the word is evidence too
TABLE_MATCH = 0.6  # a proposal this like a table row's measure (same unit) is the table's indicator


@dataclass(frozen=True)
class Clause:
    """A clause of the plan's prose, where it stands and what it says."""

    text: str
    line: int
    part: str  # "goal", "basis" or ""
    year: int | None  # the target year (goals) or the year the sentence speaks of (basis)
    cumulative: bool  # the sentence speaks of a total (累计…)
    category: str
    statement: Statement


# ---------------------------------------------------------------------------------------------
# Parts of the plan


class _Parts:
    """Which part (goals, basis, other) each paragraph belongs to, following the headings."""

    def __init__(self):
        self.stack: list[tuple[str, str]] = []  # (numbering style, part) of the open headings
        self.order: list[str] = []

    def part_of(self, text: str) -> str:
        simple = same_length_simplified(text)
        found = heading(simple)
        if found:
            return self._open(found.style, _title_part(found.rest))
        if len(simple) <= 12 and _title_part(simple):  # an unnumbered "发展目标" line
            return self._open("plain", _title_part(simple))
        if GOAL_LEAD.match(simple):  # "……的总体目标是：" opens the goals for it and its list
            return self._open("lead", "goal")
        if self.stack and self.stack[-1][0] == "lead" and not LIST_ITEM.match(simple):
            self.stack.pop()
        return self._inherited()

    def _open(self, style: str, part: str) -> str:
        styles = [open_style for open_style, _ in self.stack]
        if style in styles:
            del self.stack[styles.index(style):]
        elif style in self.order:
            rank = self.order.index(style)
            while self.stack and self.order.index(self.stack[-1][0]) >= rank:
                self.stack.pop()
        else:
            self.order.append(style)
        self.stack.append((style, part or self._inherited()))
        return self.stack[-1][1]

    def _inherited(self) -> str:
        return self.stack[-1][1] if self.stack else ""


def _title_part(rest: str) -> str:
    title = re.split(r"[。！？]", rest, maxsplit=1)[0].strip()
    if GOAL_TITLE.search(title):
        return "goal"
    return "basis" if BASIS_TITLE.search(title) else ""


# ---------------------------------------------------------------------------------------------
# Clauses


def read_clauses(blocks, base_year: int | None, end_year: int | None, title: str = "") -> list[Clause]:
    """The clauses stating a value, in the goals part (or in a sentence opening 到20XX年) and in the
    development basis (or everything before the goals when no heading names the basis). A
    document titled as a goals part ("“十三五”科技创新的总体目标") is all goals."""
    parts, found, goal_year = _Parts(), [], end_year
    if _title_part(same_length_simplified(title)) == "goal":
        parts.stack.append(("title", "goal"))
    for block in blocks:
        if isinstance(block, Table):
            continue
        part = parts.part_of(block.text)
        category = _category(block.text) if part == "goal" else ""
        for sentence in SENTENCE.findall(block.text):
            sentence, sentence_part, year = _sentence_part(sentence, part)
            goal_year = year or goal_year
            lead = LEAD_YEAR.match(sentence)
            when = goal_year if sentence_part == "goal" else (int(lead[1]) if lead else base_year)
            clauses = _sentence_clauses(sentence, block.line, sentence_part, when, category)
            found += [_rising_from_base(c, base_year, goal_year) for c in clauses]
    if not any(clause.part == "basis" for clause in found):
        first_goal = next((i for i, clause in enumerate(found) if clause.part == "goal"), len(found))
        found = [replace(c, part="basis") if i < first_goal else c for i, c in enumerate(found)]
    return found


def _sentence_part(sentence: str, part: str) -> tuple[str, str, int | None]:
    """The sentence (from where it turns to the goals, if it does), its part, and the target
    year it names (到2025年)."""
    opened = False
    if part == "":
        sentence, opened, opened_year = _goal_opening(sentence)
    else:
        opened_year = None
    year = TARGET_YEAR.search(sentence[:12])
    goal = part == "goal" or opened or (year and part != "basis")
    named = int(year[1]) if goal and year else opened_year
    return sentence, "goal" if goal else part, named


def _goal_opening(sentence: str) -> tuple[str, bool, int | None]:
    """A sentence outside the goals that turns to them midway ("提出到2025年，……", "主要预期目标是：
    ……"): the part from there on, whether it turned, and the year it names."""
    match = GOAL_OPENING.search(same_length_simplified(sentence))
    if not match:
        return sentence, False, None
    return sentence[match.end():], True, int(match[1]) if match[1] else None


def _rising_from_base(clause: Clause, base_year, goal_year) -> Clause:
    """A clause outside the goals and the basis stating a rise from the plan's base year
    ("人均预期寿命从2015年的76.7岁提高至78岁") is a target too."""
    statement = clause.statement
    if clause.part or statement.baseline is None or statement.baseline_year != base_year or not base_year:
        return clause
    return replace(clause, part="goal", year=goal_year)


def _sentence_clauses(sentence, line, part, year, category) -> list[Clause]:
    pieces = split_clauses(sentence)
    cumulative = bool(pieces) and "累计" in pieces[0]
    result = []
    for piece in pieces:
        statements = distributed(piece) if "分别" in piece else None
        for statement in statements or [read_clause(piece)]:
            if statement:
                total = cumulative or "累计" in piece or statement.counted
                quote = QUOTE_LEAD.sub("", piece.strip())
                result.append(Clause(quote, line, part, year, total, category, statement))
    return result


def split_clauses(sentence: str) -> list[str]:
    """A sentence's clauses, split at ，； and at 、 where each side states a number of its own
    ("达到3.5%、专利达到18件"), not inside a list of things counted ("国内一流、国际有影响的…")."""
    pieces = []
    for clause in _joined(CLAUSE_BREAK.split(sentence.rstrip("。！？!?"))):
        if "分别" in clause and distributed(clause):  # each item its own value: read together
            pieces.append(clause)
            continue
        items = clause.split("、")
        merged = [items[0]]
        for item in items[1:]:
            if re.search(r"\d", item) and re.search(r"\d", merged[-1]):
                merged.append(item)
            else:
                merged[-1] += "、" + item
        pieces += [piece for piece in merged if piece.strip()]
    return pieces


def _joined(split: list[str]) -> list[str]:
    """Clauses from a split that kept its separators, a clause opening with the verb ("提高至78岁")
    joined to the one naming what rises ("人均预期寿命从2015年的76.7岁")."""
    clauses = [split[0]]
    for separator, clause in zip(split[1::2], split[2::2]):
        if VERB_FIRST.match(same_length_simplified(clause.strip())) and re.search(r"\d", clauses[-1]):
            clauses[-1] += separator + clause
        else:
            clauses.append(clause)
    return clauses


def _category(text: str) -> str:
    """The short lead of a goals paragraph ("——科技综合实力保持全国前列。" → 科技综合实力)."""
    lead = re.match(r"^\s*(?:——|—)([^，。；：]{2,24})[。：:]", text)
    if not lead or re.search(r"\d", lead[1]):
        return ""
    return CATEGORY_CUT.split(lead[1], maxsplit=1)[0].strip() or lead[1]


# ---------------------------------------------------------------------------------------------
# Proposals


def propose(blocks, indicators: list[ParsedIndicator], base_year, end_year, title="") -> list[ProposedIndicator]:
    """The measurable targets the goals part states that the key-indicator table does not have."""
    clauses = read_clauses(blocks, base_year, end_year, title)
    goals = _distinct([c for c in clauses if c.part == "goal"], indicators)
    proposals = [_proposal(clause) for clause in goals]
    baselines = [c for c in clauses if c.part == "basis"]
    for index, clause in _match_baselines(proposals, baselines).items():
        proposals[index] = _with_baseline(proposals[index], clause)
    return proposals


def _distinct(goals: list[Clause], indicators: list[ParsedIndicator]) -> list[Clause]:
    kept: list[Clause] = []
    for clause in goals:
        name, unit = clause.statement.name, clause.statement.target.unit
        in_table = any(_same_unit(unit, i.unit) and similarity(name, i.name) >= TABLE_MATCH for i in indicators)
        if not in_table and all(k.statement.name != name for k in kept):
            kept.append(clause)
    return kept


def _same_unit(a: str, b: str) -> bool:
    return a.replace("％", "%") == b.replace("％", "%") or not a or not b


def _proposal(clause: Clause) -> ProposedIndicator:
    statement, target = clause.statement, clause.statement.target
    aggregation = {"cumulative": "cumulative", "growth": "growth"}.get(target.kind.value, "level")
    name, target = statement.name, replace(target, text=statement.value_text)
    return ProposedIndicator(
        name=name, unit=target.unit, target=target, target_year=statement.target_year or clause.year,
        direction=target.direction, aggregation=aggregation, baseline_year=statement.baseline_year,
        baseline_value=statement.baseline, quote=clause.text,
        baseline_quote=clause.text if statement.baseline is not None else "", line=clause.line,
        category=clause.category, baseline_text="" if statement.baseline is None else str(statement.baseline),
    )


def _match_baselines(proposals: list[ProposedIndicator], baselines: list[Clause]) -> dict[int, Clause]:
    """Each proposal's baseline: the most alike measure stated in the basis with the same unit and
    kind, each basis clause used once, the best matches first."""
    pairs = []
    for p_index, proposal in enumerate(proposals):
        if proposal.baseline_value is not None:
            continue
        for b_index, clause in enumerate(baselines):
            score = _baseline_score(proposal, clause)
            if score:
                pairs.append((score, p_index, b_index))
    chosen: dict[int, Clause] = {}
    used: set[int] = set()
    for score, p_index, b_index in sorted(pairs, key=lambda pair: -pair[0]):
        if p_index not in chosen and b_index not in used:
            chosen[p_index] = baselines[b_index]
            used.add(b_index)
    return chosen


def _baseline_score(proposal: ProposedIndicator, clause: Clause) -> float:
    target = clause.statement.target
    cumulative = proposal.aggregation == "cumulative"
    if not (_same_unit(proposal.unit, target.unit) and proposal.unit and target.unit):
        return 0.0
    if cumulative != clause.cumulative or (proposal.aggregation == "growth") != (target.kind.value == "growth"):
        return 0.0
    if (proposal.target.kind.value == "rank") != (target.kind.value == "rank"):
        return 0.0
    score = similarity(proposal.name, clause.statement.name)
    return score if score >= (CUMULATIVE_MATCH if cumulative else MATCH) else 0.0


def _with_baseline(proposal: ProposedIndicator, clause: Clause) -> ProposedIndicator:
    statement = clause.statement
    return replace(
        proposal, baseline_year=clause.year, baseline_value=statement.target.value,
        baseline_text=statement.value_text, baseline_quote=clause.text,
    )


# ---------------------------------------------------------------------------------------------
# Accepting


def accept_proposals(parsed: ParsedPlan, names_or_indexes) -> ParsedPlan:
    """``parsed`` with the accepted proposals (by name or index in ``parsed.proposed``) made
    indicators, numbered after the table's, in the order given; the rest stay proposals."""
    chosen = [_find(parsed.proposed, key) for key in names_or_indexes]
    number = max((indicator.number for indicator in parsed.indicators), default=0)
    accepted = [_indicator(parsed.proposed[i], number + n) for n, i in enumerate(chosen, start=1)]
    rest = [p for i, p in enumerate(parsed.proposed) if i not in set(chosen)]
    return replace(parsed, indicators=parsed.indicators + accepted, proposed=rest)


def _find(proposed: list[ProposedIndicator], key) -> int:
    if isinstance(key, int):
        if not 0 <= key < len(proposed):
            raise PlanImportError(f"没有第 {key + 1} 个候选指标（共 {len(proposed)} 个）")
        return key
    for index, proposal in enumerate(proposed):
        if proposal.name == key:
            return index
    raise PlanImportError(f"文字中没有读出名为“{key}”的候选指标")


def _indicator(proposal: ProposedIndicator, number: int) -> ParsedIndicator:
    quotes = dict.fromkeys(q for q in (proposal.quote, proposal.baseline_quote) if q)
    return ParsedIndicator(
        number=number, name=proposal.name, unit=proposal.unit, category=proposal.category,
        attribute=proposal.attribute, direction=proposal.direction, aggregation=proposal.aggregation,
        baseline_year=proposal.baseline_year, baseline_value=proposal.baseline_value,
        baseline_text=proposal.baseline_text, target_year=proposal.target_year, target=proposal.target,
        source_quote="\n".join(quotes), line=proposal.line,
    )
