"""Reads of the outcomes for the pages and the API, scoped to one body (the reviewer's list is
scoped to the reviewer instead: the appeals addressed to him, whatever the body).

Access: the body lists (familiarization board, appeals, consequences) are read by HR, the
authorized person and the auditor (PermissionDenied otherwise); a servant reads his own page; the
reviewer reads the appeals addressed to him. An id of another body, or an appeal addressed to
somebody else, is not found (Http404). Each selector runs a fixed number of queries whatever the
number of rows (select_related and one prefetch per relation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from bagalau.commission.models import FinalResult
from bagalau.cycles import clock
from bagalau.cycles.models import Participant
from bagalau.orgs.models import Absence, Servant, StateBody
from bagalau.outcomes import access, rules, workflow
from bagalau.outcomes.models import (
    Appeal,
    AppealState,
    ConsequenceProposal,
    CourtCase,
    Familiarization,
    FamiliarizationState,
    RefusalAct,
    RefusalWitness,
    RemoteNotice,
)

DONE = (FamiliarizationState.SIGNED, FamiliarizationState.DELIVERED, FamiliarizationState.REMOTE,
        FamiliarizationState.SUPERSEDED)


def _familiarizations() -> QuerySet[Familiarization]:
    witnesses = Prefetch("refusal_act__witnesses", queryset=RefusalWitness.objects.order_by("ordinal", "pk"))
    return (Familiarization.objects
            .select_related("servant", "result", "result__participant", "result__cycle", "refusal_act")
            .prefetch_related(witnesses, Prefetch("remote_notices", queryset=RemoteNotice.objects.order_by("sent_at"))))


@dataclass(frozen=True)
class BoardRow:
    fam: Familiarization
    overdue: bool
    absent: bool

    @property
    def open(self) -> bool:
        return self.fam.state not in DONE


def board(user: Any, body: StateBody, *, cycle_id: int | None = None, only_open: bool = False) -> list[BoardRow]:
    """HR's familiarization board: who has signed, refused, been notified, and who not yet."""
    access.require_read_body(user, body)
    qs = _familiarizations().filter(body=body).exclude(state=FamiliarizationState.SUPERSEDED)
    if cycle_id is not None:
        qs = qs.filter(result__cycle_id=cycle_id)
    if only_open:
        qs = qs.exclude(state__in=DONE)
    rows = list(qs.order_by("due", "servant__last_name", "pk"))
    today = clock.today()
    absent = set(Absence.objects.filter(body=body, servant_id__in=[f.servant_id for f in rows], end__gte=today
                                        - dt.timedelta(days=31)).values_list("servant_id", flat=True))
    return [BoardRow(f, f.state not in DONE and today > f.due, f.servant_id in absent) for f in rows]


@dataclass(frozen=True)
class FamiliarizationDetail:
    fam: Familiarization
    act: RefusalAct | None
    notices: list[RemoteNotice]
    roles: frozenset[str]
    actions: list[str]
    candidates: list[Servant]  # possible witnesses: servants of the body other than the refuser
    absences: list[Absence]
    remote_channels: tuple[str, ...]
    remote_clause: str
    refuser_channels: tuple[str, ...]
    refuser_clause: str
    refusal_rule: dict[str, Any] = field(default_factory=dict)


def familiarization(user: Any, body: StateBody, familiarization_id: int) -> FamiliarizationDetail:
    fam = _familiarizations().filter(body=body, pk=familiarization_id).first()
    if fam is None:
        raise Http404(_("No such familiarization in this state body."))
    roles = access.doc_roles(user, body, fam.servant_id)
    if not roles and not access.may_read_body(user, body):
        raise PermissionDenied(_("Not allowed: this is another servant's result."))
    act = getattr(fam, "refusal_act", None)
    today = clock.today()
    version = rules.version_of(body, fam.result.methodology_version, fam.result.approved_on)
    remote = rules.remote_channels(version, today)
    refuser = rules.refuser_channels(version, today)
    rule = rules.refusal_act(version, 1, 2, today)
    candidates = list(Servant.objects.filter(body=body).exclude(pk=fam.servant_id).order_by("last_name", "first_name"))
    absences = list(Absence.objects.filter(servant_id=fam.servant_id, end__gte=fam.result.approved_on)
                    .order_by("-start"))
    return FamiliarizationDetail(
        fam=fam, act=act, notices=list(fam.remote_notices.all()), roles=frozenset(roles),
        actions=[tr.action for tr in workflow.available(workflow.FAMILIARIZATION, fam.state, roles)],
        candidates=candidates,
        absences=absences, remote_channels=tuple(remote.value), remote_clause=remote.clause,
        refuser_channels=tuple(refuser.value), refuser_clause=refuser.clause,
        refusal_rule={"clause": rule.clause, "verified": rule.verified, "warnings": list(rule.warnings),
                      "form": rule.details.get("form")})


# -- the servant's own page ------------------------------------------------------------------------

@dataclass(frozen=True)
class Deadline:
    label: str
    on: dt.date
    rule: str
    clause: str
    done: bool


@dataclass(frozen=True)
class MyResult:
    result: FinalResult
    fam: Familiarization | None
    appeals: list[Appeal]
    appeal_by: rules.Due | None
    history: list[FinalResult]  # the results it superseded, oldest first


@dataclass(frozen=True)
class MyPage:
    servant: Servant | None
    participations: list[Participant]
    results: list[MyResult]
    deadlines: list[Deadline]
    appeals: list[Appeal]
    documents: list[dict[str, Any]]
    consequences: list[ConsequenceProposal]


def my_page(user: Any, body: StateBody) -> MyPage:
    """My plan, my sheets, my results with their clauses, my documents and deadlines, my appeals."""
    servant = access.servant_of(user, body)
    if servant is None:
        return MyPage(None, [], [], [], [], [], [])
    participations = list(Participant.objects.filter(body=body, servant=servant)
                          .select_related("cycle", "plan", "sheet").order_by("-cycle__period_start", "pk"))
    results = list(FinalResult.objects.filter(body=body, participant__servant=servant)
                   .select_related("cycle", "participant", "protocol", "familiarization")
                   .order_by("-approved_on", "-pk"))
    appeals = list(Appeal.objects.filter(body=body, servant=servant).select_related("result", "revised_result")
                   .order_by("-filed_at"))
    consequences = list(ConsequenceProposal.objects.filter(body=body, servant=servant).select_related("result"))
    by_result: dict[int, list[Appeal]] = {}
    for a in appeals:
        by_result.setdefault(a.result_id, []).append(a)
    chains: dict[int, FinalResult] = {r.superseded_by_id: r for r in results if r.superseded_by_id}
    out: list[MyResult] = []
    deadlines: list[Deadline] = []
    versions: dict[str, Any] = {}
    today = clock.today()
    for r in results:
        if r.superseded:
            continue
        history: list[FinalResult] = []
        cur = chains.get(r.pk)
        while cur is not None:
            history.insert(0, cur)
            cur = chains.get(cur.pk)
        fam = getattr(r, "familiarization", None)
        try:
            # A revised result is a new commission decision: its own window (S1-p.70).
            if r.methodology_version not in versions:
                versions[r.methodology_version] = rules.version_of(body, r.methodology_version, r.approved_on)
            appeal_by: rules.Due | None = rules.appeal_last_day(versions[r.methodology_version], r.approved_on)
        except ValidationError:  # a version with no appeal window: no date to show
            appeal_by = None
        if fam is not None:
            deadlines.append(Deadline(_("Sign your result by"), fam.due, fam.due_rule, fam.due_clause,
                                      fam.state in DONE))
        if appeal_by is not None:
            deadlines.append(Deadline(_("Appeal by"), appeal_by.on, appeal_by.rule, appeal_by.clause,
                                      today > appeal_by.on or bool(by_result.get(r.pk))))
        # The appeals against the results it superseded belong to its story too.
        mine = [a for x in (*history, r) for a in by_result.get(x.pk, [])]
        out.append(MyResult(r, fam, mine, appeal_by, history))
    documents = _documents(user, body, servant, participations, out, appeals)
    return MyPage(servant, participations, out, sorted(deadlines, key=lambda d: d.on), appeals, documents,
                  consequences)


def _documents(user: Any, body: StateBody, servant: Servant, participations: list[Participant],
               results: list[MyResult], appeals: list[Appeal]) -> list[dict[str, Any]]:
    """The servant's documents as the records they are (plan, sheet, protocol, refusal act,
    appeal), each with its page. The documents app lists generated files per form and object, not
    per servant; when it does, its list belongs here."""
    docs: list[dict[str, Any]] = []
    for p in participations:
        plan = getattr(p, "plan", None)
        sheet = getattr(p, "sheet", None)
        if plan is not None:
            docs.append({"kind": "plan", "label": _("Individual work plan"), "cycle": p.cycle, "url_name": "web:plan",
                         "pk": plan.pk})
        if sheet is not None:
            docs.append({"kind": "sheet", "label": _("KPI evaluation sheet"), "cycle": p.cycle,
                         "url_name": "web:sheet", "pk": sheet.pk})
    for mr in results:
        for r in [*mr.history, mr.result]:
            docs.append({"kind": "protocol", "label": _("Commission protocol No. %(n)s") % {"n": r.protocol.number},
                         "cycle": r.cycle, "url_name": "", "pk": r.protocol_id})
        if mr.fam is not None and getattr(mr.fam, "refusal_act", None) is not None:
            docs.append({"kind": "act", "label": _("Refusal act"), "cycle": mr.result.cycle,
                         "url_name": "web:outcomes_act", "pk": mr.fam.pk})
    for a in appeals:
        docs.append({"kind": "appeal", "label": _("Appeal of %(date)s") % {"date": a.filed_on.isoformat()},
                     "cycle": None, "url_name": "web:outcomes_appeal", "pk": a.pk})
    return docs


# -- appeals ---------------------------------------------------------------------------------------

def _appeals() -> QuerySet[Appeal]:
    return Appeal.objects.select_related("body", "servant", "result", "result__cycle", "result__participant",
                                         "reviewer", "revised_result")


def reviewer_appeals(user: Any, *, state: str | None = None) -> list[Appeal]:
    """The appeals addressed to the user, in any body where he holds the reviewer grant (an appeal
    of a body whose grant he no longer holds drops out). Without the grant anywhere: PermissionDenied,
    on the page and in the API alike."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Log in to see the appeals addressed to you."))
    bodies = access.require_reviewer(user, action=_("read the appeals addressed to you"))
    qs = _appeals().filter(reviewer=user, body_id__in=bodies)
    if state:
        qs = qs.filter(state=state)
    return list(qs.order_by("state", "-filed_at"))


def body_appeals(user: Any, body: StateBody) -> list[Appeal]:
    access.require_read_body(user, body)
    return list(_appeals().filter(body=body).order_by("-filed_at"))


@dataclass(frozen=True)
class AppealDetail:
    appeal: Appeal
    roles: frozenset[str]
    actions: list[str]
    outcomes: list[dict[str, Any]]
    history: list[FinalResult]


def appeal(user: Any, appeal_id: int, body: StateBody | None = None) -> AppealDetail:
    """One appeal, for the reviewer it is addressed to, the servant, or the body's readers."""
    a = _appeals().filter(pk=appeal_id).first()
    if a is None:
        raise Http404(_("No such appeal."))
    roles = access.appeal_roles(user, a)
    readable = workflow.REVIEWER in roles or (body is not None and a.body_id == body.pk
                                              and (workflow.SERVANT in roles or access.may_read_body(user, a.body)))
    if not readable:
        raise Http404(_("No such appeal."))
    version = rules.version_of(a.body, a.result.methodology_version, a.result.approved_on)
    history = list(FinalResult.objects.filter(body=a.body, participant_id=a.result.participant_id,
                                              method=a.result.method).order_by("created_at", "pk"))
    return AppealDetail(a, frozenset(roles), [tr.action for tr in workflow.available(workflow.APPEAL, a.state, roles)],
                        rules.outcome_codes(version), history)


def revisions_waiting(user: Any, body: StateBody) -> list[Appeal]:
    """Appeals whose result the commission must revise, for HR."""
    access.require_read_body(user, body)
    return list(_appeals().filter(body=body, state=AppealState.REVISION).order_by("reviewed_at"))


# -- consequences ----------------------------------------------------------------------------------

def consequences(user: Any, body: StateBody, *, servant_id: int | None = None, state: str | None = None
                 ) -> list[ConsequenceProposal]:
    access.require_read_body(user, body)
    qs = ConsequenceProposal.objects.filter(body=body).select_related(
        "servant", "result", "result__cycle", "proposed_by", "decided_by")
    if servant_id is not None:
        qs = qs.filter(servant_id=servant_id)
    if state:
        qs = qs.filter(state=state)
    return list(qs)


def proposable_results(user: Any, body: StateBody) -> list[FinalResult]:
    """Final, live results that may found a proposal."""
    access.require_read_body(user, body)
    return list(FinalResult.objects.filter(body=body, superseded=False).select_related("participant", "cycle")
                .order_by("participant__servant_name", "method", "pk"))


def court_cases(user: Any, body: StateBody) -> list[CourtCase]:
    access.require_read_body(user, body)
    return list(CourtCase.objects.filter(body=body).select_related("servant", "result")
                .prefetch_related("documents"))


def results_history(user: Any, body: StateBody, participant_id: int) -> list[FinalResult]:
    """Every final result of one participant, superseded ones included (never deleted), for the
    body's readers and for the servant whose participation it is (the same results his own page
    shows). Anyone else is refused before the id is looked up, so a refusal tells nothing of it."""
    own = access.servant_of(user, body)
    if own is None or not Participant.objects.filter(body=body, pk=participant_id, servant=own).exists():
        access.require_read_body(user, body)
    if not Participant.objects.filter(body=body, pk=participant_id).exists():
        raise Http404(_("No such participant in this state body."))  # another body's: not an empty history
    return list(FinalResult.objects.filter(body=body, participant_id=participant_id)
                .select_related("protocol", "participant").order_by("created_at", "pk"))


__all__ = ["BoardRow", "MyPage", "appeal", "board", "body_appeals", "consequences", "court_cases",
           "familiarization", "my_page", "proposable_results", "results_history", "reviewer_appeals",
           "revisions_waiting"]
