"""Demo monitoring data (演示数据): plausible yearly values and project progress for the seed plans.

So that a new user sees a living system: Jizhou's 14th FYP 2021–2024 with indicators moving from
baseline toward target at different paces (some ahead, most on track, one behind, one
regressing) and the latest year still partly in review; Tianjin's 13th FYP 2016–2020 and
Jiangsu's action plan 2016–2020 (cumulative targets as yearly increments), all approved.

Deterministic (no randomness), every row marked ``is_demo``; loaded only by the run command
(``load_demo_values``), never by migrations. Re-running replaces demo rows only: a value or
progress record someone entered for real is never touched, and locked years are left alone.
The demo personas (official, reviewer) are who entered and reviewed the demo rows; the history
records name the actor who loaded them (``load_demo_values --user``), which is what happened.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from indicators.services import indicators_changed
from indicators.targets import TargetKind
from plans.models import Plan

from .choices import ProgressStatus, State, Vintage
from .models import IndicatorValue, Project, ProjectProgress, ReportingYear

DEMO_YEARS = {
    "jizhou-14-sti": range(2021, 2025),
    "tianjin-13-sti": range(2016, 2021),
    "jiangsu-kjhm-2016": range(2016, 2021),
}
LIVE_PLAN = "jizhou-14-sti"  # the plan whose latest demo year is still being reported and reviewed
REASON = "演示数据"
SOURCE = "统计年报（演示数据）"

# Pace profiles by the indicator's 序号, so every plan gets a mix; Jizhou: 6 behind, 9 regressing.
PROFILES = (
    "on_track", "ahead", "on_track", "ahead", "on_track",
    "behind", "ahead", "on_track", "regressing", "on_track",
)
D = Decimal
PACE = {"ahead": D("1.35"), "on_track": D("1"), "behind": D("0.55")}  # completion per unit of elapsed time
CUMULATIVE_PACE = {"ahead": D("1.25"), "on_track": D("1"), "behind": D("0.65"), "regressing": D("0.4")}
GROWTH_MARGIN = {"ahead": D("4"), "on_track": D("0.6"), "behind": D("-5"), "regressing": D("-23")}  # vs. floor
# States of the live plan's latest year, by 序号: work waiting in the review queue.
LATEST_STATES = (
    State.SUBMITTED, State.SUBMITTED, State.APPROVED, State.SUBMITTED, State.DRAFT,
    State.RETURNED, State.SUBMITTED, State.DRAFT, State.SUBMITTED, State.APPROVED,
)
RETURN_REASON = "数值与区统计局公布口径不一致，请核实后重新提交。（演示数据）"
PROGRESS_PATTERNS = (
    ("in_progress", "in_progress", "in_progress", "completed", "completed"),
    ("not_started", "in_progress", "in_progress", "in_progress", "completed"),
    ("in_progress", "in_progress", "delayed", "delayed", "in_progress"),
    ("in_progress", "in_progress", "in_progress", "in_progress", "in_progress"),
)
NARRATIVES = {
    "not_started": "已完成前期论证，尚未开工。",
    "in_progress": "按计划推进，年度任务基本完成。",
    "completed": "已建成并通过验收，转入运营。",
    "delayed": "受用地和资金到位影响，进度滞后于计划。",
}


@dataclass
class DemoSummary:
    values: int = 0
    progress: int = 0
    removed: int = 0
    plans: tuple = ()


@dataclass
class _Actors:
    official: User | None
    reviewer: User | None


@transaction.atomic
def load_demo_values(actor: User | None = None) -> DemoSummary:
    """Replace all demo monitoring rows of the seed plans; returns what was written.

    `actor` (the command's --user) is the user of every history record written."""
    plans = list(Plan.objects.filter(code__in=DEMO_YEARS).order_by("code"))
    users = {user.username: user for user in User.objects.filter(username__in=["official", "reviewer"])}
    actors = _Actors(users.get("official"), users.get("reviewer"))
    summary = DemoSummary(plans=tuple(plan.code for plan in plans))
    for plan in plans:
        years = _open_years(plan)
        summary.removed += _remove_demo(plan, years)
        summary.values += _create(IndicatorValue, _plan_values(plan, years, actors), actor)
        summary.progress += _create(ProjectProgress, _plan_progress(plan, years, actors), actor)
        indicators_changed(plan.indicators.values_list("pk", flat=True))
    return summary


def _open_years(plan) -> list[int]:
    locked = set(ReportingYear.objects.filter(plan=plan, is_locked=True).values_list("year", flat=True))
    return [year for year in DEMO_YEARS[plan.code] if year not in locked]


def _remove_demo(plan, years: list[int]) -> int:
    """Delete the plan's demo rows (and their history) in the given years; real rows stay."""
    removed = 0
    scopes = ((IndicatorValue, {"indicator__plan": plan}), (ProjectProgress, {"project__plan": plan}))
    for model, scope in scopes:
        demo = model.objects.filter(is_demo=True, year__in=years, **scope)
        ids = list(demo.values_list("pk", flat=True))
        removed += model.objects.filter(pk__in=ids).delete()[0]
        model.history.filter(id__in=ids, is_demo=True).delete()
    return removed


def _create(model, records: list, actor) -> int:
    if records:
        bulk_create_with_history(
            records, model, batch_size=500, default_change_reason=REASON, default_user=actor
        )
    return len(records)


# Indicator values -----------------------------------------------------------------------------


def _plan_values(plan, years: list[int], actors: _Actors) -> list[IndicatorValue]:
    existing = IndicatorValue.objects.filter(indicator__plan=plan, year__in=years)
    taken = set(existing.values_list("indicator_id", "year"))
    records = []
    for indicator in plan.indicators.order_by("number"):
        series = indicator_series(indicator, years)
        previous = indicator.baseline_value
        for year, value in series.items():
            if (indicator.pk, year) not in taken:
                records.append(_value_record(plan, indicator, year, value, previous, actors))
            previous = value
    return records


def indicator_series(indicator, years) -> dict[int, Decimal]:
    """Plausible values for the years, following the indicator's pace profile; {} when no number fits."""
    target = indicator.target
    if not target.is_quantitative or target.headline is None:
        return {}
    profile = PROFILES[(indicator.number - 1) % len(PROFILES)]
    if target.kind == TargetKind.CUMULATIVE or indicator.aggregation == "cumulative":
        return _cumulative_series(indicator, years, profile)
    if target.kind == TargetKind.GROWTH:
        return _growth_series(indicator, years, profile)
    if target.kind == TargetKind.RANK:
        return _rank_series(indicator, years, profile)
    return _level_series(indicator, years, profile)


def _period(indicator, years) -> tuple[int, int]:
    plan = indicator.plan
    start = indicator.baseline_year or (plan.start_year or years[0]) - 1
    end = indicator.target_year or plan.end_year or years[-1]
    return start, max(end, start + 1)


def _wiggle(indicator, year: int) -> Decimal:
    """A small deterministic irregularity, so the series don't look ruled."""
    return Decimal((indicator.number * 7 + year * 3) % 5 - 2) * Decimal("0.02")


def _level_series(indicator, years, profile: str) -> dict[int, Decimal]:
    target = _level_target(indicator)
    places = _places(indicator, indicator.baseline_value, target)
    base = indicator.baseline_value
    if base is None:
        base = target * (Decimal("0.55") if indicator.target.direction == "up" else Decimal("1.5"))
    start, end = _period(indicator, years)
    series = {}
    for year in years:
        if profile == "regressing":
            value = _regressing(base, target, year - start)
        else:
            elapsed = Decimal(year - start) / Decimal(end - start)
            progress = min(elapsed * PACE[profile] + _wiggle(indicator, year), Decimal("1.05"))
            value = base + progress * (target - base)
        series[year] = _round(value, places)
    return series


def _regressing(base: Decimal, target: Decimal, years_since_base: int) -> Decimal:
    """A small step toward the target, then 2.5% a year away from it."""
    if years_since_base <= 1:
        return base + (target - base) * Decimal("0.05")
    away = -1 if target >= base else 1
    return base * (1 + away * Decimal("0.025") * (years_since_base - 1))


def _level_target(indicator) -> Decimal:
    target = indicator.target
    if target.kind == TargetKind.MULTIPLE and indicator.baseline_value is not None:
        return target.value * indicator.baseline_value
    return target.headline


def _cumulative_series(indicator, years, profile: str) -> dict[int, Decimal]:
    """Yearly increments that add up to the total at the profile's pace."""
    start, end = _period(indicator, years)
    per_year = indicator.target.headline / Decimal(end - start)
    places = _places(indicator, indicator.target.headline)
    pace = CUMULATIVE_PACE[profile]
    amounts = {year: max(per_year * (pace + _wiggle(indicator, year) * 3), Decimal(0)) for year in years}
    return {year: _round(amount, places) for year, amount in amounts.items()}


def _growth_series(indicator, years, profile: str) -> dict[int, Decimal]:
    """Yearly rates around the floor (aggregation "growth"), else levels compounding at such rates."""
    floor = indicator.target.headline
    rates = {year: floor + GROWTH_MARGIN[profile] + _wiggle(indicator, year) * 50 for year in years}
    if indicator.aggregation == "growth":
        return {year: _round(rate, 1) for year, rate in rates.items()}
    level = indicator.baseline_value or Decimal(100)
    places = _places(indicator, level)
    series = {}
    for year in years:
        level = level * (1 + rates[year] / 100)
        series[year] = _round(level, places)
    return series


def _rank_series(indicator, years, profile: str) -> dict[int, Decimal]:
    target = indicator.target.headline
    base = indicator.baseline_value or target + 2
    start, end = _period(indicator, years)
    series = {}
    for year in years:
        elapsed = Decimal(year - start) / Decimal(end - start)
        if profile == "regressing":
            rank = base + 1 + (year - years[0]) // 2
        elif profile == "behind":
            rank = max(base, target + 1)
        else:
            rank = base + min(elapsed * PACE[profile], Decimal(1)) * (target - base)
        series[year] = max(_round(rank, 0), Decimal(1))
    return series


def _places(indicator, *numbers: Decimal) -> int:
    places = max((max(-n.normalize().as_tuple().exponent, 0) for n in numbers if n is not None), default=0)
    if indicator.is_share or "元" in indicator.unit or indicator.unit.startswith("万"):
        places = max(places, 2)
    return min(places, 4)


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _value_record(plan, indicator, year, value, previous, actors: _Actors) -> IndicatorValue:
    state = _state(plan, indicator.number, year)
    record = IndicatorValue(
        indicator=indicator, year=year, value=value, source=SOURCE, is_demo=True,
        vintage=_vintage(plan, year, state),
        note=_note(value, previous),
    )
    _workflow(record, state, year, actors)
    return record


def _vintage(plan, year: int, state: str) -> str:
    """Older approved figures are verified (核实); the latest year's are still preliminary."""
    if state == State.APPROVED and year < DEMO_YEARS[plan.code][-1]:
        return Vintage.VERIFIED
    return Vintage.PRELIMINARY


def _note(value: Decimal, previous: Decimal | None) -> str:
    if previous and abs(value - previous) / abs(previous) > Decimal("0.5"):
        return "当年新增较多，增幅较大。（演示说明）"
    return ""


def _state(plan, number: int, year: int) -> str:
    if plan.code == LIVE_PLAN and year == DEMO_YEARS[plan.code][-1]:
        return LATEST_STATES[(number - 1) % len(LATEST_STATES)]
    return State.APPROVED


def _workflow(record, state: str, year: int, actors: _Actors) -> None:
    """Who did each step and when: entered in February, submitted in March, reviewed in April."""
    record.state = state
    record.entered_by, record.entered_at = actors.official, _moment(year + 1, 2, 20)
    record._history_date = record.entered_at
    if state != State.DRAFT:
        record.submitted_by, record.submitted_at = actors.official, _moment(year + 1, 3, 10)
        record._history_date = record.submitted_at
    if state in (State.APPROVED, State.RETURNED):
        record.reviewed_by, record.reviewed_at = actors.reviewer, _moment(year + 1, 4, 15)
        record._history_date = record.reviewed_at
    if state == State.RETURNED:
        record.return_reason = RETURN_REASON


def _moment(year: int, month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 10, 0))


# Project progress -----------------------------------------------------------------------------


def _plan_progress(plan, years: list[int], actors: _Actors) -> list[ProjectProgress]:
    existing = ProjectProgress.objects.filter(project__plan=plan, year__in=years)
    taken = set(existing.values_list("project_id", "year"))
    first = DEMO_YEARS[plan.code][0]
    records = []
    for index, project in enumerate(Project.objects.filter(plan=plan).order_by("position", "pk")):
        for year in years:
            if (project.pk, year) not in taken:
                records.append(_progress_record(plan, project, index, year, year - first, actors))
    return records


def _progress_record(plan, project, index: int, year: int, offset: int, actors: _Actors) -> ProjectProgress:
    pattern = PROGRESS_PATTERNS[index % len(PROGRESS_PATTERNS)]
    status = pattern[min(offset, len(pattern) - 1)]
    investment = None if status == "not_started" else Decimal(600 + (index * 137) % 900) * (offset + 1)
    record = ProjectProgress(
        project=project, year=year, status=ProgressStatus(status), narrative=NARRATIVES[status],
        investment=investment, is_demo=True,
    )
    _workflow(record, _state(plan, index + 1, year), year, actors)
    return record
