from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("<int:pk>/edit/", views.IndicatorUpdateView.as_view(), name="indicator_edit"),
    path("<int:pk>/revise/", views.indicator_revise, name="indicator_revise"),
]
