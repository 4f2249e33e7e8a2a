"""``manage.py refresh_assessments [CODE …] [--year Y] [--force] [--user NAME]``: store assessments
ahead of readers.

Readers use a stored assessment only while it is current and otherwise assess live
(reports/stored.py), so nothing is ever shown out of date; every write of values refreshes the
rows of its indicators (reports/services.py). This fills the store beforehand, for every plan (or those named) and every year of their
periods (or one year), so the first overview or workbook after a bulk load, a restore or a change
of GUIHUA_TOLERANCE does not wait. Only missing or outdated rows are computed; running it twice
does nothing the second time. Values or indicators changed outside the application (SQL, a shell)
renew no change stamp: ``--force`` then recomputes every row in scope. On PostgreSQL the table is
analysed after a large refresh, so queries are planned for its new size. An unknown plan code stops
with exit code 2 and stores nothing.

Stored assessments are a cache of a pure calculation, not records anyone authors (they have no
history), so ``--user`` defaults to the system actor ``system:assessments``; the actor is named in
the log and the summary line.
"""
import logging

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.actors import add_user_argument, command_actor
from plans.models import Plan
from reports.services import assessments_refresh

BAD_INPUT = 2
SYSTEM_ACTOR = "system:assessments"
logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = gettext_lazy(
        "预先计算并保存评估结果：python manage.py refresh_assessments [CODE …] [--year Y] [--force]"
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", metavar="CODE", help=_("规划代码（默认：全部规划）"))
        parser.add_argument("--year", type=int, help=_("评估年份（默认：规划期内每一年）"))
        parser.add_argument("--force", action="store_true", help=_("全部重新计算（数据曾在本系统之外被修改时）"))
        add_user_argument(parser, default=SYSTEM_ACTOR)

    def handle(self, *args, codes, year, force, user, **options):
        actor = command_actor(user)
        plans = Plan.objects.all()
        if codes:
            plans = plans.filter(code__in=codes)
            unknown = sorted(set(codes) - set(plans.values_list("code", flat=True)))
            if unknown:
                message = _("规划代码不存在：%(codes)s") % {"codes": "、".join(unknown)}
                raise CommandError(message, returncode=BAD_INPUT)
        started = time.perf_counter()
        stored = assessments_refresh(years=None if year is None else [year], force=force, plans=plans)
        logger.info("refresh_assessments by %s: %s rows stored", actor.username, stored)
        self.stdout.write(_("已保存 %(n)s 条评估结果（%(plans)s 个规划，用时 %(s).1f 秒）。") % {
            "n": stored, "plans": plans.count(), "s": time.perf_counter() - started
        } + _("操作人：%(user)s") % {"user": actor.username})  # fmt: skip
