"""Every management command that writes says who it acts as (--user): a person or a named system
actor, who is then named in the history. Without a user, or with one that does not exist, it
says so clearly, exits non-zero and writes nothing."""

import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts.models import Membership, User
from indicators.models import Indicator
from plans.models import Plan
from projects.choices import State
from projects.models import IndicatorValue, ReportingYear
from reports.models import StoredAssessment

from .factories import make_value, make_world

pytestmark = [pytest.mark.django_db]
ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "plans" / "jizhou-14-sti.txt"
NO_USER = "请用 --user 指明操作人"
UNKNOWN = "找不到用户“nobody”"


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def values_csv(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("plan,indicator,year,value,source,note\njizhou-14-sti,1,2022,1.75,区统计局,\n", encoding="utf-8")
    return path


def everything() -> list[int]:
    models = [User, Membership, Plan, Indicator, IndicatorValue, IndicatorValue.history.model, ReportingYear,
              ReportingYear.history.model, Indicator.history.model, StoredAssessment]  # fmt: skip
    return [model.objects.count() for model in models]


def refused(*args, **options) -> str:
    before = everything()
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO(), **options)
    assert everything() == before
    return str(error.value)


def writing_commands(values_csv):
    return {
        "import_values": ["import_values", str(values_csv), "--state", "approved"],
        "import_plan": ["import_plan", str(SEED), "--code", "jizhou-14-sti"],
        "load_seed_plans": ["load_seed_plans"],
        "load_demo_values": ["load_demo_values"],
        "create_demo_accounts": ["create_demo_accounts"],
    }


@pytest.mark.parametrize("command", ["import_values", "import_plan", "load_seed_plans", "load_demo_values",
                                     "create_demo_accounts"])  # fmt: skip
def test_it_refuses_to_write_without_a_user_or_with_an_unknown_one(world, values_csv, command):
    args = writing_commands(values_csv)[command]
    assert NO_USER in refused(*args)
    assert UNKNOWN in refused(*args, "--user", "nobody")
    assert "system:Bad Name" in refused(*args, "--user", "system:Bad Name")


def test_refresh_assessments_refuses_an_unknown_user_and_stores_nothing(world):
    assert UNKNOWN in refused("refresh_assessments", "--user", "nobody")


def test_an_unknown_user_exits_non_zero_with_the_message_and_no_traceback(world, values_csv):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    settings = connection.settings_dict
    env["DATABASE_URL"] = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    done = subprocess.run(
        [sys.executable, "manage.py", "import_values", str(values_csv), "--state", "approved", "--user", "nobody"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    assert UNKNOWN in done.stderr and "Traceback" not in done.stderr


def test_an_approved_import_by_a_person_is_refused_by_four_eyes(world, values_csv):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_values", str(values_csv), "--state", "approved", "--user", "reviewer",
                     stdout=io.StringIO(), stderr=err)  # fmt: skip
    assert not IndicatorValue.objects.filter(indicator=world.share, year=2022).exists()
    assert err.getvalue()


def test_an_approved_import_names_the_person_in_every_history_record(world, values_csv, settings):
    settings.GUIHUA_ALLOW_SELF_REVIEW = True  # a one-person office loads its published figures itself
    call_command("import_values", str(values_csv), "--state", "approved", "--user", "reviewer",
                 stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    loaded = IndicatorValue.objects.get(indicator=world.share, year=2022)
    assert (loaded.value, loaded.state) == (Decimal("1.75"), State.APPROVED)
    assert [h.history_user for h in loaded.history.all()] == [world.reviewer]
    year = ReportingYear.objects.get(plan=world.plan, year=2022)  # created on the way, with history
    assert {h.history_user for h in year.history.all()} == {world.reviewer}


def test_a_system_actor_is_a_named_account_that_cannot_log_in_and_is_named_in_the_history(client, world, values_csv):
    make_value(world.share, 2022, "1.70", State.APPROVED, world.official)
    call_command("import_values", str(values_csv), "--state", "approved", "--user", "system:archive",
                 stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    actor = User.objects.get(username="system:archive")
    value = IndicatorValue.objects.get(indicator=world.share, year=2022)
    assert value.history.first().history_user == actor  # the earlier row was written outside any command
    assert (value.entered_by, value.reviewed_by) == (actor, actor)
    assert not actor.is_active and not actor.has_usable_password()
    client.post("/accounts/login/", {"username": "system:archive", "password": ""})
    assert "_auth_user_id" not in client.session
    client.force_login(world.admin)
    response = client.post(f"/admin/accounts/user/{actor.pk}/change/", {"username": "system:archive", "is_active": "on"})
    assert response.status_code == 403
    actor.refresh_from_db()
    assert not actor.is_active


def test_import_plan_names_its_actor_in_the_indicators_history_and_needs_a_planner(world, tmp_path):
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    assert "不是规划人员" in refused("import_plan", str(SEED), "--code", "jizhou-seed", "--user", "official")
    call_command("import_plan", str(SEED), code="jizhou-seed", user="planner", **quiet)
    revised = tmp_path / "jizhou-revised.txt"  # the R&D target raised from 2 to 2.2
    revised.write_text(SEED.read_text(encoding="utf-8").replace("\t1.65\n\t2\n", "\t1.65\n\t2.2\n", 1), "utf-8")
    call_command("import_plan", str(revised), code="jizhou-seed", replace=True, user="system:seed", **quiet)
    indicators = Indicator.objects.filter(plan__code="jizhou-seed")
    changed = Indicator.history.filter(id__in=indicators.values("pk"), history_type="~")
    assert changed.exists()
    assert {h.history_user.username for h in changed} == {"system:seed"}
    dry = io.StringIO()
    call_command("import_plan", str(SEED), "--dry-run", code="another", stdout=dry, stderr=io.StringIO())
    assert not Plan.objects.filter(code="another").exists()  # a dry run writes nothing and needs no user


def test_demo_values_name_their_loader_in_the_history(db):
    call_command("load_seed_plans", user="system:seed", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("load_demo_values", user="system:demo", stdout=io.StringIO(), stderr=io.StringIO())
    loaded = IndicatorValue.history.filter(is_demo=True)
    assert loaded.exists()
    assert set(loaded.values_list("history_user__username", flat=True)) == {"system:demo"}


def test_a_person_passes_the_same_permission_checks_as_in_the_browser(world, values_csv):
    for username in ("official", "other_official"):
        before, err = everything(), io.StringIO()
        with pytest.raises(CommandError):
            call_command("import_values", str(values_csv), "--state", "approved", "--user", username,
                         stdout=io.StringIO(), stderr=err)  # fmt: skip
        assert everything() == before
        assert "第 2 行" in err.getvalue() and "你无权审核" in err.getvalue()
