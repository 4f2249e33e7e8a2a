"""Load indicator values from the Excel entry template or a CSV file (e.g. historical data).

    python manage.py import_values PATH --user NAME [--dry-run] [--state draft|submitted|approved]

A CSV (or an xlsx that is not the template) is read by its column names, Chinese or English, in
any order (README, “import_values”): plan, year, value and the indicator by 序号 or exact name are
required, source and note optional, unknown columns ignored with a notice. Every row is validated first; on any error the errors are printed as
“第 N 行 · 列: 原因”, nothing is written and the command exits non-zero.

The default state is ``draft``: imported values then go through the normal submit → review
workflow. ``--state approved`` is meant for loading already published historical data and
should be used only when that is what is asked for. ``--user`` is required: a person's
permissions are checked row by row (official for draft/submitted, reviewer or admin for approved);
a system actor (``system:NAME``, accounts.actors) may load any row. Either way the history of every
value written names the actor.
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.numbers import number_text
from accounts.actors import acting_as, add_user_argument, command_actor
from projects.choices import State
from projects.imports import (
    MAX_FILE_BYTES, ImportConflict, UploadError, apply_import, file_error, import_file,
)


class Command(BaseCommand):
    help = "从 Excel 填报模板、其他 xlsx 或 CSV（按列名：规划、序号或指标、年份、数值……）导入指标数值；任一行有错则不写入。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="xlsx 模板或 CSV 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验并显示变化，不写入")
        parser.add_argument(
            "--state", choices=[State.DRAFT, State.SUBMITTED, State.APPROVED], default=State.DRAFT,
            help="导入后的状态（默认 draft；approved 仅用于导入已公布的历史数据）",
        )
        add_user_argument(parser)

    def handle(self, *args, path, dry_run, state, user, **options):
        actor = command_actor(user)
        with acting_as(actor):
            self._import(Path(path), actor, state, dry_run)

    def _import(self, path: Path, actor, state, dry_run):
        plan = self._validate(path, actor, state)
        for notice in plan.notices:
            self.stdout.write(self.style.WARNING(notice))
        for change in plan.changes:
            self.stdout.write(self._describe(change))
        summary = _("共 %(rows)s 行，%(n)s 个数值将写入（新增 %(new)s，修改 %(changed)s）。") % {
            "rows": plan.rows, "n": len(plan.changes), "new": sum(c.is_new for c in plan.changes),
            "changed": sum(not c.is_new for c in plan.changes),
        }
        self.stdout.write(summary)
        if dry_run:
            self.stdout.write(self.style.WARNING(_("试运行（--dry-run）：没有写入任何数据。")))
            return
        try:
            count = apply_import(plan, user=actor, state=state)
        except ImportConflict as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(_("已写入 %(n)s 个数值。") % {"n": count}))

    def _validate(self, path: Path, actor, state):
        if not path.is_file():
            raise CommandError(_("找不到文件：%(path)s") % {"path": path})
        if path.stat().st_size > MAX_FILE_BYTES:
            self._fail([file_error(_("文件超过 10 MB，请拆分后分批上传。"))])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("无法读取文件 %(path)s：%(reason)s") % {"path": path, "reason": exc.strerror}) from None
        try:
            plan = import_file(content, path.name, user=actor, state=state)
        except UploadError as exc:
            self._fail(exc.errors)
        if plan.errors:
            self._fail(plan.errors)
        return plan

    def _fail(self, errors: list[str]):
        for error in errors:
            self.stderr.write(error)
        raise CommandError(_("发现 %(n)s 处错误，没有写入任何数据。") % {"n": len(errors)})

    def _describe(self, change) -> str:
        old = number_text(change.old_value) if change.old_value is not None else _("（新增）")
        return _("第 %(line)s 行 · %(plan)s 第 %(number)s 项 %(name)s · %(year)s: %(old)s → %(new)s（%(state)s）") % {
            "line": change.line, "plan": change.indicator.plan.code, "number": change.indicator.number,
            "name": change.indicator.name, "year": change.year, "old": old,
            "new": number_text(change.new_value), "state": change.new_state_label,
        }
