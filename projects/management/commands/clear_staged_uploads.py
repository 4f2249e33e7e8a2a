"""Delete Excel/CSV uploads that were previewed but never confirmed, once older than their lifetime.

    python manage.py clear_staged_uploads

The upload pages already do this on every request, whoever makes it; this command is for a daily
cron entry (next to ``clearsessions``), so nothing waits for the next visitor.
"""
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from projects.models import StagedUpload


class Command(BaseCommand):
    help = "删除超过 24 小时仍未确认的 Excel/CSV 导入。"

    def handle(self, *args, **options):
        deleted = StagedUpload.clear_expired()
        self.stdout.write(_("已删除 %(n)s 个过期的待确认导入。") % {"n": deleted})
