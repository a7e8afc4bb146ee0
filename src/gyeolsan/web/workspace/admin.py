"""Django admin (/admin/, 관리자 only): users' roles, offices, tokens, login attempts, workflow log.

Settlement data is edited in the workspace screens (permissions, validation, history), not here:
the admin shows it read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from gyeolsan.web.workspace.models import (
    ApiToken,
    Deadline,
    Division,
    ImportBatch,
    LoginAttempt,
    Membership,
    Office,
    Settlement,
    WorkflowEvent,
)

admin.site.site_header = "gyeolsan 결산 작업공간 관리"
admin.site.site_title = "gyeolsan 관리"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = ("role", "office", "division_name")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithRoles(UserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "first_name", "is_active", "is_superuser", "roles")

    @admin.display(description="역할")
    def roles(self, user: Any) -> str:
        return ", ".join(str(m.get_role_display()) for m in user.memberships.all())


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("government", "name")
    search_fields = ("name",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "office", "division_name")
    list_filter = ("role", "office")


class ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Settlement)
class SettlementAdmin(ReadOnly):
    list_display = ("office", "fiscal_year", "locked", "revision")
    exclude = ("document", "findings")


@admin.register(Division)
class DivisionAdmin(ReadOnly):
    list_display = ("settlement", "name", "state")
    list_filter = ("state",)


@admin.register(Deadline)
class DeadlineAdmin(SimpleHistoryAdmin):
    list_display = ("settlement", "title", "due", "done")


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(admin.ModelAdmin):
    list_display = ("at", "settlement", "division", "action", "user", "reason")
    readonly_fields = [f.name for f in WorkflowEvent._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "prefix", "created_at", "last_used_at")
    readonly_fields = ("user", "prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "ip")
    list_filter = ("ip",)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "filename", "status", "settlement")
    exclude = ("canonical",)
    readonly_fields = ("user", "filename", "findings", "office", "fiscal_year", "status", "settlement")
