"""The refusal act (S0-p.40) and remote familiarization of an absent servant (S1-p.12 para 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bagalau.audit.models import AuditEvent
from bagalau.inbox.models import ItemState, WorkItem
from bagalau.notifications.models import Notification
from bagalau.outcomes import services
from bagalau.outcomes.models import FamiliarizationState, RefusalAct
from bagalau.outcomes.workflow import IllegalTransition
from tests import factories
from tests.outcomes import kit as out

D = dt.date
TEXT_KK = "Қызметші бағалау нәтижесімен танысудан бас тартты."
TEXT_RU = "Служащий отказался от ознакомления с результатами оценки."


def _refused(world, results, key="head_d"):
    fam = out.fam(results[key])
    return services.refuse_to_sign(world.user(key), world.body, fam.pk, note="Не согласен",
                                   expected_version=fam.version)


def _act(world, fam, witnesses, number="1-А"):
    return services.draw_refusal_act(world.hr, world.body, fam.pk, number=number, text_kk=TEXT_KK, text_ru=TEXT_RU,
                                     witnesses=witnesses, place="Мәжіліс залы", expected_version=fam.version)


def _pks(world, *keys):
    return [world.servant(k).pk for k in keys]


def test_refusal_act_with_two_witnesses_then_portal_delivery_S0_p40(world, results, clock):
    fam = _refused(world, results)
    assert WorkItem.objects.get(action="outcomes.act", object_id=str(fam.pk)).assignee_role == "hr"
    act = _act(world, fam, _pks(world, "m6", "m7"))
    assert [w.servant_id for w in act.witnesses.all()] == _pks(world, "m6", "m7")
    assert (act.clause, act.drawn_on, act.delivery_due, act.hr_user) == (
        "G23-familiarization", D(2025, 1, 17), D(2025, 1, 21), world.hr)
    # The typical G2023 version carries the act modelled on S0-p.40, flagged unverified.
    assert act.decision["verified"] is False and act.decision["clause"] == "G23-familiarization"
    fam.refresh_from_db()
    assert fam.state == FamiliarizationState.ACT_DRAWN
    clock.day = D(2025, 1, 20)
    act = services.record_delivery(world.hr, world.body, fam.pk, channel="intranet_portal", reference="IP-778",
                                   expected_version=fam.version)
    assert (act.delivery_channel, act.delivered_on_time, act.delivery_clause) == (
        "intranet_portal", True, "G23-familiarization")
    fam.refresh_from_db()
    assert fam.state == FamiliarizationState.DELIVERED
    assert WorkItem.objects.get(action="outcomes.deliver", object_id=str(fam.pk)).state == ItemState.DONE
    actions = list(AuditEvent.objects.filter(object_id=str(fam.pk), object_type__endswith="familiarization",
                                             action__startswith="outcomes.")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["outcomes.familiarization.open", "outcomes.familiarization.refuse",
                       "outcomes.familiarization.draw_act", "outcomes.familiarization.deliver"]


def test_the_refuser_cannot_witness_his_own_refusal(world, results):
    fam = _refused(world, results)
    with pytest.raises(ValidationError) as exc:
        _act(world, fam, _pks(world, "m6", "head_d"))
    assert "G23-familiarization" in str(exc.value.message_dict["witnesses"])
    assert not RefusalAct.objects.exists()


def test_a_witness_not_of_the_body_is_refused(world, results, other_body):
    stranger = factories.servant(other_body, last_name="Бөтен")
    fam = _refused(world, results)
    with pytest.raises(ValidationError) as exc:
        _act(world, fam, [world.servant("m6").pk, stranger.pk])
    assert "not a servant of this state body" in str(exc.value.message_dict["witnesses"])
    assert not RefusalAct.objects.exists()


def test_one_witness_is_not_enough_and_the_core_names_the_clause(world, results):
    fam = _refused(world, results)
    with pytest.raises(ValidationError) as exc:
        _act(world, fam, _pks(world, "m6"))
    assert "2 other servants" in str(exc.value) and "G23-familiarization" in str(exc.value)
    with pytest.raises(ValidationError):
        _act(world, fam, [world.servant("m6").pk, world.servant("m6").pk])


def test_the_hr_specialist_does_not_count_as_a_witness(world, results):
    hr_servant = factories.servant(world.body, last_name="Кадрова")
    hr_servant.user = world.hr
    hr_servant.save(update_fields=["user"])
    fam = _refused(world, results)
    with pytest.raises(ValidationError) as exc:
        _act(world, fam, [world.servant("m6").pk, hr_servant.pk])
    assert "HR specialist" in str(exc.value)


def test_only_hr_draws_up_the_act_and_only_allowed_channels_deliver(world, results):
    fam = _refused(world, results)
    with pytest.raises(PermissionDenied):
        services.draw_refusal_act(world.user("m6"), world.body, fam.pk, number="1", text_kk=TEXT_KK, text_ru=TEXT_RU,
                                  witnesses=_pks(world, "m6", "m7"), expected_version=fam.version)
    _act(world, fam, _pks(world, "m6", "m7"))
    fam.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.record_delivery(world.hr, world.body, fam.pk, channel="sms", expected_version=fam.version)
    assert "G23-familiarization" in str(exc.value.message_dict["channel"])


def test_hr_may_draw_up_the_act_for_a_refusal_made_in_person_but_not_after_a_signature(world, results):
    fam = out.fam(results["head_c"])
    act = _act(world, fam, _pks(world, "m6", "m7"))
    assert act.familiarization.state == FamiliarizationState.ACT_DRAWN
    fam_b = out.fam(results["head_b"])
    fam_b = services.sign_result(world.user("head_b"), world.body, fam_b.pk, expected_version=fam_b.version)
    with pytest.raises(IllegalTransition):
        _act(world, fam_b, _pks(world, "m6", "m7"), number="2-А")


# -- remote familiarization ------------------------------------------------------------------------

def _remote(world, fam, **kw):
    return services.record_remote_notice(world.hr, world.body, fam.pk, expected_version=fam.version, **kw)


def test_a_servant_on_sick_leave_is_notified_by_registered_letter_with_proof(world, results, clock, settings,
                                                                            tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out.sick(world, "head_c", D(2025, 1, 15), D(2025, 1, 31))
    fam = out.fam(results["head_c"])
    clock.day = D(2025, 1, 21)
    proof = SimpleUploadedFile("хабарлама.pdf", out.PDF, content_type="application/octet-stream")
    with pytest.raises(ValidationError):  # a notice sent before the result was approved
        _remote(world, fam, channel="registered_letter", sent_at="2025-01-16T10:30", proof=proof)
    notice = _remote(world, fam, channel="registered_letter", sent_at="2025-01-20T10:30", reference="RR123456789KZ",
                     proof=proof)
    assert (notice.channel, notice.channel_clause, notice.on_time, notice.proof_type) == (
        "registered_letter", "G23-familiarization", True, "application/pdf")
    assert notice.absence.kind == "sick_leave" and notice.proof.read().startswith(b"%PDF")
    fam.refresh_from_db()
    assert fam.state == FamiliarizationState.REMOTE
    event = AuditEvent.objects.get(action="outcomes.familiarization.notify_remote", object_id=str(fam.pk))
    assert event.payload["absence_kind"] == "sick_leave" and event.payload["proof_sha256"] == notice.proof_sha256


def test_a_registered_letter_needs_its_proof_and_the_proof_is_checked_by_content(world, results, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out.sick(world, "head_c", D(2025, 1, 15), D(2025, 1, 31))
    fam = out.fam(results["head_c"])
    with pytest.raises(ValidationError) as exc:
        _remote(world, fam, channel="registered_letter")
    assert "proof" in exc.value.message_dict
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        _remote(world, fam, channel="registered_letter", proof=fake)
    assert "PDF, JPEG or PNG" in str(exc.value.message_dict["proof"])
    settings.BAGALAU_PROOF_MAX_BYTES = 32
    big = SimpleUploadedFile("scan.png", out.PNG, content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        _remote(world, fam, channel="registered_letter", proof=big)
    assert "at most" in str(exc.value.message_dict["proof"])
    assert out.fam(results["head_c"]).state == FamiliarizationState.PENDING


def test_remote_familiarization_is_for_an_absent_servant_only(world, results):
    fam = out.fam(results["head_b"])
    with pytest.raises(ValidationError) as exc:
        _remote(world, fam, channel="sms")
    assert "absence" in str(exc.value.message_dict["channel"]) and "G23-familiarization" in str(exc.value)
    out.sick(world, "head_b", D(2025, 1, 15), D(2025, 1, 31))
    with pytest.raises(ValidationError):
        _remote(world, fam, channel="carrier_pigeon")


def test_an_sms_notice_goes_through_the_outbox_even_if_sms_is_switched_off(world, results):
    from bagalau.notifications.models import Preference

    servant = world.servant("head_b")
    servant.phone = "+77015550011"
    servant.save(update_fields=["phone"])
    Preference.objects.create(user=world.user("head_b"), language="ru", sms=False)
    out.sick(world, "head_b", D(2025, 1, 10), D(2025, 2, 10))
    fam = out.fam(results["head_b"])
    notice = _remote(world, fam, channel="sms")
    message = Notification.objects.get(pk=notice.notification_id)
    assert (message.channel, message.address, message.language) == ("sms", "+77015550011", "ru")
    assert notice.reference == f"notification:{message.pk}"
