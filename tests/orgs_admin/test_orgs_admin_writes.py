"""Writes through the admin go through the orgs services (role check, validation, audit event);
bad input is an error on the form, never a 500, and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from bagalau.audit.models import AuditEvent
from bagalau.orgs.identifiers import make_iin
from bagalau.orgs.models import Absence, Appointment, Position, Role, RoleGrant, Servant, StructuralUnit
from tests import factories

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _post(client, name, data, *args):
    return client.post(reverse(f"admin:orgs_{name}", args=args), {**data, "_save": "1"}, **EN)


def _form_errors(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(" ".join(str(e) for e in errors)
                    for errors in response.context["adminform"].form.errors.values())


def test_add_unit_goes_through_the_service_and_is_audited(hr_client, hr_staff, body):
    response = _post(hr_client, "structuralunit_add", {"body": body.pk, "code": "07", "name_kk": "Сектор",
                                                       "name_ru": "Сектор"})
    assert response.status_code == 302
    unit = StructuralUnit.objects.get(body=body, code="07")
    event = AuditEvent.objects.get(action="orgs.unit.create", object_id=str(unit.pk))
    assert event.actor_id == hr_staff.pk and event.role == Role.HR and event.body_id == body.pk
    assert LogEntry.objects.filter(object_id=str(unit.pk)).exists()


def test_add_servant_with_bad_iin_shows_the_iin_error(hr_client, body):
    good = make_iin(dt.date(1990, 5, 17), 4321)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    events = AuditEvent.objects.count()
    response = _post(hr_client, "servant_add", {"body": body.pk, "iin": bad, "last_name": "Серікбаев",
                                                "first_name": "Нұрлан"})
    form = response.context["adminform"].form
    assert "iin" in form.errors
    assert "check digit" in " ".join(form.errors["iin"])
    assert not Servant.objects.filter(last_name="Серікбаев").exists()
    assert AuditEvent.objects.count() == events


def test_add_servant_with_good_iin_is_audited_without_the_iin(hr_client, body):
    iin = make_iin(dt.date(1990, 5, 17), 4321)
    response = _post(hr_client, "servant_add", {"body": body.pk, "iin": iin, "last_name": "Серікбаев",
                                                "first_name": "Нұрлан"})
    assert response.status_code == 302
    servant = Servant.objects.get(body=body, iin=iin)
    event = AuditEvent.objects.get(action="orgs.servant.create", object_id=str(servant.pk))
    assert iin not in str(event.payload)


def test_duplicate_iin_in_the_same_body_is_a_form_error(hr_client, body):
    existing = factories.servant(body)
    response = _post(hr_client, "servant_add", {"body": body.pk, "iin": existing.iin, "last_name": "Екінші",
                                                "first_name": "Адам"})
    assert "already" in _form_errors(response)
    assert Servant.objects.filter(body=body, iin=existing.iin).count() == 1


def test_overlapping_absence_shows_the_service_error_and_writes_nothing(hr_client, body):
    servant = factories.servant(body)
    Absence.objects.create(body=body, servant=servant, kind="annual_leave", start=dt.date(2025, 7, 1),
                           end=dt.date(2025, 7, 24))
    events = AuditEvent.objects.count()
    response = _post(hr_client, "absence_add", {"body": body.pk, "servant": servant.pk, "kind": "sick_leave",
                                                "start": "2025-07-20", "end": "2025-07-30"})
    form = response.context["adminform"].form
    assert "Overlaps another absence" in " ".join(form.errors.get("start", []))
    assert servant.absences.count() == 1
    assert AuditEvent.objects.count() == events


def test_absence_is_recorded_and_audited(hr_client, body):
    servant = factories.servant(body)
    response = _post(hr_client, "absence_add", {"body": body.pk, "servant": servant.pk, "kind": "sick_leave",
                                                "start": "2025-07-20", "end": "2025-07-30"})
    assert response.status_code == 302
    absence = servant.absences.get()
    assert AuditEvent.objects.filter(action="orgs.absence.create", object_id=str(absence.pk)).exists()


def test_changing_an_absence_into_an_overlap_is_refused(hr_client, body):
    servant = factories.servant(body)
    Absence.objects.create(body=body, servant=servant, kind="annual_leave", start=dt.date(2025, 7, 1),
                           end=dt.date(2025, 7, 24))
    later = Absence.objects.create(body=body, servant=servant, kind="sick_leave", start=dt.date(2025, 8, 1),
                                   end=dt.date(2025, 8, 5))
    response = _post(hr_client, "absence_change", {"kind": "sick_leave", "start": "2025-07-20",
                                                   "end": "2025-08-05"}, later.pk)
    assert "Overlaps another absence" in _form_errors(response)
    later.refresh_from_db()
    assert later.start == dt.date(2025, 8, 1)


def test_change_without_a_service_is_audited_with_the_changed_fields(hr_client, body):
    servant = factories.servant(body)
    data = {"iin": servant.iin, "last_name": servant.last_name, "first_name": servant.first_name,
            "middle_name": "", "email": "", "phone": "+7 701 000 00 01", "postal_address": "", "user": ""}
    response = _post(hr_client, "servant_change", data, servant.pk)
    assert response.status_code == 302
    servant.refresh_from_db()
    assert servant.phone == "+7 701 000 00 01"
    event = AuditEvent.objects.get(action="orgs.servant.update", object_id=str(servant.pk))
    assert event.payload["changed"] == ["phone"]
    assert "+7 701 000 00 01" not in str(event.payload)  # personal data: named, not copied


def test_ending_an_appointment_uses_end_appointment(hr_client, body):
    unit = factories.unit(body, "01")
    appointment = factories.appoint(factories.servant(body), factories.position(unit, "01-01"))
    response = _post(hr_client, "appointment_change", {"end": "2025-05-31", "order_ref": "№ 5-ж"},
                     appointment.pk)
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.end == dt.date(2025, 5, 31) and appointment.order_ref == "№ 5-ж"
    assert AuditEvent.objects.filter(action="orgs.appointment.end", object_id=str(appointment.pk)).exists()


def test_appointment_with_end_before_start_is_a_form_error(hr_client, body):
    unit = factories.unit(body, "01")
    position = factories.position(unit, "01-01")
    servant = factories.servant(body)
    response = _post(hr_client, "appointment_add", {"body": body.pk, "servant": servant.pk,
                                                    "position": position.pk, "start": "2025-05-01",
                                                    "end": "2025-04-01"})
    assert "end date is before the start date" in _form_errors(response)
    assert not Appointment.objects.filter(servant=servant).exists()


def test_second_head_position_in_a_unit_says_the_rule(hr_client, body):
    unit = factories.unit(body, "01")
    factories.position(unit, "01-01", head=True, category="E-2")
    response = _post(hr_client, "position_add", {"body": body.pk, "unit": unit.pk, "code": "01-02",
                                                 "title_kk": "Басшы", "title_ru": "Руководитель",
                                                 "category": "E-3", "is_head_of_unit": "on"})
    assert "already has a head position" in _form_errors(response)
    assert not Position.objects.filter(code="01-02").exists()


def test_unit_cannot_be_placed_inside_itself(hr_client, body):
    top = factories.unit(body, "01")
    child = factories.unit(body, "01.1", parent=top)
    response = _post(hr_client, "structuralunit_change", {"parent": child.pk, "code": "01", "name_kk": "x",
                                                          "name_ru": "x"}, top.pk)
    assert "inside itself" in _form_errors(response)
    top.refresh_from_db()
    assert top.parent_id is None


def test_hr_cannot_grant_the_admin_role(hr_client, body):
    target = factories.user("colleague")
    factories.grant(target, body, Role.AUDITOR)
    response = _post(hr_client, "rolegrant_add", {"body": body.pk, "user": target.pk, "role": Role.ADMIN})
    assert "Only a system administrator" in _form_errors(response)
    assert not RoleGrant.objects.filter(user=target, role=Role.ADMIN).exists()


def test_grant_and_revoke_role_are_audited(hr_client, body):
    target = factories.user("colleague")
    factories.grant(target, body, Role.AUDITOR)
    assert _post(hr_client, "rolegrant_add", {"body": body.pk, "user": target.pk,
                                              "role": Role.COMMISSION_MEMBER}).status_code == 302
    grant = RoleGrant.objects.get(user=target, role=Role.COMMISSION_MEMBER)
    assert AuditEvent.objects.filter(action="orgs.role.grant").exists()
    response = hr_client.post(reverse("admin:orgs_rolegrant_delete", args=[grant.pk]), {"post": "yes"}, **EN)
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert AuditEvent.objects.filter(action="orgs.role.revoke").exists()


@pytest.mark.parametrize("model", ["servant", "appointment", "absence"])
def test_history_rows_cannot_be_deleted(hr_client, body, model):
    unit = factories.unit(body, "01")
    servant = factories.servant(body)
    appointment = factories.appoint(servant, factories.position(unit, "01-01"))
    absence = Absence.objects.create(body=body, servant=servant, kind="annual_leave", start=dt.date(2025, 7, 1),
                                     end=dt.date(2025, 7, 24))
    obj = {"servant": servant, "appointment": appointment, "absence": absence}[model]
    response = hr_client.post(reverse(f"admin:orgs_{model}_delete", args=[obj.pk]), {"post": "yes"}, **EN)
    assert response.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_unit_delete_is_audited(hr_client, body):
    unit = factories.unit(body, "09")
    response = hr_client.post(reverse("admin:orgs_structuralunit_delete", args=[unit.pk]), {"post": "yes"}, **EN)
    assert response.status_code == 302
    assert not StructuralUnit.objects.filter(pk=unit.pk).exists()
    assert AuditEvent.objects.filter(action="orgs.unit.delete", object_id=str(unit.pk)).exists()


def test_hr_sets_the_first_head_through_set_body_heads(hr_client, body, other_body):
    servant = factories.servant(body)
    foreign = factories.servant(other_body)
    bad = _post(hr_client, "statebody_change", {"first_head": foreign.pk, "authorized_person": ""}, body.pk)
    assert "Select a valid choice" in _form_errors(bad)
    response = _post(hr_client, "statebody_change", {"first_head": servant.pk, "authorized_person": servant.pk},
                     body.pk)
    assert response.status_code == 302
    body.refresh_from_db()
    assert body.first_head == servant == body.authorized_person
    assert AuditEvent.objects.filter(action="orgs.body.set_heads", body_id=body.pk).exists()
