"""The client's network address, the one every per-address limit counts by (login throttling, the
download rate limit)."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The client's address. ``X-Forwarded-For`` is read only as far as trusted proxies wrote it:
    starting from the peer (``REMOTE_ADDR``), while the address in hand is one of
    ``TRUSTED_PROXIES`` and fewer than ``TRUSTED_PROXY_COUNT`` hops were taken, step to the next
    entry from the right. A request reaching the app directly has an untrusted peer, so its
    header, forged or not, is ignored; entries further left were written by the client."""
    address = request.META.get("REMOTE_ADDR", "")
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    proxies = _networks(settings.TRUSTED_PROXIES)
    for _hop in range(settings.TRUSTED_PROXY_COUNT):
        if not forwarded or not _within(address, proxies):
            break
        candidate = forwarded.pop()
        if not _valid(candidate):
            break  # a proxy writes addresses only: keep the last one known to be real
        address = candidate
    return address


def _networks(entries) -> list:
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()]


def _within(address: str, networks: list) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True
