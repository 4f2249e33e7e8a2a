"""Writing a parsed plan document, with its curated data, in one transaction.

The curated data (``fixtures/plans/<code>.json``) adds what a plan's text states only in prose or
not at all: the plan's metadata, prose targets with their quotes, responsible organizations,
concepts linking indicators across plans, and key projects.
"""
import bisect
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F

from accounts.models import Organization, Region
from indicators.models import Concept, Indicator, TargetRevision
from indicators.targets import parse_target
from plans.models import Plan, Section
from projects.models import IndicatorValue, Project

from . import reimport
from .parsing import ParsedPlan, ParsedSection


class PlanExistsError(Exception):
    """A plan with this code exists and the import was not asked to replace it."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(
            f"规划代码“{code}”已存在：如需按新文本更新该规划（保留已填报的数据），请使用 --replace"
        )


class CuratedDataError(ValueError):
    """The curated data refers to something the plan does not have."""


@dataclass
class ImportOutcome:
    """The plan written, whether it is new, and what changed in its indicators."""

    plan: Plan
    created: bool
    diff: reimport.Diff


def plan_import(
    parsed: ParsedPlan,
    *,
    code: str,
    replace: bool = False,
    curated: dict | None = None,
    source_text: str = "",
) -> Plan:
    """Create the plan ``code`` with its sections, indicators and projects (see ``plan_write``)."""
    return plan_write(parsed, code=code, replace=replace, curated=curated, source_text=source_text).plan


@transaction.atomic
def plan_write(
    parsed: ParsedPlan,
    *,
    code: str,
    replace: bool = False,
    curated: dict | None = None,
    source_text: str = "",
    organizations: dict[str, Organization] | None = None,
) -> ImportOutcome:
    """Write the plan ``code``: the one path of the command, the seeds and the browser.

    An existing plan with the same code is refused unless ``replace``; then it is updated in place:
    its sections are rewritten, its indicators matched by number and name (``intake.reimport``)
    and updated, so every reported value, its history and the target revisions stay. An old
    indicator the new text no longer has is deleted only when nothing was reported against it;
    otherwise it is kept (``diff.kept``). ``organizations`` are existing responsible units the
    indicators may name besides the curated ones.
    """
    curated = curated or {}
    existing = Plan.objects.select_for_update().filter(code=code).first()
    if existing and not replace:
        raise PlanExistsError(code)
    plan = _save_plan(existing, parsed, code, curated.get("plan", {}), source_text)
    if existing:
        plan.sections.all().delete()  # indicators and projects lose their section (SET_NULL) until re-linked
    sections = _create_sections(plan, parsed.sections)
    found = {**(organizations or {}), **_organizations(curated.get("organizations", []))}
    lookup = _Lookup(sections, found, _concepts(curated.get("concepts", [])))
    diff = _write_indicators(plan, build_indicators(plan, parsed, curated, lookup))
    _write_projects(plan, [
        _project(plan, position, data, lookup) for position, data in enumerate(curated.get("projects", []))
    ])
    return ImportOutcome(plan, existing is None, diff)


def build_indicators(plan: Plan, parsed: ParsedPlan, curated: dict, lookup: "_Lookup") -> list[Indicator]:
    """The plan's indicators as unsaved rows: the table's, then the curated prose ones."""
    indicators = [_table_indicator(plan, indicator, curated, lookup) for indicator in parsed.indicators]
    indicators += [_prose_indicator(plan, data, lookup) for data in curated.get("indicators", [])]
    _check_numbers(indicators)
    return indicators


def preview_diff(plan: Plan, parsed: ParsedPlan, organizations: dict[str, Organization],
                 curated: dict | None = None) -> reimport.Diff:
    """What writing ``parsed`` over ``plan`` would change in its indicators; writes nothing."""
    curated = curated or {}
    sections = [(section, Section(plan=plan, title=section.title)) for section, _, _ in _flatten(parsed.sections)]
    lookup = _Lookup(sections, organizations, {})
    return reimport.diff(_current_indicators(plan), build_indicators(plan, parsed, curated, lookup),
                         reported_indicator_ids(plan))


def reported_indicator_ids(plan: Plan) -> set[int]:
    """The plan's indicators something was recorded against: a value or a target revision."""
    values = IndicatorValue.objects.filter(indicator__plan=plan).values_list("indicator_id", flat=True)
    revised = TargetRevision.objects.filter(indicator__plan=plan).values_list("indicator_id", flat=True)
    return set(values) | set(revised)


def _current_indicators(plan: Plan) -> list[Indicator]:
    return list(plan.indicators.order_by("number")) if plan.pk else []


# ---------------------------------------------------------------------------------------------
# Updating indicators and projects in place

NUMBER_SHIFT = 1_000_000  # numbers moved out of the way while indicators swap numbers
COPIED_FIELDS = (
    "number", "name", "unit", "category", "baseline_year", "baseline_value", "baseline_text",
    "target_year", "target_text", "target_kind", "target_value", "target_low", "target_high",
    "attribute", "direction", "aggregation", "section", "source_quote",
)
KEPT_WHEN_EMPTY = ("organization", "concept", "definition")  # set after publication, not in the text


def _write_indicators(plan: Plan, indicators: list[Indicator]) -> reimport.Diff:
    diff = reimport.diff(_current_indicators(plan), indicators, reported_indicator_ids(plan))
    Indicator.objects.filter(pk__in=[old.pk for old in diff.removed]).delete()
    _renumber_kept(diff, {indicator.number for indicator in indicators})
    moving = [old.pk for old, new in diff.pairs if old.number != new.number]
    moving += [old.pk for old in diff.kept if old.number != old._final_number]
    Indicator.objects.filter(pk__in=moving).update(number=F("number") + NUMBER_SHIFT)
    changed = {id(m.old) for m in diff.changed}
    quiet = []
    for old, new in diff.pairs:
        _copy(new, old)
        if id(old) in changed:
            old.save()  # a history record of what the revised text changed
        else:
            quiet.append(old)
    Indicator.objects.bulk_update(quiet, ["section"])
    for old in diff.kept:
        old.number, old.section = old._final_number, None
        old.save()
    Indicator.objects.bulk_create(diff.added)
    return diff


def _renumber_kept(diff: reimport.Diff, taken: set[int]) -> None:
    """A kept indicator keeps its number unless a new one takes it; then it goes after the last."""
    following = max(taken, default=0) + 1
    for old in diff.kept:
        if old.number in taken:
            old._final_number, following = following, following + 1
        else:
            old._final_number = old.number
        taken.add(old._final_number)


def _copy(new: Indicator, old: Indicator) -> None:
    for name in COPIED_FIELDS:
        setattr(old, name, getattr(new, name))
    for name in KEPT_WHEN_EMPTY:
        if getattr(new, name):
            setattr(old, name, getattr(new, name))


def _write_projects(plan: Plan, projects: list[Project]) -> None:
    """Projects matched by name are updated; unmatched old ones go unless progress was reported."""
    old = {project.name: project for project in plan.projects.all()}
    fresh = []
    for project in projects:
        current = old.pop(project.name, None)
        if current is None:
            fresh.append(project)
            continue
        for name in ("section", "kind", "position"):
            setattr(current, name, getattr(project, name))
        current.organization = project.organization or current.organization
        current.save()
    Project.objects.filter(pk__in=[p.pk for p in old.values()], progress__isnull=True).delete()
    Project.objects.bulk_create(fresh)


# ---------------------------------------------------------------------------------------------
# Plan and regions


def _save_plan(existing: Plan | None, parsed: ParsedPlan, code: str, meta: dict, source_text: str) -> Plan:
    """The plan row, created or updated; what ``meta`` does not say stays as it was."""
    plan = existing or Plan(code=code)
    keep = existing is not None
    for name, default in PLAN_DEFAULTS.items():
        value = meta.get(name, getattr(plan, name) if keep else default)
        setattr(plan, name, value)
    plan.title = meta.get("title") or parsed.title or (plan.title if keep else code)
    if meta.get("region") or not keep:
        plan.region = _region(meta.get("region"), meta.get("region_level"),
                              meta.get("parent_region"), meta.get("parent_region_level"))
    if "issued_on" in meta or not keep:
        plan.issued_on = datetime.date.fromisoformat(meta["issued_on"]) if meta.get("issued_on") else None
    if "parent_plan" in meta or not keep:
        parent_code = meta.get("parent_plan")
        plan.parent = Plan.objects.filter(code=parent_code).first() if parent_code else None
    plan.source_text = source_text
    plan.save()
    return plan


PLAN_DEFAULTS = {
    "short_name": "", "kind": "five_year", "issuer": "", "document_number": "",
    "start_year": None, "end_year": None, "base_year": None, "source_note": "",
}


_LEVEL_ABOVE = {"county": "city", "city": "province", "province": "national"}


def _region(name, level, parent_name=None, parent_level=None) -> Region | None:
    """The region by name, created when missing (with its parent, one level up unless told)."""
    if not name:
        return None
    parent = None
    if parent_name:
        parent = _region(parent_name, parent_level or _LEVEL_ABOVE.get(level, "province"))
    region, created = Region.objects.get_or_create(
        name=name, defaults={"level": level or "city", "parent": parent}
    )
    if not created and parent and region.parent_id is None:
        region.parent = parent
        region.save(update_fields=["parent"])
    return region


def _organizations(rows: list[dict]) -> dict[str, Organization]:
    found = {}
    for row in rows:
        organization, _ = Organization.objects.update_or_create(
            name=row["name"],
            defaults={"short_name": row.get("short_name", ""), "region": _region(row.get("region"), "city")},
        )
        found[organization.name] = organization
    return found


def _concepts(rows: list[dict]) -> dict[str, Concept]:
    found = {}
    for row in rows:
        concept, _ = Concept.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "unit": row.get("unit", "")}
        )
        found[concept.code] = concept
    return found


# ---------------------------------------------------------------------------------------------
# Sections


def _flatten(sections: list[ParsedSection], parent: int | None = None, depth: int = 0, out=None) -> list:
    """(section, index of its parent, depth) in document order."""
    out = [] if out is None else out
    for section in sections:
        out.append((section, parent, depth))
        _flatten(section.children, len(out) - 1, depth + 1, out)
    return out


def _create_sections(plan: Plan, parsed: list[ParsedSection]) -> list[tuple[ParsedSection, Section]]:
    """Bulk-create the sections level by level, so every parent has its key before its children."""
    flat = _flatten(parsed)
    objects = [
        Section(
            plan=plan, kind=section.kind, label=section.label, title=section.title[:500],
            body=section.body, position=position, depth=depth,
        )
        for position, (section, _, depth) in enumerate(flat)
    ]
    for level in range(max((depth for _, _, depth in flat), default=-1) + 1):
        batch = [objects[i] for i, (_, _, depth) in enumerate(flat) if depth == level]
        for i, (_, parent, depth) in enumerate(flat):
            if depth == level and parent is not None:
                objects[i].parent = objects[parent]
        Section.objects.bulk_create(batch)
    return [(section, obj) for (section, _, _), obj in zip(flat, objects)]


class _Lookup:
    """Finds the sections, organizations and concepts the curated data names."""

    def __init__(self, sections, organizations, concepts):
        self.sections = sections
        self.lines = [parsed.line for parsed, _ in sections]
        self.organizations = organizations
        self.concepts = concepts

    def section_at(self, line: int) -> Section | None:
        """The section a line of the document falls in."""
        index = bisect.bisect_right(self.lines, line) - 1
        return self.sections[index][1] if index >= 0 else None

    def section_quoting(self, quote: str) -> Section | None:
        return next((obj for parsed, obj in self.sections if quote and quote in parsed.body), None)

    def section_named(self, data: dict) -> Section:
        title, label = data.get("section_title"), data.get("section_label")
        for parsed, obj in self.sections:
            if (not title or parsed.title == title) and (not label or parsed.label == label):
                return obj
        raise CuratedDataError(f"规划中没有章节“{label or ''}{title or ''}”")

    def organization(self, name: str | None) -> Organization | None:
        if name and name not in self.organizations:
            raise CuratedDataError(f"责任单位“{name}”没有列在 organizations 中")
        return self.organizations.get(name) if name else None

    def concept(self, code: str | None) -> Concept | None:
        if code and code not in self.concepts:
            raise CuratedDataError(f"指标概念“{code}”没有列在 concepts 中")
        return self.concepts.get(code) if code else None


# ---------------------------------------------------------------------------------------------
# Indicators and projects


def _table_indicator(plan: Plan, parsed, curated: dict, lookup: _Lookup) -> Indicator:
    """An indicator from a key-indicator table; the curated data adds its unit and concept."""
    number = str(parsed.number)
    indicator = Indicator(
        plan=plan,
        section=lookup.section_at(parsed.line),
        number=parsed.number,
        name=parsed.name,
        unit=parsed.unit,
        category=parsed.category,
        baseline_year=parsed.baseline_year,
        baseline_value=parsed.baseline_value,
        baseline_text=parsed.baseline_text,
        target_year=parsed.target_year,
        attribute=parsed.attribute,
        direction=parsed.direction,
        aggregation=parsed.aggregation,
        organization=lookup.organization(curated.get("indicator_organizations", {}).get(number)),
        concept=lookup.concept(curated.get("indicator_concepts", {}).get(number)),
        source_quote=parsed.source_quote,
    )
    indicator.set_target(parsed.target)
    return indicator


def _prose_indicator(plan: Plan, data: dict, lookup: _Lookup) -> Indicator:
    """An indicator the plan states in prose, as the curated data reads it."""
    target = parse_target(data["target_text"], unit=data.get("unit", ""), direction=data.get("direction"))
    baseline = data.get("baseline_value")
    indicator = Indicator(
        plan=plan,
        section=lookup.section_quoting(data.get("quote", "")),
        number=data["number"],
        name=data["name"],
        unit=data.get("unit", ""),
        category=data.get("category", ""),
        baseline_year=data.get("baseline_year"),
        baseline_value=None if baseline is None else Decimal(str(baseline)),
        baseline_text=data.get("baseline_text", "" if baseline is None else str(baseline)),
        target_year=data.get("target_year"),
        attribute=data.get("attribute", "expected"),
        direction=target.direction,
        aggregation=data.get("aggregation", "level"),
        organization=lookup.organization(data.get("organization")),
        concept=lookup.concept(data.get("concept")),
        source_quote=_quotes(data),
    )
    indicator.set_target(target)
    return indicator


def _check_numbers(indicators: list[Indicator]) -> None:
    numbers = [indicator.number for indicator in indicators]
    repeated = sorted({number for number in numbers if numbers.count(number) > 1})
    if repeated:
        listed = "、".join(map(str, repeated))
        raise CuratedDataError(f"指标序号重复：{listed}（表格指标与整理数据中的指标不能同号）")


def _quotes(data: dict) -> str:
    """The target's sentence, then the baseline's when the plan states it elsewhere."""
    quotes = [data.get("quote", ""), data.get("baseline_quote", "")]
    return "\n".join(dict.fromkeys(quote for quote in quotes if quote))


def _project(plan: Plan, position: int, data: dict, lookup: _Lookup) -> Project:
    return Project(
        plan=plan,
        section=lookup.section_named(data),
        name=data["name"],
        kind=data.get("kind", "task"),
        organization=lookup.organization(data.get("organization")),
        position=position,
    )
