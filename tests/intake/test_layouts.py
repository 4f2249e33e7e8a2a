"""Layout generation: every real table (``grids``), rendered mechanically into every text layout
extraction gives (``layouts``), parses to the same indicators as the grid itself."""
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.parsing import parse_document, parse_text

from . import layouts as L
from .grids import ECOLOGY_13, GRIDS, JIZHOU, NATIONAL_14


def variants(grid):
    """The grid as other plans print the same table."""
    name = 1 if grid.header[0] in ("序号", "类别") else 0
    found = [grid, L.with_broken_header(grid, 2), L.with_unit_column(grid, name)]
    if grid.header[0] == "序号":
        found.append(L.without_number_label(grid))
    if grid.header[0] == "类别":
        found += [L.with_group_rows(grid), L.with_group_rows(grid, "numbered")]
    return found


VARIANTS = [v for grid in GRIDS for v in variants(grid)] + [
    L.with_sub_header(JIZHOU, L.Spanning(3, "2025年")),
    L.with_sub_header(NATIONAL_14, L.Spanning(3, "2025年", ("目标值", "年均/累计"))),
    L.with_group_rows(L.with_unit_column(NATIONAL_14, 1)),
    L.with_group_rows(NATIONAL_14, "bracketed"),
    *[L.with_group_labels(ECOLOGY_13, label) for label in ("numbered", "bracketed")],
    # group rows that a parser glued onto the next name when the rows carry no number
    *[L.without_row_numbers(L.with_group_labels(ECOLOGY_13, label)) for label in L.GROUP_LABELS],
    *[L.without_row_numbers(L.with_group_rows(NATIONAL_14, label)) for label in L.GROUP_LABELS],
    # decimals printed with a full stop, a full-width point, a space before the point
    *[L.with_decimal_mark(grid, mark) for grid in (ECOLOGY_13, NATIONAL_14) for mark in ("。", "．", " .")],
    # the 类别 column's names labelled 一、… / （一）… (read as the group's name)
    *[L.with_category_labels(NATIONAL_14, label) for label in ("numbered", "bracketed")],
    # numbered topics (1．空气质量) over unnumbered rows, under group rows
    L.with_topics(ECOLOGY_13, {1: "1．空气质量", 3: "2．水环境质量", 5: "3．土壤环境质量", 7: "4。污染物减排",
                               11: "5.生态保护"}),
    # a 责任单位 / 牵头单位 / 责任部门 column after the attribute
    L.with_responsible_column(JIZHOU), L.with_responsible_column(NATIONAL_14, "牵头单位"),
    L.with_responsible_column(ECOLOGY_13, "责任部门"), L.with_responsible_column(L.with_group_rows(NATIONAL_14)),
]


def key(indicator):
    target = indicator.target
    return (
        indicator.number, indicator.name, indicator.unit, indicator.category, indicator.attribute,
        indicator.direction, indicator.aggregation, indicator.baseline_year, indicator.baseline_value,
        indicator.baseline_text, indicator.target_year, target.kind, target.value, target.low,
        target.high, target.text, indicator.flags, indicator.responsible,
    )


def expected(grid):
    return [key(indicator) for indicator in parse_document(L.document(grid)).indicators]


def check(grid, text):
    plan = parse_text(text)
    assert plan.title == L.TITLE
    assert [(s.label, s.title) for s in plan.sections] == [("一、", "发展目标"), ("二、", "重点任务")]
    assert plan.sections[1].body == "加快建设创新型城市。"
    assert [key(indicator) for indicator in plan.indicators] == expected(grid)


def test_it_reads_the_grids_themselves_without_a_flag():
    for grid in VARIANTS:
        indicators = parse_document(L.document(grid)).indicators
        assert len(indicators) == len([row for row in grid.rows if len(row) > 1]), grid.name
        assert [i.number for i in indicators] == list(range(1, len(indicators) + 1)), grid.name
        assert all(not i.flags for i in indicators), grid.name


@pytest.mark.parametrize("mark", ["。", "．", " ."])
def test_it_reads_a_decimal_printed_with_another_mark_as_the_number(mark):
    clean = parse_document(L.document(ECOLOGY_13)).indicators
    marked = parse_document(L.document(L.with_decimal_mark(ECOLOGY_13, mark))).indicators
    assert [key(i) for i in marked] == [key(i) for i in clean]
    assert marked[0].baseline_value == Decimal("76.7") and marked[0].baseline_text == "76.7"


def test_it_keeps_an_unnumbered_group_row_out_of_the_next_name():
    grid = L.without_row_numbers(ECOLOGY_13)
    for layout in ("cells", "flat", "tabs", "spaced"):
        first = parse_text(L.in_plan(L.LAYOUTS[layout](grid))).indicators[0]
        assert (first.name, first.category) == ("地级及以上城市空气质量优良天数比率", "生态环境质量"), layout


def test_it_reads_the_responsible_unit_column_into_each_indicator():
    for header in ("责任单位", "牵头单位", "责任部门"):
        grid = L.with_responsible_column(JIZHOU, header)
        for layout in ("tabs", "cells", "flat", "spaced"):
            indicators = parse_text(L.in_plan(L.LAYOUTS[layout](grid))).indicators
            assert [i.responsible for i in indicators[:3]] == list(L.RESPONSIBLE[:3]), (header, layout)
            assert indicators[2].name == "每万人口有效发明专利拥有量"


def test_it_reads_every_variant_of_a_table_as_the_same_indicators():
    for grid in GRIDS:
        base = [key(i)[:9] + key(i)[10:] for i in parse_document(L.document(grid)).indicators]
        for variant in variants(grid):
            got = [key(i)[:9] + key(i)[10:] for i in parse_document(L.document(variant)).indicators]
            assert got == base, variant.name


@pytest.mark.parametrize("grid", VARIANTS, ids=lambda grid: grid.name)
def test_it_reads_a_grid_with_merged_cells_repeated_as_a_docx_reader_gives_it(grid):
    got = [key(indicator) for indicator in parse_document(L.document(grid, merged=True)).indicators]
    assert got == expected(grid)


@pytest.mark.parametrize("layout", sorted(L.LAYOUTS))
@pytest.mark.parametrize("grid", VARIANTS, ids=lambda grid: grid.name)
def test_it_reads_each_layout_of_a_real_table(grid, layout):
    check(grid, L.in_plan(L.LAYOUTS[layout](grid)))


STYLES = st.builds(
    L.Style,
    indent=st.sampled_from(["", "\t"]),
    row_gap=st.integers(0, 2),
    cell_gap=st.integers(0, 1),
    spaces=st.integers(2, 6),
    ideographic=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n"]),
    wrap=st.sampled_from([0, 0, 8, 12, 16]),
    glued=st.booleans(),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid=st.sampled_from(VARIANTS), layout=st.sampled_from(sorted(L.LAYOUTS)), style=STYLES)
def test_it_reads_any_rendering_of_a_real_table(grid, layout, style):
    check(grid, L.in_plan(L.LAYOUTS[layout](grid, style), style))
