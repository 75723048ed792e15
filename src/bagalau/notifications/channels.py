"""Delivery channels: how a queued notification leaves the system.

A channel's `send` either returns the provider's reference for the message or raises
`DeliveryError` with a reason; it never decides about retries (the outbox does, in services.py).
Channels are looked up by the name stored on the notification, so adding one (a registered letter
recorded for the post room, a messenger) is a class and a `register` call, not a schema change.

SMS goes through a pluggable gateway (setting BAGALAU_SMS_GATEWAY). The default,
`LogOnlySmsGateway`, sends nothing over the network: it logs the text and keeps it in memory, so a
development machine or a test run can see what would have been sent.
"""

from __future__ import annotations

import itertools
import logging
from typing import TYPE_CHECKING, Any, Protocol

from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME
from django.utils.module_loading import import_string

from bagalau.notifications import conf

if TYPE_CHECKING:
    from bagalau.notifications.models import Notification

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """The channel could not deliver the message; the text says why (stored as the attempt's error)."""


class Channel:
    name = ""

    def send(self, notification: Notification) -> str:
        """Deliver the message; return the provider's reference or raise DeliveryError."""
        raise NotImplementedError


class EmailChannel(Channel):
    """Django's mail (EMAIL_BACKEND: SMTP in production, locmem in tests, a file backend for the
    real-worker test). The Message-ID is ours, so it can be quoted back as the provider reference."""

    name = "email"

    def send(self, notification: Notification) -> str:
        message_id = make_msgid(domain=DNS_NAME)  # what Django would put there itself
        message = EmailMessage(
            subject=notification.subject,
            body=notification.body_text,
            from_email=None,  # DEFAULT_FROM_EMAIL
            to=[notification.address],
            headers={"Message-ID": message_id},
        )
        try:
            sent = message.send(fail_silently=False)
        except Exception as exc:  # SMTP, socket and header errors alike: all mean "not delivered"
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
        if sent != 1:
            raise DeliveryError(f"the mail backend accepted {sent} messages instead of 1")
        return message_id


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> str:
        """Send one SMS; return the gateway's message id or raise DeliveryError."""
        ...


class LogOnlySmsGateway:
    """The default gateway: no network. Logs each message and appends (phone, text) to `sent`
    (process-wide, like Django's locmem mail outbox; the last `keep` only, so a long-running dev
    worker does not grow), so development and tests can read what would have gone out."""

    sent: list[tuple[str, str]] = []
    keep = 1000
    _ids = itertools.count(1)

    def send(self, phone: str, text: str) -> str:
        ref = f"log-{next(self._ids)}"
        LogOnlySmsGateway.sent.append((phone, text))
        del LogOnlySmsGateway.sent[: -self.keep]
        logger.info("SMS (not sent, log-only gateway) %s to %s: %s", ref, phone, text)
        return ref


class SmsChannel(Channel):
    name = "sms"

    def gateway(self) -> SmsGateway:
        target: Any = conf.sms_gateway()
        gateway_class = import_string(target) if isinstance(target, str) else target
        return gateway_class()

    def send(self, notification: Notification) -> str:
        # The subject is for the log and the admin; an SMS carries the text only.
        try:
            return str(self.gateway().send(notification.address, notification.body_text))
        except DeliveryError:
            raise
        except Exception as exc:  # a gateway's own exceptions count as a failed delivery
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc


_REGISTRY: dict[str, type[Channel]] = {}


def register(channel_class: type[Channel]) -> type[Channel]:
    """Make a channel available under its `name` (usable as a class decorator)."""
    if not channel_class.name:
        raise ValueError(f"{channel_class.__name__} has no channel name")
    _REGISTRY[channel_class.name] = channel_class
    return channel_class


register(EmailChannel)
register(SmsChannel)


def channel_names() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))


def get_channel(name: str) -> Channel:
    try:
        return _REGISTRY[name]()
    except KeyError:
        raise DeliveryError(
            f"no delivery channel named {name!r}; known channels: {', '.join(channel_names())}"
        ) from None
