"""Personal data export: everything held about one servant (profile, appointments, plan, sheet,
evidence, signatures, work items, audit events about them), nothing about anyone else, only by HR
of the servant's own body, and audited."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from bagalau.accounts.safety.export import export_personal_data, find_servant
from bagalau.audit.models import AuditEvent
from bagalau.cycles import services
from bagalau.orgs.models import Role
from tests import factories
from tests.cycles import flow
from tests.safety.test_safety_backup_restore import PDF


@pytest.fixture
def subject(org, hr, clock):
    cycle = flow.launch(org, hr, clock)
    plan = flow.approved_plan(org, cycle, "head_d", "head_c", "head_b")
    clock.day = dt.date(2024, 12, 20)
    sheet = flow.filled_sheet(org, plan, "head_c")
    services.attach_evidence(org.user("head_c"), org.body, sheet.pk, number=2, name="report.pdf",
                             stream=io.BytesIO(PDF), expected_version=sheet.version)
    return org.servants["head_d"]


def _open(data: bytes) -> tuple[zipfile.ZipFile, dict]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive, json.loads(archive.read("manifest.json"))


def _rows(archive: zipfile.ZipFile, label: str) -> list[dict]:
    return json.loads(archive.read(f"data/{label}.json"))


def test_the_export_holds_the_servants_records_and_only_theirs(subject, org, hr):
    data, _manifest = export_personal_data(hr, org.body, subject)
    archive, manifest = _open(data)
    names = archive.namelist()
    assert [r["pk"] for r in _rows(archive, "orgs.Servant")] == [subject.pk]
    participants = _rows(archive, "cycles.Participant")
    assert [p["fields"]["servant"] for p in participants] == [subject.pk]
    assert {a["fields"]["servant"] for a in _rows(archive, "orgs.Appointment")} == {subject.pk}
    plans = _rows(archive, "cycles.IndividualWorkPlan")
    assert [p["fields"]["participant"] for p in plans] == [participants[0]["pk"]]
    assert len(_rows(archive, "cycles.Kpi")) == 5 and "data/cycles.KpiSheet.json" in names
    assert any(n.startswith("files/evidence/") for n in names)  # the uploaded evidence itself
    events = _rows(archive, "audit.AuditEvent")
    assert {"cycles.individualworkplan", "orgs.servant"} & {e["fields"]["object_type"] for e in events}
    # Nobody else's record: the other servants of the body are not in the file.
    others = {s.pk for s in org.body.servants.exclude(pk=subject.pk)}
    assert not others & {r["pk"] for r in _rows(archive, "orgs.Servant")}
    for entry in manifest["entries"]:
        assert entry["sha256"]
    exported = AuditEvent.objects.get(action="personal_data.exported")
    assert (exported.object_id, exported.body_id, exported.actor_id) == (str(subject.pk), org.body.pk, hr.pk)


def test_credentials_are_never_exported(subject, org, hr):
    user = factories.user("login_of_subject")
    subject.user = user
    subject.save()
    archive, _ = _open(export_personal_data(hr, org.body, subject)[0])
    account = _rows(archive, "auth.User")[0]["fields"]
    assert "password" not in account and account["username"] == "login_of_subject"
    assert not any("TwoFactorDevice" in n or "RecoveryCode" in n for n in archive.namelist())


def test_only_hr_of_the_servants_own_body(subject, org, other_body, other_hr):
    manager = org.user("head_c")
    with pytest.raises(PermissionDenied):
        export_personal_data(manager, org.body, subject)
    with pytest.raises(ValidationError):
        find_servant(other_body, subject.iin)  # another body's HR cannot even find them
    with pytest.raises(ValidationError):
        export_personal_data(other_hr, other_body, subject)
    assert not AuditEvent.objects.filter(action="personal_data.exported").exists()


def test_the_page_gives_hr_a_zip_and_refuses_others(client, subject, org, hr):
    client.force_login(hr)
    url = reverse("web:personal_data_export")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"servant": "123"})
    assert bad.status_code == 400 and "servant" in bad.content.decode()
    response = client.post(url, {"servant": subject.iin})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert f"personal-data-{subject.iin}.zip" in response["Content-Disposition"]
    client.force_login(org.user("head_c"))
    assert client.get(url).status_code == 403


def test_the_command_writes_the_file(subject, org, tmp_path, capsys):
    target = tmp_path / "export.zip"
    call_command("export_personal_data", subject.iin, body=org.body.bin, output=str(target))
    archive, manifest = _open(target.read_bytes())
    assert manifest["subject"]["iin"] == subject.iin and manifest["generated_by"] == "system"
    assert AuditEvent.objects.get(action="personal_data.exported").role == "system"


def test_an_auditor_role_cannot_export(subject, org):
    auditor = factories.user("auditor_x")
    factories.grant(auditor, org.body, Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        export_personal_data(auditor, org.body, subject)
