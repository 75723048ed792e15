"""Appeals to the authorized body for civil service affairs, and the court (S1-p.70-71).

* The servant files (`file_appeal`): the last day is counted from the commission's decision, i.e.
  the day the authorized person approved it into the protocol (S1-p.67), not from familiarization
  (Q-08). A late appeal is recorded and flagged, never refused: admissibility is the authorized
  body's call (spec 9). It is addressed to one appeal reviewer of the body's authorized body or
  territorial department (a holder of the Appeal reviewer grant), who alone sees it.
* The reviewer records the outcome (`decide_appeal`), one of the version's outcomes (S1-p.70). A
  recommendation to cancel and revise reopens the case: the result is marked reopened in the
  commission, HR is asked to put it before the commission again, and when the revised result is
  approved the old one is kept as superseded and the appeal is closed as revised.
* A court challenge (S1-p.71) is recorded by HR as a status with its documents.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bagalau.audit.services import record_event
from bagalau.commission.models import FinalResult
from bagalau.commission.services.reopen import reopen_result
from bagalau.cycles import clock
from bagalau.orgs.models import Role, RoleGrant, StateBody
from bagalau.outcomes import access, notices, rules, uploads, workflow
from bagalau.outcomes.models import (
    Appeal,
    AppealState,
    AppealVenue,
    CourtCase,
    CourtDocument,
    CourtStatus,
    Familiarization,
)
from bagalau.outcomes.services._base import check_version, move, text

# The outcome of S1-p.70 that sends the case back to the commission.
REVISE_OUTCOME = "recommend_cancel_and_revise"


def reviewers(body: StateBody) -> list[Any]:
    """The appeal reviewers an appeal from this body may be addressed to."""
    ids = RoleGrant.objects.filter(body=body, role=Role.APPEAL_REVIEWER, user__is_active=True).values("user_id")
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(pk__in=ids).order_by("last_name", "first_name", "username"))


@transaction.atomic
def file_appeal(actor: Any, body: StateBody, result_id: int, *, venue: str, reviewer_id: Any,
                grounds: str) -> Appeal:
    """The servant appeals the approved result; the timeliness is recorded (S1-p.70)."""
    result = (FinalResult.objects.select_for_update(of=("self",)).select_related("participant")
              .filter(body=body, pk=result_id).first())
    if result is None:
        raise Http404(_("No such final result in this state body."))
    roles = access.doc_roles(actor, body, result.participant.servant_id)
    access.require(roles, {workflow.SERVANT}, action=_("only the servant appeals their own result"))
    if result.superseded:
        raise ValidationError({"result": _("This result has been replaced by a revised one; appeal that one.")})
    if Appeal.objects.filter(result=result, state__in=[AppealState.FILED, AppealState.REVISION]).exists():
        raise ValidationError({"result": _("An appeal against this result is already under review.")})
    today = clock.today()
    version = rules.version_of(body, result.methodology_version, result.approved_on)
    allowed = rules.venues(version, today)
    if venue not in allowed.value or venue not in AppealVenue.values:
        raise ValidationError({"venue": _("An appeal goes to %(allowed)s (%(clause)s).")
                               % {"allowed": ", ".join(str(AppealVenue(v).label) for v in allowed.value
                                                       if v in AppealVenue.values), "clause": allowed.clause}})
    candidates = {u.pk: u for u in reviewers(body)}
    if isinstance(reviewer_id, bool) or not isinstance(reviewer_id, int) or reviewer_id not in candidates:
        raise ValidationError({"reviewer": _("Choose an appeal reviewer of the authorized body registered for this "
                                             "state body.")})
    grounds = text(grounds, "grounds", required=True, max_length=8000)
    fam = Familiarization.objects.filter(result=result).first()
    familiarized_on = timezone.localdate(fam.signed_at) if fam is not None and fam.signed_at is not None else None
    last = rules.appeal_last_day(version, result.approved_on)
    decision = rules.timeliness(version, result.approved_on, today, familiarized_on)
    late = decision.value == "LATE"
    appeal = Appeal.objects.create(
        body=body, result=result, servant_id=result.participant.servant_id, filed_by=actor, venue=venue,
        reviewer=candidates[reviewer_id], grounds=grounds, filed_on=today, filed_at=clock.now(),
        decision_on=result.approved_on, last_day=last.on, last_day_rule=last.rule, last_day_clause=last.clause,
        last_day_explanation=last.explanation, timeliness=decision.value, late=late,
        timeliness_decision=decision.as_dict(), last_action="file")
    record_event(action="outcomes.appeal.file", obj=appeal, actor=actor, role=workflow.SERVANT, body_id=body.pk,
                 to_state=appeal.state, clause=last.clause,
                 payload={"result": result.pk, "venue": venue, "reviewer": reviewer_id, "filed_on": today.isoformat(),
                          "decision_on": result.approved_on.isoformat(), "last_day": last.on.isoformat(),
                          "timeliness": decision.value, "late": late,
                          "admissibility": "recorded only; the authorized body decides"})
    notices.open_item(body=body, obj=appeal, code=notices.REVIEW, user=appeal.reviewer, subject=None,
                      link=notices.url("web:outcomes_appeal", appeal.pk), name=result.participant.servant_name)
    notices.send(body=body, template=notices.T_APPEAL_FILED,
                 values={"name": result.participant.servant_name, "body": body.name_kk,
                         "filed": today, "approved": result.approved_on,
                         "timeliness": _("late") if late else _("on time")},
                 key=f"outcomes:appeal:{appeal.pk}:filed", user=appeal.reviewer, channels=("email",))
    return appeal


def _lock_for_reviewer(actor: Any, appeal_id: int) -> Appeal:
    """An appeal addressed to the actor, whatever the body; anybody else's is not found."""
    appeal = (Appeal.objects.select_for_update(of=("self",)).select_related("body", "result", "servant")
              .filter(pk=appeal_id, reviewer_id=getattr(actor, "pk", None)).first())
    if appeal is None:
        raise Http404(_("No such appeal addressed to you."))
    return appeal


@transaction.atomic
def decide_appeal(actor: Any, appeal_id: int, *, outcome: str, note: str = "", document: Any = None,
                  expected_version: Any) -> Appeal:
    """The reviewer records the outcome (S1-p.70); a recommendation to revise reopens the case."""
    appeal = _lock_for_reviewer(actor, appeal_id)
    body = appeal.body
    roles = access.appeal_roles(actor, appeal)
    access.require(roles, {workflow.REVIEWER}, action=_("the outcome is recorded by the appeal reviewer the appeal "
                                                        "is addressed to"))
    check_version(appeal, expected_version)
    today = clock.today()
    version = rules.version_of(body, appeal.result.methodology_version, appeal.result.approved_on)
    decision = rules.check_outcome(version, outcome, today)
    note = text(note, "note", required=outcome == REVISE_OUTCOME, max_length=8000)
    checked = uploads.check(document, "document") if document is not None else None
    action = "recommend" if outcome == REVISE_OUTCOME else "uphold"
    workflow.fire(workflow.APPEAL, appeal.state, action, roles)
    if checked is not None:
        appeal.outcome_document.save(checked.name, checked.file, save=False)
    move(appeal, doc_type=workflow.APPEAL, action=action, roles=roles, actor=actor, body_id=body.pk,
         clause=decision.clause,
         update={"outcome": outcome, "outcome_clause": decision.clause, "outcome_note": note,
                 "reviewed_at": clock.now()},
         payload={"outcome": outcome, "note": note, "late": appeal.late,
                  "document_sha256": checked.sha256 if checked else ""})
    notices.close(appeal, notices.REVIEW, actor=actor)
    if action == "recommend":
        reopen_result(actor, body, appeal.result_id, clause=decision.clause, role=workflow.REVIEWER,
                      basis={"appeal": appeal.pk, "outcome": outcome, "clause": decision.clause})
        notices.open_item(body=body, obj=appeal, code=notices.REVISE, role=Role.HR, subject=appeal.servant,
                          link=notices.url("web:outcomes_revisions"), name=appeal.servant.full_name)
    label = (decision.details.get("label") or {}).get("kk") or outcome
    notices.send(body=body, template=notices.T_APPEAL_DECIDED,
                 values={"filed": appeal.filed_on, "outcome": label, "clause": decision.clause},
                 key=f"outcomes:appeal:{appeal.pk}:decided", user=appeal.servant.user, servant=appeal.servant)
    return appeal


# -- the court -------------------------------------------------------------------------------------

@transaction.atomic
def record_court_case(actor: Any, body: StateBody, result_id: int, *, court: str, filed_on: Any,
                      case_number: str = "", note: str = "") -> CourtCase:
    """HR records that the servant took the result to court (S1-p.71)."""
    from bagalau.commission.services._base import date_field

    result = FinalResult.objects.select_related("participant").filter(body=body, pk=result_id).first()
    if result is None:
        raise Http404(_("No such final result in this state body."))
    roles = access.body_roles(actor, body)
    access.require(roles, {workflow.HR}, action=_("HR records a court challenge"))
    version = rules.version_of(body, result.methodology_version, result.approved_on)
    court_clause = rules.clause_of(version, "appeal.court")
    court = text(court, "court", required=True, max_length=300)
    case_number = text(case_number, "case_number", max_length=100)
    note = text(note, "note", max_length=4000)
    day = date_field(filed_on, "filed_on")
    if day < result.approved_on or day > clock.today():
        raise ValidationError({"filed_on": _("The claim is filed after the approval (%(date)s) and not in the "
                                             "future.") % {"date": result.approved_on}})
    case = CourtCase.objects.create(body=body, result=result, servant_id=result.participant.servant_id, court=court,
                                    case_number=case_number, filed_on=day, status_note=note, clause=court_clause,
                                    recorded_by=actor)
    record_event(action="outcomes.court.record", obj=case, actor=actor, role=workflow.HR, body_id=body.pk,
                 to_state=case.status, clause=court_clause,
                 payload={"result": result.pk, "court": court, "case_number": case_number,
                          "filed_on": day.isoformat()})
    return case


@transaction.atomic
def set_court_status(actor: Any, body: StateBody, case_id: int, *, status: str, note: str = "") -> CourtCase:
    case = CourtCase.objects.select_for_update().filter(body=body, pk=case_id).first()
    if case is None:
        raise Http404(_("No such court case in this state body."))
    access.require(access.body_roles(actor, body), {workflow.HR}, action=_("HR records a court challenge"))
    if status not in CourtStatus.values:
        raise ValidationError({"status": _("Unknown status %(status)s.") % {"status": status}})
    before = case.status
    case.status, case.status_note = status, text(note, "note", max_length=4000) or case.status_note
    case.save(update_fields=["status", "status_note", "updated_at"])
    record_event(action="outcomes.court.status", obj=case, actor=actor, role=workflow.HR, body_id=body.pk,
                 from_state=before, to_state=status, clause=case.clause, payload={"note": case.status_note})
    return case


@transaction.atomic
def add_court_document(actor: Any, body: StateBody, case_id: int, *, title: str, file: Any) -> CourtDocument:
    case = CourtCase.objects.select_for_update().filter(body=body, pk=case_id).first()
    if case is None:
        raise Http404(_("No such court case in this state body."))
    access.require(access.body_roles(actor, body), {workflow.HR}, action=_("HR records a court challenge"))
    title = text(title, "title", required=True, max_length=200)
    checked = uploads.check(file, "file")
    doc = CourtDocument(case=case, title=title, content_type=checked.content_type, sha256=checked.sha256,
                        uploaded_at=clock.now(), uploaded_by=actor)
    doc.file.save(checked.name, checked.file, save=False)
    doc.save()
    record_event(action="outcomes.court.document", obj=case, actor=actor, role=workflow.HR, body_id=body.pk,
                 clause=case.clause, payload={"document": doc.pk, "title": title, "sha256": checked.sha256})
    return doc


__all__ = ["add_court_document", "decide_appeal", "file_appeal", "record_court_case", "reviewers",
           "set_court_status"]
