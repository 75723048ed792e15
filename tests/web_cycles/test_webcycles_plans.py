"""The individual work plan pages: who sees the form, the read-only page, the approver's buttons,
errors against their fields, the conflict check, and nothing written on a refusal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bagalau.audit.models import AuditEvent
from bagalau.cycles.models import IndividualWorkPlan, Kpi, PlanState
from tests.web_cycles.conftest import approve, kpi_rows, plan_post, walk_submit
from tests.web_cycles.helpers import field_errors

pytestmark = pytest.mark.django_db


def url(plan) -> str:
    return reverse("web:plan", args=[plan.pk])


def get(client, user, plan, lang="kk"):
    client.force_login(user)
    return client.get(url(plan), HTTP_ACCEPT_LANGUAGE=lang)


def test_the_direct_manager_gets_the_form_with_the_versions_five_rows(client, world):
    response = get(client, world.users["head_b"], world.plan)
    html = response.content.decode()
    assert response.status_code == 200
    for n in range(1, 6):
        for name in ("text_kk", "text_ru", "expected_change", "measure", "target", "unit", "resources_note",
                     "deadline", "strategic_goal_ref"):
            assert f'name="kpis-{n}-{name}"' in html
    assert 'name="kpis-6-text_kk"' not in html
    assert f'name="version" value="{world.plan.version}"' in html
    assert 'value="submit"' in html
    assert "G23-kpi-setting" in html  # the due date with its clause
    assert 'data-due="2024-01-16"' in html  # 10 working days after 1 January 2024 (S1-p.44 model)


@pytest.mark.parametrize("who", ["head_c", "chairman"])
def test_the_servant_and_the_approver_read_a_draft_without_a_form(client, world, who):
    html = get(client, world.users[who], world.plan).content.decode()
    assert 'name="kpis-' not in html and 'name="intent"' not in html


def test_hr_and_the_auditor_read_it_and_a_stranger_is_refused(client, world):
    assert get(client, world.hr, world.plan).status_code == 200
    assert get(client, world.auditor, world.plan).status_code == 200
    response = get(client, world.users["spec"], world.plan)
    assert response.status_code == 403
    assert "error" in response.content.decode()


def test_a_foreign_bodys_plan_is_not_found(client, world, foreign):
    assert get(client, world.hr, foreign.plan).status_code == 404
    client.force_login(world.users["head_b"])
    response = client.post(url(foreign.plan), plan_post(kpi_rows(), foreign.plan.version))
    assert response.status_code == 404
    assert not Kpi.objects.filter(plan=foreign.plan, text_kk__contains="Азаматтардың").exclude(
        plan__state=PlanState.APPROVED).exists()


def test_saving_a_draft_stores_the_rows_and_shows_what_still_blocks_submission(client, world):
    client.force_login(world.users["head_b"])
    rows = kpi_rows(2)
    rows[1]["measure"] = ""
    response = client.post(url(world.plan), plan_post(rows, world.plan.version))
    assert response.status_code == 302
    plan = IndividualWorkPlan.objects.get(pk=world.plan.pk)
    assert plan.kpis.count() == 2 and plan.version == world.plan.version + 1
    html = client.get(url(plan)).content.decode()
    assert field_errors(html, "kpis-2-measure")  # S1-p.47: measurable
    assert 'data-field="kpis"' in html  # and the count


def test_four_kpis_are_refused_with_the_error_on_the_page_and_nothing_written(client, world):
    client.force_login(world.users["head_b"])
    events = AuditEvent.objects.count()
    response = client.post(url(world.plan), plan_post(kpi_rows(4), world.plan.version, intent="submit"))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-field="kpis"' in html and "5" in html.split('data-field="kpis"')[1][:400]
    assert "G23-kpi-count" in html
    plan = IndividualWorkPlan.objects.get(pk=world.plan.pk)
    assert plan.state == PlanState.DRAFT and plan.version == world.plan.version and plan.kpis.count() == 0
    assert AuditEvent.objects.count() == events
    # The form comes back as typed.
    assert f'value="{kpi_rows()[3]["target"]}"' in html and "Своевременное рассмотрение обращений граждан 4" in html


def test_a_deadline_outside_the_period_is_shown_against_its_field(client, world):
    client.force_login(world.users["head_b"])
    rows = kpi_rows()
    rows[2]["deadline"] = "2025-02-01"
    response = client.post(url(world.plan), plan_post(rows, world.plan.version, intent="submit"))
    html = response.content.decode()
    assert response.status_code == 400
    messages = field_errors(html, "kpis-3-deadline")
    assert messages and "2025-02-01" in messages[0]
    assert not field_errors(html, "kpis-2-deadline")
    assert IndividualWorkPlan.objects.get(pk=world.plan.pk).state == PlanState.DRAFT


def test_a_malformed_date_is_an_error_against_the_field(client, world):
    client.force_login(world.users["head_b"])
    rows = kpi_rows()
    rows[0]["deadline"] = "01/12/2024"
    response = client.post(url(world.plan), plan_post(rows, world.plan.version))
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "kpis-1-deadline")


def test_five_kpis_are_submitted_and_signed(client, world):
    client.force_login(world.users["head_b"])
    response = client.post(url(world.plan), plan_post(kpi_rows(), world.plan.version, intent="submit"))
    assert response.status_code == 302
    plan = IndividualWorkPlan.objects.get(pk=world.plan.pk)
    assert plan.state == PlanState.SUBMITTED and plan.kpis.count() == 5
    html = client.get(url(plan)).content.decode()
    assert 'class="signature"' in html and 'badge ok' in html  # a valid signature


def test_a_stale_version_shows_the_conflict_and_writes_nothing(client, world):
    client.force_login(world.users["head_b"])
    stale = world.plan.version
    assert client.post(url(world.plan), plan_post(kpi_rows(1), stale)).status_code == 302  # someone saves first
    saved = IndividualWorkPlan.objects.get(pk=world.plan.pk)
    events = AuditEvent.objects.count()
    response = client.post(url(world.plan), plan_post(kpi_rows(5), stale, intent="submit"))
    html = response.content.decode()
    assert response.status_code == 409
    assert 'data-error="conflict"' in html and world.users["head_b"].username in html
    after = IndividualWorkPlan.objects.get(pk=world.plan.pk)
    assert (after.version, after.state, after.kpis.count()) == (saved.version, PlanState.DRAFT, 1)
    assert AuditEvent.objects.count() == events
    assert "Своевременное рассмотрение обращений граждан 5" in html  # what was typed is still there


def test_a_missing_version_is_refused(client, world):
    client.force_login(world.users["head_b"])
    data = plan_post(kpi_rows(), 1)
    del data["version"]
    response = client.post(url(world.plan), data)
    assert response.status_code == 400
    assert IndividualWorkPlan.objects.get(pk=world.plan.pk).kpis.count() == 0


def test_the_servant_cannot_save_his_own_plan(client, world):
    client.force_login(world.users["head_c"])
    response = client.post(url(world.plan), plan_post(kpi_rows(), world.plan.version))
    assert response.status_code == 403
    assert IndividualWorkPlan.objects.get(pk=world.plan.pk).kpis.count() == 0


def test_the_approver_returns_with_a_reason_and_then_approves(client, world):
    plan = walk_submit(world, world.plan)
    client.force_login(world.users["chairman"])
    html = client.get(url(plan)).content.decode()
    assert 'value="approve"' in html and 'value="return"' in html and 'name="kpis-' not in html
    review = reverse("web:plan_review", args=[plan.pk])
    response = client.post(review, {"version": plan.version, "intent": "return", "reason": "  "})
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "reason")
    assert IndividualWorkPlan.objects.get(pk=plan.pk).state == PlanState.SUBMITTED
    response = client.post(review, {"version": plan.version, "intent": "return", "reason": "KPI 2 is vague"})
    assert response.status_code == 302
    plan = IndividualWorkPlan.objects.get(pk=plan.pk)
    assert plan.state == PlanState.RETURNED
    html = client.get(url(plan)).content.decode()
    assert "KPI 2 is vague" in html
    plan = walk_submit(world, plan)
    response = client.post(review, {"version": plan.version, "intent": "approve"})
    assert response.status_code == 302
    assert IndividualWorkPlan.objects.get(pk=plan.pk).state == PlanState.APPROVED
    html = client.get(url(plan)).content.decode()
    assert reverse("web:sheet", args=[plan.sheet.pk]) in html
    assert html.count('<li class="signature') == 3 and html.count("is-invalid") == 0


def test_only_the_approver_may_approve(client, world):
    plan = walk_submit(world, world.plan)
    for who in ("head_b", "head_c", "spec"):
        client.force_login(world.users[who])
        response = client.post(reverse("web:plan_review", args=[plan.pk]),
                               {"version": plan.version, "intent": "approve"})
        assert response.status_code == 403, who
    assert IndividualWorkPlan.objects.get(pk=plan.pk).state == PlanState.SUBMITTED


def test_approving_twice_from_two_tabs_is_a_clear_conflict(client, world):
    plan = walk_submit(world, world.plan)
    approve(world, plan)
    client.force_login(world.users["chairman"])
    response = client.post(reverse("web:plan_review", args=[plan.pk]), {"version": plan.version, "intent": "return",
                                                                         "reason": "late"})
    assert response.status_code == 409
    assert IndividualWorkPlan.objects.get(pk=plan.pk).state == PlanState.APPROVED


def test_the_form_in_kazakh_and_in_russian(client, world):
    kk = get(client, world.users["head_b"], world.plan, "kk").content.decode()
    ru = get(client, world.users["head_b"], world.plan, "ru").content.decode()
    assert '<html lang="kk">' in kk and '<html lang="ru">' in ru
    assert "Жеке жұмыс жоспары" in kk and "Индивидуальный план работы" in ru
    assert "Жасалуда" in kk and "Составляется" in ru  # the state
    assert "Күтілетін оң өзгеріс" in kk and "Ожидаемое положительное изменение" in ru  # a field label
    assert "мерзімі 16.01.2024" in kk and "срок 16.01.2024" in ru  # the due date, day first in both
    assert "НМИ айқындау" in kk and "Определение КЦИ" in ru  # the rule's label, from the version file
    assert "Save draft" not in kk and "Save draft" not in ru


def test_the_read_only_plan_in_kazakh_and_in_russian(client, world):
    plan = walk_submit(world, world.plan)
    kk = get(client, world.users["head_c"], plan, "kk").content.decode()
    ru = get(client, world.users["head_c"], plan, "ru").content.decode()
    assert "Азаматтардың өтініштерін уақтылы қарау" in kk.split('class="kpi-wording"')[1][:200]
    assert "Своевременное рассмотрение обращений граждан 1" in ru.split('class="kpi-wording"')[1][:200]
    assert "Бекітуге жіберілді" in kk and "Направлен на утверждение" in ru
