"""The national data set, written in bulk and reproducibly from a seed.

Shape of one state body (about 33 servants at the default size, as 100,000 servants in 3,000
bodies): a leadership unit with the chairman (first head and authorized person) and the HR
specialist; departments of about six (a head and specialists), every third one a sector under
the department before it, so reporting lines are two and three levels deep. Heads, the chairman
and HR have logins. About 4% of the servants were on annual leave in the period (evaluated
without participation) and 2% left the body within a month of the period start (not evaluated).

What is written through the real services and what is written straight to the tables:

* the organisation, the methodology adoption and the draft cycles go straight to the tables
  (bulk_create): they are the input, and the staff import is measured elsewhere;
* the launch of every cycle goes through `cycles.services.launch_cycle` (it is measured, see
  batch.py), so participants, plans, work items, notices and audit events are the real ones;
* what the year's work adds after the launch (approved plans with five KPIs, sheets with their
  results, commission orders, meetings, agenda items and votes) goes straight to the tables,
  bypassing the audit trail: replaying a year of clicks through the services would take hours
  and measure nothing the load test does not. The audit chain therefore holds the launch events
  only, and stays valid (`audit_verify`).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from bagalau.commission.models import (
    AgendaItem,
    CommissionMeeting,
    CommissionOrder,
    CommissionSeat,
    Vote,
)
from bagalau.cycles.models import (
    CycleState,
    EvaluationCycle,
    IndividualWorkPlan,
    Kpi,
    KpiOutcome,
    KpiSheet,
    Participant,
    PeriodKind,
    PlanState,
    SheetState,
    Track,
)
from bagalau.inbox.models import ItemState, WorkItem
from bagalau.lawbook.models import MethodologyAdoption
from bagalau.orgs.identifiers import check_digit, make_iin
from bagalau.orgs.models import (
    Absence,
    AbsenceKind,
    Appointment,
    BodyType,
    Position,
    Role,
    RoleGrant,
    Servant,
    StateBody,
    StructuralUnit,
)
from bench.progress import Progress

PASSWORD = "bench-Pass-2026"
METHODOLOGY = "typical-g2023"
ADOPTED_FROM = dt.date(2023, 9, 1)
YEAR = 2026
BATCH = 5000
DEPARTMENT = 6  # a head and five specialists
LAST_NAMES = ("Әбенов", "Жұмабаев", "Серікбаев", "Ахметов", "Қасымов", "Нұрланов", "Омаров", "Сейітов",
              "Төлегенов", "Ермеков", "Бекова", "Исаева", "Мұратова", "Сапарова", "Қайратова")
FIRST_NAMES = ("Асқар", "Айгүл", "Ерлан", "Динара", "Нұрлан", "Гүлнар", "Бауыржан", "Сәуле", "Дәурен",
               "Жанар", "Марат", "Ләззат")
BODY_TYPES = (BodyType.DISTRICT_MASLIKHAT, BodyType.AKIMAT, BodyType.CITY_MASLIKHAT, BodyType.CENTRAL_BODY,
              BodyType.OBLAST_MASLIKHAT)


def make_bin(n: int) -> str:
    """A valid BIN, distinct for every n < 100000 (registered 2001, legal entity)."""
    for k in range(10):
        head = f"0104{(n % 100000) * 10 + k:07d}"
        digit = check_digit(head)
        if digit is not None:
            return head + str(digit)
    raise ValueError(f"no valid BIN among the serials of {n}")


def bodies_for(servants: int, per_body: int) -> int:
    return max(1, round(servants / per_body))


def split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


@dataclass
class PersonSpec:
    unit: int  # index into the body's units
    category: str
    head: bool
    login: bool
    hr: bool = False


@dataclass
class BodyShape:
    units: list[tuple[str, int | None]] = field(default_factory=list)  # (code, parent index)
    people: list[PersonSpec] = field(default_factory=list)


def body_shape(size: int) -> BodyShape:
    """Units and people of a body of `size` servants (size >= 2)."""
    shape = BodyShape()
    shape.units.append(("01", None))
    shape.people.append(PersonSpec(0, "E-1", head=True, login=True))
    shape.people.append(PersonSpec(0, "E-4", head=False, login=True, hr=True))
    left, dept, last_top = size - 2, 0, 0
    while left > 0:
        dept += 1
        is_sector = dept % 3 == 0 and last_top > 0
        parent = last_top if is_sector else None
        code = f"{shape.units[parent][0]}-{dept:02d}" if parent is not None else f"{dept + 1:02d}"
        shape.units.append((code, parent))
        index = len(shape.units) - 1
        if not is_sector:
            last_top = index
        take = min(DEPARTMENT, left)
        shape.people.append(PersonSpec(index, "E-4" if is_sector else "E-3", head=True, login=True))
        shape.people.extend(PersonSpec(index, "E-5", head=False, login=False) for _ in range(take - 1))
        left -= take
    return shape


@dataclass
class Country:
    """What the later steps need from the generated organisation."""

    bodies: list[StateBody]
    hr: dict[int, Any]  # body id -> HR user
    cycles: dict[int, int]  # body id -> cycle id
    servants: int


def _batched(rows: list[Any], model: Any, label: str) -> list[Any]:
    out: list[Any] = []
    with Progress(label, len(rows)) as bar:
        for i in range(0, len(rows), BATCH):
            chunk = rows[i:i + BATCH]
            out.extend(model.objects.bulk_create(chunk, batch_size=BATCH))
            bar.advance(len(chunk))
    return out


def organisation(servants: int, per_body: int, seed: int, *, first: int = 0) -> Country:
    """Bodies, units, positions, servants, appointments, logins, roles, absences, adoptions and a
    draft cycle per body for YEAR. `first` numbers the bodies (names, BINs) after those of an
    earlier call on the same database."""
    rng = random.Random(seed)
    nbodies = bodies_for(servants, per_body)
    sizes = split(servants, nbodies)
    shapes = [body_shape(max(2, s)) for s in sizes]
    with transaction.atomic():
        bodies = _batched([
            StateBody(name_kk=f"Мемлекеттік орган {i:05d}", name_ru=f"Государственный орган {i:05d}", bin=make_bin(i),
                      body_type=BODY_TYPES[i % len(BODY_TYPES)]) for i in range(first, first + nbodies)],
            StateBody, "state bodies")
        # Units: top units first (they have no parent), then the sectors pointing at them.
        unit_rows: list[list[StructuralUnit | None]] = [[None] * len(s.units) for s in shapes]
        for level in (False, True):
            batch, where = [], []
            for b, (body, shape) in enumerate(zip(bodies, shapes, strict=True)):
                for u, (code, parent) in enumerate(shape.units):
                    if (parent is not None) != level:
                        continue
                    parent_row = unit_rows[b][parent] if parent is not None else None
                    batch.append(StructuralUnit(body=body, code=code, parent=parent_row,
                                                name_kk=f"{code} бөлімі", name_ru=f"Отдел {code}"))
                    where.append((b, u))
            for (b, u), row in zip(where, _batched(batch, StructuralUnit, "units" + (" (sectors)" if level else "")),
                                   strict=True):
                unit_rows[b][u] = row
        positions = _batched([
            Position(body=body, unit=unit_rows[b][p.unit], code=f"P{k:03d}", category=p.category,
                     is_head_of_unit=p.head, title_kk=("Бөлім басшысы" if p.head else "Бас маман"),
                     title_ru=("Руководитель отдела" if p.head else "Главный специалист"))
            for b, (body, shape) in enumerate(zip(bodies, shapes, strict=True))
            for k, p in enumerate(shape.people)], Position, "positions")
        people = [(b, k, p) for b, shape in enumerate(shapes) for k, p in enumerate(shape.people)]
        password = make_password(PASSWORD)
        User = get_user_model()
        user_rows = _batched([User(username=f"b{bodies[b].pk}u{k}", password=password, email="",
                                   first_name=FIRST_NAMES[k % len(FIRST_NAMES)])
                              for b, k, p in people if p.login], User, "logins")
        users = iter(user_rows)
        servant_rows = []
        for b, k, p in people:
            birth = dt.date(1965 + rng.randrange(35), 1 + rng.randrange(12), 1 + rng.randrange(28))
            servant_rows.append(Servant(
                body=bodies[b], iin=make_iin(birth, k, female=rng.random() < 0.5),
                last_name=LAST_NAMES[rng.randrange(len(LAST_NAMES))] + f"-{k}",
                first_name=FIRST_NAMES[rng.randrange(len(FIRST_NAMES))],
                email=f"s{b}.{k}@example.kz", user=next(users) if p.login else None))
        servant_rows = _batched(servant_rows, Servant, "servants")
        starts = [dt.date(2010 + rng.randrange(15), 1 + rng.randrange(12), 1) for _ in people]
        leavers = {i for i, (b, k, p) in enumerate(people) if not p.head and not p.hr and rng.random() < 0.02}
        _batched([Appointment(body=bodies[b], servant=servant_rows[i], position=positions[i], start=starts[i],
                              end=dt.date(YEAR, 1, 20) if i in leavers else None, order_ref=f"{i}-к")
                  for i, (b, k, p) in enumerate(people)], Appointment, "appointments")
        _batched([Absence(body=bodies[b], servant=servant_rows[i], kind=AbsenceKind.ANNUAL_LEAVE,
                          start=dt.date(YEAR, 7, 1), end=dt.date(YEAR, 7, 28))
                  for i, (b, k, p) in enumerate(people) if i not in leavers and rng.random() < 0.04],
                 Absence, "absences")
        first = 0
        hr: dict[int, Any] = {}
        grants = []
        for b, body in enumerate(bodies):
            chairman, hr_servant = servant_rows[first], servant_rows[first + 1]
            body.first_head = body.authorized_person = chairman
            hr[body.pk] = hr_servant.user
            grants.append(RoleGrant(user=hr_servant.user, body=body, role=Role.HR))
            first += len(shapes[b].people)
        StateBody.objects.bulk_update(bodies, ["first_head", "authorized_person"], batch_size=1000)
        _batched(grants, RoleGrant, "HR roles")
        _batched([MethodologyAdoption(body=body, version_id=METHODOLOGY, valid_from=ADOPTED_FROM) for body in bodies],
                 MethodologyAdoption, "methodology adoptions")
        cycles = _batched([EvaluationCycle(body=body, kind=PeriodKind.YEAR, year=YEAR, period_start=dt.date(YEAR, 1, 1),
                                           period_end=dt.date(YEAR, 12, 31), created_by=hr[body.pk])
                           for body in bodies], EvaluationCycle, "draft cycles")
    return Country(bodies=bodies, hr=hr, cycles={c.body_id: c.pk for c in cycles}, servants=servants)


KPI_TEXT = ("Азаматтардың өтініштерін уақтылы қарау", "Своевременное рассмотрение обращений граждан")


def year_of_work(country: Country, seed: int, probe_body: int) -> dict[str, int]:
    """After the launch: every plan approved with five KPIs; a sheet per plan with its results (a
    tenth still being filled in, a fifth agreed, the rest at the Commission); the launch's work
    items done (the probe body's stay open for its inbox). Ratings are left for the results
    computation (batch.py) to derive."""
    rng = random.Random(seed + 1)
    counts: dict[str, int] = {}
    with transaction.atomic():
        mine = IndividualWorkPlan.objects.filter(cycle_id__in=country.cycles.values())
        plans = list(mine.order_by("pk").values_list("pk", "participant_id", "body_id", "cycle_id"))
        mine.update(state=PlanState.APPROVED, version=4, last_action="approve",
                                          due_on=None, due_rule="", due_clause="")
        _batched([Kpi(plan_id=pk, number=n, text_kk=f"{KPI_TEXT[0]} {n}", text_ru=f"{KPI_TEXT[1]} {n}",
                      expected_change="Fewer overdue requests", measure="Share answered on time", target="100",
                      unit="%", deadline=dt.date(YEAR, 12, 1), strategic_goal_ref="Strategic plan, goal 2")
                  for pk, *_ in plans for n in range(1, 6)], Kpi, "KPIs")
        states = []
        for _ in plans:
            r = rng.random()
            states.append(SheetState.DRAFT if r < 0.1 else SheetState.AGREED if r < 0.3
                          else SheetState.SUBMITTED_TO_COMMISSION)
        sheets = _batched([KpiSheet(plan_id=pk, participant_id=part, body_id=body, cycle_id=cycle, state=state,
                                    version=5, last_action="forward")
                           for (pk, part, body, cycle), state in zip(plans, states, strict=True)], KpiSheet,
                          "KPI sheets")
        kpis = {(plan_id, n): pk for pk, plan_id, n in Kpi.objects.filter(plan__in=mine).values_list(
            "pk", "plan_id", "number")}
        _batched([KpiOutcome(sheet=s, kpi_id=kpis[(s.plan_id, n)], number=n, indicators_planned=1,
                             indicators_met=1 if rng.random() < 0.85 else 0, evidence_text="Есеп, 2026")
                  for s in sheets for n in range(1, 6)], KpiOutcome, "KPI results")
        (WorkItem.objects.filter(state=ItemState.OPEN, body_id__in=country.cycles).exclude(body_id=probe_body)
         .update(state=ItemState.DONE))
        counts.update(plans=len(plans), kpis=5 * len(plans), sheets=len(sheets), outcomes=5 * len(sheets))
    return counts


def commission(country: Country, seed: int, probe_body: int) -> dict[str, int]:
    """Per body: an issued order (the chairman chairs, department heads sit, HR is secretary), an
    approved meeting, an agenda item per sheet at the Commission, decided by open votes. The probe
    body's commission is formed through the services instead (probe.py)."""
    rng = random.Random(seed + 2)
    User = get_user_model()
    with transaction.atomic():
        logins: dict[int, list[tuple[int, int, str]]] = {}
        for body_id, servant_id, user_id, name in (
                Servant.objects.filter(user__isnull=False).order_by("body_id", "pk")
                .values_list("body_id", "pk", "user_id", "last_name")):
            logins.setdefault(body_id, []).append((servant_id, user_id, name))
        bodies = [b for b in country.bodies if len(logins.get(b.pk, [])) >= 3 and b.pk != probe_body]
        orders = _batched([CommissionOrder(body=b, number=f"{b.pk}-ж", order_date=dt.date(YEAR, 11, 2),
                                           state="issued", methodology_version=METHODOLOGY, created_by=country.hr[b.pk])
                           for b in bodies], CommissionOrder, "commission orders")
        seats = []
        for b, order in zip(bodies, orders, strict=True):
            people = logins[b.pk]
            hr_user = country.hr[b.pk].pk
            members = [p for p in people if p[1] != hr_user][:5]
            for i, (servant_id, user_id, name) in enumerate(members):
                seats.append(CommissionSeat(order=order, body=b, role="chair" if i == 0 else "member", user_id=user_id,
                                            servant_id=servant_id, name=name, ordinal=i))
            seats.append(CommissionSeat(order=order, body=b, role="secretary", user_id=hr_user, name="HR", ordinal=9))
        seats = _batched(seats, CommissionSeat, "commission seats")
        voting: dict[int, list[CommissionSeat]] = {}
        for s in seats:
            if s.role != "secretary":
                voting.setdefault(s.body_id, []).append(s)
        meetings = _batched([CommissionMeeting(body=b, cycle_id=country.cycles[b.pk], order=o,
                                               meeting_on=dt.date(YEAR, 12, 18), state="approved",
                                               methodology_version=METHODOLOGY, notice_by=dt.date(YEAR, 12, 15),
                                               notice_rule="commission_notice", notice_clause="S1-p.57")
                             for b, o in zip(bodies, orders, strict=True)], CommissionMeeting, "commission meetings")
        meeting_of = {m.body_id: m for m in meetings}
        at_commission = list(KpiSheet.objects.filter(state=SheetState.SUBMITTED_TO_COMMISSION, body_id__in=meeting_of)
                             .order_by("pk").values_list("pk", "participant_id", "body_id"))
        items = _batched([AgendaItem(meeting=meeting_of[body], body_id=body, participant_id=part, sheet_id=sheet,
                                     ordinal=i % 1000, original_result="EFFECTIVE", state="decided", decision="approve",
                                     votes_for=len(voting[body]), votes_against=0, decision_clause="S1-p.62")
                          for i, (sheet, part, body) in enumerate(at_commission)], AgendaItem, "agenda items")
        now = dt.datetime(YEAR, 12, 18, 10, tzinfo=dt.UTC)
        votes = _batched([Vote(item=item, body_id=item.body_id, seat=seat, user_id=seat.user_id, choice="approve",
                               cast_at=now + dt.timedelta(seconds=rng.randrange(3600)))
                          for item in items for seat in voting[item.body_id]], Vote, "votes")
    return {"orders": len(orders), "seats": len(seats), "meetings": len(meetings), "agenda_items": len(items),
            "votes": len(votes), "users": User.objects.count()}


def kpi_participants() -> int:
    return Participant.objects.filter(track=Track.KPI).count()


def launched() -> int:
    return EvaluationCycle.objects.filter(state=CycleState.LAUNCHED).count()
