"""Launching a cycle: the version pin, who is evaluated and how, each with its clause (S1-p.6,
methods by the head flag), the preview that writes nothing, and the snapshot that later org
changes do not rewrite."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bagalau.audit.models import AuditEvent
from bagalau.cycles import services
from bagalau.cycles.launch import describe_note
from bagalau.cycles.models import (
    CycleState,
    EvaluationCycle,
    IndividualWorkPlan,
    Participant,
    ParticipantStatus,
    Participation,
    PeriodKind,
    ReviewerKind,
    Track,
)
from bagalau.inbox.models import WorkItem
from bagalau.lawbook.models import MethodologyAdoption
from bagalau.orgs.models import Absence, AbsenceKind, Appointment
from tests import factories
from tests.cycles import flow
from tests.cycles.builders import build_org, person

D = dt.date


def _by_key(org, cycle):
    rows = {p.servant_id: p for p in Participant.objects.filter(cycle=cycle)}
    return {key: rows.get(s.pk) for key, s in org.servants.items()}


def test_preview_lists_everyone_with_reasons_and_writes_nothing(org, hr, clock):
    cycle = services.create_cycle(hr, org.body, kind=PeriodKind.YEAR, year=2024)
    events = AuditEvent.objects.count()
    preview = services.preview_launch(hr, org.body, cycle.pk)
    assert preview.version_id == "typical-g2023"
    by_name = {d.servant.pk: d for d in preview.participants}
    assert len(by_name) == 5
    assert by_name[org.servants["spec"].pk].track == Track.OTHER_METHODS  # non-head: ranking (G2023 defaults)
    assert by_name[org.servants["head_d"].pk].methods == ["kpi", "method_360"]
    assert by_name[org.servants["head_d"].pk].methods_clause == "G23-methods"
    assert AuditEvent.objects.count() == events
    assert not Participant.objects.exists() and not IndividualWorkPlan.objects.exists()
    assert EvaluationCycle.objects.get(pk=cycle.pk).state == CycleState.DRAFT


def test_launch_pins_the_version_and_snapshots_the_reporting_lines(org, hr, clock):
    cycle = flow.launch(org, hr, clock)
    assert cycle.state == CycleState.LAUNCHED and cycle.methodology_version == "typical-g2023"
    assert cycle.snapshot_on == D(2024, 1, 10)
    p = _by_key(org, cycle)
    s = org.servants
    assert (p["head_d"].direct_manager, p["head_d"].superior_manager) == (s["head_c"], s["head_b"])
    assert p["head_d"].plan_approver == s["head_b"] and p["head_d"].plan_approver_kind == ReviewerKind.SUPERIOR_MANAGER
    # The first head directly above a unit head: he approves and reviews, no superior level (S1-p.46, p.52).
    assert p["head_b"].first_head_is_direct and p["head_b"].superior_manager is None
    assert p["head_b"].plan_approver == s["chairman"] and p["head_b"].plan_approver_kind == ReviewerKind.FIRST_HEAD
    assert p["head_b"].sheet_reviewer == s["chairman"] and p["head_b"].sheet_reviewer_kind == ReviewerKind.FIRST_HEAD
    assert p["head_b"].line_clause == "S1-p.46"
    assert p["head_d"].authorized_person == s["chairman"] and p["head_d"].first_head == s["chairman"]
    assert p["head_d"].category == "E-3" and p["head_d"].is_head_of_unit and p["head_d"].unit_code == "02-1-1"
    # The first head: included, no manager, noted for HR; nobody can draft his plan.
    assert p["chairman"].track == Track.BLOCKED
    assert {n["code"] for n in p["chairman"].notes} >= {"first_head_included", "no_direct_manager"}
    # Plans for the KPI participants with a drafter, each with its work item for the direct manager.
    plans = IndividualWorkPlan.objects.filter(cycle=cycle)
    assert {pl.participant.servant_id for pl in plans} == {s["head_b"].pk, s["head_c"].pk, s["head_d"].pk}
    item = WorkItem.objects.get(object_id=str(flow.plan_of(cycle, org, "head_d").pk), action="iwp.draft")
    assert item.assignee == org.user("head_c") and item.due_rule == "iwp_due" and item.due is not None
    launch = AuditEvent.objects.get(action="cycles.cycle.launch")
    assert launch.clause == "G23-methods" and launch.payload["methodology_version"] == "typical-g2023"


def test_launching_twice_changes_nothing(org, hr, clock):
    cycle = flow.launch(org, hr, clock)
    counts = (Participant.objects.count(), AuditEvent.objects.count(), WorkItem.objects.count())
    again = services.launch_cycle(hr, org.body, cycle.pk)
    assert again.pk == cycle.pk
    assert counts == (Participant.objects.count(), AuditEvent.objects.count(), WorkItem.objects.count())


def test_no_adopted_methodology_is_a_clear_error_and_nothing_is_written(body, hr, clock):
    org = build_org(body)
    MethodologyAdoption.objects.filter(body=body).delete()
    cycle = services.create_cycle(hr, body, kind=PeriodKind.YEAR, year=2024)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        services.launch_cycle(hr, body, cycle.pk)
    assert "period_start" in info.value.message_dict
    assert "adopted no methodology" in info.value.message_dict["period_start"][0]
    assert AuditEvent.objects.count() == events and not Participant.objects.exists()
    assert EvaluationCycle.objects.get(pk=cycle.pk).state == CycleState.DRAFT
    assert org.body == body


def test_appointed_less_than_a_month_before_period_end_is_excluded_S1_p6(org, hr, clock):
    newcomer = person(org, "newcomer", factories.position(org.units["02"], "02-09"), D(2024, 12, 5))
    on_time = person(org, "on_time", factories.position(org.units["02"], "02-10"), D(2024, 12, 1))
    cycle = flow.launch(org, hr, clock, on=D(2025, 1, 10))
    late = Participant.objects.get(cycle=cycle, servant=newcomer)
    assert late.status == ParticipantStatus.EXCLUDED and late.track == Track.EXCLUDED
    assert late.exclusion_reason == "less_than_min_time_in_position"
    assert late.exclusion_clause == "G23-exclusions"  # the typical text's clause modelled on S1-p.6
    assert late.decisions["evaluable"]["details"]["minimum_reached_on"] == "2025-01-04"
    assert "2025-01-04" in describe_note(late.notes[0]) and describe_note(late.notes[0]).endswith("(G23-exclusions)")
    assert Participant.objects.get(cycle=cycle, servant=on_time).status == ParticipantStatus.EVALUATED


def test_social_leave_means_without_participation_not_exclusion_S1_p6(org, hr, clock):
    Absence.objects.create(body=org.body, servant=org.servants["head_d"], kind=AbsenceKind.SOCIAL_LEAVE,
                           start=D(2023, 10, 1), end=D(2025, 10, 1))
    cycle = flow.launch(org, hr, clock)
    p = Participant.objects.get(cycle=cycle, servant=org.servants["head_d"])
    assert p.status == ParticipantStatus.EVALUATED and p.track == Track.KPI
    assert p.participation == Participation.WITHOUT and p.participation_clause == "G23-exclusions"
    assert p.absence_kinds == ["social_leave"]
    assert IndividualWorkPlan.objects.filter(participant=p).exists()  # still gets a plan
    other = Participant.objects.get(cycle=cycle, servant=org.servants["head_c"])
    assert other.participation == Participation.WITH


def test_the_koksu_text_cites_S1_p6_for_both_rules(db, body, hr, clock):
    org = build_org(body, version_id="koksu-3-24", adopted_from=D(2023, 5, 6))
    newcomer = person(org, "newcomer", factories.position(org.units["02"], "02-09"), D(2023, 8, 5))
    Absence.objects.create(body=body, servant=org.servants["head_d"], kind=AbsenceKind.SICK_LEAVE,
                           start=D(2023, 8, 14), end=D(2023, 8, 18))
    # Koksu's KPI chapter is in force only in August 2023 (S1-dec.2): a window inside it.
    cycle = flow.launch(org, hr, clock, on=D(2023, 8, 10), period_start=D(2023, 8, 1), period_end=D(2023, 8, 31))
    assert cycle.methodology_version == "koksu-3-24"
    late = Participant.objects.get(cycle=cycle, servant=newcomer)
    assert (late.status, late.exclusion_clause) == (ParticipantStatus.EXCLUDED, "S1-p.6")
    sick = Participant.objects.get(cycle=cycle, servant=org.servants["head_d"])
    assert (sick.participation, sick.participation_clause) == (Participation.WITHOUT, "S1-p.6")
    assert sick.absence_kinds == ["temporary_incapacity"]
    assert sick.methods_clause == "S1-p.4"


def test_snapshot_is_not_rewritten_by_a_later_org_change(org, hr, clock):
    cycle = flow.launch(org, hr, clock)
    before = Participant.objects.get(cycle=cycle, servant=org.servants["head_d"])
    # Reorganise: head_d's position is recategorised, head_c leaves and someone else takes his post.
    pos = org.positions["head_d"]
    pos.category, pos.title_ru = "E-2", "Renamed"
    pos.save()
    Appointment.objects.filter(servant=org.servants["head_c"]).update(end=D(2024, 2, 1))
    replacement = person(org, "replacement", org.positions["head_c"], D(2024, 2, 2))
    org.body.first_head = None
    org.body.save(update_fields=["first_head"])
    after = Participant.objects.get(pk=before.pk)
    fields = ["category", "position_title_ru", "direct_manager_id", "direct_manager_name", "superior_manager_id",
              "first_head_id", "plan_approver_id", "sheet_reviewer_id", "is_head_of_unit"]
    assert [getattr(after, f) for f in fields] == [getattr(before, f) for f in fields]
    assert after.category == "E-3" and after.direct_manager == org.servants["head_c"]
    # And the snapshot still decides who acts: the replacement cannot submit head_d's plan.
    plan = flow.plan_of(cycle, org, "head_d")
    with pytest.raises(PermissionDenied):
        services.submit_plan(org.user("replacement"), org.body, plan.pk, expected_version=plan.version)
    assert replacement.pk


def test_only_this_bodys_servants_appointed_in_the_period_are_considered(org, hr, clock, other_body):
    left_early = person(org, "left_early", factories.position(org.units["02"], "02-11"), D(2020, 1, 1))
    Appointment.objects.filter(servant=left_early).update(end=D(2023, 6, 30))
    stranger = factories.servant(other_body)
    factories.appoint(stranger, factories.position(factories.unit(other_body, "01"), "01-01"), D(2015, 1, 1))
    cycle = flow.launch(org, hr, clock)
    considered = set(Participant.objects.filter(cycle=cycle).values_list("servant_id", flat=True))
    assert left_early.pk not in considered and stranger.pk not in considered
    assert considered == {s.pk for k, s in org.servants.items() if k != "left_early"}


@pytest.mark.parametrize("kwargs, field", [
    ({"kind": "year", "year": 1999}, "year"),
    ({"kind": "quarter", "year": 2024, "quarter": 5}, "quarter"),
    ({"kind": "year", "year": 2024, "quarter": 2}, "quarter"),
    ({"kind": "year", "year": 2024, "period_start": D(2024, 1, 1)}, "period_start"),
    ({"kind": "transitional", "period_start": D(2024, 5, 1)}, "period_end"),
    ({"kind": "transitional", "period_start": D(2024, 5, 1), "period_end": D(2024, 4, 1)}, "period_end"),
    ({"kind": "month"}, "kind"),
])
def test_period_is_computed_and_bad_input_names_the_field(org, hr, kwargs, field):
    with pytest.raises(ValidationError) as info:
        services.create_cycle(hr, org.body, **kwargs)
    assert field in info.value.message_dict
    assert not EvaluationCycle.objects.exists()


def test_quarter_dates_are_computed_and_overlaps_refused(org, hr):
    q2 = services.create_cycle(hr, org.body, kind=PeriodKind.QUARTER, year=2024, quarter=2)
    assert (q2.period_start, q2.period_end) == (D(2024, 4, 1), D(2024, 6, 30))
    with pytest.raises(ValidationError) as info:
        services.create_cycle(hr, org.body, kind=PeriodKind.YEAR, year=2024)
    assert "period_start" in info.value.message_dict
    services.cancel_cycle(hr, org.body, q2.pk, reason="opened by mistake")
    assert services.create_cycle(hr, org.body, kind=PeriodKind.YEAR, year=2024).period_end == D(2024, 12, 31)


def test_only_hr_opens_previews_and_launches(org, hr, clock):
    manager = org.user("head_b")
    with pytest.raises(PermissionDenied):
        services.create_cycle(manager, org.body, kind=PeriodKind.YEAR, year=2024)
    cycle = services.create_cycle(hr, org.body, kind=PeriodKind.YEAR, year=2024)
    for call in (services.preview_launch, services.launch_cycle):
        with pytest.raises(PermissionDenied):
            call(manager, org.body, cycle.pk)
    assert EvaluationCycle.objects.get(pk=cycle.pk).state == CycleState.DRAFT


def test_close_waits_for_every_sheet_then_closes(org, hr, clock):
    cycle = flow.launch(org, hr, clock)
    with pytest.raises(ValidationError) as info:
        services.close_cycle(hr, org.body, cycle.pk)
    assert "3 KPI participant(s)" in info.value.message_dict["state"][0]
    # A closed or cancelled cycle takes no more moves.
    EvaluationCycle.objects.filter(pk=cycle.pk).update(state=CycleState.CLOSED)
    plan = flow.plan_of(cycle, org, "head_d")
    with pytest.raises(ValidationError):
        services.save_plan(org.user("head_c"), org.body, plan.pk, kpis=[], expected_version=plan.version)


def test_a_drafter_without_a_login_puts_the_step_in_hrs_inbox(org, hr, clock):
    org.servants["head_c"].user = None
    org.servants["head_c"].save(update_fields=["user"])
    cycle = flow.launch(org, hr, clock)
    item = WorkItem.objects.get(object_id=str(flow.plan_of(cycle, org, "head_d").pk), action="iwp.draft")
    assert (item.assignee, item.assignee_role) == (None, "hr")
