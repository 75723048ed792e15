"""The demo body is what a reviewer sees first: these tests hold it to the situations the evaluation
rules depend on (categories, heads, absences today, a newcomer, reporting lines, a login per role),
and to the house rule that everything written is audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from bagalau.audit.models import AuditEvent
from bagalau.orgs.access import bodies_for, roles_for
from bagalau.orgs.demo import DEMO_BIN, LOGINS, SECOND_DEMO_BIN, load_demo
from bagalau.orgs.identifiers import iin_birth_date, validate_bin, validate_iin
from bagalau.orgs.models import (
    Absence,
    AbsenceKind,
    Appointment,
    Role,
    RoleGrant,
    Servant,
    StateBody,
)
from bagalau.orgs.reporting import OrgSnapshot

FEMALE_PATRONYMICS = ("қызы", "овна", "евна")


@pytest.fixture
def demo(db):
    result = load_demo()
    assert result.created
    return result


def _current(body: StateBody, day: dt.date):
    return Appointment.objects.filter(body=body, start__lte=day).exclude(end__lt=day).select_related("position")


def test_bins_are_valid_and_distinct():
    validate_bin(DEMO_BIN)
    validate_bin(SECOND_DEMO_BIN)
    assert DEMO_BIN != SECOND_DEMO_BIN


def test_at_least_15_servants_with_every_category_heads_and_non_heads(demo):
    body = demo.body
    assert Servant.objects.filter(body=body).count() >= 15
    current = list(_current(body, timezone.localdate()))
    assert len(current) >= 15
    categories = {a.position.category for a in current}
    assert {"E-2", "E-3", "E-4", "E-5"} <= categories
    heads = [a for a in current if a.position.is_head_of_unit]
    non_heads = [a for a in current if not a.position.is_head_of_unit]
    assert len(heads) >= 3 and len(non_heads) >= 10
    # E-3 is both a head and a specialist category (S0-Annex 4): the demo shows both.
    assert {a.position.is_head_of_unit for a in current if a.position.category == "E-3"} == {True, False}
    assert body.units.count() >= 3


def test_every_iin_is_valid_and_matches_sex(demo):
    servants = list(Servant.objects.filter(body__bin__in=[DEMO_BIN, SECOND_DEMO_BIN]))
    assert len(servants) >= 18
    for s in servants:
        validate_iin(s.iin)
        female = s.middle_name.endswith(FEMALE_PATRONYMICS)
        assert int(s.iin[6]) % 2 == (0 if female else 1), s.full_name
        assert dt.date(1950, 1, 1) < iin_birth_date(s.iin) < dt.date(2005, 1, 1)
        assert s.email and s.phone.startswith("+7 7")
    # Kazakh names in Kazakh Cyrillic.
    assert any(set(s.full_name) & set("әғқңөұүі") for s in servants)


def test_one_servant_on_social_leave_today(demo):
    today = timezone.localdate()
    on_leave = Absence.objects.filter(body=demo.body, kind=AbsenceKind.SOCIAL_LEAVE, start__lte=today,
                                      end__gte=today)
    assert on_leave.count() == 1
    # The servant on leave still holds the post (social leave does not end the appointment).
    assert _current(demo.body, today).filter(servant=on_leave.get().servant).exists()


def test_one_appointment_less_than_a_month_old_others_years_ago(demo):
    today = timezone.localdate()
    starts = [a.start for a in _current(demo.body, today)]
    recent = [s for s in starts if (today - s).days < 28]
    assert len(recent) == 1 and recent[0] <= today
    assert sum(1 for s in starts if (today - s).days > 2 * 365) >= 12
    # The newcomer's post was held before: history is kept, not overwritten.
    newcomer = Appointment.objects.get(body=demo.body, start=recent[0])
    before = Appointment.objects.filter(position=newcomer.position).exclude(pk=newcomer.pk).get()
    assert before.end == newcomer.start - dt.timedelta(days=1)


def test_a_login_for_every_role(demo):
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[s.username for s in LOGINS])}
    assert set(users) == {s.username for s in LOGINS}
    body = demo.body
    held = {role for u in users.values() for role in roles_for(u, body)}
    assert held >= set(Role.values)
    assert Role.MANAGER in roles_for(users["manager"], body)
    assert Role.AUTHORIZED_PERSON in roles_for(users["head"], body)
    assert users["head"].servant == body.first_head == body.authorized_person
    assert roles_for(users["servant"], body) == {Role.SERVANT}
    assert users["admin"].is_superuser
    commission = [u for u in users.values() if Role.COMMISSION_MEMBER in roles_for(u, body)]
    assert len(commission) >= 3
    assert any(hasattr(u, "servant") for u in commission)
    assert any(not hasattr(u, "servant") for u in commission)
    # The appeal reviewer is from the agency, not a servant of the body.
    assert not Servant.objects.filter(user=users["reviewer"]).exists()
    assert RoleGrant.objects.filter(user=users["reviewer"], body=body, role=Role.APPEAL_REVIEWER).exists()
    # HR logins can use the admin back office.
    assert users["hr"].is_staff and users["hr2"].is_staff
    assert users["hr"].check_password("demo12345")


def test_second_body_is_a_separate_tenant(demo):
    second = demo.second_body
    assert second is not None and second.servants.count() == 3
    hr2 = get_user_model().objects.get(username="hr2")
    assert bodies_for(hr2) == [second]
    assert roles_for(hr2, demo.body) == frozenset()
    hr = get_user_model().objects.get(username="hr")
    assert second not in bodies_for(hr)


def test_reporting_lines(demo):
    body = demo.body
    snapshot = OrgSnapshot(body, timezone.localdate())
    first_head = body.first_head
    assert first_head is not None and first_head.pk in snapshot.servants
    unit_heads = 0
    for servant in snapshot.servants.values():
        line = snapshot.line(servant)
        if servant.pk == first_head.pk:
            assert line.direct_manager is None
            continue
        assert line.direct_manager is not None, servant.full_name
        if line.position.is_head_of_unit:
            # Heads of top units report to the first head; no superior level (S1-p.46).
            unit_heads += 1
            assert line.direct_manager == first_head
            assert line.superior_manager is None
            assert line.clause == "S1-p.46"
        elif line.direct_manager != first_head:
            # A specialist: his unit head, then the first head above.
            assert line.direct_manager.pk != servant.pk
            assert line.superior_manager == first_head
    assert unit_heads == 3


def test_everything_is_audited_and_the_chain_verifies(demo):
    body = demo.body
    servants = Servant.objects.filter(body=body).count()
    assert AuditEvent.objects.filter(body_id=body.pk, action="orgs.servant.create").count() == servants
    assert AuditEvent.objects.filter(action="auth.user.create").count() == len(LOGINS)
    assert not AuditEvent.objects.filter(payload__icontains="demo12345").exists()
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact" in out.getvalue()


def test_loading_twice_changes_nothing(demo):
    counts = (Servant.objects.count(), Appointment.objects.count(), get_user_model().objects.count(),
              AuditEvent.objects.count(), StateBody.objects.count())
    again = load_demo()
    assert not again.created and again.body == demo.body
    assert counts == (Servant.objects.count(), Appointment.objects.count(), get_user_model().objects.count(),
                      AuditEvent.objects.count(), StateBody.objects.count())


def test_refuses_to_take_over_an_existing_login(db):
    get_user_model().objects.create_user("hr", "hr@example.kz", "someone-elses-password")
    with pytest.raises(ValidationError) as info:
        load_demo()
    assert "hr" in str(info.value)
    assert not StateBody.objects.filter(bin=DEMO_BIN).exists()
    assert AuditEvent.objects.count() == 0
    assert get_user_model().objects.get(username="hr").check_password("someone-elses-password")
