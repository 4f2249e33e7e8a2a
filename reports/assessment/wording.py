"""The explanation every verdict carries, in words and numbers ("2023年：1.8%，时序进度60%，…")."""

from __future__ import annotations

from decimal import Decimal

from core.numbers import number_text
from indicators.targets import TargetKind

from .arithmetic import HUNDRED, _inverted
from .results import Verdict, _Facts, _Projection, _Words


def _explain(ind, f: _Facts, verdict: Verdict, p, trend: _Projection, required, words: _Words) -> str:
    unit = ind.unit or ("" if ind.target.kind == TargetKind.GROWTH else ind.target.unit)
    parts = [_headline(f, verdict, p, unit, words)]
    if verdict != Verdict.ACHIEVED and not f.final:
        outlook = _cumulative_outlook if words.cumulative else _outlook
        parts += outlook(f, trend, required, unit)
    return "；".join(part for part in parts if part)


def _headline(f: _Facts, verdict: Verdict, p, unit: str, words: _Words) -> str:
    when = f"{words.start}–{f.y}年累计" if words.cumulative else f"{f.y}年"
    if f.y < f.year:
        when += f"（{f.year}年尚无数据）"
    head = f"{when}：{number_text(f.a)}{unit}"
    if words.missing:
        head += f"（{'、'.join(map(str, words.missing))}年无数据，未计入）"
    if words.floor is not None:
        bound = "以内" if _inverted(words.down, words.floor) else "以上"
        head += f"，{f.y0}年以来年均{_rate(words.realised)}（目标年均{_rate(words.floor)}{bound}）"
    head += f"，时序进度{_pct(f.e)}%"
    if p is not None:
        head += f"，完成进度{_pct(p)}%"
    return f"{head}，{verdict.label}"


def _outlook(f: _Facts, trend: _Projection, required, unit: str) -> list[str]:
    if trend.trend is None:
        why = "缺少基期值" if trend.base_year is None else "基期值或最新值非正"
        return [f"{why}，无法按年均增速推算"]
    if trend.value is None:
        outlook = f"按此增速推算，{trend.trend.label}"
    else:
        since, value = f"{trend.base_year}年以来年均{_rate(trend.growth)}", number_text(trend.value, _places(f.a))
        outlook = f"按{since}推算，{f.y_t}年预计{value}{unit}，{trend.trend.label}"
    return [outlook, f"其余年份需年均{_rate(required)}" if required is not None else ""]


def _cumulative_outlook(f: _Facts, trend: _Projection, required, unit: str) -> list[str]:
    places = _places(f.a)
    per_year, value = number_text(trend.per_year, places), number_text(trend.value, places)
    outlook = f"按年均{per_year}{unit}推算，{f.y_t}年预计累计{value}{unit}，{trend.trend.label}"
    need = "年均不超过" if f.down else "需年均"
    return [outlook, f"其余年份{need}{number_text(required, places)}{unit}"]


def _rate(g: Decimal) -> str:
    return f"下降{_pct(-g, 2)}%" if g < 0 else f"增长{_pct(g, 2)}%"


def _pct(fraction: Decimal, places: int = 0) -> str:
    return number_text(fraction * HUNDRED, places)




def _places(x: Decimal) -> int:
    """Decimals to show for numbers computed from x: at least 2, more for small values."""
    exponent = x.as_tuple().exponent
    return min(max(2, -exponent if isinstance(exponent, int) else 2), 6)
