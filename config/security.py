"""Hooks for django-axes: the client address behind the reverse proxy and the lock-out page."""

from django.conf import settings
from django.shortcuts import render


def client_ip(request) -> str:
    """The client's address. Behind TRUSTED_PROXY_COUNT proxies that append to X-Forwarded-For,
    the address the outermost trusted proxy saw is that many entries from the right; anything
    further left was written by the client and is ignored."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if hops <= 0 or not forwarded:
        return remote
    return forwarded[-min(hops, len(forwarded))]


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets: why, for how long, and whom to ask (HTTP 429)."""
    hours = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(hours * 60),
        "contact": settings.GUIHUA_SUPPORT_CONTACT,
    }
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
