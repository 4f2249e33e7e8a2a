"""The explanation every verdict carries, in words and numbers ("2023年：1.8%，时序进度60%，…").

An explanation is kept as *parts* — what it says, not how it reads in one language: a list of
parts (shown joined by "；"), each a list of pieces (shown one after another), each piece a
``[template, params]`` pair. The template is the Chinese text with ``%(name)s`` placeholders
(Django translates it as a message id); a parameter is a number already written as text, a
year, a unit, or a dict naming something to put in words: ``{"verdict": code}``,
``{"trend": code}``, ``{"years": [...]}`` or ``{"piece": [template, params]}``. Parts are
JSON-safe, so stored assessments keep them; ``render`` writes them in Chinese here and, given
a translation function, in the visitor's language (``reports.labels.explanation_text``).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from core.numbers import number_text
from indicators.targets import TargetKind

from .arithmetic import HUNDRED, _inverted
from .results import SdgStatus, Trend, Verdict, _Facts, _Projection, _Words

Piece = list  # [template, params]
PART_SEPARATOR = "；"
LIST_SEPARATOR = "、"
_CODED = {"verdict": Verdict, "trend": Trend, "sdg": SdgStatus}


def piece(template: str, **params) -> Piece:
    return [template, params]


def render(parts: list[list[Piece]], translate: Callable[[str], str] = str) -> str:
    """The explanation in the language of `translate` (a gettext; by default Chinese)."""
    return translate(PART_SEPARATOR).join(
        "".join(_piece_text(p, translate) for p in pieces) for pieces in parts if pieces
    )


def piece_text(p: Piece, translate: Callable[[str], str] = str) -> str:
    return _piece_text(p, translate)


def _piece_text(p: Piece, translate: Callable[[str], str]) -> str:
    template, params = p
    text = translate(template)
    if not params:
        return text
    return text % {name: _param_text(value, translate) for name, value in params.items()}


def _param_text(value, translate: Callable[[str], str]) -> str:
    if not isinstance(value, dict):
        return str(value)
    (kind, content), = value.items()
    if kind in _CODED:
        return translate(_CODED[kind](content).label)
    if kind == "years":
        return translate(LIST_SEPARATOR).join(map(str, content))
    return _piece_text(content, translate)  # "piece"


def _explain(ind, f: _Facts, verdict: Verdict, p, trend: _Projection, required, words: _Words) -> list:
    unit = ind.unit or ("" if ind.target.kind == TargetKind.GROWTH else ind.target.unit)
    parts = [_headline(f, verdict, p, unit, words)]
    if verdict != Verdict.ACHIEVED and not f.final:
        outlook = _cumulative_outlook if words.cumulative else _outlook
        parts += outlook(f, trend, required, unit)
    return parts


def _empty_explanation(year: int, verdict: Verdict, reason: Piece) -> list:
    return [[piece("%(year)s年：%(verdict)s（%(reason)s）", year=year, verdict={"verdict": verdict.value},
                   reason={"piece": reason})]]  # fmt: skip


def _headline(f: _Facts, verdict: Verdict, p, unit: str, words: _Words) -> list[Piece]:
    if words.cumulative:
        head = [piece("%(start)s–%(end)s年累计", start=words.start, end=f.y)]
    else:
        head = [piece("%(year)s年", year=f.y)]
    if f.y < f.year:
        head.append(piece("（%(year)s年尚无数据）", year=f.year))
    head.append(piece("：%(value)s%(unit)s", value=number_text(f.a), unit=unit))
    if words.missing:
        head.append(piece("（%(years)s年无数据，未计入）", years={"years": list(words.missing)}))
    if words.floor is not None:
        template = (
            "，%(since)s年以来年均%(realised)s（目标年均%(floor)s以内）"
            if _inverted(words.down, words.floor)
            else "，%(since)s年以来年均%(realised)s（目标年均%(floor)s以上）"
        )
        head.append(piece(template, since=f.y0, realised=_rate(words.realised), floor=_rate(words.floor)))
    head.append(piece("，时序进度%(share)s%%", share=_pct(f.e)))
    if p is not None:
        head.append(piece("，完成进度%(share)s%%", share=_pct(p)))
    head.append(piece("，%(verdict)s", verdict={"verdict": verdict.value}))
    return head


def _outlook(f: _Facts, trend: _Projection, required, unit: str) -> list[list[Piece]]:
    if trend.trend is None:
        if trend.base_year is None:
            return [[piece("缺少基期值，无法按年均增速推算")]]
        return [[piece("基期值或最新值非正，无法按年均增速推算")]]
    label = {"trend": trend.trend.value}
    if trend.value is None:
        outlook = piece("按此增速推算，%(trend)s", trend=label)
    else:
        outlook = piece(
            "按%(since)s年以来年均%(rate)s推算，%(year)s年预计%(value)s%(unit)s，%(trend)s",
            since=trend.base_year, rate=_rate(trend.growth), year=f.y_t,
            value=number_text(trend.value, _places(f.a)), unit=unit, trend=label,
        )  # fmt: skip
    need = [piece("其余年份需年均%(rate)s", rate=_rate(required))] if required is not None else []
    return [[outlook], need]


def _cumulative_outlook(f: _Facts, trend: _Projection, required, unit: str) -> list[list[Piece]]:
    places = _places(f.a)
    outlook = piece(
        "按年均%(per_year)s%(unit)s推算，%(year)s年预计累计%(value)s%(unit)s，%(trend)s",
        per_year=number_text(trend.per_year, places), unit=unit, year=f.y_t,
        value=number_text(trend.value, places), trend={"trend": trend.trend.value},
    )  # fmt: skip
    template = "其余年份年均不超过%(amount)s%(unit)s" if f.down else "其余年份需年均%(amount)s%(unit)s"
    return [[outlook], [piece(template, amount=number_text(required, places), unit=unit)]]


def _rate(g: Decimal) -> dict:
    if g < 0:
        return {"piece": piece("下降%(share)s%%", share=_pct(-g, 2))}
    return {"piece": piece("增长%(share)s%%", share=_pct(g, 2))}


def _pct(fraction: Decimal, places: int = 0) -> str:
    return number_text(fraction * HUNDRED, places)


def _places(x: Decimal) -> int:
    """Decimals to show for numbers computed from x: at least 2, more for small values."""
    exponent = x.as_tuple().exponent
    return min(max(2, -exponent if isinstance(exponent, int) else 2), 6)
