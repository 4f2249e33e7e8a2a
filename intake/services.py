"""Writing a parsed plan document, with its curated data, in one transaction.

The curated data (``fixtures/plans/<code>.json``) adds what a plan's text does not state: the
metadata the text leaves out (short name, kind, region level, parent plan), which of the prose
targets the reader proposed to accept (``accept``: by name, with each one's organization and
concept; their targets, baselines and quotes come from the text), responsible organizations,
concepts linking indicators across plans, and key projects.
"""
import bisect
import datetime

from django.db import transaction

from accounts.models import Organization, Region
from indicators.models import Concept, Indicator
from plans.models import Plan, Section
from projects.models import Project

from .parsing import ParsedPlan, ParsedSection, PlanImportError, accept_proposals


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
    parsed, links = _accept_curated(parsed, curated)
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
    indicators = [_table_indicator(plan, indicator, links, lookup) for indicator in parsed.indicators]
    _check_numbers(indicators)
    Indicator.objects.bulk_create(indicators)
    Project.objects.bulk_create(
        [_project(plan, position, data, lookup) for position, data in enumerate(curated.get("projects", []))]
    )
    return plan


# ---------------------------------------------------------------------------------------------
# Plan and regions


def _plan_meta(parsed: ParsedPlan, curated: dict) -> dict:
    """What the text says about the plan, with the curated data filling in (or correcting) it."""
    read = parsed.metadata
    meta = {
        "title": parsed.title, "issuer": read.issuer, "document_number": read.document_number,
        "region": read.region, "issued_on": read.issued_on, "start_year": read.start_year,
        "end_year": read.end_year, "base_year": read.base_year,
    }
    return {**meta, **{key: value for key, value in curated.items() if value not in (None, "")}}


def _create_plan(parsed: ParsedPlan, code: str, curated_meta: dict, source_text: str) -> Plan:
    meta = _plan_meta(parsed, curated_meta)
    parent_code = meta.get("parent_plan")
    return Plan.objects.create(
        code=code,
        title=meta.get("title") or code,
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


def _accept_curated(parsed: ParsedPlan, curated: dict) -> tuple[ParsedPlan, dict]:
    """``parsed`` with the prose targets the curated data accepts made indicators, and each
    indicator number's organization and concept (``indicator_organizations``/``indicator_concepts``
    for table rows, the ``accept`` entries for prose targets)."""
    if curated.get("indicators"):
        raise CuratedDataError("整理数据不能给出指标的目标和基期值：请用 accept 按名称采纳文字中读出的目标")
    accept = curated.get("accept", [])
    try:
        accepted = accept_proposals(parsed, [entry["name"] for entry in accept])
    except PlanImportError as error:
        raise CuratedDataError(error.message) from error
    links = {
        "organizations": dict(curated.get("indicator_organizations", {})),
        "concepts": dict(curated.get("indicator_concepts", {})),
    }
    for indicator, entry in zip(accepted.indicators[len(parsed.indicators):], accept):
        links["organizations"][str(indicator.number)] = entry.get("organization")
        links["concepts"][str(indicator.number)] = entry.get("concept")
    return accepted, links


def _table_indicator(plan: Plan, parsed, links: dict, lookup: _Lookup) -> Indicator:
    """An indicator read from the text; the curated data adds its organization and concept."""
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
        organization=lookup.organization(links["organizations"].get(number)),
        concept=lookup.concept(links["concepts"].get(number)),
        source_quote=parsed.source_quote,
    )
    indicator.set_target(parsed.target)
    return indicator


def _check_numbers(indicators: list[Indicator]) -> None:
    numbers = [indicator.number for indicator in indicators]
    repeated = sorted({number for number in numbers if numbers.count(number) > 1})
    if repeated:
        listed = "、".join(map(str, repeated))
        raise CuratedDataError(f"指标序号重复：{listed}（表格指标与整理数据中的指标不能同号）")


def _project(plan: Plan, position: int, data: dict, lookup: _Lookup) -> Project:
    return Project(
        plan=plan,
        section=lookup.section_named(data),
        name=data["name"],
        kind=data.get("kind", "task"),
        organization=lookup.organization(data.get("organization")),
        position=position,
    )
