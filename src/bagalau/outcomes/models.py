"""What happens to a result after the authorized person approves it (spec 8-10).

Why the shapes are what they are:

* **One familiarization per final result.** It is opened by the approval itself (the commission's
  `results_final` signal) with the due date the approval computed (S1-p.12, p.68; Q-07), so HR
  sees at once who has not read their result. A result superseded after an appeal closes its
  familiarization as "superseded" and the revised result gets its own.
* **Remote notices are rows, not a field.** An absent servant (leave, sick leave, business trip,
  training, S1-p.6) may be reached by a registered letter *and* an SMS; each notice keeps its
  channel, the moment it was sent, its proof (an uploaded scan, a notice number, or the delivery
  log of the message the system sent) and whether it went out by the due date.
* **The refusal act names its signatories.** The responsible HR specialist and the other servants
  of the body (S0-p.40), each a row with the name and position as they stood on the act, so the
  act reads the same after a transfer. The act's text is free (kk and ru). The delivery of the
  result to the refuser (intranet portal, unified HR database, e-document system) is recorded on
  the act with its term.
* **An appeal records, it does not judge.** The filing date against the last day counted from the
  commission's decision (S1-p.70, Q-08) gives "on time" or "late"; a late appeal is kept and
  flagged, never refused (the authorized body decides admissibility). It is addressed to one
  reviewer of the authorized body or its territorial department, who alone sees it.
* **Consequences are proposals.** Nothing is automatic (spec 10): HR proposes, on a final KPI or
  ranking result, a use the version lists for it (S1-p.9); the authorized person approves.
* Every row carries `body`, so every read filters by the tenant directly.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bagalau.cycles.models import VersionedDocument


class FamiliarizationState(models.TextChoices):
    PENDING = "pending", _("Awaiting the servant's signature")
    SIGNED = "signed", _("Signed by the servant")
    REFUSED = "refused", _("Refused to sign")
    ACT_DRAWN = "act_drawn", _("Refusal act drawn up")
    DELIVERED = "delivered", _("Refusal act drawn up, result delivered")
    REMOTE = "remote", _("Familiarized remotely")
    SUPERSEDED = "superseded", _("Result superseded after an appeal")


class Familiarization(VersionedDocument):
    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    result = models.OneToOneField("commission.FinalResult", on_delete=models.PROTECT, related_name="familiarization")
    servant = models.ForeignKey("orgs.Servant", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=20, choices=FamiliarizationState.choices,
                             default=FamiliarizationState.PENDING)
    due = models.DateField(_("familiarize by"))
    due_rule = models.CharField(max_length=64)
    due_clause = models.CharField(max_length=64)
    due_explanation = models.JSONField(default=dict, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_on_time = models.BooleanField(null=True, blank=True)
    # What the servant signed: the result as shown, canonical JSON and its SHA-256.
    signed_content = models.TextField(blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True)
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refusal_note = models.TextField(_("servant's reason for refusing"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("familiarization")
        verbose_name_plural = _("familiarizations")
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["body", "state", "due"], name="outcomes_fam_body_state_due")]

    def __str__(self) -> str:
        return f"Familiarization #{self.pk} ({self.state})"


class RemoteChannel(models.TextChoices):
    # S1-p.12 para 2, p.69: the means that record the notice.
    REGISTERED_LETTER = "registered_letter", _("Registered letter with delivery notice")
    TELEPHONOGRAM = "telephonogram", _("Telephonogram")
    TELEGRAM = "telegram", _("Telegram")
    SMS = "sms", _("SMS to the mobile number")
    EMAIL = "email", _("E-mail")
    OTHER = "other_recorded_means", _("Other means that record the notice")


class RemoteNotice(models.Model):
    """One remote notice of the result to an absent servant (S1-p.12 para 2)."""

    familiarization = models.ForeignKey(Familiarization, on_delete=models.PROTECT, related_name="remote_notices")
    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=30, choices=RemoteChannel.choices)
    channel_clause = models.CharField(max_length=64)
    absence = models.ForeignKey("orgs.Absence", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("absence"))
    sent_at = models.DateTimeField(_("sent at"))
    on_time = models.BooleanField(_("sent by the due date"))
    reference = models.CharField(_("proof reference"), max_length=200, blank=True,
                                 help_text=_("The postal notice number, telegram number, message id..."))
    proof = models.FileField(_("proof"), upload_to="outcomes/proof/%Y/%m/", blank=True)
    proof_name = models.CharField(max_length=200, blank=True)
    proof_type = models.CharField(max_length=50, blank=True)
    proof_sha256 = models.CharField(max_length=64, blank=True)
    notification = models.ForeignKey("notifications.Notification", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+",
                                     help_text=_("The message the system sent, with its delivery log."))
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("remote notice")
        verbose_name_plural = _("remote notices")
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.channel} {self.sent_at:%Y-%m-%d}"


class DeliveryChannel(models.TextChoices):
    # S0-p.40 para 2: how the results reach a servant who refused to sign.
    INTRANET_PORTAL = "intranet_portal", _("Intranet portal of state bodies")
    UNIFIED_HR_DATABASE = "unified_hr_database", _("Unified automated HR database")
    EDMS = "edms", _("Electronic document management system")


class RefusalAct(models.Model):
    """The free-form act drawn up when the servant refuses to sign (S0-p.40)."""

    familiarization = models.OneToOneField(Familiarization, on_delete=models.PROTECT, related_name="refusal_act")
    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("act number"), max_length=40)
    drawn_on = models.DateField(_("drawn up on"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    text_kk = models.TextField(_("text (kk)"))
    text_ru = models.TextField(_("text (ru)"))
    hr_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    hr_name = models.CharField(max_length=310)
    clause = models.CharField(max_length=64)
    decision = models.JSONField(default=dict, blank=True, help_text="The core's check of the signatures.")
    delivery_channel = models.CharField(_("delivered through"), max_length=30, choices=DeliveryChannel.choices,
                                        blank=True)
    delivery_clause = models.CharField(max_length=64, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivery_reference = models.CharField(_("delivery reference"), max_length=200, blank=True)
    delivery_due = models.DateField(_("deliver by"))
    delivered_on_time = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("refusal act")
        verbose_name_plural = _("refusal acts")
        constraints = [models.UniqueConstraint(fields=["body", "number"], name="outcomes_refusal_act_number")]

    def __str__(self) -> str:
        return f"Act No. {self.number}"


class RefusalWitness(models.Model):
    """A servant of the body, other than the refuser, who signed the act (S0-p.40)."""

    act = models.ForeignKey(RefusalAct, on_delete=models.CASCADE, related_name="witnesses")
    servant = models.ForeignKey("orgs.Servant", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=310)
    position_kk = models.CharField(max_length=300, blank=True)
    position_ru = models.CharField(max_length=300, blank=True)
    ordinal = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("witness of the refusal")
        verbose_name_plural = _("witnesses of the refusal")
        ordering = ["act", "ordinal", "pk"]
        constraints = [models.UniqueConstraint(fields=["act", "servant"], name="outcomes_witness_once")]

    def __str__(self) -> str:
        return self.name


class AppealVenue(models.TextChoices):
    AUTHORIZED_BODY = "authorized_body", _("Authorized body for civil service affairs")
    TERRITORIAL_DEPARTMENT = "territorial_department", _("Its territorial department")


class AppealState(models.TextChoices):
    FILED = "filed", _("Filed, awaiting the reviewer")
    UPHELD = "upheld", _("Result left unchanged")
    REVISION = "revision", _("Revision recommended, the commission meets again")
    REVISED = "revised", _("Result revised by the commission")


class Appeal(models.Model):
    """The servant's appeal against the commission's decision (S1-p.70)."""

    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    result = models.ForeignKey("commission.FinalResult", on_delete=models.PROTECT, related_name="appeals")
    servant = models.ForeignKey("orgs.Servant", on_delete=models.PROTECT, related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    venue = models.CharField(_("addressed to"), max_length=30, choices=AppealVenue.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("appeal reviewer"))
    grounds = models.TextField(_("grounds of the appeal"))
    filed_on = models.DateField(_("filed on"))
    filed_at = models.DateTimeField()
    decision_on = models.DateField(_("commission decision of"))
    last_day = models.DateField(_("appeal by"))
    last_day_rule = models.CharField(max_length=64)
    last_day_clause = models.CharField(max_length=64)
    last_day_explanation = models.JSONField(default=dict, blank=True)
    timeliness = models.CharField(_("timeliness"), max_length=10)
    late = models.BooleanField(_("filed late"), default=False)
    timeliness_decision = models.JSONField(default=dict, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=AppealState.choices, default=AppealState.FILED)
    version = models.PositiveIntegerField(_("row version"), default=1)
    last_action = models.CharField(max_length=20, blank=True)
    outcome = models.CharField(_("outcome"), max_length=40, blank=True)
    outcome_clause = models.CharField(max_length=64, blank=True)
    outcome_note = models.TextField(_("reviewer's reasons"), blank=True)
    outcome_document = models.FileField(_("reviewer's document"), upload_to="outcomes/appeals/%Y/%m/", blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    revised_result = models.ForeignKey("commission.FinalResult", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("revised result"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at", "-pk"]
        indexes = [models.Index(fields=["reviewer", "state"], name="outcomes_appeal_reviewer")]

    def __str__(self) -> str:
        return f"Appeal #{self.pk} ({self.state})"


class CourtStatus(models.TextChoices):
    FILED = "filed", _("Claim filed in court")
    PENDING = "pending", _("Under consideration")
    DECIDED = "decided", _("Court decision issued")
    WITHDRAWN = "withdrawn", _("Claim withdrawn")


class CourtCase(models.Model):
    """The servant's challenge of the result in court (S1-p.71): recorded, not decided here."""

    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    result = models.ForeignKey("commission.FinalResult", on_delete=models.PROTECT, related_name="court_cases")
    servant = models.ForeignKey("orgs.Servant", on_delete=models.PROTECT, related_name="+")
    court = models.CharField(_("court"), max_length=300)
    case_number = models.CharField(_("case number"), max_length=100, blank=True)
    filed_on = models.DateField(_("filed on"))
    status = models.CharField(_("status"), max_length=20, choices=CourtStatus.choices, default=CourtStatus.FILED)
    status_note = models.TextField(_("note"), blank=True)
    clause = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("court case")
        verbose_name_plural = _("court cases")
        ordering = ["-filed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.court} {self.case_number}"


class CourtDocument(models.Model):
    case = models.ForeignKey(CourtCase, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="outcomes/court/%Y/%m/")
    content_type = models.CharField(max_length=50)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("court document")
        verbose_name_plural = _("court documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Purpose(models.TextChoices):
    # S1-p.9: what KPI and ranking results are the basis for.
    BONUS = "bonus", _("Bonus")
    INCENTIVE = "incentive", _("Incentive")
    TRAINING = "training", _("Training")
    ROTATION = "rotation", _("Rotation")
    PROMOTION = "promotion", _("Promotion")
    DEMOTION = "demotion", _("Demotion")
    DISMISSAL = "dismissal", _("Dismissal")


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, awaiting the authorized person")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsequenceProposal(VersionedDocument):
    """A proposal by HR, on a final KPI or ranking result, for a use of it (S1-p.9)."""

    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    result = models.ForeignKey("commission.FinalResult", on_delete=models.PROTECT, related_name="consequences")
    servant = models.ForeignKey("orgs.Servant", on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(_("basis"), max_length=20)
    purpose = models.CharField(_("proposal"), max_length=20, choices=Purpose.choices)
    justification = models.TextField(_("justification"))
    clause = models.CharField(max_length=64)
    decision = models.JSONField(default=dict, blank=True, help_text="The core's may_use decision.")
    state = models.CharField(_("state"), max_length=20, choices=ProposalState.choices,
                             default=ProposalState.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("consequence proposal")
        verbose_name_plural = _("consequence proposals")
        ordering = ["servant__last_name", "servant__first_name", "-proposed_at", "pk"]
        indexes = [models.Index(fields=["body", "state"], name="outcomes_conseq_body_state")]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.state})"
