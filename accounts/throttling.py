"""Login locks wider than django-axes' own (five failures of one user name from one address):

- **address**: ``GUIHUA_LOGIN_ADDRESS_LIMIT`` failures from one address over any user names within
  ``AXES_COOLOFF_TIME`` lock that address (guessing across many accounts);
- **user name**: ``GUIHUA_LOGIN_USERNAME_LIMIT`` failures at one user name from any addresses within
  ``GUIHUA_LOGIN_USERNAME_MINUTES`` lock that user name (guessing from rotating addresses).

Both are counted from axes' own failure records, so a lock ends as they age and the admin's
"access attempts" list still shows and resets everything.
"""

from __future__ import annotations

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from .addresses import client_ip

PAIR, ADDRESS, USERNAME = "pair", "address", "username"


class LoginThrottle(AxesDatabaseHandler):
    """axes' database handler, counting a wider lock as the failure limit reached."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if wider_lock(request, credentials):
            return max(failures, get_failure_limit(request, credentials))
        return failures


def wider_lock(request, credentials=None) -> str | None:
    """ADDRESS or USERNAME when that lock holds for this login, None otherwise."""
    now = timezone.now()
    by_address = AccessAttempt.objects.filter(
        ip_address=client_ip(request), attempt_time__gte=now - timedelta(hours=settings.AXES_COOLOFF_TIME)
    )
    if _failures(by_address) >= settings.GUIHUA_LOGIN_ADDRESS_LIMIT:
        return ADDRESS
    username = get_client_username(request, credentials)
    if username:
        window = timedelta(minutes=settings.GUIHUA_LOGIN_USERNAME_MINUTES)
        by_username = AccessAttempt.objects.filter(username=username, attempt_time__gte=now - window)
        if _failures(by_username) >= settings.GUIHUA_LOGIN_USERNAME_LIMIT:
            return USERNAME
    return None


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
