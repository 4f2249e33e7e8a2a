"""Demo monitoring data: plausible, marked as demo, idempotent, and never touching real values."""
from decimal import Decimal

import pytest
from django.core.management import call_command, get_commands

from indicators.models import Indicator
from plans.models import Plan
from projects.choices import State
from projects.demo import DEMO_YEARS, LIVE_PLAN, load_demo_values
from projects.models import IndicatorValue, ProjectProgress, ReportingYear

from .factories import make_indicator, make_organization, make_plan, make_project, make_user, make_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds(db):
    """The seed plans when their loader exists, else a tiny Jizhou plan built here; and the reviewer."""
    if "load_seed_plans" in get_commands():
        call_command("load_seed_plans", user="system:seed", stdout=_Null(), stderr=_Null())
    else:
        plan = make_plan(LIVE_PLAN, 2021, 2025)
        org = make_organization("蓟州区科技局")
        for number in range(1, 11):
            make_indicator(plan, org, number, unit="家", baseline_value=Decimal(40 + number), target_value=Decimal(90))
        make_project(plan, org, "科技园")
    return make_user("reviewer"), make_user("official")


class _Null:
    def write(self, *args):
        pass

    def flush(self):
        pass


def _demo_rows():
    return sorted(IndicatorValue.objects.values_list("indicator_id", "year", "value", "state", "is_demo"))


def test_it_marks_every_row_as_demo_and_covers_the_seed_plans(seeds):
    summary = load_demo_values()
    assert summary.values > 0 and LIVE_PLAN in summary.plans
    assert not IndicatorValue.objects.filter(is_demo=False).exists()
    jizhou = Plan.objects.get(code=LIVE_PLAN)
    years = set(IndicatorValue.objects.filter(indicator__plan=jizhou).values_list("year", flat=True))
    assert years == set(DEMO_YEARS[LIVE_PLAN])
    assert ProjectProgress.objects.filter(is_demo=True).exists()
    assert not ProjectProgress.objects.filter(is_demo=False).exists()


def test_it_is_idempotent(seeds):
    load_demo_values()
    first, history = _demo_rows(), IndicatorValue.history.count()
    progress = ProjectProgress.objects.count()
    call_command("load_demo_values", user="system:demo", stdout=_Null())
    assert _demo_rows() == first
    assert IndicatorValue.history.count() == history  # no pile of history from re-runs
    assert ProjectProgress.objects.count() == progress


def test_it_never_touches_real_values(seeds):
    indicator = Indicator.objects.filter(plan__code=LIVE_PLAN).order_by("number").first()
    real = make_value(indicator, 2022, "9.99", State.APPROVED, note="真实填报")
    load_demo_values()
    load_demo_values()
    real.refresh_from_db()
    assert (real.value, real.is_demo, real.note) == (Decimal("9.99"), False, "真实填报")
    assert IndicatorValue.objects.filter(indicator=indicator, year=2022).count() == 1


def test_it_leaves_locked_years_alone(seeds):
    load_demo_values()
    jizhou = Plan.objects.get(code=LIVE_PLAN)
    before = list(IndicatorValue.objects.filter(indicator__plan=jizhou, year=2021).values_list("pk", flat=True))
    ReportingYear.objects.create(plan=jizhou, year=2021, is_locked=True)
    load_demo_values()
    after = list(IndicatorValue.objects.filter(indicator__plan=jizhou, year=2021).values_list("pk", flat=True))
    assert after == before


def test_past_years_are_approved_by_the_reviewer_and_the_latest_year_is_in_review(seeds):
    reviewer, official = seeds
    load_demo_values()
    values = IndicatorValue.objects.filter(indicator__plan__code=LIVE_PLAN)
    latest = DEMO_YEARS[LIVE_PLAN][-1]
    past = values.exclude(year=latest)
    assert set(past.values_list("state", flat=True)) == {State.APPROVED}
    assert set(past.values_list("reviewed_by", flat=True)) == {reviewer.pk}
    latest_states = set(values.filter(year=latest).values_list("state", flat=True))
    assert {State.SUBMITTED, State.DRAFT} <= latest_states
    assert values.filter(state=State.SUBMITTED, submitted_by=official).exists()


def test_values_move_at_different_paces(seeds):
    load_demo_values()
    latest = DEMO_YEARS[LIVE_PLAN][-1]
    moves = []
    for indicator in Indicator.objects.filter(plan__code=LIVE_PLAN, baseline_value__isnull=False):
        value = IndicatorValue.objects.get(indicator=indicator, year=latest).value
        gap = indicator.target.headline - indicator.baseline_value
        moves.append((value - indicator.baseline_value) / gap)
    assert any(move < 0 for move in moves)  # one regressing
    assert any(move >= 1 for move in moves)  # one ahead, already there
    assert any(0 < move < 1 for move in moves)


def test_values_are_deterministic(seeds):
    load_demo_values()
    first = _demo_rows()
    IndicatorValue.objects.all().delete()
    load_demo_values()
    assert [row[1:] for row in _demo_rows()] == [row[1:] for row in first]
