"""The outbox and its delivery log.

A `Notification` row is written in the same transaction as the workflow change that caused it,
and it is the truth about the message: the background task that sends it is only a wake-up. If
the task is lost (a worker crash between commit and delivery, a failed enqueue), the periodic sweep
finds the row still "queued" and delivers it; if a channel fails, the row waits as "failed" with a
`next_attempt_at` and the sweep tries again. Nothing is deleted, and every try is a
`DeliveryAttempt`.

`channel` and `kind` are plain strings, not choices: a new channel (a registered letter, a
messenger) or a new kind of message is code and a registry entry, not a migration.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Kinds the inbox sweep and the workflows use; other apps may add their own.
KIND_REMINDER = "reminder"
KIND_OVERDUE = "overdue"
KIND_WORKFLOW = "workflow"


class Language(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    # Claimed by one deliverer: stops two workers (the task and the sweep) sending the same
    # message at once. A claim older than the claim timeout belonged to a worker that died.
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    GAVE_UP = "gave_up", _("Given up")


class Notification(models.Model):
    body = models.ForeignKey("orgs.StateBody", on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=_("state body"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="notifications", verbose_name=_("recipient"))
    recipient_servant = models.ForeignKey("orgs.Servant", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="notifications", verbose_name=_("recipient (servant)"))
    channel = models.CharField(_("channel"), max_length=32)
    address = models.CharField(_("address"), max_length=254,
                               help_text=_("The e-mail address or phone number at the time of queueing."))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.KK)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=32)
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due_retry"),
            models.Index(fields=["body", "created_at"], name="notification_body_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.address} ({self.status})"


class DeliveryAttempt(models.Model):
    """One try to send a notification, successful or not: the delivery log."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="delivery_attempts",
                                     verbose_name=_("notification"))
    at = models.DateTimeField(_("at"))
    ok = models.BooleanField(_("delivered"))
    error = models.TextField(_("error"), blank=True)
    provider_ref = models.CharField(_("provider reference"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'failed'}"


class Preference(models.Model):
    """How a person wants to be written to: the language (kk or ru) and the channels. A message the
    law requires to be sent (a remote familiarization notice, S1-p.12) ignores the channel
    choice; the language is always honoured."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference", verbose_name=_("user"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.KK)
    email = models.BooleanField(_("e-mail"), default=True)
    sms = models.BooleanField(_("SMS"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"

    def allows(self, channel: str) -> bool:
        return bool(getattr(self, channel, True)) if channel in ("email", "sms") else True
