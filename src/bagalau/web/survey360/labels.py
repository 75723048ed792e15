"""Labels of the 360 pages, keyed by the stored codes."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from bagalau.assessments.survey360.models import AssignmentState, SurveyState

STATE_TONES: dict[str, str] = {
    SurveyState.DRAFT: "tone-progress", SurveyState.OPEN: "tone-review",
    SurveyState.CLOSED: "tone-done", SurveyState.CANCELLED: "tone-muted",
}

ASSIGNMENT_TONES: dict[str, str] = {
    AssignmentState.PENDING: "tone-warn", AssignmentState.COMPLETED: "tone-done",
    AssignmentState.WITHDRAWN: "tone-muted",
}

GROUP_LABELS: dict[str, Promise] = {
    "head": gettext_lazy("Heads of structural units"),
    "non_head": gettext_lazy("Specialists (non-heads)"),
}

BASIS_LABELS: dict[str, Promise] = {
    "required": gettext_lazy("required for this group by the methodology"),
    "optional": gettext_lazy("optional for this group, chosen by the body's act"),
}

PURPOSE_LABELS: dict[str, Promise] = {
    "bonus": gettext_lazy("bonuses"), "incentive": gettext_lazy("incentives"),
    "training": gettext_lazy("training"), "rotation": gettext_lazy("rotation"),
    "promotion": gettext_lazy("promotion"), "demotion": gettext_lazy("demotion"),
    "dismissal": gettext_lazy("dismissal"), "training_needs": gettext_lazy("training needs"),
}
