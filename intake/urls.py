from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.draft_list, name="draft_list"),
    path("new/", views.draft_new, name="draft_new"),
    path("drafts/<int:pk>/", views.draft_review, name="draft_review"),
    path("drafts/<int:pk>/publish/", views.draft_publish, name="draft_publish"),
    path("drafts/<int:pk>/discard/", views.draft_discard, name="draft_discard"),
    path("target/", views.target_preview, name="target_preview"),
]
