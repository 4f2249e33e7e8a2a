from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .actors import is_system_actor
from .models import Membership, Organization, Region, User


class NoWrites:
    """No add, change or delete in the admin, for anyone, superusers included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """The record's history can be read, never reverted or edited; the record itself may stay editable.

    SIMPLE_HISTORY_REVERT_DISABLED only hides the button; the revert view still saves whatever is
    posted to it, so it is refused here."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied(_("历史记录只能查看，不能恢复或修改。"))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def has_change_history_permission(self, request, obj=None):
        return False

    def has_view_history_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(ReadOnlyHistoryAdmin, BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "email", "is_staff", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("单位与姓名"), {"fields": ["full_name", "must_change_password"]}),)
    history_list_display = ["is_active", "is_superuser", "must_change_password"]

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
class OrganizationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "short_name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "short_name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyHistoryAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization"]
    autocomplete_fields = ["user", "organization"]
    history_list_display = ["organization", "role"]
