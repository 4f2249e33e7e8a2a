"""entry_load: the app under gunicorn (4 workers, ``benchmarks.settings``) and 50 clients saving values
through the real entry form for a fixed duration, on 127.0.0.1 only.

Each client is one official of its own unit (``generate._load_fixture``): it logs in through the
login form (CSRF included), then loops until the deadline: GET its entry page, read the CSRF token
and each row's version from the HTML, POST new values with those versions (``action=save``), and
expect the redirect of a successful save. It records every value it saved and how many saves
succeeded per row. At the end the database must hold, for every row, the client's last value and
version 1 + saves, and the history one record per save: otherwise an update was lost.
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
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="v(\d+)-version" value="(\d+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _start_gunicorn(port: int, log: Path) -> subprocess.Popen:
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", "GUNICORN_BIND": f"{HOST}:{port}",
           "GUNICORN_WORKERS": str(WORKERS), "GUNICORN_LOG_LEVEL": "warning", "GUNICORN_MAX_REQUESTS": "0"}
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "--access-logfile", "/dev/null",
         "config.wsgi"],
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
    from accounts.models import Organization

    duration = float(part or 60)
    _reset()
    orgs = dict(Organization.objects.filter(name__startswith="压测单位").values_list("name", "pk"))
    port = _free_port()
    base = f"http://{HOST}:{port}"
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"guihua-bench-gunicorn-{port}.log"
    proc = _start_gunicorn(port, log)
    try:
        _wait_ready(base, proc)
        gate = threading.Barrier(CLIENTS + 1)
        clients = []
        for number in range(1, CLIENTS + 1):
            # the deadline is set once every client has logged in (see below); placeholder until then
            clients.append(Client(number, base, orgs[f"压测单位{number:03d}"], float("inf"), gate))
        for client in clients:
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
        elapsed = time.monotonic() - started
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
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
