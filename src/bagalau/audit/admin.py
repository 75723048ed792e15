"""Read-only admin for auditors: the trail can be browsed, never edited from here (nor anywhere)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from bagalau.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("id", "ts", "action", "object_type", "object_id", "actor_label", "role", "body_id", "clause")
    list_filter = ("action", "body_id")
    search_fields = ("object_id", "actor_label")
    ordering = ("-id",)
    date_hierarchy = "ts"
    actions = None
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
