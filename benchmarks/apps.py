from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchmarksConfig(AppConfig):
    """Synthetic national-scale data and ``manage.py bench``; no models, nothing the app imports."""

    name = "benchmarks"
    verbose_name = _("性能基准")
