"""Downloads: open data (CSV, JSON) of a plan, and the annual assessment workbook of one or more plans.

Approved values are public; open data (CSV, JSON) never holds anything else. The workbook with
preliminary (unapproved) values holds those the visitor may see (``accounts.visibility``) and no
others: an anonymous visitor asking for it is sent to the login page, a user who may see none of
the plan's (or of any plan's) is refused (403).
"""

import re
import tempfile

from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import FileResponse, HttpResponseForbidden, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from accounts.visibility import may_see_preliminary, preliminary_scope
from plans.models import PLAN_TEXT_FIELDS, Plan

from . import downloads, opendata
from .parallel import write_plans_workbook
from .selectors import latest_year_with_data
from .workbook import outside_period
from .years import FIRST_YEAR, LAST_YEAR, default_workbook_year, parse_year


def plan_csv(request, code):
    plan = get_object_or_404(Plan, code=code)
    response = HttpResponse(opendata.plan_csv(plan), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{plan.code}.csv")
    return response


def plan_json(request, code):
    plan = get_object_or_404(Plan.objects.select_related("region"), code=code)
    return JsonResponse(opendata.plan_json(plan), json_dumps_params={"ensure_ascii": False, "indent": 2})


def plan_workbook(request, code):
    """``/data/plans/<code>/assessment.xlsx?year=Y&preliminary=1`` (year: the latest with data by default)."""
    plan = get_object_or_404(Plan.objects.defer(*PLAN_TEXT_FIELDS), code=code)
    refusal = _refusal(request)
    if refusal:
        return refusal
    preliminary = _preliminary(request)
    if preliminary and not may_see_preliminary(request.user, plan):
        return _forbidden()
    scope = preliminary_scope(request.user) if preliminary else None
    year = _year(request) or latest_year_with_data(plan, include_unapproved=preliminary, scope=scope) or plan.start_year
    if year is None:
        return _bad_request(_("请指定年份（year）"))
    return _workbook_response([plan], year, scope, _("%(plan)s-%(year)s年度监测评估表.xlsx") % {"plan": plan.display_name, "year": year})


def workbook(request):
    """``/data/assessment.xlsx?year=Y&plans=a,b,c`` (year: last year by default; plans: every plan
    whose period includes the year)."""
    refusal = _refusal(request) or downloads.rate_limited(request)
    if refusal:
        return refusal
    scope = preliminary_scope(request.user) if _preliminary(request) else None
    if scope is not None and scope.is_empty:
        return _forbidden()
    year = _year(request) or default_workbook_year(timezone.localdate())
    codes = list(dict.fromkeys(c.strip() for c in request.GET.get("plans", "").split(",") if c.strip()))
    plans = _listed_plans(codes) if codes else list(_plans_in(year))
    left_out = [] if codes else list(_plans_outside(year))
    unknown = [code for code in codes if code not in {plan.code for plan in plans}]
    if unknown:
        message = _("规划代码不存在：%(codes)s") % {"codes": "、".join(unknown)}
        return HttpResponseNotFound(message, content_type="text/plain; charset=utf-8")
    return _workbook_response(plans, year, scope, _("%(year)s年度规划监测评估表.xlsx") % {"year": year}, many=True, left_out=left_out)


UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\s]+')


def _preliminary(request) -> bool:
    return request.GET.get("preliminary") == "1"


def _refusal(request) -> HttpResponse | None:
    """Login for preliminary values, or 400 for a year that is not a number; None when all is well."""
    if _preliminary(request) and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.GET.get("year", "").strip() and _year(request) is None:
        return _bad_request(_("年份应为 %(first)s—%(last)s 之间的整数") % {"first": FIRST_YEAR, "last": LAST_YEAR})
    return None


def _year(request) -> int | None:
    """The year asked for; None when none was (or it is malformed: ``_refusal`` says so first)."""
    return parse_year(request.GET.get("year", ""))


def _forbidden() -> HttpResponse:
    message = _("你无权查看这些规划的初步数据（未审核）；去掉 preliminary=1 可下载已审核数据。")
    return HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")


def _bad_request(message: str) -> HttpResponse:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _listed_plans(codes: list[str]) -> list[Plan]:
    """The plans named that exist, in the order given."""
    found = {plan.code: plan for plan in Plan.objects.filter(code__in=codes).defer(*PLAN_TEXT_FIELDS)}
    return [found[code] for code in codes if code in found]


def _plans_in(year: int):
    """Plans whose period includes `year` (open-ended plans from their start; undated plans always)."""
    started = Q(start_year__lte=year) & (Q(end_year__isnull=True) | Q(end_year__gte=year))
    return Plan.objects.filter(started | Q(start_year__isnull=True)).defer(*PLAN_TEXT_FIELDS)


def _plans_outside(year: int):
    """The plans ``_plans_in`` leaves out (their period does not include `year`), by name."""
    outside = Plan.objects.exclude(pk__in=_plans_in(year).values("pk"))
    return outside.defer(*PLAN_TEXT_FIELDS).order_by("start_year", "code")


def _workbook_response(
    plans: list[Plan], year: int, scope, filename: str, many: bool = False, left_out: list[Plan] = ()
):
    """The workbook; with preliminary values (those `scope` covers) unless `scope` is None. A
    workbook of `many` plans is written one at a time and, approved only, cached (``downloads``).
    Its summary names the plans `left_out` and their periods."""
    preliminary = scope is not None
    outside = outside_period(plans, year)
    if outside:
        names = "、".join(f"{plan.display_name}（{plan.period}）" for plan in outside)
        return _bad_request(_("%(year)s年不在规划期内：%(plans)s") % {"year": year, "plans": names})
    left_out_names = [_("%(plan)s（%(period)s）") % {"plan": plan.display_name, "period": plan.period} for plan in left_out]

    def write(out):
        write_plans_workbook(
            plans, year, out, exported_on=timezone.localdate(), include_unapproved=preliminary, scope=scope,
            left_out=left_out_names,
        )

    if many:
        key = downloads.data_key([*plans, *left_out], year)  # the notes name the plans left out
        cached = None if preliminary else downloads.cache_dir() / f"{key}.xlsx"
        output = downloads.locked_export(write, cached)
        if output is None:
            return downloads.busy()
        if cached is not None:
            output = open(output, "rb")  # noqa: SIM115 - the response closes it
    else:
        output = tempfile.TemporaryFile()  # noqa: SIM115 - closing it removes it: the response does
        try:
            write(output)
        except BaseException:
            output.close()
            raise
        output.seek(0)
    response = FileResponse(output, as_attachment=True, filename=UNSAFE_IN_FILENAME.sub("_", filename))
    response["X-Guihua-Year"] = str(year)  # which year is exported (the default when none was asked)
    if preliminary:
        patch_cache_control(response, private=True, no_store=True)
    return response
