"""No lost updates: two real transactions on PostgreSQL, each in its own thread and connection."""
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from projects import services
from projects.choices import ProgressStatus
from projects.models import IndicatorValue, ProjectProgress

pytestmark = pytest.mark.django_db(transaction=True)


def _run_in_threads(*jobs):
    """Run each job in its own thread (so its own DB connection); return what each returned or raised."""
    results = [None] * len(jobs)

    def run(index, job):
        try:
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - the test inspects what was raised
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    return results


def _saver(world, text, version, start):
    def save():
        start.wait(timeout=10)
        return services.value_save(
            world.official, world.share, world.year, value=Decimal(text), expected_version=version
        )

    return save


def test_it_lets_exactly_one_of_two_concurrent_saves_win(world):
    original = services.value_save(world.official, world.share, world.year, value=Decimal("1.8"), expected_version=0)
    for attempt in range(5):
        version = IndicatorValue.objects.get(pk=original.pk).version  # both pages loaded this version
        start = threading.Barrier(2)
        results = _run_in_threads(_saver(world, "2.1", version, start), _saver(world, "2.2", version, start))
        winners = [r for r in results if isinstance(r, IndicatorValue)]
        losers = [r for r in results if isinstance(r, services.StaleValueError)]
        assert (len(winners), len(losers)) == (1, 1), results
        stored = IndicatorValue.objects.get(pk=original.pk)
        assert stored.value == winners[0].value and stored.version == version + 1
        assert losers[0].current_value == stored.value
        assert {losers[0].your_value, losers[0].current_value} == {Decimal("2.1"), Decimal("2.2")}
    assert IndicatorValue.history.filter(id=original.pk).count() == 1 + 5


def test_it_makes_the_second_writer_wait_for_the_first_and_then_refuses_it(world):
    """The first transaction holds its row lock while the second tries: no lost update, no overwrite."""
    value = services.value_save(world.official, world.share, world.year, value=Decimal("1.8"), expected_version=0)
    first_saved, timings = threading.Event(), {}

    def first():
        with transaction.atomic():
            saved = services.value_save(
                world.official, world.share, world.year, value=Decimal("2.1"), expected_version=1
            )
            first_saved.set()
            time.sleep(0.5)  # keep the transaction (and its locks) open while the second writer arrives
        return saved

    def second():
        first_saved.wait(timeout=10)
        began = time.monotonic()
        try:
            return services.value_save(
                world.official, world.share, world.year, value=Decimal("2.2"), expected_version=1
            )
        finally:
            timings["waited"] = time.monotonic() - began

    winner, loser = _run_in_threads(first, second)
    assert isinstance(winner, IndicatorValue) and isinstance(loser, services.StaleValueError)
    assert timings["waited"] >= 0.3  # it was blocked by the first transaction, i.e. they overlapped
    assert (loser.current_value, loser.your_value, loser.current_version) == (Decimal("2.1"), Decimal("2.2"), 2)
    assert loser.who == world.official and loser.when is not None
    value.refresh_from_db()
    assert (value.value, value.version) == (Decimal("2.1"), 2)


def _page_saver(world, text, seen, start):
    """A save as the entry page makes it: with the record the page read (the write path reads it not again)."""
    from projects.services.values import ValueChange, values_write

    def save():
        start.wait(timeout=10)
        change = ValueChange(world.share, world.year, Decimal(text), expected_version=seen.version, seen=seen)
        try:
            return values_write(world.official, [change]).records[0]
        except services.BatchError as exc:
            return next(iter(exc.errors.values()))

    return save


def test_it_lets_exactly_one_of_two_concurrent_page_saves_win_with_the_record_they_read(world):
    original = services.value_save(world.official, world.share, world.year, value=Decimal("1.8"), expected_version=0)
    for attempt in range(5):
        start = threading.Barrier(2)
        first_read, second_read = (IndicatorValue.objects.get(pk=original.pk) for _ in range(2))
        results = _run_in_threads(_page_saver(world, "2.1", first_read, start), _page_saver(world, "2.2", second_read, start))
        winners = [r for r in results if isinstance(r, IndicatorValue)]
        losers = [r for r in results if isinstance(r, services.StaleValueError)]
        assert (len(winners), len(losers)) == (1, 1), results
        stored = IndicatorValue.objects.get(pk=original.pk)
        assert stored.value == winners[0].value and stored.version == first_read.version + 1
        assert (losers[0].current_value, losers[0].current_version) == (stored.value, stored.version)
        assert {losers[0].your_value, losers[0].current_value} == {Decimal("2.1"), Decimal("2.2")}
    assert IndicatorValue.history.filter(id=original.pk).count() == 1 + 5


def test_it_refuses_a_page_save_whose_row_changed_after_the_page_read_it(world):
    """The row changed (and committed) between the page's read and its write: stale, nothing written."""
    from projects.services.values import ValueChange, values_write

    value = services.value_save(world.official, world.share, world.year, value=Decimal("1.8"), expected_version=0)
    seen = IndicatorValue.objects.get(pk=value.pk)
    services.value_save(world.official, world.share, world.year, value=Decimal("2.1"), expected_version=1)
    change = ValueChange(world.share, world.year, Decimal("2.2"), expected_version=1, seen=seen)
    with pytest.raises(services.BatchError) as refused:
        values_write(world.official, [change])
    stale = refused.value.errors[world.share.pk]
    assert isinstance(stale, services.StaleValueError)
    assert (stale.current_value, stale.your_value, stale.current_version) == (Decimal("2.1"), Decimal("2.2"), 2)
    assert (seen.value, seen.version) == (Decimal("1.8"), 1)  # the page's record is left as it read it
    value.refresh_from_db()
    assert (value.value, value.version) == (Decimal("2.1"), 2)
    assert IndicatorValue.history.filter(id=value.pk).count() == 2


def test_it_lets_only_one_of_two_concurrent_first_entries_create_the_value(world):
    start = threading.Barrier(2)
    results = _run_in_threads(_saver(world, "2.1", 0, start), _saver(world, "2.2", 0, start))
    assert sorted(type(r).__name__ for r in results) == ["IndicatorValue", "StaleValueError"], results
    assert IndicatorValue.objects.count() == 1


def test_it_lets_only_one_of_two_concurrent_progress_saves_win(world):
    progress = services.progress_save(
        world.official, world.project, world.year, status=ProgressStatus.IN_PROGRESS, expected_version=0
    )
    start = threading.Barrier(2)

    def saver(status):
        def save():
            start.wait(timeout=10)
            return services.progress_save(world.official, world.project, world.year, status=status, expected_version=1)

        return save

    results = _run_in_threads(saver(ProgressStatus.COMPLETED), saver(ProgressStatus.DELAYED))
    assert sorted(type(r).__name__ for r in results) == ["ProjectProgress", "StaleValueError"], results
    assert ProjectProgress.objects.get(pk=progress.pk).version == 2


def test_it_never_writes_into_a_year_being_locked(world):
    """A save racing a lock either commits before the lock or is refused by it."""
    start = threading.Barrier(2)

    def lock():
        start.wait(timeout=10)
        return services.year_lock(world.planner, world.plan, world.year)

    results = _run_in_threads(lock, _saver(world, "2.1", 0, start))
    saved = isinstance(results[1], IndicatorValue)
    assert saved or isinstance(results[1], services.YearLockedError), results
    if saved:
        locked_at = results[0].locked_at
        assert IndicatorValue.objects.get().entered_at <= locked_at
