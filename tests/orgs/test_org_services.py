"""Writes to the organisation model: validation, permission and audit (DESIGN.md section 2)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bagalau.audit.models import AuditEvent
from bagalau.orgs import services
from bagalau.orgs.identifiers import make_iin
from bagalau.orgs.models import Absence, AbsenceKind, Appointment, Role, Servant
from tests import factories as f


@pytest.fixture
def staff(body):
    u = f.unit(body, "A")
    s = f.servant(body)
    return u, s


def test_overlapping_absences_are_rejected_and_nothing_written(hr, body, staff):
    _, s = staff
    services.record_absence(actor=hr, body=body, servant=s, kind=AbsenceKind.SOCIAL_LEAVE,
                            start=dt.date(2024, 1, 10), end=dt.date(2024, 3, 31))
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as err:
        services.record_absence(actor=hr, body=body, servant=s, kind=AbsenceKind.SICK_LEAVE,
                                start=dt.date(2024, 3, 31), end=dt.date(2024, 4, 5))
    assert "start" in err.value.message_dict
    assert "Overlaps another absence" in err.value.message_dict["start"][0]
    assert Absence.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_adjacent_absences_are_accepted(hr, body, staff):
    _, s = staff
    services.record_absence(actor=hr, body=body, servant=s, kind=AbsenceKind.ANNUAL_LEAVE,
                            start=dt.date(2024, 1, 10), end=dt.date(2024, 1, 20))
    services.record_absence(actor=hr, body=body, servant=s, kind=AbsenceKind.BUSINESS_TRIP,
                            start=dt.date(2024, 1, 21), end=dt.date(2024, 1, 25))
    assert Absence.objects.filter(servant=s).count() == 2


def test_absence_end_before_start(hr, body, staff):
    _, s = staff
    with pytest.raises(ValidationError) as err:
        services.record_absence(actor=hr, body=body, servant=s, kind=AbsenceKind.SICK_LEAVE,
                                start=dt.date(2024, 2, 10), end=dt.date(2024, 2, 1))
    assert "end" in err.value.message_dict


def test_create_servant_validates_iin_and_audits(hr, body):
    with pytest.raises(ValidationError) as err:
        services.create_servant(actor=hr, body=body, iin="880101300124", last_name="Сәрсенов", first_name="Ерлан")
    assert "iin" in err.value.message_dict
    s = services.create_servant(actor=hr, body=body, iin="880101300123", last_name="Сәрсенов", first_name="Ерлан")
    event = AuditEvent.objects.get(action="orgs.servant.create", object_id=str(s.pk))
    assert event.body_id == body.pk and event.role == Role.HR
    assert "880101300123" not in str(event.payload)  # only the tail of the IIN is logged


def test_duplicate_iin_in_body_rejected(hr, body):
    services.create_servant(actor=hr, body=body, iin="880101300123", last_name="A", first_name="B")
    with pytest.raises(ValidationError) as err:
        services.create_servant(actor=hr, body=body, iin="880101300123", last_name="C", first_name="D")
    assert "iin" in err.value.message_dict


def test_appointment_overlaps_rejected(hr, body, staff):
    u, s = staff
    p1 = f.position(u, "P1")
    p2 = f.position(u, "P2")
    services.appoint(actor=hr, body=body, servant=s, position=p1, start=dt.date(2023, 1, 1))
    with pytest.raises(ValidationError) as err:
        services.appoint(actor=hr, body=body, servant=s, position=p2, start=dt.date(2024, 1, 1))
    assert "start" in err.value.message_dict
    other = f.servant(body)
    with pytest.raises(ValidationError) as err:
        services.appoint(actor=hr, body=body, servant=other, position=p1, start=dt.date(2024, 1, 1))
    assert "position" in err.value.message_dict
    assert Appointment.objects.count() == 1


def test_end_appointment_keeps_history(hr, body, staff):
    u, s = staff
    a = services.appoint(actor=hr, body=body, servant=s, position=f.position(u, "P1"), start=dt.date(2023, 1, 1))
    services.end_appointment(actor=hr, appointment=a, end=dt.date(2024, 5, 31))
    a.refresh_from_db()
    assert a.end == dt.date(2024, 5, 31)
    assert AuditEvent.objects.filter(action="orgs.appointment.end", to_state="ended").count() == 1
    with pytest.raises(ValidationError):
        services.end_appointment(actor=hr, appointment=a, end=dt.date(2024, 6, 30))


def test_second_head_position_in_unit_rejected(hr, body, staff):
    u, _ = staff
    services.create_position(actor=hr, body=body, unit=u, code="H1", title_kk="Бастық", title_ru="Руководитель",
                             category="E-2", is_head_of_unit=True)
    with pytest.raises(ValidationError) as err:
        services.create_position(actor=hr, body=body, unit=u, code="H2", title_kk="Бастық", title_ru="Руководитель",
                                 category="E-3", is_head_of_unit=True)
    assert "is_head_of_unit" in err.value.message_dict


def test_bad_category_code_rejected(hr, body, staff):
    u, _ = staff
    with pytest.raises(ValidationError) as err:
        services.create_position(actor=hr, body=body, unit=u, code="X", title_kk="x", title_ru="x",
                                 category="B-4", is_head_of_unit=False)
    assert "category" in err.value.message_dict


def test_servant_without_hr_role_cannot_write(body, staff):
    u, s = staff
    plain = f.user()
    s.user = plain
    s.save()
    with pytest.raises(PermissionDenied):
        services.create_servant(actor=plain, body=body, iin=make_iin(dt.date(1990, 5, 5), 11),
                                last_name="X", first_name="Y")
    assert Servant.objects.count() == 1


def test_grant_role_is_audited_and_admin_needs_admin(hr, body):
    u = f.user()
    services.grant_role(actor=hr, body=body, user=u, role=Role.COMMISSION_MEMBER)
    assert AuditEvent.objects.filter(action="orgs.role.grant", to_state=Role.COMMISSION_MEMBER).exists()
    with pytest.raises(ValidationError):
        services.grant_role(actor=hr, body=body, user=u, role=Role.ADMIN)


def test_create_body_only_by_superuser(hr):
    with pytest.raises(PermissionDenied):
        services.create_body(actor=hr, name_kk="x", name_ru="x", bin=f.make_bin(99), body_type="other")
    root = f.user(superuser=True)
    b = services.create_body(actor=root, name_kk="x", name_ru="x", bin=f.make_bin(99), body_type="other")
    assert AuditEvent.objects.filter(action="orgs.body.create", body_id=b.pk).count() == 1
