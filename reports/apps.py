from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("评估报告")

    def ready(self):
        from projects.signals import values_written

        from .receivers import values_written_refresh

        values_written.connect(values_written_refresh, dispatch_uid="reports.values_written_refresh")
