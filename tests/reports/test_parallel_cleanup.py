"""Export workers never outlive the process that started them (issue 14 §7): a gunicorn worker killed
mid-export leaves no export process, no database connection and no part file behind."""

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from reports import export_worker, parallel

from . import workbook_factories as f

ROOT = Path(__file__).resolve().parents[2]
EXPORTED_ON = date(2024, 3, 1)

# What the killed process runs: the parallel export of every plan, one plan a worker, each worker
# holding its connection and its written part while it waits (the delay).
EXPORT_SCRIPT = '''
import sys, time
from datetime import date

import django

from reports import export_worker

original = export_worker.run


def slow_run(job):
    part = original(job)
    time.sleep(120)
    return part


if __name__ == "__main__":
    django.setup()
    from plans.models import Plan
    from reports import parallel

    export_worker.run = slow_run
    plans = list(Plan.objects.order_by("pk"))
    parallel.write_plans_workbook(
        plans, 2023, sys.argv[1], exported_on=date(2024, 3, 1), processes=2, parallel_from=1, chunk=1
    )
'''


def children_of(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for a reaper that never comes (containers)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def worker_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND application_name = %s",
            [connection.settings_dict["NAME"], export_worker.APPLICATION_NAME],
        )
        return cursor.fetchone()[0]


def part_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{parallel.FOLDER_PREFIX}*/part-*.xlsx"))


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_process_connection_or_part_file_when_the_exporting_process_is_killed(tmp_path):
    f.district_plan()
    f.hostile_plan()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    script = tmp_path / "export.py"
    script.write_text(EXPORT_SCRIPT)
    db = connection.settings_dict
    env = {
        **os.environ,
        "TMPDIR": str(scratch),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "PYTHONPATH": str(ROOT),
    }
    exporter = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "out.xlsx")], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        started = wait_for(lambda: len(part_files(scratch)) == 2 and worker_connections() == 2, 90)
        assert started, exporter.stderr.read().decode() if exporter.poll() is not None else "no parts"
        children = children_of(exporter.pid)
        assert len(children) >= 2  # the two workers (and multiprocessing's resource tracker)

        exporter.send_signal(signal.SIGKILL)  # as gunicorn's master does to a worker past its timeout
        exporter.wait()

        assert wait_for(lambda: not any(alive(pid) for pid in children), 5), "an export process outlived it"
        assert wait_for(lambda: worker_connections() == 0, 5), "an export process's connection is still open"
        assert part_files(scratch) == []
        assert list(scratch.iterdir()) == []
        assert not (tmp_path / "out.xlsx").exists()
    finally:
        if exporter.poll() is None:
            exporter.kill()
            exporter.wait()
        exporter.stderr.close()


@pytest.mark.django_db(transaction=True)
def test_the_next_export_sweeps_a_folder_whose_owner_is_gone(tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = scratch / f"{parallel.FOLDER_PREFIX}{int(gone.stdout)}-abc"
    stale.mkdir()
    (stale / "part-0.xlsx").write_bytes(b"left by a killed export")
    mine = scratch / f"{parallel.FOLDER_PREFIX}{os.getpid()}-def"  # a concurrent export of this process
    mine.mkdir()
    other = scratch / "someone-elses-folder"
    other.mkdir()

    plans = [f.district_plan(), f.hostile_plan()]
    parallel.write_plans_workbook(
        plans, 2023, tmp_path / "out.xlsx", exported_on=EXPORTED_ON, processes=2, parallel_from=1, chunk=1
    )
    assert (tmp_path / "out.xlsx").stat().st_size > 0
    assert sorted(p.name for p in scratch.iterdir()) == sorted([mine.name, other.name])
