"""What a revised document changes in a published plan's indicators, before anything is written.

Indicators are matched by number and name: first the same number and name, then the same name
(renumbered), then the same number (renamed). What stays unmatched on the old side is removed —
unless values were reported against it, then it is kept. Works on any objects with the
indicator's attributes (model instances, unsaved or saved), so it is tested with plain values.
"""
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "number": _("序号"),
    "name": _("指标"),
    "unit": _("单位"),
    "category": _("类别"),
    "baseline_year": _("基期年"),
    "baseline_value": _("基期值"),
    "target_year": _("目标年"),
    "target": _("目标"),
    "attribute": _("属性"),
    "direction": _("方向"),
    "aggregation": _("统计口径"),
    "organization_id": _("责任单位"),
}
PLAIN_FIELDS = [name for name in FIELD_LABELS if name != "target"]
TARGET_FIELDS = ("target_text", "target_kind", "target_value", "target_low", "target_high")


@dataclass(frozen=True)
class Change:
    field: str
    old: object
    new: object

    @property
    def label(self):
        return FIELD_LABELS[self.field]


@dataclass
class Matched:
    old: object
    new: object
    changes: list[Change]


@dataclass
class Diff:
    """``changed`` pairs with their changes; ``removed`` will be deleted, ``kept`` are unmatched
    but have reported values and stay; ``unchanged`` counts matches without a change."""

    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    changed: list[Matched] = field(default_factory=list)
    unchanged: int = 0
    pairs: list[tuple] = field(default_factory=list)

    @property
    def targets_changed(self) -> list[Matched]:
        return [m for m in self.changed if any(c.field == "target" for c in m.changes)]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.kept or self.changed)


def match(old: list, new: list) -> tuple[list[tuple], list, list]:
    """(old, new) pairs, the unmatched new and the unmatched old, each in its input order."""
    pairs: dict[int, object] = {}  # index in new → old
    free = list(old)
    for same in (lambda a, b: a.number == b.number and a.name == b.name,
                 lambda a, b: a.name == b.name,
                 lambda a, b: a.number == b.number):
        for index, item in enumerate(new):
            if index in pairs:
                continue
            found = next((candidate for candidate in free if same(candidate, item)), None)
            if found is not None:
                pairs[index] = found
                free.remove(found)
    matched = [(pairs[i], item) for i, item in enumerate(new) if i in pairs]
    return matched, [item for i, item in enumerate(new) if i not in pairs], free


def changes(old, new) -> list[Change]:
    """What differs; an organization the new side leaves empty keeps the old one (not a change)."""
    found = [Change(name, getattr(old, name), getattr(new, name))
             for name in PLAIN_FIELDS if getattr(old, name) != getattr(new, name)
             and not (name == "organization_id" and new.organization_id is None)]
    if any(getattr(old, name) != getattr(new, name) for name in TARGET_FIELDS):
        found.append(Change("target", old.target_text, new.target_text))
    return found


def diff(old: list, new: list, reported: set) -> Diff:
    """The changes from ``old`` indicators to ``new`` ones; ``reported`` holds the pks of old
    indicators with reported values."""
    pairs, added, unmatched = match(old, new)
    result = Diff(added=added, pairs=pairs)
    for item in unmatched:
        (result.kept if item.pk in reported else result.removed).append(item)
    for before, after in pairs:
        found = changes(before, after)
        if found:
            result.changed.append(Matched(before, after, found))
        else:
            result.unchanged += 1
    return result
