"""Role inboxes: what needs me now, soonest first, one body at a time, in bounded queries."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bagalau.inbox.models import WorkItem
from bagalau.inbox.selectors import inbox_for, items_for_object, open_steps_of, overdue_counts
from bagalau.inbox.services import close_items
from bagalau.orgs.models import Role
from tests import factories


def fresh(user):
    """The same login as a new object, so the per-user role cache starts empty."""
    return get_user_model().objects.get(pk=user.pk)


def test_sorted_by_due_date_with_undated_items_last(open_for, member, body):
    docs = [factories.servant(body) for _ in range(4)]
    later = open_for(obj=docs[0], assignee=member, due=dt.date(2024, 5, 10))
    undated = open_for(obj=docs[1], assignee=member, due=None, due_rule="", due_clause="")
    soon = open_for(obj=docs[2], assignee=member, due=dt.date(2024, 5, 3))
    soon_opened_later = open_for(obj=docs[3], assignee=member, due=dt.date(2024, 5, 3))

    assert list(inbox_for(fresh(member), body)) == [soon, soon_opened_later, later, undated]


def test_role_items_reach_everyone_holding_the_role(open_for, hr, member, body):
    hr_item = open_for(assignee_role=Role.HR)
    mine = open_for(assignee=member, action="sheet.review")

    assert list(inbox_for(fresh(hr), body)) == [hr_item]
    assert list(inbox_for(fresh(hr), body, include_role_items=False)) == []
    # The servant holds no HR role: the HR item is not his.
    assert list(inbox_for(fresh(member), body)) == [mine]


def test_closed_items_leave_the_inbox(open_for, hr, doc, body):
    open_for(assignee_role=Role.HR)
    with transaction.atomic():
        close_items(obj=doc)
    assert list(inbox_for(fresh(hr), body)) == []


def test_one_body_never_sees_another_bodys_items(open_for, hr, other_hr, body, other_body):
    open_for(assignee_role=Role.HR)
    open_for(assignee=hr, action="sheet.forward")
    other_doc = factories.servant(other_body)
    theirs = open_for(body=other_body, obj=other_doc, assignee_role=Role.HR)

    # HR of the other body: only the other body's HR item, and nothing at all in ours.
    assert list(inbox_for(fresh(other_hr), other_body)) == [theirs]
    assert list(inbox_for(fresh(other_hr), body)) == []
    # And ours does not leak the other body's item either.
    assert theirs not in list(inbox_for(fresh(hr), body))
    assert theirs not in list(inbox_for(fresh(hr), other_body))


def test_inbox_for_anonymous_is_empty(body):
    from django.contrib.auth.models import AnonymousUser

    assert list(inbox_for(AnonymousUser(), body)) == []


def _queries_for_inbox(user, body) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        rows = [(item.title("kk"), item.subject_servant and item.subject_servant.full_name, item.assignee)
                for item in inbox_for(fresh(user), body)]
    return len(ctx.captured_queries) - 1, len(rows)  # minus the fresh() lookup


def test_the_inbox_costs_the_same_queries_for_5_or_50_items(open_for, hr, body):
    def fill(n: int) -> None:
        for _ in range(n):
            subject = factories.servant(body)
            open_for(obj=factories.servant(body), assignee_role=Role.HR, subject_servant=subject)

    fill(5)
    few, count_few = _queries_for_inbox(hr, body)
    fill(45)
    many, count_many = _queries_for_inbox(hr, body)

    assert (count_few, count_many) == (5, 50)
    assert few == many


def test_items_for_object_and_overdue_counts(open_for, hr, member, doc, body, other_body):
    late = open_for(assignee=member, due=dt.date(2024, 5, 3))
    open_for(assignee=hr, action="sheet.review", due=dt.date(2024, 5, 3))
    open_for(assignee=hr, action="sheet.forward", due=dt.date(2024, 5, 20))
    open_for(body=other_body, obj=factories.servant(other_body), assignee_role=Role.HR, due=dt.date(2024, 5, 1))

    assert [i.action for i in items_for_object(doc)] == ["sheet.sign", "sheet.review", "sheet.forward"]
    counts = overdue_counts(body, today=dt.date(2024, 5, 6))
    assert counts.total == 2
    assert counts.by_action == {"sheet.review": 1, "sheet.sign": 1}
    assert overdue_counts(body, today=dt.date(2024, 5, 3)).total == 0  # due today is not late yet
    assert late in WorkItem.objects.filter(body=body)


def test_open_steps_are_the_documents_open_items_in_the_same_order(open_for, hr, member, doc):
    """`open_steps_of` sorts in Python what `items_for_object` orders in SQL: the same items, the
    same order (due date, undated last, then the order they were opened in)."""
    open_for(assignee=member, action="sheet.sign", due=dt.date(2024, 5, 20))
    open_for(assignee_role=Role.HR, action="sheet.forward", due=None, due_rule="", due_clause="")
    open_for(assignee=hr, action="sheet.review", due=dt.date(2024, 5, 3))
    open_for(assignee=member, action="sheet.correct", due=dt.date(2024, 5, 3))

    items = list(items_for_object(doc))
    steps = open_steps_of(doc)
    assert [s.action for s in steps] == [i.action for i in items] == [
        "sheet.review", "sheet.correct", "sheet.sign", "sheet.forward"]
    assert [(s.due, s.due_rule, s.due_clause, s.assignee_role) for s in steps] == [
        (i.due, i.due_rule, i.due_clause, i.assignee_role) for i in items]
    assert steps[-1].assignee is None and all(s.assignee for s in steps[:-1])
