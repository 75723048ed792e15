"""Every state change of the commission is audited, with role and clause, and the chain verifies;
another body's ids are simply not found; the records are read only by those the commission concerns."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from bagalau.audit.models import AuditEvent
from bagalau.audit.verify import verify_chain
from bagalau.commission import selectors, services
from bagalau.commission.models import AgendaItem, CommissionOrder
from bagalau.orgs.models import Role
from tests import factories
from tests.commission import kit

D = dt.date
FOUR = ("m1", "m2", "m3", "m4")


def _approved(world):
    order = kit.form(world)
    meeting = kit.sitting_decided(world, FOUR)
    for key in ("m1", "m2", "m3", "m4", "hr"):
        services.sign_protocol(world.user(key), world.body, meeting.pk)
    meeting = kit.fresh(meeting)
    meeting = services.approve_results(world.authorized, world.body, meeting.pk, expected_version=meeting.version)
    return order, meeting


def test_every_state_change_is_audited_with_role_and_clause(world):
    order, meeting = _approved(world)
    trail = [(e.action, e.from_state, e.to_state, e.role, e.clause)
             for e in AuditEvent.objects.filter(object_type="commission.commissionmeeting", object_id=str(meeting.pk),
                                                action__startswith="commission.").order_by("id")]
    assert trail == [
        ("commission.meeting.propose", "", "proposed", "hr", "G23-schedule-notice"),
        ("commission.protocol.prepare", "proposed", "proposed", "hr", "G23-sheet-to-commission"),
        ("commission.meeting.consent", "proposed", "scheduled", "chair", "G23-schedule-notice"),
        ("commission.meeting.open", "scheduled", "in_session", "secretary", "G23-quorum"),
        ("commission.meeting.conclude", "in_session", "decided", "secretary", "G23-decisions"),
        ("commission.meeting.sign", "decided", "decided", "chair", "G23-decisions"),
        ("commission.meeting.sign", "decided", "decided", "member", "G23-decisions"),
        ("commission.meeting.sign", "decided", "decided", "member", "G23-decisions"),
        ("commission.meeting.sign", "decided", "decided", "member", "G23-decisions"),
        ("commission.meeting.seal", "decided", "protocol_signed", "secretary", "G23-decisions"),
        ("commission.meeting.approve", "protocol_signed", "approved", "authorized", "G23-decisions"),
    ]
    for item in AgendaItem.objects.filter(meeting=meeting):
        actions = list(AuditEvent.objects.filter(object_type="commission.agendaitem", object_id=str(item.pk))
                       .values_list("action", "from_state", "to_state"))
        assert actions[-1] == ("commission.item.decide", "pending", "decided")
        assert {a for a, _f, _t in actions[:-1]} == {"commission.item.vote"}
    assert AuditEvent.objects.filter(action="commission.result.final", to_state="final").count() == 3
    assert list(AuditEvent.objects.filter(object_type="commission.commissionorder").values_list("action", flat=True)
                .order_by("id")) == ["commission.order.create", "commission.order.issue"]
    # Every commission event carries the body, and the chain still verifies.
    assert not AuditEvent.objects.filter(action__startswith="commission.").exclude(body_id=world.body.pk).exists()
    assert verify_chain().ok


def test_another_bodys_ids_are_not_found(world, other_body):
    order, meeting = _approved(world)
    item = AgendaItem.objects.filter(meeting=meeting).first()
    boss = factories.user("other_boss")
    for role in (Role.HR, Role.AUTHORIZED_PERSON):
        factories.grant(boss, other_body, role)
    calls = [
        lambda: services.issue_order(boss, other_body, order.pk, expected_version=order.version),
        lambda: services.update_order(boss, other_body, order.pk, expected_version=1, number="x",
                                      order_date=D(2025, 1, 6), chair={}, members=[], secretary={}),
        lambda: services.reschedule_meeting(boss, other_body, meeting.pk, expected_version=1,
                                            meeting_on=D(2025, 2, 3)),
        lambda: services.consent_to_meeting(boss, other_body, meeting.pk, expected_version=1),
        lambda: services.open_session(boss, other_body, meeting.pk, expected_version=1, present=[]),
        lambda: services.conclude_meeting(boss, other_body, meeting.pk, expected_version=1),
        lambda: services.cast_vote(boss, other_body, item.pk, choice="approve"),
        lambda: services.record_decision(boss, other_body, item.pk),
        lambda: services.withdraw_item(boss, other_body, item.pk, reason="x"),
        lambda: services.sign_protocol(boss, other_body, meeting.pk),
        lambda: services.approve_results(boss, other_body, meeting.pk, expected_version=1),
        lambda: selectors.meeting_detail(boss, other_body, meeting.pk),
        lambda: selectors.item_tally(boss, other_body, item.pk),
        lambda: selectors.protocol(boss, other_body, meeting.pk),
        lambda: selectors.order_detail(boss, other_body, order.pk),
    ]
    for call in calls:
        with pytest.raises(Http404):
            call()
    assert selectors.commission(boss, other_body).order is None
    assert list(selectors.meetings(boss, other_body)) == []
    assert list(selectors.final_results(boss, other_body)) == []
    assert list(selectors.approval_queue(boss, other_body)) == []
    assert not AuditEvent.objects.filter(action="commission.vote_refused").exists()


def test_the_records_are_read_by_those_the_commission_concerns(world):
    kit.form(world)
    meeting = kit.propose(world)
    auditor = factories.user("auditor_c")
    factories.grant(auditor, world.body, Role.AUDITOR)
    for reader in (world.hr, world.authorized, world.user("m3"), world.ext, auditor):
        assert selectors.meeting_detail(reader, world.body, meeting.pk).meeting == meeting
    for outsider in (world.user("head_d"), world.user("spec"), factories.user("nobody")):
        with pytest.raises(PermissionDenied):
            selectors.meeting_detail(outsider, world.body, meeting.pk)
        with pytest.raises(PermissionDenied):
            selectors.commission(outsider, world.body)
    with pytest.raises(PermissionDenied):
        selectors.approval_queue(world.hr, world.body)
    with pytest.raises(PermissionDenied):
        selectors.final_results(world.user("m3"), world.body)


def test_the_order_selectors_show_the_history(world):
    first = kit.form(world)
    second = kit.form(world, ("m4", "m5", "m6", "m7", "m8"), number="30-ж")
    view = selectors.commission(world.user("m6"), world.body)
    assert view.order == second and not view.may_form
    assert [o.pk for o in view.history] == [second.pk, first.pk]
    assert selectors.commission(world.authorized, world.body).may_form
    detail = selectors.order_detail(world.authorized, world.body, second.pk)
    assert detail.actions == ["amend"] and len(detail.seats) == 6
    assert CommissionOrder.objects.get(pk=first.pk).state == "superseded"
