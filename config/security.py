"""Hooks for django-axes: the lock-out page (the client address is ``accounts.addresses.client_ip``)."""

from django.conf import settings
from django.shortcuts import render

from accounts.throttling import ADDRESS, PAIR, USERNAME, wider_lock


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets: which lock, for how long, and whom to ask (HTTP 429)."""
    lock = wider_lock(request, credentials) or PAIR
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    if lock == USERNAME:
        minutes = settings.GUIHUA_LOGIN_USERNAME_MINUTES
    limits = {
        PAIR: settings.AXES_FAILURE_LIMIT,
        ADDRESS: settings.GUIHUA_LOGIN_ADDRESS_LIMIT,
        USERNAME: settings.GUIHUA_LOGIN_USERNAME_LIMIT,
    }
    context = {
        "lock": lock,
        "failure_limit": limits[lock],
        "cooloff_minutes": minutes,
        "contact": settings.GUIHUA_SUPPORT_CONTACT,
    }
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
