"""Back-office view of the outbox and the delivery log: read-only, tenant by tenant.

Messages are queued by the services and delivered by the worker; nothing here sends, edits or
deletes one. Scoping follows the orgs back office (`bagalau.orgs.admin.editable_body_ids`): a
superuser sees every body, another staff user only the bodies where he holds HR or ADMIN. The
inbox admin uses the same base class.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from bagalau.notifications.models import DeliveryAttempt, Notification
from bagalau.orgs.admin import BodyListFilter, editable_body_ids


class ReadOnlyTenantAdmin(admin.ModelAdmin):
    """View-only and limited to the bodies the user may see. `body_path` is the lookup from the
    model to its body id."""

    body_path = "body_id"
    actions = None

    def _body_ids(self, request: HttpRequest) -> frozenset[int] | None:
        return editable_body_ids(request)

    def _body_id_of(self, obj: models.Model) -> int | None:
        value: Any = obj
        for part in self.body_path.split("__"):
            value = getattr(value, part)
        return value

    def _may_view(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        ids = self._body_ids(request)
        if ids is None:
            return True
        if obj is None:
            return bool(ids)
        return self._body_id_of(obj) in ids

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_view(request)

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._may_view(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        ids = self._body_ids(request)
        return qs if ids is None else qs.filter(**{f"{self.body_path}__in": ids})




class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ("at", "ok", "error", "provider_ref")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyTenantAdmin):
    list_display = ("created_at", "kind", "channel", "address", "subject", "status", "attempts",
                    "next_attempt_at", "sent_at", "body")
    list_select_related = ("body",)
    list_filter = (BodyListFilter, "status", "channel", "kind", "language")
    search_fields = ("address", "subject", "dedupe_key")
    date_hierarchy = "created_at"
    inlines = (DeliveryAttemptInline,)


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnlyTenantAdmin):
    body_path = "notification__body_id"
    list_display = ("at", "notification", "ok", "error", "provider_ref")
    list_select_related = ("notification",)
    list_filter = ("ok",)
    search_fields = ("provider_ref", "notification__address")
    date_hierarchy = "at"
