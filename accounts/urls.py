from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.OwnPasswordChangeView.as_view(), name="password_change"),
    # 人员与单位管理
    path("manage/", views.UserListView.as_view(), name="user_list"),
    path("manage/users/new/", views.user_create, name="user_create"),
    path("manage/users/<int:pk>/", views.user_detail, name="user_detail"),
    path("manage/users/<int:pk>/memberships/", views.membership_add, name="membership_add"),
    path("manage/users/<int:pk>/active/", views.user_active, name="user_active"),
    path("manage/users/<int:pk>/password/", views.user_password, name="user_password"),
    path("manage/memberships/<int:pk>/remove/", views.membership_remove, name="membership_remove"),
    path("manage/organizations/", views.OrganizationListView.as_view(), name="organization_list"),
    path("manage/organizations/new/", views.organization_form, name="organization_create"),
    path("manage/organizations/<int:pk>/", views.organization_form, name="organization_edit"),
]
