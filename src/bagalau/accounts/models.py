"""What sign-in security and data safety keep in the database.

* `LoginFailure`: one failed password or second-factor attempt. Counted per username and per
  client address over a sliding window, in the database so every app process sees the same count
  (a per-process cache would let an attacker spread guesses over workers).
* `TwoFactorDevice`: the TOTP secret of a user, confirmed once the user typed a first valid code.
  `last_step` is the last time step accepted, so a code cannot be replayed inside its 30 seconds.
* `RecoveryCode`: single-use codes for a lost phone, stored only as SHA-256 digests (they are long
  random strings, so an unsalted fast hash is enough; a leaked table does not give them away).
* `ArchivedCycle`: an evaluation cycle whose retention period is over. Archiving never deletes:
  the cycle and its files stay, listed for auditors, and the guard in `retention` refuses changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FailureKind(models.TextChoices):
    PASSWORD = "password", _("Wrong password")
    SECOND_FACTOR = "second_factor", _("Wrong one-time code")


class LoginFailure(models.Model):
    username = models.CharField(_("username"), max_length=150, db_index=True)
    ip = models.CharField(_("address"), max_length=45, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=FailureKind.choices, default=FailureKind.PASSWORD)
    at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip} {self.at:%Y-%m-%d %H:%M:%S}"


class TwoFactorDevice(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor")
    secret = models.CharField(max_length=64, help_text="Base32 TOTP secret (RFC 6238).")
    created_at = models.DateTimeField(_("created"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_step = models.BigIntegerField(default=0, help_text="Last accepted TOTP time step (replay guard).")

    class Meta:
        verbose_name = _("two-factor device")
        verbose_name_plural = _("two-factor devices")

    def __str__(self) -> str:
        return f"TOTP of {self.user_id}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [models.UniqueConstraint(fields=["user", "digest"], name="recovery_code_unique_per_user")]

    def __str__(self) -> str:
        return f"recovery code #{self.pk} of {self.user_id}"


class ArchivedCycle(models.Model):
    """A cycle past its retention period: read-only, never deleted."""

    cycle = models.OneToOneField("cycles.EvaluationCycle", on_delete=models.PROTECT, related_name="archive")
    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    archived_at = models.DateTimeField(_("archived at"))
    kept_until = models.DateField(_("kept until"))
    retention_years = models.PositiveSmallIntegerField(_("retention years"))
    methodology_version = models.CharField(_("methodology version"), max_length=64)
    clause = models.CharField(_("clause"), max_length=64)
    verified = models.BooleanField(_("verified rule"), default=False)

    class Meta:
        verbose_name = _("archived evaluation cycle")
        verbose_name_plural = _("archived evaluation cycles")
        ordering = ["-archived_at"]

    def __str__(self) -> str:
        return f"cycle {self.cycle_id} archived {self.archived_at:%Y-%m-%d}"
