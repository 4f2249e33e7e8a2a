"""Writing a parsed plan document, with its curated data, in one transaction.

The curated data (``fixtures/plans/<code>.json``) adds what a plan's text states only in prose or
not at all: the plan's metadata, prose targets with their quotes, responsible organizations,
concepts linking indicators across plans, and key projects.
"""
import bisect
import datetime
from decimal import Decimal

from django.db import transaction

from accounts.models import Organization, Region
from indicators.models import Concept, Indicator
from indicators.targets import parse_target
from plans.models import Plan, Section
from projects.models import Project

from .parsing import ParsedPlan, ParsedSection


class PlanExistsError(Exception):
    """A plan with this code exists and the import was not asked to replace it."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(f"规划代码“{code}”已存在：如需覆盖原有规划及其全部数据，请使用 --replace")


class CuratedDataError(ValueError):
    """The curated data refers to something the plan does not have."""


@transaction.atomic
def plan_import(
    parsed: ParsedPlan,
    *,
    code: str,
    replace: bool = False,
    curated: dict | None = None,
    source_text: str = "",
) -> Plan:
    """Create the plan ``code`` with its sections, indicators and projects.

    An existing plan with the same code is refused unless ``replace``; then it is deleted (with
    everything hanging off it) and recreated in the same transaction, so a failed import leaves
    the old plan untouched and a successful one never duplicates.
    """
    curated = curated or {}
    existing = Plan.objects.select_for_update().filter(code=code).first()
    if existing and not replace:
        raise PlanExistsError(code)
    children = list(existing.children.values_list("pk", flat=True)) if existing else []
    if existing:
        existing.delete()
    plan = _create_plan(parsed, code, curated.get("plan", {}), source_text)
    Plan.objects.filter(pk__in=children).update(parent=plan)  # plans implementing this one stay linked
    sections = _create_sections(plan, parsed.sections)
    organizations = _organizations(curated.get("organizations", []))
    concepts = _concepts(curated.get("concepts", []))
    lookup = _Lookup(sections, organizations, concepts)
    indicators = [_table_indicator(plan, indicator, curated, lookup) for indicator in parsed.indicators]
    indicators += [_prose_indicator(plan, data, lookup) for data in curated.get("indicators", [])]
    _check_numbers(indicators)
    Indicator.objects.bulk_create(indicators)
    Project.objects.bulk_create(
        [_project(plan, position, data, lookup) for position, data in enumerate(curated.get("projects", []))]
    )
    return plan


# ---------------------------------------------------------------------------------------------
# Plan and regions


def _create_plan(parsed: ParsedPlan, code: str, meta: dict, source_text: str) -> Plan:
    parent_code = meta.get("parent_plan")
    return Plan.objects.create(
        code=code,
        title=meta.get("title") or parsed.title or code,
        short_name=meta.get("short_name", ""),
        kind=meta.get("kind", "five_year"),
        issuer=meta.get("issuer", ""),
        document_number=meta.get("document_number", ""),
        region=_region(
            meta.get("region"),
            meta.get("region_level"),
            meta.get("parent_region"),
            meta.get("parent_region_level"),
        ),
        issued_on=datetime.date.fromisoformat(meta["issued_on"]) if meta.get("issued_on") else None,
        start_year=meta.get("start_year"),
        end_year=meta.get("end_year"),
        base_year=meta.get("base_year"),
        parent=Plan.objects.filter(code=parent_code).first() if parent_code else None,
        source_text=source_text,
        source_note=meta.get("source_note", ""),
    )


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
