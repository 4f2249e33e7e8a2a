"""Reporting years: the plan-year row lock every monitoring write takes first, and locking a year."""
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from plans.models import Plan

from ..models import ReportingYear
from ..periods import year_refusal
from .errors import MonitoringError, YearLockedError
from .history import save_with_history


def ensure_year_open(plan: Plan, year: int) -> None:
    """Raise YearLockedError when the plan's year is locked (a plain read, for pages)."""
    locks = ReportingYear.objects.filter(plan=plan, year=year, is_locked=True)
    locked = locks.select_related("locked_by", "plan").first()
    if locked:
        raise YearLockedError(locked)


def lock_year_for_write(plan_id: int, year: int) -> ReportingYear:
    """Inside a transaction: take the plan-year row lock that orders writes against year locks, then
    raise YearLockedError if the year is locked. Bulk writers (the importer) call it once per plan-year.

    Writers take it shared (FOR SHARE): writers of one plan-year run side by side (their value rows
    serialize those of one value), while locking a year (FOR UPDATE, year_lock) waits for every
    writer in flight, and writers arriving after it wait for it and then see the lock.

    The caller has checked the year (require_plan_year): rows exist only for years of the period."""
    reporting_year = _share_locked(plan_id, year)
    if reporting_year is None:
        ReportingYear.objects.get_or_create(plan_id=plan_id, year=year)
        reporting_year = _share_locked(plan_id, year)
    if reporting_year.is_locked:
        raise YearLockedError(reporting_year)
    return reporting_year


def _share_locked(plan_id: int, year: int) -> ReportingYear | None:
    if connection.vendor != "postgresql":  # SQLite (local use) has one writer at a time anyway
        return ReportingYear.objects.select_for_update().filter(plan_id=plan_id, year=year).first()
    query = f"SELECT * FROM {ReportingYear._meta.db_table} WHERE plan_id = %s AND year = %s FOR SHARE"
    return next(iter(ReportingYear.objects.raw(query, [plan_id, year])), None)


def lock_years_for_write(pairs) -> None:
    """The plan-year row locks of a bulk write, in one fixed order so two writers never deadlock."""
    for plan_id, year in sorted(set(pairs)):
        lock_year_for_write(plan_id, year)


def year_lock(user, plan: Plan, year: int) -> ReportingYear:
    """Lock the plan's year (planners of the plan's region): no value or progress of it changes."""
    return _set_lock(user, plan, year, locked=True)


def year_unlock(user, plan: Plan, year: int) -> ReportingYear:
    return _set_lock(user, plan, year, locked=False)


@transaction.atomic
def _set_lock(user, plan: Plan, year: int, *, locked: bool) -> ReportingYear:
    permissions.require_plan_region(user, plan)
    require_plan_year(plan, year)
    ReportingYear.objects.get_or_create(plan=plan, year=year)
    reporting_year = ReportingYear.objects.select_for_update().get(plan=plan, year=year)
    if reporting_year.is_locked != locked:
        reporting_year.is_locked = locked
        by_and_when = (user, timezone.now()) if locked else (None, None)
        reporting_year.locked_by, reporting_year.locked_at = by_and_when
        save_with_history(reporting_year, user, _("锁定年度") if locked else _("解锁年度"))
    return reporting_year


def require_plan_year(plan: Plan, year: int) -> None:
    """MonitoringError unless the year lies in the plan's period (a plan without one takes none)."""
    refusal = year_refusal(plan, year)
    if refusal:
        raise MonitoringError(refusal, code="year")
