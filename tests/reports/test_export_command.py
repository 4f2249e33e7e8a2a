"""``manage.py export_assessment``: the file on success; exit code 2 and no file on bad input."""

import openpyxl
import pytest
from django.core.management import ManagementUtility, base, call_command
from django.core.management.base import CommandError

from reports.management.commands import export_assessment

from . import workbook_factories as f

pytestmark = pytest.mark.django_db


def test_it_writes_the_workbook_of_the_plans_named(tmp_path):
    f.district_plan(), f.hostile_plan()
    output = tmp_path / "2023.xlsx"
    call_command("export_assessment", "hostile", "district-14", "--year", "2023", "--output", str(output))
    wb = openpyxl.load_workbook(output)
    assert wb.sheetnames == ["汇总", "=恶意规划", "某区科技十四五", "某区科技十四五-任务"]
    assert wb["汇总"]["A1"].value == "2023年度规划监测评估汇总表"
    assert list(tmp_path.iterdir()) == [output]


def test_it_includes_unapproved_values_when_asked(tmp_path):
    f.district_plan()
    output = tmp_path / "2024.xlsx"
    call_command(
        "export_assessment", "district-14", "--year", "2024", "--output", str(output), "--include-unapproved"
    )
    ws = openpyxl.load_workbook(output)["某区科技十四五"]
    assert ws["K5"].value == 1.9 and ws["A4"].value == "序号" and ws["K4"].value == "2024年"


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["district-14", "nope", "--year", "2023"], "规划代码不存在：nope"),
        (["district-14", "--year", "2030"], "2030年不在规划期内：district-14（2021—2025）"),
        (["district-14", "--year", "2020"], "2020年不在规划期内"),
    ],
)
def test_it_refuses_bad_input_with_exit_code_2_and_leaves_no_file(tmp_path, arguments, message):
    f.district_plan()
    output = tmp_path / "out.xlsx"
    with pytest.raises(CommandError) as refused:
        call_command("export_assessment", *arguments, "--output", str(output))
    assert refused.value.returncode == 2
    assert message in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_it_exits_with_code_2_and_a_message_on_stderr(tmp_path, capsys, monkeypatch):
    output = tmp_path / "out.xlsx"
    monkeypatch.setattr(base.connections, "close_all", lambda: None)  # keep the test's transaction open
    utility = ManagementUtility(
        ["manage.py", "export_assessment", "nope", "--year", "2023", "--output", str(output)]
    )
    with pytest.raises(SystemExit) as stopped:
        utility.execute()
    assert stopped.value.code == 2
    assert "规划代码不存在：nope" in capsys.readouterr().err
    assert not output.exists()


def test_it_refuses_an_output_directory_that_does_not_exist(tmp_path):
    f.district_plan()
    with pytest.raises(CommandError) as refused:
        call_command(
            "export_assessment", "district-14", "--year", "2023", "--output", str(tmp_path / "no" / "x.xlsx")
        )
    assert refused.value.returncode == 2


def test_it_removes_the_partial_file_when_writing_fails_and_keeps_the_old_one(tmp_path, monkeypatch):
    f.district_plan()
    output = tmp_path / "out.xlsx"
    output.write_bytes(b"last year's file")

    def broken(plans, year, out, **kwargs):
        out.write(b"PK half a workbook")
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_assessment, "write_plans_workbook", broken)
    with pytest.raises(RuntimeError):
        call_command("export_assessment", "district-14", "--year", "2023", "--output", str(output))
    assert list(tmp_path.iterdir()) == [output]
    assert output.read_bytes() == b"last year's file"
