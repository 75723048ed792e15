"""Evaluation cycles, the individual work plan (Annex 9), the KPI evaluation sheet (Annex 10) and
the signatures on them.

Why the shapes are what they are:

* A cycle is pinned to the methodology version in force on its period start when it is launched
  (spec 13.3 rule 2) and keeps a *snapshot* of the organisation per participant: copied values
  (names, codes, category, head flag) and foreign keys. A later reorganisation, a new manager or a
  recategorised position never rewrites who was evaluated how (spec section 3, engineering note).
* Plans and sheets are workflow documents: a `state` moved only by the tables in workflow.py, a
  row `version` for optimistic locking, the `last_action` that makes a repeated submit a no-op,
  and the due date of the step in progress with the rule, clause and day-by-day count it came from
  ("dates are computed, never typed").
* The rating of a sheet is derived by the rules core from the per-KPI results and stored with its
  clause; there is no field a person types it into (S1-p.50, Q-19).
* Every row carries `body` so that each read filters by the tenant directly.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year")
    QUARTER = "quarter", _("Quarter")
    TRANSITIONAL = "transitional", _("Transitional window")


class CycleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LAUNCHED = "launched", _("Launched")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Being drafted")
    SUBMITTED = "submitted", _("Submitted for approval")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")


class SheetState(models.TextChoices):
    DRAFT = "draft", _("Being filled in")
    UNDER_REVIEW = "under_review", _("Signed, under the superior's review")
    RETURNED = "returned", _("Returned for correction")
    AGREED = "agreed", _("Agreed by the superior")
    SUBMITTED_TO_COMMISSION = "submitted_to_commission", _("Submitted to the Commission")


class ParticipantStatus(models.TextChoices):
    EVALUATED = "evaluated", _("Evaluated")
    EXCLUDED = "excluded", _("Not evaluated")


class Participation(models.TextChoices):
    WITH = "with_participation", _("With participation")
    WITHOUT = "without_participation", _("Without participation")


class Track(models.TextChoices):
    """What the cycle does with a participant (the board's first split)."""

    KPI = "kpi", _("KPI plan and sheet")
    OTHER_METHODS = "other_methods", _("Other methods only (ranking, 360)")
    BLOCKED = "blocked", _("KPI, but no direct manager in the snapshot")
    EXCLUDED = "excluded", _("Not evaluated")


class ReviewerKind(models.TextChoices):
    SUPERIOR_MANAGER = "superior_manager", _("Superior manager")
    FIRST_HEAD = "first_head", _("First head")


class EvaluationCycle(models.Model):
    """One evaluated period of one body. Year and quarter periods are computed from `year` and
    `quarter`; only the transitional window takes explicit dates."""

    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="evaluation_cycles")
    kind = models.CharField(_("period kind"), max_length=20, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    state = models.CharField(_("state"), max_length=20, choices=CycleState.choices, default=CycleState.DRAFT)
    last_action = models.CharField(max_length=20, blank=True)
    methodology_version = models.CharField(
        _("methodology version"), max_length=64, blank=True,
        help_text=_("Pinned at launch: the version the body had adopted on the period start."),
    )
    snapshot_on = models.DateField(_("organisation snapshot date"), null=True, blank=True)
    launch_summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    launched_at = models.DateTimeField(null=True, blank=True)
    launched_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("evaluation cycle")
        verbose_name_plural = _("evaluation cycles")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "period_start", "period_end"], condition=~models.Q(state="cancelled"),
                name="cycle_period_unique_in_body",
            ),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="cycle_period_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return str(self.year)
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year} Q{self.quarter}"
        return f"{self.period_start.isoformat()}–{self.period_end.isoformat()}"


class Participant(models.Model):
    """A servant considered at launch, with the organisation as it stood (the snapshot) and the
    launch decisions, each with its clause. Never rewritten by later org changes."""

    cycle = models.ForeignKey(EvaluationCycle, on_delete=models.CASCADE, related_name="participants")
    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    servant = models.ForeignKey("orgs.Servant", on_delete=models.PROTECT, related_name="cycle_participations")
    servant_name = models.CharField(_("servant"), max_length=310)

    status = models.CharField(_("status"), max_length=20, choices=ParticipantStatus.choices)
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    exclusion_reason = models.CharField(_("reason not evaluated"), max_length=40, blank=True)
    exclusion_clause = models.CharField(max_length=64, blank=True)
    participation = models.CharField(_("participation"), max_length=30, choices=Participation.choices, blank=True)
    participation_clause = models.CharField(max_length=64, blank=True)
    absence_kinds = models.JSONField(default=list, blank=True)
    methods = models.JSONField(default=list, blank=True)
    methods_clause = models.CharField(max_length=64, blank=True)
    decisions = models.JSONField(default=dict, blank=True, help_text="The core decisions of the launch, as_dict().")
    notes = models.JSONField(default=list, blank=True, help_text="[{code, message, clause}] for HR to see.")

    # The snapshot: position and unit.
    position = models.ForeignKey("orgs.Position", null=True, on_delete=models.SET_NULL, related_name="+")
    position_code = models.CharField(max_length=40, blank=True)
    position_title_kk = models.CharField(max_length=300, blank=True)
    position_title_ru = models.CharField(max_length=300, blank=True)
    unit = models.ForeignKey("orgs.StructuralUnit", null=True, on_delete=models.SET_NULL, related_name="+")
    unit_code = models.CharField(max_length=40, blank=True)
    unit_name_kk = models.CharField(max_length=300, blank=True)
    unit_name_ru = models.CharField(max_length=300, blank=True)
    category = models.CharField(_("category"), max_length=10, blank=True)
    is_head_of_unit = models.BooleanField(_("head of the structural unit"), default=False)
    appointment_start = models.DateField(null=True)
    appointment_end = models.DateField(null=True)
    line_on = models.DateField(null=True, help_text="The day the reporting line was read.")

    # The snapshot: reporting line.
    direct_manager = models.ForeignKey("orgs.Servant", null=True, on_delete=models.PROTECT, related_name="+")
    direct_manager_name = models.CharField(max_length=310, blank=True)
    direct_source = models.CharField(max_length=20, blank=True)
    superior_manager = models.ForeignKey("orgs.Servant", null=True, on_delete=models.PROTECT, related_name="+")
    superior_manager_name = models.CharField(max_length=310, blank=True)
    first_head = models.ForeignKey("orgs.Servant", null=True, on_delete=models.PROTECT, related_name="+")
    first_head_name = models.CharField(max_length=310, blank=True)
    authorized_person = models.ForeignKey("orgs.Servant", null=True, on_delete=models.PROTECT, related_name="+")
    authorized_person_name = models.CharField(max_length=310, blank=True)
    first_head_is_direct = models.BooleanField(default=False)
    line_clause = models.CharField(max_length=64, blank=True)

    # Who approves the plan and reviews the sheet, resolved by the core (S1-p.45/46, p.51/52).
    plan_approver = models.ForeignKey("orgs.Servant", null=True, on_delete=models.PROTECT, related_name="+")
    plan_approver_kind = models.CharField(max_length=20, choices=ReviewerKind.choices, blank=True)
    plan_approver_clause = models.CharField(max_length=64, blank=True)
    sheet_reviewer = models.ForeignKey("orgs.Servant", null=True, on_delete=models.PROTECT, related_name="+")
    sheet_reviewer_kind = models.CharField(max_length=20, choices=ReviewerKind.choices, blank=True)
    sheet_reviewer_clause = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("cycle participant")
        verbose_name_plural = _("cycle participants")
        ordering = ["unit_code", "-is_head_of_unit", "servant_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["cycle", "servant"], name="participant_once_per_cycle")]
        indexes = [models.Index(fields=["body", "cycle"], name="participant_body_cycle")]

    def __str__(self) -> str:
        return f"{self.servant_name} @ {self.cycle_id}"


class VersionedDocument(models.Model):
    """What every document a transition table moves carries for its services (plans, sheets,
    ranking lists, commission orders and meetings, familiarizations, consequence proposals): the row
    version each write compares with the caller's (optimistic locking: two people editing one
    document never silently overwrite each other), the last action (a repeated submit returns the
    document unchanged), and who changed it last and when (named in the Conflict message)."""

    version = models.PositiveIntegerField(_("row version"), default=1)
    last_action = models.CharField(max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        abstract = True


class WorkflowDocument(VersionedDocument):
    """What plans and sheets share: state, row version, the step's due date and who touched it."""

    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(EvaluationCycle, on_delete=models.PROTECT, related_name="+")
    # The due date of the step in progress (None when the version sets no deadline for it).
    due_on = models.DateField(_("due"), null=True, blank=True)
    due_rule = models.CharField(max_length=64, blank=True)
    due_clause = models.CharField(max_length=64, blank=True)
    due_explanation = models.JSONField(default=dict, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)

    class Meta:
        abstract = True


class IndividualWorkPlan(WorkflowDocument):
    """Annex 9: the servant's KPIs for the period, drafted by the direct manager (S1-p.44)."""

    participant = models.OneToOneField(Participant, on_delete=models.PROTECT, related_name="plan")
    state = models.CharField(_("state"), max_length=20, choices=PlanState.choices, default=PlanState.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("individual work plan")
        verbose_name_plural = _("individual work plans")
        indexes = [models.Index(fields=["body", "state"], name="plan_body_state")]

    def __str__(self) -> str:
        return f"IWP #{self.pk}"


class Kpi(models.Model):
    """One KPI of a plan, with the fields S1-p.47 asks for (spec 5.1 data model)."""

    plan = models.ForeignKey(IndividualWorkPlan, on_delete=models.CASCADE, related_name="kpis")
    number = models.PositiveSmallIntegerField(_("number"))
    text_kk = models.TextField(_("wording (kk)"), blank=True)
    text_ru = models.TextField(_("wording (ru)"), blank=True)
    expected_change = models.TextField(_("expected positive change"), blank=True)
    measure = models.TextField(_("measure"), blank=True)
    target = models.CharField(_("target value"), max_length=200, blank=True)
    unit = models.CharField(_("unit of measure"), max_length=100, blank=True)
    resources_note = models.TextField(_("resources, competencies and constraints"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    strategic_goal_ref = models.CharField(_("strategic goal"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="kpi_number_unique_in_plan")]

    def __str__(self) -> str:
        return f"KPI {self.number}"


class KpiSheet(WorkflowDocument):
    """Annex 10: per KPI achieved or not with evidence; the rating derived by the core."""

    plan = models.OneToOneField(IndividualWorkPlan, on_delete=models.PROTECT, related_name="sheet")
    participant = models.OneToOneField(Participant, on_delete=models.PROTECT, related_name="sheet")
    state = models.CharField(_("state"), max_length=30, choices=SheetState.choices, default=SheetState.DRAFT)
    achieved_count = models.PositiveSmallIntegerField(_("KPIs achieved"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=30, blank=True)
    rating_clause = models.CharField(max_length=64, blank=True)
    rating_verified = models.BooleanField(default=False)
    rating_decision = models.JSONField(default=dict, blank=True)
    return_grounds = models.JSONField(default=list, blank=True)
    times_returned = models.PositiveSmallIntegerField(default=0)
    signed_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("KPI evaluation sheet")
        verbose_name_plural = _("KPI evaluation sheets")
        indexes = [models.Index(fields=["body", "state"], name="sheet_body_state")]

    def __str__(self) -> str:
        return f"KPI sheet #{self.pk}"


class KpiOutcome(models.Model):
    """The result of one KPI on the sheet. `achieved` is derived by the core from the indicators
    met: a KPI met in part is not achieved (S1-p.50 last paragraph)."""

    sheet = models.ForeignKey(KpiSheet, on_delete=models.CASCADE, related_name="outcomes")
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    indicators_planned = models.PositiveSmallIntegerField(_("indicators planned"), default=1)
    indicators_met = models.PositiveSmallIntegerField(_("indicators fully met"), null=True, blank=True)
    achieved = models.BooleanField(_("achieved"), null=True, blank=True)
    evidence_text = models.TextField(_("evidence"), blank=True)

    class Meta:
        verbose_name = _("KPI result")
        verbose_name_plural = _("KPI results")
        ordering = ["sheet", "number"]
        constraints = [models.UniqueConstraint(fields=["sheet", "number"], name="outcome_number_unique_in_sheet")]

    def __str__(self) -> str:
        return f"KPI {self.number}: {self.achieved}"


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    # Named by content hash: no user-chosen path component ever reaches the storage.
    return f"evidence/{instance.body_id}/{instance.sheet_id}/{instance.sha256}.{instance.extension}"


class EvidenceFile(models.Model):
    """A file proving a KPI result. Its type is checked by content, its hash stored."""

    outcome = models.ForeignKey(KpiOutcome, on_delete=models.CASCADE, related_name="files")
    sheet = models.ForeignKey(KpiSheet, on_delete=models.CASCADE, related_name="+")
    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["outcome", "pk"]

    def __str__(self) -> str:
        return self.original_name


class DocumentKind(models.TextChoices):
    PLAN = "iwp", _("Individual work plan (Annex 9)")
    SHEET = "kpi_sheet", _("KPI evaluation sheet (Annex 10)")


class SignatureMethod(models.TextChoices):
    SIMPLE = "simple", _("Simple (login)")
    CMS = "cms", _("Qualified electronic signature (CMS)")


class Signature(models.Model):
    """Who signed which exact content, in which role, when.

    `content` is the canonical JSON that was signed and `content_sha256` its hash; a selector
    recomputes the document's current content and reports the signature invalid when they differ.
    A qualified signature (NCALayer, CMS over the same bytes) fills `cms_signature` and the
    certificate fields with method "cms"; the workflow does not change. Rows are never updated.
    """

    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    document_kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    plan = models.ForeignKey(IndividualWorkPlan, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="signatures")
    sheet = models.ForeignKey(KpiSheet, null=True, blank=True, on_delete=models.PROTECT, related_name="signatures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    servant = models.ForeignKey("orgs.Servant", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=310)
    role = models.CharField(_("role"), max_length=20)
    action = models.CharField(max_length=20)
    signed_at = models.DateTimeField()
    content = models.TextField(help_text="The canonical JSON signed (UTF-8).")
    content_sha256 = models.CharField(max_length=64)
    method = models.CharField(max_length=10, choices=SignatureMethod.choices, default=SignatureMethod.SIMPLE)
    cms_signature = models.BinaryField(null=True, blank=True)
    signer_certificate = models.BinaryField(null=True, blank=True)
    certificate_subject = models.CharField(max_length=500, blank=True)
    certificate_serial = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(plan__isnull=False, sheet__isnull=True, document_kind="iwp")
                           | models.Q(plan__isnull=True, sheet__isnull=False, document_kind="kpi_sheet")),
                name="signature_on_exactly_one_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.role}) {self.signed_at:%Y-%m-%d %H:%M}"
