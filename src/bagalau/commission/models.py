"""The evaluation commission's records.

Why the shapes are what they are:

* **The order is versioned, never edited once issued.** The authorized person forms the commission
  by an order (S0-p.5) and replaces its chair or a member only by amending that order (S1-p.59).
  Each amendment is a new `CommissionOrder` row (a *revision*) pointing at the order it amends and
  at the original order; the amended revision stays, in state "amended", with its seats. A new
  order that forms a new commission puts the previous active one in state "superseded". At most
  one revision per body is active (a partial unique constraint).
* **Seats are copied, not referenced live.** A `CommissionSeat` keeps the name and position of the
  person as they were on the order, so a protocol signed later still names who sat.
* **The secretary is a seat, not a member.** The HR specialist keeps the protocol and never votes
  (S1-p.62); the quorum base is the chair and the members only (Q-15).
* **A meeting pins what it was run under:** the order revision (re-pinned to the active revision
  until the session opens), the methodology version (the body's version on the meeting date), the
  notice deadline with its rule, clause and day-by-day count (S1-p.57), and the quorum computed
  when the session opened.
* **An agenda item keeps both results.** The original result (the sheet's rating with its clause)
  is never overwritten; a revision is stored beside it in the "correction by the commission"
  column (S1-p.66), with the vote tally, whether the chair's casting vote decided, and the core's
  whole decision.
* **Only the authorized person's approval makes a result final** (S1-p.67): `FinalResult` rows are
  written by the approval service and by nothing else, with the date that starts familiarization
  (Q-07) and its computed due date.
* Every row carries `body`, so every read filters by the tenant directly.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bagalau.cycles.models import VersionedDocument


class OrderState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")
    AMENDED = "amended", _("Amended (replaced by an amending order)")
    SUPERSEDED = "superseded", _("Superseded by a new order")


class SeatRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary (no vote)")


class CommissionOrder(VersionedDocument):
    """One revision of the order forming the body's commission: the original (revision 1) or an
    amendment (revision n, `amends` the revision it replaces)."""

    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("order number"), max_length=100)
    order_date = models.DateField(_("order date"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    original = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="lineage",
                                 help_text=_("The order that formed the commission (empty on the original)."))
    amends = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments",
                               help_text=_("The revision this amendment replaces."))
    reason = models.TextField(_("reason for the amendment"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=OrderState.choices, default=OrderState.DRAFT)
    methodology_version = models.CharField(_("methodology version"), max_length=64)
    composition_clause = models.CharField(max_length=64, blank=True)
    composition_decision = models.JSONField(default=dict, blank=True)
    replacement_clause = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("commission order")
        verbose_name_plural = _("commission orders")
        ordering = ["-order_date", "-revision", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["body"], condition=models.Q(state="active"),
                                    name="commission_one_active_order_per_body"),
        ]
        indexes = [models.Index(fields=["body", "state"], name="commission_order_body_state")]

    def __str__(self) -> str:
        return f"No. {self.number} of {self.order_date.isoformat()} (rev. {self.revision})"

    @property
    def root_id(self) -> int:
        """The id of the original order of this revision's lineage."""
        return self.original_id or self.pk


class CommissionSeat(models.Model):
    """A person on an order revision: chair, member or secretary, with the name and position as
    they stood on the order. Every seat has a login: members vote and sign, the secretary records."""

    order = models.ForeignKey(CommissionOrder, on_delete=models.CASCADE, related_name="seats")
    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=SeatRole.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    servant = models.ForeignKey("orgs.Servant", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    external = models.BooleanField(_("external member"), default=False,
                                   help_text=_("Not a servant of the body (e.g. a maslikhat deputy)."))
    name = models.CharField(_("name"), max_length=310)
    position_kk = models.CharField(max_length=300, blank=True)
    position_ru = models.CharField(max_length=300, blank=True)
    ordinal = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("commission seat")
        verbose_name_plural = _("commission seats")
        ordering = ["order", "ordinal", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "user"], name="commission_seat_user_once_per_order"),
            models.UniqueConstraint(fields=["order"], condition=models.Q(role="chair"),
                                    name="commission_one_chair_per_order"),
            models.UniqueConstraint(fields=["order"], condition=models.Q(role="secretary"),
                                    name="commission_one_secretary_per_order"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"

    @property
    def votes(self) -> bool:
        return self.role in (SeatRole.CHAIR, SeatRole.MEMBER)


class MeetingState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, awaiting the chair's consent")
    SCHEDULED = "scheduled", _("Scheduled")
    IN_SESSION = "in_session", _("In session")
    DECIDED = "decided", _("Decided, protocol to be signed")
    PROTOCOL_SIGNED = "protocol_signed", _("Protocol signed, awaiting approval")
    APPROVED = "approved", _("Results approved")
    CANCELLED = "cancelled", _("Cancelled")


class CommissionMeeting(VersionedDocument):
    """One sitting of the commission for one evaluation cycle."""

    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey("cycles.EvaluationCycle", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(CommissionOrder, on_delete=models.PROTECT, related_name="meetings")
    meeting_on = models.DateField(_("meeting date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.PROPOSED)
    methodology_version = models.CharField(_("methodology version"), max_length=64)
    # The last day the evaluators may be notified, counted back from the meeting (S1-p.57, Q-06).
    notice_by = models.DateField(_("notify no later than"))
    notice_rule = models.CharField(max_length=64)
    notice_clause = models.CharField(max_length=64)
    notice_explanation = models.JSONField(default=dict, blank=True)
    consent_clause = models.CharField(max_length=64, blank=True)
    quorum = models.JSONField(default=dict, blank=True, help_text="The quorum decision when the session opened.")
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    consented_at = models.DateTimeField(null=True, blank=True)
    consented_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    notified_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_on = models.DateField(_("results approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approval_clause = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("commission meeting")
        verbose_name_plural = _("commission meetings")
        ordering = ["-meeting_on", "-pk"]
        indexes = [models.Index(fields=["body", "state", "meeting_on"], name="commission_meeting_body_state")]

    def __str__(self) -> str:
        return f"Meeting {self.meeting_on.isoformat()} #{self.pk}"


class Attendance(models.Model):
    """Whether a voting seat (chair or member) was present at the session. The secretary has no row:
    he is not counted for quorum (Q-15)."""

    meeting = models.ForeignKey(CommissionMeeting, on_delete=models.CASCADE, related_name="attendance")
    seat = models.ForeignKey(CommissionSeat, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("present"))
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "seat__ordinal", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "seat"], name="commission_attendance_once")]

    def __str__(self) -> str:
        return f"{self.seat_id}: {'present' if self.present else 'absent'}"


class ItemMethod(models.TextChoices):
    KPI = "kpi", _("KPI evaluation sheet")
    RANKING = "ranking", _("Ranking")


class ItemState(models.TextChoices):
    PENDING = "pending", _("Awaiting the decision")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn from the agenda")


class ItemDecision(models.TextChoices):
    APPROVE = "approve", _("Approve the results")
    REVISE = "revise", _("Revise the results")


class AgendaItem(models.Model):
    """One servant's result before the commission: the original, the decision and, on a revision,
    the corrected result (S1-p.65-66)."""

    meeting = models.ForeignKey(CommissionMeeting, on_delete=models.PROTECT, related_name="items")
    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey("cycles.Participant", on_delete=models.PROTECT, related_name="+")
    sheet = models.ForeignKey("cycles.KpiSheet", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("method"), max_length=20, choices=ItemMethod.choices, default=ItemMethod.KPI)
    ordinal = models.PositiveSmallIntegerField(default=0)
    original_result = models.CharField(_("result of the evaluation"), max_length=30)
    original_clause = models.CharField(max_length=64, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=ItemState.choices, default=ItemState.PENDING)
    last_action = models.CharField(max_length=20, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=ItemDecision.choices, blank=True)
    corrected_result = models.CharField(_("correction by the commission"), max_length=30, blank=True)
    decision_clause = models.CharField(max_length=64, blank=True)
    decision_detail = models.JSONField(default=dict, blank=True, help_text="The core's decision, as_dict().")
    votes_for = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True)
    casting_vote = models.BooleanField(_("decided by the chair's casting vote"), default=False)
    recused_seat = models.ForeignKey(CommissionSeat, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", help_text=_("The member being evaluated here (Q-16)."))
    # Set on an item put on the agenda again after the appeal reviewer recommended revising the
    # result (S1-p.70): the final result under revision, superseded when the new one is approved.
    reopens = models.ForeignKey("FinalResult", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="reopened_items", verbose_name=_("result under revision"))
    revision_reasons = models.JSONField(default=list, blank=True)
    withdraw_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "ordinal", "pk"]
        constraints = [
            # A sheet is on one live agenda at a time; a withdrawn item frees it for another meeting.
            # A revision after an appeal puts the decided sheet on a new agenda (`reopens` set).
            models.UniqueConstraint(fields=["sheet"], condition=~models.Q(state="withdrawn") & models.Q(reopens=None),
                                    name="commission_sheet_on_one_agenda"),
            models.UniqueConstraint(fields=["reopens"], condition=~models.Q(state="withdrawn"),
                                    name="commission_reopened_result_on_one_agenda"),
        ]
        indexes = [models.Index(fields=["body", "state"], name="commission_item_body_state")]

    def __str__(self) -> str:
        return f"Item #{self.pk} ({self.state})"

    @property
    def final_value(self) -> str:
        """The result the commission arrived at: the correction on a revision, else the original."""
        return self.corrected_result if self.decision == ItemDecision.REVISE else self.original_result


class Vote(models.Model):
    """A member's open vote on one item (S1-p.60). A member may change it until the decision is
    recorded; `changes` counts how often, each change is audited."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    seat = models.ForeignKey(CommissionSeat, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=20, choices=ItemDecision.choices)
    corrected_result = models.CharField(_("corrected result"), max_length=30, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    cast_at = models.DateTimeField()
    changes = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["item", "seat__ordinal", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "seat"], name="commission_vote_once_per_item")]

    def __str__(self) -> str:
        return f"{self.seat_id}: {self.choice}"


class ProtocolState(models.TextChoices):
    DRAFT = "draft", _("Draft (prepared before the meeting)")
    FINAL = "final", _("Final (generated from the meeting)")


class Protocol(models.Model):
    """The protocol of the meeting (Annex 3). HR prepares the draft before the meeting (S1-p.64);
    it is generated from the meeting when the session ends. `content` is the canonical JSON that
    the signatures cover."""

    meeting = models.OneToOneField(CommissionMeeting, on_delete=models.PROTECT, related_name="protocol")
    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("protocol number"), max_length=40)
    state = models.CharField(_("state"), max_length=10, choices=ProtocolState.choices, default=ProtocolState.DRAFT)
    content = models.TextField(help_text="The canonical JSON of the protocol (UTF-8).")
    content_sha256 = models.CharField(max_length=64)
    prepared_at = models.DateTimeField()
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    finalized_at = models.DateTimeField(null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_by_name = models.CharField(max_length=310, blank=True)
    approval_clause = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("commission protocol")
        verbose_name_plural = _("commission protocols")
        constraints = [models.UniqueConstraint(fields=["body", "number"], name="commission_protocol_number_unique")]

    def __str__(self) -> str:
        return f"Protocol No. {self.number}"


class SignatureRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")
    AUTHORIZED = "authorized", _("Authorized person (approval)")


class ProtocolSignature(models.Model):
    """Who signed which exact protocol content, in which role, when (the cycles' Signature pattern:
    canonical JSON + its SHA-256; method "simple" now, a CMS signature over the same bytes later).
    Rows are never updated."""

    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="signatures")
    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    seat = models.ForeignKey(CommissionSeat, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=SignatureRole.choices)
    signer_name = models.CharField(max_length=310)
    signed_at = models.DateTimeField()
    content = models.TextField()
    content_sha256 = models.CharField(max_length=64)
    method = models.CharField(max_length=10, default="simple")

    class Meta:
        verbose_name = _("protocol signature")
        verbose_name_plural = _("protocol signatures")
        ordering = ["signed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["protocol", "user", "role"],
                                               name="commission_protocol_signed_once")]

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.role})"


class FinalResult(models.Model):
    """A servant's evaluation result made final by the authorized person's approval (S1-p.67).

    `value` is the commission's result (the correction on a revision, else the original);
    `value_clause` the clause it rests on (the grading clause, or the revision clause); `clause` the
    approval clause. `approved_on` starts familiarization (Q-07): `familiarization_due` is computed
    from it on the working calendar and stored with its rule, clause and count."""

    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey("cycles.EvaluationCycle", on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey("cycles.Participant", on_delete=models.PROTECT, related_name="+")
    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="final_result")
    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="final_results")
    method = models.CharField(max_length=20, choices=ItemMethod.choices)
    value = models.CharField(_("final result"), max_length=30)
    value_clause = models.CharField(max_length=64, blank=True)
    original_result = models.CharField(max_length=30)
    revised = models.BooleanField(_("revised by the commission"), default=False)
    clause = models.CharField(max_length=64)
    methodology_version = models.CharField(max_length=64)
    approved_on = models.DateField(_("approved on"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    familiarization_due = models.DateField(_("familiarize by"))
    familiarization_rule = models.CharField(max_length=64)
    familiarization_clause = models.CharField(max_length=64)
    familiarization_explanation = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A result is never deleted. After an appeal reviewer's recommendation (S1-p.70) it is reopened
    # (`reopened_at`, with the basis) and, once the commission's new result is approved, superseded:
    # kept in the history with a link to the result that replaced it.
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_basis = models.JSONField(default=dict, blank=True)
    superseded = models.BooleanField(_("superseded"), default=False)
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="supersedes", verbose_name=_("superseded by"))
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("final evaluation result")
        verbose_name_plural = _("final evaluation results")
        ordering = ["cycle", "participant", "method"]
        constraints = [models.UniqueConstraint(fields=["participant", "method"], condition=models.Q(superseded=False),
                                               name="commission_final_once")]
        indexes = [models.Index(fields=["body", "cycle"], name="commission_final_body_cycle")]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.value}"
