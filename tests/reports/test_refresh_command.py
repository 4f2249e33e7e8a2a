"""``manage.py refresh_assessments``: fills the store of assessments ahead of the readers."""

import io

import pytest
from django.core.management import CommandError, call_command

from reports.models import StoredAssessment
from reports.selectors import plan_report

from . import factories as f

pytestmark = pytest.mark.django_db


def _refresh(*args) -> str:
    out = io.StringIO()
    call_command("refresh_assessments", *args, stdout=out)
    return out.getvalue()


def test_it_stores_every_year_of_every_plan_once():
    first = f.plan_with_data("first", 2, [2021, 2022])  # 2021–2025
    f.plan_with_data("second", 3, [2016, 2017])  # 2016–2020
    assert "已保存 25 条评估结果（2 个规划" in _refresh()
    assert StoredAssessment.objects.count() == 25
    assert "已保存 0 条" in _refresh()  # all current

    stored = StoredAssessment.objects.get(indicator__plan=first, indicator__number=1, year=2022)
    assert stored.verdict == plan_report(first, 2022).rows[0].assessment.verdict.value

    f.value(first.indicators.get(number=1), 2023, "2.9")  # one indicator changed: its five years again
    assert "已保存 5 条" in _refresh()


def test_it_stores_one_year_of_the_plans_named():
    f.plan_with_data("first", 2, [2021, 2022])
    f.plan_with_data("second", 3, [2021])
    assert "已保存 2 条评估结果（1 个规划" in _refresh("first", "--year", "2022")
    assert set(StoredAssessment.objects.values_list("year", "indicator__plan__code")) == {(2022, "first")}


def test_it_refuses_unknown_plans_and_stores_nothing():
    f.plan_with_data("first", 2, [2021])
    with pytest.raises(CommandError, match="规划代码不存在：nope") as raised:
        _refresh("first", "nope")
    assert raised.value.returncode == 2
    assert not StoredAssessment.objects.exists()


def test_it_recomputes_everything_when_forced():
    plan = f.plan_with_data("first", 1, [2021, 2022])
    _refresh()
    # a value changed behind the application's back renews no stamp: only --force notices it
    plan.indicators.get().values.filter(year=2022).update(value="9")
    assert "已保存 0 条" in _refresh()
    assert "已保存 5 条" in _refresh("--force")
    stored = StoredAssessment.objects.get(year=2022)
    assert stored.verdict == plan_report(plan, 2022).rows[0].assessment.verdict.value == "achieved"
