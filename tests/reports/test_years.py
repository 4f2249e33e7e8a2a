"""Issue 14 §6: years are validated before any query, in pages, downloads and commands."""

import pytest
from django.core.management import CommandError, call_command

from plans.models import Plan
from reports.years import parse_year

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text, year", [("2024", 2024), (" 2021 ", 2021), ("0", None), ("32768", None),
                                        ("99999", None), ("2x", None), ("-2024", None), ("２０２４", None), ("", None)])  # fmt: skip
def test_it_parses_plausible_years_only(text, year):
    assert parse_year(text) == year


@pytest.fixture
def plans():
    dated = Plan.objects.create(code="dated", title="有期限", start_year=2021, end_year=2025)
    undated = Plan.objects.create(code="undated", title="无期限")
    return dated, undated


@pytest.mark.parametrize("year", ["0", "32768", "99999", "abc", "1e3"])
@pytest.mark.parametrize("url", ["/data/assessment.xlsx", "/data/plans/dated/assessment.xlsx",
                                 "/data/plans/undated/assessment.xlsx"])  # fmt: skip
def test_it_refuses_a_malformed_year_in_downloads_with_a_message(client, plans, url, year):
    response = client.get(url, {"year": year})
    assert response.status_code == 400
    assert "年份应为 1949—2100 之间的整数" in response.content.decode()


def test_it_refuses_a_year_outside_the_period(client, plans):
    response = client.get("/data/plans/dated/assessment.xlsx", {"year": 2030})
    assert response.status_code == 400 and "2030年不在规划期内" in response.content.decode()


@pytest.mark.parametrize("year", ["0", "32768", "99999", "abc", "2030"])
@pytest.mark.parametrize("code", ["dated", "undated"])
def test_it_says_the_dashboard_ignored_a_bad_year(client, plans, code, year):
    for path in (f"/reports/plans/{code}/", f"/reports/plans/{code}/tasks/"):
        response = client.get(path, {"year": year})
        assert response.status_code == 200
        if code == "dated" or year != "2030":
            assert "所选年份不在规划期内" in response.content.decode()


@pytest.mark.parametrize("year", ["0", "32768", "99999"])
def test_it_falls_back_on_the_overview(client, plans, year):
    assert client.get("/reports/", {"year": year}).status_code == 200


@pytest.mark.parametrize("command, extra", [("assess", []), ("export_assessment", ["--output", "/tmp/never.xlsx"])])
@pytest.mark.parametrize("year", [0, 32768])
def test_it_refuses_an_implausible_year_in_commands(plans, command, extra, year):
    with pytest.raises(CommandError, match="年份应为"):
        call_command(command, "undated", "--year", str(year), *extra)
