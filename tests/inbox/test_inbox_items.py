"""Opening and closing work items: idempotent opens, audited closes, clear refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from bagalau.audit.models import AuditEvent
from bagalau.inbox.models import ItemState, WorkItem
from bagalau.inbox.services import close_items, open_item
from bagalau.orgs.models import Role
from tests import factories
from tests.inbox.conftest import TITLES


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_open_item_records_the_rule_and_an_audit_event(open_for, member, doc, body):
    item = open_for(assignee=member, due_explanation={"counted_days": ["2024-05-06"]})

    assert item.state == ItemState.OPEN
    assert (item.object_type, item.object_id) == ("orgs.servant", str(doc.pk))
    assert (item.due, item.due_rule, item.due_clause) == (dt.date(2024, 5, 10), "sheet_resubmission_due", "S1-p.55")
    assert item.due_explanation == {"counted_days": ["2024-05-06"]}
    assert item.title("kk") == TITLES["kk"] and item.title("ru") == TITLES["ru"]
    [event] = events("inbox.open")
    # Recorded in the document's history, with the clause of the deadline.
    assert (event.object_type, event.object_id, event.body_id) == ("orgs.servant", str(doc.pk), body.pk)
    assert event.clause == "S1-p.55"
    assert event.payload["work_item"] == item.pk and event.payload["assignee"] == member.pk


def test_a_double_submit_opens_one_item(open_for, member):
    first = open_for(assignee=member)
    second = open_for(assignee=member)

    assert second.pk == first.pk
    assert WorkItem.objects.count() == 1
    assert len(events("inbox.open")) == 1


def test_different_addressees_get_their_own_items(open_for, member, hr):
    a = open_for(assignee=member)
    b = open_for(assignee=hr)
    c = open_for(assignee_role=Role.HR)
    d = open_for(assignee=member, action="sheet.review")

    assert len({a.pk, b.pk, c.pk, d.pk}) == 4


def test_a_closed_item_can_be_opened_again(open_for, member, doc):
    first = open_for(assignee=member)
    with transaction.atomic():
        close_items(obj=doc)
    again = open_for(assignee=member)

    assert again.pk != first.pk
    assert WorkItem.objects.filter(state=ItemState.OPEN).count() == 1


def test_the_database_refuses_a_second_open_item_for_the_same_addressee(open_for, body, doc):
    item = open_for(assignee_role=Role.HR)
    # Written past the service, as a concurrent double submit would land: the partial unique
    # constraint (NULL assignee coalesced) stops it on SQLite and PostgreSQL alike.
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkItem.objects.create(body=body, object_type=item.object_type, object_id=item.object_id,
                                action=item.action, assignee_role=Role.HR, title_kk="x", title_ru="x")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"due_rule": ""}, "due_rule"),
        ({"due_clause": ""}, "due_rule"),
        ({"titles": {"kk": "Қол қою"}}, "titles"),
        ({"titles": {**TITLES, "de": "Unterschreiben"}}, "titles"),
        ({"assignee_role": "chief"}, "assignee_role"),
        ({}, "assignee"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(open_for, overrides, field):
    with pytest.raises(ValidationError) as exc:
        open_for(**overrides)

    assert field in exc.value.message_dict
    assert WorkItem.objects.count() == 0
    assert events("inbox.open") == []


def test_the_assignee_must_belong_to_the_body(open_for, other_hr, hr):
    with pytest.raises(ValidationError) as exc:
        open_for(assignee=other_hr)
    assert exc.value.message_dict["assignee"] == ["The assignee holds no role in this state body."]

    with pytest.raises(ValidationError) as exc:
        open_for(assignee=hr, assignee_role=Role.MANAGER)
    assert "assignee" in exc.value.message_dict


def test_tenant_rules_for_the_document_and_the_servant(open_for, other_body, hr):
    foreign_doc = factories.servant(other_body)

    with pytest.raises(ValidationError) as exc:
        open_for(assignee=hr, obj=foreign_doc)
    assert "obj" in exc.value.message_dict

    with pytest.raises(ValidationError) as exc:
        open_for(assignee=hr, subject_servant=foreign_doc)
    assert "subject_servant" in exc.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_open_item_outside_a_transaction_is_refused(body, hr):
    doc = factories.servant(body)
    with pytest.raises(RuntimeError, match="inside the caller's transaction"):
        open_item(body=body, obj=doc, action="sheet.sign", assignee=hr, titles=TITLES)
    assert WorkItem.objects.count() == 0


def test_close_items_closes_the_open_items_of_the_document(open_for, member, hr, doc):
    sign = open_for(assignee=member)
    review = open_for(assignee=hr, action="sheet.review")
    other_doc_item = open_for(assignee=hr, obj=factories.servant(doc.body))

    with transaction.atomic():
        closed = close_items(obj=doc, action="sheet.sign", actor=hr)
    assert closed == 1
    sign.refresh_from_db()
    review.refresh_from_db()
    assert (sign.state, review.state) == (ItemState.DONE, ItemState.OPEN)
    assert sign.closed_at is not None

    with transaction.atomic():
        assert close_items(obj=doc, state=ItemState.CANCELLED) == 1
        assert close_items(obj=doc) == 0  # nothing left open: harmless
    review.refresh_from_db()
    other_doc_item.refresh_from_db()
    assert review.state == ItemState.CANCELLED
    assert other_doc_item.state == ItemState.OPEN

    closes = events("inbox.close")
    assert [(e.from_state, e.to_state) for e in closes] == [("open", "done"), ("open", "cancelled")]
    assert closes[0].actor_id == hr.pk
    assert closes[0].payload["work_item"] == sign.pk


def test_close_items_refuses_an_unknown_state(open_for, member, doc):
    open_for(assignee=member)
    with pytest.raises(ValidationError) as exc, transaction.atomic():
        close_items(obj=doc, state="open")
    assert "state" in exc.value.message_dict
    assert WorkItem.objects.get().state == ItemState.OPEN
