from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("review/", views.review_queue, name="review_queue"),
    path("values/<int:pk>/approve/", views.value_approve, name="value_approve"),
    path("values/<int:pk>/return/", views.value_return, name="value_return"),
    path("progress/<int:pk>/approve/", views.progress_approve, name="progress_approve"),
    path("progress/<int:pk>/return/", views.progress_return, name="progress_return"),
    path("progress/<int:pk>/attachment/", views.progress_attachment, name="progress_attachment"),
    path("<slug:plan_code>/<int:year>/<int:org_id>/entry/", views.value_entry, name="value_entry"),
    path("<slug:plan_code>/<int:year>/<int:org_id>/progress/", views.progress_entry, name="progress_entry"),
    path("<slug:plan_code>/<int:year>/lock/", views.year_lock, name="year_lock"),
    path("<slug:plan_code>/<int:year>/unlock/", views.year_unlock, name="year_unlock"),
    path("<slug:plan_code>/<int:year>/completeness/", views.completeness, name="completeness"),
]
