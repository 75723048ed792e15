"""The demo's people form a valid commission through the services (what the demo loader and the
browser test will do): head (the authorized person) orders commission1 as chair, commission2-4 and
the external commission5 as members, hr as secretary; hr2 of the second body sees none of it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from bagalau.commission import selectors, services
from bagalau.commission.models import CommissionSeat, OrderState
from bagalau.orgs.demo import demo_body, load_demo, second_demo_body


@pytest.fixture
def demo(db):
    load_demo(today=dt.date(2025, 1, 10))
    return demo_body()


def _user(name):
    return get_user_model().objects.get(username=name)


def test_the_demo_logins_form_the_commission(demo, monkeypatch):
    from bagalau.cycles import clock

    monkeypatch.setattr(clock, "today", lambda: dt.date(2025, 1, 10))
    order = services.create_order(
        _user("head"), demo, number="1-ж", order_date=dt.date(2025, 1, 10), chair={"user": _user("commission1").pk},
        members=[{"user": _user(f"commission{i}").pk} for i in (2, 3, 4, 5)], secretary={"user": _user("hr").pk})
    order = services.issue_order(_user("head"), demo, order.pk, expected_version=order.version)
    assert order.state == OrderState.ACTIVE
    external = CommissionSeat.objects.get(order=order, user=_user("commission5"))
    assert external.external and external.servant is None
    assert CommissionSeat.objects.get(order=order, user=_user("commission1")).servant.user == _user("commission1")
    view = selectors.commission(_user("commission5"), demo)
    assert (view.members, view.quorum_required) == (5, 4)
    with pytest.raises(PermissionDenied):
        selectors.commission(_user("hr2"), demo)
    assert selectors.commission(_user("hr2"), second_demo_body()).order is None
