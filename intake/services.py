"""Writing a parsed plan document, with its curated data, in one transaction.

The curated data (``fixtures/plans/<code>.json``) adds what a plan's text does not state: the
metadata the text leaves out (short name, kind, region level, parent plan), which of the prose
targets the reader proposed to accept (``accept``: by name, with each one's organization and
concept; their targets, baselines and quotes come from the text), responsible organizations,
concepts linking indicators across plans, and key projects.
"""
import bisect
import datetime
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.actors import acting_as, current_actor
from accounts.models import Organization, Region
from indicators.models import Concept, Indicator, TargetRevision
from plans.models import Plan, Section
from projects.models import IndicatorValue, Project

from . import reimport
from .drafts import draft_json, initial_rows, parsed_from_rows, proposal_row, with_responsible
from .models import DraftStatus, PlanDraft
from .parsing import ParsedPlan, ParsedSection, PlanImportError, accept_proposals, document_text, parse_document
from .responsible import matched_unit
from .sources import file_format, read_pasted, read_upload


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
    parsed, links = _accept_curated(parsed, curated)
    existing = Plan.objects.select_for_update().filter(code=code).first()
    if existing and not replace:
        raise PlanExistsError(code)
    plan = _save_plan(existing, parsed, code, _plan_meta(parsed, curated.get("plan", {})), source_text)
    if existing:
        plan.sections.all().delete()  # indicators and projects lose their section (SET_NULL) until re-linked
    sections = _create_sections(plan, parsed.sections)
    found = {**(organizations or {}), **_organizations(curated.get("organizations", []))}
    lookup = _Lookup(sections, found, _concepts(curated.get("concepts", [])))
    diff = _write_indicators(plan, build_indicators(plan, parsed, links, lookup))
    _write_projects(plan, [
        _project(plan, position, data, lookup) for position, data in enumerate(curated.get("projects", []))
    ])
    return ImportOutcome(plan, existing is None, diff)


def build_indicators(plan: Plan, parsed: ParsedPlan, links: dict, lookup: "_Lookup") -> list[Indicator]:
    """The plan's indicators as unsaved rows, with the organizations and concepts ``links`` gives."""
    indicators = [_table_indicator(plan, indicator, links, lookup) for indicator in parsed.indicators]
    _check_numbers(indicators)
    return indicators


def preview_diff(plan: Plan, parsed: ParsedPlan, organizations: dict[str, Organization],
                 curated: dict | None = None) -> reimport.Diff:
    """What writing ``parsed`` over ``plan`` would change in its indicators; writes nothing."""
    parsed, links = _accept_curated(parsed, curated or {})
    sections = [(section, Section(plan=plan, title=section.title)) for section, _, _ in _flatten(parsed.sections)]
    lookup = _Lookup(sections, organizations, {})
    return reimport.diff(_current_indicators(plan), build_indicators(plan, parsed, links, lookup),
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
    # Bulk creation sends no history signals: write the first history record of each new indicator
    # here, naming the command's actor (or, in the browser, the request's user).
    bulk_create_with_history(diff.added, Indicator, default_user=current_actor(), default_change_reason="导入规划")
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


def _plan_meta(parsed: ParsedPlan, curated: dict) -> dict:
    """What the text says about the plan, with the curated data filling in (or correcting) it."""
    read = parsed.metadata
    meta = {
        "title": parsed.title, "issuer": read.issuer, "document_number": read.document_number,
        "region": read.region, "issued_on": read.issued_on, "start_year": read.start_year,
        "end_year": read.end_year, "base_year": read.base_year,
    }
    given = {key: value for key, value in meta.items() if value not in (None, "")}
    return {**given, **{key: value for key, value in curated.items() if value not in (None, "")}}


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
        self.units = None  # every organization, loaded when a 责任单位 text is to be matched

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

    def responsible(self, text: str) -> Organization | None:
        """The existing unit a 责任单位 cell names (``intake.responsible``), or None."""
        if not text:
            return None
        if self.units is None:
            self.units = organization_units()
        return responsible_organization(text, self.units)

    def concept(self, code: str | None) -> Concept | None:
        if code and code not in self.concepts:
            raise CuratedDataError(f"指标概念“{code}”没有列在 concepts 中")
        return self.concepts.get(code) if code else None


def organization_units() -> list[tuple[int, str, str]]:
    return list(Organization.objects.values_list("pk", "name", "short_name"))


def responsible_organization(text: str, units: list[tuple[int, str, str]]) -> Organization | None:
    """The one existing organization a 责任单位 text names by name or short name, or None."""
    key = matched_unit(text, units)
    return Organization.objects.get(pk=key) if key is not None else None


def _responsible_names(rows: list[dict]) -> list[dict]:
    units = organization_units() if any(row.get("responsible_text") for row in rows) else []
    names = {pk: name for pk, name, _ in units}

    def match(text: str) -> str | None:
        key = matched_unit(text, units)
        return names[key] if key is not None else None

    return with_responsible(rows, match)


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
        organization=lookup.organization(links["organizations"].get(number)) or lookup.responsible(parsed.responsible),
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


# ---------------------------------------------------------------------------------------------
# Import drafts: the browser's way in


class DraftError(ValueError):
    """A draft that cannot be published as it stands (the message says why, in Chinese)."""


NO_CONTENT = "没有找到指标表格，也没有可识别的目标：请确认这是规划正文（含主要指标表或发展目标）"
KIND_WORDS = (("行动计划", "action_plan"), ("实施方案", "programme"), ("方案", "programme"),
              ("若干措施", "measures"), ("措施", "measures"), ("意见", "opinions"), ("规划", "five_year"))


def draft_create(user, *, data: bytes | None = None, filename: str = "", text: str = "",
                 revises: Plan | None = None) -> PlanDraft:
    """Parse an uploaded file (or pasted text) and keep it as a draft of ``user``'s; a document
    that cannot be read raises ``PlanImportError`` and nothing is written."""
    document = read_upload(data, filename) if data is not None else read_pasted(text)
    parsed = parse_document(document)
    if not parsed.indicators and not parsed.proposed:
        raise PlanImportError(NO_CONTENT)
    content = draft_json(parsed, document)
    draft = PlanDraft(
        created_by=user, filename=(filename or "")[:255], file_size=len(data or b""),
        file_format=file_format(filename) if data is not None else "text", pasted_text=text,
        source_text=document_text(document), parsed=content, revises=revises,
        edits={"metadata": initial_metadata(content, revises), "proposals": {},
               "rows": _responsible_names(initial_rows(content))},
    )
    if data is not None:
        draft.stored_name = _stage(data)
    draft.save()
    return draft


def initial_metadata(content: dict, revises: Plan | None = None) -> dict:
    """The review form's metadata: what the text says, else what the revised plan has."""
    meta = content.get("metadata") or {}
    title = content.get("title") or ""
    found = {
        "title": title, "issuer": meta.get("issuer") or "", "document_number": meta.get("document_number") or "",
        "region": meta.get("region") or "", "region_level": "city", "issued_on": meta.get("issued_on") or "",
        "kind": plan_kind(title), "start_year": meta.get("start_year"), "end_year": meta.get("end_year"),
        "base_year": meta.get("base_year"), "code": suggest_code(title, meta.get("start_year")),
    }
    if revises:
        found.update({name: value for name, value in _plan_metadata(revises).items() if not found.get(name)})
        found.update(code=revises.code, kind=revises.kind)
    return found


def _plan_metadata(plan: Plan) -> dict:
    return {
        "title": plan.title, "issuer": plan.issuer, "document_number": plan.document_number,
        "region": plan.region.name if plan.region else "", "region_level": plan.region.level if plan.region else "city",
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else "", "start_year": plan.start_year,
        "end_year": plan.end_year, "base_year": plan.base_year,
    }


def plan_kind(title: str) -> str:
    return next((kind for word, kind in KIND_WORDS if word in title), "other")


def suggest_code(title: str, start_year: int | None) -> str:
    """A code for a new plan: its year and a stable hash of the title (titles are Chinese)."""
    digest = hashlib.sha1((title or secrets.token_hex(8)).encode()).hexdigest()[:8]
    return f"plan-{start_year}-{digest}" if start_year else f"plan-{digest}"


def draft_save(draft: PlanDraft, metadata: dict, rows: list[dict]) -> None:
    """Keep the planner's validated metadata and rows; flags whose cell was changed are resolved."""
    draft.edits = {**draft.edits, "metadata": metadata, "rows": rows}
    draft.save(update_fields=["edits", "updated_at"])


def draft_decide(draft: PlanDraft, index: int, accept: bool) -> None:
    """Accept a prose proposal (it becomes a row, numbered after the last) or discard it."""
    proposals = dict(draft.edits.get("proposals") or {})
    if not 0 <= index < len(draft.parsed.get("proposed", [])) or str(index) in proposals:
        raise DraftError("该建议指标不存在或已处理")
    rows = list(draft.edits.get("rows") or [])
    if accept:
        number = max((int(row["number"]) for row in rows), default=0) + 1
        rows.append(proposal_row(draft.parsed, index, number))
    proposals[str(index)] = "accepted" if accept else "discarded"
    draft.edits = {**draft.edits, "rows": rows, "proposals": proposals}
    draft.save(update_fields=["edits", "updated_at"])


def draft_parsed(draft: PlanDraft) -> ParsedPlan:
    return parsed_from_rows(draft.parsed, draft.edits.get("rows") or [], draft.edits["metadata"].get("title", ""))


def draft_organizations(draft: PlanDraft) -> dict[str, Organization]:
    names = {row.get("organization") for row in draft.edits.get("rows") or [] if row.get("organization")}
    return {organization.name: organization for organization in Organization.objects.filter(name__in=names)}


def draft_preview(draft: PlanDraft) -> reimport.Diff | None:
    """For a revision of a published plan, what publishing would change; None for a new plan."""
    if not draft.revises_id:
        return None
    organizations = draft_organizations(draft)
    return preview_diff(draft.revises, draft_parsed(draft), organizations, _draft_curated(draft, organizations))


def _draft_curated(draft: PlanDraft, organizations: dict) -> dict:
    meta = dict(draft.edits["metadata"])
    meta.pop("code", None)
    for name in ("issued_on", "region"):
        meta[name] = meta.get(name) or None
    numbers = {str(row["number"]): row["organization"] for row in draft.edits.get("rows") or []
               if row.get("organization") in organizations}
    return {"plan": meta, "indicator_organizations": numbers}


@transaction.atomic
def draft_publish(user, draft: PlanDraft) -> ImportOutcome:
    """Write the draft's plan through ``plan_write``: a new plan, or the revised one updated in
    place. A draft publishes once; a new plan's code must be free."""
    draft = PlanDraft.objects.select_for_update(of=("self",)).select_related("revises").get(pk=draft.pk)
    if not draft.is_open:
        raise DraftError("该草稿已发布或已放弃，不能再发布")
    if not draft.edits.get("rows"):
        raise DraftError("没有可发布的指标：请至少保留或采纳一个指标")
    code = draft.revises.code if draft.revises_id else draft.edits["metadata"].get("code", "")
    if not draft.revises_id and Plan.objects.filter(code=code).exists():
        raise DraftError(f"规划代码“{code}”已被使用：请换一个代码，或在导入时选择修订该规划")
    organizations = draft_organizations(draft)
    try:
        with acting_as(user):  # every history record of the publication names the planner
            outcome = plan_write(
                draft_parsed(draft), code=code, replace=bool(draft.revises_id), source_text=draft.source_text,
                curated=_draft_curated(draft, organizations), organizations=organizations,
            )
    except CuratedDataError as error:
        raise DraftError(str(error)) from error
    draft.status, draft.plan, draft.published_at = DraftStatus.PUBLISHED, outcome.plan, timezone.now()
    draft.save(update_fields=["status", "plan", "published_at", "updated_at"])
    _unstage(draft.stored_name)
    return outcome


def draft_discard(draft: PlanDraft) -> None:
    if not draft.is_open:
        raise DraftError("该草稿已发布或已放弃")
    draft.status = DraftStatus.DISCARDED
    draft.save(update_fields=["status", "updated_at"])
    _unstage(draft.stored_name)


def _staging() -> Path:
    return Path(settings.UPLOAD_STAGING_ROOT) / "intake"


def _stage(data: bytes) -> str:
    """Keep the uploaded file, under a random name outside MEDIA_ROOT (never served)."""
    name = f"{secrets.token_urlsafe(24)}.upload"
    _staging().mkdir(parents=True, exist_ok=True)
    (_staging() / name).write_bytes(data)
    return name


def _unstage(name: str) -> None:
    if name:
        (_staging() / name).unlink(missing_ok=True)
