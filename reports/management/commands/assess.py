"""``manage.py assess CODE --year Y [--json] [--include-unapproved]``: a plan's indicators assessed.

Without ``--year`` the latest year of the period with data is used, as on the dashboard.
The JSON shape is ``reports.serializers.plan_report_dict``.
"""

import json
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.models import Plan
from reports.selectors import plan_report
from reports.serializers import plan_report_dict
from reports.tables import number_text, percent_text
from reports.years import FIRST_YEAR, LAST_YEAR, is_plausible


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)


class Command(BaseCommand):
    help = gettext_lazy(
        "评估一个规划的全部指标：python manage.py assess CODE --year Y [--json] [--include-unapproved]"
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help=_("规划代码"))
        parser.add_argument("--year", type=int, help=_("评估年份（默认：规划期内有数据的最近年份）"))
        parser.add_argument("--json", action="store_true", help=_("输出 JSON"))
        parser.add_argument("--include-unapproved", action="store_true", help=_("计入未审核（初步）数据"))

    def handle(self, *args, **options):
        plan, year = self._plan(options["code"]), options["year"]
        self._check_year(plan, year)
        report = plan_report(plan, year, include_unapproved=options["include_unapproved"])
        if options["json"]:
            self.stdout.write(self._json(report))
        else:
            self.stdout.write(self._text(report))

    def _plan(self, code: str) -> Plan:
        try:
            return Plan.objects.get(code=code)
        except Plan.DoesNotExist:
            raise CommandError(_("规划代码不存在：%(code)s") % {"code": code}) from None

    def _check_year(self, plan: Plan, year: int | None) -> None:
        if year is not None and not is_plausible(year):
            raise CommandError(_("年份应为 %(first)s—%(last)s 之间的整数") % {"first": FIRST_YEAR, "last": LAST_YEAR})
        years = plan.years()
        if year is not None and years and year not in years:
            raise CommandError(
                _("%(year)s年不在规划期内（%(period)s）")
                % {"year": year, "period": f"{years[0]}—{years[-1]}"}
            )

    def _json(self, report) -> str:
        return json.dumps(plan_report_dict(report), ensure_ascii=False, indent=2)

    def _text(self, report) -> str:
        header = [_("序号"), _("指标"), _("数值"), _("年份"), _("评价"), _("完成进度"), _("时序进度"),
                  _("预计值"), _("趋势"), _("所需年均增速"), _("SDG比值"), _("预警")]  # fmt: skip
        lines = [self._title(report), ""]
        rows = [header] + [self._cells(row) for row in report.rows]
        widths = [max(display_width(r[i]) for r in rows) for i in range(len(header))]
        lines += ["  ".join(pad(cell, w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]
        lines += ["", _("说明：")] + [
            f"{row.indicator.number}. {row.assessment.explanation}" for row in report.rows
        ]
        return "\n".join(lines)

    def _title(self, report) -> str:
        title = _("%(plan)s（%(code)s）· %(year)s年评估") % {
            "plan": report.plan.display_name,
            "code": report.plan.code,
            "year": report.year,
        }
        return title + (_("（含初步数据）") if report.include_unapproved else "")

    def _cells(self, row) -> list[str]:
        a = row.assessment
        name = row.indicator.name if len(row.indicator.name) <= 24 else row.indicator.name[:23] + "…"
        mark = _("（初步）") if row.is_preliminary else ""
        return [
            str(row.indicator.number), name, number_text(a.value) + mark, str(a.value_year or "—"),
            a.verdict.label, percent_text(a.completion), percent_text(a.time_share), number_text(a.projected),
            a.projected_verdict.label if a.projected_verdict else "—", percent_text(a.required_growth),
            number_text(a.sdg_ratio), _("预警") if a.warning else "—",
        ]  # fmt: skip
