"""The order forming the commission (S0-p.5) and its amendments (S1-p.59): the composition checked
by the core with its clause, the secretary outside the members (S1-p.62, Q-15), replacement only
by an amending order that keeps the amended revision, every step audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bagalau.audit.models import AuditEvent
from bagalau.commission import selectors, services
from bagalau.commission.models import CommissionMeeting, CommissionOrder, CommissionSeat, OrderState
from bagalau.commission.workflow import IllegalTransition
from bagalau.inbox.models import ItemState, WorkItem
from bagalau.orgs.models import Role
from tests import factories
from tests.commission import kit
from tests.commission.kit import ORDER_DATE, ref

D = dt.date


def _draft(world, members, *, secretary="hr", number="12-ж", order_date=ORDER_DATE, actor=None):
    chair, *rest = members
    return services.create_order(actor or world.authorized, world.body, number=number, order_date=order_date,
                                 chair=ref(world, chair), members=[ref(world, k) for k in rest],
                                 secretary=ref(world, secretary))


def test_a_composition_below_the_minimum_is_refused_with_its_clause_S0_p5(world):
    with pytest.raises(ValidationError) as info:
        _draft(world, ("m1", "m2", "m3", "m4"))
    message = info.value.message_dict["members"][0]
    assert "at least 5" in message and "names 4" in message and "G23-commission" in message
    assert not CommissionOrder.objects.exists() and not AuditEvent.objects.filter(action__startswith="commission")\
        .exists()


def test_five_members_make_a_commission_the_secretary_is_not_one_of_them_Q15(world):
    order = _draft(world, ("m1", "m2", "m3", "m4", "m5"))
    assert order.state == OrderState.DRAFT and order.composition_clause == "G23-commission"
    order = services.issue_order(world.authorized, world.body, order.pk, expected_version=order.version)
    assert order.state == OrderState.ACTIVE and order.issued_by == world.authorized
    roles = list(CommissionSeat.objects.filter(order=order).values_list("role", flat=True))
    assert roles == ["chair", "member", "member", "member", "member", "secretary"]
    view = selectors.commission(world.hr, world.body)
    assert view.order == order and view.members == 5 and view.quorum_required == 4
    assert view.chair.user == world.user("m1") and view.secretary.user == world.hr
    assert (view.min_members, view.min_members_clause) == (5, "G23-commission")
    events = AuditEvent.objects.filter(object_type="commission.commissionorder").order_by("id")
    assert [(e.action, e.from_state, e.to_state, e.clause) for e in events] == [
        ("commission.order.create", "", "draft", "G23-commission"),
        ("commission.order.issue", "draft", "active", "G23-commission"),
    ]
    assert events[0].role == "authorized"


def test_the_secretary_cannot_also_be_a_member_S1_p62(world):
    factories.grant(world.user("m5"), world.body, Role.HR)
    with pytest.raises(ValidationError) as info:
        _draft(world, ("m1", "m2", "m3", "m4", "m5"), secretary="m5")
    assert "does not vote" in info.value.message_dict["secretary"][0]
    assert "G23-secretary" in info.value.message_dict["secretary"][0]


def test_the_secretary_is_the_hr_specialist(world):
    with pytest.raises(ValidationError) as info:
        _draft(world, ("m1", "m2", "m3", "m4", "m5"), secretary="m6")
    assert "HR role" in info.value.message_dict["secretary"][0]


def test_an_external_member_needs_a_login_with_the_member_role(world):
    stranger = factories.user("deputy")
    with pytest.raises(ValidationError) as info:
        services.create_order(world.authorized, world.body, number="1", order_date=ORDER_DATE,
                              chair=ref(world, "m1"), members=[ref(world, k) for k in ("m2", "m3", "m4")]
                              + [{"user": stranger.pk}], secretary=ref(world, "hr"))
    assert "external member" in info.value.message_dict["members-4"][0]
    order = kit.form(world, ("m1", "m2", "m3", "m4", "ext"))
    seat = CommissionSeat.objects.get(order=order, user=world.ext)
    assert seat.external and seat.servant is None and seat.name == "Марат Тұрсынбаев"


def test_a_servant_without_a_login_cannot_sit(world):
    s = factories.servant(world.body, last_name="Nologin")
    with pytest.raises(ValidationError) as info:
        services.create_order(world.authorized, world.body, number="1", order_date=ORDER_DATE,
                              chair=ref(world, "m1"), members=[ref(world, k) for k in ("m2", "m3", "m4")]
                              + [{"servant": s.pk}], secretary=ref(world, "hr"))
    assert "no active login" in info.value.message_dict["members-4"][0]


def test_a_servant_of_another_body_is_not_found(world, other_body):
    stranger = factories.servant(other_body)
    stranger.user = factories.user("stranger")
    stranger.save()
    with pytest.raises(ValidationError) as info:
        services.create_order(world.authorized, world.body, number="1", order_date=ORDER_DATE,
                              chair={"servant": stranger.pk}, members=[ref(world, k) for k in ("m2", "m3", "m4", "m5")],
                              secretary=ref(world, "hr"))
    assert "No such servant" in info.value.message_dict["chair"][0]


def test_only_the_authorized_person_forms_the_commission(world):
    for actor in (world.hr, world.user("m1")):
        with pytest.raises(PermissionDenied):
            _draft(world, ("m1", "m2", "m3", "m4", "m5"), actor=actor)
    granted = factories.user("deputy_head")
    factories.grant(granted, world.body, Role.AUTHORIZED_PERSON)
    assert _draft(world, ("m1", "m2", "m3", "m4", "m5"), actor=granted).state == OrderState.DRAFT


def test_an_order_is_not_dated_after_today(world):
    with pytest.raises(ValidationError) as info:
        _draft(world, ("m1", "m2", "m3", "m4", "m5"), order_date=world.clock.day + dt.timedelta(days=1))
    assert "order_date" in info.value.message_dict


def test_a_draft_is_edited_an_issued_order_is_not(world):
    order = _draft(world, ("m1", "m2", "m3", "m4"  , "m5"))
    order = services.update_order(world.authorized, world.body, order.pk, expected_version=order.version,
                                  number="13-ж", order_date=ORDER_DATE, chair=ref(world, "m2"),
                                  members=[ref(world, k) for k in ("m1", "m3", "m4", "m5", "m6")],
                                  secretary=ref(world, "hr"))
    assert order.number == "13-ж" and order.version == 2
    assert CommissionSeat.objects.get(order=order, role="chair").user == world.user("m2")
    order = services.issue_order(world.authorized, world.body, order.pk, expected_version=order.version)
    with pytest.raises(IllegalTransition) as info:
        services.update_order(world.authorized, world.body, order.pk, expected_version=order.version, number="14",
                              order_date=ORDER_DATE, chair=ref(world, "m7"),
                              members=[ref(world, k) for k in ("m1", "m3", "m4", "m5")], secretary=ref(world, "hr"))
    assert "active" in str(info.value) and "edit" in str(info.value)
    assert CommissionSeat.objects.get(order=order, role="chair").user == world.user("m2")


def test_the_chair_is_replaced_only_by_an_amending_order_that_keeps_the_old_revision_S1_p59(world):
    order = kit.form(world)
    world.clock.day = D(2025, 1, 14)
    amendment = services.amend_order(world.authorized, world.body, order.pk, number="15-ж",
                                     order_date=D(2025, 1, 14), chair=ref(world, "m6"),
                                     members=[ref(world, k) for k in ("m2", "m3", "m4", "m5")],
                                     secretary=ref(world, "hr"), reason="m1 transferred to another body")
    assert (amendment.state, amendment.revision, amendment.amends, amendment.original) == (
        OrderState.DRAFT, 2, order, order)
    assert kit.fresh(order).state == OrderState.ACTIVE  # in force until the amendment is issued
    amendment = services.issue_order(world.authorized, world.body, amendment.pk, expected_version=amendment.version)
    old = kit.fresh(order)
    assert (old.state, amendment.state) == (OrderState.AMENDED, OrderState.ACTIVE)
    assert CommissionSeat.objects.get(order=old, role="chair").user == world.user("m1")  # kept
    assert CommissionSeat.objects.get(order=amendment, role="chair").user == world.user("m6")
    amend = AuditEvent.objects.get(action="commission.order.amend")
    assert (amend.object_id, amend.from_state, amend.to_state, amend.clause) == (
        str(order.pk), "active", "amended", "G23-commission")
    assert amend.payload["amended_by"] == amendment.pk and amend.payload["reason"] == "m1 transferred to another body"
    detail = selectors.order_detail(world.hr, world.body, order.pk)
    assert [o.revision for o in detail.lineage] == [1, 2]
    assert [o.pk for o in selectors.commission(world.hr, world.body).history] == [amendment.pk, order.pk]


def test_an_amendment_must_change_someone_and_give_its_reason(world):
    order = kit.form(world)
    same = dict(number="16", order_date=ORDER_DATE, chair=ref(world, "m1"),
                members=[ref(world, k) for k in ("m2", "m3", "m4", "m5")], secretary=ref(world, "hr"))
    with pytest.raises(ValidationError) as info:
        services.amend_order(world.authorized, world.body, order.pk, reason="none", **same)
    assert "changes nobody" in info.value.message_dict["members"][0]
    with pytest.raises(ValidationError) as info:
        services.amend_order(world.authorized, world.body, order.pk, reason="  ",
                             **{**same, "chair": ref(world, "m6")})
    assert "reason" in info.value.message_dict


def test_only_the_order_in_force_is_amended(world):
    order = kit.form(world)
    draft = _draft(world, ("m2", "m3", "m4", "m5", "m6"), number="20")
    with pytest.raises(ValidationError) as info:
        services.amend_order(world.authorized, world.body, draft.pk, number="21", order_date=ORDER_DATE,
                             chair=ref(world, "m7"), members=[ref(world, k) for k in ("m3", "m4", "m5", "m6")],
                             secretary=ref(world, "hr"), reason="x")
    assert "amends" in info.value.message_dict
    assert kit.fresh(order).state == OrderState.ACTIVE


def test_a_new_order_supersedes_the_one_in_force(world):
    first = kit.form(world)
    second = kit.form(world, ("m4", "m5", "m6", "m7", "m8"), number="30-ж")
    assert (kit.fresh(first).state, second.state) == (OrderState.SUPERSEDED, OrderState.ACTIVE)
    event = AuditEvent.objects.get(action="commission.order.supersede")
    assert event.object_id == str(first.pk) and event.payload["superseded_by"] == second.pk
    assert CommissionOrder.objects.filter(body=world.body, state=OrderState.ACTIVE).count() == 1


def test_a_proposed_meeting_follows_the_amendment_and_asks_the_new_chair(world):
    order = kit.form(world)
    meeting = kit.propose(world)
    assert WorkItem.objects.get(action="commission.consent", state=ItemState.OPEN).assignee == world.user("m1")
    amendment = services.amend_order(world.authorized, world.body, order.pk, number="15-ж", order_date=ORDER_DATE,
                                     chair=ref(world, "m6"), members=[ref(world, k) for k in ("m2", "m3", "m4", "m5")],
                                     secretary=ref(world, "hr"), reason="m1 on long sick leave")
    services.issue_order(world.authorized, world.body, amendment.pk, expected_version=amendment.version)
    meeting = CommissionMeeting.objects.get(pk=meeting.pk)
    assert meeting.order_id == amendment.pk
    consent = WorkItem.objects.get(action="commission.consent", state=ItemState.OPEN)
    assert consent.assignee == world.user("m6") and consent.due == meeting.notice_by
    with pytest.raises(PermissionDenied):
        services.consent_to_meeting(world.user("m1"), world.body, meeting.pk, expected_version=meeting.version)
    services.consent_to_meeting(world.user("m6"), world.body, meeting.pk, expected_version=meeting.version)
