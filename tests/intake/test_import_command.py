"""``manage.py import_plan``: dry runs write nothing, imports are atomic and never duplicate."""
import json
from decimal import Decimal
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Organization
from indicators.models import Indicator
from plans.models import Plan, Section
from projects.models import IndicatorValue, Project

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fixtures" / "plans"
CODES = [
    "tianjin-13-sti", "jizhou-14-sti", "tianjin-12-minsheng", "shenzhen-2012-minsheng", "jiangsu-kjhm-2016",
]
SECTION_KEYS = {"label", "title", "kind", "children"}
INDICATOR_KEYS = {
    "number", "name", "unit", "category", "attribute", "direction", "aggregation",
    "baseline_year", "baseline_value", "target_year", "target_text",
    "target_kind", "target_value", "target_low", "target_high", "responsible", "flags",
}

pytestmark = pytest.mark.django_db


def counts():
    return [model.objects.count() for model in (Plan, Section, Indicator, Project, Organization)]


def run(*args, **options):
    out, err = StringIO(), StringIO()
    options.setdefault("user", "system:test")
    call_command("import_plan", *map(str, args), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def check_sections(sections):
    for section in sections:
        assert set(section) == SECTION_KEYS
        check_sections(section["children"])


@pytest.mark.parametrize("code", CODES)
def test_it_prints_the_documented_json_on_a_dry_run_and_writes_nothing(code):
    before = counts()
    out, _ = run(SEEDS / f"{code}.txt", "--dry-run", "--json", code=code)
    assert counts() == before
    data = json.loads(out)
    assert set(data) == {"title", "metadata", "sections", "indicators", "proposed", "warnings"}
    assert data["sections"]
    check_sections(data["sections"])
    for indicator in data["indicators"]:
        assert set(indicator) == INDICATOR_KEYS


def test_it_prints_decimals_as_strings_and_missing_values_as_null():
    out, _ = run(SEEDS / "jizhou-14-sti.txt", "--dry-run", "--json")
    first = json.loads(out)["indicators"][0]
    assert first["baseline_value"] == "1.65" and first["target_value"] == "2"
    assert first["target_low"] is None and first["baseline_year"] == 2020
    assert "全社会研究与试验发展经费" in out  # ensure_ascii=False: Chinese stays readable


def test_it_imports_a_plan_with_its_sections_indicators_and_curated_data():
    run(SEEDS / "jizhou-14-sti.txt", code="jizhou-14-sti")
    plan = Plan.objects.get(code="jizhou-14-sti")
    assert plan.title == "蓟州区科技创新“十四五”规划" and plan.region.parent.name == "天津市"
    assert (plan.start_year, plan.end_year, plan.base_year) == (2021, 2025, 2020)
    sections = list(plan.sections.order_by("position"))
    assert [s.position for s in sections] == list(range(len(sections)))
    boxes = [s for s in sections if s.kind == "box"]
    assert [b.label for b in boxes] == ["专栏一", "专栏二", "专栏三", "专栏四", "专栏五", "专栏六", "专栏七"]
    assert boxes[0].parent.title == "发展目标" and boxes[0].depth == 2
    assert all(s.parent is None or s.parent.position < s.position for s in sections)
    indicators = list(plan.indicators.order_by("number"))
    assert [str(i.baseline_value) for i in indicators][:3] == ["1.6500", "20.0000", "2.1000"]
    assert all(i.section == boxes[0] and i.organization for i in indicators)
    assert indicators[0].organization.name == "蓟州区统计局" and indicators[0].concept.code == "rd-intensity"
    assert plan.projects.count() == 19
    assert "[bookmark" not in plan.source_text and "- 12 -" not in plan.source_text


def test_it_refuses_to_import_an_existing_code_without_replace_and_writes_nothing():
    run(SEEDS / "jiangsu-kjhm-2016.txt", code="jiangsu-kjhm-2016")
    plan = Plan.objects.get(code="jiangsu-kjhm-2016")
    before = counts()
    with pytest.raises(CommandError, match="--replace"):
        run(SEEDS / "jiangsu-kjhm-2016.txt", code="jiangsu-kjhm-2016")
    assert counts() == before
    assert Plan.objects.get(code="jiangsu-kjhm-2016").pk == plan.pk


def test_it_replaces_a_plan_in_place_keeping_its_approved_values():
    run(SEEDS / "jizhou-14-sti.txt", code="jizhou-14-sti")
    old = Plan.objects.get(code="jizhou-14-sti")
    indicator = old.indicators.first()
    value = IndicatorValue.objects.create(indicator=indicator, year=2021, value=Decimal("1.7"), state="approved")
    before = counts()
    run(SEEDS / "jizhou-14-sti.txt", "--replace", code="jizhou-14-sti")
    assert counts() == before
    assert Plan.objects.get(code="jizhou-14-sti").pk == old.pk
    kept = IndicatorValue.objects.get()
    assert (kept.pk, kept.indicator_id, kept.state, kept.value) == (value.pk, indicator.pk, "approved", value.value)
    assert kept.history.count() == 1


def test_it_rolls_the_whole_replacement_back_when_it_fails(tmp_path):
    run(SEEDS / "jiangsu-kjhm-2016.txt", code="jiangsu-kjhm-2016")
    old = Plan.objects.get(code="jiangsu-kjhm-2016")
    before = counts()
    curated = json.loads((SEEDS / "jiangsu-kjhm-2016.json").read_text(encoding="utf-8"))
    curated["accept"][0]["organization"] = "不存在的单位"  # fails after the old plan was deleted
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(curated, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="不存在的单位"):
        run(SEEDS / "jiangsu-kjhm-2016.txt", "--replace", code="jiangsu-kjhm-2016", curated=str(bad))
    assert counts() == before
    assert Plan.objects.get(code="jiangsu-kjhm-2016").pk == old.pk


def test_it_refuses_curated_data_accepting_a_target_the_text_does_not_state(tmp_path):
    curated = tmp_path / "curated.json"
    curated.write_text(json.dumps({"accept": [{"name": "不存在的指标"}]}), encoding="utf-8")
    with pytest.raises(CommandError, match="文字中没有读出名为“不存在的指标”的候选指标"):
        run(SEEDS / "jizhou-14-sti.txt", code="jizhou", curated=str(curated))
    assert counts() == [0, 0, 0, 0, 0]


def test_it_refuses_curated_data_typing_targets_by_hand(tmp_path):
    curated = tmp_path / "curated.json"
    typed = {"indicators": [{"number": 11, "name": "手填指标", "target_text": "达到5家"}]}
    curated.write_text(json.dumps(typed), encoding="utf-8")
    with pytest.raises(CommandError, match="accept"):
        run(SEEDS / "jizhou-14-sti.txt", code="jizhou", curated=str(curated))
    assert counts() == [0, 0, 0, 0, 0]


def test_it_keeps_plans_that_implement_a_replaced_plan_linked_to_it():
    run(SEEDS / "tianjin-13-sti.txt", code="tianjin-13-sti")
    parent = Plan.objects.get(code="tianjin-13-sti")
    child = Plan.objects.create(code="child", title="下位规划", parent=parent)
    run(SEEDS / "tianjin-13-sti.txt", "--replace", code="tianjin-13-sti")
    child.refresh_from_db()
    assert child.parent == Plan.objects.get(code="tianjin-13-sti")


def test_it_derives_the_code_from_the_file_name(tmp_path):
    path = tmp_path / "Jiangsu KJHM 2016.txt"
    path.write_bytes((SEEDS / "jiangsu-kjhm-2016.txt").read_bytes())
    run(path)
    plan = Plan.objects.get(code="jiangsu-kjhm-2016")
    assert plan.title == "江苏省科技惠民行动计划实施方案"
    assert plan.indicators.count() == 5  # fixtures/plans/<derived code>.json was applied


def test_it_imports_a_gbk_file_and_says_it_was_gbk(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes((SEEDS / "jiangsu-kjhm-2016.txt").read_text(encoding="utf-8").encode("gb18030"))
    _, err = run(path, code="gbk-plan")
    assert "GBK" in err
    assert Plan.objects.get(code="gbk-plan").title == "江苏省科技惠民行动计划实施方案"


BAD_FILES = {
    "empty.txt": (b"", "文件为空"),
    "binary.txt": (bytes(range(256)) * 8, "不是文本文件"),
    "prose.txt": ("只有一段话，没有任何标题。\n".encode(), "没有识别出章节结构"),
}


def test_it_keeps_a_short_table_row_with_a_flag_on_a_dry_run(tmp_path):
    path = tmp_path / "table.txt"
    path.write_bytes("一、目标\n序号\t指标\t2020年\t2025年\n1\t研发投入强度\t2.1\n".encode())
    out, _ = run(path, "--dry-run", "--json", code="short-row")
    (row,) = json.loads(out)["indicators"]
    assert (row["number"], row["name"], row["baseline_value"]) == (1, "研发投入强度", "2.1")
    assert [flag["field"] for flag in row["flags"]] == ["cells", "target"]
    assert [flag["code"] for flag in row["flags"]] == ["cells_missing", "no_target"]
    assert row["flags"][1]["params"] == {"header": "2025年"}
    assert row["flags"][1]["message"] == "没有目标值：2025年一栏为空"
    assert counts() == [0, 0, 0, 0, 0]


@pytest.mark.parametrize("name", BAD_FILES)
def test_it_fails_on_bad_files_and_writes_nothing(tmp_path, name):
    data, message = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError, match=message):
        run(path, code="bad")
    assert counts() == [0, 0, 0, 0, 0]


def test_it_fails_on_a_missing_file():
    with pytest.raises(CommandError, match="无法读取文件"):
        run(ROOT / "no-such-plan.txt")


def test_it_exits_non_zero_from_the_shell(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(256)) * 8)
    done = subprocess.run(
        [sys.executable, "manage.py", "import_plan", str(path), "--dry-run"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode != 0
    assert "不是文本文件" in done.stderr


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_it_imports_a_plan_from_a_docx_or_a_pdf_like_its_text(tmp_path, suffix):
    from intake.parsing import text_document
    from tests.intake.render_files import docx_bytes, pdf_bytes

    text = (SEEDS / "jizhou-14-sti.txt").read_text(encoding="utf-8")
    render = docx_bytes if suffix == ".docx" else pdf_bytes
    path = tmp_path / f"jizhou-14-sti{suffix}"
    path.write_bytes(render(text_document(text)))
    from_file, _ = run(path, "--dry-run", "--json")
    from_text, _ = run(SEEDS / "jizhou-14-sti.txt", "--dry-run", "--json")
    assert counts() == [0, 0, 0, 0, 0]
    assert json.loads(from_file)["indicators"] == json.loads(from_text)["indicators"]
    run(path)  # the code from the file name: fixtures/plans/jizhou-14-sti.json applies
    plan = Plan.objects.get(code="jizhou-14-sti")
    assert plan.title == "蓟州区科技创新“十四五”规划" and plan.indicators.count() == 10
    assert "全社会研究与试验发展经费" in plan.source_text


def test_it_says_what_to_do_with_a_doc_file(tmp_path):
    path = tmp_path / "plan.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    with pytest.raises(CommandError, match="另存为 .docx"):
        run(path, code="doc")
    assert counts() == [0, 0, 0, 0, 0]
