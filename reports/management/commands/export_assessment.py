"""``manage.py export_assessment CODE [CODE …] --year Y --output FILE.xlsx [--include-unapproved]``

Writes the annual assessment workbook (年度监测评估表) of the plans named, in that order. An
unknown plan code or a year outside a plan's period stops with a message and exit code 2. The
file is written next to its destination under a temporary name and moved into place only when
complete, so a failed export leaves no partial file (and an older file of that name untouched).
"""

import os
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.models import Plan
from reports.parallel import write_plans_workbook
from reports.workbook import outside_period
from reports.years import FIRST_YEAR, LAST_YEAR, is_plausible

BAD_INPUT = 2


class Command(BaseCommand):
    help = gettext_lazy(
        "导出年度监测评估表：python manage.py export_assessment CODE [CODE …] --year Y --output FILE.xlsx"
        " [--include-unapproved]"
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="+", metavar="CODE", help=_("规划代码"))
        parser.add_argument("--year", type=int, required=True, help=_("评估年份"))
        parser.add_argument("--output", required=True, help=_("输出文件（.xlsx）"))
        parser.add_argument("--include-unapproved", action="store_true", help=_("计入未审核（初步）数据"))

    def handle(self, *args, codes, year, output, include_unapproved, **options):
        plans = self._plans(codes)
        self._check_year(plans, year)
        target = self._target(output)
        write_atomically(target, lambda out: write_plans_workbook(
            plans, year, out, exported_on=timezone.localdate(), include_unapproved=include_unapproved
        ))  # fmt: skip
        self.stdout.write(_("已导出 %(n)s 个规划的%(year)s年度监测评估表：%(path)s") % {
            "n": len(plans), "year": year, "path": target
        })  # fmt: skip

    def _plans(self, codes: list[str]) -> list[Plan]:
        codes = list(dict.fromkeys(codes))
        found = {
            plan.code: plan
            for plan in Plan.objects.filter(code__in=codes).defer("source_text", "source_note")
        }
        unknown = [code for code in codes if code not in found]
        if unknown:
            message = _("规划代码不存在：%(codes)s") % {"codes": "、".join(unknown)}
            raise CommandError(message, returncode=BAD_INPUT)
        return [found[code] for code in codes]

    def _check_year(self, plans: list[Plan], year: int) -> None:
        if not is_plausible(year):
            raise CommandError(_("年份应为 %(first)s—%(last)s 之间的整数") % {"first": FIRST_YEAR, "last": LAST_YEAR}, returncode=BAD_INPUT)
        outside = outside_period(plans, year)
        if outside:
            names = "、".join(f"{plan.code}（{plan.period}）" for plan in outside)
            raise CommandError(
                _("%(year)s年不在规划期内：%(plans)s") % {"year": year, "plans": names}, returncode=BAD_INPUT
            )

    def _target(self, output: str) -> Path:
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(_("输出目录不存在：%(dir)s") % {"dir": target.parent}, returncode=BAD_INPUT)
        if target.is_dir():
            raise CommandError(_("输出路径是目录：%(path)s") % {"path": target}, returncode=BAD_INPUT)
        return target


def write_atomically(target: Path, write) -> None:
    """Call ``write(file)`` on a temporary file beside `target`, then move it into place; on any error remove it."""
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temporary, "xb") as out:  # created with the usual permissions, unlike mkstemp's 0600
            write(out)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
