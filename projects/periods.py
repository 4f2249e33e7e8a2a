"""Which years a plan takes monitoring records for: those of its period, and none before it has one.

The one check of the write path (values, progress, reporting years) and of the pages that name a
plan-year; core.years keeps implausible years (0, 99999) from ever reaching a query."""
from django.utils.translation import gettext as _

from core.years import is_plausible


def year_refusal(plan, year) -> str:
    """Why `plan` takes no records for `year` ("" when it does)."""
    if not plan.years():
        return _("%(plan)s 尚未设定规划期（起止年份），设定后才能填报。") % {"plan": plan.display_name}
    if not isinstance(year, int) or not is_plausible(year) or year not in plan.years():
        return _("%(plan)s 的规划期是 %(period)s，没有 %(year)s 年度。") % {
            "plan": plan.display_name, "period": _period(plan), "year": year,
        }
    return ""


def _period(plan) -> str:
    years = plan.years()
    return f"{years[0]}—{years[-1]}"
