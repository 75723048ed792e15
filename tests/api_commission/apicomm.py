"""Walking the commission through the API (the tests' own calls), on the world of
tests/commission/kit.py. Every helper asserts the status it expects, so a failing step names itself."""

from __future__ import annotations

from typing import Any

from bagalau.commission.models import AgendaItem, CommissionSeat
from tests.api_cycles.support import Api
from tests.commission import kit

FIVE = ("m1", "m2", "m3", "m4", "m5")
BASE = "/api/commission"


def api(world: kit.World, key: str, *, csrf: bool = False) -> Api:
    user = world.authorized if key == "authorized" else world.user(key)
    return Api(user, csrf=csrf)


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content)
    return response.json()


def order_payload(world: kit.World, members: tuple[str, ...] = FIVE, **extra: Any) -> dict[str, Any]:
    chair, *rest = members
    return {"number": "12-ж", "order_date": kit.ORDER_DATE.isoformat(), "chair": kit.ref(world, chair),
            "members": [kit.ref(world, k) for k in rest], "secretary": kit.ref(world, "hr"), **extra}


def form(world: kit.World, members: tuple[str, ...] = FIVE) -> dict[str, Any]:
    auth = api(world, "authorized")
    order = ok(auth.post(f"{BASE}/orders", order_payload(world, members)), 201)
    return ok(auth.post(f"{BASE}/orders/{order['id']}/issue", {"expected_version": order["version"]}))


def schedule(world: kit.World) -> dict[str, Any]:
    """Proposed for kit.MEETING_ON, draft protocol prepared, consented by the chair."""
    hr = api(world, "hr")
    meeting = ok(hr.post(f"{BASE}/meetings", {"cycle_id": world.cycle.pk, "meeting_on": kit.MEETING_ON.isoformat(),
                                              "place": "Мәжіліс залы"}), 201)
    meeting = ok(hr.post(f"{BASE}/meetings/{meeting['id']}/draft-protocol"))
    chair = next(s for s in meeting["seats"] if s["role"] == "chair")
    chair_api = Api(CommissionSeat.objects.get(pk=chair["id"]).user)
    return ok(chair_api.post(f"{BASE}/meetings/{meeting['id']}/consent", {"expected_version": meeting["version"]}))


def seat_ids(world: kit.World, meeting: dict[str, Any], keys: tuple[str, ...]) -> list[int]:
    users = {world.user(k).pk for k in keys}
    return [s["id"] for s in meeting["seats"] if s["user_id"] in users]


def open_with(world: kit.World, meeting: dict[str, Any], present: tuple[str, ...]) -> dict[str, Any]:
    world.clock.day = kit.MEETING_ON
    return ok(api(world, "hr").post(f"{BASE}/meetings/{meeting['id']}/open",
                                    {"expected_version": meeting["version"],
                                     "present": seat_ids(world, meeting, present)}))


def item_id(world: kit.World, meeting: dict[str, Any], key: str) -> int:
    return AgendaItem.objects.get(meeting_id=meeting["id"], participant__servant=world.servant(key)).pk


def vote(world: kit.World, item: int, member: str, choice: str, corrected: str = "", reason: str = "") -> Any:
    return api(world, member).post(f"{BASE}/items/{item}/vote",
                                   {"choice": choice, "corrected_result": corrected, "reason": reason})
