"""What a worker process of a parallel workbook export runs (``reports.parallel``).

Workers are spawned: a fresh interpreter imports this module before Django is set up, so it
imports nothing of Django or of the apps at module level; ``start`` sets Django up with the
parent's database connections, language and assessment settings.

A worker never outlives the process that started it (issue 14 §7: a gunicorn worker killed during
an export). On Linux the kernel sends it SIGTERM when that process dies (``PR_SET_PDEATHSIG``); a
thread also watches ``os.getppid()`` (other systems, or a signal that cannot be handled). Either
way the worker removes the export's folder (the parts are worthless without the process that would
assemble them) and exits at once; its database connections close with it.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date

# Settings a part depends on, copied from the parent (tests and deployments may override them).
COPIED_SETTINGS = ("GUIHUA_TOLERANCE",)


@dataclass(frozen=True)
class WorkerContext:
    databases: dict[str, dict]  # alias → the parent's settings_dict (tests use their own database)
    language: str
    settings: dict[str, object]
    parent: int = 0  # the process whose death ends the worker (0: not watched)
    folder: str = ""  # the export's own temporary folder, removed when the parent is gone


@dataclass(frozen=True)
class PartJob:
    plans: list  # Plan instances, in workbook order
    names: dict  # plan id → workbook.PlanSheets
    year: int
    include_unapproved: bool
    exported_on: date
    path: str
    scope: object = None  # accounts.visibility.Scope (picklable), None: every unapproved value


PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCH_SECONDS = 0.5
APPLICATION_NAME = "guihua-export-worker"  # how the workers' connections show in pg_stat_activity


def start(context: WorkerContext) -> None:
    if context.parent:
        _end_with(context.parent, context.folder)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections
    from django.utils import translation

    for alias, database in context.databases.items():
        connections[alias].settings_dict.update(database)
        if connections[alias].vendor == "postgresql":
            options = {**database.get("OPTIONS", {}), "application_name": APPLICATION_NAME}
            connections[alias].settings_dict["OPTIONS"] = options
    for name, value in context.settings.items():
        setattr(settings, name, value)
    translation.activate(context.language)


def run(job: PartJob):
    """Read, assess and write one chunk of plans (a ``workbook.Part``)."""
    from reports.selectors import plan_reports
    from reports.workbook import write_part

    reports = plan_reports(job.plans, job.year, include_unapproved=job.include_unapproved, scope=job.scope)
    return write_part(reports, job.names, job.year, job.exported_on, job.path)


def _end_with(parent: int, folder: str) -> None:
    """Exit as soon as `parent` is gone, removing `folder` first."""

    def abandon(*_args) -> None:
        # Also on a SIGTERM while os.getppid() still names the parent: the kernel signals when the
        # parent's thread that started the worker ends, which may precede the parent's own end. A
        # parent that lives on has lost the export anyway (a broken pool) and ignores the missing folder.
        shutil.rmtree(folder, ignore_errors=True)
        os._exit(1)  # no cleanup that could block; the kernel closes the database sockets

    signal.signal(signal.SIGTERM, abandon)
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        abandon()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    if os.getppid() != parent:  # died before the signal was asked for
        abandon()
