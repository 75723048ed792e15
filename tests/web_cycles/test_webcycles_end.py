"""HR ends a cycle from the board: a draft is cancelled (with a reason), a launched cycle is closed,
each after a confirmation page. A success changes the state, records the audit event and says so;
a refusal (the wrong state, the wrong role, another body, no reason, sheets still on their way to
the Commission) changes nothing and says why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bagalau.audit.models import AuditEvent
from bagalau.cycles import services
from bagalau.cycles.models import CycleState, EvaluationCycle, Participant, PeriodKind, Track
from bagalau.lawbook.models import MethodologyAdoption
from bagalau.orgs.models import Role
from tests import factories
from tests.web_cycles.conftest import build
from tests.web_cycles.helpers import field_errors

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _url(name: str, cycle: EvaluationCycle) -> str:
    return reverse(f"web:{name}", args=[cycle.pk])


def _events(cycle: EvaluationCycle, action: str):
    return AuditEvent.objects.filter(action=f"cycles.cycle.{action}", object_id=str(cycle.pk))


def _state(cycle: EvaluationCycle) -> str:
    return EvaluationCycle.objects.values_list("state", flat=True).get(pk=cycle.pk)


@pytest.fixture
def draft(db, clock):
    """A body before launch, with a draft yearly cycle."""
    w = build(factories.body("Облыстық мәслихат аппараты"), "d")
    w.cycle = services.create_cycle(w.hr, w.body, kind=PeriodKind.YEAR, year=2024)
    return w


@pytest.fixture
def specialists_only(db, clock):
    """A launched cycle with no KPI participant (one specialist, ranked): nothing stands in the way
    of closing it."""
    body = factories.body("Шағын орган")
    spec = factories.servant(body, last_name="Маман")
    factories.appoint(spec, factories.position(factories.unit(body, "01"), "01-01", category="E-4"),
                      dt.date(2015, 1, 1))
    MethodologyAdoption.objects.create(body=body, version_id="typical-g2023", valid_from=dt.date(2023, 9, 1))
    hr = factories.user("s_hr")
    factories.grant(hr, body, Role.HR)
    cycle = services.launch_cycle(hr, body, services.create_cycle(hr, body, kind=PeriodKind.YEAR, year=2024).pk)
    assert not Participant.objects.filter(cycle=cycle, track=Track.KPI).exists()
    return hr, cycle


# -- the board offers what the state allows --------------------------------------------------------

def test_the_board_offers_cancel_for_a_draft_and_close_once_launched(client, draft, world):
    client.force_login(draft.hr)
    html = client.get(_url("cycle", draft.cycle)).content.decode()
    assert _url("cycle_cancel", draft.cycle) in html and _url("cycle_close", draft.cycle) not in html
    client.force_login(world.hr)
    html = client.get(_url("cycle", world.cycle)).content.decode()
    assert _url("cycle_close", world.cycle) in html and _url("cycle_cancel", world.cycle) not in html


def test_the_auditor_sees_no_end_buttons_and_may_not_use_them(client, draft):
    client.force_login(draft.auditor)
    html = client.get(_url("cycle", draft.cycle)).content.decode()
    assert _url("cycle_cancel", draft.cycle) not in html
    assert client.get(_url("cycle_cancel", draft.cycle)).status_code == 403
    assert client.post(_url("cycle_cancel", draft.cycle), {"reason": "Қате ашылды"}).status_code == 403
    assert _state(draft.cycle) == CycleState.DRAFT and not _events(draft.cycle, "cancel").exists()


# -- cancel ----------------------------------------------------------------------------------------

def test_cancelling_a_draft_asks_first_then_records_the_reason(client, draft):
    client.force_login(draft.hr)
    page = client.get(_url("cycle_cancel", draft.cycle), **EN)
    assert page.status_code == 200
    assert 'data-confirm-end="cancel"' in page.content.decode() and 'name="reason"' in page.content.decode()
    assert _state(draft.cycle) == CycleState.DRAFT  # the confirmation page writes nothing
    response = client.post(_url("cycle_cancel", draft.cycle), {"reason": "Қате ашылды"}, **EN)
    assert response.status_code == 302 and response["Location"] == _url("cycle", draft.cycle)
    assert _state(draft.cycle) == CycleState.CANCELLED
    event = _events(draft.cycle, "cancel").get()
    assert (event.from_state, event.to_state, event.payload["reason"]) == ("draft", "cancelled", "Қате ашылды")
    board = client.get(response["Location"], **EN).content.decode()
    assert f"Cycle {draft.cycle.label} is cancelled." in board
    assert _url("cycle_cancel", draft.cycle) not in board and _url("cycle_launch", draft.cycle) not in board
    # Once cancelled the confirmation page sends back to the board.
    assert client.get(_url("cycle_cancel", draft.cycle))["Location"] == _url("cycle", draft.cycle)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 4001])
def test_a_missing_or_too_long_reason_is_refused_against_its_field(client, draft, reason):
    client.force_login(draft.hr)
    response = client.post(_url("cycle_cancel", draft.cycle), {"reason": reason}, **EN)
    assert response.status_code == 400
    errors = field_errors(response.content.decode(), "reason")
    assert errors and ("Give the reason" in errors[0] or "at most 4000 characters" in errors[0])
    assert _state(draft.cycle) == CycleState.DRAFT and not _events(draft.cycle, "cancel").exists()


def test_a_launched_cycle_cannot_be_cancelled(client, world):
    client.force_login(world.hr)
    response = client.post(_url("cycle_cancel", world.cycle), {"reason": "Қате ашылды"}, **EN)
    assert response.status_code == 409
    html = response.content.decode()
    assert "The cycle was not cancelled" in html and "Not allowed:" in html and "cancel" in html
    assert _state(world.cycle) == CycleState.LAUNCHED and not _events(world.cycle, "cancel").exists()
    assert client.get(_url("cycle_cancel", world.cycle))["Location"] == _url("cycle", world.cycle)


# -- close -----------------------------------------------------------------------------------------

def test_closing_a_launched_cycle_asks_first_then_records_it(client, specialists_only):
    hr, cycle = specialists_only
    client.force_login(hr)
    page = client.get(_url("cycle_close", cycle), **EN)
    assert page.status_code == 200 and 'data-confirm-end="close"' in page.content.decode()
    assert 'name="reason"' not in page.content.decode()
    assert _state(cycle) == CycleState.LAUNCHED
    response = client.post(_url("cycle_close", cycle), **EN)
    assert response.status_code == 302 and response["Location"] == _url("cycle", cycle)
    assert _state(cycle) == CycleState.CLOSED
    event = _events(cycle, "close").get()
    assert (event.from_state, event.to_state) == ("launched", "closed")
    board = client.get(response["Location"], **EN).content.decode()
    assert f"Cycle {cycle.label} is closed." in board and _url("cycle_close", cycle) not in board


def test_a_cycle_whose_sheets_have_not_reached_the_commission_stays_open(client, world):
    client.force_login(world.hr)
    response = client.post(_url("cycle_close", world.cycle), **EN)
    assert response.status_code == 400
    html = response.content.decode()
    kpi = Participant.objects.filter(cycle=world.cycle, track=Track.KPI).count()
    assert 'data-error="end"' in html and f"{kpi} KPI participant(s) have not reached the Commission" in html
    assert _state(world.cycle) == CycleState.LAUNCHED and not _events(world.cycle, "close").exists()


def test_a_draft_cannot_be_closed(client, draft):
    client.force_login(draft.hr)
    response = client.post(_url("cycle_close", draft.cycle), **EN)
    assert response.status_code == 409
    assert "The cycle was not closed" in response.content.decode() and "Not allowed:" in response.content.decode()
    assert _state(draft.cycle) == CycleState.DRAFT


def test_a_manager_may_not_close(client, world):
    client.force_login(world.users["head_b"])
    assert client.get(_url("cycle_close", world.cycle)).status_code == 403
    assert client.post(_url("cycle_close", world.cycle)).status_code == 403
    assert _state(world.cycle) == CycleState.LAUNCHED


def test_another_body_s_cycle_is_not_found(client, world, foreign):
    client.force_login(world.hr)
    for name in ("cycle_cancel", "cycle_close"):
        assert client.get(_url(name, foreign.cycle)).status_code == 404, name
        assert client.post(_url(name, foreign.cycle), {"reason": "Қате"}).status_code == 404, name
    assert _state(foreign.cycle) == CycleState.LAUNCHED


def test_the_confirmation_pages_render_in_kazakh_and_russian(client, draft, specialists_only):
    hr, launched = specialists_only
    for lang in ("kk", "ru"):
        client.force_login(draft.hr)
        page = client.get(_url("cycle_cancel", draft.cycle), HTTP_ACCEPT_LANGUAGE=lang)
        assert page.status_code == 200 and f'lang="{lang}"' in page.content.decode(), lang
        assert "Evaluation cycles" not in page.content.decode(), lang  # the shell and crumbs are translated
        client.force_login(hr)
        page = client.get(_url("cycle_close", launched), HTTP_ACCEPT_LANGUAGE=lang)
        assert page.status_code == 200 and "Evaluation cycles" not in page.content.decode(), lang
