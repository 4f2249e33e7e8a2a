import pytest


@pytest.fixture(autouse=True)
def reports_urls(settings):
    settings.ROOT_URLCONF = "tests.reports.urls"
