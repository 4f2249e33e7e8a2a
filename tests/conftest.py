"""Every test starts with an empty cache: rate limits (reports/downloads.py) and locks counted in
one test must not refuse the requests of the next."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()
