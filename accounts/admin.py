from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .actors import is_system_actor
from .models import Membership, Organization, Region, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "email", "is_staff", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("单位与姓名"), {"fields": ["full_name"]}),)

    def has_delete_permission(self, request, obj=None):
        """Users are deactivated, never deleted: the audit history must keep saying who did what."""
        return False

    def has_change_permission(self, request, obj=None):
        """A system actor (system:NAME, accounts.actors) never logs in: nobody activates it or gives it
        a password."""
        if obj is not None and is_system_actor(obj):
            return False
        return super().has_change_permission(request, obj)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "short_name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization"]
    autocomplete_fields = ["user", "organization"]
