from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("plans/<slug:code>/", views.plan_dashboard, name="plan_dashboard"),
    path("plans/<slug:code>/tasks/", views.plan_tasks, name="plan_tasks"),
    path("concepts/", views.concept_index, name="concept_list"),
    path("concepts/<slug:code>/", views.concept_detail, name="concept_detail"),
]
