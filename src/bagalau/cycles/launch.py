"""Who a launched cycle evaluates, how, and with which snapshot of the organisation.

`plan_launch` reads the body's appointments, absences and reporting lines and asks the rules core
three questions per servant, keeping every answer with its clause:

* `eligibility.is_evaluable`: less than one month in the position during the period means no
  evaluation (S1-p.6);
* `eligibility.participation`: an absence during the period means the evaluation runs without the
  servant's participation, never that it is postponed (S1-p.6);
* `eligibility.methods_for`: the methods of the servant's group, by the head flag.

It writes nothing: `preview_launch` shows HR its result, `launch_cycle` stores it. Only servants of
this body holding a position at some time in the period are considered. The first head is included
with no superior and a note, because no version file says whether he is evaluated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bagalau.cycles.errors import core_error
from bagalau.cycles.models import EvaluationCycle, ParticipantStatus, Participation, ReviewerKind, Track
from bagalau.methodology import eligibility, review
from bagalau.methodology.errors import MethodologyError
from bagalau.methodology.model import MethodologyVersion
from bagalau.orgs.models import Absence, AbsenceKind, Appointment, Servant
from bagalau.orgs.reporting import OrgSnapshot, ReportingLine

# The orgs absence kinds in the core's vocabulary (methodology.parameters.ABSENCES).
CORE_ABSENCE = {
    AbsenceKind.ANNUAL_LEAVE: "annual_leave",
    AbsenceKind.SOCIAL_LEAVE: "social_leave",
    AbsenceKind.SICK_LEAVE: "temporary_incapacity",
    AbsenceKind.BUSINESS_TRIP: "business_trip",
    AbsenceKind.TRAINING: "professional_development",
}

LESS_THAN_MIN_TIME = "less_than_min_time_in_position"


@dataclass
class ParticipantDraft:
    """One row of the launch: what `Participant` will hold. Plain values, for the preview page."""

    servant: Servant
    status: str
    track: str
    appointment: Appointment
    line: ReportingLine
    line_on: dt.date
    exclusion_reason: str = ""
    exclusion_clause: str = ""
    participation: str = ""
    participation_clause: str = ""
    absence_kinds: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    methods_clause: str = ""
    plan_approver: Servant | None = None
    plan_approver_kind: str = ""
    plan_approver_clause: str = ""
    sheet_reviewer: Servant | None = None
    sheet_reviewer_kind: str = ""
    sheet_reviewer_clause: str = ""
    authorized_person: Servant | None = None
    decisions: dict[str, Any] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_evaluated(self) -> bool:
        return self.status == ParticipantStatus.EVALUATED

    def snapshot_fields(self) -> dict[str, Any]:
        """The Participant fields of the snapshot (copied values and foreign keys)."""
        pos = self.appointment.position
        unit = pos.unit
        line = self.line

        def name(s: Servant | None) -> str:
            return s.full_name if s else ""

        return {
            "servant": self.servant, "servant_name": self.servant.full_name,
            "position": pos, "position_code": pos.code, "position_title_kk": pos.title_kk,
            "position_title_ru": pos.title_ru, "unit": unit, "unit_code": unit.code,
            "unit_name_kk": unit.name_kk, "unit_name_ru": unit.name_ru, "category": pos.category,
            "is_head_of_unit": pos.is_head_of_unit, "appointment_start": self.appointment.start,
            "appointment_end": self.appointment.end, "line_on": self.line_on,
            "direct_manager": line.direct_manager, "direct_manager_name": name(line.direct_manager),
            "direct_source": line.direct_source,
            "superior_manager": line.superior_manager, "superior_manager_name": name(line.superior_manager),
            "first_head": line.first_head, "first_head_name": name(line.first_head),
            "authorized_person": self.authorized_person, "authorized_person_name": name(self.authorized_person),
            "first_head_is_direct": line.first_head_is_direct, "line_clause": line.clause,
            "status": self.status, "track": self.track, "exclusion_reason": self.exclusion_reason,
            "exclusion_clause": self.exclusion_clause, "participation": self.participation,
            "participation_clause": self.participation_clause, "absence_kinds": self.absence_kinds,
            "methods": self.methods, "methods_clause": self.methods_clause,
            "plan_approver": self.plan_approver, "plan_approver_kind": self.plan_approver_kind,
            "plan_approver_clause": self.plan_approver_clause, "sheet_reviewer": self.sheet_reviewer,
            "sheet_reviewer_kind": self.sheet_reviewer_kind, "sheet_reviewer_clause": self.sheet_reviewer_clause,
            "decisions": self.decisions, "notes": self.notes,
        }


@dataclass
class LaunchPlan:
    cycle: EvaluationCycle
    version_id: str
    snapshot_on: dt.date
    participants: list[ParticipantDraft]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {"considered": len(self.participants)}
        for p in self.participants:
            out[p.status] = out.get(p.status, 0) + 1
            out[f"track_{p.track}"] = out.get(f"track_{p.track}", 0) + 1
            if p.participation == Participation.WITHOUT:
                out["without_participation"] = out.get("without_participation", 0) + 1
        return out


# What HR is told about a participant, by note code (English msgids; `describe_note` renders one
# in the reader's language from its stored params, so a note stored at launch reads in kk and ru).
NOTE_TEXTS = {
    LESS_THAN_MIN_TIME: gettext_noop(
        "Held the position for less than %(months)s month(s) in the period (counted from %(start)s; the "
        "minimum would be reached on %(reached)s): not evaluated."),
    "without_participation": gettext_noop(
        "Absent during the period (%(kinds)s): evaluated without participation, not postponed; familiarize "
        "remotely."),
    "first_head_included": gettext_noop(
        "The methodology version does not say whether the first head is evaluated: included, with no manager "
        "and no superior level; HR decides."),
    "no_direct_manager": gettext_noop(
        "No direct manager in the snapshot: nobody can draft the individual work plan. Set a reporting line "
        "override before launching."),
    "no_plan_reviewer": gettext_noop("No %(who)s in the snapshot to approve the plan: HR must see to it."),
    "no_sheet_reviewer": gettext_noop("No %(who)s in the snapshot to review the sheet: HR must see to it."),
}


def _note(code: str, clause: str = "", **params: Any) -> dict[str, Any]:
    with translation.override("en"):
        message = _(NOTE_TEXTS[code]) % params if params else _(NOTE_TEXTS[code])
    return {"code": code, "clause": clause, "params": params, "message": message}


def describe_note(note: dict[str, Any]) -> str:
    """A launch note in the active language, with its clause."""
    template = NOTE_TEXTS.get(note.get("code", ""))
    if template is None:
        return note.get("message", "")
    params = note.get("params") or {}
    text = _(template) % params if params else _(template)
    return f"{text} ({note['clause']})" if note.get("clause") else text


def _clamp(day: dt.date, start: dt.date, end: dt.date | None) -> dt.date:
    day = max(day, start)
    return min(day, end) if end is not None else day


def plan_launch(cycle: EvaluationCycle, version: MethodologyVersion, today: dt.date) -> LaunchPlan:
    """The participants of `cycle` under `version`, judged on `today` (the day of the launch)."""
    start, end = cycle.period_start, cycle.period_end
    body = cycle.body
    snapshot_on = _clamp(today, start, end)
    # The position held last within the period is "the specific position" of S1-p.6.
    latest: dict[int, Appointment] = {}
    for a in (Appointment.objects.filter(body=body, start__lte=end).exclude(end__lt=start)
              .select_related("servant", "position__unit").order_by("servant_id", "start", "pk")):
        latest[a.servant_id] = a
    absences: dict[int, list[eligibility.Absence]] = {}
    for ab in Absence.objects.filter(body=body, start__lte=end, end__gte=start).order_by("start"):
        absences.setdefault(ab.servant_id, []).append(
            eligibility.Absence(CORE_ABSENCE[AbsenceKind(ab.kind)], ab.start, ab.end))
    authorized = Servant.objects.filter(pk=body.authorized_person_id).first() if body.authorized_person_id else None
    snapshots: dict[dt.date, OrgSnapshot] = {}
    ask = _Answers(version, today)

    drafts: list[ParticipantDraft] = []
    try:
        for servant_id, appt in sorted(latest.items(), key=lambda kv: (kv[1].servant.full_name, kv[0])):
            line_on = _clamp(snapshot_on, appt.start, appt.end)
            snap = snapshots.get(line_on) or snapshots.setdefault(line_on, OrgSnapshot(body, line_on))
            line = snap.line(appt.servant)
            drafts.append(_judge(ask, version, cycle, appt, line, line_on, absences.get(servant_id, []),
                                 authorized))
    except MethodologyError as exc:
        raise core_error(exc, "methodology_version") from exc
    return LaunchPlan(cycle=cycle, version_id=version.id, snapshot_on=snapshot_on, participants=drafts)


class _Answers:
    """The core's answers for one launch. Each rule is a pure function of (version, inputs, day),
    and a body's servants share most inputs (the period, the head flag, no absence), so each
    distinct question is asked once and its answer, with its JSON form, reused for every servant
    who asks it."""

    def __init__(self, version: MethodologyVersion, today: dt.date) -> None:
        self.version, self.today = version, today
        self.known: dict[tuple[Any, ...], tuple[Any, dict[str, Any]]] = {}

    def __call__(self, rule: Any, *args: Any) -> tuple[Any, dict[str, Any]]:
        """(decision, decision.as_dict()) of rule(version, *args, on=today)."""
        key = (rule, *args)
        if key not in self.known:
            decision = rule(self.version, *args, on=self.today)
            self.known[key] = (decision, decision.as_dict())
        return self.known[key]


def _evaluable(version: MethodologyVersion, position_start: dt.date, start: dt.date, end: dt.date,
               left_on: dt.date | None, *, on: dt.date) -> Any:
    return eligibility.is_evaluable(version, position_start, start, end, left_on=left_on, on=on)


def _judge(ask: _Answers, version: MethodologyVersion, cycle: EvaluationCycle, appt: Appointment,
           line: ReportingLine, line_on: dt.date, absences: list[eligibility.Absence],
           authorized: Servant | None) -> ParticipantDraft:
    start, end = cycle.period_start, cycle.period_end
    left_on = appt.end if appt.end is not None and appt.end <= end else None
    evaluable, evaluable_json = ask(_evaluable, appt.start, start, end, left_on)
    draft = ParticipantDraft(servant=appt.servant, status=ParticipantStatus.EVALUATED, track=Track.KPI,
                             appointment=appt, line=line, line_on=line_on, authorized_person=authorized)
    draft.decisions["evaluable"] = evaluable_json
    if not evaluable.value:
        draft.status, draft.track = ParticipantStatus.EXCLUDED, Track.EXCLUDED
        draft.exclusion_reason, draft.exclusion_clause = LESS_THAN_MIN_TIME, evaluable.clause
        draft.notes.append(_note(
            LESS_THAN_MIN_TIME, evaluable.clause, months=evaluable.details["min_months"],
            start=evaluable.details["counted_from"].isoformat(),
            reached=evaluable.details["minimum_reached_on"].isoformat()))
        return draft

    taking_part, draft.decisions["participation"] = ask(eligibility.participation, tuple(absences), start, end)
    draft.participation = (Participation.WITHOUT if taking_part.value == eligibility.WITHOUT_PARTICIPATION
                           else Participation.WITH)
    draft.participation_clause = taking_part.clause
    draft.absence_kinds = list(taking_part.details["absences_during_evaluation"])
    if draft.participation == Participation.WITHOUT:
        draft.notes.append(_note("without_participation", taking_part.clause, kinds=", ".join(draft.absence_kinds)))

    methods, draft.decisions["methods"] = ask(eligibility.methods_for, appt.position.is_head_of_unit)
    draft.methods, draft.methods_clause = list(methods.value), methods.clause
    if "kpi" not in draft.methods:
        draft.track = Track.OTHER_METHODS
    is_first_head = line.first_head is not None and line.first_head.pk == appt.servant_id
    if is_first_head:
        draft.notes.append(_note("first_head_included"))
    if line.direct_manager is None:
        if draft.track == Track.KPI:
            draft.track = Track.BLOCKED
        draft.notes.append(_note("no_direct_manager", version.param("deadlines.iwp_due").clause))
        return draft

    # Who approves the plan and who reviews the sheet: the superior manager, or the first head when
    # he is the direct manager (S1-p.45/46, S1-p.51/52). Asked separately: a version may differ.
    for kind, prefix, rule in (("plan", "plan_approver", review.plan_approver),
                               ("sheet", "sheet_reviewer", review.sheet_reviewer)):
        decision, draft.decisions[prefix] = ask(rule, line.first_head_is_direct)
        who = line.first_head if decision.value == ReviewerKind.FIRST_HEAD else line.superior_manager
        setattr(draft, prefix, who)
        setattr(draft, f"{prefix}_kind", decision.value)
        setattr(draft, f"{prefix}_clause", decision.clause)
        if who is None and draft.track == Track.KPI:
            draft.notes.append(_note(f"no_{kind}_reviewer", decision.clause, who=decision.value))
    return draft
