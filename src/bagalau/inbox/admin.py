"""Back-office view of the work items: read-only, tenant by tenant.

Items are opened and closed by the workflows (services.py), never typed in, so the admin only
lists them, with filters for what HR looks for (open, overdue, by action, by role). Scoping
follows the orgs back office through `ReadOnlyTenantAdmin` (bagalau.notifications.admin): a
superuser sees every body, another staff user only the bodies where he holds HR or ADMIN.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from bagalau.inbox.models import ItemState, WorkItem
from bagalau.notifications.admin import ReadOnlyTenantAdmin
from bagalau.orgs.admin import BodyListFilter


class OverdueFilter(admin.SimpleListFilter):
    title = gettext_lazy("deadline")
    parameter_name = "deadline"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("overdue", gettext_lazy("Overdue (open, past the due date)")),
                ("none", gettext_lazy("No due date"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "overdue":
            return queryset.filter(state=ItemState.OPEN, due__lt=timezone.localdate())
        if self.value() == "none":
            return queryset.filter(due__isnull=True)
        return queryset


@admin.register(WorkItem)
class WorkItemAdmin(ReadOnlyTenantAdmin):
    list_display = ("action", "object_type", "object_id", "assignee", "assignee_role", "subject_servant", "due",
                    "due_clause", "state", "overdue_since", "last_reminded_on", "body")
    list_select_related = ("assignee", "subject_servant", "body")
    list_filter = (BodyListFilter, "state", OverdueFilter, "action", "assignee_role")
    search_fields = ("object_id", "action", "title_kk", "title_ru", "assignee__username",
                     "subject_servant__last_name")
    date_hierarchy = "due"
    ordering = ("due", "id")
