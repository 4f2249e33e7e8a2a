"""Stored assessments: used while current, recomputed when anything they were computed from changed."""

import json
import re
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation

from indicators.targets import parse_target
from plans.models import Plan
from reports.assessment import IndicatorInput, Verdict, assess
from reports.labels import explanation_text
from reports.models import StoredAssessment
from reports.selectors import plan_report, plan_reports
from reports.services import assessments_refresh
from reports.stored import assessment_data, assessment_from_data
from reports.summaries import plan_summaries, verdict_counts

from . import factories as f

pytestmark = pytest.mark.django_db
D = Decimal


def _inputs():
    """One input per branch of the assessment: level, lower-is-better, growth, cumulative, rank, text."""
    values = {2021: D("2.2"), 2022: D("2.3"), 2023: D("2.1")}
    yield IndicatorInput(parse_target("达到3.5%"), 2025, 2020, D("2.1"), values=values, unit="%")
    yield IndicatorInput(parse_target("降低到1.5"), 2025, 2020, D("2.1"), direction="down", values=values)
    yield IndicatorInput(parse_target("年均增长20%以上"), 2025, 2020, D("100"), values={2022: D("150")})
    yield IndicatorInput(parse_target("累计引进1000名以上"), 2025, None, None, aggregation="cumulative",
                         start_year=2021, values={2021: D("180"), 2022: D("250")})
    yield IndicatorInput(parse_target("保持第三位"), 2025, 2020, D("4"), values={2022: D("3")})
    yield IndicatorInput(parse_target("显著提升"), 2025, values=values)
    yield IndicatorInput(parse_target("达到3.5%"), 2025, 2020, D("2.1"), attribute="binding", values={})


@pytest.mark.parametrize("inputs", list(_inputs()))
@pytest.mark.parametrize("year", [2021, 2023, 2025])
def test_it_stores_every_field_of_an_assessment_exactly(inputs, year):
    assessment = assess(inputs, year)
    data = json.loads(json.dumps(assessment_data(assessment)))  # as the JSON column gives it back
    assert assessment_from_data(data) == assessment


def _plan_with_values():
    plan = f.plan("stored", start=2021, end=2025, base=2020)
    first = f.indicator(plan, 1, baseline="2.0", target="3.0")
    second = f.indicator(plan, 2, baseline="10", target="20", attribute="binding", target_year=None)
    f.value(first, 2021, "2.2")
    f.value(first, 2022, "2.4")
    f.value(second, 2021, "9", is_demo=True)
    f.value(second, 2022, "11", state="submitted")
    return plan, first, second


def _report(plan, year=None):
    [report] = plan_reports([plan], year)
    return report


def _refreshed_report(plan, year=None):
    """The report after the refresh every write of values runs (``values_written``)."""
    assessments_refresh(plans=Plan.objects.filter(pk=plan.pk))
    return _report(plan, year)


def test_readers_never_store():
    plan, *_ = _plan_with_values()
    _report(plan, 2022)
    plan_summaries([plan], 2022)
    verdict_counts(Plan.objects.all(), 2022)
    assert not StoredAssessment.objects.exists()


def test_it_stores_what_the_reader_assesses_and_the_reader_uses_it():
    plan, first, second = _plan_with_values()
    report = _report(plan, 2022)
    assert assessments_refresh(plans=Plan.objects.filter(pk=plan.pk)) == 2 * 5  # two indicators × 2021–2025
    stored = StoredAssessment.objects.get(indicator=first, year=2022)
    first.refresh_from_db()
    assert stored.verdict == report.rows[0].assessment.verdict.value
    assert stored.indicator_stamp == first.change_stamp and stored.plan_stamp == plan.change_stamp
    assert stored.reported and not stored.demo
    assert StoredAssessment.objects.get(indicator=second, year=2022).demo

    # Proof that a current row is read, not recomputed: a row changed behind the store's back is believed.
    StoredAssessment.objects.filter(indicator=first, year=2022).update(
        assessment={**stored.assessment, "verdict": "ahead"}
    )
    assert _report(plan, 2022).rows[0].assessment.verdict is Verdict.AHEAD


def test_it_recomputes_after_a_value_changes():
    plan, first, _second = _plan_with_values()
    assert _refreshed_report(plan, 2022).rows[0].assessment.value == D("2.4")
    f.value(first, 2023, "3.1")  # marks the indicator changed, as the services do
    assert _report(plan, 2023).rows[0].assessment.verdict is Verdict.ACHIEVED  # live: the row is outdated
    report = _refreshed_report(plan, 2023)
    assert report.rows[0].assessment.verdict is Verdict.ACHIEVED
    first.refresh_from_db()
    assert StoredAssessment.objects.get(indicator=first, year=2023).indicator_stamp == first.change_stamp


def _admin_save(obj, rf, user):
    """Save `obj` as its admin page does (the admin renews its change stamp)."""
    from django.contrib import admin

    request = rf.post("/")
    request.user = user
    admin.site._registry[type(obj)].save_model(request, obj, form=None, change=True)


def test_it_recomputes_after_the_indicator_or_the_plan_is_edited(rf, admin_user):
    plan, first, _second = _plan_with_values()
    before = _refreshed_report(plan, 2022).rows[0].assessment
    first.target_value, first.target_text = D("2.4"), "达到2.4"
    _admin_save(first, rf, admin_user)
    assert _report(plan, 2022).rows[0].assessment.verdict is Verdict.ACHIEVED

    plan.refresh_from_db()
    time_share = _refreshed_report(plan, 2022).rows[1].assessment.time_share
    plan.end_year = 2030
    _admin_save(plan, rf, admin_user)
    second_row = _report(plan, 2022).rows[1].assessment
    assert second_row.time_share != time_share
    assert before.verdict is not Verdict.ACHIEVED


def test_it_recomputes_when_the_tolerance_changes():
    plan, first, _second = _plan_with_values()
    assert _refreshed_report(plan, 2022).rows[0].assessment.verdict is Verdict.ON_TRACK
    stored = StoredAssessment.objects.filter(indicator=first, year=2022)
    stored.update(assessment={**stored.get().assessment, "verdict": "ahead"})  # believed at 5 points …
    assert _report(plan, 2022).rows[0].assessment.verdict is Verdict.AHEAD
    with override_settings(GUIHUA_TOLERANCE="0.5"):  # … but not at another tolerance
        assert _report(plan, 2022).rows[0].assessment.verdict is Verdict.ON_TRACK
        assert set(StoredAssessment.objects.values_list("tolerance", flat=True)) == {D("0.05")}  # read only
        assessments_refresh()
    assert set(StoredAssessment.objects.values_list("tolerance", flat=True)) == {D("0.5")}


def test_it_never_stores_preliminary_assessments():
    plan, *_ = _plan_with_values()
    list(plan_reports([plan], 2022, include_unapproved=True))
    assert not StoredAssessment.objects.exists()


def _varied_plans():
    """Plans whose indicators hit every verdict, with and without data, one without a period."""
    plans = []
    for n, (start, end) in enumerate([(2021, 2025), (2016, 2020), (2021, 2025)]):
        plan = f.plan(f"varied-{n}", start=start, end=end, base=start - 1)
        targets = [("2.0", "3.0", "at_least"), ("5", "2", "at_most"), ("10", "20", "at_least"), (None, "30", "at_least")]
        for number, (baseline, target, kind) in enumerate(targets, start=1):
            ind = f.indicator(plan, number, baseline=baseline, target=target, kind=kind,
                              attribute="binding" if number == 3 else "expected")
            for offset, amount in enumerate(["2.1", "4.9", "9", "31"][number - 1 :][:2] if n != 2 else []):
                f.value(ind, start + offset, amount, is_demo=number == 2)
        plans.append(plan)
    undated = f.plan("varied-undated", start=None, end=None, base=None)
    f.indicator(undated, 1, baseline=None, target="5", target_year=2030)
    plans.append(undated)
    return plans


@pytest.mark.parametrize("year", [None, 2021, 2022, 2025])
def test_it_summarises_exactly_what_the_live_report_says(year):
    plans = _varied_plans()
    for refresh in (False, True):  # cold (assessed live), then warm (reads the stored rows)
        if refresh:
            assessments_refresh()
        summaries = plan_summaries(plans, year)
        for plan, summary in zip(plans, summaries, strict=True):
            live = plan_report(plan, year)
            assert (summary.plan, summary.year, summary.counts, summary.total) == (plan, live.year, live.counts, len(live.rows))
            assert (summary.warnings, summary.completeness, summary.has_demo) == (
                live.warnings, live.completeness, live.has_demo
            )


def test_it_counts_verdicts_in_a_constant_number_of_queries(django_assert_num_queries):
    from plans.models import Plan

    for n in range(6):
        f.plan_with_data(f"many-{n}", 3, [2021, 2022])
    assessments_refresh()
    f.plan("no-indicators")
    with django_assert_num_queries(2):  # the GROUP BY (nothing stale), the plans' ids
        counts = verdict_counts(Plan.objects.all(), 2022)
    assert sum(sum(c.values()) for c in counts.values()) == 18
    assert len(counts) == 7 and counts[Plan.objects.get(code="no-indicators").pk] == {v.value: 0 for v in Verdict}


def test_it_writes_the_same_rows_twice_without_conflict():
    plan, _first, _second = _plan_with_values()
    assert assessments_refresh(years=[2022]) == 2
    assert assessments_refresh(years=[2022]) == 0  # current: nothing to do
    assert assessments_refresh(years=[2022], force=True) == 2  # written over, no conflict
    assert StoredAssessment.objects.filter(year=2022).count() == 2
    assert _report(plan, 2022).counts == plan_report(plan, 2022).counts


def test_the_refresh_of_some_indicators_leaves_the_others_alone():
    plan, first, second = _plan_with_values()
    assert assessments_refresh(indicator_ids={first.pk}, years=[2021, 2022]) == 2
    assert set(StoredAssessment.objects.values_list("indicator_id", "year")) == {(first.pk, 2021), (first.pk, 2022)}


def test_values_written_refreshes_the_indicators_it_names():
    from projects.signals import values_written

    plan, first, second = _plan_with_values()
    values_written.send(sender=None, indicator_ids={second.pk})
    assert set(StoredAssessment.objects.values_list("indicator_id", flat=True)) == {second.pk}
    assert StoredAssessment.objects.filter(indicator=second).count() == 5  # each year of 2021–2025


CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def assess_row(indicator, year):
    [report] = plan_reports([indicator.plan], year)
    return next(row.assessment for row in report.rows if row.indicator.pk == indicator.pk)


def test_it_keeps_the_explanation_parts_and_shows_them_in_the_visitors_language():
    plan, first, _second = _plan_with_values()
    assessments_refresh(plans=Plan.objects.filter(pk=plan.pk))
    stored = StoredAssessment.objects.get(indicator=first, year=2022)
    live = assess_row(first, 2022)
    assert stored.assessment["explanation_parts"] == live.explanation_parts
    assessment = assessment_from_data(stored.assessment)
    assert explanation_text(assessment) == assessment.explanation == live.explanation  # Chinese unchanged
    with translation.override("en"):
        english = explanation_text(assessment)
    assert english.startswith("2022: 2.4%, time elapsed 40%, completion 40%") and not CJK.search(english)


def test_it_shows_the_stored_chinese_text_of_a_row_stored_before_explanations_had_parts():
    plan, first, _second = _plan_with_values()
    assessments_refresh(plans=Plan.objects.filter(pk=plan.pk))
    stored = StoredAssessment.objects.get(indicator=first, year=2022)
    old = {key: value for key, value in stored.assessment.items() if key != "explanation_parts"}
    StoredAssessment.objects.filter(pk=stored.pk).update(assessment={**old, "explanation": "2022年：旧的说明"})
    [summary_row] = [row for row in _report(plan, 2022).rows if row.indicator.pk == first.pk]
    with translation.override("en"):
        assert explanation_text(summary_row.assessment) == "2022年：旧的说明"
