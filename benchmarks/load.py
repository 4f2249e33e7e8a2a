"""entry_load: the app under gunicorn (4 workers, ``benchmarks.settings``) and 50 clients saving values
through the real entry form for a fixed duration, on 127.0.0.1 only.

Each client is one official of its own unit (``generate._load_fixture``): it logs in through the
login form (CSRF included), then loops until the deadline: GET its entry page, read the CSRF token
and each row's version from the HTML, POST new values with those versions (``action=save``), and
expect the redirect of a successful save. It records every value it saved and how many saves
succeeded per row. At the end the database must hold, for every row, the client's last value and
version 1 + saves, and the history one record per save: otherwise an update was lost.

The floor: the same clients against the same gunicorn workers, each logged in through the same
login form and carrying its session on every request, saving through a minimal view behind the same
middleware and ``login_required`` (``floor_save``: one row UPDATE with the same version check, nothing
else) for the same duration. ``ratio`` in the runner is entry_load's median save to the floor's.

Sessions: as deployed with a shared cache (README, Deploying): ``CACHE_URL`` is the Redis at
``BENCH_CACHE_URL`` (default redis://127.0.0.1:6379/7), so the production settings keep sessions in
``cached_db``; without an answering Redis the bench keeps them in the database and says so (``sessions``).
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

from .generate import BENCH_YEAR, LOAD_INDICATORS_PER_CLIENT, LOAD_PLAN, PASSWORD

HOST = "127.0.0.1"
WORKERS = 4
CLIENTS = 50
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/7")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="v(\d+)-version" value="(\d+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _cache_answers(url: str) -> bool:
    """Does the Redis at `url` answer a PING (the sessions' cache)?"""
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
    except Exception:  # noqa: BLE001 — no package, no server: sessions stay in the database
        return False


def _sessions() -> dict:
    """The environment of the gunicorn's sessions, and what to print: cached_db over Redis when it answers."""
    if _cache_answers(CACHE_URL):
        return {"env": {"CACHE_URL": CACHE_URL, "SESSION_ENGINE": "cached_db"}, "shown": f"cached_db ({CACHE_URL})"}
    return {"env": {"SESSION_ENGINE": "db"}, "shown": f"db (no Redis at {CACHE_URL})"}


def _start_gunicorn(port: int, log: Path, sessions: dict) -> subprocess.Popen:
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", "GUNICORN_BIND": f"{HOST}:{port}",
           "GUNICORN_WORKERS": str(WORKERS), "GUNICORN_LOG_LEVEL": "warning", "GUNICORN_MAX_REQUESTS": "0",
           **sessions["env"]}
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "--access-logfile", "/dev/null",
         "benchmarks.load:application"],
        cwd=root, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )


def _wait_ready(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            if httpx.get(f"{base}/accounts/login/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer")


class Client(threading.Thread):
    def __init__(self, number: int, base: str, org_id: int, deadline: float, start_gate: threading.Barrier):
        super().__init__(daemon=True)
        self.number, self.base, self.deadline, self.gate = number, base, deadline, start_gate
        self.url = f"{base}/monitoring/{LOAD_PLAN}/{BENCH_YEAR}/{org_id}/entry/"
        self.saves: dict[int, int] = {}  # indicator id → successful saves
        self.last: dict[int, Decimal] = {}  # indicator id → last value saved
        self.post_ms: list[float] = []
        self.get_ms: list[float] = []
        self.errors: list[str] = []

    def run(self):
        import httpx

        with httpx.Client(base_url=self.base, timeout=30, follow_redirects=False) as http:
            try:
                self._login(http)
            except Exception as exc:  # noqa: BLE001 — counted, not raised
                self.errors.append(f"login: {exc!r}")
            try:
                self.gate.wait(timeout=240)
            except threading.BrokenBarrierError:
                pass
            if self.errors:
                return
            step = 0
            while time.monotonic() < self.deadline:
                step += 1
                try:
                    self._save_once(http, step)
                except Exception as exc:  # noqa: BLE001
                    self.errors.append(repr(exc)[:200])

    def _login(self, http):
        page = http.get("/accounts/login/", timeout=180)  # 50 PBKDF2 logins queue on 2 cores
        token = TOKEN.search(page.text).group(1)
        response = http.post("/accounts/login/", data={
            "csrfmiddlewaretoken": token, "username": f"bench-official-{self.number:03d}", "password": PASSWORD,
        }, headers={"Referer": f"{self.base}/accounts/login/"}, timeout=180)
        if response.status_code != 302:
            raise RuntimeError(f"login answered {response.status_code}")

    def _save_once(self, http, step: int):
        started = time.perf_counter()
        page = http.get(self.url)
        self.get_ms.append((time.perf_counter() - started) * 1000)
        if page.status_code != 200:
            self.errors.append(f"GET {page.status_code}")
            return
        token = TOKEN.search(page.text).group(1)
        versions = {int(pk): int(v) for pk, v in VERSION.findall(page.text)}
        data = {"csrfmiddlewaretoken": token, "action": "save"}
        values = {}
        for pk, version in versions.items():
            value = Decimal(50 + (self.number * 7 + step * 3 + pk) % 40) + Decimal(step % 10) / 10
            values[pk] = value
            data.update({f"v{pk}-value": str(value), f"v{pk}-source": f"压测{step}", f"v{pk}-vintage": "preliminary",
                         f"v{pk}-note": "", f"v{pk}-version": str(version)})
        started = time.perf_counter()
        response = http.post(self.url, data=data, headers={"Referer": self.url})
        self.post_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 302:
            self.errors.append(f"POST {response.status_code}")
            return
        for pk, value in values.items():
            self.saves[pk] = self.saves.get(pk, 0) + 1
            self.last[pk] = value


FLOOR_PATH = "/bench-floor/"


def floor_save(request, indicator_id: int):
    """The floor of a save, a Django view behind the same middleware and login (login_required, as
    the entry page): GET answers the row's version; POST version=…&value=… updates the row with the
    same version check as the real save, in one statement (UPDATE … WHERE version = seen)."""
    from django.db import connection
    from django.http import HttpResponse, HttpResponseRedirect

    with connection.cursor() as cursor:
        if request.method != "POST":
            cursor.execute("SELECT version FROM projects_indicatorvalue WHERE indicator_id = %s AND year = %s",
                           [indicator_id, BENCH_YEAR])
            return HttpResponse(str(cursor.fetchone()[0]), content_type="text/plain")
        cursor.execute(
            "UPDATE projects_indicatorvalue SET value = %s, version = version + 1 "
            "WHERE indicator_id = %s AND year = %s AND version = %s",
            [request.POST["value"], indicator_id, BENCH_YEAR, int(request.POST["version"])],
        )
        return HttpResponseRedirect(request.path) if cursor.rowcount == 1 else HttpResponse("stale", status=409)


urlpatterns = []  # this module is the floor's URLconf; filled when the handler is made


def _handler():
    """Django's WSGI handler, sending floor paths to this module's URLconf (request.urlconf)."""
    from django.contrib.auth.decorators import login_required
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.wsgi import get_wsgi_application
    from django.urls import include, path
    from django.views.decorators.csrf import csrf_exempt

    get_wsgi_application()  # django.setup()
    urlpatterns[:] = [
        path(f"{FLOOR_PATH.strip('/')}/<int:indicator_id>/", csrf_exempt(login_required(floor_save))),
        path("", include("config.urls")),  # login_required's redirect names the login page
    ]

    class Handler(WSGIHandler):
        def get_response(self, request):
            if request.path_info.startswith(FLOOR_PATH):
                request.urlconf = __name__
            return super().get_response(request)

    return Handler()


_handlers = []


def application(environ, start_response):
    """The app the benchmark's gunicorn serves: the project, with the floor view beside it."""
    if not _handlers:
        _handlers.append(_handler())
    return _handlers[0](environ, start_response)


class FloorClient(Client):
    """The same client (logged in through the login form, as Client) saving one row through
    floor_save: GET its version, POST a new value."""

    def __init__(self, number, base, indicator_id, deadline, start_gate):
        super().__init__(number, base, 0, deadline, start_gate)
        self.url = f"{base}{FLOOR_PATH}{indicator_id}/"
        self.indicator_id = indicator_id

    def _save_once(self, http, step: int):
        started = time.perf_counter()
        page = http.get(self.url)
        self.get_ms.append((time.perf_counter() - started) * 1000)
        if page.status_code != 200:
            self.errors.append(f"GET {page.status_code}")
            return
        value = Decimal(50 + (self.number * 7 + step * 3) % 40) + Decimal(step % 10) / 10
        started = time.perf_counter()
        response = http.post(self.url, data={"version": page.text, "value": str(value)})
        self.post_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 302:
            self.errors.append(f"POST {response.status_code}")
            return
        self.saves[self.indicator_id] = self.saves.get(self.indicator_id, 0) + 1
        self.last[self.indicator_id] = value


def _lost_updates(clients: list[Client]) -> tuple[int, int]:
    """(rows whose stored value or version is not the last save, rows whose history misses a save)."""
    from django.db.models import Count

    from projects.models import IndicatorValue

    stored = {v.indicator_id: v for v in IndicatorValue.objects.filter(indicator__plan__code=LOAD_PLAN, year=BENCH_YEAR)}
    history = dict(
        IndicatorValue.history.filter(indicator__plan__code=LOAD_PLAN, year=BENCH_YEAR)
        .values_list("id").annotate(n=Count("history_id")).values_list("id", "n")
    )
    lost = missing_history = 0
    for client in clients:
        for pk, saves in client.saves.items():
            record = stored[pk]
            if record.value != client.last[pk] or record.version != 1 + saves:
                lost += 1
            if history.get(record.pk, 0) != saves:
                missing_history += 1
    return lost, missing_history


def _reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM projects_historicalindicatorvalue WHERE indicator_id IN (SELECT i.id FROM indicators_indicator i "
            "JOIN plans_plan p ON p.id = i.plan_id WHERE p.code = %s)", [LOAD_PLAN])
        cursor.execute(
            "UPDATE projects_indicatorvalue SET value = 50, version = 1, state = 'draft' WHERE indicator_id IN "
            "(SELECT i.id FROM indicators_indicator i JOIN plans_plan p ON p.id = i.plan_id WHERE p.code = %s)",
            [LOAD_PLAN])
        cursor.execute("DELETE FROM django_session")
        cursor.execute("DELETE FROM axes_accessattempt")


def entry_load(scale: str, part: str) -> dict:
    """The real save under load, then its floor, with the same clients and workers."""
    from accounts.models import Organization

    duration = float(part or 60)
    _reset()
    orgs = dict(Organization.objects.filter(name__startswith="压测单位").values_list("name", "pk"))
    port = _free_port()
    base = f"http://{HOST}:{port}"
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"guihua-bench-gunicorn-{port}.log"
    sessions = _sessions()
    proc = _start_gunicorn(port, log, sessions)
    try:
        _wait_ready(base, proc)
        real = [Client(n, base, orgs[f"压测单位{n:03d}"], float("inf"), None) for n in range(1, CLIENTS + 1)]
        elapsed = _drive(real, duration)
        result = _result(real, elapsed)  # checked before the floor rewrites the rows
        _reset()
        rows = _floor_rows(orgs)
        floor = [FloorClient(n, base, rows[n], float("inf"), None) for n in range(1, CLIENTS + 1)]
        floor_elapsed = _drive(floor, duration)
    finally:
        _stop(proc)
    return {**result, "sessions": sessions["shown"], "floor": _floor_result(floor, floor_elapsed)}


def _drive(clients: list[Client], duration: float) -> float:
    """Start the clients, wait until all have logged in, let them save for `duration` seconds."""
    gate = threading.Barrier(len(clients) + 1)
    for client in clients:
        client.gate = gate  # the deadline is set once every client has logged in
        client.start()
    try:
        gate.wait(timeout=240)
    except threading.BrokenBarrierError:
        pass
    started = time.monotonic()
    for client in clients:
        client.deadline = started + duration
    for client in clients:
        client.join(timeout=duration + 60)
    return time.monotonic() - started


def _stop(proc) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _floor_rows(orgs: dict) -> dict[int, int]:
    """Client number → the indicator whose row its floor saves update (the first of its unit's)."""
    from indicators.models import Indicator

    rows = {}
    for number in range(1, CLIENTS + 1):
        indicators = Indicator.objects.filter(plan__code=LOAD_PLAN, organization_id=orgs[f"压测单位{number:03d}"])
        rows[number] = indicators.order_by("number").values_list("pk", flat=True).first()
    return rows


def _result(clients: list[Client], elapsed: float) -> dict:
    posts = sorted(ms for c in clients for ms in c.post_ms)
    gets = sorted(ms for c in clients for ms in c.get_ms)
    saved = sum(sum(c.saves.values()) for c in clients) // LOAD_INDICATORS_PER_CLIENT
    errors = [e for c in clients for e in c.errors]
    lost, missing_history = _lost_updates(clients)
    from .figures import summary

    return {
        "seconds": round(elapsed, 1), "clients": CLIENTS, "workers": WORKERS, "saves": saved,
        "saves_per_s": round(saved / elapsed, 1), "post": summary(posts) if posts else {},
        "get": summary(gets) if gets else {}, "errors": len(errors), "error_samples": errors[:5],
        "lost_updates": lost, "missing_history": missing_history, "alive": any(c.is_alive() for c in clients),
    }


def _floor_result(clients: list[FloorClient], elapsed: float) -> dict:
    """The floor's figures; its lost updates are checked on value and version (it writes no history)."""
    from projects.models import IndicatorValue

    from .figures import summary

    posts = sorted(ms for c in clients for ms in c.post_ms)
    stored = dict(IndicatorValue.objects.filter(indicator__plan__code=LOAD_PLAN, year=BENCH_YEAR)
                  .values_list("indicator_id", "version"))
    lost = sum(stored[c.indicator_id] != 1 + c.saves.get(c.indicator_id, 0) for c in clients)
    saved = sum(sum(c.saves.values()) for c in clients)
    return {"saves": saved, "saves_per_s": round(saved / elapsed, 1), "post": summary(posts) if posts else {},
            "errors": sum(len(c.errors) for c in clients), "lost_updates": lost}
