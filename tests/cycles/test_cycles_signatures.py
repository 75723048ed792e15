"""Signatures cover the exact canonical content signed (SHA-256); any later change of the
content shows them as invalid, whether through the workflow (a return and a correction) or behind
its back (a row changed in the database)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from bagalau.cycles import selectors, services
from bagalau.cycles.content import canonical
from bagalau.cycles.models import Kpi, KpiOutcome, Signature, SignatureMethod
from tests.cycles import flow
from tests.cycles.builders import kpis

D = dt.date


def _statuses(detail):
    return [(s.signature.role, s.signature.action, s.status) for s in detail.signatures]


def test_plan_signature_is_invalidated_by_a_correction_after_signing(org, hr, clock):
    cycle = flow.launch(org, hr, clock)
    plan = flow.submitted_plan(org, cycle, "head_d", "head_c")
    signature = Signature.objects.get(plan=plan)
    assert signature.content_sha256 == hashlib.sha256(signature.content.encode()).hexdigest()
    assert json.loads(signature.content)["kpis"][0]["deadline"] == "2024-12-01"
    assert (signature.user, signature.servant, signature.method) == (
        org.user("head_c"), org.servants["head_c"], SignatureMethod.SIMPLE)
    detail = selectors.plan_detail(org.user("head_d"), org.body, plan.pk)
    assert _statuses(detail) == [("direct_manager", "submit", "valid")]

    plan = services.return_plan(org.user("head_b"), org.body, plan.pk, expected_version=plan.version,
                                reason="KPI 1 target too low")
    # Returning does not change the content: the signature still holds.
    assert _statuses(selectors.plan_detail(hr, org.body, plan.pk)) == [("direct_manager", "submit", "valid")]
    rows = kpis()
    rows[0]["target"] = "95"
    plan = services.save_plan(org.user("head_c"), org.body, plan.pk, kpis=rows, expected_version=plan.version)
    assert _statuses(selectors.plan_detail(hr, org.body, plan.pk)) == [
        ("direct_manager", "submit", "invalid_content_changed")]
    plan = services.submit_plan(org.user("head_c"), org.body, plan.pk, expected_version=plan.version)
    assert _statuses(selectors.plan_detail(hr, org.body, plan.pk)) == [
        ("direct_manager", "submit", "invalid_content_changed"), ("direct_manager", "submit", "valid")]


def test_sheet_signatures_and_a_change_behind_the_workflow(org, hr, clock):
    cycle = flow.launch(org, hr, clock)
    plan = flow.approved_plan(org, cycle, "head_d", "head_c", "head_b")
    clock.day = D(2024, 12, 20)
    sheet = flow.signed_sheet(org, plan, "head_c", achieved=4)
    sheet = services.agree_sheet(org.user("head_b"), org.body, sheet.pk, expected_version=sheet.version)
    detail = selectors.sheet_detail(hr, org.body, sheet.pk)
    assert _statuses(detail) == [("direct_manager", "sign", "valid"), ("reviewer", "agree", "valid")]
    assert all(s.valid for s in detail.signatures)
    signed = json.loads(detail.signatures[0].signature.content)
    assert signed["rating"] == "PROPER" and signed["achieved_count"] == 4

    # Someone edits a result directly in the database after both signed.
    KpiOutcome.objects.filter(sheet=sheet, number=5).update(evidence_text="added later")
    detail = selectors.sheet_detail(hr, org.body, sheet.pk)
    assert [s.status for s in detail.signatures] == ["invalid_content_changed"] * 2
    # The approved plan's signatures break too if a KPI is changed behind the workflow.
    Kpi.objects.filter(plan=plan, number=1).update(target="50")
    assert {s.status for s in selectors.plan_detail(hr, org.body, plan.pk).signatures} == {"invalid_content_changed"}


def test_canonical_json_is_stable():
    a = canonical({"b": 1, "a": {"y": "Қ", "x": [2, 1]}})
    assert a == '{"a":{"x":[2,1],"y":"Қ"},"b":1}'
    assert canonical({"a": {"x": [2, 1], "y": "Қ"}, "b": 1}) == a


def test_a_qualified_signature_fits_the_same_row(org, hr, clock):
    cycle = flow.launch(org, hr, clock)
    plan = flow.submitted_plan(org, cycle, "head_d", "head_c")
    simple = Signature.objects.get(plan=plan)
    assert simple.cms_signature is None and simple.signer_certificate is None
    cms = Signature.objects.create(
        body=org.body, document_kind="iwp", plan=plan, user=org.user("head_c"), servant=org.servants["head_c"],
        signer_name=simple.signer_name, role="direct_manager", action="submit", signed_at=simple.signed_at,
        content=simple.content, content_sha256=simple.content_sha256, method=SignatureMethod.CMS,
        cms_signature=b"0\x82\x01\x00", signer_certificate=b"0\x82\x02\x00", certificate_subject="CN=TEST",
        certificate_serial="01AB")
    detail = selectors.plan_detail(hr, org.body, plan.pk)
    assert [s.signature.pk for s in detail.signatures if s.valid] == [simple.pk, cms.pk]
