"""The KPI evaluation sheet pages: the direct manager's form with evidence uploads, the rating
shown (never typed), the reviewer's page without result inputs, returns with their due dates,
HR's submission to the Commission and the evidence download."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bagalau.cycles.models import EvidenceFile, KpiSheet, SheetState
from tests.web_cycles.conftest import approve, walk_signed_sheet, walk_submit
from tests.web_cycles.helpers import field_errors

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture
def sheet(world):
    plan = approve(world, walk_submit(world, world.plan))
    return KpiSheet.objects.get(plan=plan)


def url(sheet) -> str:
    return reverse("web:sheet", args=[sheet.pk])


def sheet_post(sheet, achieved=(True, True, True, True, False), intent="save", **extra):
    data = {"version": str(sheet.version), "intent": intent}
    for n, flag in enumerate(achieved, start=1):
        data[f"results-{n}-achieved"] = {True: "yes", False: "no", None: ""}[flag]
        data[f"results-{n}-evidence_text"] = f"Есеп № {n}/2024"
    data.update(extra)
    return data


def test_the_direct_manager_fills_in_the_results_and_the_rating_follows(client, world, sheet):
    client.force_login(world.users["head_b"])
    html = client.get(url(sheet)).content.decode()
    assert 'name="results-1-achieved"' in html and 'name="results-5-file"' in html
    assert 'name="rating"' not in html and 'name="results-1-rating"' not in html  # never a field
    response = client.post(url(sheet), sheet_post(sheet))
    assert response.status_code == 302
    saved = KpiSheet.objects.get(pk=sheet.pk)
    assert (saved.rating, saved.achieved_count, saved.rating_clause) == ("PROPER", 4, "G23-kpi-grading")
    html = client.get(url(sheet)).content.decode()
    assert 'data-rating="PROPER"' in html and "Функционалдық міндеттерді тиісті түрде орындайды" in html


def test_the_live_rating_comes_from_the_core_and_writes_nothing(client, world, sheet):
    client.force_login(world.users["head_b"])
    rating = reverse("web:sheet_rating", args=[sheet.pk])
    query = {f"results-{n}-achieved": "yes" for n in range(1, 6)}
    response = client.get(rating, query, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-rating="EFFECTIVE"' in response.content.decode()
    query["results-3-achieved"] = "no"
    query["results-4-achieved"] = "no"
    assert 'data-rating="SATISFACTORY"' in client.get(rating, query).content.decode()
    del query["results-5-achieved"]
    partial = client.get(rating, query).content.decode()
    assert 'data-rating=""' in partial and "4" in partial
    assert KpiSheet.objects.get(pk=sheet.pk).version == sheet.version


def test_an_evidence_file_is_attached_and_downloaded(client, world, sheet):
    client.force_login(world.users["head_b"])
    upload = SimpleUploadedFile("esep.pdf", PDF, content_type="application/pdf")
    response = client.post(url(sheet), {**sheet_post(sheet), "results-2-file": upload})
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get(sheet=sheet)
    assert (evidence.outcome.number, evidence.original_name) == (2, "esep.pdf")
    download = reverse("web:evidence", args=[evidence.pk])
    assert download in client.get(url(sheet)).content.decode()
    client.force_login(world.users["head_c"])  # the servant reads his own evidence
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    client.force_login(world.users["spec"])
    assert client.get(download).status_code == 403


def test_a_wrong_evidence_file_type_is_refused_against_its_field_and_nothing_written(client, world, sheet):
    client.force_login(world.users["head_b"])
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")
    response = client.post(url(sheet), {**sheet_post(sheet), "results-3-file": fake})
    html = response.content.decode()
    assert response.status_code == 400
    assert field_errors(html, "results-3-file")
    assert not field_errors(html, "results-2-file")
    after = KpiSheet.objects.get(pk=sheet.pk)
    assert after.version == sheet.version and after.rating == "" and not EvidenceFile.objects.exists()
    assert after.outcomes.filter(achieved__isnull=False).count() == 0  # the results were not saved either
    assert "Есеп № 3/2024" in html  # the form comes back as typed


def test_a_file_removed_from_the_sheet(client, world, sheet):
    client.force_login(world.users["head_b"])
    upload = SimpleUploadedFile("esep.pdf", PDF, content_type="application/pdf")
    client.post(url(sheet), {**sheet_post(sheet), "results-1-file": upload})
    evidence = EvidenceFile.objects.get(sheet=sheet)
    current = KpiSheet.objects.get(pk=sheet.pk)
    response = client.post(url(sheet), {**sheet_post(current), "remove": str(evidence.pk)})
    assert response.status_code == 302 and not EvidenceFile.objects.exists()
    response = client.post(url(sheet), {**sheet_post(KpiSheet.objects.get(pk=sheet.pk)), "remove": "999999"})
    assert response.status_code == 400


def test_signing_needs_every_result(client, world, sheet):
    client.force_login(world.users["head_b"])
    response = client.post(url(sheet), sheet_post(sheet, achieved=(True, None, True, True, True), intent="sign"))
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "results-2-achieved")
    assert KpiSheet.objects.get(pk=sheet.pk).state == SheetState.DRAFT


def test_a_result_that_is_not_a_choice_is_refused(client, world, sheet):
    client.force_login(world.users["head_b"])
    response = client.post(url(sheet), {**sheet_post(sheet), "results-1-achieved": "maybe"})
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "results-1-achieved")


def test_a_stale_sheet_shows_the_conflict_and_writes_nothing(client, world, sheet):
    client.force_login(world.users["head_b"])
    assert client.post(url(sheet), sheet_post(sheet)).status_code == 302
    saved = KpiSheet.objects.get(pk=sheet.pk)
    response = client.post(url(sheet), sheet_post(sheet, achieved=(True,) * 5, intent="sign"))
    assert response.status_code == 409 and 'data-error="conflict"' in response.content.decode()
    after = KpiSheet.objects.get(pk=sheet.pk)
    assert (after.version, after.state, after.rating) == (saved.version, SheetState.DRAFT, "PROPER")


def test_the_reviewers_page_offers_no_result_to_edit(client, world):
    signed = walk_signed_sheet(world)
    client.force_login(world.users["chairman"])
    html = client.get(url(signed)).content.decode()
    assert 'name="results-' not in html and "<textarea" in html  # only the reason for a return
    assert 'value="agree"' in html and 'value="return"' in html
    assert 'name="grounds" value="insufficient_evidence"' in html and 'value="unreliable_evidence"' in html
    # A forged post of results by the reviewer is refused too.
    response = client.post(url(signed), sheet_post(signed, achieved=(True,) * 5))
    assert response.status_code == 403
    assert KpiSheet.objects.get(pk=signed.pk).rating == "PROPER"


def test_a_return_needs_a_ground_and_shows_the_resubmission_due_date(client, world):
    signed = walk_signed_sheet(world)
    client.force_login(world.users["chairman"])
    review = reverse("web:sheet_review", args=[signed.pk])
    response = client.post(review, {"version": signed.version, "intent": "return", "reason": "Құжат жоқ"})
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "grounds")
    response = client.post(review, {"version": signed.version, "intent": "return", "reason": "Құжат жоқ",
                                    "grounds": ["insufficient_evidence"]})
    assert response.status_code == 302
    returned = KpiSheet.objects.get(pk=signed.pk)
    assert returned.state == SheetState.RETURNED and returned.due_on is not None
    client.force_login(world.users["head_b"])
    html = client.get(url(returned)).content.decode()
    returns = html.split('id="returns-title"')[1]
    assert "Құжат жоқ" in returns and "G23-sheet-return" in returns
    assert f'data-due="{returned.due_on.isoformat()}"' in returns
    assert 'name="results-1-achieved"' in html  # the direct manager corrects it


def test_the_reviewer_agrees_and_hr_submits_it_from_the_board(client, world):
    signed = walk_signed_sheet(world)
    client.force_login(world.users["chairman"])
    response = client.post(reverse("web:sheet_review", args=[signed.pk]), {"version": signed.version,
                                                                           "intent": "agree"})
    assert response.status_code == 302
    agreed = KpiSheet.objects.get(pk=signed.pk)
    assert agreed.state == SheetState.AGREED
    forward = reverse("web:sheet_forward", args=[agreed.pk])
    client.force_login(world.users["head_b"])
    assert client.post(forward, {"version": agreed.version}).status_code == 403
    client.force_login(world.hr)
    board = client.get(reverse("web:cycle", args=[world.cycle.pk]), {"stage": "sheet_agreed"}).content.decode()
    assert forward in board
    response = client.post(forward, {"version": agreed.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Trigger"] == "boardChanged"
    row = response.content.decode()
    assert row.strip().startswith("<tr") and 'data-stage="sheet_submitted_to_commission"' in row
    assert KpiSheet.objects.get(pk=agreed.pk).state == SheetState.SUBMITTED_TO_COMMISSION


def test_forwarding_a_stale_version_changes_nothing(client, world):
    signed = walk_signed_sheet(world)
    client.force_login(world.users["chairman"])
    client.post(reverse("web:sheet_review", args=[signed.pk]), {"version": signed.version, "intent": "agree"})
    client.force_login(world.hr)
    response = client.post(reverse("web:sheet_forward", args=[signed.pk]), {"version": signed.version})
    assert response.status_code == 409
    assert KpiSheet.objects.get(pk=signed.pk).state == SheetState.AGREED


def test_a_foreign_bodys_sheet_and_file_are_not_found(client, world, foreign):
    client.force_login(world.hr)
    assert client.get(url(foreign.sheet)).status_code == 404
    assert client.get(reverse("web:sheet_rating", args=[foreign.sheet.pk])).status_code == 404
    assert client.post(reverse("web:sheet_forward", args=[foreign.sheet.pk]), {"version": "1"}).status_code == 404
    foreign_user = foreign.users["head_b"]
    upload = SimpleUploadedFile("esep.pdf", PDF, content_type="application/pdf")
    client.force_login(foreign_user)
    client.post(url(foreign.sheet), {**sheet_post(foreign.sheet), "results-1-file": upload})
    evidence = EvidenceFile.objects.get(sheet=foreign.sheet)
    client.force_login(world.hr)
    assert client.get(reverse("web:evidence", args=[evidence.pk])).status_code == 404


@pytest.mark.parametrize(("who", "status"), [("head_b", 200), ("head_c", 200), ("chairman", 200), ("spec", 403)])
def test_who_may_open_the_sheet(client, world, sheet, who, status):
    client.force_login(world.users[who])
    assert client.get(url(sheet)).status_code == status


def test_hr_and_the_auditor_read_the_sheet_without_a_form(client, world, sheet):
    for user in (world.hr, world.auditor):
        client.force_login(user)
        response = client.get(url(sheet))
        assert response.status_code == 200
        assert 'name="results-' not in response.content.decode()


def test_the_servant_reads_his_sheet_but_may_not_sign_it(client, world, sheet):
    client.force_login(world.users["head_c"])
    html = client.get(url(sheet)).content.decode()
    assert 'name="results-' not in html and 'name="intent"' not in html
    response = client.post(url(sheet), sheet_post(sheet, achieved=(True,) * 5, intent="sign"))
    assert response.status_code == 403
    assert KpiSheet.objects.get(pk=sheet.pk).state == SheetState.DRAFT
