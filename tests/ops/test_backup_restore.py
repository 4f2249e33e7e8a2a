"""Backup and restore: a pg_dump of a database with the seed plans and approved values, restored by
scripts/restore.sh into an empty database, gives the same `assess --json` output for every plan
and the same number of rows in every table (history included)."""

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.core.management import call_command, get_commands
from django.db import connection

from accounts.models import Organization, User
from indicators.models import Indicator
from plans.models import Plan
from projects.choices import State
from projects.models import IndicatorValue

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump/pg_restore need PostgreSQL"),
    pytest.mark.skipif(
        not shutil.which("pg_dump") or not shutil.which("pg_restore"),
        reason="pg_dump and pg_restore (postgresql-client) are not installed",
    ),
    pytest.mark.skipif(
        "load_seed_plans" not in get_commands() or "assess" not in get_commands(),
        reason="needs the load_seed_plans and assess commands",
    ),
]

# Runs in a subprocess against whichever database DATABASE_URL names: every plan, assessed the way
# `manage.py assess CODE --year Y --json` does, with and without preliminary values.
ASSESS_ALL = """
import io, json
from django.core.management import call_command
from plans.models import Plan
out = {}
for plan in Plan.objects.order_by("code"):
    years = plan.years()
    year = ["--year", str(years[min(2, len(years) - 1)])] if years else []
    for extra in ([], ["--include-unapproved"]):
        buffer = io.StringIO()
        call_command("assess", plan.code, *year, "--json", *extra, stdout=buffer)
        out[" ".join([plan.code, *year, *extra])] = json.loads(buffer.getvalue())
print(json.dumps(out, ensure_ascii=False, sort_keys=True))
"""


def database_url(name):
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="") + (":" + quote(s["PASSWORD"], safe="") if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"


def run(command, **env):
    result = subprocess.run(
        command, cwd=BASE_DIR, env={**os.environ, **env}, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{command[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def assess_all(url):
    out = run(
        [sys.executable, "manage.py", "shell", "-c", ASSESS_ALL],
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings.test",
    )
    return json.loads(out.strip().splitlines()[-1])


def table_counts(url):
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("select tablename from pg_tables where schemaname = 'public' order by tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'select count(*) from "{table}"')
            counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


def admin_execute(sql):
    conn = psycopg2.connect(database_url("postgres"))
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def add_values():
    """Approved values for three years of every quantified indicator, and one preliminary value."""
    official = User.objects.create_user("official", password="backup-test-password")
    org = Organization.objects.create(name="备份测试单位")
    indicators = (
        Indicator.objects.exclude(target_value=None).select_related("plan").order_by("plan", "number")
    )
    for indicator in indicators:
        start = indicator.plan.start_year or 2012
        base = indicator.baseline_value or indicator.target_value or Decimal("1")
        for k in (1, 2, 3):
            IndicatorValue.objects.create(
                indicator=indicator,
                year=start + k - 1,
                value=base * (1 + Decimal(k) / 10),
                state=State.APPROVED,
                entered_by=official,
                reviewed_by=official,
                note=f"第{k}年",
            )
    first = indicators.first()
    IndicatorValue.objects.filter(indicator=first, year=(first.plan.start_year or 2012) + 2).update(
        state=State.SUBMITTED
    )
    Indicator.objects.filter(pk=first.pk).update(organization=org)
    return indicators.count()


@pytest.mark.django_db(transaction=True)
def test_it_restores_a_dump_into_an_empty_database_with_identical_assessments(tmp_path):
    call_command("load_seed_plans", user="system:seed", verbosity=0)
    assert Plan.objects.count() == 5
    assert add_values() > 0
    source = database_url(connection.settings_dict["NAME"])
    restored_name = f"{connection.settings_dict['NAME']}_restored"
    restored = database_url(restored_name)
    dump = tmp_path / "guihua.dump"

    run(["bash", "scripts/backup.sh", str(dump)], DATABASE_URL=source)
    assert dump.stat().st_size > 0
    admin_execute(f'drop database if exists "{restored_name}"')
    admin_execute(f'create database "{restored_name}"')
    try:
        run(["bash", "scripts/restore.sh", str(dump)], TARGET_DATABASE_URL=restored)
        before, after = assess_all(source), assess_all(restored)
        assert len(before) == 10  # five plans, approved only and with preliminary values
        assert any(row["value"] for report in before.values() for row in report["indicators"])
        assert after == before
        assert table_counts(restored) == table_counts(source)
        # Restoring over a database that has tables is refused, not merged.
        refused = subprocess.run(
            ["bash", "scripts/restore.sh", str(dump)],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            env={**os.environ, "TARGET_DATABASE_URL": restored},
        )
        assert refused.returncode == 3
        assert "empty database" in refused.stderr
    finally:
        admin_execute(f'drop database if exists "{restored_name}" with (force)')
