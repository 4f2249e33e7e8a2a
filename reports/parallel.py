"""The assessment workbook of many plans, written by several processes at once (as ``pg_dump -j``
dumps tables): what every export of plans calls (``write_plans_workbook``).

Writing styled cells is nearly all of an export's time and Python does it on one core. With
``GUIHUA_EXPORT_PROCESSES`` above 1, on PostgreSQL, outside a transaction (workers could not see
its rows) and for at least ``PARALLEL_FROM`` plans:

1. every sheet's name is claimed here, in the order a one-process export claims them;
2. spawned workers (``export_worker``: a fresh interpreter with its own connection) each take a
   chunk of plans, read and assess them and write their sheets as a workbook of their own, a
   *part*, into the export's own temporary folder;
3. once they are done, this process writes the *skeleton* (the summary from the parts' summary
   lines, and an empty sheet under each name), then copies it into the output with each empty
   sheet replaced by its sheet from the part.

Sheets can move between workbooks because every workbook registers all its styles up front in one
order (``workbook.styles.Styles``, named styles); each part's stylesheet is checked to be the skeleton's, and plan and
task sheets are checked to have no relationships (links, drawings) that would stay behind. The
result is the workbook a one-process export writes (``tests/reports/test_parallel.py``).

Workers never outlive this process (``export_worker``: if it is killed they remove the folder
and exit); a folder left behind anyway (both killed) is swept by the next parallel export once
its owner is gone.

This module is to be replaced by background jobs (the jobs issue, DESIGN.md §2 ``jobs/``): it is
kept working, on openpyxl's public API and the zip files it saves, with nothing more added to it.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from django.conf import settings
from django.db import connection, connections
from django.utils.translation import get_language

from projects.models import Project

from . import export_worker
from .selectors import batched, plan_reports
from .workbook import Part, Skeleton, claim_sheet_names, sheet_layout, write_assessment_workbook

PARALLEL_FROM = 200  # plans; below this, starting workers costs more than they save
CHUNK = 50  # plans per part
STYLES = "xl/styles.xml"
SHEET_RELATIONSHIPS = "xl/worksheets/_rels/"
FOLDER_PREFIX = "guihua-export-"  # + the owner's process id + "-"
STALE_SECONDS = 6 * 3600  # a folder this old is swept even if its owner's id was reused


def write_plans_workbook(
    plans, year: int, output, *, exported_on: date, include_unapproved: bool = False,
    processes: int | None = None, parallel_from: int | None = None, chunk: int | None = None,
    scope=None, left_out=(),
) -> None:  # fmt: skip
    """The 年度监测评估表 of `plans`, in their order, written to `output` (a path or binary file).
    Unless given, `processes`, `parallel_from` and `chunk` are the settings' and the module's.
    With `include_unapproved`, `scope` (``accounts.visibility.Scope``) says whose unapproved values
    count; None means all (commands). `left_out`: the plans not exported, named in the summary's notes."""
    plans = list({plan.pk: plan for plan in plans}.values())
    processes = settings.GUIHUA_EXPORT_PROCESSES if processes is None else processes
    parallel_from = PARALLEL_FROM if parallel_from is None else parallel_from
    chunk = CHUNK if chunk is None else chunk
    if processes < 2 or len(plans) < parallel_from or not _workers_see_our_data():
        reports = plan_reports(plans, year, include_unapproved=include_unapproved, scope=scope)
        write_assessment_workbook(reports, year, output, exported_on=exported_on, left_out=left_out)
        return
    names = claim_sheet_names(plans, _plans_with_projects(plans))
    _sweep_stale_folders()
    with tempfile.TemporaryDirectory(prefix=f"{FOLDER_PREFIX}{os.getpid()}-") as folder:
        jobs = [
            export_worker.PartJob(
                list(batch), {plan.pk: names[plan.pk] for plan in batch}, year, include_unapproved,
                exported_on, str(Path(folder) / f"part-{number}.xlsx"), scope,
            )
            for number, batch in enumerate(batched(plans, chunk))
        ]  # fmt: skip
        with _workers(min(processes, len(jobs)), folder) as pool:
            # a worker's error is raised here, and the jobs not started are cancelled
            parts = [(Path(job.path), part) for job, part in zip(jobs, pool.map(export_worker.run, jobs))]
        # Only now: the skeleton's sheets are temporary files outside `folder`, which an export
        # killed while its workers write must not leave behind.
        with Skeleton(sheet_layout(names[plan.pk] for plan in plans)) as skeleton:
            lines = [line for _path, part in parts for line in part.lines]
            members = skeleton.save(lines, year, exported_on, Path(folder) / "skeleton.xlsx", left_out)
        _assemble(Path(folder) / "skeleton.xlsx", members, parts, output)


@contextmanager
def _workers(count: int, folder: str):
    """A pool of spawned workers, bound to this process and `folder`; on leaving it, jobs not
    started are cancelled."""
    pool = ProcessPoolExecutor(
        max_workers=count, mp_context=multiprocessing.get_context("spawn"),
        initializer=export_worker.start, initargs=(_worker_context(folder),),
    )  # fmt: skip
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _workers_see_our_data() -> bool:
    """Workers read through their own connections: only committed PostgreSQL data is theirs too."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _plans_with_projects(plans) -> set[int]:
    ids = [plan.pk for plan in plans]
    return set(Project.objects.filter(plan_id__in=ids).values_list("plan_id", flat=True).distinct())


def _worker_context(folder: str) -> export_worker.WorkerContext:
    return export_worker.WorkerContext(
        databases={alias: dict(connections[alias].settings_dict) for alias in connections},
        language=get_language() or settings.LANGUAGE_CODE,
        settings={name: getattr(settings, name) for name in export_worker.COPIED_SETTINGS},
        parent=os.getpid(), folder=folder,
    )  # fmt: skip


def _sweep_stale_folders() -> None:
    """Remove export folders whose owner process is gone (or that are older than any export)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        try:
            owner = int(folder.name[len(FOLDER_PREFIX) :].split("-", 1)[0])
            age = time.time() - folder.stat().st_mtime
        except (ValueError, OSError):
            continue  # not ours, or already removed
        if owner != os.getpid() and (not _running(owner) or age > STALE_SECONDS):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _assemble(skeleton: Path, members: dict[str, str], parts: list[tuple[Path, Part]], output) -> None:
    """Copy the skeleton into `output`, each sheet a part wrote taken from that part."""
    source = {
        members[sheet]: (path, member) for path, part in parts for sheet, member in part.members.items()
    }
    with ZipFile(skeleton) as base, ZipFile(output, "w", ZIP_DEFLATED, allowZip64=True) as out:
        styles = base.read(STYLES)
        opened: dict[Path, ZipFile] = {}
        try:
            for info in base.infolist():
                if info.filename not in source:
                    out.writestr(info, base.read(info))
                    continue
                path, member = source[info.filename]
                if path not in opened:
                    opened[path] = _open_part(path, styles)
                out.writestr(info, opened[path].read(member))
        finally:
            for part in opened.values():
                part.close()


def _open_part(path: Path, styles: bytes) -> ZipFile:
    part = ZipFile(path)
    if part.read(STYLES) != styles:
        part.close()
        raise RuntimeError(f"{path.name}: its styles are numbered unlike the workbook's")
    if any(name.startswith(SHEET_RELATIONSHIPS) for name in part.namelist()):
        part.close()
        raise RuntimeError(f"{path.name}: a sheet has relationships that would be lost")
    return part
