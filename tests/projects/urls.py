"""The project's URLs with the monitoring app mounted at monitoring/ (see conftest.monitoring_urls)."""
from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("monitoring/", include("projects.urls"))]
