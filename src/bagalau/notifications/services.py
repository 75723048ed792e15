"""Writing to the outbox and delivering from it.

`queue` is called by other services inside their transaction: the message row commits or rolls
back with the workflow change, and the send task is enqueued only after the commit
(`transaction.on_commit`), so a rolled-back transition sends nothing. There is no permission
check here: the calling service has made it; this layer only refuses bad input.

`deliver` makes exactly one attempt and records it. Sending happens outside any transaction (an
SMTP call must not hold a database lock), so the row is first *claimed* by a conditional UPDATE
(queued/failed → sending): whoever wins the claim sends, anybody else (a duplicate task, the sweep)
finds nothing to do. A failure leaves the message "failed" with an exponential backoff; after
BAGALAU_NOTIFY_MAX_ATTEMPTS failures it is "gave_up", with an audit event, never deleted.

Delivery is at least once: if a worker dies after the provider accepted a message but before the
result was written, the sweep (`retry_due`) will send it again after the claim timeout.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bagalau import bulk
from bagalau.audit.services import record_event
from bagalau.notifications import conf, templates
from bagalau.notifications.channels import DeliveryError, channel_names, get_channel
from bagalau.notifications.models import DeliveryAttempt, Language, Notification, Preference, Status
from bagalau.notifications.selectors import (
    address_for,
    language_for,
    preference_of,
    preferences_of,
    servant_of,
)
from bagalau.orgs.models import Servant, StateBody

logger = logging.getLogger(__name__)

ATOMIC_RULE = (
    "notifications rule: queue() must run inside the caller's transaction.atomic(), so that the message "
    "is queued if and only if the change that causes it commits"
)

# Longest error text kept on the row and the attempt (a traceback can be huge).
_ERROR_LIMIT = 2000


def _clean_subject(subject: str) -> str:
    # A newline in a mail subject is a header injection (Django refuses to send it).
    return " ".join(subject.split())


def _checked(*, body: StateBody, recipient_servant: Servant | None, channel: str, subject: str, text: str,
             kind: str, dedupe_key: str, language: str) -> str:
    """Refuse bad input with the field named (ValidationError); return the cleaned subject."""
    errors: dict[str, str] = {}
    if channel not in channel_names():
        errors["channel"] = _("Unknown channel %(channel)s; known channels: %(known)s.") % {
            "channel": channel, "known": ", ".join(channel_names())}
    if language not in Language.values:
        errors["language"] = _("A notification is written in Kazakh (kk) or Russian (ru), not %(language)s.") % {
            "language": language}
    subject = _clean_subject(subject)
    if not subject:
        errors["subject"] = _("A notification needs a subject.")
    if not text.strip():
        errors["text"] = _("A notification needs a text.")
    if not kind:
        errors["kind"] = _("A notification needs a kind (reminder, overdue, workflow...).")
    if not dedupe_key or len(dedupe_key) > 200:
        errors["dedupe_key"] = _("A deduplication key of 1 to 200 characters is required, so that the "
                                 "same message is never queued twice.")
    if recipient_servant is not None and recipient_servant.body_id != body.pk:
        errors["recipient_servant"] = _("This servant belongs to another state body.")
    if errors:
        raise ValidationError(errors)
    return subject


def queue(
    *,
    body: StateBody,
    recipient: Any = None,
    recipient_servant: Servant | None = None,
    channel: str,
    subject: str,
    text: str,
    kind: str,
    dedupe_key: str,
    language: str,
    address: str | None = None,
    required: bool = False,
) -> Notification | None:
    """Put one message in the outbox and have it sent after the commit.

    Returns None, writing nothing, when a message with `dedupe_key` already exists: queueing the
    same reminder twice sends it once, or when the recipient has switched the channel off in
    their preferences (unless `required`: a notice the law requires is sent whatever the
    preference). The address is looked up now (login e-mail, else the servant
    record's; the servant's phone for SMS) unless `address` is given, and copied onto the row.
    Raises ValidationError naming the field for bad input, RuntimeError outside a transaction.
    """
    using = router.db_for_write(Notification)
    if not connections[using].in_atomic_block:
        raise RuntimeError(ATOMIC_RULE)
    subject = _checked(body=body, recipient_servant=recipient_servant, channel=channel, subject=subject, text=text,
                       kind=kind, dedupe_key=dedupe_key, language=language)

    if Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    if not required and recipient is not None and not preference_of(recipient).allows(channel):
        logger.info("notification %s: the recipient switched the %s channel off", dedupe_key, channel)
        return None

    if recipient_servant is None and recipient is not None:
        recipient_servant = servant_of(recipient, body)
    if address is None:
        address = address_for(channel, recipient=recipient, recipient_servant=recipient_servant)
    if not address:
        raise ValidationError({"address": _("The recipient has no address for the %(channel)s channel.") % {
            "channel": channel}})

    now = timezone.now()
    try:
        # A savepoint, so that losing a race on the unique key does not break the caller's transaction.
        with transaction.atomic(using=using):
            notification = Notification.objects.create(
                body=body, recipient=recipient, recipient_servant=recipient_servant, channel=channel,
                address=address, language=language, subject=subject[:300], body_text=text, kind=kind,
                dedupe_key=dedupe_key, status=Status.QUEUED, next_attempt_at=now, created_at=now,
            )
    except IntegrityError:
        if Notification.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    # robust: a failed enqueue must not break the request that already committed; the sweep will
    # find the row still queued and deliver it.
    transaction.on_commit(partial(_enqueue_delivery, notification.pk), using=using, robust=True)
    return notification


def queue_many(*, body: StateBody, messages: list[dict[str, Any]]) -> list[Notification | None]:
    """`queue` for many messages of one body at once (the notices of a cycle launch): each dict
    holds `queue`'s keyword arguments but `body`. The same checks (all of them before anything is
    written), the same rows, the same None for a duplicate or a channel switched off, and the same
    send task after the commit, in a fixed number of queries instead of a few per message."""
    using = router.db_for_write(Notification)
    if not connections[using].in_atomic_block:
        raise RuntimeError(ATOMIC_RULE)
    messages = [{**m, "subject": _checked(
        body=body, recipient_servant=m.get("recipient_servant"), channel=m["channel"], subject=m["subject"],
        text=m["text"], kind=m["kind"], dedupe_key=m["dedupe_key"], language=m["language"])} for m in messages]
    taken = set(Notification.objects.filter(dedupe_key__in={m["dedupe_key"] for m in messages})
                .values_list("dedupe_key", flat=True))
    preferences = preferences_of([m["recipient"] for m in messages
                                  if not m.get("required") and m.get("recipient") is not None])
    now = timezone.now()
    rows: list[Notification | None] = []
    for m in messages:
        recipient, servant, channel, key = m.get("recipient"), m.get("recipient_servant"), m["channel"], m["dedupe_key"]
        if key in taken:
            rows.append(None)
            continue
        if not m.get("required") and recipient is not None and not preferences[recipient.pk].allows(channel):
            logger.info("notification %s: the recipient switched the %s channel off", key, channel)
            rows.append(None)
            continue
        if servant is None and recipient is not None:
            servant = servant_of(recipient, body)
        address = m.get("address")
        if address is None:
            address = address_for(channel, recipient=recipient, recipient_servant=servant)
        if not address:
            raise ValidationError({"address": _("The recipient has no address for the %(channel)s channel.") % {
                "channel": channel}})
        taken.add(key)
        rows.append(Notification(
            body=body, recipient=recipient, recipient_servant=servant, channel=channel, address=address,
            language=m["language"], subject=m["subject"][:300], body_text=m["text"], kind=m["kind"],
            dedupe_key=key, status=Status.QUEUED, next_attempt_at=now, created_at=now))
    fresh = [n for n in rows if n is not None]
    try:
        with transaction.atomic(using=using):
            bulk.insert(Notification, fresh)
    except IntegrityError:
        # Another transaction queued one of these keys meanwhile: one at a time, as `queue` does,
        # so that the messages it did not take are still queued.
        return [queue(body=body, **m) for m in messages]
    if fresh:
        transaction.on_commit(partial(_enqueue_deliveries, [n.pk for n in fresh]), using=using, robust=True)
    return rows


def _enqueue_deliveries(notification_ids: list[int]) -> None:
    """The send tasks of many messages, in one transaction: one commit (one WAL flush) instead of
    one per task. If that fails, each is tried on its own; one that still fails is left to the
    sweep, as in `queue`."""
    try:
        with transaction.atomic():
            for notification_id in notification_ids:
                _enqueue_delivery(notification_id)
    except Exception:
        logger.exception("send tasks of %s notifications: enqueueing them together failed", len(notification_ids))
        for notification_id in notification_ids:
            try:
                _enqueue_delivery(notification_id)
            except Exception:
                logger.exception("notification %s: enqueueing its send task failed", notification_id)


def _enqueue_delivery(notification_id: int) -> None:
    from bagalau.notifications.tasks import deliver_notification

    deliver_notification.enqueue(notification_id)


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try after `attempts` failed ones: base, 2×base, 4×base..."""
    return conf.backoff_base() * (2 ** max(attempts - 1, 0))


def _claim(notification_id: int, now: dt.datetime) -> bool:
    """Atomically take a deliverable message (queued or failed, its time come) for sending."""
    deliverable = Q(status__in=[Status.QUEUED, Status.FAILED]) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    return bool(Notification.objects.filter(deliverable, pk=notification_id)
                .update(status=Status.SENDING, claimed_at=now))


def deliver(notification_id: int, *, now: dt.datetime) -> str:
    """One delivery attempt for a queued or failed message whose time has come.

    Returns the message's status afterwards (unchanged, e.g. "sent", if there was nothing to do:
    a duplicate task or a message that is not due yet). `now` is passed in so that tests and the
    sweep control time.
    """
    if not _claim(notification_id, now):
        current = Notification.objects.filter(pk=notification_id).values_list("status", flat=True).first()
        return current or ""
    notification = Notification.objects.get(pk=notification_id)
    provider_ref, error = "", ""
    try:
        provider_ref = get_channel(notification.channel).send(notification)
    except DeliveryError as exc:
        error = str(exc) or type(exc).__name__
    except Exception as exc:  # a bug in a channel must not leave the message claimed forever
        logger.exception("notification %s: unexpected error from channel %s", notification_id, notification.channel)
        error = f"{type(exc).__name__}: {exc}"
    return _record_result(notification, now=now, ok=not error, error=error, provider_ref=provider_ref)


def _record_result(notification: Notification, *, now: dt.datetime, ok: bool, error: str = "",
                   provider_ref: str = "") -> str:
    error = error[:_ERROR_LIMIT]
    with transaction.atomic():
        DeliveryAttempt.objects.create(notification=notification, at=now, ok=ok, error=error,
                                       provider_ref=provider_ref[:200])
        previous = notification.status
        notification.attempts += 1
        notification.claimed_at = None
        if ok:
            notification.status = Status.SENT
            notification.sent_at = now
            notification.next_attempt_at = None
            notification.last_error = ""
        elif notification.attempts >= conf.max_attempts():
            notification.status = Status.GAVE_UP
            notification.next_attempt_at = None
            notification.last_error = error
            record_event(
                action="notification.gave_up", obj=notification, body_id=notification.body_id,
                from_state=previous, to_state=Status.GAVE_UP,
                # The address and text are personal data: the trail names the message, not its content.
                payload={"attempts": notification.attempts, "channel": notification.channel,
                         "kind": notification.kind, "dedupe_key": notification.dedupe_key,
                         "last_error": error[:500]},
            )
        else:
            notification.status = Status.FAILED
            notification.next_attempt_at = now + backoff(notification.attempts)
            notification.last_error = error
        notification.save(update_fields=["status", "attempts", "claimed_at", "sent_at", "next_attempt_at",
                                         "last_error"])
    if not ok:
        logger.warning("notification %s (%s) not delivered, attempt %s: %s", notification.pk,
                       notification.channel, notification.attempts, error)
    return notification.status


def release_stale_claims(*, now: dt.datetime) -> int:
    """Messages left "sending" by a worker that died mid-delivery become failed-and-due again,
    with the lost attempt logged. Returns how many."""
    cutoff = now - conf.claim_timeout()
    stale = list(Notification.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff)
                 .values_list("pk", flat=True))
    released = 0
    for pk in stale:
        with transaction.atomic():
            notification = (Notification.objects.select_for_update()
                            .filter(pk=pk, status=Status.SENDING, claimed_at__lt=cutoff).first())
            if notification is None:
                continue
            claimed = notification.claimed_at
            _record_result(notification, now=now, ok=False,
                           error=f"interrupted: the delivery claimed at {claimed:%Y-%m-%d %H:%M:%S %Z} "
                                 "never finished (worker stopped)")
            # Due at once: the lost attempt already waited the claim timeout.
            Notification.objects.filter(pk=pk, status=Status.FAILED).update(next_attempt_at=now)
            released += 1
    return released


def retry_due(*, now: dt.datetime) -> dict[str, int]:
    """The sweep's share of delivery: take back stale claims, then deliver every failed message
    whose backoff has passed and every queued one whose own task should have run by now (its task
    was lost). Bounded by BAGALAU_NOTIFY_RETRY_BATCH per run; the rest waits for the next sweep."""
    released = release_stale_claims(now=now)
    due = (Notification.objects
           .filter(Q(status=Status.FAILED, next_attempt_at__lte=now)
                   | Q(status=Status.QUEUED, created_at__lte=now - conf.queued_grace()))
           .order_by("next_attempt_at", "pk")
           .values_list("pk", flat=True)[: conf.retry_batch()])
    outcome = {"released": released, "sent": 0, "failed": 0, "gave_up": 0}
    for pk in list(due):
        status = deliver(pk, now=now)
        if status in outcome:
            outcome[status] += 1
    return outcome


def notify(
    *,
    body: StateBody,
    template: str,
    values: dict[str, Any],
    dedupe_key: str,
    kind: str,
    recipient: Any = None,
    recipient_servant: Servant | None = None,
    channels: tuple[str, ...] = ("email", "sms"),
    required: bool = False,
) -> list[Notification]:
    """Queue the kk/ru template `template` to one person on each of `channels` where they have an
    address (and, unless `required`, have not switched the channel off), in their language.
    Inside the caller's transaction, like `queue`. Returns the messages queued."""
    if recipient_servant is None and recipient is not None:
        recipient_servant = servant_of(recipient, body)
    if recipient is None and recipient_servant is not None:
        recipient = recipient_servant.user
    language = language_for(recipient)
    subject, text = templates.render(template, language, values)
    queued: list[Notification] = []
    for channel in channels:
        if not address_for(channel, recipient=recipient, recipient_servant=recipient_servant):
            logger.info("notification %s: no %s address, not sent", dedupe_key, channel)
            continue
        notification = queue(body=body, recipient=recipient, recipient_servant=recipient_servant, channel=channel,
                             subject=subject, text=text if channel != "sms" else f"{subject}. {text}", kind=kind,
                             dedupe_key=f"{dedupe_key}:{channel}"[:200], language=language, required=required)
        if notification is not None:
            queued.append(notification)
    return queued


def save_preference(actor: Any, *, language: str, email: bool, sms: bool) -> Preference:
    """The actor's own language and channel choices (nobody sets another person's)."""
    if actor is None or not actor.is_authenticated:
        raise ValidationError({"user": _("Log in to set your notification preferences.")})
    if language not in Language.values:
        raise ValidationError({"language": _("A notification is written in Kazakh (kk) or Russian (ru), not "
                                             "%(language)s.") % {"language": language}})
    for name, value in (("email", email), ("sms", sms)):
        if not isinstance(value, bool):
            raise ValidationError({name: _("Yes or no expected.")})
    with transaction.atomic():
        pref, _created = Preference.objects.select_for_update().get_or_create(user=actor)
        before = {"language": pref.language, "email": pref.email, "sms": pref.sms}
        pref.language, pref.email, pref.sms = language, email, sms
        pref.save()
        record_event(action="notification.preference", obj=pref, actor=actor, role="user",
                     payload={"before": before, "after": {"language": language, "email": email, "sms": sms}})
    return pref
