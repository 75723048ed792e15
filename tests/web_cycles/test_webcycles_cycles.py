"""HR's cycle pages: the list and the form that opens a cycle, the launch preview and its
confirmation, the board with its filters; who may see them, and nothing of another body."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bagalau.cycles import services
from bagalau.cycles.models import CycleState, EvaluationCycle, Participant, PeriodKind
from bagalau.orgs.models import Absence, AbsenceKind
from tests import factories
from tests.web_cycles.conftest import build
from tests.web_cycles.helpers import field_errors

pytestmark = pytest.mark.django_db

CYCLES = reverse("web:cycles")


@pytest.fixture
def hr_world(db, clock):
    """The organisation before any cycle is opened."""
    return build(factories.body("Облыстық мәслихат аппараты"), "h")


def test_hr_sees_the_cycles_and_the_form(client, world):
    client.force_login(world.hr)
    response = client.get(CYCLES)
    html = response.content.decode()
    assert response.status_code == 200
    assert world.cycle.label in html and reverse("web:cycle", args=[world.cycle.pk]) in html
    assert 'name="kind"' in html and 'value="transitional"' in html


def test_the_auditor_reads_the_list_without_the_form(client, world):
    client.force_login(world.auditor)
    html = client.get(CYCLES).content.decode()
    assert world.cycle.label in html and 'name="kind"' not in html
    response = client.post(CYCLES, {"kind": "year", "year": "2025"})
    assert response.status_code == 403
    assert not EvaluationCycle.objects.filter(body=world.body, year=2025).exists()


@pytest.mark.parametrize("who", ["spec", "head_b", "chairman"])
def test_servants_and_managers_may_not_open_the_cycle_pages(client, world, who):
    client.force_login(world.users[who])
    assert client.get(CYCLES).status_code == 403
    assert client.get(reverse("web:cycle", args=[world.cycle.pk])).status_code == 403
    assert client.get(reverse("web:cycle_launch", args=[world.cycle.pk])).status_code in (302, 403)


def test_a_quarter_is_opened_and_leads_to_the_launch_preview(client, hr_world):
    client.force_login(hr_world.hr)
    response = client.post(CYCLES, {"kind": "quarter", "year": "2024", "quarter": "2"})
    cycle = EvaluationCycle.objects.get(body=hr_world.body)
    assert response.status_code == 302 and response["Location"] == reverse("web:cycle_launch", args=[cycle.pk])
    assert (cycle.period_start.isoformat(), cycle.period_end.isoformat()) == ("2024-04-01", "2024-06-30")


def test_a_bad_period_is_refused_against_its_field(client, hr_world):
    client.force_login(hr_world.hr)
    response = client.post(CYCLES, {"kind": "transitional", "period_start": "2024-05-01", "period_end": "2024-03-01"})
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "period_end")
    response = client.post(CYCLES, {"kind": "year", "year": "1900"})
    assert response.status_code == 400 and field_errors(response.content.decode(), "year")
    response = client.post(CYCLES, {"kind": "decade", "year": "2024"})
    assert response.status_code == 400 and field_errors(response.content.decode(), "kind")
    assert not EvaluationCycle.objects.exists()


def test_an_overlapping_year_is_refused_above_the_form(client, world):
    client.force_login(world.hr)
    response = client.post(CYCLES, {"kind": "year", "year": "2024"})
    html = response.content.decode()
    assert response.status_code == 400 and world.cycle.label in html and 'class="alert error"' in html
    assert EvaluationCycle.objects.filter(body=world.body).count() == 1


def test_the_preview_says_who_is_evaluated_how_and_who_is_not_and_why(client, hr_world, clock):
    body = hr_world.body
    newcomer = factories.servant(body, "Жаңабаев", "Ерлан")
    factories.appoint(newcomer, factories.position(hr_world.units["02"], "02-09"), clock.day.replace(month=12))
    Absence.objects.create(body=body, servant=hr_world.servants["spec"], kind=AbsenceKind.ANNUAL_LEAVE,
                           start=clock.day.replace(month=3, day=1), end=clock.day.replace(month=3, day=20))
    cycle = services.create_cycle(hr_world.hr, body, kind=PeriodKind.YEAR, year=2024)
    client.force_login(hr_world.hr)
    response = client.get(reverse("web:cycle_launch", args=[cycle.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    kpi = html.split('data-group="kpi"')[1].split("</section>")[0]
    assert hr_world.servants["head_c"].full_name in kpi and "G23-methods" in kpi
    other = html.split('data-group="other_methods"')[1].split("</section>")[0]
    assert hr_world.servants["spec"].full_name in other and 'badge warn' in other  # without participation
    assert "G23-exclusions" in other
    excluded = html.split('data-group="excluded"')[1].split("</section>")[0]
    assert newcomer.full_name in excluded and "G23-exclusions" in excluded
    assert 'data-group="blocked"' in html  # the first head has no manager to draft his plan
    assert not Participant.objects.exists()  # a preview writes nothing
    assert 'data-confirm-launch' in html


def test_confirming_launches_and_a_second_confirm_changes_nothing(client, hr_world):
    cycle = services.create_cycle(hr_world.hr, hr_world.body, kind=PeriodKind.YEAR, year=2024)
    client.force_login(hr_world.hr)
    launch_url = reverse("web:cycle_launch", args=[cycle.pk])
    response = client.post(launch_url)
    assert response.status_code == 302 and response["Location"] == reverse("web:cycle", args=[cycle.pk])
    assert EvaluationCycle.objects.get(pk=cycle.pk).state == CycleState.LAUNCHED
    count = Participant.objects.filter(cycle=cycle).count()
    assert client.post(launch_url).status_code == 302
    assert Participant.objects.filter(cycle=cycle).count() == count
    assert client.get(launch_url)["Location"] == reverse("web:cycle", args=[cycle.pk])  # no preview once launched


def test_only_hr_launches(client, hr_world):
    cycle = services.create_cycle(hr_world.hr, hr_world.body, kind=PeriodKind.YEAR, year=2024)
    client.force_login(hr_world.auditor)
    assert client.get(reverse("web:cycle_launch", args=[cycle.pk])).status_code == 403
    assert client.post(reverse("web:cycle_launch", args=[cycle.pk])).status_code == 403
    assert EvaluationCycle.objects.get(pk=cycle.pk).state == CycleState.DRAFT


def test_a_body_without_a_methodology_gets_a_clear_message(client, db, clock):
    body = factories.body("Әдістемесіз орган")
    hr = factories.user("nomethod_hr")
    factories.grant(hr, body)
    cycle = services.create_cycle(hr, body, kind=PeriodKind.YEAR, year=2024)
    client.force_login(hr)
    response = client.get(reverse("web:cycle_launch", args=[cycle.pk]))
    assert response.status_code == 400 and "2024-01-01" in response.content.decode()


def test_the_board_shows_stage_due_date_with_its_rule_and_overdue_counts(client, world, clock):
    clock.day = clock.day.replace(month=2)  # past the plans' due date
    client.force_login(world.hr)
    response = client.get(reverse("web:cycle", args=[world.cycle.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    row = html.split(f'id="participant-{world.plan.participant.pk}"')[1].split("</tr>")[0]
    assert 'data-stage="plan_draft"' in row and 'data-due="2024-01-16"' in row and "G23-kpi-setting" in row
    assert "badge danger" in row  # overdue
    assert 'data-overdue-count="2"' in html  # head_b and head_c; the chairman's plan cannot open
    assert reverse("web:plan", args=[world.plan.pk]) in row


def test_the_board_filters_swap_only_the_results_with_htmx(client, world):
    client.force_login(world.hr)
    board = reverse("web:cycle", args=[world.cycle.pk])
    response = client.get(board, {"stage": "other_methods"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="board-results"' in html
    assert world.servants["spec"].full_name in html and world.servants["head_c"].full_name not in html
    assert "HX-Request" in response["Vary"]
    unit = world.units["02-1"].pk
    html = client.get(board, {"unit": unit}).content.decode()
    assert "<html" in html and world.servants["head_c"].full_name in html
    assert world.servants["spec"].full_name not in html
    html = client.get(board, {"overdue": "1"}).content.decode()
    assert world.servants["head_c"].full_name not in html.split('id="board-results"')[1]  # not overdue on 10.01


@pytest.mark.parametrize("query", [{"stage": "nonsense"}, {"unit": "abc"}, {"overdue": "yes"}, {"q": "x" * 101}])
def test_bad_board_filters_are_a_400_page(client, world, query):
    client.force_login(world.hr)
    response = client.get(reverse("web:cycle", args=[world.cycle.pk]), query)
    assert response.status_code == 400 and 'class="card notice error"' in response.content.decode()


def test_a_foreign_bodys_cycle_is_not_found(client, world, foreign):
    client.force_login(world.hr)
    assert client.get(reverse("web:cycle", args=[foreign.cycle.pk])).status_code == 404
    assert client.get(reverse("web:cycle_launch", args=[foreign.cycle.pk])).status_code == 404
    assert client.post(reverse("web:cycle_launch", args=[foreign.cycle.pk])).status_code == 404
    assert reverse("web:cycle", args=[foreign.cycle.pk]) not in client.get(CYCLES).content.decode()


def test_a_user_without_a_body_gets_the_no_access_page(client, db):
    client.force_login(factories.user("lonely"))
    assert client.get(CYCLES).status_code == 403
    assert client.get(reverse("web:inbox")).status_code == 403


def test_the_draft_cycle_board_points_to_the_preview(client, hr_world):
    cycle = services.create_cycle(hr_world.hr, hr_world.body, kind=PeriodKind.YEAR, year=2024)
    client.force_login(hr_world.hr)
    html = client.get(reverse("web:cycle", args=[cycle.pk])).content.decode()
    assert reverse("web:cycle_launch", args=[cycle.pk]) in html

