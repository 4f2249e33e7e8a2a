"""Synthetic national-scale data for the benchmarks: regions → organizations → plans with sections
and indicators of every target kind → yearly values in every workflow state.

Deterministic: plan number n is drawn from ``random.Random(seed * 1_000_003 + n)`` alone, so plan 1 is
the same plan whatever the scale (the ``dashboard`` figure compares it in a tiny "seed" database with
itself among 3,000 plans). Loaded with PostgreSQL ``COPY`` (text format) from in-memory buffers, ids
assigned here and the sequences moved past them afterwards. Runs only in a dedicated benchmark
database (``benchmarks.settings``), never the development or test database.

    DJANGO_SETTINGS_MODULE=benchmarks.settings BENCH_DATABASE_URL=postgres://…/guihua_bench \\
        python -m benchmarks.generate --scale small
"""
from __future__ import annotations

import argparse
import io
import random
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal

SCALES = {
    # plans × indicators per plan × years (values = the product)
    "seed": {"plans": 1, "indicators": 30, "years": 10, "import_indicators": 0, "load_clients": 0},
    "small": {"plans": 20, "indicators": 30, "years": 10, "import_indicators": 300, "load_clients": 50},
    "national": {"plans": 3_000, "indicators": 30, "years": 10, "import_indicators": 10_000, "load_clients": 50},
}
START_YEAR = 2016  # plans run 2016–2025 (ten reporting years), baseline 2015
BENCH_YEAR = 2025  # the year every figure assesses
PASSWORD = "bench-password-2026"
PLANNER = "bench-planner"
PLAN_PREFIX = "bp-"
LOAD_PLAN = "bench-load"
IMPORT_PLAN = "bench-import"
LOAD_INDICATORS_PER_CLIENT = 5
PROVINCES = [
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
    "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区",
    "新疆维吾尔自治区",
]
# (name, unit, target kind, aggregation, direction)
INDICATOR_SHAPES = [
    ("全社会研发经费投入强度", "%", "at_least", "level", "up"),
    ("万人高价值发明专利拥有量", "件", "at_least", "level", "up"),
    ("规模以上工业企业研发投入占营业收入比重", "%", "range", "level", "up"),
    ("技术合同成交额", "亿元", "growth", "level", "up"),
    ("高新技术企业数量", "家", "multiple", "level", "up"),
    ("科技型中小企业累计评价入库数", "家", "cumulative", "cumulative", "up"),
    ("区域创新能力排名", "位", "rank", "level", "down"),
    ("公民具备科学素质的比例", "%", "above", "level", "up"),
    ("单位地区生产总值能耗", "吨标准煤/万元", "at_most", "level", "down"),
    ("每万名就业人员中研发人员", "人年", "approx", "level", "up"),
    ("基础研究经费占研发经费比重", "%", "at_least", "level", "up"),
    ("科技成果转化项目数", "项", "cumulative", "cumulative", "up"),
    ("数字经济核心产业增加值占比", "%", "range", "level", "up"),
    ("新型研发机构数量", "家", "growth", "level", "up"),
    ("省级以上创新平台数量", "个", "multiple", "level", "up"),
    ("万元地区生产总值用水量", "立方米", "below", "level", "down"),
    ("科技创新综合水平", "", "relative", "level", "up"),
    ("创新生态", "", "qualitative", "level", "up"),
]
STATE_WEIGHTS = [("approved", 80), ("submitted", 8), ("draft", 7), ("returned", 5)]


@dataclass
class Ids:
    region: int = 0
    organization: int = 0
    plan: int = 0
    section: int = 0
    indicator: int = 0
    value: int = 0

    def next(self, name: str) -> int:
        setattr(self, name, getattr(self, name) + 1)
        return getattr(self, name)


class Tables:
    """Rows per table, written to PostgreSQL with COPY … FROM STDIN (text format)."""

    COLUMNS = {
        "accounts_region": ["id", "name", "level", "parent_id"],
        "accounts_organization": ["id", "name", "short_name", "region_id"],
        "plans_plan": [
            "id", "code", "title", "short_name", "kind", "issuer", "document_number", "issued_on", "start_year",
            "end_year", "base_year", "source_text", "source_note", "parent_id", "region_id", "change_stamp",
        ],
        "plans_section": ["id", "kind", "label", "title", "body", "position", "depth", "parent_id", "plan_id"],
        "indicators_indicator": [
            "id", "number", "name", "unit", "category", "definition", "baseline_year", "baseline_value",
            "baseline_text", "target_year", "target_text", "target_kind", "target_value", "target_low",
            "target_high", "attribute", "direction", "aggregation", "source_quote", "concept_id",
            "organization_id", "plan_id", "section_id", "change_stamp",
        ],
        "projects_indicatorvalue": [
            "id", "state", "note", "return_reason", "version", "is_demo", "entered_at", "submitted_at",
            "reviewed_at", "year", "value", "source", "vintage", "indicator_id", "self_reviewed",
        ],
    }

    def __init__(self):
        self.buffers = {name: io.StringIO() for name in self.COLUMNS}
        self.counts = dict.fromkeys(self.COLUMNS, 0)

    def add(self, table: str, *values) -> None:
        self.buffers[table].write("\t".join(_copy_text(v) for v in values) + "\n")
        self.counts[table] += 1

    def copy(self, cursor) -> None:
        for table, columns in self.COLUMNS.items():  # parents before children
            buffer = self.buffers[table]
            buffer.seek(0)
            cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
            self.buffers[table] = io.StringIO()


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


# ---------------------------------------------------------------------------- one plan


def plan_code(number: int) -> str:
    return f"{PLAN_PREFIX}{number:05d}"


def _target(rng: random.Random, kind: str, baseline: Decimal) -> tuple[str, Decimal | None, Decimal | None, Decimal | None]:
    """(target text, value, low, high) for a kind, around a plausible goal from the baseline."""
    goal = (baseline * Decimal(str(round(rng.uniform(1.15, 1.6), 2)))).quantize(Decimal("0.01"))
    if kind == "at_least":
        return f"达到{goal}", goal, None, None
    if kind == "above":
        return f"突破{goal}", goal, None, None
    if kind == "at_most":
        cap = (baseline * Decimal(str(round(rng.uniform(0.8, 0.95), 2)))).quantize(Decimal("0.01"))
        return f"控制在{cap}以内", cap, None, None
    if kind == "below":
        cap = (baseline * Decimal("0.9")).quantize(Decimal("0.01"))
        return f"低于{cap}", cap, None, None
    if kind == "range":
        return f"{goal}—{goal + 1}", None, goal, goal + 1
    if kind == "approx":
        return f"{goal}左右", goal, None, None
    if kind == "rank":
        rank = Decimal(rng.randint(3, 10))
        return f"保持第{rank}位", rank, None, None
    if kind == "growth":
        rate = Decimal(rng.choice([5, 8, 10, 12, 15]))
        return f"年均增长{rate}%以上", rate, None, None
    if kind == "multiple":
        return "翻一番", Decimal(2), None, None
    if kind == "cumulative":
        total = (baseline * 10).quantize(Decimal(1))
        return f"〔{total}〕", total, None, None
    if kind == "relative":
        return "明显提升", None, None, None
    return "创新生态持续优化", None, None, None


def _series(rng: random.Random, kind: str, baseline: Decimal, years: int) -> list[Decimal]:
    """A yearly series moving towards (or past, or short of) the target, a few percent of noise."""
    pace = rng.uniform(-0.02, 0.09)
    if kind in ("at_most", "below", "rank"):
        pace = -pace
    if kind == "multiple":
        pace = rng.uniform(0.03, 0.12)
    out, level = [], float(baseline)
    for _ in range(years):
        if kind == "cumulative":
            out.append(Decimal(str(round(float(baseline) * rng.uniform(0.7, 1.3), 2))))
            continue
        level = max(level * (1 + pace + rng.uniform(-0.03, 0.03)), 0.01)
        if kind == "rank":
            level = max(1.0, level)
            out.append(Decimal(round(level)))
        else:
            out.append(Decimal(str(round(level, 2))))
    return out


def add_plan(tables: Tables, ids: Ids, number: int, region_id: int, org_id: int, seed: int, spec: dict) -> int:
    rng = random.Random(seed * 1_000_003 + number)
    plan_id = ids.next("plan")
    county = f"县{number:05d}"
    end = START_YEAR + spec["years"] - 1
    tables.add(
        "plans_plan", plan_id, plan_code(number), f"{county}“十四五”科技创新规划（{START_YEAR}—{end}年）",
        f"{county}科技规划", "five_year", f"{county}人民政府", f"{county}政发〔{START_YEAR}〕{number % 97 + 1}号",
        f"{START_YEAR}-03-01", START_YEAR, end, START_YEAR - 1, "", "合成数据（benchmarks.generate）", None, region_id,
        uuid.uuid4(),
    )
    # sections: six chapters, each with two subsections; the indicator box sits in chapter one
    section_ids, position = [], 0
    for chapter in range(1, 7):
        position += 1
        chapter_id = ids.next("section")
        tables.add("plans_section", chapter_id, "chapter", f"第{chapter}章", f"发展任务{chapter}",
                   "合成正文。" * rng.randint(5, 30), position, 0, None, plan_id)
        for sub in range(1, 3):
            position += 1
            sid = ids.next("section")
            tables.add("plans_section", sid, "section", f"（{sub}）", f"重点任务{chapter}.{sub}",
                       "合成正文。" * rng.randint(5, 30), position, 1, chapter_id, plan_id)
            section_ids.append(sid)
    years = list(range(START_YEAR, START_YEAR + spec["years"]))
    for n in range(1, spec["indicators"] + 1):
        name, unit, kind, aggregation, direction = INDICATOR_SHAPES[(n - 1) % len(INDICATOR_SHAPES)]
        indicator_id = ids.next("indicator")
        baseline = Decimal(str(round(rng.uniform(1.5, 400), 2))) if kind != "rank" else Decimal(rng.randint(5, 20))
        text, value, low, high = _target(rng, kind, baseline)
        tables.add(
            "indicators_indicator", indicator_id, n, name if n <= len(INDICATOR_SHAPES) else f"{name}（{n}）",
            unit, "创新投入" if n % 3 else "创新产出", "", START_YEAR - 1, baseline, "", end, text, kind, value, low,
            high, "binding" if n % 7 == 0 else "expected", direction, aggregation, "", None, org_id, plan_id,
            rng.choice(section_ids), uuid.uuid4(),
        )
        for year, number_value in zip(years, _series(rng, kind, baseline, len(years))):
            state = rng.choices([s for s, _w in STATE_WEIGHTS], [w for _s, w in STATE_WEIGHTS])[0]
            if year <= BENCH_YEAR - 3 and state != "approved" and rng.random() < 0.7:
                state = "approved"  # old years are mostly reviewed
            tables.add(
                "projects_indicatorvalue", ids.next("value"), state, "", "退回：请核实口径" if state == "returned" else "",
                1, False, f"{year + 1}-02-01 09:00+08", f"{year + 1}-02-10 09:00+08" if state in ("submitted", "approved") else None,
                f"{year + 1}-03-01 09:00+08" if state == "approved" else None, year, number_value, "统计年鉴",
                "verified" if state == "approved" else "preliminary", indicator_id, False,
            )
    return plan_id


# ---------------------------------------------------------------------------- the database


def reset(cursor) -> None:
    cursor.execute(
        "TRUNCATE projects_indicatorvalue, projects_historicalindicatorvalue, indicators_indicator, "
        "indicators_historicalindicator, plans_section, plans_plan, accounts_membership, accounts_organization, "
        "accounts_region, accounts_user, django_session, axes_accessattempt, axes_accesslog, axes_accessfailurelog, "
        "projects_reportingyear, projects_historicalreportingyear RESTART IDENTITY CASCADE"
    )


def _fix_sequences(cursor) -> None:
    for table in Tables.COLUMNS:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")


def generate(scale: str = "small", seed: int = 2026, log=print) -> dict:
    """Replace the benchmark database's content with `scale`'s data; returns what was made."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from accounts.models import Membership, Organization, User

    spec = SCALES[scale]
    started = time.perf_counter()
    ids, tables = Ids(), Tables()
    with transaction.atomic(), connection.cursor() as cursor:
        reset(cursor)
        raw = cursor.cursor  # psycopg2 cursor, for copy_expert
        country = ids.next("region")
        tables.add("accounts_region", country, "全国", "national", None)
        national_org = ids.next("organization")
        tables.add("accounts_organization", national_org, "科学技术部", "科技部", country)
        provinces = []
        for name in PROVINCES:
            provinces.append(ids.next("region"))
            tables.add("accounts_region", provinces[-1], name, "province", country)
        tables.copy(raw)
        for number in range(1, spec["plans"] + 1):
            region_id = ids.next("region")
            tables.add("accounts_region", region_id, f"县{number:05d}", "county", provinces[(number - 1) % len(provinces)])
            org_id = ids.next("organization")
            tables.add("accounts_organization", org_id, f"县{number:05d}科技局", "科技局", region_id)
            add_plan(tables, ids, number, region_id, org_id, seed, spec)
            if number % 500 == 0:
                tables.copy(raw)
        tables.copy(raw)
        _fix_sequences(cursor)
        password = make_password(PASSWORD)  # hashed once, shared by every benchmark account
        planner = User.objects.create(username=PLANNER, full_name="压测规划人员", password=password)
        Membership.objects.create(user=planner, organization_id=national_org, role="planner")
        _load_fixture(spec, seed, password)
        _import_fixture(spec)
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
        cursor.execute("DELETE FROM bench_meta")
        cursor.execute("INSERT INTO bench_meta VALUES ('scale', %s), ('seed', %s)", [scale, str(seed)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    made = {
        "scale": scale, "plans": spec["plans"], "indicators": ids.indicator, "values": ids.value,
        "seconds": round(time.perf_counter() - started, 1),
    }
    log(f"generated {made}")
    del Organization
    return made


def _load_fixture(spec: dict, seed: int, password: str) -> None:
    """entry_load: one plan whose indicators are split among 50 units, one official each, draft values."""
    from accounts.models import Membership, Organization, User
    from indicators.models import Indicator
    from plans.models import Plan
    from projects.models import IndicatorValue

    clients = spec["load_clients"]
    if not clients:
        return
    plan = Plan.objects.create(code=LOAD_PLAN, title="压测规划", start_year=START_YEAR, end_year=BENCH_YEAR,
                               base_year=START_YEAR - 1)
    rng = random.Random(seed)
    indicators, values = [], []
    for client in range(1, clients + 1):
        org = Organization.objects.create(name=f"压测单位{client:03d}")
        user = User.objects.create(username=f"bench-official-{client:03d}", password=password)
        Membership.objects.create(user=user, organization=org, role="official")
        for k in range(LOAD_INDICATORS_PER_CLIENT):
            number = (client - 1) * LOAD_INDICATORS_PER_CLIENT + k + 1
            indicators.append(Indicator(
                plan=plan, number=number, name=f"压测指标{number}", unit="项", target_kind="at_least",
                target_value=Decimal(100), target_text="达到100", baseline_year=START_YEAR - 1,
                baseline_value=Decimal(rng.randint(40, 60)), organization=org,
            ))
    Indicator.objects.bulk_create(indicators)
    for indicator in indicators:
        values.append(IndicatorValue(indicator=indicator, year=BENCH_YEAR, value=Decimal(50), state="draft"))
    IndicatorValue.objects.bulk_create(values)


def _import_fixture(spec: dict) -> None:
    """import_100k: one plan with N indicators of one unit and no values; one template per year → N × 10 rows."""
    from accounts.models import Organization
    from indicators.models import Indicator
    from plans.models import Plan

    count = spec["import_indicators"]
    if not count:
        return
    org = Organization.objects.create(name="导入单位")
    plan = Plan.objects.create(code=IMPORT_PLAN, title="导入压测规划", start_year=START_YEAR, end_year=BENCH_YEAR,
                               base_year=START_YEAR - 1)
    Indicator.objects.bulk_create(
        [Indicator(plan=plan, number=n, name=f"导入指标{n}", unit="项", target_kind="at_least",
                   target_value=Decimal(1000), target_text="达到1000", organization=org)
         for n in range(1, count + 1)],
        batch_size=5000,
    )


def stored_scale() -> str | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_meta')")
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute("SELECT value FROM bench_meta WHERE key = 'scale'")
        row = cursor.fetchone()
        return row[0] if row else None


def main(argv=None) -> None:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    generate(args.scale, args.seed)


if __name__ == "__main__":
    main()
