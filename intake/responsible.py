"""Which existing responsible unit a plan's 责任单位 cell names: by its name or short name, exactly
or by an unambiguous containment (区科技局 in 蓟州区科技局, 蓟州区科技局 in 蓟州区科技局（知识产权局）).
A cell listing several units (牵头 first: 区科技局、区发展改革委) names its first one when the
whole cell is no unit's name. Pure: units are (key, name, short name) triples."""
import re

SEPARATORS = re.compile(r"[、，,；;/／]|\s+")


def _plain(text: str) -> str:
    return re.sub(r"[\s\u3000]", "", text or "").replace("（", "(").replace("）", ")")


def matched_unit(text: str, units) -> object | None:
    """The key of the one unit ``text`` names, or None (no unit, or several alike)."""
    whole = _plain(text)
    if not whole:
        return None
    exact = _named(whole, units, contained=False)
    if exact is not None:
        return exact
    return _named(_plain(SEPARATORS.split(text.strip(), maxsplit=1)[0]), units)


def _named(text: str, units, contained: bool = True) -> object | None:
    exact = {key for key, name, short in units if text in (_plain(name), _plain(short))}
    if exact or not contained:
        return exact.pop() if len(exact) == 1 else None
    contained = {key for key, name, short in units if _contains(text, _plain(name)) or _contains(text, _plain(short))}
    return contained.pop() if len(contained) == 1 else None


def _contains(text: str, name: str) -> bool:
    return len(name) >= 2 and len(text) >= 2 and (text in name or name in text)
