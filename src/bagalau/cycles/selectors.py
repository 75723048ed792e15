"""Reads of cycles, plans and sheets for the pages and the API, always scoped to one body.

Access: a servant reads his own evaluation; the direct manager and the reviewers read those they
act on (from the cycle's snapshot); HR, the authorized person and the auditor read the whole
body's. An id of another body is not found (Http404); a reader of the right body without the right
role gets PermissionDenied.

Query counts are bounded: the board runs the same number of queries for 10 or 10,000 participants
(the stage, due date and overdue flag are computed in SQL, the counts per stage in one GROUP BY).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from bagalau.cycles import clock, workflow
from bagalau.cycles.access import is_body_reader, require_read, servant_id_of, workflow_roles
from bagalau.cycles.content import canonical, plan_content, sha256, sheet_content
from bagalau.cycles.models import (
    EvaluationCycle,
    EvidenceFile,
    IndividualWorkPlan,
    Kpi,
    KpiOutcome,
    KpiSheet,
    Participant,
    PlanState,
    SheetState,
    Signature,
    Track,
)
from bagalau.cycles.plancheck import check, version_of
from bagalau.orgs.access import require_role
from bagalau.orgs.models import Role, StateBody
from bagalau.queries import one_or_none

READERS = (Role.HR, Role.AUTHORIZED_PERSON, Role.AUDITOR)

# Board stages, in the order of the workflow.
STAGES = (
    "excluded", "other_methods", "blocked",
    *(f"plan_{s}" for s in PlanState.values if s != PlanState.APPROVED),
    *(f"sheet_{s}" for s in SheetState.values),
)
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


# -- cycles ----------------------------------------------------------------------------------------

def cycles(user: Any, body: StateBody) -> QuerySet[EvaluationCycle]:
    """The body's cycles, newest first, with participant counts (one query)."""
    require_role(user, body, READERS, action=_("view evaluation cycles"))
    return (EvaluationCycle.objects.filter(body=body)
            .annotate(n_participants=Count("participants"),
                      n_evaluated=Count("participants", filter=Q(participants__status="evaluated")),
                      n_kpi=Count("participants", filter=Q(participants__track=Track.KPI)))
            .order_by("-period_start", "-pk"))


def cycle(user: Any, body: StateBody, cycle_id: int) -> EvaluationCycle:
    require_role(user, body, READERS, action=_("view an evaluation cycle"))
    found = one_or_none(EvaluationCycle.objects.filter(body=body, pk=cycle_id).select_related("body"))
    if found is None:
        raise Http404(_("No such cycle in this state body."))
    return found


def participants(user: Any, cycle: EvaluationCycle) -> QuerySet[Participant]:
    """Everyone the launch considered, with the snapshot and the launch decisions (HR's list)."""
    require_role(user, cycle.body, READERS, action=_("view the participants of a cycle"))
    return Participant.objects.filter(cycle=cycle, body=cycle.body)


# -- the board -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BoardFilters:
    stage: str | None = None
    unit_id: int | None = None
    overdue: bool | None = None
    search: str = ""

    @classmethod
    def parse(cls, raw: dict[str, Any] | BoardFilters | None) -> BoardFilters:
        if raw is None:
            return cls()
        if isinstance(raw, BoardFilters):
            parsed = raw
        else:
            unknown = set(raw) - {"stage", "unit_id", "overdue", "search"}
            if unknown:
                names = ", ".join(sorted(unknown))
                raise ValidationError({"filters": _("Unknown filters: %(names)s.") % {"names": names}})
            parsed = cls(stage=raw.get("stage") or None, unit_id=raw.get("unit_id") or None,
                         overdue=raw.get("overdue"), search=(raw.get("search") or "").strip())
        if parsed.stage is not None and parsed.stage not in STAGES:
            raise ValidationError({"stage": _("Unknown stage %(stage)s; stages: %(known)s.")
                                   % {"stage": parsed.stage, "known": ", ".join(STAGES)}})
        return parsed


@dataclass(frozen=True)
class BoardParticipant:
    """The launch snapshot fields the board shows of a participant (read as plain values: building
    a model instance per row, with its plan and sheet, was most of the board's cost)."""

    pk: int
    servant_id: int
    servant_name: str
    unit_id: int | None
    unit_code: str
    unit_name_kk: str
    unit_name_ru: str
    position_code: str
    position_title_kk: str
    position_title_ru: str
    category: str
    is_head_of_unit: bool
    status: str
    track: str
    participation: str
    exclusion_reason: str
    exclusion_clause: str


BOARD_PARTICIPANT_FIELDS = tuple(f for f in BoardParticipant.__dataclass_fields__ if f != "pk")


@dataclass(frozen=True)
class BoardRow:
    participant: BoardParticipant | Participant  # a Participant where one row is redrawn after an action
    stage: str
    plan_id: int | None
    plan_state: str | None
    plan_version: int | None
    sheet_id: int | None
    sheet_state: str | None
    sheet_version: int | None
    due_on: dt.date | None
    due_rule: str
    due_clause: str
    overdue: bool


@dataclass(frozen=True)
class BoardUnit:
    """A structural unit as the launch snapshot names it, for the board's unit filter."""

    pk: int
    code: str
    name_kk: str
    name_ru: str


@dataclass(frozen=True)
class Board:
    cycle: EvaluationCycle
    rows: list[BoardRow]
    counts: dict[str, int]  # per stage, over the filters other than the stage
    overdue_count: int
    total: int  # rows matching every filter
    page: int
    per_page: int
    today: dt.date
    filters: BoardFilters = field(default_factory=BoardFilters)
    units: list[BoardUnit] | None = None  # every unit of the cycle, when the board was read unfiltered

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


# A participant's stage on the board, from his track and the states of his plan and sheet. The rule
# is written twice, on purpose: in Python for the rows read (`stage_of`) and as a database filter
# for the stage filter (`stage_filter`), because the same rule as one SQL CASE made every board
# request compile an expression larger than the rest of its queries; tests/cycles check that both
# agree on every stage.
TRACK_STAGES = {Track.EXCLUDED: "excluded", Track.OTHER_METHODS: "other_methods", Track.BLOCKED: "blocked"}


def stage_of(track: str, plan_state: str | None, sheet_state: str | None) -> str:
    if track in TRACK_STAGES:
        return TRACK_STAGES[Track(track)]
    if sheet_state is not None:
        return f"sheet_{sheet_state}"
    if plan_state is not None:
        return f"plan_{plan_state}"
    return "blocked"  # evaluated by KPI but no plan could be opened (no direct manager)


def stage_filter(stage: str) -> Q:
    on_a_track = ~Q(track__in=list(TRACK_STAGES))
    if stage == "blocked":
        return Q(track=Track.BLOCKED) | (on_a_track & Q(sheet__isnull=True, plan__isnull=True))
    for track, name in TRACK_STAGES.items():
        if stage == name:
            return Q(track=track)
    if stage.startswith("sheet_"):
        return on_a_track & Q(sheet__state=stage.removeprefix("sheet_"))
    return on_a_track & Q(sheet__isnull=True, plan__state=stage.removeprefix("plan_"))


def overdue_filter(today: dt.date) -> Q:
    """The step running is past its due date: the sheet's once there is a sheet, else the plan's."""
    return Q(sheet__due_on__lt=today) | Q(sheet__isnull=True, plan__due_on__lt=today)


def cycle_board(user: Any, cycle: EvaluationCycle, filters: dict[str, Any] | BoardFilters | None = None, *,
                page: int = 1, per_page: int = DEFAULT_PAGE_SIZE) -> Board:
    """Every participant's stage (plan or sheet state), current due date and overdue flag, counts
    per stage, filterable by stage, unit, overdue and name, one page at a time."""
    require_role(user, cycle.body, READERS, action=_("view the cycle board"))
    f = BoardFilters.parse(filters)
    per_page = max(1, min(int(per_page), MAX_PAGE_SIZE))
    page = max(1, int(page))
    today = clock.today()
    late = overdue_filter(today)
    qs = Participant.objects.filter(cycle=cycle, body=cycle.body)
    if f.unit_id:
        qs = qs.filter(unit_id=f.unit_id)
    if f.search:
        qs = qs.filter(servant_name__icontains=f.search)
    if f.overdue is not None:
        qs = qs.filter(late if f.overdue else ~late)
    counts = {s: 0 for s in STAGES}
    overdue_count = 0
    # Unfiltered (the board as first opened), the same grouping also gives the units for the unit
    # filter: one query fewer. Under a filter the units come from their own query (`units` None).
    every_row = not (f.unit_id or f.search or f.overdue is not None)
    unit_columns = ("unit_id", "unit_code", "unit_name_kk", "unit_name_ru") if every_row else ()
    units: dict[int, BoardUnit] = {}
    for group in (qs.order_by().values("track", "plan__state", "sheet__state", *unit_columns)
                  .annotate(n=Count("pk"), late=Count("pk", filter=late))):
        stage = stage_of(group["track"], group["plan__state"], group["sheet__state"])
        counts[stage] = counts.get(stage, 0) + group["n"]
        overdue_count += group["late"]
        if every_row and group["unit_id"] is not None:
            units.setdefault(group["unit_id"], BoardUnit(group["unit_id"], group["unit_code"], group["unit_name_kk"],
                                                         group["unit_name_ru"]))
    if f.stage:
        qs = qs.filter(stage_filter(f.stage))
        total = counts.get(f.stage, 0)
    else:
        total = sum(counts.values())
    # Plain values, only the columns the board shows: no launch decision, note or explanation JSON
    # (decoding those was most of a page's cost at 50 rows), no model instances.
    page_rows = (qs.order_by("unit_code", "-is_head_of_unit", "servant_name", "pk")
                 .values("pk", *BOARD_PARTICIPANT_FIELDS, "plan__id", "plan__state", "plan__version",
                         "plan__due_on", "plan__due_rule", "plan__due_clause", "sheet__id", "sheet__state",
                         "sheet__version", "sheet__due_on", "sheet__due_rule", "sheet__due_clause")
                 [(page - 1) * per_page: page * per_page])
    rows = []
    for r in page_rows:
        current = "sheet" if r["sheet__id"] is not None else "plan"
        due_on = r[f"{current}__due_on"]
        rows.append(BoardRow(
            participant=BoardParticipant(pk=r["pk"], **{f: r[f] for f in BOARD_PARTICIPANT_FIELDS}),
            stage=stage_of(r["track"], r["plan__state"], r["sheet__state"]), plan_id=r["plan__id"],
            plan_state=r["plan__state"], plan_version=r["plan__version"], sheet_id=r["sheet__id"],
            sheet_state=r["sheet__state"], sheet_version=r["sheet__version"], due_on=due_on,
            due_rule=r[f"{current}__due_rule"] or "", due_clause=r[f"{current}__due_clause"] or "",
            overdue=due_on is not None and due_on < today,
        ))
    return Board(cycle=cycle, rows=rows, counts=counts, overdue_count=overdue_count, total=total, page=page,
                 per_page=per_page, today=today, filters=f,
                 units=sorted(units.values(), key=lambda u: (u.code, u.pk)) if every_row else None)


# -- signatures ------------------------------------------------------------------------------------

VALID = "valid"
INVALID_CONTENT_CHANGED = "invalid_content_changed"


@dataclass(frozen=True)
class SignatureStatus:
    signature: Signature
    status: str  # VALID or INVALID_CONTENT_CHANGED

    @property
    def valid(self) -> bool:
        return self.status == VALID


def _statuses(signatures: list[Signature], current_hash: str) -> list[SignatureStatus]:
    return [SignatureStatus(s, VALID if s.content_sha256 == current_hash else INVALID_CONTENT_CHANGED)
            for s in signatures]


def plan_signatures(plan: IndividualWorkPlan, kpis: list[Kpi] | None = None) -> list[SignatureStatus]:
    """Each signature on the plan, valid only while the plan's content is the one signed."""
    kpis = list(plan.kpis.all()) if kpis is None else kpis
    current = sha256(canonical(plan_content(plan, kpis)))
    return _statuses(list(plan.signatures.select_related("user", "servant")), current)


def sheet_signatures(sheet: KpiSheet, outcomes: list[KpiOutcome] | None = None,
                     files: list[EvidenceFile] | None = None) -> list[SignatureStatus]:
    if sheet.signed_at is None:
        # A sheet is signed first by its direct manager, in the move that sets `signed_at` (never
        # cleared, not even by a return), and only then agreed: an unsigned sheet has no signature.
        return []
    # A signature carries the signer's name and ids itself: his user and servant rows are not read.
    signatures = list(sheet.signatures.all())
    if not signatures:
        return []  # nothing to check against the current content
    outcomes = list(sheet.outcomes.all()) if outcomes is None else outcomes
    files = list(EvidenceFile.objects.filter(sheet=sheet)) if files is None else files
    kpi_field = KpiOutcome._meta.get_field("kpi")
    if outcomes and all(kpi_field.is_cached(o) for o in outcomes):  # loaded with their KPIs: no query
        kpis = {o.kpi_id: o.kpi for o in outcomes}
    else:
        kpis = {k.pk: k for k in Kpi.objects.filter(plan_id=sheet.plan_id)}
    return _statuses(signatures, sha256(canonical(sheet_content(sheet, outcomes, kpis, files))))


# -- plan and sheet pages --------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanDetail:
    plan: IndividualWorkPlan
    participant: Participant
    kpis: list[Kpi]
    signatures: list[SignatureStatus]
    roles: frozenset[str]  # the reader's workflow roles on this plan
    actions: list[str]  # the moves open to the reader now (for buttons)
    problems: dict[str, str]  # what blocks a submit now ({} when the plan may be submitted)
    kpi_count: int | None  # the number of KPIs the cycle's version requires


@dataclass(frozen=True)
class SheetDetail:
    sheet: KpiSheet
    participant: Participant
    outcomes: list[KpiOutcome]  # each with .kpi and .evidence (list of EvidenceFile)
    signatures: list[SignatureStatus]
    roles: frozenset[str]
    actions: list[str]


def _actions(doc_type: str, doc: Any, cycle: EvaluationCycle, roles: frozenset[str]) -> list[str]:
    if cycle.state != "launched":
        return []
    return [t.action for t in workflow.available(doc_type, doc.state, roles)]


def plan_detail(user: Any, body: StateBody, plan_id: int) -> PlanDetail:
    plan = one_or_none(IndividualWorkPlan.objects.filter(body=body, pk=plan_id)
                       .select_related("participant", "cycle", "updated_by"))
    if plan is None:
        raise Http404(_("No such plan in this state body."))
    require_read(user, body, plan.participant)
    kpis = list(plan.kpis.all())
    roles = workflow_roles(user, body, plan.participant, workflow.PLAN)
    problems: dict[str, str] = {}
    count = None
    if plan.state in (PlanState.DRAFT, PlanState.RETURNED) and plan.cycle.methodology_version:
        version = version_of(plan.cycle)
        count = version.param("kpi.count").value
        try:
            problems = check(version, plan, kpis, clock.today())
        except ValidationError as exc:
            problems = {k: v[0] for k, v in exc.message_dict.items()}
    return PlanDetail(plan=plan, participant=plan.participant, kpis=kpis, signatures=plan_signatures(plan, kpis),
                      roles=roles, actions=_actions(workflow.PLAN, plan, plan.cycle, roles), problems=problems,
                      kpi_count=count)


def sheet_detail(user: Any, body: StateBody, sheet_id: int) -> SheetDetail:
    sheet = one_or_none(KpiSheet.objects.filter(body=body, pk=sheet_id)
                        .select_related("participant", "cycle", "plan", "updated_by"))
    if sheet is None:
        raise Http404(_("No such sheet in this state body."))
    require_read(user, body, sheet.participant)
    return _sheet_detail(user, body, sheet, list(sheet.outcomes.select_related("kpi")))


def sheet_detail_of(user: Any, body: StateBody, sheet: KpiSheet, outcomes: list[KpiOutcome]) -> SheetDetail:
    """The detail of a sheet a service has just loaded and saved, without reading it again: `sheet`
    with its participant and cycle, `outcomes` by number, each with its KPI."""
    require_read(user, body, sheet.participant)
    return _sheet_detail(user, body, sheet, outcomes)


def _sheet_detail(user: Any, body: StateBody, sheet: KpiSheet, outcomes: list[KpiOutcome]) -> SheetDetail:
    # Sorted here rather than by the database: an ordered query costs Django more to build.
    files = sorted(EvidenceFile.objects.filter(sheet=sheet).order_by(), key=lambda f: f.pk)
    by_outcome: dict[int, list[EvidenceFile]] = {}
    for f in files:
        by_outcome.setdefault(f.outcome_id, []).append(f)
    for o in outcomes:
        setattr(o, "evidence", by_outcome.get(o.pk, []))  # noqa: B010 (an attribute for the page, not a field)
    roles = workflow_roles(user, body, sheet.participant, workflow.SHEET)
    return SheetDetail(sheet=sheet, participant=sheet.participant, outcomes=outcomes,
                       signatures=sheet_signatures(sheet, outcomes, files), roles=roles,
                       actions=_actions(workflow.SHEET, sheet, sheet.cycle, roles))


def evidence_file(user: Any, body: StateBody, file_id: int) -> EvidenceFile:
    """An evidence file for download (serve it with its stored content_type, as an attachment)."""
    found = EvidenceFile.objects.filter(body=body, pk=file_id).select_related("sheet__participant").first()
    if found is None:
        raise Http404(_("No such file in this state body."))
    require_read(user, body, found.sheet.participant)
    return found


# -- personal lists --------------------------------------------------------------------------------

def _with_documents(qs: QuerySet[Participant]) -> QuerySet[Participant]:
    return qs.select_related("cycle", "plan", "sheet").order_by("-cycle__period_start", "servant_name", "pk")


def my_evaluations(user: Any, body: StateBody) -> QuerySet[Participant]:
    """The reader's own participations, every cycle, with plan and sheet."""
    sid = servant_id_of(user, body)
    if sid is None:
        return Participant.objects.none()
    return _with_documents(Participant.objects.filter(body=body, servant_id=sid))


def my_subordinates(user: Any, body: StateBody, *, cycle_id: int | None = None) -> QuerySet[Participant]:
    """Participants whose direct manager in the snapshot is the reader (their plans and sheets)."""
    sid = servant_id_of(user, body)
    if sid is None:
        return Participant.objects.none()
    qs = Participant.objects.filter(body=body, direct_manager_id=sid).exclude(track=Track.EXCLUDED)
    if cycle_id is not None:
        qs = qs.filter(cycle_id=cycle_id)
    return _with_documents(qs)


@dataclass(frozen=True)
class ReviewQueue:
    plans: QuerySet[IndividualWorkPlan]  # submitted, the reader approves them
    sheets: QuerySet[KpiSheet]  # signed, the reader reviews them


def to_review(user: Any, body: StateBody) -> ReviewQueue:
    """What waits for the reader as plan approver or sheet reviewer (superior manager or first head)."""
    sid = servant_id_of(user, body)
    if sid is None:
        return ReviewQueue(IndividualWorkPlan.objects.none(), KpiSheet.objects.none())
    plans = (IndividualWorkPlan.objects.filter(body=body, state=PlanState.SUBMITTED,
                                               participant__plan_approver_id=sid, cycle__state="launched")
             .select_related("participant", "cycle").order_by("submitted_at", "pk"))
    sheets = (KpiSheet.objects.filter(body=body, state=SheetState.UNDER_REVIEW, participant__sheet_reviewer_id=sid,
                                      cycle__state="launched")
              .select_related("participant", "cycle").order_by("signed_at", "pk"))
    return ReviewQueue(plans, sheets)


def to_forward(user: Any, body: StateBody) -> QuerySet[KpiSheet]:
    """HR: agreed sheets waiting to go to the Commission, soonest due first."""
    require_role(user, body, [Role.HR], action=_("view the sheets to submit to the Commission"))
    return (KpiSheet.objects.filter(body=body, state=SheetState.AGREED, cycle__state="launched")
            .select_related("participant", "cycle").order_by("due_on", "pk"))


def can_read_body(user: Any, body: StateBody) -> bool:
    return is_body_reader(user, body)


__all__ = [
    "Board", "BoardFilters", "BoardRow", "INVALID_CONTENT_CHANGED", "PlanDetail", "ReviewQueue", "STAGES",
    "SheetDetail", "SignatureStatus", "VALID", "can_read_body", "cycle", "cycle_board", "cycles",
    "evidence_file", "my_evaluations", "my_subordinates", "participants", "plan_detail", "plan_signatures",
    "sheet_detail", "sheet_detail_of", "sheet_signatures", "to_forward", "to_review",
]
