from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from .views import home

urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("plans/", include("plans.urls")),
    path("indicators/", include("indicators.urls")),
    path("monitoring/excel/", include("projects.excel_urls")),
    path("monitoring/", include("projects.urls")),
    path("intake/", include("intake.urls")),
    path("reports/", include("reports.urls")),
    path("data/", include("reports.opendata_urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
handler404 = "config.views.page_not_found"
