"""kk/ru templates, personal preferences, and `notify`, the one door workflow messages go through:
a failing channel is retried until the message is sent, nothing is lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from bagalau.audit.models import AuditEvent
from bagalau.notifications import services, templates
from bagalau.notifications.models import Notification, Preference, Status
from bagalau.notifications.selectors import language_for

templates.register("test.hello", gettext_noop("Evaluation result"), gettext_noop("Due on %(date)s (%(clause)s)."))


def _notify(body, person, **kw):
    args = {"body": body, "template": "test.hello", "values": {"date": dt.date(2025, 1, 21), "clause": "S1-p.12"},
            "dedupe_key": "test:1", "kind": "workflow", "recipient": person, **kw}
    with transaction.atomic():
        return services.notify(**args)


def test_templates_render_in_kazakh_and_russian_with_dates_formatted():
    subject_kk, text_kk = templates.render("test.hello", "kk", {"date": dt.date(2025, 1, 21), "clause": "S1-p.12"})
    subject_ru, text_ru = templates.render("test.hello", "ru", {"date": dt.date(2025, 1, 21), "clause": "S1-p.12"})
    assert "21.01.2025" in text_kk and "21.01.2025" in text_ru and "S1-p.12" in text_ru
    with pytest.raises(KeyError):
        templates.get("test.missing")
    with pytest.raises(ValueError):
        templates.register("test.hello", "Other", "Other")


def test_notify_queues_each_channel_with_an_address_in_the_persons_language(body, person):
    Preference.objects.create(user=person, language="ru")
    queued = _notify(body, person)
    assert sorted(n.channel for n in queued) == ["email", "sms"]
    assert {n.language for n in queued} == {"ru"}
    assert all("21.01.2025" in n.body_text for n in queued)


def test_a_switched_off_channel_is_skipped_unless_the_notice_is_required(body, person):
    Preference.objects.create(user=person, language="kk", sms=False)
    assert [n.channel for n in _notify(body, person)] == ["email"]
    assert [n.channel for n in _notify(body, person, dedupe_key="test:2", channels=("sms",), required=True)] == ["sms"]


def test_a_failing_channel_is_retried_and_nothing_is_lost(body, person, flaky_gateway):
    (sms,) = _notify(body, person, channels=("sms",))
    now = timezone.now() + dt.timedelta(seconds=1)
    assert services.deliver(sms.pk, now=now) == Status.FAILED
    later = now + services.backoff(1)
    assert services.retry_due(now=later)["failed"] == 1  # second failure
    outcome = services.retry_due(now=later + services.backoff(2))
    sms.refresh_from_db()
    assert (outcome["sent"], sms.status, sms.attempts) == (1, Status.SENT, 3)
    assert [a.ok for a in sms.delivery_attempts.order_by("at")] == [False, False, True]
    assert flaky_gateway.sent == [sms.body_text]


def test_an_email_through_djangos_mail_backend(body, person):
    (email,) = _notify(body, person, channels=("email",))
    assert services.deliver(email.pk, now=timezone.now() + dt.timedelta(seconds=1)) == Status.SENT
    assert mail.outbox[-1].to == [email.address]
    assert Notification.objects.get(pk=email.pk).delivery_attempts.get().provider_ref.startswith("<")


def test_preferences_are_ones_own_and_audited(body, person):
    pref = services.save_preference(person, language="ru", email=True, sms=False)
    assert (pref.language, pref.sms, language_for(person)) == ("ru", False, "ru")
    assert AuditEvent.objects.filter(action="notification.preference", object_id=str(pref.pk)).exists()
    with pytest.raises(ValidationError) as exc:
        services.save_preference(person, language="en", email=True, sms=True)
    assert "language" in exc.value.message_dict
