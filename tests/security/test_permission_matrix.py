"""The permission matrix: every URL of the project, as each persona, with the answer it must get.

One table (MATRIX) lists every URL pattern of the project (admin/, i18n/ and static files aside)
and, for each persona, the expected status of a POST (for routes that change data) and of a GET.
A cell's expectation is a status (``200``, ``302``, ``403``, ``404``, ``405``) or ``login`` (a
redirect to the login page), with ``*`` when the request must change the database; without ``*``
it must change nothing at all. Every cell also checks that no history record was edited or
deleted. The URL patterns are read from the URL resolver, so a view added without a row here
fails the test, and a row whose URL is gone fails too.

Personas (tests/security/factories.py): anonymous, outsider (no membership), other_official
(填报员 of another organization), official and reviewer (填报员/审核员 of the organization that owns
the data), planner (规划人员 of 天津市科技局, the plan's region being under 天津市), admin (superuser).

A second table (SCOPED_MATRIX) covers four eyes and region-scoped writes with the personas they
need, and checks what each request left behind, not only its status.
"""

from dataclasses import dataclass, field
from typing import Callable

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.choices import RegionLevel, Role
from accounts.models import Membership, Organization, Region
from indicators.models import Concept, Indicator
from projects.choices import ProgressStatus, State, Vintage
from projects.models import IndicatorValue, Project, ReportingYear

from .factories import PERSONAS, make_empty_indicator, make_indicator, make_plan, make_user, make_world

URLCONF = "config.urls"
EXCLUDED_PREFIXES = ("admin/", "i18n/", "static/", "media/")
FINGERPRINT_APPS = ("accounts", "plans", "indicators", "projects", "reports", "intake")
VOLATILE_FIELDS = {"last_login"}
# Stored assessments are a cache any report page may fill as it reads (reports/stored.py): a page
# that fills it has not changed data.
# that fills it has not changed data. A staged upload is the upload pages' working state between
# preview and confirm (projects.StagedUpload), not data anyone reads.
DERIVED_MODELS = {"reports.StoredAssessment", "projects.StagedUpload"}


def row(expected: str) -> dict[str, str]:
    """'login 403 403 302* 403 403 302*' → {persona: expectation}, in the order of PERSONAS."""
    cells = expected.split()
    assert len(cells) == len(PERSONAS), expected
    return dict(zip(PERSONAS, cells))


def everyone(expected: str) -> dict[str, str]:
    return row(" ".join([expected] * len(PERSONAS)))


@dataclass(frozen=True)
class Route:
    """How to call one URL pattern and what each persona gets.

    args builds the URL arguments from the world (and the prepared context); post builds the POST
    payload (None: the route changes no data, and a POST must change nothing); prepare runs before
    the request, as the persona, and returns context for args and post; query is appended to
    the URL of both requests.
    """

    args: Callable = lambda w, ctx: []
    query: str = ""
    get: dict = field(default_factory=dict)
    post: Callable | None = None
    post_expect: dict = field(default_factory=dict)
    prepare: Callable | None = None


# -- payloads and preparations ------------------------------------------------------------------


def value_entry_payload(w, ctx):
    """Save a draft: a new value for the indicator without one, every row's version as shown."""
    data = {"action": "save"}
    for indicator in w.plan.indicators.filter(organization=w.org):
        current = IndicatorValue.objects.filter(indicator=indicator, year=w.year).first()
        data[f"v{indicator.pk}-version"] = current.version if current else 0
        if current:  # the browser posts the stored fields back unchanged
            data.update(
                {
                    f"v{indicator.pk}-value": format(current.value.normalize(), "f"),
                    f"v{indicator.pk}-vintage": current.vintage,
                    f"v{indicator.pk}-source": current.source,
                    f"v{indicator.pk}-note": current.note,
                }
            )
    data.update({f"v{w.empty.pk}-value": "150", f"v{w.empty.pk}-vintage": Vintage.PRELIMINARY})
    return data


def progress_entry_payload(w, ctx):
    data = {"action": "save"}
    for project in Project.objects.filter(plan=w.plan, organization=w.org):
        current = project.progress.filter(year=w.year).first()
        data[f"p{project.pk}-version"] = current.version if current else 0
    data.update(
        {f"p{w.new_project.pk}-status": ProgressStatus.IN_PROGRESS, f"p{w.new_project.pk}-narrative": "开工"}
    )
    return data


def csv_upload(w, ctx=None):
    content = f"plan,indicator,year,value,source,note\n{w.plan.code},{w.empty.number},{w.year},150,统计局,\n"
    return {"file": SimpleUploadedFile("values.csv", content.encode(), "text/csv"), "state": State.DRAFT}


def stored_upload(w, client):
    """An upload waiting for the persona, as the upload page leaves it, previewed once."""
    from projects.imports import read_upload
    from projects.models import StagedUpload

    token = f"matrix{id(client)}"
    user = client.session.get("_auth_user_id")
    if user is None:  # anonymous: the token belongs to someone else
        user = w.official.pk
    rows = read_upload(csv_upload(w)["file"].read(), "values.csv")
    StagedUpload.objects.create(
        token=token, user_id=user, plan=w.plan, year=w.year, organization=w.org, state=State.DRAFT,
        filename="values.csv", rows=[row.to_json() for row in rows],
    )
    client.get(reverse("excel:preview", args=[token]))  # sets the fingerprint the confirmation checks
    return {"token": token}


def lock_year(w, client):
    ReportingYear.objects.filter(pk=w.reporting_year.pk).update(is_locked=True)
    return {}


def attach_file(w, client):
    w.submitted_progress.attachment.save("进展报告.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
    return {}


def planner_draft(w, client):
    """An import draft of the planner's, as the upload page leaves it."""
    from intake.services import draft_create
    from tests.intake.drafting import PLAN_TEXT

    return {"draft": draft_create(w.planner, text=PLAN_TEXT)}


def pasted_plan(w, ctx):
    from tests.intake.drafting import PLAN_TEXT

    return {"text": PLAN_TEXT}


def draft_form(w, ctx):
    from tests.intake.drafting import form_data

    return form_data(ctx["draft"], code="matrix-plan")


plan_year_org = lambda w, ctx: [w.plan.code, w.year, w.org.pk]  # noqa: E731
plan_year = lambda w, ctx: [w.plan.code, w.year]  # noqa: E731
plan_code = lambda w, ctx: [w.plan.code]  # noqa: E731
token = lambda w, ctx: [ctx.get("token", "missing")]  # noqa: E731
draft_pk = lambda w, ctx: [ctx["draft"].pk]  # noqa: E731

# -- the matrix -----------------------------------------------------------------------------------
#                      anonymous outsider other_official official reviewer planner admin
MATRIX: dict[str, Route] = {
    "home": Route(get=everyone("302")),
    "accounts:login": Route(
        get=everyone("200"),
        post=lambda w, ctx: {"username": "official", "password": "wrong-password"},
        post_expect=everyone("200"),
    ),
    "accounts:logout": Route(get=everyone("405"), post=lambda w, ctx: {}, post_expect=everyone("302")),
    "accounts:password_change": Route(
        get=row("login 200 200 200 200 200 200"),
        post=lambda w, ctx: {"old_password": "wrong-password", "new_password1": "Neu-2026-pw!", "new_password2": "Neu-2026-pw!"},
        post_expect=row("login 200 200 200 200 200 200"),
    ),
    # 人员与单位管理 (/accounts/manage/): 管理员 and superusers (the matrix has no 管理员 of an
    # organization; the region scoping of one: tests/accounts/test_manage.py).
    "accounts:user_list": Route(get=row("login 403 403 403 403 403 200")),
    "accounts:organization_list": Route(get=row("login 403 403 403 403 403 200")),
    "accounts:organization_create": Route(
        get=row("login 403 403 403 403 403 200"),
        post=lambda w, ctx: {"name": "矩阵单位", "short_name": "", "region": w.org.region_id},
        post_expect=row("login 403 403 403 403 403 302*"),
    ),
    "accounts:organization_edit": Route(
        args=lambda w, ctx: [w.org.pk],
        get=row("login 403 403 403 403 403 200"),
        post=lambda w, ctx: {"name": "蓟州区科学技术局", "short_name": "", "region": w.org.region_id},
        post_expect=row("login 403 403 403 403 403 302*"),
    ),
    "accounts:user_create": Route(
        get=row("login 403 403 403 403 403 200"),
        post=lambda w, ctx: {"username": "matrix-new", "full_name": "新人", "email": "",
                             "organization": w.org.pk, "role": Role.OFFICIAL},
        post_expect=row("login 403 403 403 403 403 200*"),
    ),
    "accounts:user_detail": Route(
        args=lambda w, ctx: [w.official.pk],
        get=row("login 403 403 403 403 403 200"),
        post=lambda w, ctx: {"full_name": "改名", "email": ""},
        post_expect=row("login 403 403 403 403 403 302*"),
    ),
    "accounts:user_password": Route(
        args=lambda w, ctx: [w.official.pk],
        get=row("login 403 403 403 403 403 200"),
        post=lambda w, ctx: {"mode": "generate"},
        post_expect=row("login 403 403 403 403 403 200*"),
    ),
    "accounts:user_active": Route(
        args=lambda w, ctx: [w.official.pk],
        get=row("login 403 403 403 403 403 405"),
        post=lambda w, ctx: {"active": "0"},
        post_expect=row("login 403 403 403 403 403 302*"),
    ),
    "accounts:membership_add": Route(
        args=lambda w, ctx: [w.official.pk],
        get=row("login 403 403 403 403 403 405"),
        post=lambda w, ctx: {"organization": w.org.pk, "role": Role.REVIEWER},
        post_expect=row("login 403 403 403 403 403 302*"),
    ),
    "accounts:membership_remove": Route(
        args=lambda w, ctx: [Membership.objects.filter(user=w.official).first().pk],
        get=row("login 403 403 403 403 403 405"),
        post=lambda w, ctx: {},
        post_expect=row("login 403 403 403 403 403 302*"),
    ),
    "plans:plan_list": Route(get=everyone("200")),
    "plans:plan_detail": Route(args=plan_code, get=everyone("200")),
    "indicators:indicator_detail": Route(args=lambda w, ctx: [w.share.pk], get=everyone("200")),
    "indicators:indicator_edit": Route(
        args=lambda w, ctx: [w.share.pk],
        get=row("login 403 403 403 403 200 200"),
        post=lambda w, ctx: {
            "name": "研发投入强度", "unit": "%", "category": "创新投入", "attribute": "binding",
            "direction": "up", "aggregation": "level", "organization": w.org.pk, "concept": "",
        },
        post_expect=row("login 403 403 403 403 302* 302*"),
    ),
    "indicators:indicator_revise": Route(
        args=lambda w, ctx: [w.share.pk],
        get=row("login 403 403 403 403 200 200"),
        post=lambda w, ctx: {
            "target_text": "2.2%", "baseline_value": "1.65", "document": "津科规〔2023〕1号",
            "revised_on": "2023-06-30", "reason": "中期评估后调整",
        },
        post_expect=row("login 403 403 403 403 302* 302*"),
    ),
    # Monitoring (projects app, /monitoring/)
    "projects:task_list": Route(get=row("login 200 200 200 200 200 200")),
    "projects:review_queue": Route(
        get=row("login 403 403 403 200 403 200"),
        post=lambda w, ctx: {"values": [w.submitted_value.pk], f"version-v{w.submitted_value.pk}": 1},
        post_expect=row("login 403 403 403 302* 403 302*"),
    ),
    "projects:value_approve": Route(
        args=lambda w, ctx: [w.submitted_value.pk],
        get=everyone("405"),
        post=lambda w, ctx: {"version": 1},
        post_expect=row("login 403 403 403 302* 403 302*"),
    ),
    "projects:value_return": Route(
        args=lambda w, ctx: [w.submitted_value.pk],
        get=everyone("405"),
        post=lambda w, ctx: {"version": 1, "reason": "数据来源不明"},
        post_expect=row("login 403 403 403 302* 403 302*"),
    ),
    "projects:progress_approve": Route(
        args=lambda w, ctx: [w.submitted_progress.pk],
        get=everyone("405"),
        post=lambda w, ctx: {"version": 1},
        post_expect=row("login 403 403 403 302* 403 302*"),
    ),
    "projects:progress_return": Route(
        args=lambda w, ctx: [w.submitted_progress.pk],
        get=everyone("405"),
        post=lambda w, ctx: {"version": 1, "reason": "请补充投资数据"},
        post_expect=row("login 403 403 403 302* 403 302*"),
    ),
    "projects:progress_attachment": Route(
        args=lambda w, ctx: [w.submitted_progress.pk],
        prepare=attach_file,
        get=row("login 403 403 200 200 200 200"),
    ),
    "projects:value_entry": Route(
        args=plan_year_org,
        get=row("login 403 403 200 200 200 200"),
        post=value_entry_payload,
        post_expect=row("login 403 403 302* 403 403 302*"),
    ),
    "projects:progress_entry": Route(
        args=plan_year_org,
        get=row("login 403 403 200 200 200 200"),
        post=progress_entry_payload,
        post_expect=row("login 403 403 302* 403 403 302*"),
    ),
    "projects:year_lock": Route(  # GET: the confirmation listing what is open; POST locks only with it
        args=plan_year,
        get=row("login 403 403 403 403 200 200"),
        post=lambda w, ctx: {"confirm": "lock"},
        post_expect=row("login 403 403 403 403 302* 302*"),
    ),
    "projects:year_unlock": Route(
        args=plan_year,
        get=everyone("405"),
        prepare=lock_year,
        post=lambda w, ctx: {},
        post_expect=row("login 403 403 403 403 302* 302*"),
    ),
    "projects:completeness": Route(args=plan_year, get=row("login 403 403 403 403 200 200")),
    # Excel/CSV round trip (excel app, /monitoring/excel/). Uploading stores a file for the preview
    # and writes nothing to the database; only the confirmation writes.
    "excel:template_download": Route(args=plan_year_org, get=row("login 403 403 200 403 403 200")),
    "excel:upload": Route(
        args=plan_year_org,
        get=row("login 403 403 200 403 403 200"),
        post=lambda w, ctx: csv_upload(w),
        post_expect=row("login 403 403 302 403 403 302"),
    ),
    "excel:preview": Route(args=token, prepare=stored_upload, get=row("login 403 403 200 403 403 200")),
    "excel:confirm": Route(
        args=token,
        prepare=stored_upload,
        get=row("login 405 405 405 405 405 405"),
        post=lambda w, ctx: {"action": "confirm"},
        post_expect=row("login 403 403 302* 403 403 302*"),
    ),
    # Plan intake (/intake/, 导入规划): planners only; a draft is its author's (and superusers').
    # Uploading writes a draft (intake), publishing the plan.
    "intake:draft_list": Route(get=row("login 403 403 403 403 200 200")),
    "intake:draft_new": Route(
        get=row("login 403 403 403 403 200 200"),
        post=pasted_plan,
        post_expect=row("login 403 403 403 403 302* 302*"),
    ),
    "intake:draft_review": Route(
        args=draft_pk, prepare=planner_draft,
        get=row("login 403 403 403 403 200 200"),
        post=draft_form,
        post_expect=row("login 403 403 403 403 302* 302*"),
    ),
    "intake:draft_publish": Route(
        args=draft_pk, prepare=planner_draft,
        get=row("login 403 403 403 403 200 200"),
        post=lambda w, ctx: {},
        post_expect=row("login 403 403 403 403 302* 302*"),
    ),
    "intake:draft_discard": Route(
        args=draft_pk, prepare=planner_draft,
        get=row("login 405 405 405 405 405 405"),
        post=lambda w, ctx: {},
        post_expect=row("login 403 403 403 403 302* 302*"),
    ),
    "intake:target_preview": Route(query="?text=2.5%25", get=row("login 403 403 403 403 200 200")),
    # Reports (/reports/): read-only and public (approved values only for anonymous users).
    "reports:overview": Route(get=everyone("200")),
    "reports:plan_dashboard": Route(args=plan_code, get=everyone("200")),
    "reports:plan_tasks": Route(args=plan_code, get=everyone("200")),
    "reports:concept_list": Route(get=everyone("200")),
    "reports:concept_detail": Route(args=lambda w, ctx: [w.concept.code], get=everyone("200")),
    # Open data and workbooks (/data/): approved values are public; the workbook with preliminary
    # values needs a login and some preliminary values the user may see (accounts.visibility; what
    # each persona sees in it: tests/security/test_visibility.py). The matrix's planner is 天津市科技局's,
    # and the plan is Jizhou's (under 天津市); other_official's organization is responsible for one
    # of the plan's indicators.
    "opendata:plan_csv": Route(args=plan_code, get=everyone("200")),
    "opendata:plan_json": Route(args=plan_code, get=everyone("200")),
    "opendata:plan_workbook": Route(
        args=plan_code,
        query="?year=2023&preliminary=1",
        get=row("login 403 200 200 200 200 200"),
    ),
    "opendata:workbook": Route(query="?year=2023&preliminary=1", get=row("login 403 200 200 200 200 200")),
}

# Admin actions the project exposes (the admin is otherwise Django's own and staff-only).
ADMIN_MATRIX: dict[str, Route] = {
    "admin:projects_indicatorvalue_change": Route(
        args=lambda w, ctx: [w.draft_value.pk],
        post=lambda w, ctx: {
            "indicator": w.count.pk,
            "year": w.year,
            "value": "999",
            "state": State.DRAFT,
            "vintage": Vintage.PRELIMINARY,
            "note": "",
            "return_reason": "",
        },
        # read-only: values change on the entry page, through the workflow (tests/security/test_admin_readonly.py)
        post_expect=row("admin-login admin-login admin-login admin-login admin-login admin-login 403"),
    ),
    "admin:projects_indicatorvalue_simple_history": Route(
        args=lambda w, ctx: [w.draft_value.pk, w.draft_value.history.first().history_id],
        post=lambda w, ctx: {"indicator": w.count.pk, "year": w.year, "value": "999", "state": State.DRAFT},
        post_expect=row("admin-login admin-login admin-login admin-login admin-login admin-login 403"),
    ),
    "admin:projects_reportingyear_simple_history": Route(
        args=lambda w, ctx: [w.reporting_year.pk, w.reporting_year.history.first().history_id],
        post=lambda w, ctx: {"plan": w.plan.pk, "year": w.year, "is_locked": "on"},
        post_expect=row("admin-login admin-login admin-login admin-login admin-login admin-login 403"),
    ),
    "admin:projects_indicatorvalue_delete": Route(
        args=lambda w, ctx: [w.draft_value.pk],
        post=lambda w, ctx: {"post": "yes"},
        post_expect=row("admin-login admin-login admin-login admin-login admin-login admin-login 403"),
    ),
}


# -- enumerating the URL patterns -----------------------------------------------------------------


def url_patterns(resolver=None, prefix="", namespace=""):
    """(full route, name) of every pattern, names qualified by their namespaces."""
    resolver = resolver or get_resolver(URLCONF)
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}{pattern.name}" if pattern.name else route


def project_url_names() -> list[str]:
    return sorted(
        {name for route, name in url_patterns() if not route.lstrip("^").startswith(EXCLUDED_PREFIXES)}
    )


def cases():
    for name in sorted(set(project_url_names()) | set(MATRIX)):
        for persona in PERSONAS:
            for method in ("GET", "POST"):
                yield pytest.param(name, persona, method, id=f"{name}-{persona}-{method}")
    for name in ADMIN_MATRIX:
        for persona in PERSONAS:
            yield pytest.param(name, persona, "POST", id=f"{name}-{persona}-POST")


# -- running one cell -----------------------------------------------------------------------------


def fingerprint() -> dict:
    """Every row of the domain tables (history included), to tell whether a request wrote anything."""
    state = {}
    for label in FINGERPRINT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label in DERIVED_MODELS:
                continue
            fields = [f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE_FIELDS]
            state[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return state


def history_rows(state: dict) -> dict:
    return {label: rows for label, rows in state.items() if ".Historical" in label}


def extended_world():
    w = make_world()
    w.empty = make_empty_indicator(w)
    w.new_project = Project.objects.create(plan=w.plan, organization=w.org, name="新项目")
    w.concept = Concept.objects.create(code="rd-intensity", name="R&D经费投入强度", unit="%")
    w.share.concept = w.concept
    w.share.save()
    return w


def outcome(response, wrote: bool) -> str:
    status = str(response.status_code)
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            status = "admin-login"
        elif location.startswith(reverse(settings.LOGIN_URL)):
            status = "login"
    return status + ("*" if wrote else "")


@pytest.mark.urls(URLCONF)
@pytest.mark.parametrize("name, persona, method", list(cases()))
def test_permission_matrix(db, name, persona, method, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    route = MATRIX.get(name) or ADMIN_MATRIX.get(name)
    if route is None:
        pytest.fail(f"URL pattern {name!r} is not in the permission matrix: add a row to MATRIX")
    if name in MATRIX and name not in project_url_names():
        pytest.fail(f"the matrix has a row for {name!r}, which no longer exists: remove it")
    if method == "POST" and route.post is None:
        expected = None  # a read-only route: a POST may be refused or ignored, never write or fail
    else:
        expected = (route.post_expect if method == "POST" else route.get)[persona]

    w = extended_world()
    client = Client(raise_request_exception=False)
    user = getattr(w, persona)
    if user is not None:
        client.force_login(user)
    ctx = route.prepare(w, client) if route.prepare else {}
    url = reverse(name, args=route.args(w, ctx)) + route.query
    before = fingerprint()
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, route.post(w, ctx) if route.post else {"anything": "1"})
    after = fingerprint()

    for label, rows in history_rows(before).items():
        assert after[label][: len(rows)] == rows, f"{label}: a history record was changed or deleted"
    got = outcome(response, wrote=before != after)
    if expected is None:
        assert response.status_code < 500 and not got.endswith("*"), (
            f"read-only {name} answered POST with {got}"
        )
    else:
        assert got == expected, f"{method} {url} as {persona}: expected {expected}, got {got}"


# -- four eyes and region-scoped writes ----------------------------------------------------------
# What each persona gets (the status) and what the request left behind (the record's state, a
# self-review mark, the refusal the user reads). Personas: wangmin, 填报员 and 审核员 of the owning
# organization, who entered and submitted the records (self_reviewer), the same person in a
# one-person office (GUIHUA_ALLOW_SELF_REVIEW), the organization's other reviewer, the planners of
# 天津市科技局 (the plan's region is under 天津市), of 江苏省科技厅 and of an organization without a
# region, and a superuser.

SCOPED_PERSONAS = [
    "self_reviewer", "one_person_office", "reviewer", "planner", "planner_js", "planner_nowhere", "admin",
]
FOUR_EYES_TEXT = "不能由你本人审核通过或退回（四眼原则）"


def cells(expected: str) -> dict[str, str]:
    """'302 approved | 403 submitted | …' → {persona: expectation}, in the order of SCOPED_PERSONAS."""
    parts = [part.strip() for part in expected.split("|")]
    assert len(parts) == len(SCOPED_PERSONAS), expected
    return dict(zip(SCOPED_PERSONAS, parts))


def scoped_world():
    w = extended_world()
    w.self_reviewer = w.one_person_office = make_user("wangmin", w.org, Role.OFFICIAL)
    Membership.objects.create(user=w.self_reviewer, organization=w.org, role=Role.REVIEWER)
    mine = {"state": State.SUBMITTED, "entered_by": w.self_reviewer, "submitted_by": w.self_reviewer}
    w.own_value = IndicatorValue.objects.create(indicator=w.share, year=2022, value="1.75", **mine)
    w.own_progress = w.project.progress.create(year=2022, status=ProgressStatus.IN_PROGRESS, **mine)
    jiangsu = Region.objects.create(name="江苏省", level=RegionLevel.PROVINCE)
    js_org = Organization.objects.create(name="江苏省科技厅", region=jiangsu)
    w.planner_js = make_user("planner_js", js_org, Role.PLANNER)
    w.planner_nowhere = make_user("planner_nowhere", Organization.objects.create(name="某研究院"), Role.PLANNER)
    w.js_plan = make_plan("jiangsu-kjhm-2016", 2016, 2020, region=jiangsu)
    w.js_indicator = make_indicator(
        w.js_plan, js_org, 1, name="高新技术产业产值", unit="亿元", baseline_value=None, target_text="突破13000亿元",
        target_kind="above", target_value=13000,
    )
    return w


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def record_after(attr):
    """The record's state afterwards, 'self' when marked self-reviewed, 'refused' when told four eyes."""

    def observe(w, response):
        record = type(getattr(w, attr)).objects.get(pk=getattr(w, attr).pk)
        refused = FOUR_EYES_TEXT in _messages(response)
        tags = [record.state, "self" if record.self_reviewed else "", "refused" if refused else ""]
        return " ".join(tag for tag in tags if tag)

    return observe


def queue_shows(w, response):
    """Whether the queue offers to approve wangmin's value, or says why not."""
    page = response.content.decode() if response.status_code == 200 else ""
    marker = f'id="value-{w.own_value.pk}"'
    own_row = page.split(marker)[1].split("</tr>")[0] if marker in page else ""
    if reverse("projects:value_approve", args=[w.own_value.pk]) in own_row:
        return "buttons"
    return "why" if "须由本单位另一位审核员审核" in own_row else "-"


def refusal_reason(response) -> str:
    body = response.content.decode() if response.status_code == 403 else ""
    if "该规划属于江苏省" in body:
        return "江苏省"
    return "no-region" if "没有设置所属地区" in body else ""


def target_after(w, response):
    return " ".join(filter(None, [Indicator.objects.get(pk=w.js_indicator.pk).target_text, refusal_reason(response)]))


def name_after(w, response):
    return " ".join(filter(None, [Indicator.objects.get(pk=w.js_indicator.pk).name, refusal_reason(response)]))


def year_after(plan_attr, year):
    def observe(w, response):
        locked = ReportingYear.objects.filter(plan=getattr(w, plan_attr), year=year, is_locked=True).exists()
        return " ".join(filter(None, ["locked" if locked else "open", refusal_reason(response)]))

    return observe


def draft_shown(w, response):
    """Whether the page shows the draft value 120 of the plan's 高新技术企业数量."""
    return "draft" if response.status_code == 200 and 'value="120"' in response.content.decode() else "-"


def page_reason(w, response):
    return refusal_reason(response) or "-"


def lock_js_2020(w):
    ReportingYear.objects.create(plan=w.js_plan, year=2020, is_locked=True, locked_by=w.planner_js)


@dataclass(frozen=True)
class ScopedRoute:
    name: str
    args: Callable
    observe: Callable
    expect: dict
    post: Callable | None = None  # None: a GET
    prepare: Callable | None = None


REVISE = {"target_text": "突破15000亿元", "baseline_value": "", "document": "苏科规〔2018〕1号",
          "revised_on": "2018-06-30", "reason": "中期评估后上调"}
EDIT = {"name": "高新技术产业产值（调整）", "unit": "亿元", "category": "", "attribute": "expected",
        "direction": "up", "aggregation": "level", "concept": ""}


def review_route(name, attr, decided: str, post) -> ScopedRoute:
    """A review step of one of wangmin's records: refused to him, allowed and marked in a one-person
    office, taken by the other reviewer and the superuser, 403 to planners (not its reviewers)."""
    return ScopedRoute(
        name, lambda w: [getattr(w, attr).pk], record_after(attr),
        cells(f"302 submitted refused | 302 {decided} self | 302 {decided} | 403 submitted | 403 submitted"
              f" | 403 submitted | 302 {decided}"),
        post=post,
    )


#                 self_reviewer | one_person_office | reviewer | planner | planner_js | planner_nowhere | admin
SCOPED_MATRIX = {
    "value_approve": review_route("projects:value_approve", "own_value", "approved", lambda w: {"version": 1}),
    "value_return": review_route(
        "projects:value_return", "own_value", "returned", lambda w: {"version": 1, "reason": "数据来源不明"}
    ),
    "progress_approve": review_route(
        "projects:progress_approve", "own_progress", "approved", lambda w: {"version": 1}
    ),
    "progress_return": review_route(
        "projects:progress_return", "own_progress", "returned", lambda w: {"version": 1, "reason": "请补充投资数据"}
    ),
    "bulk_approve": ScopedRoute(
        "projects:review_queue", lambda w: [], record_after("own_value"),
        cells("302 submitted refused | 302 approved self | 302 approved | 403 submitted | 403 submitted"
              " | 403 submitted | 302 approved"),
        post=lambda w: {"values": [w.own_value.pk], f"version-v{w.own_value.pk}": 1},
    ),
    "review_queue": ScopedRoute(
        "projects:review_queue", lambda w: [], queue_shows,
        cells("200 why | 200 buttons | 200 buttons | 403 - | 403 - | 403 - | 200 buttons"),
    ),
    "revise_js_target": ScopedRoute(
        "indicators:indicator_revise", lambda w: [w.js_indicator.pk], target_after,
        cells("403 突破13000亿元 | 403 突破13000亿元 | 403 突破13000亿元 | 403 突破13000亿元 江苏省"
              " | 302 突破15000亿元 | 403 突破13000亿元 no-region | 302 突破15000亿元"),
        post=lambda w: REVISE,
    ),
    "edit_js_indicator": ScopedRoute(
        "indicators:indicator_edit", lambda w: [w.js_indicator.pk], name_after,
        cells("403 高新技术产业产值 | 403 高新技术产业产值 | 403 高新技术产业产值 | 403 高新技术产业产值 江苏省"
              " | 302 高新技术产业产值（调整） | 403 高新技术产业产值 no-region | 302 高新技术产业产值（调整）"),
        post=lambda w: EDIT | {"organization": w.js_indicator.organization_id},
    ),
    "lock_js_2020": ScopedRoute(
        "projects:year_lock", lambda w: [w.js_plan.code, 2020], year_after("js_plan", 2020),
        cells("403 open | 403 open | 403 open | 403 open 江苏省 | 302 locked | 403 open no-region | 302 locked"),
        post=lambda w: {"confirm": "lock"},
    ),
    "unlock_js_2020": ScopedRoute(
        "projects:year_unlock", lambda w: [w.js_plan.code, 2020], year_after("js_plan", 2020),
        cells("403 locked | 403 locked | 403 locked | 403 locked 江苏省 | 302 open | 403 locked no-region | 302 open"),
        post=lambda w: {}, prepare=lock_js_2020,
    ),
    "lock_jizhou_2023": ScopedRoute(
        "projects:year_lock", lambda w: [w.plan.code, 2023], year_after("plan", 2023),
        cells("403 open | 403 open | 403 open | 302 locked | 403 open | 403 open no-region | 302 locked"),
        post=lambda w: {"confirm": "lock"},
    ),
    "jizhou_entry_page": ScopedRoute(  # reading drafts: the organization's members, the region's planners
        "projects:value_entry", lambda w: [w.plan.code, w.year, w.org.pk], draft_shown,
        cells("200 draft | 200 draft | 200 draft | 200 draft | 403 - | 403 - | 200 draft"),
    ),
    "js_completeness": ScopedRoute(
        "projects:completeness", lambda w: [w.js_plan.code, 2020], page_reason,
        cells("403 - | 403 - | 403 - | 403 江苏省 | 200 - | 403 no-region | 200 -"),
    ),
}


@pytest.mark.urls(URLCONF)
@pytest.mark.parametrize("case, persona", [(c, p) for c in SCOPED_MATRIX for p in SCOPED_PERSONAS])
def test_four_eyes_and_region_scope(db, case, persona, settings):
    route = SCOPED_MATRIX[case]
    settings.GUIHUA_ALLOW_SELF_REVIEW = persona == "one_person_office"
    w = scoped_world()
    if route.prepare:
        route.prepare(w)
    client = Client(raise_request_exception=False)
    client.force_login(getattr(w, persona))
    url = reverse(route.name, args=route.args(w))
    response = client.post(url, route.post(w)) if route.post else client.get(url)
    got = f"{response.status_code} {route.observe(w, response)}"
    assert got == route.expect[persona], f"{case} as {persona}: expected {route.expect[persona]!r}, got {got!r}"
