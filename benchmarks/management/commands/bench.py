"""python manage.py bench [--scale small|national] [--only NAME] [--database-url URL] [--keep-data] [--duration S]

Benchmarks at national scale, each figure beside its reference (benchmarks/: this app). Runs in its own
PostgreSQL database (default guihua_bench, created and migrated if missing; its content is replaced),
never the development or test database. Prints one line per figure and writes benchmarks/RESULTS.md.
"""
from django.core.management.base import BaseCommand, CommandError

from benchmarks import DEFAULT_DATABASE_URL
from benchmarks.runner import FIGURE_NAMES, run


class Command(BaseCommand):
    help = "运行性能基准（每项指标与其参照同时测量），结果写入 benchmarks/RESULTS.md。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "national"], default="small")
        parser.add_argument("--only", action="append", choices=FIGURE_NAMES, help="只运行该项（可重复）")
        parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL,
                            help=f"基准专用的 PostgreSQL 数据库（默认 {DEFAULT_DATABASE_URL}），其内容会被替换")
        parser.add_argument("--keep-data", action="store_true", help="库中已有同规模数据时不重新生成")
        parser.add_argument("--duration", type=float, help="entry_load 的持续秒数（默认 small 10 秒，national 60 秒）")

    def handle(self, *args, scale, only, database_url, keep_data, duration, **options):
        if not database_url.startswith(("postgres://", "postgresql://")):
            raise CommandError(
                "bench 只在 PostgreSQL 上运行 / bench runs on PostgreSQL only: pass --database-url "
                "postgres://user@host:5432/guihua_bench (SQLite measures nothing the deployment will see)."
            )
        name = database_url.rsplit("/", 1)[-1].split("?")[0]
        if "bench" not in name:
            raise CommandError(f"数据库名须含 bench / the database name must contain 'bench' (its content is replaced): {name}")
        try:
            run(scale, only, database_url, keep_data, duration, lambda line: (self.stdout.write(line), self.stdout.flush()))
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
