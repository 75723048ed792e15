"""Familiarization with the approved result (S1-p.12, p.68): opened by the approval with its due
date counted on the working-day calendar, signed by the servant, seen by HR on the board."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from bagalau.audit.models import AuditEvent
from bagalau.inbox.models import ItemState, WorkItem
from bagalau.notifications.models import Notification
from bagalau.outcomes import selectors, services
from bagalau.outcomes.models import FamiliarizationState
from bagalau.outcomes.workflow import IllegalTransition
from tests import factories
from tests.commission import kit
from tests.outcomes import kit as out

D = dt.date


def test_the_approval_opens_one_familiarization_per_result_due_in_two_working_days_S1_p12(world, results):
    fam = out.fam(results["head_b"])
    # Approved Fri 17.01.2025; day 1 Mon 20.01, day 2 Tue 21.01 (the weekend is skipped).
    assert (fam.state, fam.due, fam.due_rule, fam.due_clause) == ("pending", D(2025, 1, 21), "familiarization_due",
                                                                    "G23-familiarization")
    assert fam.servant == world.servant("head_b")
    item = WorkItem.objects.get(action="outcomes.sign", object_id=str(fam.pk))
    assert (item.assignee, item.due, item.due_clause, item.state) == (world.user("head_b"), fam.due,
                                                                      "G23-familiarization", ItemState.OPEN)
    message = Notification.objects.get(dedupe_key=f"outcomes:result:{results['head_b'].pk}:email")
    assert "21.01.2025" in message.body_text and "31.01.2025" in message.body_text  # sign by, appeal by
    assert AuditEvent.objects.filter(action="outcomes.familiarization.open", object_id=str(fam.pk)).exists()


def test_familiarization_and_appeal_deadlines_cross_the_new_year_holidays_and_a_transferred_working_sunday(world):
    """Approved Tue 31.12.2024: 1-2 Jan are holidays, Fri 3 Jan a transferred day off, Sun 5 Jan a
    transferred working day (day 1), Mon 6 Jan day 2; 7 Jan (Orthodox Christmas) is off, so the
    tenth working day of the appeal window is Fri 17.01.2025."""
    results = out.approved(world, order_date=D(2024, 12, 16), propose_on=D(2024, 12, 20), meeting_on=D(2024, 12, 27),
                           approve_on=D(2024, 12, 31))
    fam = out.fam(results["head_c"])
    assert fam.due == D(2025, 1, 6)
    lines = fam.due_explanation["lines"]["en"]
    assert any("05.01.2025" in line for line in lines)
    page = selectors.my_page(world.user("head_c"), world.body)
    (mine,) = page.results
    assert mine.appeal_by is not None and mine.appeal_by.on == D(2025, 1, 17)
    assert [(d.on, d.clause) for d in page.deadlines] == [(D(2025, 1, 6), "G23-familiarization"),
                                                          (D(2025, 1, 17), "G23-appeal")]


def test_deadlines_across_the_nauryz_holidays_2025(world):
    """Approved Thu 20.03.2025: Fri 21.03 Nauryz, Mon 24 and Tue 25.03 carried-over days off, so the
    2 working days end on Thu 27.03.2025."""
    results = out.approved(world, approve_on=D(2025, 3, 20))
    assert out.fam(results["head_b"]).due == D(2025, 3, 27)


def test_the_servant_signs_the_result_as_shown_on_time(world, results, clock):
    fam = out.fam(results["head_b"])
    clock.day = D(2025, 1, 20)
    signed = services.sign_result(world.user("head_b"), world.body, fam.pk, expected_version=fam.version)
    assert (signed.state, signed.signed_on_time) == (FamiliarizationState.SIGNED, True)
    assert signed.signed_sha256 == hashlib.sha256(signed.signed_content.encode()).hexdigest()
    assert '"value":"EFFECTIVE"' in signed.signed_content
    assert WorkItem.objects.get(action="outcomes.sign", object_id=str(fam.pk)).state == ItemState.DONE
    event = AuditEvent.objects.get(action="outcomes.familiarization.sign", object_id=str(fam.pk))
    assert (event.from_state, event.to_state, event.clause, event.payload["on_time"]) == (
        "pending", "signed", "G23-familiarization", True)
    again = services.sign_result(world.user("head_b"), world.body, fam.pk, expected_version=1)
    assert again.version == signed.version  # a double click changes nothing


def test_a_late_signature_is_recorded_as_late(world, results, clock):
    fam = out.fam(results["head_c"])
    clock.day = D(2025, 1, 22)
    signed = services.sign_result(world.user("head_c"), world.body, fam.pk, expected_version=fam.version)
    assert signed.signed_on_time is False


def test_only_the_servant_signs_their_own_result(world, results):
    fam = out.fam(results["head_b"])
    for actor in (world.hr, world.user("head_c"), world.authorized):
        with pytest.raises(PermissionDenied):
            services.sign_result(actor, world.body, fam.pk, expected_version=fam.version)


def test_another_body_sees_and_changes_nothing(world, results, other_body, other_hr):
    fam = out.fam(results["head_b"])
    with pytest.raises(Http404):
        services.sign_result(world.user("head_b"), other_body, fam.pk, expected_version=fam.version)
    with pytest.raises(Http404):
        selectors.familiarization(other_hr, other_body, fam.pk)
    assert selectors.board(other_hr, other_body) == []
    with pytest.raises(PermissionDenied):
        selectors.board(other_hr, world.body)


def test_hr_sees_who_has_not_signed_yet(world, results, clock):
    fam = out.fam(results["head_b"])
    services.sign_result(world.user("head_b"), world.body, fam.pk, expected_version=fam.version)
    rows = selectors.board(world.hr, world.body, only_open=True)
    assert sorted(r.fam.servant_id for r in rows) == [world.servant("head_c").pk, world.servant("head_d").pk]
    clock.day = D(2025, 1, 22)
    assert all(r.overdue for r in selectors.board(world.hr, world.body, only_open=True))
    with pytest.raises(PermissionDenied):
        selectors.board(world.user("head_c"), world.body)


def test_a_stale_version_is_a_conflict(world, results):
    from bagalau.cycles.errors import Conflict

    fam = out.fam(results["head_b"])
    with pytest.raises(Conflict):
        services.sign_result(world.user("head_b"), world.body, fam.pk, expected_version=fam.version + 5)


def test_signing_after_a_refusal_is_an_illegal_move(world, results):
    fam = out.fam(results["head_d"])
    fam = services.refuse_to_sign(world.user("head_d"), world.body, fam.pk, expected_version=fam.version)
    with pytest.raises(IllegalTransition):
        services.sign_result(world.user("head_d"), world.body, fam.pk, expected_version=fam.version)


def test_a_servant_without_login_gets_an_hr_item(world, clock):
    head_d = world.servant("head_d")
    head_d.user = None
    head_d.save(update_fields=["user"])
    results = out.approved(world)
    fam = out.fam(results["head_d"])
    item = WorkItem.objects.get(action="outcomes.sign", object_id=str(fam.pk))
    assert (item.assignee, item.assignee_role) == (None, "hr")


def test_factories_still_make_independent_bodies():
    assert factories.make_bin(1) != factories.make_bin(2)
    assert kit.EVALUATED == ("head_b", "head_c", "head_d")
