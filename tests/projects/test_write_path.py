"""The one write path of values and its rules: the transition table, the signal after commit, the
previous reference and the jump check over several years, end to end."""
import io
from types import SimpleNamespace
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from projects import services, workflow
from projects.choices import State
from projects.excel import COL, FIRST_DATA_ROW, SHEET_NAME, build_template
from projects.models import IndicatorValue
from projects.signals import values_written

from .factories import make_indicator, make_plan, make_value
from .test_views import entry_data, entry_url, login

pytestmark = pytest.mark.django_db


# The transition table (pure) -------------------------------------------------------------------


@pytest.mark.parametrize(("step", "state", "expected"), [
    (workflow.SAVE, workflow.NEW, workflow.DRAFT),
    (workflow.SAVE, workflow.RETURNED, workflow.RETURNED),  # the reason stays visible until resubmitted
    (workflow.SAVE, workflow.SUBMITTED, None),
    (workflow.SUBMIT, workflow.RETURNED, workflow.SUBMITTED),
    (workflow.SUBMIT, workflow.APPROVED, None),
    (workflow.APPROVE, workflow.SUBMITTED, workflow.APPROVED),
    (workflow.APPROVE, workflow.DRAFT, None),
    (workflow.RETURN, workflow.SUBMITTED, workflow.RETURNED),
    (workflow.LOAD, workflow.NEW, workflow.APPROVED),
    (workflow.LOAD, workflow.APPROVED, None),
])
def test_it_takes_each_step_only_from_the_states_the_table_names(step, state, expected):
    assert workflow.next_state(step, state) == expected


def test_it_lets_only_admins_correct_a_record_in_any_state():
    assert workflow.next_state(workflow.CORRECT, workflow.APPROVED, asked=workflow.DRAFT) == workflow.DRAFT
    assert workflow.step_for_write(workflow.DRAFT, workflow.APPROVED, is_admin=True) == workflow.CORRECT
    assert workflow.step_for_write(workflow.DRAFT, workflow.APPROVED, is_admin=False) == workflow.SAVE
    assert workflow.transition(workflow.CORRECT, workflow.APPROVED).actors == (workflow.ADMIN,)


# The write path --------------------------------------------------------------------------------


def test_it_sends_values_written_once_the_transaction_commits(world, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, indicator_ids, **kwargs):
        received.append(indicator_ids)

    values_written.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            changes = [services.ValueChange(world.share, world.year, Decimal("1.8")),
                       services.ValueChange(world.count, world.year, Decimal("110"))]
            services.values_write(None, changes, state=State.APPROVED)
            assert received == []  # not before the commit
    finally:
        values_written.disconnect(receiver)
    assert received == [{world.share.pk, world.count.pk}]


def test_it_sends_values_written_only_when_approved_values_changed(world, django_capture_on_commit_callbacks):
    """Drafts and submissions leave what the official assessment reads (approved values) as it was."""
    received = []

    def receiver(sender, indicator_ids, **kwargs):
        received.append(indicator_ids)

    values_written.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.values_write(world.official, [services.ValueChange(world.share, world.year, Decimal("1.8"))])
            services.values_write(world.official, [services.ValueChange(world.count, world.year, Decimal("110"))],
                                  state=State.SUBMITTED)
    finally:
        values_written.disconnect(receiver)
    assert received == []


def test_it_writes_nothing_when_one_change_is_refused(world):
    make_value(world.count, world.year, "110", State.APPROVED)
    changes = [services.ValueChange(world.share, world.year, Decimal("1.8")),
               services.ValueChange(world.count, world.year, Decimal("120"), expected_version=1)]
    with pytest.raises(services.BatchError) as caught:
        services.values_write(world.official, changes)
    assert list(caught.value.errors) == [world.count.pk]
    assert isinstance(caught.value.errors[world.count.pk], services.InvalidStateError)
    assert not IndicatorValue.objects.filter(indicator=world.share).exists()


def test_it_refuses_an_outsider_before_writing_anything(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.values_write(world.other_official, [services.ValueChange(world.share, world.year, Decimal("1.8"))])
    assert not IndicatorValue.objects.exists()


# The previous reference and the jump over several years -----------------------------------------


def _import(tmp_path, text, *args):
    path = tmp_path / "values.csv"
    path.write_text("plan,indicator,year,value,source,note\n" + text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_values", str(path), *args, "--user", "system:test", stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def national(world):
    """A national plan of 2016–2020 with its 2015 baselines: one target doubles in five years."""
    plan = make_plan("national-13-sti", start_year=2016, end_year=2020)
    return SimpleNamespace(
        plan=plan,
        doubling=make_indicator(plan, world.org, 1, unit="件", name="每万人口发明专利拥有量",
                                baseline_value=Decimal("3.05"), target_text="翻一番", target_value=Decimal("6.1")),
        steady=make_indicator(plan, world.org, 2, unit="%", name="研发投入强度", baseline_value=Decimal("2.06")),
    )


def test_it_loads_the_2020_outcomes_against_the_2015_baselines(tmp_path, national):
    out = _import(tmp_path, "national-13-sti,1,2020,6.9,国家统计局,\nnational-13-sti,2,2020,2.4,国家统计局,\n",
                  "--state", "approved")
    assert "已写入 2 个数值" in out
    assert IndicatorValue.objects.get(indicator=national.doubling).state == State.APPROVED


def test_it_still_refuses_a_yearly_jump_over_the_limit_and_names_the_baseline(tmp_path, national):
    from django.core.management.base import CommandError

    err = io.StringIO()
    path = tmp_path / "v.csv"
    path.write_text("plan,indicator,year,value,source,note\nnational-13-sti,1,2020,40,,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command(
            "import_values", str(path), "--state", "approved", "--user", "system:test", stdout=io.StringIO(), stderr=err
        )
    assert "第 2 行 · note: 与基期值（2015年） 3.05 相比变化 +1211.5%（年均 +67.3%）" in err.getvalue()
    assert not IndicatorValue.objects.exists()


def test_the_entry_page_names_the_reference_and_its_year(client, world):
    world.year = 2025
    make_value(world.count, 2023, "20", State.APPROVED)
    login(client, world.official)
    page = client.get(entry_url(world)).content.decode()
    assert "参照：上一已审核值（2023年） 20" in page
    data = entry_data(world, {world.count: {"value": "139"}}, action="submit")
    response = client.post(entry_url(world), data)
    form = next(r.form for r in response.context["rows"] if r.indicator == world.count)
    message = form.errors["note"][0]
    assert "与上一已审核值（2023年） 20 相比变化 +595.0%（年均 +163.6%）" in message and "上年" not in message
    assert not IndicatorValue.objects.filter(year=2025).exists()


def test_the_template_gives_the_same_reference_as_the_entry_page(world):
    make_value(world.count, 2021, "120", State.APPROVED)
    make_value(world.count, 2022, "130", State.SUBMITTED)  # not approved: not a reference
    ws = load_workbook(io.BytesIO(build_template(world.plan, world.year, world.org)))[SHEET_NAME]
    rows = {ws.cell(r, COL["序号"]).value: r for r in range(FIRST_DATA_ROW, ws.max_row + 1)}
    assert ws.cell(rows[2], COL["参照"]).value == "上一已审核值（2021年）"
    assert ws.cell(rows[2], COL["参照值"]).value == 120
    assert ws.cell(rows[1], COL["参照"]).value == "基期值（2020年）"
    assert ws.cell(rows[1], COL["参照值"]).value == 1.65
