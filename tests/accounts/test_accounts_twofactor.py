"""Two-factor authentication: who must use it (each role class), the set-up with a QR code and
recovery codes, the code after the password, replay and guessing refused, and the API told which
step is missing."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.test import override_settings
from django.urls import reverse

from bagalau.accounts.models import RecoveryCode, TwoFactorDevice
from bagalau.audit.models import AuditEvent
from bagalau.commission.models import CommissionOrder, CommissionSeat, SeatRole
from bagalau.orgs.models import Role
from tests import factories
from tests.accounts.conftest import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_on")]

ENROL = reverse("web:two_factor_enrol")
VERIFY = reverse("web:two_factor_verify")


@pytest.fixture
def two_factor_on():
    with override_settings(BAGALAU_REQUIRE_2FA=True):
        yield


def _granted(body, role):
    user = factories.user()
    factories.grant(user, body, role)
    return user


def _seated(body, role):
    user = factories.user()
    order = CommissionOrder.objects.create(body=body, number="7-Б", order_date=dt.date(2025, 1, 10),
                                           methodology_version="typical-g2023")
    CommissionSeat.objects.create(order=order, body=body, role=role, user=user, name="Seat holder")
    return user


def _authorized_person(body):
    user = factories.user()
    servant = factories.servant(body)
    servant.user = user
    servant.save()
    body.authorized_person = servant
    body.save()
    return user


def _servant(body):
    user = factories.user()
    servant = factories.servant(body)
    servant.user = user
    servant.save()
    return user


MUST = {
    "hr": lambda b: _granted(b, Role.HR),
    "commission member grant": lambda b: _granted(b, Role.COMMISSION_MEMBER),
    "commission chair seat": lambda b: _seated(b, SeatRole.CHAIR),
    "commission member seat": lambda b: _seated(b, SeatRole.MEMBER),
    "commission secretary seat": lambda b: _seated(b, SeatRole.SECRETARY),
    "authorized person grant": lambda b: _granted(b, Role.AUTHORIZED_PERSON),
    "authorized person of the body": _authorized_person,
    "appeal reviewer": lambda b: _granted(b, Role.APPEAL_REVIEWER),
    "admin grant": lambda b: _granted(b, Role.ADMIN),
    "staff": lambda b: _staff(),
    "superuser": lambda b: factories.user(superuser=True),
}
FREE = {
    "servant": _servant,
    "auditor": lambda b: _granted(b, Role.AUDITOR),
    "manager": lambda b: _granted(b, Role.MANAGER),
}


def _staff():
    user = factories.user()
    user.is_staff = True
    user.save()
    return user


@pytest.mark.parametrize("kind", list(MUST))
def test_each_deciding_role_is_sent_to_set_up_first(client, body, now, kind):
    user = MUST[kind](body)
    response = sign_in(client, user.username)
    assert response.status_code == 302
    page = client.get(reverse("web:home"))
    assert page.status_code == 302 and page["Location"].startswith(ENROL)
    api = client.get("/api/orgs/me")
    assert api.status_code == 403 and api.json()["step"] == "enrol"
    assert api.json()["errors"][0]["field"] == "two_factor"


@pytest.mark.parametrize("kind", list(FREE))
def test_roles_that_only_read_or_are_evaluated_are_not_asked(client, body, now, kind):
    user = FREE[kind](body)
    sign_in(client, user.username)
    assert client.get(reverse("web:home")).status_code == 200
    assert client.get("/api/orgs/me").status_code == 200


def test_switched_off_nobody_is_asked(client, body, now):
    user = _granted(body, Role.HR)
    sign_in(client, user.username)
    with override_settings(BAGALAU_REQUIRE_2FA=False):
        assert client.get(reverse("web:home")).status_code == 200


def _code(user, at: dt.datetime) -> str:
    return pyotp.TOTP(TwoFactorDevice.objects.get(user=user).secret).at(at)


def _enrol(client, user, now) -> list[str]:
    page = client.get(ENROL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html  # the QR code, allowed by img-src data:
    response = client.post(ENROL, {"code": _code(user, now.at), "next": "/staff/"})
    assert response.status_code == 200
    return response.context["codes"]


def test_set_up_gives_recovery_codes_once_and_opens_the_pages(client, body, now):
    hr = _granted(body, Role.HR)
    sign_in(client, hr.username)
    codes = _enrol(client, hr, now)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = set(RecoveryCode.objects.filter(user=hr).values_list("digest", flat=True))
    assert not any(c in stored for c in codes)  # only digests are kept
    assert client.get(reverse("web:home")).status_code == 200
    assert client.get("/api/orgs/me").status_code == 200
    event = AuditEvent.objects.get(action="auth.2fa_enrolled")
    assert event.actor_id == hr.pk and event.payload["recovery_codes"] == 10


def test_a_wrong_set_up_code_is_refused_and_counted(client, body, now):
    hr = _granted(body, Role.HR)
    sign_in(client, hr.username)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "000000"})
    assert response.status_code == 400 and "The code is not valid" in response.content.decode()
    assert not TwoFactorDevice.objects.get(user=hr).confirmed
    assert AuditEvent.objects.filter(action="auth.login_failed", payload__kind="second_factor").count() == 1


@pytest.fixture
def enrolled(client, body, now):
    hr = _granted(body, Role.HR)
    sign_in(client, hr.username)
    codes = _enrol(client, hr, now)
    client.post(reverse("web:logout"))
    now.advance(minutes=5)
    return hr, codes


def test_the_next_sign_in_asks_for_the_code(client, now, enrolled):
    hr, _codes = enrolled
    sign_in(client, hr.username)
    page = client.get(reverse("web:staff"))
    assert page.status_code == 302 and page["Location"] == f"{VERIFY}?next=%2Fstaff%2F"
    assert client.get("/api/orgs/me").json()["step"] == "verify"
    assert client.get(reverse("web:home"), HTTP_HX_REQUEST="true")["HX-Redirect"].startswith(VERIFY)
    before = client.session.session_key
    response = client.post(VERIFY, {"code": _code(hr, now.at), "next": "/staff/"})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.session.session_key != before  # a new key once the session is fully trusted
    assert client.get(reverse("web:staff")).status_code == 200


def test_a_code_cannot_be_replayed(client, now, enrolled):
    hr, _codes = enrolled
    sign_in(client, hr.username)
    code = _code(hr, now.at)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post(reverse("web:logout"))
    sign_in(client, hr.username)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 400
    now.advance(seconds=30)
    assert client.post(VERIFY, {"code": _code(hr, now.at)}).status_code == 302


def test_a_recovery_code_works_once(client, now, enrolled):
    hr, codes = enrolled
    sign_in(client, hr.username)
    assert client.post(VERIFY, {"code": codes[3].lower()}).status_code == 302
    assert AuditEvent.objects.filter(action="auth.2fa_verified").last().payload["method"] == "recovery"
    client.post(reverse("web:logout"))
    sign_in(client, hr.username)
    assert client.post(VERIFY, {"code": codes[3]}).status_code == 400


def test_guessing_codes_locks_the_account(client, now, enrolled, settings):
    settings.BAGALAU_LOGIN_FAILURES_PER_USERNAME = 3
    hr, _codes = enrolled
    sign_in(client, hr.username)
    for guess in ("111111", "222222", "333333"):
        client.post(VERIFY, {"code": guess})
    response = client.post(VERIFY, {"code": _code(hr, now.at)})
    assert response.status_code == 400 and "Sign-in is locked" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.locked_out").count() == 1


def test_reset_sends_the_user_back_to_set_up(client, now, enrolled):
    from django.core.management import call_command

    hr, _codes = enrolled
    call_command("reset_two_factor", hr.username, reason="phone lost, ticket 42")
    assert not TwoFactorDevice.objects.filter(user=hr).exists()
    sign_in(client, hr.username)
    assert client.get(reverse("web:home"))["Location"].startswith(ENROL)
    assert AuditEvent.objects.get(action="auth.2fa_reset").payload["reason"] == "phone lost, ticket 42"
