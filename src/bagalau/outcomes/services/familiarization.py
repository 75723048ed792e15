"""Familiarization with the approved result (S1-p.12, p.68-69; S0-p.40).

* The approval opens one familiarization per final result, due on the day the approval computed
  (`open_familiarizations`, the receiver of the commission's `results_final`), gives the servant a
  work item and a notice. A result superseded after an appeal closes its familiarization.
* The servant signs in the system (`sign_result`): the signature covers the result exactly as shown
  (canonical JSON, SHA-256), and whether it came by the due date is kept.
* A servant may refuse (`refuse_to_sign`); HR then draws up the free-form act signed by the HR
  specialist and the other servants of the body the rule requires, none of them the refuser
  (`draw_refusal_act`, S0-p.40), and records the delivery of the result through the intranet
  portal, the unified HR database or the e-document system (`record_delivery`, S0-p.40 para 2).
* An absent servant (leave, sick leave, business trip, training: an absence on record) is
  familiarized remotely through a channel that records the notice (`record_remote_notice`,
  S1-p.12 para 2): an SMS or e-mail is sent by the system (its delivery log is the proof); a
  registered letter, telephonogram, telegram or other means needs the uploaded proof.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bagalau.audit.services import record_event
from bagalau.commission.models import FinalResult
from bagalau.cycles import clock
from bagalau.orgs.models import Absence, Appointment, Role, Servant, StateBody
from bagalau.outcomes import access, notices, rules, uploads, workflow
from bagalau.outcomes.models import (
    AppealState,
    DeliveryChannel,
    Familiarization,
    FamiliarizationState,
    RefusalAct,
    RefusalWitness,
    RemoteChannel,
    RemoteNotice,
)
from bagalau.outcomes.services._base import check_version, move, text

SYSTEM_SENT = (RemoteChannel.SMS, RemoteChannel.EMAIL)


def _lock(body: StateBody, familiarization_id: int) -> Familiarization:
    fam = (Familiarization.objects.select_for_update(of=("self",))
           .select_related("result", "servant", "servant__user").filter(body=body, pk=familiarization_id).first())
    if fam is None:
        raise Http404(_("No such familiarization in this state body."))
    return fam


def _version(body: StateBody, fam: Familiarization) -> Any:
    return rules.version_of(body, fam.result.methodology_version, fam.result.approved_on)


def result_content(result: FinalResult) -> str:
    """The canonical JSON of what the servant signs: the result as the protocol approved it."""
    return json.dumps({
        "result": result.pk, "participant": result.participant_id, "method": result.method, "value": result.value,
        "value_clause": result.value_clause, "approved_on": result.approved_on.isoformat(),
        "approval_clause": result.clause, "protocol": result.protocol_id,
        "methodology_version": result.methodology_version,
    }, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# -- opened by the approval ------------------------------------------------------------------------

def open_familiarizations(*, body: StateBody, actor: Any, results: list[FinalResult],
                          superseded: list[FinalResult]) -> list[Familiarization]:
    """Run inside the approval's transaction: close what the superseded results had open, mark
    their appeals revised, and open a familiarization for each new result."""
    by_participant = {(r.participant_id, r.method): r for r in results}
    for old in superseded:
        fam = Familiarization.objects.select_for_update().filter(result=old).first()
        if fam is not None and fam.state != FamiliarizationState.SUPERSEDED:
            move(fam, doc_type=workflow.FAMILIARIZATION, action="supersede", roles={workflow.SYSTEM}, actor=actor,
                 body_id=body.pk, clause=old.reopen_basis.get("clause", ""),
                 payload={"result": old.pk, "superseded_by": old.superseded_by_id})
            for code in (notices.SIGN, notices.ACT, notices.DELIVER):
                notices.close(fam, code, actor=actor)
        from bagalau.outcomes.models import Appeal

        new = by_participant.get((old.participant_id, old.method))
        for appeal in Appeal.objects.select_for_update().filter(result=old, state=AppealState.REVISION):
            move(appeal, doc_type=workflow.APPEAL, action="revised", roles={workflow.SYSTEM}, actor=actor,
                 body_id=body.pk, clause=appeal.outcome_clause,
                 payload={"result": old.pk, "revised_result": new.pk if new else None},
                 update={"revised_result": new})
            notices.close(appeal, notices.REVISE, actor=actor)
    opened = []
    servants = {s.pk: s for s in Servant.objects.filter(
        pk__in=[r.participant.servant_id for r in results]).select_related("user")}
    for result in results:
        servant = servants[result.participant.servant_id]
        fam = Familiarization.objects.create(
            body=body, result=result, servant=servant, due=result.familiarization_due,
            due_rule=result.familiarization_rule, due_clause=result.familiarization_clause,
            due_explanation=result.familiarization_explanation or {}, updated_by=actor)
        record_event(action="outcomes.familiarization.open", obj=fam, actor=actor, role=workflow.SYSTEM,
                     body_id=body.pk, to_state=fam.state, clause=fam.due_clause,
                     payload={"result": result.pk, "servant": servant.pk, "due": fam.due.isoformat(),
                              "due_rule": fam.due_rule})
        notices.open_item(body=body, obj=fam, code=notices.SIGN, user=servant.user, role=Role.HR, due=fam.due,
                          due_rule=fam.due_rule, due_clause=fam.due_clause, subject=servant,
                          link=notices.url("web:my_evaluation"))
        _notify_result(body, fam)
        opened.append(fam)
    return opened


def _notify_result(body: StateBody, fam: Familiarization) -> None:
    result = fam.result
    version = rules.version_of(body, result.methodology_version, result.approved_on)
    values = {"result": result.value, "approved": result.approved_on,
              "due": fam.due, "clause": fam.due_clause, "appeal_by": "-", "appeal_clause": "-"}
    try:
        last = rules.appeal_last_day(version, result.approved_on)
        values.update({"appeal_by": last.on, "appeal_clause": last.clause})
    except ValidationError:
        pass  # a version with no appeal window: the notice says so by its dashes
    notices.send(body=body, template=notices.T_RESULT, values=values, key=f"outcomes:result:{result.pk}",
                 user=fam.servant.user, servant=fam.servant)


# -- the servant -----------------------------------------------------------------------------------

@transaction.atomic
def sign_result(actor: Any, body: StateBody, familiarization_id: int, *, expected_version: Any) -> Familiarization:
    """The servant signs that they have read the result (S1-p.12)."""
    fam = _lock(body, familiarization_id)
    roles = access.doc_roles(actor, body, fam.servant_id)
    access.require(roles, {workflow.SERVANT}, action=_("only the servant signs their own result"))
    if fam.state == FamiliarizationState.SIGNED:
        return fam
    check_version(fam, expected_version)
    content = result_content(fam.result)
    today = clock.today()
    move(fam, doc_type=workflow.FAMILIARIZATION, action="sign", roles=roles, actor=actor, body_id=body.pk,
         clause=fam.due_clause,
         update={"signed_at": clock.now(), "signed_on_time": today <= fam.due, "signed_content": content,
                 "signed_sha256": hashlib.sha256(content.encode()).hexdigest(), "completed_at": clock.now()},
         payload={"due": fam.due.isoformat(), "signed_on": today.isoformat(), "on_time": today <= fam.due,
                  "sha256": hashlib.sha256(content.encode()).hexdigest()})
    notices.close(fam, notices.SIGN, actor=actor)
    return fam


@transaction.atomic
def refuse_to_sign(actor: Any, body: StateBody, familiarization_id: int, *, note: str = "",
                   expected_version: Any) -> Familiarization:
    """The servant declares in the system that they refuse to sign; HR is asked for the act."""
    fam = _lock(body, familiarization_id)
    roles = access.doc_roles(actor, body, fam.servant_id)
    access.require(roles, {workflow.SERVANT}, action=_("only the servant refuses to sign their own result"))
    check_version(fam, expected_version)
    note = text(note, "note", max_length=2000)
    version = _version(body, fam)
    clause = rules.refusal_act(version, 1, 2, clock.today()).clause
    move(fam, doc_type=workflow.FAMILIARIZATION, action="refuse", roles=roles, actor=actor, body_id=body.pk,
         clause=clause, update={"refused_at": clock.now(), "refusal_note": note}, payload={"note": note})
    notices.close(fam, notices.SIGN, actor=actor)
    notices.open_item(body=body, obj=fam, code=notices.ACT, role=Role.HR, due=fam.due, due_rule=fam.due_rule,
                      due_clause=fam.due_clause, subject=fam.servant,
                      link=notices.url("web:outcomes_act", fam.pk), name=fam.servant.full_name)
    return fam


# -- the refusal act -------------------------------------------------------------------------------

def _position(servant: Servant, on: dt.date) -> tuple[str, str]:
    appointment = (Appointment.objects.filter(servant=servant, start__lte=on)
                   .filter(Q(end__isnull=True) | Q(end__gte=on)).select_related("position").order_by("-start").first())
    if appointment is None:
        return "", ""
    return appointment.position.title_kk, appointment.position.title_ru


def _witnesses(body: StateBody, fam: Familiarization, ids: Any, hr_servant: Servant | None, clause: str
               ) -> list[Servant]:
    """The witnesses checked: servants of this body, other than the refuser and the HR specialist."""
    if isinstance(ids, str | bytes) or not isinstance(ids, list | tuple):
        raise ValidationError({"witnesses": _("A list of the witnesses (servant ids) is expected.")})
    chosen: list[int] = []
    for value in ids:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError({"witnesses": _("%(value)s is not a servant id.") % {"value": value}})
        if value in chosen:
            raise ValidationError({"witnesses": _("A witness is named twice.")})
        chosen.append(value)
    found = {s.pk: s for s in Servant.objects.filter(pk__in=chosen, body=body)}
    for value in chosen:
        if value not in found:
            raise ValidationError({"witnesses": _("Servant %(id)s is not a servant of this state body: the act is "
                                                  "signed by servants of the body (%(clause)s).")
                                   % {"id": value, "clause": clause}})
        if value == fam.servant_id:
            raise ValidationError({"witnesses": _("%(name)s is the servant who refused: the act is signed by other "
                                                  "servants of the body (%(clause)s).")
                                   % {"name": found[value].full_name, "clause": clause}})
        if hr_servant is not None and value == hr_servant.pk:
            raise ValidationError({"witnesses": _("%(name)s signs the act as the HR specialist; the witnesses are two "
                                                  "other servants (%(clause)s).")
                                   % {"name": found[value].full_name, "clause": clause}})
    return [found[v] for v in chosen]


@transaction.atomic
def draw_refusal_act(actor: Any, body: StateBody, familiarization_id: int, *, number: str, text_kk: str,
                     text_ru: str, witnesses: Any, place: str = "", expected_version: Any) -> RefusalAct:
    """HR draws up the free-form act (kk and ru) of the refusal, signed by the HR specialist (the
    actor) and the other servants of the body the rule requires (S0-p.40)."""
    fam = _lock(body, familiarization_id)
    roles = access.doc_roles(actor, body, fam.servant_id)
    access.require(roles, {workflow.HR}, action=_("the refusal act is drawn up by the HR specialist"))
    check_version(fam, expected_version)
    workflow.fire(workflow.FAMILIARIZATION, fam.state, "draw_act", roles)
    today = clock.today()
    version = _version(body, fam)
    rule = rules.refusal_act(version, 1, 2, today)  # the clause, whatever the count
    number = text(number, "number", required=True, max_length=40)
    text_kk = text(text_kk, "text_kk", required=True)
    text_ru = text(text_ru, "text_ru", required=True)
    place = text(place, "place", max_length=300)
    hr_servant = access.servant_of(actor, body)
    chosen = _witnesses(body, fam, witnesses, hr_servant, rule.clause)
    decision = rules.refusal_act(version, 1, len(chosen), today)
    if decision.value != "VALID":
        raise ValidationError({"witnesses": " ".join(f"{p.message} ({p.clause})" for p in decision.problems)})
    if RefusalAct.objects.filter(body=body, number=number).exists():
        raise ValidationError({"number": _("An act No. %(number)s already exists in this body.") % {"number": number}})
    hr_name = hr_servant.full_name if hr_servant else (actor.get_full_name() or actor.get_username())
    act = RefusalAct.objects.create(
        familiarization=fam, body=body, number=number, drawn_on=today, place=place, text_kk=text_kk, text_ru=text_ru,
        hr_user=actor, hr_name=hr_name, clause=decision.clause, decision=decision.as_dict(), delivery_due=fam.due)
    for n, servant in enumerate(chosen, start=1):
        kk, ru = _position(servant, today)
        RefusalWitness.objects.create(act=act, servant=servant, name=servant.full_name, position_kk=kk,
                                      position_ru=ru, ordinal=n)
    move(fam, doc_type=workflow.FAMILIARIZATION, action="draw_act", roles=roles, actor=actor, body_id=body.pk,
         clause=decision.clause,
         payload={"act": act.pk, "number": number, "hr": hr_name, "witnesses": [s.pk for s in chosen],
                  "verified": decision.verified, "warnings": list(decision.warnings)})
    for code in (notices.SIGN, notices.ACT):
        notices.close(fam, code, actor=actor)
    notices.open_item(body=body, obj=fam, code=notices.DELIVER, role=Role.HR, due=act.delivery_due,
                      due_rule=fam.due_rule, due_clause=fam.due_clause, subject=fam.servant,
                      link=notices.url("web:outcomes_act", fam.pk), name=fam.servant.full_name)
    return act


@transaction.atomic
def record_delivery(actor: Any, body: StateBody, familiarization_id: int, *, channel: str, reference: str = "",
                    expected_version: Any) -> RefusalAct:
    """HR records that the result was sent to the refuser, and how (S0-p.40 para 2)."""
    fam = _lock(body, familiarization_id)
    roles = access.doc_roles(actor, body, fam.servant_id)
    access.require(roles, {workflow.HR}, action=_("HR records the delivery of the result"))
    check_version(fam, expected_version)
    workflow.fire(workflow.FAMILIARIZATION, fam.state, "deliver", roles)
    act = RefusalAct.objects.select_for_update().get(familiarization=fam)
    today = clock.today()
    allowed = rules.refuser_channels(_version(body, fam), today)
    if channel not in allowed.value:
        raise ValidationError({"channel": _("The result reaches a servant who refused through %(allowed)s "
                                            "(%(clause)s).")
                               % {"allowed": ", ".join(str(DeliveryChannel(c).label) for c in allowed.value
                                                       if c in DeliveryChannel.values),
                                  "clause": allowed.clause}})
    reference = text(reference, "reference", max_length=200)
    act.delivery_channel, act.delivery_clause, act.delivered_at = channel, allowed.clause, clock.now()
    act.delivery_reference, act.delivered_on_time = reference, today <= act.delivery_due
    act.save(update_fields=["delivery_channel", "delivery_clause", "delivered_at", "delivery_reference",
                            "delivered_on_time"])
    move(fam, doc_type=workflow.FAMILIARIZATION, action="deliver", roles=roles, actor=actor, body_id=body.pk,
         clause=allowed.clause, update={"completed_at": clock.now()},
         payload={"act": act.pk, "channel": channel, "reference": reference, "due": act.delivery_due.isoformat(),
                  "on_time": act.delivered_on_time})
    notices.close(fam, notices.DELIVER, actor=actor)
    return act


# -- remote familiarization ------------------------------------------------------------------------

def _absence(fam: Familiarization, today: dt.date) -> Absence | None:
    """An absence of the servant between the approval and today (or the due date, if later)."""
    until = max(today, fam.due)
    return (Absence.objects.filter(servant_id=fam.servant_id, start__lte=until, end__gte=fam.result.approved_on)
            .order_by("-start").first())


def _sent_at(value: Any, fam: Familiarization) -> dt.datetime:
    now = clock.now()
    if value in (None, ""):
        return now
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError({"sent_at": _("A date and time (YYYY-MM-DDTHH:MM) is expected.")}) from None
    if not isinstance(value, dt.datetime):
        raise ValidationError({"sent_at": _("A date and time (YYYY-MM-DDTHH:MM) is expected.")})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now:
        raise ValidationError({"sent_at": _("The notice cannot have been sent in the future.")})
    if timezone.localdate(value) < fam.result.approved_on:
        raise ValidationError({"sent_at": _("The notice cannot precede the approval of the result (%(date)s).")
                               % {"date": fam.result.approved_on}})
    return value


@transaction.atomic
def record_remote_notice(actor: Any, body: StateBody, familiarization_id: int, *, channel: str,
                         sent_at: Any = None, reference: str = "", proof: Any = None, note: str = "",
                         expected_version: Any) -> RemoteNotice:
    """HR familiarizes an absent servant remotely: the channel, the time, the proof (S1-p.12 para 2)."""
    fam = _lock(body, familiarization_id)
    roles = access.doc_roles(actor, body, fam.servant_id)
    access.require(roles, {workflow.HR}, action=_("HR records a remote notice"))
    check_version(fam, expected_version)
    workflow.fire(workflow.FAMILIARIZATION, fam.state, "notify_remote", roles)
    today = clock.today()
    version = _version(body, fam)
    channels = rules.remote_channels(version, today)
    if channel not in channels.value or channel not in RemoteChannel.values:
        raise ValidationError({"channel": _("Remote familiarization uses a means that records the notice: "
                                            "%(allowed)s (%(clause)s).")
                               % {"allowed": ", ".join(str(RemoteChannel(c).label) for c in channels.value
                                                       if c in RemoteChannel.values), "clause": channels.clause}})
    absence = _absence(fam, today)
    if absence is None:
        raise ValidationError({"channel": _("%(name)s has no absence on record since the approval: remote "
                                            "familiarization is for a servant on leave, sick leave, a business trip "
                                            "or training (%(clause)s). Record the absence first, or let the servant "
                                            "sign in the system.") % {"name": fam.servant.full_name,
                                                                      "clause": channels.clause}})
    sent = _sent_at(sent_at, fam)
    reference = text(reference, "reference", max_length=200)
    note = text(note, "note", max_length=2000)
    checked = uploads.check(proof) if proof is not None else None
    notification = None
    if channel in SYSTEM_SENT:
        sent = clock.now()
        queued = _send_notice(body, fam, channel)
        if not queued:
            raise ValidationError({"channel": _("%(name)s has no address for this channel on record.")
                                   % {"name": fam.servant.full_name}})
        notification = queued[0]
        reference = reference or f"notification:{notification.pk}"
    elif checked is None:
        raise ValidationError({"proof": _("Attach the proof of the notice (the postal notice, the telegram receipt): "
                                          "PDF, JPEG or PNG.")})
    notice = RemoteNotice(
        familiarization=fam, body=body, channel=channel, channel_clause=channels.clause, absence=absence,
        sent_at=sent, on_time=timezone.localdate(sent) <= fam.due, reference=reference, note=note,
        notification=notification, recorded_at=clock.now(), recorded_by=actor)
    if checked is not None:
        notice.proof.save(checked.name, checked.file, save=False)
        notice.proof_name, notice.proof_type, notice.proof_sha256 = checked.name, checked.content_type, checked.sha256
    notice.save()
    move(fam, doc_type=workflow.FAMILIARIZATION, action="notify_remote", roles=roles, actor=actor, body_id=body.pk,
         clause=channels.clause, update={"completed_at": fam.completed_at or clock.now()},
         payload={"notice": notice.pk, "channel": channel, "sent_at": sent.isoformat(), "on_time": notice.on_time,
                  "absence": absence.pk, "absence_kind": absence.kind, "reference": reference,
                  "proof_sha256": notice.proof_sha256, "notification": notification.pk if notification else None})
    notices.close(fam, notices.SIGN, actor=actor)
    return notice


def _send_notice(body: StateBody, fam: Familiarization, channel: str) -> list[Any]:
    result = fam.result
    cycle = result.cycle
    values = {"name": fam.servant.full_name, "period": f"{cycle.period_start.isoformat()} – "
                                                      f"{cycle.period_end.isoformat()}",
              "approved": result.approved_on, "result": result.value,
              "clause": rules.clause_of(_version(body, fam), "familiarization.channels")}
    return notices.send(body=body, template=notices.T_REMOTE, values=values,
                        key=f"outcomes:remote:{fam.pk}:{RemoteNotice.objects.filter(familiarization=fam).count()}",
                        user=fam.servant.user, servant=fam.servant, channels=(channel,), required=True)
