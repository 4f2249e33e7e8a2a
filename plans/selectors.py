"""Read-side queries for plans; each returns in a constant number of queries."""
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from .models import Plan, Section


def plan_list() -> QuerySet[Plan]:
    return Plan.objects.select_related("region").annotate(
        indicator_count=Count("indicators", distinct=True),
        section_count=Count("sections", distinct=True),
    ).order_by("-start_year", "code")


@dataclass
class SectionNode:
    section: Section
    children: list["SectionNode"] = field(default_factory=list)


def section_tree(plan: Plan) -> list[SectionNode]:
    """The plan's hierarchy from one query, ordered as printed."""
    nodes: dict[int, SectionNode] = {}
    roots: list[SectionNode] = []
    for section in plan.sections.order_by("position"):
        node = nodes[section.pk] = SectionNode(section)
        parent = nodes.get(section.parent_id)
        (parent.children if parent else roots).append(node)
    return roots
