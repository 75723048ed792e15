"""Every step's due date is computed by the core on the Kazakhstan calendar and stored with its
rule, clause and day-by-day explanation; the work item carries the same. Expected dates are
counted by hand below (spec 6.2: the event is day 0; spec 14: May 2024 has holidays on 1, 7 and 9,
Wed 8 off by transfer, Sat 4 a working day)."""

from __future__ import annotations

import datetime as dt

from bagalau.cycles import services
from bagalau.inbox.models import WorkItem
from tests.cycles import flow
from tests.cycles.builders import kpis

D = dt.date


def _item(doc, action):
    return WorkItem.objects.get(object_id=str(doc.pk), object_type=f"cycles.{doc._meta.model_name}", action=action)


def _launch_in_may(org, hr, clock):
    # A transitional window starting Thu 02.05.2024, launched that day.
    return flow.launch(org, hr, clock, on=D(2024, 5, 2), period_start=D(2024, 5, 2), period_end=D(2024, 12, 31))


def test_iwp_due_10_working_days_after_the_period_start_S1_p44(org, hr, clock):
    cycle = _launch_in_may(org, hr, clock)
    plan = flow.plan_of(cycle, org, "head_d")
    # Thu 02.05 is day 0. Fri 3 (1), Sat 4 working (2), Sun 5 off, Mon 6 (3), Tue 7 Defender of the
    # Fatherland Day, Wed 8 off (transfer), Thu 9 Victory Day, Fri 10 (4), Mon 13-Fri 17 (5-9), Mon 20 (10).
    assert plan.due_on == D(2024, 5, 20)
    assert (plan.due_rule, plan.due_clause) == ("iwp_due", "G23-kpi-setting")
    decision = plan.due_explanation["decision"]
    counted = [day["date"] for day in decision["trace"] if day["counted"]]
    assert counted[:4] == ["2024-05-03", "2024-05-04", "2024-05-06", "2024-05-10"]
    assert any("Sat 04.05.2024" in line and "working day 2" in line for line in plan.due_explanation["lines"]["en"])
    assert plan.due_explanation["lines"]["kk"] and plan.due_explanation["lines"]["ru"]
    item = _item(plan, "iwp.draft")
    assert (item.due, item.due_rule, item.due_clause) == (D(2024, 5, 20), "iwp_due", "G23-kpi-setting")
    assert cycle.launch_summary["iwp_due"]["due"] == "2024-05-20"


def test_hr_to_commission_due_lands_on_the_working_saturday_S1_p56(org, hr, clock):
    cycle = _launch_in_may(org, hr, clock)
    plan = flow.submitted_plan(org, cycle, "head_d", "head_c", kpis=kpis(deadline=D(2024, 11, 1)))
    plan = services.approve_plan(org.user("head_b"), org.body, plan.pk, expected_version=plan.version)
    sheet = flow.signed_sheet(org, plan, "head_c")
    sheet = services.agree_sheet(org.user("head_b"), org.body, sheet.pk, expected_version=sheet.version)
    # Agreed Thu 02.05 (day 0): Fri 3 (1), Sat 4 working by transfer (2).
    assert sheet.due_on == D(2024, 5, 4)
    assert (sheet.due_rule, sheet.due_clause) == ("hr_to_commission_due", "G23-sheet-to-commission")
    assert _item(sheet, "sheet.forward").due == D(2024, 5, 4)


def test_resubmission_and_commission_dues_across_the_may_holidays_S1_p55_p56(org, hr, clock):
    cycle = _launch_in_may(org, hr, clock)
    plan = flow.submitted_plan(org, cycle, "head_c", "head_b", kpis=kpis(deadline=D(2024, 11, 1)))
    plan = services.approve_plan(org.user("chairman"), org.body, plan.pk, expected_version=plan.version)
    sheet = flow.signed_sheet(org, plan, "head_b")
    chairman, head_b = org.user("chairman"), org.user("head_b")

    clock.day = D(2024, 5, 3)  # returned Fri 03.05: Sat 4 working (1), Sun 5 off, Mon 6 (2)
    sheet = services.return_sheet(chairman, org.body, sheet.pk, expected_version=sheet.version,
                                  grounds=["insufficient_evidence"], reason="Attach the minutes")
    assert (sheet.due_on, sheet.due_rule, sheet.due_clause) == (D(2024, 5, 6), "sheet_resubmission_due",
                                                                "G23-sheet-return")
    assert _item(sheet, "sheet.correct").due == D(2024, 5, 6)

    clock.day = D(2024, 5, 6)
    sheet = services.sign_sheet(head_b, org.body, sheet.pk, expected_version=sheet.version)
    assert sheet.due_on is None  # the review step has no deadline in the version
    # Returned again Mon 06.05: Tue 7 holiday, Wed 8 off (transfer), Thu 9 holiday, Fri 10 (1),
    # Sat 11, Sun 12 off, Mon 13 (2).
    sheet = services.return_sheet(chairman, org.body, sheet.pk, expected_version=sheet.version,
                                  grounds=["unreliable_evidence"], reason="The minutes are unsigned")
    assert sheet.due_on == D(2024, 5, 13)
    sheet = services.sign_sheet(head_b, org.body, sheet.pk, expected_version=sheet.version)
    # Agreed Mon 06.05: the same count, Fri 10 (1), Mon 13 (2).
    sheet = services.agree_sheet(chairman, org.body, sheet.pk, expected_version=sheet.version)
    assert (sheet.due_on, sheet.due_rule) == (D(2024, 5, 13), "hr_to_commission_due")
    lines = sheet.due_explanation["lines"]["en"]
    assert any("Wed 08.05.2024" in line and "transfer" in line for line in lines)
    assert "Due: Mon 13.05.2024" in lines
