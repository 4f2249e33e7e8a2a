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
the data), planner (规划人员), admin (superuser).
"""

from dataclasses import dataclass, field
from typing import Callable

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from indicators.models import Concept
from projects.choices import ProgressStatus, State, Vintage
from projects.models import IndicatorValue, Project, ReportingYear

from .factories import PERSONAS, make_empty_indicator, make_world

URLCONF = "config.urls"
EXCLUDED_PREFIXES = ("admin/", "i18n/", "static/", "media/")
FINGERPRINT_APPS = ("accounts", "plans", "indicators", "projects", "reports", "intake")
VOLATILE_FIELDS = {"last_login"}
# Stored assessments are a cache any report page may fill as it reads (reports/stored.py): a page
# that fills it has not changed data.
DERIVED_MODELS = {"reports.StoredAssessment"}


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
    """An upload waiting in the persona's session, as the upload page leaves it, previewed once."""
    from projects.views import excel as excel_views

    token = f"matrix{id(client)}"
    path = excel_views._upload_path(f"{token}.upload")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_upload(w)["file"].read())
    session = client.session
    session[excel_views.SESSION_KEY] = {
        token: {
            "name": path.name,
            "filename": "values.csv",
            "state": State.DRAFT,
            "plan": w.plan.code,
            "year": w.year,
            "organization": w.org.pk,
        }
    }
    session.save()
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
    "projects:year_lock": Route(
        args=plan_year,
        get=everyone("405"),
        post=lambda w, ctx: {},
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
        post_expect=row("admin-login admin-login admin-login admin-login admin-login admin-login 302*"),
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
        post_expect=row("admin-login admin-login admin-login admin-login admin-login admin-login 302*"),
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
