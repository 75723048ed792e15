"""The individual work plan: the core's checks on submit (exactly 5 KPIs, S1-p.48; SMART and a
deadline inside the period, S1-p.47), errors named per field, the approver from the snapshot and
the first-head case (S1-p.45, S1-p.46)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bagalau.audit.models import AuditEvent
from bagalau.cycles import services
from bagalau.cycles.models import Kpi, KpiSheet, PlanState, Signature
from bagalau.inbox.models import ItemState, WorkItem
from tests.cycles import flow
from tests.cycles.builders import build_org, kpis

D = dt.date


@pytest.fixture
def cycle(org, hr, clock):
    return flow.launch(org, hr, clock)


def _draft(org, cycle, key="head_d", drafter="head_c", rows=None):
    plan = flow.plan_of(cycle, org, key)
    return services.save_plan(org.user(drafter), org.body, plan.pk, kpis=kpis() if rows is None else rows,
                              expected_version=plan.version)


def test_four_kpis_are_refused_with_the_count_clause(org, cycle):
    plan = _draft(org, cycle, rows=kpis(4))
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        services.submit_plan(org.user("head_c"), org.body, plan.pk, expected_version=plan.version)
    message = info.value.message_dict["kpis"][0]
    assert "exactly 5 KPIs" in message and "holds 4" in message and "G23-kpi-count" in message
    assert flow.fresh(plan).state == PlanState.DRAFT and AuditEvent.objects.count() == events
    assert not Signature.objects.exists()


def test_six_kpis_are_refused_too(org, cycle):
    plan = _draft(org, cycle, rows=kpis(6))
    with pytest.raises(ValidationError) as info:
        services.submit_plan(org.user("head_c"), org.body, plan.pk, expected_version=plan.version)
    assert "holds 6" in info.value.message_dict["kpis"][0]


def test_koksu_cites_S1_p48_for_the_count(db, body, hr, clock):
    org = build_org(body, version_id="koksu-3-24", adopted_from=D(2023, 5, 6))
    cycle = flow.launch(org, hr, clock, on=D(2023, 8, 10), period_start=D(2023, 8, 1), period_end=D(2023, 8, 31))
    plan = _draft(org, cycle, rows=kpis(4, deadline=D(2023, 8, 30)))
    with pytest.raises(ValidationError) as info:
        services.submit_plan(org.user("head_c"), org.body, plan.pk, expected_version=plan.version)
    assert "(S1-p.48)" in info.value.message_dict["kpis"][0]


def test_a_deadline_outside_the_period_is_refused_naming_the_field(org, cycle):
    rows = kpis()
    rows[2]["deadline"] = D(2025, 1, 15)
    plan = _draft(org, cycle, rows=rows)
    with pytest.raises(ValidationError) as info:
        services.submit_plan(org.user("head_c"), org.body, plan.pk, expected_version=plan.version)
    errors = info.value.message_dict
    assert set(errors) == {"kpis-3-deadline"}
    assert "outside the evaluated period" in errors["kpis-3-deadline"][0]
    assert "G23-kpi-smart" in errors["kpis-3-deadline"][0]


def test_missing_smart_fields_are_named_one_by_one(org, cycle):
    rows = kpis()
    rows[0]["measure"] = ""
    rows[4]["strategic_goal_ref"] = "  "
    rows[1]["text_kk"] = rows[1]["text_ru"] = ""
    plan = _draft(org, cycle, rows=rows)
    with pytest.raises(ValidationError) as info:
        services.submit_plan(org.user("head_c"), org.body, plan.pk, expected_version=plan.version)
    assert set(info.value.message_dict) == {"kpis-1-measure", "kpis-5-strategic_goal_ref", "kpis-2-text"}


def test_malformed_input_on_save_is_refused_before_writing(org, cycle):
    plan = flow.plan_of(cycle, org, "head_d")
    rows = kpis()
    rows[1]["deadline"] = "31.12.2024"
    rows[3]["colour"] = "red"
    with pytest.raises(ValidationError) as info:
        services.save_plan(org.user("head_c"), org.body, plan.pk, kpis=rows, expected_version=plan.version)
    assert set(info.value.message_dict) == {"kpis-2-deadline", "kpis-4"}
    assert not Kpi.objects.filter(plan=plan).exists() and flow.fresh(plan).version == plan.version


def test_save_replaces_the_kpis_and_a_draft_may_be_incomplete(org, cycle):
    plan = _draft(org, cycle, rows=kpis(6))
    plan = _draft(org, cycle, rows=kpis(2) + [{"text_kk": "draft"}])
    assert list(plan.kpis.values_list("number", flat=True)) == [1, 2, 3]
    assert plan.version == 3


def test_approved_by_the_superior_manager_opens_the_sheet(org, cycle):
    plan = flow.submitted_plan(org, cycle, "head_d", "head_c")
    assert plan.state == PlanState.SUBMITTED
    with pytest.raises(PermissionDenied):  # the first head is not head_d's approver: head_b is
        services.approve_plan(org.user("chairman"), org.body, plan.pk, expected_version=plan.version)
    plan = services.approve_plan(org.user("head_b"), org.body, plan.pk, expected_version=plan.version)
    assert plan.state == PlanState.APPROVED and plan.due_on is None
    event = AuditEvent.objects.filter(action="cycles.plan.approve").get()
    assert event.clause == "G23-kpi-setting" and event.role == "reviewer"
    sheet = KpiSheet.objects.get(plan=plan)
    assert list(sheet.outcomes.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert WorkItem.objects.get(object_id=str(sheet.pk), action="sheet.fill").assignee == org.user("head_c")
    assert WorkItem.objects.get(object_id=str(plan.pk), action="iwp.approve").state == ItemState.DONE
    assert [(s.role, s.action) for s in plan.signatures.all()] == [("direct_manager", "submit"),
                                                                  ("reviewer", "approve")]


def test_returned_with_a_reason_then_corrected_and_resubmitted(org, cycle, clock):
    plan = flow.submitted_plan(org, cycle, "head_d", "head_c")
    with pytest.raises(ValidationError) as info:
        services.return_plan(org.user("head_b"), org.body, plan.pk, expected_version=plan.version, reason=" ")
    assert "reason" in info.value.message_dict
    plan = services.return_plan(org.user("head_b"), org.body, plan.pk, expected_version=plan.version,
                                reason="KPI 4 has no measurable target")
    assert plan.state == PlanState.RETURNED and plan.return_reason.startswith("KPI 4")
    assert plan.due_rule == "iwp_due" and plan.due_on is not None  # still due by the S1-p.44 date
    item = WorkItem.objects.get(object_id=str(plan.pk), action="iwp.correct")
    assert item.assignee == org.user("head_c") and item.due == plan.due_on
    plan = _draft(org, cycle)
    plan = services.submit_plan(org.user("head_c"), org.body, plan.pk, expected_version=plan.version)
    assert plan.state == PlanState.SUBMITTED and plan.return_reason == ""


def test_first_head_as_direct_manager_drafts_approves_and_reviews_S1_p46_p52(org, cycle, clock):
    """head_b heads a top unit: the first head is his direct manager, there is no superior level."""
    chairman = org.user("chairman")
    plan = flow.submitted_plan(org, cycle, "head_b", "chairman")
    plan = services.approve_plan(chairman, org.body, plan.pk, expected_version=plan.version)
    assert AuditEvent.objects.filter(action="cycles.plan.approve").get().clause == "G23-kpi-setting"
    clock.day = D(2024, 12, 20)
    sheet = flow.signed_sheet(org, plan, "chairman", achieved=5)
    assert sheet.rating == "EFFECTIVE"
    sheet = services.agree_sheet(chairman, org.body, sheet.pk, expected_version=sheet.version)
    agree = AuditEvent.objects.filter(action="cycles.sheet.agree").get()
    # The first-head variant of the review clause (S1-p.52 in Koksu; its G23 placeholder here).
    assert agree.clause == "G23-sheet-return" and agree.role == "reviewer"
    assert [s.user for s in sheet.signatures.all()] == [chairman, chairman]
    # Nobody else can review it: head_c (below) and HR are not the reviewer.
    assert sheet.participant.superior_manager is None


def test_first_head_case_cites_S1_p46_and_S1_p52_under_koksu(db, body, hr, clock):
    org = build_org(body, version_id="koksu-3-24", adopted_from=D(2023, 5, 6))
    cycle = flow.launch(org, hr, clock, on=D(2023, 8, 2), period_start=D(2023, 8, 1), period_end=D(2023, 8, 31))
    chairman = org.user("chairman")
    plan = flow.submitted_plan(org, cycle, "head_b", "chairman", kpis=kpis(deadline=D(2023, 8, 25)))
    plan = services.approve_plan(chairman, org.body, plan.pk, expected_version=plan.version)
    assert AuditEvent.objects.filter(action="cycles.plan.approve").get().clause == "S1-p.46"
    clock.day = D(2023, 8, 28)
    sheet = flow.signed_sheet(org, plan, "chairman", achieved=3)
    assert (sheet.rating, sheet.rating_clause) == ("SATISFACTORY", "S1-p.50")
    services.agree_sheet(chairman, org.body, sheet.pk, expected_version=sheet.version)
    assert AuditEvent.objects.filter(action="cycles.sheet.agree").get().clause == "S1-p.52"
    # The ordinary case names S1-p.45.
    plan_d = flow.submitted_plan(org, cycle, "head_d", "head_c", kpis=kpis(deadline=D(2023, 8, 25)))
    services.approve_plan(org.user("head_b"), org.body, plan_d.pk, expected_version=plan_d.version)
    assert AuditEvent.objects.filter(action="cycles.plan.approve").latest("id").clause == "S1-p.45"


def test_submit_after_the_iwp_deadline_is_recorded_as_late(org, cycle, clock):
    plan = _draft(org, cycle)
    clock.day = D(2024, 3, 1)
    services.submit_plan(org.user("head_c"), org.body, plan.pk, expected_version=plan.version)
    event = AuditEvent.objects.get(action="cycles.plan.submit")
    assert event.payload["late"] is True and event.payload["step_due_rule"] == "iwp_due"


def test_work_items_link_to_the_document_page(org, cycle):
    plan = flow.plan_of(cycle, org, "head_d")
    item = WorkItem.objects.get(object_id=str(plan.pk), action="iwp.draft")
    assert item.url == f"/plans/{plan.pk}/"
    assert item.title_kk and item.title_ru and org.servants["head_d"].full_name in item.title_en


def test_the_next_actor_is_notified_and_a_refused_move_notifies_nobody(org, cycle):
    from bagalau.notifications.models import KIND_WORKFLOW, Notification

    name = org.servants["head_d"].full_name
    drafting = Notification.objects.filter(recipient=org.user("head_c"), kind=KIND_WORKFLOW)
    assert [name in n.subject for n in drafting] == [True]  # "draft the plan of head_d", queued at launch
    about_d = Notification.objects.filter(recipient=org.user("head_b"), subject__contains=name)
    plan = _draft(org, cycle, rows=kpis(4))
    with pytest.raises(ValidationError):
        services.submit_plan(org.user("head_c"), org.body, plan.pk, expected_version=plan.version)
    assert not about_d.exists()
    plan = _draft(org, cycle)
    services.submit_plan(org.user("head_c"), org.body, plan.pk, expected_version=plan.version)
    notice = about_d.get()
    item = WorkItem.objects.get(object_id=str(plan.pk), action="iwp.approve")
    assert notice.subject == item.title(notice.language) and notice.address == org.user("head_b").email
