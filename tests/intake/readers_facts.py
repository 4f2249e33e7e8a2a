"""What the readers' tests compare between a file and its equivalent text: the indicators' facts
and the section outline (label, title, kind, nesting)."""
from intake.parsing import ParsedPlan


def indicator_facts(parsed: ParsedPlan) -> list[tuple]:
    return [
        (i.number, i.name, i.unit, i.category, i.attribute, i.direction, i.baseline_year, i.baseline_value,
         i.target_year, i.target.text, i.target.kind, i.target.value)
        for i in parsed.indicators
    ]


def outline(sections, depth: int = 0) -> list[tuple]:
    rows = []
    for section in sections:
        rows.append((depth, section.label, section.title, section.kind))
        rows.extend(outline(section.children, depth + 1))
    return rows


def unlabelled(rows: list[tuple]) -> list[tuple]:
    return [(depth, title, kind) for depth, _label, title, kind in rows]
