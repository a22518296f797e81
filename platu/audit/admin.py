from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from platu.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_repr", "action", "object_repr", "organisation", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_repr", "object_repr", "action"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
