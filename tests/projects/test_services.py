"""services.py: the review state machine, the year lock, optimistic locking and history."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from projects import services
from projects.choices import ProgressStatus, State, Vintage
from projects.models import IndicatorValue, ProjectProgress, ReportingYear
from projects.reference import Reference
from projects.selectors import indicator_history, references

from .factories import make_value

pytestmark = pytest.mark.django_db


def _save(world, indicator=None, value="1.8", version=0, user=None, **extra):
    return services.value_save(
        user or world.official, indicator or world.share, world.year, value=Decimal(value),
        source=extra.pop("source", "统计年鉴"), vintage=Vintage.PRELIMINARY, note=extra.pop("note", ""),
        expected_version=version,
    )


def test_it_creates_a_draft_and_records_who_and_when(world):
    value = _save(world)
    assert value.state == State.DRAFT and value.version == 1
    assert value.entered_by == world.official and value.entered_at is not None
    record = value.history.get()
    assert record.history_user == world.official and record.history_change_reason == "新建数值"


def test_it_walks_draft_submitted_returned_submitted_approved(world):
    value = _save(world)
    value = services.value_submit(world.official, value, expected_version=1)
    assert value.state == State.SUBMITTED and value.submitted_by == world.official
    value = services.value_return(world.reviewer, value, "来源不明", expected_version=2)
    assert value.state == State.RETURNED and value.return_reason == "来源不明"
    assert value.reviewed_by == world.reviewer
    value = _save(world, value="1.9", version=3)
    assert value.state == State.RETURNED and value.value == Decimal("1.9")
    value = services.value_submit(world.official, value, expected_version=4)
    value = services.value_approve(world.reviewer, value, expected_version=5)
    value.refresh_from_db()
    assert (value.state, value.version, value.return_reason) == (State.APPROVED, 6, "")


def test_it_refuses_to_edit_submitted_or_approved_values(world):
    value = make_value(world.share, world.year, "1.8", State.SUBMITTED)
    with pytest.raises(services.InvalidStateError, match="不能修改"):
        _save(world, value="2", version=1)
    value.state = State.APPROVED
    value.save()
    with pytest.raises(services.InvalidStateError):
        _save(world, value="2", version=1)


@pytest.mark.parametrize("step", ["approve", "return"])
def test_it_reviews_only_submitted_values(world, step):
    value = make_value(world.share, world.year, "1.8", State.DRAFT)
    with pytest.raises(services.InvalidStateError, match="只有已提交"):
        if step == "approve":
            services.value_approve(world.reviewer, value)
        else:
            services.value_return(world.reviewer, value, "x")


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_requires_a_reason_to_return(world, reason):
    value = make_value(world.share, world.year, "1.8", State.SUBMITTED)
    with pytest.raises(services.MonitoringError, match="必须填写理由"):
        services.value_return(world.reviewer, value, reason)
    value.refresh_from_db()
    assert value.state == State.SUBMITTED


def test_it_checks_roles_in_the_services_too(world):
    with pytest.raises(PermissionDenied):
        _save(world, user=world.reviewer)
    with pytest.raises(PermissionDenied):
        _save(world, user=world.other_official)
    value = make_value(world.share, world.year, "1.8", State.SUBMITTED)
    for user in (world.official, world.planner, world.outsider):
        with pytest.raises(PermissionDenied):
            services.value_approve(user, value)
    assert not IndicatorValue.objects.filter(state=State.APPROVED).exists()


def test_it_validates_again_on_submit(world):
    value = make_value(world.share, world.year, "150", State.DRAFT)
    with pytest.raises(services.InvalidValueError, match="0 到 100"):
        services.value_submit(world.official, value)


def test_it_wants_a_note_for_a_jump_from_last_years_approved_value(world):
    make_value(world.share, world.year - 1, "1.7", State.APPROVED)
    value = make_value(world.share, world.year, "3.0", State.DRAFT)
    with pytest.raises(services.InvalidValueError) as caught:
        services.value_submit(world.official, value)
    assert caught.value.problems[0].field == "note"
    value.note = "新口径"
    value.save()
    assert services.value_submit(world.official, value).state == State.SUBMITTED


def test_it_compares_with_the_baseline_when_no_year_was_approved(world):
    assert references([world.share], world.year)[world.share.pk] == Reference(Decimal("1.65"), 2020, is_baseline=True)
    make_value(world.share, world.year - 2, "1.7", State.APPROVED)
    make_value(world.share, world.year - 1, "9", State.DRAFT)
    assert references([world.share], world.year)[world.share.pk] == Reference(Decimal("1.7"), world.year - 2)


def test_it_refuses_a_stale_version_with_both_values(world):
    value = _save(world, value="1.8")
    _save(world, value="1.9", version=1)
    with pytest.raises(services.StaleValueError) as caught:
        _save(world, value="2.1", version=1)
    error = caught.value
    assert (error.current_value, error.your_value, error.who, error.current_version) == (
        Decimal("1.9"), Decimal("2.1"), world.official, 2,
    )
    assert "1.9" in str(error) and "2.1" in str(error) and "official" in str(error)
    value.refresh_from_db()
    assert value.value == Decimal("1.9")


def test_it_refuses_to_create_what_already_exists(world):
    _save(world, value="1.8")
    with pytest.raises(services.StaleValueError):
        _save(world, value="2.0", version=0)


def test_it_locks_a_year_and_says_since_when_by_whom_and_who_can_unlock(world):
    reporting_year = services.year_lock(world.planner, world.plan, world.year)
    assert reporting_year.is_locked and reporting_year.locked_by == world.planner
    with pytest.raises(services.YearLockedError) as caught:
        _save(world)
    message = str(caught.value)
    assert "已于" in message and "planner" in message and "锁定" in message and "规划人员或管理员" in message
    assert str(world.year) in message
    assert not IndicatorValue.objects.exists()


def test_it_refuses_every_write_in_a_locked_year(world):
    draft = make_value(world.share, world.year, "1.8", State.DRAFT)
    submitted = make_value(world.count, world.year, "120", State.SUBMITTED)
    progress = ProjectProgress.objects.create(project=world.project, year=world.year, status=ProgressStatus.IN_PROGRESS)
    services.year_lock(world.planner, world.plan, world.year)
    attempts = [
        lambda: services.value_submit(world.official, draft),
        lambda: services.value_approve(world.reviewer, submitted),
        lambda: services.value_return(world.reviewer, submitted, "x"),
        lambda: services.progress_save(
            world.official, world.project, world.year, status=ProgressStatus.COMPLETED, expected_version=1
        ),
        lambda: services.progress_submit(world.official, progress),
    ]
    for attempt in attempts:
        with pytest.raises(services.YearLockedError):
            attempt()
    assert services.value_save(
        world.official, world.share, world.year + 1, value=Decimal(1), expected_version=0
    ).year == world.year + 1


def test_it_unlocks_and_keeps_the_lock_history(world):
    services.year_lock(world.planner, world.plan, world.year)
    services.year_unlock(world.planner, world.plan, world.year)
    _save(world)
    reporting_year = ReportingYear.objects.get(plan=world.plan, year=world.year)
    reasons = list(reporting_year.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-2:] == ["锁定年度", "解锁年度"]


@pytest.mark.parametrize("persona", ["official", "reviewer", "outsider"])
def test_it_lets_only_planners_lock(world, persona):
    with pytest.raises(PermissionDenied):
        services.year_lock(getattr(world, persona), world.plan, world.year)
    with pytest.raises(PermissionDenied):
        services.year_unlock(getattr(world, persona), world.plan, world.year)


def test_it_refuses_years_outside_the_plan(world):
    with pytest.raises(services.MonitoringError, match="没有 2030 年度"):
        services.value_save(world.official, world.share, 2030, value=Decimal(1), expected_version=0)


def test_it_writes_history_with_who_old_new_and_reason(world):
    value = _save(world, value="1.8")
    value = _save(world, value="1.9", version=1)
    value = services.value_submit(world.official, value)
    services.value_return(world.reviewer, value, "请核实口径")
    rows = indicator_history(world.share)
    changes = {(r.field, r.old, r.new, r.reason, str(r.who)) for r in rows}
    assert ("数值", "1.8", "1.9", "保存草稿", "official") in changes
    assert ("状态", "草稿", "已提交", "提交审核", "official") in changes
    assert ("状态", "已提交", "已退回", "退回：请核实口径", "reviewer") in changes
    assert ("退回理由", "", "请核实口径", "退回：请核实口径", "reviewer") in changes
    assert rows[0].when >= rows[-1].when


def test_it_shows_target_and_baseline_changes_in_the_history(world):
    indicator = world.share
    indicator.target_text, indicator.target_value, indicator.baseline_value = "2.5%", Decimal("2.5"), Decimal("1.7")
    indicator._change_reason = "规划中期调整"
    indicator.save()
    rows = [r for r in indicator_history(indicator) if r.subject == "指标定义、基期与目标"]
    assert {(r.field, r.old, r.new) for r in rows} >= {
        ("目标原文", "2.0%", "2.5%"), ("目标值", "2", "2.5"), ("基期值", "1.65", "1.7"),
    }
    assert all(r.reason == "规划中期调整" for r in rows if r.old)


def test_it_hides_unapproved_history_from_the_public(world):
    value = _save(world, value="1.8")
    value = services.value_submit(world.official, value)
    assert all(r.subject == "指标定义、基期与目标" for r in indicator_history(world.share, public_only=True))
    services.value_approve(world.reviewer, value)
    public = [r for r in indicator_history(world.share, public_only=True) if r.subject != "指标定义、基期与目标"]
    assert [(r.field, r.new) for r in public] == [("状态", "已审核")]


def test_it_reads_history_in_a_constant_number_of_queries(world, django_assert_num_queries):
    value = _save(world)
    for n in range(5):
        value = _save(world, value=f"1.{n}", version=value.version)
    with django_assert_num_queries(2):
        rows = indicator_history(world.share)
        [str(r.who) for r in rows]


def test_it_walks_progress_through_the_same_workflow(world):
    progress = services.progress_save(
        world.official, world.project, world.year, status=ProgressStatus.IN_PROGRESS, narrative="完成主体工程",
        investment=Decimal("1200.5"), expected_version=0,
    )
    progress = services.progress_submit(world.official, progress, expected_version=1)
    progress = services.progress_return(world.reviewer, progress, "请补充投资明细")
    progress = services.progress_save(
        world.official, world.project, world.year, status=ProgressStatus.DELAYED, narrative="征地延误",
        expected_version=progress.version,
    )
    progress = services.progress_submit(world.official, progress)
    progress = services.progress_approve(world.reviewer, progress)
    assert (progress.state, progress.status, progress.reviewed_by) == (State.APPROVED, ProgressStatus.DELAYED, world.reviewer)
    assert progress.history.count() == 6


def test_it_refuses_stale_progress_with_both_statuses(world):
    services.progress_save(world.official, world.project, world.year, status=ProgressStatus.IN_PROGRESS, expected_version=0)
    with pytest.raises(services.StaleValueError) as caught:
        services.progress_save(world.official, world.project, world.year, status=ProgressStatus.COMPLETED, expected_version=0)
    assert (caught.value.current_value, caught.value.your_value) == ("推进中", "已完成")


def test_it_writes_a_batch_entirely_or_not_at_all(world):
    _save(world, indicator=world.count, value="120")
    rows = [
        services.ValueRow(indicator=world.share, value=Decimal("1.8"), expected_version=0),
        services.ValueRow(indicator=world.count, value=Decimal("130"), expected_version=0),  # stale
    ]
    with pytest.raises(services.BatchError) as caught:
        services.values_save_batch(world.official, world.year, rows, submit=False)
    assert set(caught.value.errors) == {world.count.pk}
    assert not IndicatorValue.objects.filter(indicator=world.share).exists()
    assert IndicatorValue.objects.get(indicator=world.count).value == Decimal("120")


def test_it_approves_selected_records_one_by_one(world):
    first = make_value(world.share, world.year, "1.8", State.SUBMITTED)
    second = make_value(world.count, world.year, "120", State.APPROVED)
    approved, errors = services.approve_selected(world.reviewer, [(first, 1), (second, 1)], [])
    assert approved == 1 and len(errors) == 1 and "只有已提交" in errors[0]
