"""``manage.py assess``: the JSON equals the assessment, text is readable, errors exit non-zero."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.numbers import number_text
from reports.assessment import assess
from reports.selectors import indicator_input

from . import factories as f

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def plan():
    plan = f.plan("jizhou-test", start=2021, end=2025, base=2020)
    ind = f.indicator(plan, 1, baseline="2.1", target="2.5", attribute="binding")
    f.value(ind, 2021, "2.15")
    f.value(ind, 2022, "2.2")
    f.value(ind, 2023, "2.3", state="submitted")
    f.indicator(plan, 2, name="无数据指标")
    return plan


def run(*args) -> str:
    out = StringIO()
    call_command("assess", *args, stdout=out)
    return out.getvalue()


def test_it_prints_json_equal_to_the_assessment(plan):
    data = json.loads(run("jizhou-test", "--year", "2022", "--json"))
    assert data["plan"] == "jizhou-test" and data["year"] == 2022 and data["include_unapproved"] is False
    first, second = data["indicators"]
    expected = assess(indicator_input(plan.indicators.get(number=1), {2021: D("2.15"), 2022: D("2.2")}), 2022)
    assert first["number"] == 1 and first["value"] == "2.2" and first["value_year"] == 2022
    assert first["verdict"] == expected.verdict.value
    for key in ("completion", "time_share", "projected", "required_growth", "sdg_ratio"):
        assert D(first[key]) == getattr(expected, key), key
        assert first[key] == number_text(getattr(expected, key)), key  # no padding zeros, no exponent
    assert first["projected_verdict"] == expected.projected_verdict.value
    assert first["warning"] is expected.warning
    assert first["explanation"] == expected.explanation
    assert second["verdict"] == "no_data" and second["value"] is None and second["completion"] is None


def test_it_includes_unapproved_values_on_request(plan):
    data = json.loads(run("jizhou-test", "--year", "2023", "--json", "--include-unapproved"))
    assert data["include_unapproved"] is True
    assert data["indicators"][0]["value"] == "2.3" and data["indicators"][0]["preliminary"] is True
    approved_only = json.loads(run("jizhou-test", "--year", "2023", "--json"))
    assert approved_only["indicators"][0]["value_year"] == 2022


def test_it_prints_an_aligned_table_in_chinese(plan):
    text = run("jizhou-test", "--year", "2022")
    assert "序号" in text and "评价" in text and "说明：" in text
    assert "2022年评估" in text


def test_it_refuses_an_unknown_plan():
    with pytest.raises(CommandError, match="规划代码不存在：nope"):
        run("nope", "--year", "2022")


def test_it_refuses_a_year_outside_the_period(plan):
    with pytest.raises(CommandError, match="不在规划期内"):
        run("jizhou-test", "--year", "2030")


def test_it_exits_non_zero_from_the_command_line(plan, capsys):
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "assess", "nope", "--year", "2022"]).execute()
    assert exit_info.value.code != 0
    assert "规划代码不存在" in capsys.readouterr().err
