from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("监测填报")

    def ready(self):
        from indicators import panels

        from .selectors.history import indicator_page

        panels.register(indicator_page)
