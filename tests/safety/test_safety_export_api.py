"""The personal data export through the API (POST /api/orgs/servants/{id}/personal-data-export):
the same export and the same audit event as the page and the command, for HR of the servant's own
body only; other roles get 403 and write nothing, another body's servant is 404."""

from __future__ import annotations

import io
import json
import zipfile

from bagalau.accounts.safety.export import export_personal_data
from bagalau.accounts.safety.serial import sha256_bytes
from bagalau.audit.models import AuditEvent
from bagalau.orgs.models import Role
from tests import factories
from tests.api_cycles.support import Api
from tests.safety.test_safety_export import subject  # noqa: F401 - the fixture, a servant with records

ACTION = "personal_data.exported"


def _url(servant_id: int) -> str:
    return f"/api/orgs/servants/{servant_id}/personal-data-export"


def _archive(data: bytes) -> tuple[set[str], dict]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return set(archive.namelist()), json.loads(archive.read("manifest.json"))


def test_hr_gets_the_same_zip_as_the_command_and_the_export_is_audited(subject, org, hr):  # noqa: F811
    response = Api(hr).post(_url(subject.pk))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/zip" and response["Cache-Control"] == "no-store"
    assert f"personal-data-{subject.iin}.zip" in response["Content-Disposition"]
    names, manifest = _archive(response.content)
    assert manifest["subject"] == {"servant_id": subject.pk, "iin": subject.iin, "body_id": org.body.pk,
                                   "name": subject.full_name}
    assert manifest["generated_by"] == hr.get_username()
    event = AuditEvent.objects.get(action=ACTION)
    assert (event.actor_id, event.role, event.body_id) == (hr.pk, Role.HR, org.body.pk)
    assert event.payload["sha256"] == sha256_bytes(response.content)
    # The system's own export of the same servant (the command's call) holds the same files.
    system_names, _ = _archive(export_personal_data(None, org.body, subject)[0])
    assert names == system_names and "data/cycles.EvidenceFile.json" in names


def test_other_roles_are_refused_and_nothing_is_recorded(subject, org):  # noqa: F811
    auditor = factories.user("auditor_export")
    factories.grant(auditor, org.body, Role.AUDITOR)
    admin = factories.user("admin_export")
    factories.grant(admin, org.body, Role.ADMIN)
    for user in (org.user("head_c"), org.user("head_d"), auditor, admin):
        refused = Api(user).post(_url(subject.pk))
        assert refused.status_code == 403, (user, refused.content)
        assert "export a servant's personal data" in refused.json()["detail"]
    # A refusal says nothing of whether the id exists.
    assert Api(auditor).post(_url(10**9)).status_code == 403
    assert not AuditEvent.objects.filter(action=ACTION).exists()


def test_another_body_s_servant_is_not_found(subject, org, hr, other_body, other_hr):  # noqa: F811
    assert Api(other_hr).post(_url(subject.pk)).status_code == 404
    stranger = factories.servant(other_body, "Басқа", "Адам")
    assert Api(hr).post(_url(stranger.pk)).status_code == 404
    assert not AuditEvent.objects.filter(action=ACTION).exists()


def test_the_export_needs_the_csrf_token(subject, org, hr):  # noqa: F811
    # A POST because each export is audited: a request from another site, with no token, starts none.
    assert Api(hr, csrf=True).post(_url(subject.pk)).status_code == 403
    assert not AuditEvent.objects.filter(action=ACTION).exists()
