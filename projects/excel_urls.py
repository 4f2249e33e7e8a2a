"""Excel round-trip URLs (views.excel); mounted at monitoring/excel/ by config/urls.py."""
from django.urls import path

from .views import excel as excel_views

app_name = "excel"
urlpatterns = [
    path(
        "<slug:plan_code>/<int:year>/<int:org_id>/template.xlsx",
        excel_views.template_download,
        name="template_download",
    ),
    path("<slug:plan_code>/<int:year>/<int:org_id>/upload/", excel_views.upload, name="upload"),
    path("preview/<str:token>/", excel_views.preview, name="preview"),
    path("preview/<str:token>/confirm/", excel_views.confirm, name="confirm"),
]
