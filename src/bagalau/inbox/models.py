"""Work items: one row per "this step of this document needs this person (or anyone holding this
role in the body) by this date, under this rule".

A workflow opens an item when a step becomes someone's job and closes it when the step is done
(services.py); inboxes, reminders and overdue marks all read these rows, so every later workflow
(commission, familiarization, appeals) gets them by opening items, with no code of its own.

The document is named the way the audit trail names objects (`object_type` = "app_label.model",
`object_id` = str(pk)), not by a generic foreign key: the inbox never needs to load the document,
and its audit events land in the document's own history.

The due date is stored with the rule id and clause it came from, and optionally the explanation
the rules core gave (the counted days), because every step shows its date *and* why.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bagalau.orgs.models import Role


class ItemState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class WorkItem(models.Model):
    body = models.ForeignKey("orgs.StateBody", on_delete=models.CASCADE, related_name="work_items",
                             verbose_name=_("state body"))
    object_type = models.CharField(_("document type"), max_length=100)
    object_id = models.CharField(_("document id"), max_length=64)
    action = models.CharField(_("action"), max_length=64, help_text=_('What is to be done, e.g. "sheet.sign".'))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="work_items", verbose_name=_("assignee"))
    assignee_role = models.CharField(_("assignee role"), max_length=20, choices=Role.choices, blank=True,
                                     help_text=_("Anyone holding this role in the body, when there is no assignee."))
    subject_servant = models.ForeignKey("orgs.Servant", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="work_items", verbose_name=_("servant evaluated"))
    title_kk = models.CharField(_("title (kk)"), max_length=300)
    title_ru = models.CharField(_("title (ru)"), max_length=300)
    title_en = models.CharField(_("title (en)"), max_length=300, blank=True)
    url = models.CharField(_("page"), max_length=500, blank=True)
    due = models.DateField(_("due date"), null=True, blank=True)
    due_rule = models.CharField(_("deadline rule"), max_length=100, blank=True)
    due_clause = models.CharField(_("clause"), max_length=64, blank=True)
    due_explanation = models.JSONField(_("how the date was counted"), null=True, blank=True,
                                       encoder=DjangoJSONEncoder)
    state = models.CharField(_("state"), max_length=10, choices=ItemState.choices, default=ItemState.OPEN)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        ordering = ["due", "opened_at", "id"]
        indexes = [
            models.Index(fields=["assignee", "state", "due"], name="workitem_assignee_due"),
            models.Index(fields=["body", "assignee_role", "state", "due"], name="workitem_role_due"),
            models.Index(fields=["object_type", "object_id", "state"], name="workitem_object"),
            models.Index(fields=["state", "due"], name="workitem_state_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assignee__isnull=False) | ~models.Q(assignee_role=""),
                name="workitem_has_assignee_or_role",
                violation_error_message=_("A work item needs an assignee or an assignee role."),
            ),
            # A double submit must not open a second item: one open item per document, action and
            # addressee. Coalesce, because NULLs never collide in a unique index.
            models.UniqueConstraint(
                "object_type", "object_id", "action", Coalesce("assignee", 0), "assignee_role",
                condition=models.Q(state="open"),
                name="workitem_one_open_per_addressee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id} ({self.state})"

    def title(self, lang: str) -> str:
        """The title in a language: kk, ru, or en (falling back to ru where the caller gave no en)."""
        if lang == "ru":
            return self.title_ru
        if lang == "en":
            return self.title_en or self.title_ru
        return self.title_kk

    @property
    def is_open(self) -> bool:
        return self.state == ItemState.OPEN


SWEEP_STATE_PK = 1


class SweepState(models.Model):
    """The single row the sweep scheduler locks before it looks for a pending sweep, so that two
    processes (a finishing sweep, `ensure_sweeper` at start-up) cannot both enqueue one. It also
    tells an operator when the sweep last ran and what it did."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=SWEEP_STATE_PK)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_summary = models.JSONField(default=dict, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sweep state")
        constraints = [models.CheckConstraint(condition=models.Q(id=SWEEP_STATE_PK), name="sweep_state_single_row")]

    def __str__(self) -> str:
        return f"sweep: last {self.last_finished_at}, next {self.next_run_at}"
