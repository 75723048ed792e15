"""Ranking lists (саралау парағы): one per ranking group of a cycle, graded by the evaluator the
version names, signed, agreed or returned by the superior, and submitted to the Commission by HR.

Why the shapes are what they are:

* A list is built from the cycle's *snapshot* (cycles.Participant): the unit, the evaluator (the
  snapshot's direct manager) and the superior (the snapshot's sheet reviewer) as they stood at
  launch. A servant moved to another unit mid-cycle stays in the list of his snapshot unit, graded
  by the manager who had him, as a KPI sheet does (spec section 3).
* One entry per participant (a participant is in at most one list). The grade is typed by the
  evaluator; the position is derived by the core from the scale and the tie rule, never typed.
* The list stores the core's last check (quota, group size) with its clause, so every page shows
  why a list is valid or not without recomputing it.
* Like KPI sheets: `state` moved only by the table in workflow.py, a row `version` for optimistic
  locking, `last_action` for idempotent repeats, the due date of the step with its rule and clause.
* The entry keeps the link to its Commission agenda item (the Commission's models stay as they
  are; the agenda item has `method=ranking` and no sheet).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bagalau.cycles.models import VersionedDocument


class ListState(models.TextChoices):
    DRAFT = "draft", _("Being graded")
    UNDER_REVIEW = "under_review", _("Signed, under the superior's review")
    RETURNED = "returned", _("Returned for correction")
    AGREED = "agreed", _("Agreed by the superior")
    SUBMITTED_TO_COMMISSION = "submitted_to_commission", _("Submitted to the Commission")


class RankingList(VersionedDocument):
    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey("cycles.EvaluationCycle", on_delete=models.PROTECT, related_name="ranking_lists")
    group_key = models.CharField(max_length=80, help_text="unit id (or 'body') and evaluator id: one list per group.")
    unit = models.ForeignKey("orgs.StructuralUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit_code = models.CharField(max_length=40, blank=True)
    unit_name_kk = models.CharField(_("unit"), max_length=300, blank=True)
    unit_name_ru = models.CharField(max_length=300, blank=True)
    evaluator = models.ForeignKey("orgs.Servant", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("evaluator"))
    evaluator_name = models.CharField(_("evaluator"), max_length=310)
    reviewer = models.ForeignKey("orgs.Servant", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("superior"))
    reviewer_name = models.CharField(_("superior"), max_length=310, blank=True)
    rater_clause = models.CharField(max_length=64, blank=True)

    state = models.CharField(_("state"), max_length=30, choices=ListState.choices, default=ListState.DRAFT)
    due_on = models.DateField(_("due"), null=True, blank=True)
    due_rule = models.CharField(max_length=64, blank=True)
    due_clause = models.CharField(max_length=64, blank=True)
    due_explanation = models.JSONField(default=dict, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    times_returned = models.PositiveSmallIntegerField(default=0)

    check_value = models.CharField(max_length=20, blank=True, help_text="VALID or INVALID, from the core.")
    check_clause = models.CharField(max_length=64, blank=True)
    check_verified = models.BooleanField(default=False)
    check_decision = models.JSONField(default=dict, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ranking list")
        verbose_name_plural = _("ranking lists")
        ordering = ["cycle", "unit_code", "evaluator_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["cycle", "group_key"], name="ranking_list_once_per_group")]
        indexes = [models.Index(fields=["body", "cycle", "state"], name="ranking_list_body_cycle")]

    def __str__(self) -> str:
        return f"Ranking list #{self.pk}"


class RankingEntry(models.Model):
    ranking_list = models.ForeignKey(RankingList, on_delete=models.CASCADE, related_name="entries")
    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    participant = models.OneToOneField("cycles.Participant", on_delete=models.PROTECT, related_name="ranking_entry")
    servant_name = models.CharField(_("servant"), max_length=310)
    grade = models.CharField(_("grade"), max_length=30, blank=True)
    order = models.PositiveSmallIntegerField(_("order within the grade"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), null=True, blank=True)
    agenda_item = models.ForeignKey("commission.AgendaItem", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        ordering = ["ranking_list", "servant_name", "pk"]

    def __str__(self) -> str:
        return f"{self.servant_name}: {self.grade or '-'}"


class RankingSignature(models.Model):
    """Who signed which exact content of a list, in which role, when (as cycles.Signature)."""

    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    ranking_list = models.ForeignKey(RankingList, on_delete=models.PROTECT, related_name="signatures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    servant = models.ForeignKey("orgs.Servant", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=310)
    role = models.CharField(_("role"), max_length=20)
    action = models.CharField(max_length=20)
    signed_at = models.DateTimeField()
    content = models.TextField(help_text="The canonical JSON signed (UTF-8).")
    content_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ranking list signature")
        verbose_name_plural = _("ranking list signatures")
        ordering = ["signed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.role})"
