"""What a worker process of a parallel workbook export runs (``reports.parallel``).

Workers are spawned: a fresh interpreter imports this module before Django is set up, so it
imports nothing of Django or of the apps at module level; ``start`` sets Django up with the
parent's database connections, language and assessment settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Settings a part depends on, copied from the parent (tests and deployments may override them).
COPIED_SETTINGS = ("GUIHUA_TOLERANCE",)


@dataclass(frozen=True)
class WorkerContext:
    databases: dict[str, dict]  # alias → the parent's settings_dict (tests use their own database)
    language: str
    settings: dict[str, object]


@dataclass(frozen=True)
class PartJob:
    plans: list  # Plan instances, in workbook order
    names: dict  # plan id → workbook.PlanSheets
    year: int
    include_unapproved: bool
    exported_on: date
    path: str
    scope: object = None  # accounts.visibility.Scope (picklable), None: every unapproved value


def start(context: WorkerContext) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections
    from django.utils import translation

    for alias, database in context.databases.items():
        connections[alias].settings_dict.update(database)
    for name, value in context.settings.items():
        setattr(settings, name, value)
    translation.activate(context.language)


def run(job: PartJob):
    """Read, assess and write one chunk of plans (a ``workbook.Part``)."""
    from reports.selectors import plan_reports
    from reports.workbook import write_part

    reports = plan_reports(job.plans, job.year, include_unapproved=job.include_unapproved, scope=job.scope)
    return write_part(reports, job.names, job.year, job.exported_on, job.path)
