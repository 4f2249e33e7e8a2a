"""Delete Excel/CSV uploads that were previewed but never confirmed, once older than their lifetime.

    python manage.py clear_staged_uploads

The upload pages already do this on every upload, preview and confirmation, whoever makes it; this
command is for a daily cron entry, so nothing waits for the next visitor. It also removes the files
that releases before StagedUpload kept for the same purpose (``*.upload`` directly in
UPLOAD_STAGING_ROOT; the plan intake keeps its own in the ``intake/`` folder below it).
"""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from projects.models import StagedUpload


class Command(BaseCommand):
    help = "删除超过 24 小时仍未确认的 Excel/CSV 导入。"

    def handle(self, *args, **options):
        deleted = StagedUpload.clear_expired()
        for path in Path(settings.UPLOAD_STAGING_ROOT).glob("*.upload"):
            path.unlink(missing_ok=True)
        self.stdout.write(_("已删除 %(n)s 个过期的待确认导入。") % {"n": deleted})
