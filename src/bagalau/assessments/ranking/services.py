"""Writes of the ranking lists. Every function: locks the row of this body (another body's id is
not found, Http404), checks the actor's role on the list (PermissionDenied), compares the caller's
`expected_version` (cycles.errors.Conflict), asks the transition table (IllegalTransition),
validates through the rules core before writing, writes in one transaction, records an audit
event citing the clause of the body's effective version, and opens/closes the work items.

Grading rules come from the effective version (the shipped one with the body's own parameters,
`lawbook.selectors.version_named`): a version that leaves the ranking unfilled refuses to prepare
lists, naming every missing setting (spec 5.2, Q-01).

* Saving grades refuses a label off the scale and a quota breach, naming the clause; the quota is
  a share of the whole group, so a half-graded list is checked against its full size.
* Signing needs every servant graded and the whole check to pass: the group size (a unit of one:
  refused, or graded without quotas when the version's `small_group` says so) and the tie rule.
* Servants absent during the evaluation are graded like the others, without their participation
  (S1-p.6); the entry shows it with the participation clause of the snapshot.
* A return by the superior gives the evaluator `sheet_resubmission_due` to sign again, as for the
  KPI evaluation sheet; HR submits within `hr_to_commission_due` (S1-p.56).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bagalau.assessments.ranking import access, steps, workflow
from bagalau.assessments.ranking.models import ListState, RankingEntry, RankingList, RankingSignature
from bagalau.audit.services import record_event
from bagalau.commission.models import ItemMethod, ItemState
from bagalau.commission.services.sources import WaitingResult
from bagalau.cycles import clock, dues
from bagalau.cycles.access import servant_id_of
from bagalau.cycles.content import canonical, sha256
from bagalau.cycles.errors import Conflict, core_error
from bagalau.cycles.models import CycleState, EvaluationCycle, Participant, ParticipantStatus
from bagalau.lawbook.selectors import version_named
from bagalau.methodology import ranking as rules
from bagalau.methodology.errors import MethodologyError
from bagalau.methodology.model import MethodologyVersion
from bagalau.orgs.models import Servant, StateBody
from bagalau.workflow import IllegalTransition, Transition, clause_of

ACTION_LABELS = {
    "edit": gettext_lazy("grade the servants"), "sign": gettext_lazy("sign the ranking list"),
    "agree": gettext_lazy("agree with the ranking list"), "return": gettext_lazy("return the ranking list"),
    "forward": gettext_lazy("submit the ranking list to the Commission"),
}


def effective_version(cycle: EvaluationCycle) -> MethodologyVersion:
    """The version the cycle is pinned to, with the body's own parameters (its ranking block)."""
    return version_named(cycle.body, cycle.methodology_version, on=cycle.period_start)


def _settings(version: MethodologyVersion, field: str = "ranking") -> dict[str, Any]:
    try:
        return rules.settings(version, clock.today())[1]
    except MethodologyError as exc:
        raise core_error(exc, field) from exc


# -- preparing the lists ----------------------------------------------------------------------------


@dataclass
class Prepared:
    lists: list[RankingList] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)  # {participant, servant_name, reason}


def _groups(version: MethodologyVersion, participants: list[Participant]) -> tuple[dict[str, list[Participant]],
                                                                                     list[dict[str, Any]]]:
    s = _settings(version)
    groups: dict[str, list[Participant]] = {}
    skipped = []
    for p in participants:
        if p.direct_manager_id is None:  # the evaluator is the snapshot's direct manager (ranking.rater_role)
            skipped.append({"participant": p.pk, "servant_name": p.servant_name, "reason": "no_evaluator"})
            continue
        unit = str(p.unit_id) if s["group"] == "unit" else "body"
        groups.setdefault(f"{unit}:{p.direct_manager_id}", []).append(p)
    return groups, skipped


@transaction.atomic
def prepare_lists(actor: Any, body: StateBody, cycle_id: int) -> Prepared:
    """HR creates the ranking lists of a launched cycle: one per group (the snapshot unit, or the
    whole body, and its evaluator) of the participants evaluated by ranking, and opens the
    evaluator's work item. Run again, it only adds participants not yet in a list."""
    access.require_hr(actor, body, action=_("prepare the ranking lists"))
    cycle = EvaluationCycle.objects.select_for_update().filter(body=body, pk=cycle_id).first()
    if cycle is None:
        raise Http404(_("No such cycle in this state body."))
    if cycle.state != CycleState.LAUNCHED:
        raise ValidationError({"cycle": _("Ranking lists are prepared for a launched cycle; this one is %(state)s.")
                               % {"state": cycle.get_state_display()}})
    version = effective_version(cycle)
    s = _settings(version)
    clause = version.param("ranking").clause
    participants = [p for p in Participant.objects.filter(body=body, cycle=cycle, status=ParticipantStatus.EVALUATED)
                    .filter(ranking_entry__isnull=True).select_related("unit")
                    .order_by("unit_code", "servant_name", "pk")
                    if "ranking" in (p.methods or [])]
    groups, skipped = _groups(version, participants)
    out = Prepared(skipped=skipped)
    managers = {m.pk: m for m in Servant.objects.filter(
        body=body, pk__in={p.direct_manager_id for ps in groups.values() for p in ps}).select_related("user")}
    for key, members in groups.items():
        first = members[0]
        found = RankingList.objects.filter(cycle=cycle, group_key=key).first()
        created = found is None
        manager_id: int = first.direct_manager_id  # type: ignore[assignment]  # grouped only with a manager
        if found is None:
            ranking_list = RankingList.objects.create(
                body=body, cycle=cycle, group_key=key, unit=first.unit if s["group"] == "unit" else None,
                unit_code=first.unit_code if s["group"] == "unit" else "",
                unit_name_kk=first.unit_name_kk if s["group"] == "unit" else "",
                unit_name_ru=first.unit_name_ru if s["group"] == "unit" else "",
                evaluator_id=manager_id, evaluator_name=first.direct_manager_name,
                reviewer_id=first.sheet_reviewer_id,
                reviewer_name=(first.superior_manager_name if first.sheet_reviewer_id == first.superior_manager_id
                               else first.first_head_name) if first.sheet_reviewer_id else "",
                rater_clause=clause, updated_by=actor,
            )
        else:
            ranking_list = found
        if not created and ranking_list.state != ListState.DRAFT:
            raise ValidationError({"cycle": _("The ranking list of %(unit)s is already signed; new participants "
                                              "cannot be added to it.") % {"unit": ranking_list.unit_name_kk}})
        RankingEntry.objects.bulk_create([
            RankingEntry(ranking_list=ranking_list, body=body, participant=p, servant_name=p.servant_name)
            for p in members])
        _check(ranking_list, version)
        ranking_list.save()
        record_event(action="ranking.list.prepare" if created else "ranking.list.extend", obj=ranking_list,
                     actor=actor, role=workflow.HR, body_id=body.pk, to_state=ranking_list.state, clause=clause,
                     payload={"cycle": cycle.pk, "participants": [p.pk for p in members],
                              "evaluator": ranking_list.evaluator_id, "reviewer": ranking_list.reviewer_id,
                              "methodology_version": version.id})
        if created:
            steps.open_step(ranking_list, "ranking.grade", dues.Due.none(),
                            servant=managers.get(manager_id))
        out.lists.append(ranking_list)
    if skipped:
        record_event(action="ranking.list.skipped", obj=cycle, actor=actor, role=workflow.HR, body_id=body.pk,
                     clause=clause, payload={"skipped": skipped})
    return out


# -- the moves ----------------------------------------------------------------------------------------


@dataclass
class Move:
    ranking_list: RankingList
    role: str
    transition: Transition | None  # None: a repeat of the action that already moved the list
    from_state: str

    @property
    def repeated(self) -> bool:
        return self.transition is None


def _begin(actor: Any, body: StateBody, list_id: int, action: str, expected_version: int | None) -> Move:
    ranking_list = (RankingList.objects.select_for_update(of=("self",)).select_related("cycle", "body")
                    .filter(body=body, pk=list_id).first())
    if ranking_list is None:
        raise Http404(_("No such ranking list in this state body."))
    role = workflow.LIST_TABLE.role_for(action)
    access.require(actor, body, ranking_list, role, action=str(ACTION_LABELS[action]))
    if (action != "edit" and ranking_list.last_action == action
            and ranking_list.state in workflow.LIST_TABLE.targets(action)):
        return Move(ranking_list, role, None, ranking_list.state)
    if expected_version is None or int(expected_version) != ranking_list.version:
        who = ranking_list.updated_by.get_username() if ranking_list.updated_by is not None else ""
        raise Conflict(who=who, when=ranking_list.updated_at, current_version=ranking_list.version)
    if ranking_list.cycle.state != CycleState.LAUNCHED:
        raise IllegalTransition("cycle", ranking_list.cycle.state, action, role)
    transition = workflow.fire(workflow.RANKING, ranking_list.state, action, role)[0]
    return Move(ranking_list, role, transition, ranking_list.state)


def _finish(move: Move, *, actor: Any, version: MethodologyVersion, update: dict[str, Any],
            payload: dict[str, Any] | None = None) -> None:
    ranking_list = move.ranking_list
    assert move.transition is not None
    for name, value in update.items():
        setattr(ranking_list, name, value)
    ranking_list.state = move.transition.target
    ranking_list.version += 1
    ranking_list.last_action = move.transition.action
    ranking_list.updated_by = actor
    ranking_list.save()
    record_event(action=f"ranking.list.{move.transition.action}", obj=ranking_list, actor=actor, role=move.role,
                 body_id=ranking_list.body_id, from_state=move.from_state, to_state=ranking_list.state,
                 clause=clause_of(version, move.transition),
                 payload={"version": ranking_list.version, "cycle": ranking_list.cycle_id, **(payload or {})})


def _entries(ranking_list: RankingList) -> list[RankingEntry]:
    return list(ranking_list.entries.select_related("participant").order_by("servant_name", "pk"))


def _check(ranking_list: RankingList, version: MethodologyVersion,
           entries: list[RankingEntry] | None = None) -> rules.Decision:
    """The core's check of the grades given so far against the whole group, stored on the list."""
    entries = entries if entries is not None else _entries(ranking_list)
    grades = {str(e.pk): e.grade for e in entries if e.grade}
    try:
        decision = rules.validate_ranking(version, grades, clock.today(), group_size=len(entries))
    except MethodologyError as exc:
        raise core_error(exc, "grades") from exc
    ranking_list.check_value, ranking_list.check_clause = decision.value, decision.clause
    ranking_list.check_verified, ranking_list.check_decision = decision.verified, decision.as_dict()
    return decision


def _problems_text(decision: rules.Decision, codes: tuple[str, ...] | None = None) -> str:
    return " ".join(f"{p.message} ({p.clause})." for p in decision.problems if codes is None or p.code in codes)


def _int_or_none(value: Any, key: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError({key: _("A whole number is expected.")})
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({key: _("A whole number is expected.")}) from None
    if not 1 <= number <= 999:
        raise ValidationError({key: _("Must be between %(low)s and %(high)s.") % {"low": 1, "high": 999}})
    return number


@transaction.atomic
def save_grades(actor: Any, body: StateBody, list_id: int, *, grades: Mapping[Any, Mapping[str, Any]],
                expected_version: int) -> RankingList:
    """The evaluator gives each servant a grade of the scale (and, where ties must be broken, an
    order within the grade). `grades` maps entry id -> {"grade": label or "", "order": n or None};
    entries not named keep their values. Refused, with nothing written, when a label is off the
    scale or a quota is breached (the message names the clause)."""
    move = _begin(actor, body, list_id, "edit", expected_version)
    ranking_list = move.ranking_list
    version = effective_version(ranking_list.cycle)
    s = _settings(version, "grades")
    entries = _entries(ranking_list)
    by_id = {str(e.pk): e for e in entries}
    if not isinstance(grades, Mapping):
        raise ValidationError({"grades": _("A set of grades by entry is expected.")})
    errors: dict[str, str] = {}
    for key, given in grades.items():
        entry = by_id.get(str(key))
        if entry is None:
            errors[f"grades-{key}"] = _("This servant is not in the ranking list.")
            continue
        if not isinstance(given, Mapping) or set(given) - {"grade", "order"}:
            errors[f"grades-{key}"] = _("Each grade is given as a grade and an optional order.")
            continue
        grade = given.get("grade", entry.grade) or ""
        if grade and grade not in s["scale"]:
            errors[f"grades-{key}-grade"] = _("%(grade)s is not on the ranking scale (%(scale)s) (%(clause)s).") % {
                "grade": grade, "scale": ", ".join(s["scale"]), "clause": version.param("ranking").clause}
            continue
        try:
            entry.order = _int_or_none(given.get("order", entry.order), f"grades-{key}-order")
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
            continue
        entry.grade = grade
    if errors:
        raise ValidationError(errors)
    decision = _check(ranking_list, version, entries)
    quota = _problems_text(decision, ("ranking_quota", "ranking_label"))
    if quota:
        raise ValidationError({"grades": _("The grades breach the ranking rules: %(problems)s")
                               % {"problems": quota}})
    for e in entries:
        e.position = None
    RankingEntry.objects.bulk_update(entries, ["grade", "order", "position"])
    _finish(move, actor=actor, version=version, update={},
            payload={"grades": {str(e.participant_id): e.grade for e in entries if e.grade},
                     "check": decision.value, "check_clause": decision.clause})
    return ranking_list


def content(ranking_list: RankingList, entries: list[RankingEntry]) -> dict[str, Any]:
    """What a signature covers: the group, its evaluator and each servant's grade and position."""
    return {
        "document": "ranking_list", "id": ranking_list.pk, "cycle": ranking_list.cycle_id,
        "unit": ranking_list.unit_code, "evaluator": ranking_list.evaluator_id,
        "entries": [{"participant": e.participant_id, "servant": e.servant_name, "grade": e.grade,
                     "order": e.order, "position": e.position}
                    for e in sorted(entries, key=lambda e: e.participant_id)],
        "check": {"value": ranking_list.check_value, "clause": ranking_list.check_clause},
    }


def _sign(actor: Any, body: StateBody, ranking_list: RankingList, role: str, action: str,
          entries: list[RankingEntry]) -> RankingSignature:
    text = canonical(content(ranking_list, entries))
    sid = servant_id_of(actor, body)
    servant = Servant.objects.filter(pk=sid).first() if sid else None
    return RankingSignature.objects.create(
        body=body, ranking_list=ranking_list, user=actor, servant=servant,
        signer_name=servant.full_name if servant else (actor.get_full_name() or actor.get_username()),
        role=role, action=action, signed_at=clock.now(), content=text, content_sha256=sha256(text))


@transaction.atomic
def sign_list(actor: Any, body: StateBody, list_id: int, *, expected_version: int) -> RankingList:
    """The evaluator signs the fully graded list and sends it to the superior."""
    move = _begin(actor, body, list_id, "sign", expected_version)
    ranking_list = move.ranking_list
    if move.repeated:
        return ranking_list
    version = effective_version(ranking_list.cycle)
    entries = _entries(ranking_list)
    missing = {f"grades-{e.pk}-grade": _("%(name)s has no grade.") % {"name": e.servant_name}
               for e in entries if not e.grade}
    if missing:
        raise ValidationError(missing)
    decision = _check(ranking_list, version, entries)
    if decision.problems:
        raise ValidationError({"grades": _("The list cannot be signed: %(problems)s")
                               % {"problems": _problems_text(decision)}})
    try:
        placed = rules.positions(version, {str(e.pk): e.grade for e in entries},
                                 {str(e.pk): e.order for e in entries}, clock.today())
    except MethodologyError as exc:
        raise core_error(exc, "grades") from exc
    if placed.problems:
        raise ValidationError({"order": _("The list cannot be signed: %(problems)s")
                               % {"problems": _problems_text(placed)}})
    for e in entries:
        e.position = placed.value[str(e.pk)]
    RankingEntry.objects.bulk_update(entries, ["position"])
    code = "ranking.correct" if move.from_state == ListState.RETURNED else "ranking.grade"
    _finish(move, actor=actor, version=version, update={"signed_at": clock.now(), **dues.Due.none().fields()},
            payload={"check": decision.value, "warnings": list(decision.warnings),
                     "positions": {str(e.participant_id): e.position for e in entries}})
    _sign(actor, body, ranking_list, move.role, "sign", entries)
    steps.close_steps(ranking_list, actor, code)
    steps.open_step(ranking_list, "ranking.review", dues.Due.none(), servant=ranking_list.reviewer)
    return ranking_list


@transaction.atomic
def agree_list(actor: Any, body: StateBody, list_id: int, *, expected_version: int) -> RankingList:
    """The superior agrees and signs; HR must submit within hr_to_commission_due (S1-p.56)."""
    move = _begin(actor, body, list_id, "agree", expected_version)
    ranking_list = move.ranking_list
    if move.repeated:
        return ranking_list
    version = effective_version(ranking_list.cycle)
    due = dues.compute(version, dues.HR_TO_COMMISSION_DUE, clock.today())
    _finish(move, actor=actor, version=version, update={"agreed_at": clock.now(), **due.fields()},
            payload=due.payload())
    _sign(actor, body, ranking_list, move.role, "agree", _entries(ranking_list))
    steps.close_steps(ranking_list, actor, "ranking.review")
    steps.open_step(ranking_list, "ranking.forward", due, hr=True)
    return ranking_list


@transaction.atomic
def return_list(actor: Any, body: StateBody, list_id: int, *, expected_version: int, reason: str) -> RankingList:
    """The superior returns the list with a reason; the evaluator signs again within
    sheet_resubmission_due, as for a returned evaluation sheet (S1-p.55)."""
    move = _begin(actor, body, list_id, "return", expected_version)
    ranking_list = move.ranking_list
    if move.repeated:
        return ranking_list
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise ValidationError({"reason": _("Say why the list is returned.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": 2000}})
    version = effective_version(ranking_list.cycle)
    due = dues.compute(version, dues.SHEET_RESUBMISSION_DUE, clock.today(), field_name="reason")
    _finish(move, actor=actor, version=version,
            update={"return_reason": reason, "times_returned": ranking_list.times_returned + 1, **due.fields()},
            payload={"reason": reason, **due.payload()})
    steps.close_steps(ranking_list, actor, "ranking.review")
    steps.open_step(ranking_list, "ranking.correct", due, servant=ranking_list.evaluator)
    return ranking_list


@transaction.atomic
def forward_list(actor: Any, body: StateBody, list_id: int, *, expected_version: int) -> RankingList:
    """HR submits the agreed list to the Commission (S1-p.56): each servant's grade waits for the
    next meeting's agenda (commission.services.sources); the event says if it was late."""
    move = _begin(actor, body, list_id, "forward", expected_version)
    ranking_list = move.ranking_list
    if move.repeated:
        return ranking_list
    version = effective_version(ranking_list.cycle)
    late = {}
    if ranking_list.due_on is not None:
        late = {"step_due": ranking_list.due_on.isoformat(), "late": clock.today() > ranking_list.due_on}
    _finish(move, actor=actor, version=version, update={"forwarded_at": clock.now(), **dues.Due.none().fields()},
            payload=late)
    steps.close_steps(ranking_list, actor, "ranking.forward")
    return ranking_list


# -- the Commission's agenda ---------------------------------------------------------------------------


def waiting_for_commission(body: StateBody, cycle_id: int) -> list[Any]:
    """The grades of submitted lists on no live agenda (a withdrawn item frees its entry), as the
    Commission's agenda takes them (commission.services.sources, registered in apps.py)."""
    entries = (RankingEntry.objects.filter(body=body, ranking_list__cycle_id=cycle_id,
                                           ranking_list__state=ListState.SUBMITTED_TO_COMMISSION)
               .filter(Q(agenda_item__isnull=True) | Q(agenda_item__state=ItemState.WITHDRAWN))
               .select_related("participant", "ranking_list")
               .order_by("participant__unit_code", "participant__servant_name", "pk"))

    def linker(entry: RankingEntry) -> Any:
        def link(item: Any) -> None:
            entry.agenda_item = item
            entry.save(update_fields=["agenda_item"])
        return link

    return [WaitingResult(participant=e.participant, method=ItemMethod.RANKING, result=e.grade,
                          clause=e.ranking_list.check_clause, link=linker(e)) for e in entries]
