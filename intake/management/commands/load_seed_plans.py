"""Load the five seed plans from ``fixtures/plans/`` (idempotent: each run replaces them).

    python manage.py load_seed_plans --user system:seed
"""
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.actors import add_user_argument, command_actor

SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "plans"
# A plan's parent (上位规划) is loaded before it: Tianjin's 13th FYP before Jizhou's 14th.
SEED_CODES = [
    "tianjin-13-sti",
    "jizhou-14-sti",
    "tianjin-12-minsheng",
    "shenzhen-2012-minsheng",
    "jiangsu-kjhm-2016",
]


class Command(BaseCommand):
    help = "导入五份种子规划（已存在则替换）"

    def add_arguments(self, parser):
        add_user_argument(parser)

    @transaction.atomic
    def handle(self, *args, user, **options):
        actor = command_actor(user)  # checked once, before any plan is written
        for code in SEED_CODES:
            call_command(
                "import_plan", str(SEED_DIR / f"{code}.txt"), code=code, replace=True, user=actor.username,
                verbosity=options["verbosity"], stdout=self.stdout, stderr=self.stderr,
            )
