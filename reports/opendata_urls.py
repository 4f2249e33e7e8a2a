"""Downloads, mounted at ``data/``: open data (CSV, JSON) and the annual assessment workbook."""

from django.urls import path

from . import opendata_views as views

app_name = "opendata"
urlpatterns = [
    path("plans/<slug:code>.csv", views.plan_csv, name="plan_csv"),
    path("plans/<slug:code>.json", views.plan_json, name="plan_json"),
    path("plans/<slug:code>/assessment.xlsx", views.plan_workbook, name="plan_workbook"),
    path("assessment.xlsx", views.workbook, name="workbook"),
]
