"""Plotly figures for the dashboards, built by pure functions from report rows (no database).

Numbers are Decimal everywhere else; they become floats only here, for drawing. Every figure
uses the same print-friendly layout: white background, Chinese labels, a CJK font stack.
Plotly renders titles, labels, legends and hovers as a subset of HTML (``<a href>`` is a live
link): every text taken from the data passes through ``plot_text`` first.
Traces carry ``meta`` (``series``, ``preliminary``, ``path``, ``projection``, ``target``,
``target_band``, ``heatmap``) so tests and scripts can find them without reading labels.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from html import escape

from django.utils.translation import gettext as _

from core.numbers import number_text
from indicators.targets import TargetKind

from .assessment import Assessment, Verdict
from .labels import translated_label

FONT = "Noto Sans CJK SC, Microsoft YaHei, sans-serif"
# The CSS verdict colours (static/css/guihua.css), so a badge and its heatmap cell match.
VERDICT_COLOURS = {
    Verdict.ACHIEVED: "#1b7f3b",
    Verdict.AHEAD: "#3f9b55",
    Verdict.ON_TRACK: "#2f6fb0",
    Verdict.BEHIND: "#d98a00",
    Verdict.REGRESSING: "#c0392b",
    Verdict.NOT_ACHIEVED: "#8e2a20",
    Verdict.NO_DATA: "#8a939e",
    Verdict.NOT_ASSESSABLE: "#a4a9b0",
}
PALETTE = ["#b4231f", "#1a5fb4", "#1b7f3b", "#d98a00", "#6a3d9a", "#0f7c80", "#8c564b", "#e377c2"]
SERIES_COLOUR = "#1a5fb4"
TARGET_COLOUR = "#b4231f"
# Plotly never wraps text: titles and heatmap labels are broken into lines of about this many
# full-width characters, so they fit a chart as narrow as a phone's (~330 px at 14 px a character).
TITLE_WIDTH = 22
TITLE_LINE_PX = 19  # a 14 px title line
LABEL_WIDTH = 12
LABEL_LINES = 2
HEATMAP_COLUMN_PX = 84  # a cell wide enough for its verdict label in either language
HEATMAP_LABELS_PX = 170


def text_width(text: str) -> float:
    """Width in full-width characters: CJK and full-width forms count 1, the rest about half."""
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)


def wrapped_lines(text: str, width: float) -> list[str]:
    """`text` in lines no wider than `width` (``text_width``); Latin text breaks at a space, unless
    that leaves a line less than half full (Chinese needs no space to break)."""
    lines, line = [], ""
    for char in str(text):
        if line and text_width(line + char) > width:
            head, space, tail = line.rpartition(" ")
            if space and text_width(head) >= width / 2 and not char.isspace():
                lines.append(head)
                line = tail
            else:
                lines.append(line.rstrip())
                line = ""
            if char.isspace():
                continue
        line += char
    if line.strip():
        lines.append(line)
    return lines


def plot_lines(text: object, width: float, max_lines: int | None = None) -> str:
    """Text plotly shows as written, wrapped in lines (``<br>``), cut with … after `max_lines`."""
    lines = wrapped_lines(str(text), width)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, len(lines[-1]) - 1)] + "…"
    return "<br>".join(plot_text(line) for line in lines)


def plot_text(text: object) -> str:
    """Text plotly shows as written: its markup characters as entities (plotly decodes them)."""
    return escape(str(text), quote=False)


def figure_data(fig: dict) -> dict:
    """The figure as plain JSON data, ready for ``json_script`` and ``Plotly.newPlot``."""
    return json.loads(json.dumps(fig))


def _scatter(**attributes) -> dict:
    """A plotly scatter trace as a plain dict: plotly.js needs only JSON, and building
    plotly.graph_objects (which validate every attribute) costs ~20 ms a chart."""
    return {"type": "scatter", **attributes}


def _f(x: Decimal | None) -> float | None:
    return None if x is None else float(x)


def _layout(title: str, y_title: str = "", **extra) -> dict:
    """Title wrapped and left-aligned (a long one is never cut at both sides); the legend at the
    foot of the figure, under the 年份 axis title, with the margins plotly grows to fit both."""
    lines = len(wrapped_lines(title, TITLE_WIDTH)) or 1
    height = extra.get("height", 340)
    # plotly places a title of several lines by its middle: the middle of the block, in pixels from the top
    title_middle = 8 + lines * TITLE_LINE_PX / 2
    return {
        "title": {"text": plot_lines(title, TITLE_WIDTH), "font": {"size": 14}, "x": 0.01, "xanchor": "left",
                  "y": 1 - title_middle / height, "yanchor": "middle", "yref": "container"},
        "font": {"family": FONT, "size": 12, "color": "#1f2933"},
        "template": "plotly_white",
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 60, "r": 20, "t": 24 + TITLE_LINE_PX * lines, "b": 50},
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "bottom", "yref": "container"},
        "xaxis": {"title": {"text": _("年份"), "standoff": 4}, "tickformat": "d", "dtick": 1,
                  "gridcolor": "#e5e8ec", "automargin": True},
        "yaxis": {"title": {"text": plot_text(y_title)}, "gridcolor": "#e5e8ec", "automargin": True},
        **extra,
    }  # fmt: skip


# ---------------------------------------------------------------------------- one indicator


def _is_cumulative(row) -> bool:
    indicator = row.indicator
    return indicator.target_kind == TargetKind.CUMULATIVE.value or indicator.aggregation == "cumulative"


def _plotted_values(row) -> dict[int, Decimal]:
    """Year → plotted value: the running total for cumulative targets, else the value itself."""
    if not _is_cumulative(row):
        return dict(sorted(row.values.items()))
    start = row.indicator.plan.start_year
    total, running = Decimal(0), {}
    for year, value in sorted(row.values.items()):
        if start is None or year >= start:
            total += value
            running[year] = total
    return running


def _series_traces(row, plotted: Mapping[int, Decimal]) -> list[dict]:
    approved = [y for y in plotted if y not in row.preliminary_years]
    preliminary = [y for y in plotted if y in row.preliminary_years]
    name = _("累计值") if _is_cumulative(row) else _("实际值（已审核）")
    traces = [
        _scatter(
            x=approved,
            y=[_f(plotted[y]) for y in approved],
            mode="lines+markers",
            name=name,
            line={"color": SERIES_COLOUR, "width": 2},
            marker={"size": 8},
            meta="series",
        )
    ]
    if preliminary:
        traces.append(
            _scatter(
                x=preliminary,
                y=[_f(plotted[y]) for y in preliminary],
                mode="markers+text",
                name=_("初步数据（未审核）"),
                text=[_("初步")] * len(preliminary),
                textposition="top center",
                marker={"size": 10, "symbol": "circle-open", "color": SERIES_COLOUR, "line": {"width": 2}},
                meta="preliminary",
            )
        )
    return traces


def _path_points(row) -> tuple[tuple[int, Decimal], tuple[int, Decimal]] | None:
    """Baseline → target as a straight line; cumulative targets run from 0 before the plan starts."""
    a, indicator = row.assessment, row.indicator
    target_year = indicator.target_year or indicator.plan.end_year
    target = a.target_value if a.target_value is not None else indicator.target.headline
    if target_year is None or target is None or indicator.aggregation == "growth":
        return None
    if _is_cumulative(row):
        start = indicator.plan.start_year
        return None if start is None else ((start - 1, Decimal(0)), (target_year, target))
    baseline = a.baseline_value if a.baseline_value is not None else indicator.baseline_value
    if baseline is None or indicator.baseline_year is None:
        return None
    return (indicator.baseline_year, baseline), (target_year, target)


def _path_trace(row) -> list[dict]:
    points = _path_points(row)
    if points is None:
        return []
    (x0, y0), (x1, y1) = points
    return [
        _scatter(
            x=[x0, x1],
            y=[_f(y0), _f(y1)],
            mode="lines+markers",
            name=_("规划路径（基期→目标）"),
            line={"color": "#6b7785", "dash": "dash", "width": 1.5},
            marker={"size": 5},
            meta="path",
        )
    ]


def _projection_trace(row) -> list[dict]:
    a, indicator = row.assessment, row.indicator
    target_year = indicator.target_year or indicator.plan.end_year
    if a.projected is None or a.value_year is None or target_year is None:
        return []
    start = _plotted_values(row).get(a.value_year, a.value)
    return [
        _scatter(
            x=[a.value_year, target_year],
            y=[_f(start), _f(a.projected)],
            mode="lines+markers",
            name=_("趋势预测"),
            line={"color": SERIES_COLOUR, "dash": "dot", "width": 1.5},
            marker={"size": 6, "symbol": "diamond-open"},
            meta="projection",
        )
    ]


def _x_range(row, plotted: Mapping[int, Decimal]) -> tuple[int, int] | None:
    indicator = row.indicator
    years = [y for y in (indicator.baseline_year, indicator.target_year, indicator.plan.start_year,
                         indicator.plan.end_year) if y] + list(plotted)  # fmt: skip
    return (min(years), max(years)) if years else None


def _target_traces(row, plotted: Mapping[int, Decimal]) -> list[dict]:
    """The target as a horizontal line, or a band between a range's bounds."""
    indicator, span = row.indicator, _x_range(row, plotted)
    target = indicator.target
    if span is None or not target.is_quantitative or _is_cumulative(row):
        return []
    x0, x1 = span
    if target.kind == TargetKind.RANGE and target.low is not None and target.high is not None:
        low, high = _f(target.low), _f(target.high)
        return [
            _scatter(
                x=[x0, x1, x1, x0, x0],
                y=[low, low, high, high, low],
                mode="lines",
                fill="toself",
                fillcolor="rgba(180,35,31,0.12)",
                line={"color": TARGET_COLOUR, "width": 1},
                name=_("目标区间"),
                meta="target_band",
                hoverinfo="name",
            )
        ]
    level = row.assessment.target_value if row.assessment.target_value is not None else target.headline
    if level is None or target.kind == TargetKind.GROWTH and indicator.aggregation != "growth":
        return []
    return [
        _scatter(
            x=[x0, x1],
            y=[_f(level)] * 2,
            mode="lines",
            name=_("目标值"),
            line={"color": TARGET_COLOUR, "width": 1.5},
            meta="target",
        )
    ]


def _target_year_marker(row) -> dict:
    target_year = row.indicator.target_year or row.indicator.plan.end_year
    if target_year is None:
        return {}
    shape = {
        "type": "line", "xref": "x", "yref": "paper", "x0": target_year, "x1": target_year, "y0": 0, "y1": 1,
        "line": {"color": TARGET_COLOUR, "width": 1, "dash": "dashdot"},
    }  # fmt: skip
    note = {
        "x": target_year, "y": 1, "xref": "x", "yref": "paper", "text": _("目标年"), "showarrow": False,
        "yanchor": "top", "xanchor": "right", "bgcolor": "rgba(255,255,255,0.8)",
        "font": {"color": TARGET_COLOUR, "size": 11},
    }  # fmt: skip
    return {"shapes": [shape], "annotations": [note]}


def indicator_figure(row) -> dict:
    """One indicator: the series, its preliminary values, the planned path, the projection and the target."""
    indicator = row.indicator
    plotted = _plotted_values(row)
    traces = [*_target_traces(row, plotted), *_path_trace(row), *_series_traces(row, plotted),
              *_projection_trace(row)]  # fmt: skip
    layout = _layout(
        f"{indicator.number}. {indicator.name}", indicator.unit, height=340, **_target_year_marker(row)
    )
    if indicator.is_rank:
        layout["yaxis"]["autorange"] = "reversed"  # first place on top
    return {"data": traces, "layout": layout}


# ---------------------------------------------------------------------------- heatmap


def _discrete_scale() -> list[list]:
    """One flat colour per verdict: the scale steps at the verdicts' indexes."""
    n, scale = len(Verdict), []
    for i, verdict in enumerate(Verdict):
        colour = VERDICT_COLOURS[verdict]
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def _cell_hover(row, assessment: Assessment) -> str:
    """The full name (a label may be abbreviated), the year's verdict and the value."""
    value = number_text(assessment.value) or "—"
    mark = f" {_('初步')}" if assessment.value_year in row.preliminary_years else ""
    verdict = _("%(year)s：%(verdict)s") % {"year": assessment.year, "verdict": translated_label(assessment.verdict)}
    number = _("数值：%(value)s") % {"value": value}
    name = plot_lines(f"{row.indicator.number}. {row.indicator.name}", 2 * TITLE_WIDTH)
    return f"{name}<br>{plot_text(verdict)}<br>{plot_text(number)}{mark}"


def heatmap_label(row) -> str:
    """The row label: number and name in at most two short lines, abbreviated with … (the hover has it all)."""
    return plot_lines(f"{row.indicator.number}. {row.indicator.name}", LABEL_WIDTH, LABEL_LINES)


def heatmap_min_width(years: Sequence[int]) -> int:
    """Pixels the heatmap needs to keep its cells readable; a narrower screen scrolls it in its card."""
    return HEATMAP_LABELS_PX + HEATMAP_COLUMN_PX * max(len(years), 1)


def heatmap_figure(
    rows: Sequence, matrix: Mapping[int, Mapping[int, Assessment]], years: Sequence[int]
) -> dict:
    """Verdicts, indicators × years, in the badge colours, each cell labelled and hoverable."""
    index = {verdict: i for i, verdict in enumerate(Verdict)}
    z, text, hover = [], [], []
    for row in rows:
        cells = [matrix[row.indicator.pk][year] for year in years]
        z.append([index[cell.verdict] for cell in cells])
        text.append([translated_label(cell.verdict) for cell in cells])
        hover.append([_cell_hover(row, cell) for cell in cells])
    labels = [heatmap_label(row) for row in rows]
    heatmap = dict(
        type="heatmap", z=z, x=list(years), y=labels, text=text, customdata=hover, texttemplate="%{text}",
        hovertemplate="%{customdata}<extra></extra>", colorscale=_discrete_scale(), zmin=-0.5,
        zmax=len(Verdict) - 0.5, xgap=2, ygap=2, showscale=False, meta="heatmap", textfont={"size": 10},
    )  # fmt: skip
    height = 110 + 36 * max(len(rows), 1)
    layout = _layout(
        _("评价热力图（指标 × 年份）"), "", height=height, margin={"l": HEATMAP_LABELS_PX, "r": 10, "t": 50, "b": 40}
    )
    layout["yaxis"].update(autorange="reversed", title={"text": ""}, automargin=True, tickfont={"size": 11})
    layout["xaxis"].update(side="top", title={"text": ""})
    return {"data": [heatmap], "layout": layout}


# ---------------------------------------------------------------------------- concept


def concept_figure(rows: Sequence, title: str, unit: str = "") -> dict:
    """One measure across plans: each plan's series and its path to the target, in one colour per plan."""
    traces = []
    for i, row in enumerate(rows):
        colour = PALETTE[i % len(PALETTE)]
        plan = plot_text(row.indicator.plan.display_name)
        plotted = _plotted_values(row)
        traces.append(
            _scatter(
                x=list(plotted),
                y=[_f(v) for v in plotted.values()],
                mode="lines+markers",
                name=plan,
                legendgroup=plan,
                line={"color": colour, "width": 2},
                meta="series",
            )
        )
        points = _path_points(row)
        if points:
            (x0, y0), (x1, y1) = points
            traces.append(
                _scatter(
                    x=[x0, x1],
                    y=[_f(y0), _f(y1)],
                    mode="lines+markers",
                    name=_("%(plan)s 规划路径") % {"plan": plan},
                    legendgroup=plan,
                    line={"color": colour, "dash": "dash", "width": 1.5},
                    marker={"size": [5, 11], "symbol": ["circle", "star"]},
                    meta="path",
                )
            )
    return {"data": traces, "layout": _layout(title, unit, height=420)}
