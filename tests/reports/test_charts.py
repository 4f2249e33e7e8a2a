"""Figures are pure functions of rows: built here from unsaved objects, no database."""

import html
import re
from decimal import Decimal

import plotly.graph_objects as go
import pytest

from indicators.models import Indicator
from plans.models import Plan
from reports import charts
from reports.assessment import Verdict, assess
from reports.charts import FONT, VERDICT_COLOURS, figure_data
from reports.selectors import IndicatorRow, indicator_input

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

D = Decimal


# The charts are plain dicts for speed; plotly's own Figure validates them here, as plotly.js would read them.
def indicator_figure(row):
    return go.Figure(charts.indicator_figure(row))


def heatmap_figure(rows, matrix, years):
    return go.Figure(charts.heatmap_figure(rows, matrix, years))


def concept_figure(rows, title, unit):
    return go.Figure(charts.concept_figure(rows, title, unit))


def make_row(values, *, preliminary=(), year=2023, pk=1, plan=None, **fields):
    plan = plan or Plan(code="p", title="测试规划", start_year=2021, end_year=2025, base_year=2020)
    attrs = {
        "name": "研发投入强度",
        "unit": "%",
        "baseline_year": 2020,
        "baseline_value": D("2.1"),
        "target_year": 2025,
        "target_kind": "at_least",
        "target_value": D("2.5"),
        "target_text": "达到2.5%",
    } | fields
    indicator = Indicator(pk=pk, plan=plan, number=pk, **attrs)
    values = {y: D(v) for y, v in values.items()}
    return IndicatorRow(
        indicator, values, frozenset(preliminary), assess(indicator_input(indicator, values), year)
    )


def traces(fig, meta):
    return [t for t in fig.data if t.meta == meta]


def test_it_draws_the_approved_series_path_projection_and_target():
    fig = indicator_figure(make_row({2021: "2.15", 2022: "2.2"}))
    (series,) = traces(fig, "series")
    assert list(series.x) == [2021, 2022] and list(series.y) == [2.15, 2.2]
    assert series.mode == "lines+markers"
    (path,) = traces(fig, "path")
    assert list(path.x) == [2020, 2025] and list(path.y) == [2.1, 2.5] and path.line.dash == "dash"
    (projection,) = traces(fig, "projection")
    assert list(projection.x) == [2022, 2025] and projection.line.dash == "dot"
    (target,) = traces(fig, "target")
    assert set(target.y) == {2.5}
    assert fig.layout.shapes[0].x0 == 2025  # the target year marked
    assert fig.layout.font.family == FONT
    assert fig.layout.paper_bgcolor == "#ffffff"
    assert not traces(fig, "preliminary")


def test_it_marks_preliminary_values_as_hollow_points_labelled():
    fig = indicator_figure(make_row({2021: "2.15", 2022: "2.2", 2023: "2.3"}, preliminary={2023}))
    (series,) = traces(fig, "series")
    assert list(series.x) == [2021, 2022]
    (preliminary,) = traces(fig, "preliminary")
    assert list(preliminary.x) == [2023]
    assert preliminary.marker.symbol == "circle-open"
    assert list(preliminary.text) == ["初步"]


def test_it_draws_a_band_for_range_targets():
    row = make_row(
        {2021: "20"},
        unit="个",
        target_kind="range",
        target_value=None,
        target_low=D("25"),
        target_high=D("30"),
        target_text="25－30个",
        baseline_value=D("18"),
    )
    fig = indicator_figure(row)
    (band,) = traces(fig, "target_band")
    assert band.fill == "toself"
    assert min(band.y) == 25 and max(band.y) == 30
    assert not traces(fig, "target")


def test_it_draws_cumulative_targets_as_running_totals_from_zero():
    row = make_row(
        {2021: "12", 2022: "9", 2023: "11"},
        unit="项",
        target_kind="cumulative",
        target_value=D("50"),
        baseline_year=None,
        baseline_value=None,
        target_text="累计50项",
    )
    fig = indicator_figure(row)
    (series,) = traces(fig, "series")
    assert list(series.y) == [12, 21, 32]
    (path,) = traces(fig, "path")
    assert list(path.x) == [2020, 2025] and list(path.y) == [0, 50]


def test_it_reverses_the_axis_for_ranks():
    row = make_row({2021: "17"}, unit="位", target_kind="rank", target_value=D("15"), baseline_value=D("18"))
    assert indicator_figure(row).layout.yaxis.autorange == "reversed"


def test_it_survives_indicators_without_numbers():
    row = make_row(
        {}, target_kind="qualitative", target_value=None, target_text="显著提升", baseline_value=None
    )
    fig = indicator_figure(row)
    assert row.assessment.verdict == Verdict.NOT_ASSESSABLE
    assert not traces(fig, "path") and not traces(fig, "target")
    assert figure_data(charts.indicator_figure(row))["data"]


def test_it_colours_the_heatmap_by_verdict_with_labels():
    rows = [make_row({2021: "2.15", 2022: "2.2"}, pk=1), make_row({2021: "2.6"}, pk=2)]
    years = [2021, 2022]
    matrix = {
        row.indicator.pk: {y: assess(indicator_input(row.indicator, row.values), y) for y in years}
        for row in rows
    }
    fig = heatmap_figure(rows, matrix, years)
    (heatmap,) = traces(fig, "heatmap")
    order = list(Verdict)
    assert [[order[z] for z in line] for line in heatmap.z] == [
        [matrix[1][2021].verdict, matrix[1][2022].verdict],
        [Verdict.ACHIEVED, Verdict.ACHIEVED],
    ]
    assert heatmap.text[1][0] == "已完成"
    assert "已完成" in heatmap.customdata[1][0]
    colours = [c for _, c in heatmap.colorscale]
    assert VERDICT_COLOURS[Verdict.ACHIEVED] in colours and VERDICT_COLOURS[Verdict.BEHIND] in colours
    assert fig.layout.yaxis.autorange == "reversed"


def test_it_puts_every_plan_of_a_concept_in_one_chart():
    tianjin = Plan(
        code="tj", title="天津市科技创新十三五规划", short_name="天津十三五", start_year=2016, end_year=2020
    )
    jizhou = Plan(
        code="jz", title="蓟州区科技创新十四五规划", short_name="蓟州十四五", start_year=2021, end_year=2025
    )
    rows = [
        make_row(
            {2016: "3.0", 2017: "3.1"},
            plan=tianjin,
            pk=1,
            baseline_year=2015,
            baseline_value=D("2.9"),
            target_year=2020,
            target_value=D("3.5"),
            year=2017,
        ),
        make_row({2021: "1.2"}, plan=jizhou, pk=2, baseline_value=D("1.0"), target_value=D("2.0"), year=2021),
    ]
    fig = concept_figure(rows, "研发投入强度", "%")
    assert [t.name for t in traces(fig, "series")] == ["天津十三五", "蓟州十四五"]
    paths = traces(fig, "path")
    assert [list(p.x) for p in paths] == [[2015, 2020], [2020, 2025]]
    assert fig.layout.title.text == "研发投入强度"


def test_it_never_turns_an_indicator_name_into_a_live_link():
    """Issue 14 §8: plotly renders a subset of HTML; a name holding a link is shown as text."""
    name = '<a href="https://evil.example/">点击</a>指标'
    row = make_row({2021: "2.2"}, name=name, unit="<b>%</b>")
    fig = charts.indicator_figure(row)
    assert "<a" not in fig["layout"]["title"]["text"]
    assert fig["layout"]["title"]["text"].replace("<br>", "") == '1. &lt;a href="https://evil.example/"&gt;点击&lt;/a&gt;指标'
    assert fig["layout"]["yaxis"]["title"]["text"] == "&lt;b&gt;%&lt;/b&gt;"
    years = [2021, 2022]
    matrix = {row.indicator.pk: {y: row.assessment for y in years}}
    heat = charts.heatmap_figure([row], matrix, years)
    text = str(heat["data"][0]["y"]) + str(heat["data"][0]["customdata"])
    assert "<a" not in text and "&lt;a" in text
    concept = charts.concept_figure([row], name, "%")
    assert "<a" not in concept["layout"]["title"]["text"]


@pytest.mark.django_db
def test_the_dashboard_page_shows_a_linking_indicator_name_as_text(client):
    """Issue 14 §8 end to end: the figure the page hands to plotly.js carries the name escaped, and
    nothing on the page is a link to it."""
    import json
    import re

    from projects.choices import State
    from projects.models import IndicatorValue

    plan = Plan.objects.create(code="p-link", title="测试规划", start_year=2021, end_year=2025, base_year=2020)
    indicator = Indicator.objects.create(
        plan=plan, number=1, name='<a href="https://evil.example/">点击</a>指标', unit="%",
        baseline_year=2020, baseline_value=D("1"), target_year=2025, target_kind="at_least", target_value=D("2"),
    )  # fmt: skip
    IndicatorValue.objects.create(indicator=indicator, year=2023, value=D("1.5"), state=State.APPROVED)
    page = client.get(f"/reports/plans/{plan.code}/?year=2023").content.decode()
    assert "evil.example" in page  # the name is there, as text
    assert '<a href="https://evil.example/"' not in page
    data_id = f"chart-indicator-{indicator.pk}-data"
    script = re.search(rf'<script id="{data_id}" type="application/json">(.*?)</script>', page)
    figure = json.loads(script.group(1))
    # a long title is wrapped in lines (<br>), each line escaped on its own
    assert figure["layout"]["title"]["text"].replace("<br>", "") == '1. &lt;a href="https://evil.example/"&gt;点击&lt;/a&gt;指标'


def test_it_wraps_long_titles_and_abbreviates_heatmap_labels_with_the_full_name_on_hover():
    name = "全社会研究与试验发展经费（R&D）支出占地区生产总值比重"
    row = make_row({2021: "2.2"}, name=name)
    title = charts.indicator_figure(row)["layout"]["title"]
    lines = title["text"].split("<br>")
    assert len(lines) == 2 and all(charts.text_width(html.unescape(line)) <= charts.TITLE_WIDTH for line in lines)
    assert title["xanchor"] == "left"  # a long title is never cut at both sides
    matrix = {row.indicator.pk: {2021: row.assessment}}
    heat = charts.heatmap_figure([row], matrix, [2021])
    label = heat["data"][0]["y"][0]
    assert label.startswith("1. 全社会") and label.endswith("…") and label.count("<br>") == 1
    assert "R&amp;D" in label  # escaped for plotly
    assert "R&amp;D）支出占地区生产总值比重" in heat["data"][0]["customdata"][0][0].replace("<br>", "")
    assert heat["layout"]["yaxis"]["automargin"] is True


def test_it_keeps_the_year_axis_title_apart_from_the_legend():
    layout = charts.indicator_figure(make_row({2021: "2.2"}))["layout"]
    assert layout["xaxis"]["title"]["text"] == "年份"
    assert layout["legend"]["yref"] == "container" and layout["legend"]["yanchor"] == "bottom"
    assert layout["xaxis"]["automargin"] is True


def test_it_draws_the_heatmap_in_english_in_english():
    from django.utils import translation

    row = make_row({2021: "2.2"})
    with translation.override("en"):
        heat = charts.heatmap_figure([row], {row.indicator.pk: {2021: row.assessment}}, [2021])
    cell, hover = heat["data"][0]["text"][0][0], heat["data"][0]["customdata"][0][0]
    assert not CJK.search(cell), cell
    assert not CJK.search(hover.replace("研发投入强度", "")), hover
    assert heat["layout"]["title"]["text"].startswith("Rating heatmap")
