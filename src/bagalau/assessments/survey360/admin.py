"""Back office of the 360: read-only lists of surveys and raters, tenant by tenant.

The anonymous responses are deliberately not registered: the back office is one more door a
person with staff rights could use to line answers up with raters, and nobody needs them there.
A survey's frozen result (aggregates only) is shown; the raters' list says who answered, not what.
"""

from __future__ import annotations

from django.contrib import admin

from bagalau.assessments.survey360.models import RaterAssignment, Survey360
from bagalau.notifications.admin import ReadOnlyTenantAdmin


@admin.register(Survey360)
class Survey360Admin(ReadOnlyTenantAdmin):
    list_display = ("servant_name", "category", "group", "state", "snapshot_on", "responses_count")
    list_filter = ("state", "group")
    search_fields = ("servant_name",)
    exclude = ("subordinate_ids",)


@admin.register(RaterAssignment)
class RaterAssignmentAdmin(ReadOnlyTenantAdmin):
    list_display = ("rater_name", "role", "state", "survey")
    list_filter = ("state", "role")
    search_fields = ("rater_name", "survey__servant_name")
