"""The 360 survey of one evaluated servant: the raters HR assigns, and the anonymous answers.

Anonymity is a property of the storage, not of the screens (spec 5.3, Q-02):

* `RaterAssignment` says who was asked and *whether* they answered (a state, no time of day).
* `Response360` holds one questionnaire's answers with the rater's role group and nothing else:
  no foreign key to the rater or the assignment, no timestamp, and a random UUID as primary key,
  so neither an id sequence nor a creation time lines a response up with the assignment that
  completed at the same moment. Every read orders responses by that random key.
* The answers are released only as the aggregate the rules core computes (`score_360`), once, when
  the survey is closed, and only if the number of responses reaches the version's threshold; the
  per-role breakdown only when every role group reaches it. There are no interim results while
  the survey is open: two successive aggregates would give away the answers of the one rater who
  completed in between (a differencing attack). The result is frozen on the survey row.
* Audit events of a submission name the rater (who did what) but carry neither the answers nor
  the response's key.

What remains is the database itself: a person with raw SQL access can still order rows physically
(PostgreSQL ctid/xmin, SQLite's hidden rowid) and match them with the audit trail's times. That is
outside the application's reach; production should grant the reporting role no access to
`survey360_response360`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyState(models.TextChoices):
    DRAFT = "draft", _("Raters being assigned")
    OPEN = "open", _("Questionnaires sent")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class RaterRole(models.TextChoices):
    DIRECT_MANAGER = "direct_manager", _("Direct manager")
    PEER = "peer", _("Colleague")
    SUBORDINATE = "subordinate", _("Subordinate")


class AssignmentState(models.TextChoices):
    PENDING = "pending", _("Not answered yet")
    COMPLETED = "completed", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Survey360(models.Model):
    """The 360 of one servant, pinned to the version the body had adopted on the day HR created it,
    with the organisation as it stood then (position, head flag, direct manager, subordinates)."""

    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    servant = models.ForeignKey("orgs.Servant", on_delete=models.PROTECT, related_name="surveys360",
                                verbose_name=_("servant evaluated"))
    servant_name = models.CharField(_("servant evaluated"), max_length=310)
    position_title_kk = models.CharField(max_length=300, blank=True)
    position_title_ru = models.CharField(max_length=300, blank=True)
    unit_name_kk = models.CharField(max_length=300, blank=True)
    unit_name_ru = models.CharField(max_length=300, blank=True)
    category = models.CharField(_("category"), max_length=10, blank=True)
    is_head_of_unit = models.BooleanField(_("head of the structural unit"), default=False)
    group = models.CharField(_("indicator group"), max_length=20)
    direct_manager = models.ForeignKey("orgs.Servant", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    subordinate_ids = models.JSONField(default=list, blank=True)
    methodology_version = models.CharField(_("methodology version"), max_length=64)
    snapshot_on = models.DateField(_("organisation snapshot date"))
    applies_basis = models.CharField(max_length=20, blank=True)
    applies_clause = models.CharField(max_length=64, blank=True)

    state = models.CharField(_("state"), max_length=20, choices=SurveyState.choices, default=SurveyState.DRAFT)
    version = models.PositiveIntegerField(_("row version"), default=1)
    last_action = models.CharField(max_length=20, blank=True)
    due_on = models.DateField(_("answers due"), null=True, blank=True)
    due_rule = models.CharField(max_length=64, blank=True)
    due_clause = models.CharField(max_length=64, blank=True)
    due_explanation = models.JSONField(default=dict, blank=True)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # Frozen at closing: the core's decision (aggregates only), or the "not enough responses" one.
    responses_count = models.PositiveSmallIntegerField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("360 survey")
        verbose_name_plural = _("360 surveys")
        ordering = ["-snapshot_on", "servant_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["servant"], condition=models.Q(state__in=["draft", "open"]),
                                    name="survey360_one_running_per_servant"),
        ]
        indexes = [models.Index(fields=["body", "state"], name="survey360_body_state")]

    def __str__(self) -> str:
        return f"360 {self.servant_name} ({self.snapshot_on})"


class RaterAssignment(models.Model):
    """A rater asked to answer one questionnaire. Records whether it was answered, never what."""

    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(Survey360, on_delete=models.PROTECT, related_name="assignments")
    rater = models.ForeignKey("orgs.Servant", on_delete=models.PROTECT, related_name="rater_assignments",
                              verbose_name=_("rater"))
    rater_name = models.CharField(_("rater"), max_length=310)
    role = models.CharField(_("rater role"), max_length=20, choices=RaterRole.choices)
    state = models.CharField(_("state"), max_length=20, choices=AssignmentState.choices,
                             default=AssignmentState.PENDING)

    class Meta:
        verbose_name = _("360 rater")
        verbose_name_plural = _("360 raters")
        ordering = ["survey", "role", "rater_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "rater"], condition=~models.Q(state="withdrawn"),
                                    name="survey360_rater_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rater_name} → {self.survey_id}"


class Response360(models.Model):
    """One anonymous questionnaire: the role group and the answers ("competency/ordinal" -> value).
    Deliberately no link to the rater or the assignment and no timestamp (see the module note)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(Survey360, on_delete=models.PROTECT, related_name="responses")
    rater_role = models.CharField(max_length=20, choices=RaterRole.choices)
    answers = models.JSONField()

    class Meta:
        verbose_name = _("360 response")
        verbose_name_plural = _("360 responses")
        ordering = ["id"]

    def __str__(self) -> str:
        return "360 response"
