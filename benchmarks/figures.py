"""The figures, each measured beside its reference. One figure (or one side of it) per process:

    DJANGO_SETTINGS_MODULE=benchmarks.settings BENCH_DATABASE_URL=… python -m benchmarks.figures NAME [PART]

prints one JSON object on its last line (times in milliseconds, ``peak_mb`` = the process's maximum
resident set size, so every measurement's memory peak is its own). ``benchmarks.runner`` drives it.
"""
from __future__ import annotations

import hashlib
import json
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from functools import partial
from decimal import Decimal
from pathlib import Path

from .generate import BENCH_YEAR, IMPORT_PLAN, PLAN_PREFIX, PLANNER, START_YEAR, plan_code

REPEATS = {"small": 5, "national": 20}


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class TreeMemory:
    """Peak memory of this process and its children (the export's workers) together, sampled every
    50 ms as the sum of their PSS: a page shared by several processes (the interpreter, lxml, numpy)
    is split among them instead of counted in each, as adding up their RSS would."""

    def __init__(self):
        self.peak_kb, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return round(self.peak_kb / 1024, 1)

    def _sample(self):
        while True:
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _tree(os.getpid())))
            if self._stop.wait(0.05):
                return


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in children.read_text().split():
            pids += _tree(int(child))
    return pids


def _pss_kb(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:  # gone meanwhile
        return 0
    return next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))


def timed(fn, repeats: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered) + 0.5) - 1))]
    return {"median_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1), "n": len(ordered)}


def bench_plans():
    from plans.models import Plan

    return Plan.objects.filter(code__startswith=PLAN_PREFIX).order_by("code")


# ---------------------------------------------------------------------------- dashboard


def dashboard(scale: str, part: str) -> dict:
    """GET /reports/plans/bp-00001/ as the planner with Django's test client; the same plan in both
    databases (``part`` is only a label: the runner points BENCH_DATABASE_URL at the seed or full one)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=PLANNER))
    url = f"/reports/plans/{plan_code(1)}/"

    def get():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    get()  # the first request connects and fills caches; count the queries of a warm one
    with CaptureQueriesContext(connection) as queries:
        response = get()
    query_count = len(queries)  # now: every request_started clears the connection's query log
    times = timed(get, REPEATS[scale], warmup=1)
    return {**summary(times), "queries": query_count, "bytes": len(response.content),
            "plans_in_db": bench_plans().count()}


# ---------------------------------------------------------------------------- overview

# The floor: the same counts in one SQL statement, with the assessment simplified to what SQL can
# say at the plan's target year: the latest approved value up to the year (for cumulative targets
# the sum over the period; for growth targets the realised yearly growth from the baseline) against
# the target → achieved / not achieved; no value → no data; relative and qualitative targets →
# not assessable. At the target year the app's verdicts are these same four, so the counts agree
# except where the app's rules are finer (tolerances, a value older than the target year).
OVERVIEW_SQL = """
WITH latest AS (
    SELECT DISTINCT ON (v.indicator_id) v.indicator_id, v.year, v.value
    FROM projects_indicatorvalue v JOIN indicators_indicator i ON i.id = v.indicator_id
    JOIN plans_plan p ON p.id = i.plan_id
    WHERE v.state = 'approved' AND v.year <= %(year)s AND p.code LIKE %(prefix)s
    ORDER BY v.indicator_id, v.year DESC
), total AS (
    SELECT v.indicator_id, sum(v.value) AS value
    FROM projects_indicatorvalue v JOIN indicators_indicator i ON i.id = v.indicator_id
    JOIN plans_plan p ON p.id = i.plan_id
    WHERE v.state = 'approved' AND v.year <= %(year)s AND v.year >= p.start_year AND p.code LIKE %(prefix)s
      AND i.target_kind = 'cumulative'
    GROUP BY v.indicator_id
), judged AS (
    SELECT i.plan_id,
      CASE
        WHEN i.target_kind IN ('relative', 'qualitative') THEN 'not_assessable'
        WHEN l.value IS NULL THEN 'no_data'
        WHEN CASE i.target_kind
          WHEN 'at_least' THEN l.value >= i.target_value
          WHEN 'above' THEN l.value > i.target_value
          WHEN 'at_most' THEN l.value <= i.target_value
          WHEN 'below' THEN l.value < i.target_value
          WHEN 'rank' THEN l.value <= i.target_value
          WHEN 'range' THEN CASE WHEN i.direction = 'down' THEN l.value <= i.target_high ELSE l.value >= i.target_low END
          WHEN 'approx' THEN CASE WHEN i.direction = 'down' THEN l.value <= i.target_value * 1.05
                                  ELSE l.value >= i.target_value * 0.95 END
          WHEN 'multiple' THEN l.value >= i.target_value * i.baseline_value
          WHEN 'cumulative' THEN t.value >= i.target_value
          WHEN 'growth' THEN i.baseline_value > 0 AND l.year > i.baseline_year AND
               power(l.value / i.baseline_value, 1.0 / (l.year - i.baseline_year)) - 1 >= i.target_value / 100
        END THEN 'achieved'
        ELSE 'not_achieved'
      END AS verdict
    FROM indicators_indicator i JOIN plans_plan p ON p.id = i.plan_id
    LEFT JOIN latest l ON l.indicator_id = i.id LEFT JOIN total t ON t.indicator_id = i.id
    WHERE p.code LIKE %(prefix)s
)
SELECT plan_id, verdict, count(*) FROM judged GROUP BY plan_id, verdict
"""


# The floor once verdicts are stored: the same counts read straight from the stored rows.
STORED_SQL = """
SELECT i.plan_id, s.verdict, count(*)
FROM reports_storedassessment s JOIN indicators_indicator i ON i.id = s.indicator_id
JOIN plans_plan p ON p.id = i.plan_id
WHERE s.year = %(year)s AND p.code LIKE %(prefix)s
GROUP BY i.plan_id, s.verdict
"""


def store(scale: str, part: str) -> dict:
    """``manage.py refresh_assessments --year BENCH_YEAR``, timed: what a deployment runs after a bulk load."""
    from reports.services import assessments_refresh

    started = time.perf_counter()
    stored = assessments_refresh(years=[BENCH_YEAR])
    return {"stored": stored, "year": BENCH_YEAR, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _totals(rows) -> dict[str, int]:
    totals: dict[str, int] = {}
    for _plan, verdict, n in rows:
        totals[verdict] = totals.get(verdict, 0) + n
    return totals


def overview(scale: str, part: str) -> dict:
    """``verdict_counts`` of every plan: once with nothing stored for the year (cold, assessed live),
    then, after the refresh, warm,
    beside the values SQL and the stored-rows SQL."""
    from django.db import connection

    from reports.models import StoredAssessment
    from reports.services import analyze_store, assessments_refresh
    from reports.summaries import verdict_counts

    result: dict = {}

    def app():
        result["app"] = verdict_counts(bench_plans(), BENCH_YEAR)

    def sql(query, key):
        with connection.cursor() as cursor:
            cursor.execute(query, {"year": BENCH_YEAR, "prefix": PLAN_PREFIX + "%"})
            result[key] = cursor.fetchall()

    StoredAssessment.objects.filter(year=BENCH_YEAR, indicator__plan__code__startswith=PLAN_PREFIX).delete()
    cold = timed(app, 1, warmup=0)[0]  # assessed live: readers never store
    assessments_refresh(years=[BENCH_YEAR])  # what the write path and refresh_assessments do
    analyze_store()  # autovacuum would, minutes later
    app_times = timed(app, REPEATS[scale])
    sql_times = timed(lambda: sql(OVERVIEW_SQL, "sql"), REPEATS[scale])
    stored_times = timed(lambda: sql(STORED_SQL, "stored"), REPEATS[scale])
    app_totals: dict[str, int] = {}
    for counts in result["app"].values():
        for verdict, n in counts.items():
            app_totals[verdict] = app_totals.get(verdict, 0) + n
    app_totals = {k: v for k, v in app_totals.items() if v}
    return {"app": summary(app_times), "ref": summary(sql_times), "ref_stored": summary(stored_times),
            "cold_ms": round(cold, 1), "plans": len(result["app"]), "app_totals": app_totals,
            "sql_totals": _totals(result["sql"]), "same_as_stored_sql": app_totals == _totals(result["stored"])}


# ---------------------------------------------------------------------------- export_all


def _table_rows():
    """The plan sheets' table (one SQL query + a pivot): what the floor and pandas write."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT p.code, p.title, i.id, i.number, i.name, i.unit, i.attribute, i.baseline_year,
                      i.baseline_value, i.target_text, v.year, v.value
               FROM plans_plan p JOIN indicators_indicator i ON i.plan_id = p.id
               LEFT JOIN projects_indicatorvalue v ON v.indicator_id = i.id AND v.state = 'approved'
                    AND v.year <= %s
               WHERE p.code LIKE %s ORDER BY p.code, i.number, v.year""",
            [BENCH_YEAR, PLAN_PREFIX + "%"],
        )
        rows: dict = {}
        for code, title, iid, number, name, unit, attribute, by, bv, target, year, value in cursor:
            row = rows.get(iid)
            if row is None:
                row = rows[iid] = [code, title, number, name, unit, attribute, by, bv, target, {}]
            if year is not None:
                row[9][year] = value
        return list(rows.values())


YEARS = list(range(START_YEAR, BENCH_YEAR + 1))
EXPLANATION = "截至2025年为3.52%，目标达到3.50%，已完成。"  # a typical 说明 cell, the same length


def _flat(row) -> list:
    code, title, number, name, unit, attribute, by, bv, target, values = row
    return [code, number, name, unit, attribute, by, bv, target, *(values.get(y) for y in YEARS),
            Decimal("1.0"), Decimal("1.0"), "已完成", "预计可完成", EXPLANATION, ""]


def export_all(scale: str, part: str) -> dict:
    out = Path(tempfile.mkdtemp(prefix="guihua-bench-")) / f"{part}.xlsx"
    with TreeMemory() as memory:
        started = time.perf_counter()
        _write_export(part, out)
        ms = (time.perf_counter() - started) * 1000
    size = out.stat().st_size
    out.unlink()
    out.parent.rmdir()
    children = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    return {"ms": round(ms, 1), "peak_mb": memory.peak_mb, "rss_mb": peak_mb(), "worker_rss_mb": children,
            "bytes": size}


def _write_export(part: str, out: Path) -> None:
    from openpyxl import Workbook

    if part == "app":
        from plans.models import PLAN_TEXT_FIELDS
        from reports.parallel import write_plans_workbook

        plans = bench_plans().defer(*PLAN_TEXT_FIELDS)  # as the export view and command read them
        write_plans_workbook(plans, BENCH_YEAR, out, exported_on=date(2026, 3, 1))
    elif part == "openpyxl":
        # the floor: the same plan sheets' cells, no styles, widths, merges, charts or assessment
        wb = Workbook(write_only=True)
        summary_ws = wb.create_sheet("汇总")
        plans: dict[str, list] = {}
        for row in _table_rows():
            plans.setdefault(row[0], []).append(row)
        for n, (code, rows) in enumerate(plans.items(), start=1):
            ws = wb.create_sheet(code)
            ws.append([rows[0][1]])
            ws.append([f"{BENCH_YEAR}年度监测评估"])
            ws.append(["规划期"])
            ws.append(["序号", "指标", "单位", "属性", "基期年", "基期值", "目标值", *(f"{y}年" for y in YEARS),
                       "完成进度", "时序进度", "评价", "趋势判断", "说明", "备注"])
            for row in rows:
                ws.append(_flat(row)[1:])
            summary_ws.append([n, code, len(rows)])
        wb.save(out)
    elif part == "pandas":
        import pandas as pd

        columns = ["规划", "序号", "指标", "单位", "属性", "基期年", "基期值", "目标值", *(f"{y}年" for y in YEARS),
                   "完成进度", "时序进度", "评价", "趋势判断", "说明", "备注"]
        frame = pd.DataFrame([_flat(row) for row in _table_rows()], columns=columns)
        frame.to_excel(out, index=False, sheet_name="指标")
    else:
        raise SystemExit(f"unknown part {part}")


# ---------------------------------------------------------------------------- import_100k


def import_files(scale: str) -> list[Path]:
    """One entry template per year of the import plan (its N indicators × ten years), in the layout
    ``projects.excel.build_template`` writes and ``projects.imports.read_xlsx`` reads (same sheets,
    header row, hidden id and version columns, meta sheet), filled in, and cached on disk."""
    from openpyxl import Workbook

    from accounts.models import Organization
    from indicators.models import Indicator
    from plans.models import Plan
    from projects.excel import HEADERS, META_SHEET, SHEET_NAME

    plan = Plan.objects.get(code=IMPORT_PLAN)
    indicators = list(Indicator.objects.filter(plan=plan).order_by("number").values_list("id", "number", "name"))
    org = Organization.objects.get(name="导入单位")
    layout = hashlib.sha256("|".join(HEADERS).encode()).hexdigest()[:8]  # a new template layout: new files
    folder = Path(tempfile.gettempdir()) / f"guihua-bench-import-{scale}-{len(indicators)}-{indicators[0][0]}-{layout}"
    folder.mkdir(exist_ok=True)
    paths = []
    for year in YEARS:
        path = folder / f"{year}.xlsx"
        paths.append(path)
        if path.exists():
            continue
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(SHEET_NAME)
        ws.append([f"{plan.title} {year}年度指标填报：请在黄色单元格中填写。"])
        ws.append(HEADERS)
        for pk, number, name in indicators:
            value = Decimal(number % 997) + Decimal(year - START_YEAR) / 4
            cells = {"序号": number, "指标": name, "单位": "项", "目标": "达到1000", "本年数值": float(value),
                     "数据来源": "统计年鉴", "数据性质(初步/核实)": "核实", "指标ID": pk, "版本": 0}
            ws.append([cells.get(header) for header in HEADERS])
        meta = wb.create_sheet(META_SHEET)
        for row in (["plan", plan.code], ["year", year], ["organization", org.pk]):
            meta.append(row)
        tmp = path.with_suffix(".tmp")
        wb.save(tmp)
        tmp.rename(path)
    return paths


def _clear_import_values() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM projects_historicalindicatorvalue WHERE indicator_id IN "
            "(SELECT i.id FROM indicators_indicator i JOIN plans_plan p ON p.id = i.plan_id WHERE p.code = %s)",
            [IMPORT_PLAN],
        )
        cursor.execute(
            "DELETE FROM projects_indicatorvalue WHERE indicator_id IN "
            "(SELECT i.id FROM indicators_indicator i JOIN plans_plan p ON p.id = i.plan_id WHERE p.code = %s)",
            [IMPORT_PLAN],
        )


def _count_import_values() -> int:
    from projects.models import IndicatorValue

    return IndicatorValue.objects.filter(indicator__plan__code=IMPORT_PLAN).count()


def _app_import(paths: list[Path]) -> int:
    """What ``manage.py import_values FILE --state draft`` does, file by file (≤ 50,000 rows each)."""
    from projects.imports import apply_import, import_file

    written = 0
    for path in paths:
        plan = import_file(path.read_bytes(), path.name)
        assert not plan.errors, plan.errors[:3]
        written += apply_import(plan)
    return written


def _import_export_resource():
    from import_export import fields, resources, widgets

    from indicators.models import Indicator
    from projects.models import IndicatorValue

    class IndicatorValueResource(resources.ModelResource):
        """What a Django developer would write with django-import-export for the same template."""

        indicator = fields.Field(attribute="indicator", column_name="指标ID",
                                 widget=widgets.ForeignKeyWidget(Indicator, "pk"))
        value = fields.Field(attribute="value", column_name="本年数值", widget=widgets.DecimalWidget())
        source = fields.Field(attribute="source", column_name="数据来源")
        year = fields.Field(attribute="year", column_name="year")

        def __init__(self, year):
            super().__init__()
            self.year = year

        class Meta:
            model = IndicatorValue
            fields = ("indicator", "year", "value", "source")
            import_id_fields = ("indicator", "year")
            skip_unchanged = False
            use_transactions = True

    return IndicatorValueResource


def _import_export(paths: list[Path]) -> int:
    import tablib

    resource_class = _import_export_resource()
    written = 0
    for path, year in zip(paths, YEARS):
        with path.open("rb") as stream:
            dataset = tablib.Dataset().load(stream, format="xlsx", skip_lines=1)
        dataset.append_col([year] * len(dataset), header="year")  # the year is on the meta sheet
        result = resource_class(year).import_data(dataset, dry_run=False, raise_errors=True)
        written += result.totals.get("new", 0) + result.totals.get("update", 0)
    return written


def _copy(rows_by_year) -> int:
    import io

    from django.db import connection, transaction

    buffer = io.StringIO()
    n = 0
    for year, rows in rows_by_year:
        for pk, value, source in rows:
            buffer.write(f"draft\t\t\t1\tf\t{year}\t{value}\t{source}\tpreliminary\t{pk}\tf\n")
            n += 1
    buffer.seek(0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            "COPY projects_indicatorvalue (state, note, return_reason, version, is_demo, year, value, source, "
            "vintage, indicator_id, self_reviewed) FROM STDIN", buffer)
    return n


IMPORT_EXPORT_FILES = {"national": 2}


def import_100k(scale: str, part: str) -> dict:
    from openpyxl import load_workbook

    from projects.excel import COL

    paths = import_files(scale)
    _clear_import_values()
    if part == "app":
        fn = partial(_app_import, paths)
    elif part == "import_export":
        # at national scale, the first IMPORT_EXPORT_FILES files only (a sample; the runner scales it)
        fn = partial(_import_export, paths[: IMPORT_EXPORT_FILES.get(scale, len(paths))])
    elif part == "copy":
        # the floor: the same rows, already read from the files, written with COPY (no validation, no history)
        rows_by_year = []
        for path, year in zip(paths, YEARS):
            book = load_workbook(path, read_only=True)
            rows = [(r[COL["指标ID"] - 1], r[COL["本年数值"] - 1], r[COL["数据来源"] - 1])
                    for r in book["填报"].iter_rows(min_row=3, values_only=True)]
            book.close()
            rows_by_year.append((year, rows))
        fn = partial(_copy, rows_by_year)
    else:
        raise SystemExit(f"unknown part {part}")
    started = time.perf_counter()
    written = fn()
    ms = (time.perf_counter() - started) * 1000
    stored = _count_import_values()
    _clear_import_values()
    return {"ms": round(ms, 1), "rows": written, "stored": stored, "files": len(paths), "peak_mb": peak_mb()}


# ---------------------------------------------------------------------------- entry


FIGURES = {"dashboard": dashboard, "overview": overview, "export_all": export_all, "import_100k": import_100k,
           "store": store}


def main(argv=None) -> None:
    import django

    argv = sys.argv[1:] if argv is None else argv
    name, scale, part = argv[0], argv[1], argv[2] if len(argv) > 2 else ""
    django.setup()
    if name == "entry_load":
        from .load import entry_load

        result = entry_load(scale, part)
    else:
        result = FIGURES[name](scale, part)
    sys.stdout.write("\n" + json.dumps(result, default=str) + "\n")
    sys.stdout.flush()
    os._exit(0)  # no interpreter teardown in the measured process


if __name__ == "__main__":
    main()
