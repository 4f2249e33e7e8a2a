"""Drives the benchmark: database, data, then each figure in its own process; prints one line per
figure and writes ``benchmarks/RESULTS.md``. Called by ``python manage.py bench``."""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from . import intake_figures

ROOT = Path(__file__).resolve().parent.parent
# GUIHUA_BENCH_RESULTS names another file (the suite's run of the bench writes there, not here).
RESULTS = Path(os.environ.get("GUIHUA_BENCH_RESULTS") or Path(__file__).resolve().parent / "RESULTS.md")
STORE_NOTE = "refresh_assessments for the benchmark year, as after a bulk load"
GOALS = {
    "dashboard": "ratio ≤ 1.5, same query count",
    "overview": "ratio ≤ 2, median ≤ 500 ms",
    "export_all": "ratio ≤ 1.5 vs openpyxl; faster than pandas; peak ≤ 300 MB",
    "import_100k": "≥ 3× faster than django-import-export",
    "entry_load": "ratio ≤ 1.5 to the floor, p95 ≤ 500 ms, 0 errors, 0 lost updates",
    **intake_figures.GOALS,
}
FIGURE_NAMES = list(GOALS)  # the order they run in and RESULTS.md lists them


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_database(url: str) -> None:
    import psycopg2

    name = urlsplit(url).path.lstrip("/")
    conn = psycopg2.connect(_with_db(url, "postgres"))
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def _run(args: list[str], url: str, timeout: float) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", "BENCH_DATABASE_URL": url,
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


def _figure(name: str, scale: str, url: str, part: str = "", timeout: float = 1800) -> dict:
    return _run(["-m", "benchmarks.figures", name, scale, part], url, timeout)


def _ratio(value: float, ref: float) -> str:
    return f"{value / ref:.2f}" if ref else "n/a"


def run(scale: str, only: list[str] | None, url: str, keep_data: bool, duration: float | None, write) -> list[str]:
    """Run the figures; `write` prints a line. Returns the figure lines."""
    names = only or FIGURE_NAMES
    duration = duration or (10 if scale == "small" else 60)
    seed_url = _with_db(url, urlsplit(url).path.lstrip("/") + "_seed")
    ensure_database(url)
    stored = None
    if keep_data:
        try:
            stored = _run(["-c", "import django; django.setup(); import json; from benchmarks.generate import "
                                 "stored_scale; print(json.dumps({'scale': stored_scale()}))"], url, 120).get("scale")
        except RuntimeError:
            stored = None
    made = {}
    if stored != scale:
        made = _run(["-m", "benchmarks.generate", "--scale", scale], url, 3600)
        write(f"data: generated {scale} in {url.rsplit('/', 1)[-1]}")
    else:
        _run(["manage.py", "migrate", "--verbosity", "0"], url, 1800)
        write(f"data: kept the {scale} data in {url.rsplit('/', 1)[-1]}")
    # What a deployment does after a bulk load (README): store the assessments the reports read.
    stored_now = _run(["-m", "benchmarks.figures", "store", scale], url, 3600)
    store_line = (f"store: {stored_now['stored']} assessments stored for {stored_now['year']} "
                  f"in {stored_now['ms']} ms")
    write(store_line)
    lines, rows = [], []
    for name in names:
        line, row = measure(name, scale, url, seed_url, duration)
        write(line)
        lines.append(line)
        rows.append(row)
    write_results(scale, url, rows, made, store_line)
    return lines


def _dashboard(scale, url, seed_url, duration):
    # The reference: the same plan (bp-00001, drawn from the same seeded generator) in a database that
    # holds only it; measured in the same run, with the same client, one after the other.
    ensure_database(seed_url)
    _run(["-m", "benchmarks.generate", "--scale", "seed"], seed_url, 600)
    ref = _figure("dashboard", scale, seed_url, "seed")
    app = _figure("dashboard", scale, url, "full")
    line = (f"dashboard: median_ms={app['median_ms']} p95_ms={app['p95_ms']} ref={ref['median_ms']} "
            f"ratio={_ratio(app['median_ms'], ref['median_ms'])} queries={app['queries']} ref_queries={ref['queries']} "
            f"plans={app['plans_in_db']} ref_plans={ref['plans_in_db']}")
    met = app["median_ms"] <= 1.5 * ref["median_ms"] and app["queries"] == ref["queries"]
    return line, ("dashboard", app["median_ms"], app["p95_ms"], f"{ref['median_ms']} (1 plan in db)",
                  _ratio(app["median_ms"], ref["median_ms"]), "", f"queries {app['queries']} vs {ref['queries']}", met)


def _overview(scale, url, seed_url, duration):
    r = _figure("overview", scale, url)
    app, ref, stored = r["app"], r["ref"], r["ref_stored"]
    line = (f"overview: median_ms={app['median_ms']} p95_ms={app['p95_ms']} ref={ref['median_ms']} "
            f"ratio={_ratio(app['median_ms'], ref['median_ms'])} ref_stored={stored['median_ms']} "
            f"ratio_stored={_ratio(app['median_ms'], stored['median_ms'])} cold_ms={r['cold_ms']} "
            f"plans={r['plans']} same_counts_as_stored_sql={r['same_as_stored_sql']} "
            f"app_counts={json.dumps(r['app_totals'], separators=(',', ':'))} "
            f"sql_counts={json.dumps(r['sql_totals'], separators=(',', ':'))}")
    met = app["median_ms"] <= 2 * ref["median_ms"] and app["median_ms"] <= 500
    return line, ("overview", app["median_ms"], app["p95_ms"],
                  f"{ref['median_ms']} (one SQL query over the values); {stored['median_ms']} (GROUP BY over the "
                  f"stored verdicts)", f"{_ratio(app['median_ms'], ref['median_ms'])}; "
                  f"{_ratio(app['median_ms'], stored['median_ms'])}", "",
                  f"{r['plans']} plans; first call with nothing stored {r['cold_ms']} ms", met)


def _export_all(scale, url, seed_url, duration):
    app = _figure("export_all", scale, url, "app")
    floor = _figure("export_all", scale, url, "openpyxl")
    pandas = _figure("export_all", scale, url, "pandas")
    line = (f"export_all: median_ms={app['ms']} p95_ms={app['ms']} ref={floor['ms']} "
            f"ratio={_ratio(app['ms'], floor['ms'])} pandas_ms={pandas['ms']} "
            f"pandas_ratio={_ratio(app['ms'], pandas['ms'])} peak_mb={app['peak_mb']} "
            f"ref_peak_mb={floor['peak_mb']} pandas_peak_mb={pandas['peak_mb']} bytes={app['bytes']} "
            f"rss_mb={app['rss_mb']} worker_rss_mb={app['worker_rss_mb']}")
    met = app["ms"] <= 1.5 * floor["ms"] and app["ms"] < pandas["ms"] and app["peak_mb"] <= 300
    return line, ("export_all", app["ms"], app["ms"], f"openpyxl {floor['ms']}; pandas {pandas['ms']}",
                  f"{_ratio(app['ms'], floor['ms'])}; {_ratio(app['ms'], pandas['ms'])}", app["peak_mb"],
                  f"one run each, own process; peak = PSS of the process and its workers (RSS: "
                  f"{app['rss_mb']} MB, largest worker {app['worker_rss_mb']} MB)", met)


def _import_100k(scale, url, seed_url, duration):
    app = _figure("import_100k", scale, url, "app")
    copy = _figure("import_100k", scale, url, "copy")
    iex = _figure("import_100k", scale, url, "import_export")
    per_row = iex["ms"] / max(iex["rows"], 1) * app["rows"]  # same rows when not a sample
    sample = "" if iex["rows"] == app["rows"] else f" (measured on {iex['rows']} rows, scaled)"
    line = (f"import_100k: median_ms={app['ms']} p95_ms={app['ms']} ref={round(per_row, 1)} "
            f"ratio={_ratio(app['ms'], per_row)} speedup={_ratio(per_row, app['ms'])} copy_ms={copy['ms']} "
            f"copy_ratio={_ratio(app['ms'], copy['ms'])} rows={app['rows']} files={app['files']} "
            f"peak_mb={app['peak_mb']}{sample}")
    met = per_row >= 3 * app["ms"]
    return line, ("import_100k", app["ms"], app["ms"], f"import-export {round(per_row)}{sample}; COPY {copy['ms']}",
                  f"{_ratio(app['ms'], per_row)}; {_ratio(app['ms'], copy['ms'])}", app["peak_mb"],
                  f"{app['rows']} rows in {app['files']} files", met)


def _entry_load(scale, url, seed_url, duration):
    r = _figure("entry_load", scale, url, str(duration), timeout=duration + 600)
    post, get = r.get("post") or {}, r.get("get") or {}
    floor = r.get("floor") or {}
    floor_post = floor.get("post") or {}
    ratio = _ratio(post.get("median_ms"), floor_post.get("median_ms")) if floor_post else "n/a"
    line = (f"entry_load: median_ms={post.get('median_ms')} p95_ms={post.get('p95_ms')} "
            f"ref={floor_post.get('median_ms', 'n/a')} ratio={ratio} floor_p95_ms={floor_post.get('p95_ms')} "
            f"floor_saves_per_s={floor.get('saves_per_s')} floor_errors={floor.get('errors')} "
            f"floor_lost_updates={floor.get('lost_updates')} "
            f"saves_per_s={r['saves_per_s']} saves={r['saves']} get_median_ms={get.get('median_ms')} "
            f"get_p95_ms={get.get('p95_ms')} errors={r['errors']} lost_updates={r['lost_updates']} "
            f"missing_history={r['missing_history']} clients={r['clients']} workers={r['workers']} "
            f"seconds={r['seconds']} sessions={r.get('sessions')}")
    if r["error_samples"]:
        line += f" error_samples={r['error_samples'][:3]}"
    correct = r["errors"] == 0 and r["lost_updates"] == 0 and r["missing_history"] == 0
    fast = ratio != "n/a" and float(ratio) <= 1.5 and (post.get("p95_ms") or 0) <= 500
    met = correct and fast
    return line, ("entry_load", post.get("median_ms"), post.get("p95_ms"), f"floor {floor_post.get('median_ms')}",
                  ratio, "",
                  f"{r['saves_per_s']} saves/s, {r['errors']} errors, {r['lost_updates']} lost; "
                  f"sessions {r.get('sessions')}", met)


def measure(name: str, scale: str, url: str, seed_url: str, duration: float) -> tuple[str, tuple]:
    """One figure: its printed line and its row of RESULTS.md."""
    if name == "dashboard":
        return _dashboard(scale, url, seed_url, duration)
    if name == "overview":
        return _overview(scale, url, seed_url, duration)
    if name == "export_all":
        return _export_all(scale, url, seed_url, duration)
    if name == "import_100k":
        return _import_100k(scale, url, seed_url, duration)
    if name == "entry_load":
        return _entry_load(scale, url, seed_url, duration)
    if name in intake_figures.GOALS:
        return intake_figures.runner_figure(name, scale, url)
    raise ValueError(f"unknown figure {name!r}")


# ---------------------------------------------------------------------------- RESULTS.md


def machine() -> dict:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, StopIteration):
        pass
    import django

    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory, "python": platform.python_version(),
            "django": django.get_version(), "os": platform.platform()}


def _postgres_version(url: str) -> str:
    import psycopg2

    conn = psycopg2.connect(url)
    with conn.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    conn.close()
    return version


def write_results(scale: str, url: str, rows: list[tuple], made: dict, store_line: str = "") -> None:
    info = machine()
    section = [
        f"## Scale `{scale}` — {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} RAM; PostgreSQL "
        f"{_postgres_version(url)}; Python {info['python']}; Django {info['django']}; {info['os']}.",
    ]
    if made:
        section.append(f"Data: {made.get('plans')} plans, {made.get('indicators')} indicators, "
                       f"{made.get('values')} values, generated in {made.get('seconds')} s.")
    if store_line:
        section.append(f"Before the figures ({STORE_NOTE}): {store_line.removeprefix('store: ')}.")
    section += [
        "",
        "| figure | median ms | p95 ms | reference (ms) | ratio | peak MB | notes | goal | met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, median, p95, ref, ratio, peak, notes, met in rows:
        section.append(f"| {name} | {median} | {p95} | {ref} | {ratio} | {peak} | {notes} | {GOALS[name]} | "
                       f"{'yes' if met else 'no'} |")
    text = RESULTS.read_text() if RESULTS.exists() else ""
    head, _sep, _rest = text.partition("\n## Scale ")
    sections = {}
    if _sep:
        for chunk in ("## Scale " + _rest).split("\n## Scale "):
            chunk = chunk if chunk.startswith("## Scale ") else "## Scale " + chunk
            key = chunk.split("`")[1] if "`" in chunk else chunk
            sections[key] = chunk.strip()
    # figures not re-run this time (--only) keep their rows from the previous run of this scale
    rerun = {row[0] for row in rows}
    kept = [line for line in sections.get(scale, "").splitlines()
            if line.startswith("| ") and line.split("|")[1].strip() in GOALS and line.split("|")[1].strip() not in rerun]
    if kept:
        previous = next((l for l in sections[scale].splitlines() if l.startswith("## Scale ")), "")
        section.insert(1, f"\nRows not re-run this time are kept from the run of {previous.split('— ')[-1]}.")
    table = [line for line in section if line.startswith("| ") and line.split("|")[1].strip() in GOALS]
    merged = sorted(table + kept, key=lambda line: list(GOALS).index(line.split("|")[1].strip()))
    section = [line for line in section if line not in table] + merged
    sections[scale] = "\n".join(section).strip()
    if not head.strip():
        head = ("# Benchmark results\n\nWritten by `python manage.py bench` (benchmarks/runner.py); one section per "
                "scale, the latest run of each. How each figure and its reference are measured: benchmarks/README.md.")
    order = [k for k in ("national", "small") if k in sections] + [k for k in sections if k not in ("national", "small")]
    RESULTS.write_text(head.rstrip() + "\n\n" + "\n\n".join(sections[k] for k in order) + "\n")
