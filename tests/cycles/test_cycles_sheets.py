"""The KPI evaluation sheet: the rating derived by the core from the results, never typed
(S1-p.50); the reviewer agrees or returns citing the grounds of S1-p.54 and cannot edit; a
returned sheet is corrected and resubmitted; HR submits it to the Commission."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bagalau.audit.models import AuditEvent
from bagalau.cycles import services
from bagalau.cycles.models import KpiOutcome, Participation, SheetState
from bagalau.inbox.models import ItemState, WorkItem
from bagalau.orgs.models import Absence, AbsenceKind
from tests.cycles import flow
from tests.cycles.builders import build_org, kpis

D = dt.date


@pytest.fixture
def plan(org, hr, clock):
    cycle = flow.launch(org, hr, clock)
    plan = flow.approved_plan(org, cycle, "head_d", "head_c", "head_b")
    clock.day = D(2024, 12, 20)
    return plan


@pytest.mark.parametrize("achieved, rating", [
    (5, "EFFECTIVE"), (4, "PROPER"), (3, "SATISFACTORY"), (2, "UNSATISFACTORY"), (1, "UNSATISFACTORY"),
    (0, "UNSATISFACTORY"),
])
def test_rating_is_derived_from_the_count_achieved(org, plan, achieved, rating):
    sheet = flow.filled_sheet(org, plan, "head_c", achieved=achieved)
    assert (sheet.achieved_count, sheet.rating, sheet.rating_clause) == (achieved, rating, "G23-kpi-grading")
    assert sheet.rating_decision["inputs"]["achieved"] == achieved
    assert sheet.rating_verified is False  # the typical G2023 grading is unverified ([INF])


def test_rating_clause_is_S1_p50_under_koksu_for_every_count(db, body, hr, clock):
    org = build_org(body, version_id="koksu-3-24", adopted_from=D(2023, 5, 6))
    cycle = flow.launch(org, hr, clock, on=D(2023, 8, 2), period_start=D(2023, 8, 1), period_end=D(2023, 8, 31))
    plan = flow.submitted_plan(org, cycle, "head_d", "head_c", kpis=kpis(deadline=D(2023, 8, 25)))
    plan = services.approve_plan(org.user("head_b"), body, plan.pk, expected_version=plan.version)
    clock.day = D(2023, 8, 29)
    sheet = flow.sheet_of(plan)
    seen = {}
    for n in range(6):
        sheet = services.save_sheet(org.user("head_c"), body, sheet.pk, results=flow.results(n),
                                    expected_version=sheet.version)
        seen[n] = (sheet.rating, sheet.rating_clause)
    assert seen == {5: ("EFFECTIVE", "S1-p.50"), 4: ("PROPER", "S1-p.50"), 3: ("SATISFACTORY", "S1-p.50"),
                    2: ("UNSATISFACTORY", "S1-p.50"), 1: ("UNSATISFACTORY", "S1-p.50"),
                    0: ("UNSATISFACTORY", "S1-p.50")}


def test_a_partly_met_kpi_is_not_achieved_S1_p50(org, plan):
    sheet = flow.sheet_of(plan)
    rows = [{"number": i, "indicators_planned": 10, "indicators_met": 10} for i in range(1, 6)]
    rows[4]["indicators_met"] = 9  # KPI 5 met at 90 %
    sheet = services.save_sheet(org.user("head_c"), org.body, sheet.pk, results=rows, expected_version=sheet.version)
    assert (sheet.achieved_count, sheet.rating) == (4, "PROPER")
    assert KpiOutcome.objects.get(sheet=sheet, number=5).achieved is False
    assert "KPI 5 was partly met" in sheet.rating_decision["warnings"][0]


def test_the_rating_cannot_be_typed_and_stays_empty_until_every_kpi_has_a_result(org, plan):
    sheet = flow.sheet_of(plan)
    with pytest.raises(ValidationError) as info:
        services.save_sheet(org.user("head_c"), org.body, sheet.pk, expected_version=sheet.version,
                            results=[{"number": 1, "achieved": True, "rating": "EFFECTIVE"}])
    assert "results-1-number" in info.value.message_dict
    sheet = services.save_sheet(org.user("head_c"), org.body, sheet.pk, expected_version=sheet.version,
                                results=[{"number": 1, "achieved": True}])
    assert sheet.rating == "" and sheet.achieved_count is None
    with pytest.raises(ValidationError) as info:
        services.sign_sheet(org.user("head_c"), org.body, sheet.pk, expected_version=sheet.version)
    assert set(info.value.message_dict) == {f"results-{n}-indicators_met" for n in (2, 3, 4, 5)}


def test_bad_results_name_their_fields(org, plan):
    sheet = flow.sheet_of(plan)
    with pytest.raises(ValidationError) as info:
        services.save_sheet(org.user("head_c"), org.body, sheet.pk, expected_version=sheet.version, results=[
            {"number": 1, "indicators_planned": 2, "indicators_met": 3},
            {"number": 9, "achieved": True},
            {"number": 3, "achieved": "yes"},
        ])
    assert set(info.value.message_dict) == {"results-1-indicators_met", "results-2-number", "results-3-achieved"}
    assert flow.fresh(sheet).version == sheet.version


def test_the_reviewer_cannot_edit_the_result_Q19(org, plan):
    sheet = flow.signed_sheet(org, plan, "head_c", achieved=2)
    for call in (
        lambda: services.save_sheet(org.user("head_b"), org.body, sheet.pk, results=flow.results(5),
                                    expected_version=sheet.version),
        lambda: services.remove_evidence(org.user("head_b"), org.body, sheet.pk, file_id=1,
                                         expected_version=sheet.version),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert flow.fresh(sheet).rating == "UNSATISFACTORY"


def test_return_needs_a_ground_the_text_names_S1_p54(org, plan):
    sheet = flow.signed_sheet(org, plan, "head_c")
    reviewer = org.user("head_b")
    for grounds, field in (([], "grounds"), (["looks_wrong"], "grounds")):
        with pytest.raises(ValidationError) as info:
            services.return_sheet(reviewer, org.body, sheet.pk, expected_version=sheet.version, grounds=grounds,
                                  reason="See KPI 3")
        assert field in info.value.message_dict and "G23-sheet-return" in info.value.message_dict[field][0]
    with pytest.raises(ValidationError) as info:
        services.return_sheet(reviewer, org.body, sheet.pk, expected_version=sheet.version,
                              grounds=["unreliable_evidence"], reason="")
    assert "reason" in info.value.message_dict
    assert flow.fresh(sheet).state == SheetState.UNDER_REVIEW


def test_returned_corrected_resubmitted_agreed_and_forwarded(org, plan, hr, clock):
    sheet = flow.signed_sheet(org, plan, "head_c", achieved=5)
    sheet = services.return_sheet(org.user("head_b"), org.body, sheet.pk, expected_version=sheet.version,
                                  grounds=["insufficient_evidence", "unreliable_evidence"],
                                  reason="No act of acceptance for KPI 2")
    assert sheet.state == SheetState.RETURNED and sheet.times_returned == 1
    assert sheet.due_rule == "sheet_resubmission_due" and sheet.due_clause == "G23-sheet-return"
    correct = WorkItem.objects.get(object_id=str(sheet.pk), action="sheet.correct")
    assert correct.assignee == org.user("head_c") and correct.due == sheet.due_on
    sheet = services.save_sheet(org.user("head_c"), org.body, sheet.pk, results=flow.results(4),
                                expected_version=sheet.version)
    sheet = services.sign_sheet(org.user("head_c"), org.body, sheet.pk, expected_version=sheet.version)
    assert AuditEvent.objects.filter(action="cycles.sheet.sign").latest("id").clause == "G23-sheet-return"
    assert WorkItem.objects.get(pk=correct.pk).state == ItemState.DONE
    sheet = services.agree_sheet(org.user("head_b"), org.body, sheet.pk, expected_version=sheet.version)
    assert sheet.state == SheetState.AGREED and sheet.due_rule == "hr_to_commission_due"
    forward = WorkItem.objects.get(object_id=str(sheet.pk), action="sheet.forward")
    assert forward.assignee is None and forward.assignee_role == "hr" and forward.due == sheet.due_on
    sheet = services.forward_sheet(hr, org.body, sheet.pk, expected_version=sheet.version)
    assert sheet.state == SheetState.SUBMITTED_TO_COMMISSION and sheet.rating == "PROPER"
    event = AuditEvent.objects.filter(action="cycles.sheet.forward").get()
    assert event.clause == "G23-sheet-to-commission" and event.payload["late"] is False


def test_without_participation_goes_through_the_same_steps(org, hr, clock):
    Absence.objects.create(body=org.body, servant=org.servants["head_d"], kind=AbsenceKind.SOCIAL_LEAVE,
                           start=D(2023, 6, 1), end=D(2026, 6, 1))
    cycle = flow.launch(org, hr, clock)
    plan = flow.approved_plan(org, cycle, "head_d", "head_c", "head_b")
    assert plan.participant.participation == Participation.WITHOUT
    clock.day = D(2024, 12, 20)
    sheet = flow.signed_sheet(org, plan, "head_c", achieved=3)
    sheet = services.agree_sheet(org.user("head_b"), org.body, sheet.pk, expected_version=sheet.version)
    sheet = services.forward_sheet(hr, org.body, sheet.pk, expected_version=sheet.version)
    assert sheet.state == SheetState.SUBMITTED_TO_COMMISSION and sheet.rating == "SATISFACTORY"
