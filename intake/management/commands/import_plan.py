"""Import a plan document: ``manage.py import_plan PATH --user NAME [--code CODE] [--dry-run] [--json]
[--replace] [--curated FILE]``.

Reads the file (.docx, .pdf, .xlsx, or text in UTF-8, UTF-16 with BOM, GBK) with ``intake.readers``,
parses sections and key-indicator tables, and writes the plan with the curated data of ``fixtures/plans/<code>.json`` when present.
Every error stops the import before anything is written. Writing needs ``--user``: a planner (as
导入规划 in the browser) or a system actor (``system:seed``, accounts.actors); the history records
of the indicators it changes name that actor. A dry run needs no user.
"""
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from django.utils.text import slugify

from accounts.actors import acting_as, add_user_argument, command_actor
from accounts.permissions import can_plan

from intake.parsing import MISSING_TITLE, PlanImportError, document_text, parse_document, to_json
from intake.readers import read_document
from intake.services import CuratedDataError, PlanExistsError, plan_write

CURATED_DIR = Path(settings.BASE_DIR) / "fixtures" / "plans"


def code_from_path(path: Path) -> str:
    """A plan code from a file name: its slug, or a stable hash when the name has no ASCII."""
    slug = slugify(path.stem)[:80].strip("-_")
    return slug or "plan-" + hashlib.sha1(path.stem.encode()).hexdigest()[:8]


def read_plan_document(path: Path):
    """The blocks of a plan file (.docx, .pdf, .xlsx, text); the reader's notices (e.g. the text
    was GBK) are the document's warnings."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(f"无法读取文件 {path}：{error.strerror or error}") from error
    try:
        return read_document(data, path.name)
    except PlanImportError as error:
        raise CommandError(f"{path.name}：{error}") from error


def parse_or_fail(document):
    try:
        return parse_document(document)
    except PlanImportError as error:
        raise CommandError(str(error)) from error


def load_curated(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandError(f"无法读取整理数据 {path}：{error.strerror or error}") from error
    except json.JSONDecodeError as error:
        raise CommandError(f"整理数据 {path} 不是有效的 JSON：第 {error.lineno} 行：{error.msg}") from error


class Command(BaseCommand):
    help = "导入一份规划文本：章节结构、指标表格，以及整理好的目标、责任单位和重点项目"

    def add_arguments(self, parser):
        parser.add_argument("path", help="规划文件：.docx、.pdf、.xlsx 或 .txt（UTF-8/UTF-16/GBK）")
        parser.add_argument("--code", help="规划代码；缺省时由文件名生成")
        parser.add_argument("--dry-run", action="store_true", help="只解析，不写入数据库")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出解析结果")
        parser.add_argument(
            "--replace", action="store_true",
            help="代码已存在时按新文本更新该规划：指标按序号和名称对应更新，已填报的数值、历史和目标调整全部保留",
        )
        parser.add_argument("--curated", help="整理数据 JSON；缺省为 fixtures/plans/<code>.json（如存在）")
        add_user_argument(parser)

    def handle(self, *args, **options):
        actor = None if options["dry_run"] else self.actor(options["user"])
        with acting_as(actor):
            self.run(options)

    def actor(self, name):
        actor = command_actor(name)
        if not can_plan(actor):  # a system actor is a superuser
            raise CommandError(f"用户“{actor.username}”不是规划人员，不能导入规划；没有写入任何数据。")
        return actor

    def run(self, options):
        path = Path(options["path"])
        code = options["code"] or code_from_path(path)
        document = read_plan_document(path)
        parsed = parse_or_fail(document)
        curated = self.curated(code, options["curated"])
        talk = options["verbosity"] >= 1
        if talk:
            for message in parsed.warnings:
                if not (message == MISSING_TITLE and (curated or {}).get("plan", {}).get("title")):
                    self.stderr.write(f"提示：{message}")
        if options["json"]:
            self.stdout.write(json.dumps(to_json(parsed), ensure_ascii=False, indent=2))
        if options["dry_run"]:
            if talk and not options["json"]:
                self.stdout.write(self.summary(parsed, parsed.title, code, written=False))
            return
        try:
            outcome = plan_write(
                parsed, code=code, replace=options["replace"], curated=curated, source_text=document_text(document)
            )
        except (PlanExistsError, CuratedDataError) as error:
            raise CommandError(str(error)) from error
        except IntegrityError as error:  # e.g. a curated indicator number that a table row already uses
            raise CommandError(f"写入失败，未导入任何数据：{error}") from error
        if talk and outcome.diff.kept:
            names = "、".join(f"{i.number}. {i.name}" for i in outcome.diff.kept)
            self.stderr.write(f"提示：新文本中没有这些指标，但它们已有填报数据或目标调整，已保留：{names}")
        if talk and not options["json"]:
            self.stdout.write(self.style.SUCCESS(self.summary(parsed, outcome.plan.title, code, written=True)))

    def curated(self, code: str, path: str | None) -> dict | None:
        if path:
            return load_curated(Path(path))
        default = CURATED_DIR / f"{code}.json"
        return load_curated(default) if default.exists() else None

    def summary(self, parsed, title: str, code: str, *, written: bool) -> str:
        count = sum(1 for _ in _walk(parsed.sections))
        verb = "已导入" if written else "解析结果（未写入）"
        return f"{verb} {code}：{title or '（无标题）'}，{count} 个章节，{len(parsed.indicators)} 个表格指标"


def _walk(sections):
    for section in sections:
        yield section
        yield from _walk(section.children)
