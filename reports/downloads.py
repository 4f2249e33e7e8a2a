"""The workbook of many plans (``/data/assessment.xlsx``, the overview's download) without letting
requests pile up exports (issue 14 §7).

- **Cached file.** The approved-only workbook is public: it is written once per *data key* (year,
  the plans, every plan's and indicator's change stamp — renewed by each write of their values —,
  the tolerance, the language, the export date) into ``GUIHUA_EXPORT_CACHE_DIR`` and served from
  there while the key is unchanged. Workbooks with preliminary values are the visitor's own and
  never cached.
- **One export at a time.** Writing takes a lock in the Django cache (``cache.add``, atomic on
  Redis and Memcached; per process with the local-memory cache). A request that finds it taken
  waits up to ``WAIT_SECONDS`` for the file the other is writing, then answers 503 with Retry-After.
- **Rate limit.** Per signed-in user and per address (``accounts.addresses.client_ip``: behind the
  proxy each client its own, a forged ``X-Forwarded-For`` ignored), ``RATE_LIMIT`` downloads per
  ``RATE_WINDOW`` seconds, then 429 with Retry-After.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.addresses import client_ip
from indicators.models import Indicator

RATE_LIMIT = 6  # downloads of many plans per window, per user and per address
RATE_WINDOW = 60  # seconds
LOCK_KEY = "guihua:workbook-export-lock"
LOCK_SECONDS = 15 * 60  # a crashed export frees the lock after this
WAIT_SECONDS = 5.0
POLL_SECONDS = 0.1
RETRY_AFTER = 30


def cache_dir() -> Path:
    folder = Path(getattr(settings, "GUIHUA_EXPORT_CACHE_DIR", "") or Path(tempfile.gettempdir()) / "guihua-workbooks")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def data_key(plans, year: int) -> str:
    """A digest of everything the approved-only workbook of `plans` for `year` depends on (two queries)."""
    digest = hashlib.sha256()
    for part in (year, settings.GUIHUA_TOLERANCE, get_language(), timezone.localdate().isoformat()):
        digest.update(f"{part}|".encode())
    for plan in plans:
        digest.update(f"p{plan.pk}:{plan.change_stamp}|".encode())
    stamps = Indicator.objects.filter(plan_id__in=[p.pk for p in plans]).order_by("pk")
    for pk, stamp in stamps.values_list("pk", "change_stamp").iterator(chunk_size=5000):
        digest.update(f"i{pk}:{stamp}|".encode())
    return digest.hexdigest()


def rate_limited(request) -> HttpResponse | None:
    """429 when the user or the address asked too often in the window; None otherwise."""
    keys = [f"guihua:workbook-rate:addr:{client_ip(request)}"]
    if request.user.is_authenticated:
        keys.append(f"guihua:workbook-rate:user:{request.user.pk}")
    over = False
    for key in keys:
        cache.add(key, 0, RATE_WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, RATE_WINDOW)
            count = 1
        over = over or count > RATE_LIMIT
    if not over:
        return None
    message = _("下载过于频繁：每 %(seconds)s 秒最多下载 %(n)s 次多规划评估表，请稍后再试。") % {
        "seconds": RATE_WINDOW, "n": RATE_LIMIT,
    }  # fmt: skip
    return _plain(message, 429)


def busy() -> HttpResponse:
    return _plain(_("正在生成评估表，请 %(seconds)s 秒后重试。") % {"seconds": RETRY_AFTER}, 503)


def _plain(message: str, status: int) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def locked_export(write: Callable[[object], None], path: Path | None = None):
    """Run `write(output)` holding the export lock. With `path` (the cached file) the output is
    written there (atomically) and the path returned, or found written by another request meanwhile;
    without, a temporary file is returned, open at its start. None when the lock stayed taken."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not cache.add(LOCK_KEY, os.getpid(), LOCK_SECONDS):
        if path is not None and path.exists():
            return path
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_SECONDS)
    try:
        if path is not None:
            if path.exists():
                return path
            partial = path.with_suffix(f".{os.getpid()}.part")
            try:
                with open(partial, "wb") as out:
                    write(out)
                os.replace(partial, path)
            finally:
                partial.unlink(missing_ok=True)
            return path
        output = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
        try:
            write(output)
        except BaseException:
            output.close()
            raise
        output.seek(0)
        return output
    finally:
        cache.delete(LOCK_KEY)
