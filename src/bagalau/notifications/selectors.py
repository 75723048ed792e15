"""Reads for notifications: where a person can be reached, and the outbox of one body.

Addresses are looked up when a message is queued and copied onto it (`Notification.address`), so
the delivery log says where each message actually went even if the person's data changes later.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from bagalau.notifications.models import DeliveryAttempt, Language, Notification, Preference
from bagalau.orgs.models import Servant, StateBody


def servant_of(user: Any, body: StateBody | int) -> Servant | None:
    """The servant record a login has in this body (None: not a servant there)."""
    if user is None:
        return None
    body_id = body if isinstance(body, int) else body.pk
    return Servant.objects.filter(user=user, body_id=body_id).first()


def address_for(channel: str, *, recipient: Any = None, recipient_servant: Servant | None = None) -> str:
    """The address `channel` would use for this person, "" when there is none.

    E-mail: the login's address, else the servant record's. SMS: the servant record's mobile phone.
    """
    if channel == "email":
        login_email = getattr(recipient, "email", "") or ""
        return login_email or (recipient_servant.email if recipient_servant else "")
    if channel == "sms":
        return recipient_servant.phone if recipient_servant else ""
    return ""


def outbox(body: StateBody) -> QuerySet[Notification]:
    """The body's notifications, newest first (for back-office lists)."""
    return Notification.objects.filter(body=body).select_related("recipient", "recipient_servant")


def attempts(notification: Notification) -> QuerySet[DeliveryAttempt]:
    return notification.delivery_attempts.order_by("at", "id")


def preference_of(user: Any) -> Preference:
    """The person's preference, or the defaults (unsaved) when they never set one."""
    user_id: Any = getattr(user, "pk", None)
    pref = Preference.objects.filter(user_id=user_id).first() if user_id is not None else None
    if pref is None:
        pref = Preference(user_id=user_id, language=_default_language())
    return pref


def preferences_of(users: list[Any]) -> dict[Any, Preference]:
    """`preference_of` for many people at once, by user id."""
    ids = {u.pk for u in users}
    found = {p.user_id: p for p in Preference.objects.filter(user_id__in=ids)} if ids else {}
    return {pk: found.get(pk) or Preference(user_id=pk, language=_default_language()) for pk in ids}


def _default_language() -> str:
    from bagalau.inbox import conf

    return conf.notification_language()


def language_for(user: Any) -> str:
    """The language to write to this person in: their preference, else the body-wide default."""
    if user is None:
        return _default_language()
    language = preference_of(user).language
    return language if language in Language.values else _default_language()
