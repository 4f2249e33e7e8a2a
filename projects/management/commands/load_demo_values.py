"""Load the demo monitoring data (演示数据) for the seed plans; run by scripts/run.sh, never by migrations.

    python manage.py load_demo_values --user system:demo

The history records of the demo rows name the --user (accounts.actors).
"""
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts.actors import acting_as, add_user_argument, command_actor
from projects.demo import load_demo_values


class Command(BaseCommand):
    help = "载入种子规划的演示监测数据（可重复运行：只替换演示数据，不动真实填报的数据）"

    def add_arguments(self, parser):
        add_user_argument(parser)

    def handle(self, *args, user, **options):
        actor = command_actor(user)
        with acting_as(actor):
            summary = load_demo_values(actor)
        if not summary.plans:
            self.stdout.write(self.style.WARNING(_("没有找到种子规划，请先运行 load_seed_plans。")))
            return
        self.stdout.write(
            _("演示数据：%(plans)s；写入 %(values)s 个指标数值、%(progress)s 条项目进展（替换了 %(removed)s 条旧演示数据）。")
            % {
                "plans": "、".join(summary.plans), "values": summary.values,
                "progress": summary.progress, "removed": summary.removed,
            }
        )
