"""Two-factor authentication with TOTP (RFC 6238): enrolment, verification, recovery codes.

Each write runs in one transaction with its audit event. A wrong code counts as a failed sign-in
of the username (the same lockout as a wrong password), so the six digits cannot be guessed. A
code is accepted for the current 30-second step and one step either side (clock drift), and only
for a step later than the last accepted one, so a code seen over a shoulder cannot be replayed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

import pyotp
import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from bagalau.accounts import clock, conf, throttle
from bagalau.accounts.models import FailureKind, RecoveryCode, TwoFactorDevice
from bagalau.accounts.services.signin import record_failure
from bagalau.audit.services import record_event

STEP_SECONDS = 30
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper
SESSION_VERIFIED_AT = "bagalau_2fa_at"

TOTP = "totp"
RECOVERY = "recovery"


def digest(code: str) -> str:
    return hashlib.sha256(normalise_recovery(code).encode()).hexdigest()


def normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def retry_message(lock: throttle.Lock) -> str:
    local = timezone.localtime(lock.until)
    return _("Too many failed attempts. Sign-in is locked; try again after %(time)s.") % {
        "time": formats.date_format(local, "SHORT_DATETIME_FORMAT")}


def is_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(SESSION_VERIFIED_AT))


def mark_verified(request: HttpRequest) -> None:
    # A new session key at the moment the session gains its privileges: a key planted before
    # (session fixation) is worth nothing afterwards.
    request.session.cycle_key()
    request.session[SESSION_VERIFIED_AT] = clock.now().timestamp()


def device_of(user: Any) -> TwoFactorDevice | None:
    return TwoFactorDevice.objects.filter(user_id=user.pk).first()


def has_confirmed_device(user: Any) -> bool:
    return TwoFactorDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).exists()


def pending_device(user: Any) -> TwoFactorDevice:
    """The unconfirmed device the enrolment page shows; the same secret until it is confirmed, so
    a reload does not invalidate what the phone already scanned."""
    device = device_of(user)
    if device is not None and device.confirmed:
        raise ValidationError({"code": _("Two-factor authentication is already set up for this account.")})
    if device is None:
        device = TwoFactorDevice.objects.create(user=user, secret=pyotp.random_base32(), created_at=clock.now())
    return device


def provisioning_uri(device: TwoFactorDevice, user: Any) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=user.get_username(), issuer_name=conf.totp_issuer())


def qr_data_uri(uri: str) -> str:
    """The QR code as an SVG data URI: an <img> the CSP's img-src 'self' data: allows, no inline SVG
    styles and no script."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _matching_step(secret: str, code: str, now: dt.datetime, last_step: int) -> int | None:
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if step > last_step and hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _clean_code(code: str) -> str:
    return "".join(ch for ch in (code or "") if not ch.isspace())


def _refuse_if_locked(user: Any, request: HttpRequest | None) -> None:
    lock = throttle.current_lock(user.get_username(), throttle.client_ip(request))
    if lock is not None:
        raise ValidationError({"code": retry_message(lock)})


def _wrong_code(user: Any, request: HttpRequest | None) -> ValidationError:
    lock = record_failure(request, user.get_username(), FailureKind.SECOND_FACTOR, user=user)
    if lock is not None:
        return ValidationError({"code": retry_message(lock)})
    return ValidationError({"code": _("The code is not valid. Enter the current 6-digit code from the app.")})


def confirm_enrolment(user: Any, code: str, *, request: HttpRequest | None = None) -> list[str]:
    """Confirm the pending device with a first valid code; return the recovery codes (shown once)."""
    _refuse_if_locked(user, request)
    code = _clean_code(code)
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        raise ValidationError({"code": _("Enter the 6-digit code shown by the authenticator app.")})
    with transaction.atomic():
        device = TwoFactorDevice.objects.select_for_update().filter(user_id=user.pk).first()
        if device is None or device.confirmed:
            raise ValidationError({"code": _("Open the set-up page again: there is no set-up in progress.")})
        step = _matching_step(device.secret, code, clock.now(), device.last_step)
        if step is not None:
            device.confirmed_at = clock.now()
            device.last_step = step
            device.save(update_fields=["confirmed_at", "last_step"])
            codes = _replace_recovery_codes(user)
            record_event(action="auth.2fa_enrolled", obj=user, actor=user, role="user",
                         payload={"ip": throttle.client_ip(request), "recovery_codes": len(codes)})
            return codes
    # Counted outside the transaction above, so the failure is stored although the call fails.
    raise _wrong_code(user, request)


def _replace_recovery_codes(user: Any) -> list[str]:
    RecoveryCode.objects.filter(user_id=user.pk).delete()
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create([RecoveryCode(user_id=user.pk, digest=digest(c)) for c in codes])
    return codes


def verify(user: Any, code: str, *, request: HttpRequest | None = None) -> str:
    """Check a TOTP code or an unused recovery code; return which one was used."""
    _refuse_if_locked(user, request)
    code = _clean_code(code)
    if not code:
        raise ValidationError({"code": _("Enter the 6-digit code shown by the authenticator app.")})
    with transaction.atomic():
        device = TwoFactorDevice.objects.select_for_update().filter(user_id=user.pk,
                                                                    confirmed_at__isnull=False).first()
        if device is None:
            raise ValidationError({"code": _("Two-factor authentication is not set up for this account yet.")})
        method = None
        if code.isascii() and code.isdigit() and len(code) == 6:
            step = _matching_step(device.secret, code, clock.now(), device.last_step)
            if step is not None:
                device.last_step = step
                device.save(update_fields=["last_step"])
                method = TOTP
        else:
            recovery = (RecoveryCode.objects.select_for_update()
                        .filter(user_id=user.pk, digest=digest(code), used_at__isnull=True).first())
            if recovery is not None:
                recovery.used_at = clock.now()
                recovery.save(update_fields=["used_at"])
                method = RECOVERY
        if method is not None:
            left = RecoveryCode.objects.filter(user_id=user.pk, used_at__isnull=True).count()
            record_event(action="auth.2fa_verified", obj=user, actor=user, role="user",
                         payload={"ip": throttle.client_ip(request), "method": method, "recovery_codes_left": left})
            return method
    raise _wrong_code(user, request)


def reset(user: Any, *, actor: Any = None, reason: str) -> None:
    """Remove a user's device and recovery codes (a lost phone): the next sign-in enrols again."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for resetting two-factor authentication.")})
    with transaction.atomic():
        TwoFactorDevice.objects.filter(user_id=user.pk).delete()
        RecoveryCode.objects.filter(user_id=user.pk).delete()
        record_event(action="auth.2fa_reset", obj=user, actor=actor, role="admin" if actor else "system",
                     payload={"reason": reason.strip()[:300]})
