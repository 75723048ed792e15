"""Every user-entered string is shown escaped: a servant's name, a unit's and a position's name, a
KPI's wording, measure and target, the evidence text and file name, the order number, the meeting
place and a vote's reason each get a `<script>` payload of their own, and the pages that show them
must carry it as text (`&lt;script&gt;`), never as markup. The payloads are written straight to
the rows (inside the test's savepoint), as a value that slipped past a form would be."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from bagalau.commission import services as commission_services
from bagalau.commission.models import CommissionMeeting, CommissionOrder, Vote
from bagalau.cycles.models import EvidenceFile, Kpi, KpiOutcome
from bagalau.orgs.models import Position, Servant, StructuralUnit


def payload(field: str) -> str:
    return f'<script>alert("{field}")</script><img src=x onerror=alert("{field}")>'


def _plant(world) -> list[str]:
    own = world.own
    head_d = own.kit.servant("head_d")
    Servant.objects.filter(pk=head_d.pk).update(last_name=payload("last_name"), first_name=payload("first_name"))
    appointment = head_d.appointments.select_related("position__unit").first()
    Position.objects.filter(pk=appointment.position_id).update(title_kk=payload("title_kk"),
                                                               title_ru=payload("title_ru"))
    StructuralUnit.objects.filter(pk=appointment.position.unit_id).update(name_kk=payload("unit_kk"),
                                                                          name_ru=payload("unit_ru"))
    Kpi.objects.filter(plan=own.plan, number=1).update(text_kk=payload("kpi_kk"), text_ru=payload("kpi_ru"),
                                                       measure=payload("measure"), target=payload("target"))
    KpiOutcome.objects.filter(sheet=own.sheet, number=1).update(evidence_text=payload("evidence_text"))
    EvidenceFile.objects.filter(pk=own.evidence.pk).update(original_name=payload("file_name"))
    CommissionOrder.objects.filter(pk=own.order.pk).update(number=payload("order_number"))
    CommissionMeeting.objects.filter(pk=own.meeting.pk).update(place=payload("place"))
    commission_services.cast_vote(own.actors["member"], own.body, own.item.pk, choice="approve")
    Vote.objects.filter(item=own.item).update(choice="revise", reason=payload("vote_reason"))
    return ["last_name", "first_name", "title_kk", "title_ru", "unit_kk", "unit_ru", "kpi_kk", "kpi_ru", "measure",
            "target", "evidence_text", "file_name", "order_number", "place", "vote_reason"]


def test_user_strings_are_escaped_on_every_page_that_shows_them(world):
    fields = _plant(world)
    own = world.own
    pages = {
        "hr": [reverse("web:home"), reverse("web:staff"), reverse("web:inbox"), reverse("web:cycles"),
               reverse("web:cycle", args=[own.cycle.pk]), reverse("web:plan", args=[own.plan.pk]),
               reverse("web:sheet", args=[own.sheet.pk]), reverse("web:sheet_rating", args=[own.sheet.pk]),
               reverse("web:commission"), reverse("web:commission_meeting", args=[own.meeting.pk]),
               reverse("web:commission_protocol", args=[own.meeting.pk])],
        "subject": [reverse("web:home"), reverse("web:plan", args=[own.plan.pk]),
                    reverse("web:sheet", args=[own.sheet.pk])],
        "member": [reverse("web:commission_votes"), reverse("web:commission_meeting", args=[own.meeting.pk])],
    }
    pages["hr ru"] = pages["hr"]
    shown: set[str] = set()
    for who, urls in pages.items():
        actor, *language = who.split()
        client = Client(headers={"accept-language": language[0]} if language else {})
        client.force_login(own.actors[actor])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (who, url, response.status_code)
            html = response.content.decode()
            for field in fields:
                assert payload(field) not in html, f"{field} is rendered as markup on {url}"
                assert f'alert("{field}")</script>' not in html and f'onerror=alert("{field}")>' not in html, (
                    f"{field} is rendered unescaped on {url}")
                if "&lt;script&gt;alert(&quot;" + field + "&quot;)" in html:
                    shown.add(field)
    # The test can fail: each planted string reached at least one page, escaped.
    assert shown == set(fields), f"never shown (add a page that shows it): {set(fields) - shown}"
