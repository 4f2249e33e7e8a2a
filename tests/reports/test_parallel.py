"""Workbook exports written by several processes (reports/parallel.py): the same file as one process writes."""

import tempfile
import zipfile
from datetime import date
from decimal import InvalidOperation
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl.worksheet._writer import ALL_TEMP_FILES as openpyxl_temporary_files

from reports import parallel
from reports.selectors import plan_reports
from reports.workbook import PlanSheets, Skeleton, claim_sheet_names, sheet_layout, write_part

from . import workbook_factories as f

EXPORTED_ON = date(2024, 3, 1)
PARALLEL = {"processes": 2, "parallel_from": 1, "chunk": 2}  # three parts for five plans


def varied_plans():
    """Key projects, formula-like texts, preliminary values, a binding warning, two plans of one name."""
    return [
        f.district_plan(),
        f.hostile_plan(),
        f.district_plan("district-b", "同名规划"),
        f.district_plan("district-c", "同名规划"),
        f.plan("empty", short_name="无指标规划"),
    ]


def members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:  # core.xml holds the time of writing
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def export_folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("guihua-export-*"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("include_unapproved", [False, True])
def test_it_writes_the_workbook_one_process_writes(tmp_path, monkeypatch, include_unapproved):
    plans = varied_plans()
    options = {"exported_on": EXPORTED_ON, "include_unapproved": include_unapproved}
    parallel.write_plans_workbook(plans, 2023, tmp_path / "one.xlsx", processes=1, **options)
    before = export_folders()

    def not_here(*args, **kwargs):
        raise AssertionError("the plans' sheets are written by the workers")

    monkeypatch.setattr(parallel, "write_assessment_workbook", not_here)
    parallel.write_plans_workbook(plans, 2023, tmp_path / "many.xlsx", **PARALLEL, **options)

    assert members(tmp_path / "many.xlsx") == members(tmp_path / "one.xlsx")
    names = openpyxl.load_workbook(tmp_path / "many.xlsx", read_only=True).sheetnames
    assert names == ["汇总", "某区科技十四五", "某区科技十四五-任务", "=恶意规划", "同名规划", "同名规划-任务",
                     "同名规划(2)", "同名规划(2)-任务", "无指标规划"]  # fmt: skip
    assert export_folders() == before


@pytest.mark.django_db(transaction=True)
def test_a_worker_error_stops_the_export_and_leaves_nothing(tmp_path, monkeypatch):
    plans = varied_plans()
    scratch = tmp_path / "scratch"  # the export's folder and the skeleton's sheets go here
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    known = list(openpyxl_temporary_files)
    with override_settings(GUIHUA_TOLERANCE="not a number"), pytest.raises(InvalidOperation):
        parallel.write_plans_workbook(plans, 2023, tmp_path / "out.xlsx", exported_on=EXPORTED_ON, **PARALLEL)
    assert not (tmp_path / "out.xlsx").exists()
    assert list(scratch.iterdir()) == [] and openpyxl_temporary_files == known


@pytest.mark.django_db
def test_inside_a_transaction_it_writes_in_this_process(tmp_path, monkeypatch):
    """Workers could not see rows this transaction has not committed."""
    plan = f.district_plan()

    def no_pool(*args, **kwargs):
        raise AssertionError("no worker may be started")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    parallel.write_plans_workbook(
        [plan, plan], 2023, tmp_path / "out.xlsx", exported_on=EXPORTED_ON, **PARALLEL
    )
    assert openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True).sheetnames == [
        "汇总", "某区科技十四五", "某区科技十四五-任务"
    ]  # a plan named twice is written once  # fmt: skip


@pytest.mark.django_db
def test_every_look_is_registered_before_any_cell(tmp_path):
    """Parts and the skeleton number their styles alike whatever their sheets hold."""
    plans = varied_plans()
    names = claim_sheet_names(plans, {plan.pk for plan in plans})
    reports = plan_reports(plans, 2023, include_unapproved=True)
    part = write_part(reports, names, 2023, EXPORTED_ON, tmp_path / "part.xlsx")
    Skeleton([]).save([], 2023, EXPORTED_ON, tmp_path / "skeleton.xlsx")
    assert len(part.lines) == 5 and set(part.members) == {name for name, _row in sheet_layout(names.values())}
    with zipfile.ZipFile(tmp_path / "part.xlsx") as a, zipfile.ZipFile(tmp_path / "skeleton.xlsx") as b:
        assert a.read("xl/styles.xml") == b.read("xl/styles.xml")


@pytest.mark.django_db
def test_sheet_names_are_claimed_in_the_order_one_process_claims_them():
    plans = [f.plan(f"plan-{n}", short_name="同名" if n % 2 else f"规划{n}") for n in range(5)]
    names = claim_sheet_names(plans, {plans[1].pk, plans[3].pk}, batch_size=2)
    assert [names[plan.pk] for plan in plans] == [
        PlanSheets("规划0", None), PlanSheets("同名", "同名-任务"),  # batch 1
        PlanSheets("规划2", None), PlanSheets("同名(2)", "同名(2)-任务"),  # batch 2
        PlanSheets("规划4", None),
    ]  # fmt: skip


def test_it_refuses_a_part_whose_styles_or_relationships_differ(tmp_path):
    def part(name, files):
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as archive:
            for member, data in files.items():
                archive.writestr(member, data)
        return path

    styles = b"<styleSheet/>"
    parallel._open_part(part("fine.xlsx", {"xl/styles.xml": styles}), styles).close()
    with pytest.raises(RuntimeError, match="styles"):
        parallel._open_part(part("styles.xlsx", {"xl/styles.xml": b"<styleSheet>other</styleSheet>"}), styles)
    relationships = {"xl/styles.xml": styles, "xl/worksheets/_rels/sheet1.xml.rels": b"<Relationships/>"}
    with pytest.raises(RuntimeError, match="relationships"):
        parallel._open_part(part("rels.xlsx", relationships), styles)


@pytest.mark.django_db(transaction=True)
def test_the_download_and_the_command_use_the_workers(client, tmp_path, monkeypatch):
    plans = varied_plans()
    parallel.write_plans_workbook(
        plans, 2023, tmp_path / "one.xlsx", exported_on=timezone.localdate(), processes=1
    )
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "CHUNK", 2)
    monkeypatch.setattr(parallel, "write_assessment_workbook", None)  # never called: the workers write
    codes = ",".join(plan.code for plan in plans)
    with override_settings(GUIHUA_EXPORT_PROCESSES=2):
        response = client.get(reverse("opendata:workbook"), {"year": 2023, "plans": codes})
        call_command(
            "export_assessment", *codes.split(","), "--year", "2023", "--output", str(tmp_path / "cmd.xlsx")
        )
    assert response.status_code == 200
    (tmp_path / "view.xlsx").write_bytes(b"".join(response.streaming_content))
    assert members(tmp_path / "view.xlsx") == members(tmp_path / "one.xlsx") == members(tmp_path / "cmd.xlsx")
