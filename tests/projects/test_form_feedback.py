"""What a first-time user meets on the monitoring forms: a share above 100 refused at once, in a
draft too (the jump-needs-a-note check waits for submit); locking a year asks first and says what
is still open; the import preview says the state each value ends in."""
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from projects import services
from projects.choices import State
from projects.excel import COL, FIRST_DATA_ROW, SHEET_NAME, build_template
from projects.models import IndicatorValue, ReportingYear
from projects.validation import range_problems

from .factories import make_value
from .test_views import entry_data, entry_url, login

pytestmark = pytest.mark.django_db


# A share above 100 is wrong in a draft too ------------------------------------------------------


def test_it_refuses_a_share_of_120_saved_as_a_draft_with_a_message_on_the_field(client, world):
    data = entry_data(world, {world.share: {"value": "120"}, world.count: {"value": "130"}})
    response = login(client, world.official).post(entry_url(world), data)
    assert response.status_code == 200
    form = next(r.form for r in response.context["rows"] if r.indicator == world.share)
    assert "比重类指标的数值应在 0 到 100 之间" in form.errors["value"][0]
    html = response.content.decode()
    assert "比重类指标的数值应在 0 到 100 之间" in html and "本次没有写入任何数据" in html
    assert not IndicatorValue.objects.exists()  # the good row is not written either: all or nothing


def test_it_refuses_a_rank_of_two_and_a_half_in_a_draft(world):
    with pytest.raises(services.InvalidValueError, match="位次应为正整数"):
        services.value_save(world.official, world.rank, world.year, value=Decimal("2.5"), expected_version=0)
    assert not IndicatorValue.objects.exists()


def test_it_refuses_a_share_above_100_when_a_returned_value_is_corrected(world):
    returned = make_value(world.share, world.year, "1.8", State.RETURNED, return_reason="请核实")
    with pytest.raises(services.InvalidValueError, match="0 到 100"):
        services.value_save(world.official, world.share, world.year, value=Decimal("180"),
                            expected_version=returned.version)
    assert IndicatorValue.objects.get().value == Decimal("1.8")


def test_a_jump_without_a_note_still_waits_for_submit(world):
    make_value(world.count, world.year - 1, "100", State.APPROVED)
    draft = services.value_save(world.official, world.count, world.year, value=Decimal("900"), expected_version=0)
    assert draft.state == State.DRAFT
    with pytest.raises(services.InvalidValueError, match="请在说明中写明原因"):
        services.value_submit(world.official, draft)


@pytest.mark.parametrize(("value", "is_share", "is_rank", "wrong"), [
    ("120", True, False, True), ("-0.1", True, False, True), ("100", True, False, False), ("0", True, False, False),
    ("2.5", False, True, True), ("0", False, True, True), ("3", False, True, False), ("120", False, False, False),
])
def test_range_problems_name_what_the_kind_never_allows(value, is_share, is_rank, wrong):
    assert bool(range_problems(Decimal(value), is_share=is_share, is_rank=is_rank)) is wrong


# Locking a year asks first ----------------------------------------------------------------------


def lock_url(world):
    return reverse("projects:year_lock", args=[world.plan.code, world.year])


def is_locked(world) -> bool:
    return ReportingYear.objects.filter(plan=world.plan, year=world.year, is_locked=True).exists()


def test_the_lock_page_lists_what_is_outstanding_and_locks_nothing_yet(client, world):
    make_value(world.share, world.year, "1.8", State.DRAFT)
    make_value(world.count, world.year, "130", State.RETURNED, return_reason="请核实")
    make_value(world.rank, world.year, "4", State.SUBMITTED)  # world.foreign (蓟州区统计局): nothing
    response = login(client, world.planner).get(lock_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 个责任单位尚未全部提交" in html and "蓟州区科技局" in html and "蓟州区统计局" in html
    for text in ("未填报的指标数值：1 个", "草稿（未提交）：1 个", "已退回、未重新提交：1 个", "已提交、等待审核：1 个"):
        assert text in html, text
    assert "只有规划人员或管理员解锁后才能再修改" in html
    assert 'name="confirm" value="lock"' in html
    assert reverse("projects:completeness", args=[world.plan.code, world.year]) in html  # the cancel link
    assert not is_locked(world)


def test_a_post_without_the_confirmation_shows_the_summary_and_locks_nothing(client, world):
    response = login(client, world.planner).post(lock_url(world), {})
    assert response.status_code == 200 and "确认锁定" in response.content.decode()
    assert not is_locked(world)


def test_the_confirmation_locks_the_year(client, world):
    response = login(client, world.planner).post(lock_url(world), {"confirm": "lock"}, follow=True)
    assert is_locked(world)
    assert "已锁定" in response.content.decode()


def test_a_year_with_everything_approved_says_so(client, world):
    for indicator, value in ((world.share, "1.8"), (world.count, "130"), (world.rank, "4"), (world.foreign, "12")):
        make_value(indicator, world.year, value, State.APPROVED)
    world.project.delete(), world.foreign_project.delete()
    html = login(client, world.planner).get(lock_url(world)).content.decode()
    assert "本年度所有指标数值和项目进展均已审核通过" in html and "尚未全部提交" not in html


def test_a_locked_year_goes_back_to_the_completeness_page(client, world):
    services.year_lock(world.planner, world.plan, world.year)
    response = login(client, world.planner).get(lock_url(world))
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:completeness", args=[world.plan.code, world.year])


def test_the_completeness_page_links_to_the_confirmation_instead_of_locking(client, world):
    html = login(client, world.planner).get(
        reverse("projects:completeness", args=[world.plan.code, world.year])
    ).content.decode()
    assert f'href="{lock_url(world)}"' in html
    assert f'action="{lock_url(world)}"' not in html


# The import preview says the state each value ends in -------------------------------------------


@pytest.fixture
def staging(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPLOAD_STAGING_ROOT = tmp_path / "staging"


def test_the_import_preview_says_a_returned_value_stays_returned(client, world, staging):
    make_value(world.count, world.year, "120", State.RETURNED, return_reason="请核实")
    client.force_login(world.official)
    wb = load_workbook(io.BytesIO(build_template(world.plan, world.year, world.org)))
    ws = wb[SHEET_NAME]
    rows = {ws.cell(r, COL["序号"]).value: r for r in range(FIRST_DATA_ROW, ws.max_row + 1)}
    ws.cell(rows[1], COL["本年数值"]).value = 1.8
    ws.cell(rows[2], COL["本年数值"]).value = 125
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "填报.xlsx"
    upload = reverse("excel:upload", args=[world.plan.code, world.year, world.org.pk])
    preview = client.get(client.post(upload, {"file": buffer, "state": State.DRAFT})["Location"])
    html = preview.content.decode()
    assert "保存为草稿" in html  # what was asked …
    states = preview.context["resulting_states"]
    assert [(state, n) for state, _label, n in states] == [(State.DRAFT, 1), (State.RETURNED, 1)]  # … and what results
    assert "已退回的数值修改后仍为“已退回”" in html and "（状态不变）" in html
    assert "已退回</span> → " not in html
