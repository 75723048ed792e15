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
  results, commission orders, meetings, agenda items and votes, the ranking lists of the
  specialists and the 360 surveys with their anonymous answers) goes straight to the tables,
  bypassing the audit trail: replaying a year of clicks through the services would take hours
  and measure nothing the load test does not. The audit chain therefore holds the launch events
  only, and stays valid (`audit_verify`). The rows are the ones the services would have written:
  the rules core (`methodology.ranking`, `methodology.survey360`) decides every check, position,
  rater set and 360 result, on the effective version of each body.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from bagalau.assessments.ranking.models import ListState, RankingEntry, RankingList, RankingSignature
from bagalau.assessments.ranking.services import content as ranking_content
from bagalau.assessments.survey360.annex import seed_annex4
from bagalau.assessments.survey360.models import (
    AssignmentState,
    RaterAssignment,
    RaterRole,
    Response360,
    Survey360,
    SurveyState,
)
from bagalau.assessments.survey360.services import RESPONSE_DUE
from bagalau.commission.models import (
    AgendaItem,
    CommissionMeeting,
    CommissionOrder,
    CommissionSeat,
    Vote,
)
from bagalau.cycles import dues, workflow
from bagalau.cycles.content import canonical, sha256
from bagalau.cycles.models import (
    CycleState,
    EvaluationCycle,
    IndividualWorkPlan,
    Kpi,
    KpiOutcome,
    KpiSheet,
    Participant,
    ParticipantStatus,
    PeriodKind,
    PlanState,
    SheetState,
    Track,
)
from bagalau.inbox.models import ItemState, WorkItem
from bagalau.lawbook.models import MethodologyAdoption
from bagalau.methodology import ranking as ranking_rules
from bagalau.methodology import survey360 as survey_rules
from bagalau.methodology.local import apply_local_parameters
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.versions import get_version
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


# -- the body's own act: what the typical version leaves open ------------------------------------------

# The generated bodies are fictional, so is their order: the values are the plausible ones the demo
# body uses (orgs.demo), unverified, each citing the act as its clause (methodology.local).
ACT = "Order No. 1 of 2023-09-01 of the head of the apparatus (generated body; benchmark data)"
ACT_NOTE = "Benchmark data: a generated body's own order, from no real text."
RANKING_ACT: dict[str, Any] = {
    "value": {"scale": ["EFFECTIVE", "PROPER", "SATISFACTORY", "UNSATISFACTORY"], "quotas": {"EFFECTIVE": "1/4"},
              "rater_role": "direct_manager", "group": "unit", "input_type": "direct_grade", "min_group_size": 2,
              "tie_rule": "shared_rank", "small_group": "no_quota"},
    "clause": "BENCH-ord-1-p.3", "act": f"{ACT}, p.3", "verified": False, "note": ACT_NOTE,
}
SURVEY360_ACT: dict[str, Any] = {
    "value": {"optional_for": ["non_head"]},
    "clause": "BENCH-ord-1-p.5", "act": f"{ACT}, p.5", "verified": False, "note": ACT_NOTE,
}
# Every fourth body's act also runs the 360 for specialists, which the typical version leaves to
# the body ("no, or optional", spec 4.2); the others survey their heads only.
SPECIALISTS_360_EVERY = 4


def _competencies_act() -> dict[str, Any]:
    return {"value": seed_annex4(), "clause": "BENCH-ord-1-annex-4", "act": f"{ACT}, Annex 4", "verified": False,
            "note": ACT_NOTE}


def _adopt(country: Country, own: Callable[[int, int], dict[str, Any]]) -> dict[int, MethodologyVersion]:
    """Adds `own(index, body id)` to each body's adoption and returns each body's effective version.

    Bodies that end up with the same values are written with one UPDATE, and each distinct set of
    values goes once through `apply_local_parameters`, the check the adoption's save() runs."""
    shipped = get_version(METHODOLOGY)
    index = {b.pk: i for i, b in enumerate(country.bodies)}
    same: dict[str, tuple[dict[str, Any], list[int]]] = {}
    for pk, body_id, local in (MethodologyAdoption.objects.filter(body_id__in=country.cycles, version_id=METHODOLOGY)
                               .order_by("pk").values_list("pk", "body_id", "local_parameters")):
        added = own(index[body_id], body_id)
        # `own` hands out shared values, so their identity tells the groups apart without
        # serialising the competency annex once per body.
        key = json.dumps([local, sorted((k, id(v)) for k, v in added.items())], sort_keys=True)
        same.setdefault(key, ({**local, **added}, []))[1].append(pk)
    out: dict[int, MethodologyVersion] = {}
    for merged, pks in same.values():
        effective = apply_local_parameters(shipped, merged)  # LocalParameterError names a bad value
        MethodologyAdoption.objects.filter(pk__in=pks).update(local_parameters=merged)
        out.update({body_id: effective for body_id in
                    MethodologyAdoption.objects.filter(pk__in=pks).values_list("body_id", flat=True)})
    return out


def _logins(country: Country) -> dict[int, tuple[int, str]]:
    """Servant id -> (user id, full name as `Servant.full_name` gives it) of everyone with a login."""
    return {pk: (user_id, " ".join(p for p in names if p)) for pk, user_id, *names in (
        Servant.objects.filter(body_id__in=country.cycles, user__isnull=False)
        .values_list("pk", "user_id", "last_name", "first_name", "middle_name"))}


def _copied(rows: list[Any], model: Any, label: str) -> None:
    """Writes model instances with COPY: the big JSON columns (ranking checks, 360 results and
    answers) cost more to escape into an INSERT than to stream. Values go in as bulk_create would
    send them: JSON through json.dumps with the field's encoder, a choice as its value, auto_now
    fields set to now; a row without a primary key takes the table's sequence. PostgreSQL only,
    as the benchmark."""
    if not rows:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and rows[0].pk is None)]

    def prepare(f: Any) -> Callable[[Any], Any]:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return lambda value: now
        if isinstance(f, models.JSONField):
            return lambda value: json.dumps(value, cls=f.encoder)
        return lambda value: str(value) if isinstance(value, (str, uuid.UUID)) else value  # a choice: its value

    columns = [(f.attname, prepare(f)) for f in fields]
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with Progress(label, len(rows)) as bar, connection.cursor() as cur:
        raw = cur.cursor if hasattr(cur, "cursor") else cur
        with raw.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN") as copy:
            for i, obj in enumerate(rows, start=1):
                values = obj.__dict__
                copy.write_row([convert(values[name]) for name, convert in columns])
                if i % BATCH == 0:
                    bar.advance(BATCH)
        bar.advance(len(rows) % BATCH)


def _reserve_ids(model: Any, n: int) -> list[int]:
    """`n` primary keys taken from the table's PostgreSQL sequence, so that rows can be referred to
    (a check keyed by entry id, as the service stores it) before they are copied in."""
    if n == 0:
        return []
    with connection.cursor() as cur:
        cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [model._meta.db_table, n])
        return [row[0] for row in cur.fetchall()]


# -- ranking lists ------------------------------------------------------------------------------------

SIGNED_AT = dt.datetime(YEAR, 12, 3, 6, tzinfo=dt.UTC)
AGREED_AT = dt.datetime(YEAR, 12, 7, 6, tzinfo=dt.UTC)
FORWARDED_AT = dt.datetime(YEAR, 12, 21, 6, tzinfo=dt.UTC)  # after the sitting: waits for the next one
# How the evaluators grade before the quota caps the top grade (a scale of four, best first).
GRADE_WEIGHTS = (0.3, 0.45, 0.2, 0.05)


def _grades(rng: random.Random, s: dict[str, Any], n: int) -> list[str]:
    """n grades of the scale, drawn and then held to the quotas: a servant over a label's quota
    moves to the next label down, as an evaluator would regrade him."""
    scale = list(s["scale"])
    weights = GRADE_WEIGHTS if len(scale) == len(GRADE_WEIGHTS) else (1.0,) * len(scale)
    drawn = rng.choices(range(len(scale)), weights=weights, k=n)
    quotas_apply = n >= s["min_group_size"] or s.get("small_group") != "no_quota"
    for label, share in s["quotas"].items():
        if share is None or not quotas_apply:
            continue
        rank = scale.index(label)
        over = drawn.count(rank) - int(share * n)  # floor(q * n), as methodology.ranking counts
        for i, r in enumerate(drawn):
            if over <= 0:
                break
            if r == rank and rank + 1 < len(scale):
                drawn[i], over = rank + 1, over - 1
    return [scale[r] for r in drawn]


def rankings(country: Country, seed: int, probe_body: int | None = None) -> dict[str, int]:
    """The ranking lists of every cycle, as HR prepares them (one per snapshot unit and evaluator,
    `ranking.services.prepare_lists`) and as far as the year got: a tenth not graded yet, a tenth
    signed and under the superior's review, a fifth agreed (due to HR within hr_to_commission_due),
    the rest submitted to the Commission. Grades respect the quotas of the body's effective version
    (its adoption fills the ranking block first); the check, positions and signatures are the core's
    and the services' own. The probe body's lists stop at "agreed", so its sitting's agenda holds the
    KPI sheets the load test votes on."""
    rng = random.Random(seed + 3)
    with transaction.atomic():
        versions = _adopt(country, lambda i, body_id: {"ranking": RANKING_ACT})
        logins = _logins(country)
        settings: dict[int, tuple[dict[str, Any], str]] = {}
        groups: dict[tuple[int, str], list[tuple[Any, ...]]] = {}
        for row in (Participant.objects.filter(cycle_id__in=country.cycles.values(),
                                               status=ParticipantStatus.EVALUATED)
                    .order_by("body_id", "unit_code", "servant_name", "pk")
                    .values_list("pk", "body_id", "cycle_id", "servant_name", "methods", "unit_id", "unit_code",
                                 "unit_name_kk", "unit_name_ru", "direct_manager_id", "direct_manager_name",
                                 "sheet_reviewer_id", "superior_manager_id", "superior_manager_name",
                                 "first_head_name")):
            if "ranking" not in (row[4] or []) or row[9] is None:  # no evaluator: HR sees it skipped
                continue
            version = versions[row[1]]
            if id(version) not in settings:
                settings[id(version)] = (ranking_rules.settings(version, SIGNED_AT.date())[1],
                                         version.param("ranking").clause)
            s = settings[id(version)][0]
            unit = str(row[5]) if s["group"] == "unit" else "body"
            groups.setdefault((row[2], f"{unit}:{row[9]}"), []).append(row)
        hr_users = {b: u.pk for b, u in country.hr.items()}
        agreed_due: dict[int, dues.Due] = {}
        entry_ids = iter(_reserve_ids(RankingEntry, sum(len(m) for m in groups.values())))
        lists: list[RankingList] = []
        members: list[list[RankingEntry]] = []
        for (cycle_id, key), rows in groups.items():
            first = rows[0]
            body_id, version = first[1], versions[first[1]]
            s, clause = settings[id(version)]
            by_unit = s["group"] == "unit"
            reviewer = first[11]
            r = rng.random()
            state = (ListState.DRAFT if r < 0.1 else ListState.UNDER_REVIEW if r < 0.2 else ListState.AGREED
                     if r < 0.4 else ListState.SUBMITTED_TO_COMMISSION)
            if reviewer is None or reviewer not in logins:  # nobody could agree: it waits for the superior
                state = min(state, ListState.UNDER_REVIEW, key=_LIST_ORDER.index)
            if body_id == probe_body:
                state = min(state, ListState.AGREED, key=_LIST_ORDER.index)
            entries = [RankingEntry(id=next(entry_ids), body_id=body_id, participant_id=row[0], servant_name=row[3])
                       for row in rows]
            if state != ListState.DRAFT:
                for e, grade in zip(entries, _grades(rng, s, len(entries)), strict=True):
                    e.grade = grade
            day = SIGNED_AT.date()
            check = ranking_rules.validate_ranking(version, {str(e.pk): e.grade for e in entries if e.grade}, day,
                                                   group_size=len(entries))
            if check.problems:  # the evaluator could not sign it (a version that refuses small groups)
                state = ListState.DRAFT
            ranking_list = RankingList(
                body_id=body_id, cycle_id=cycle_id, group_key=key, unit_id=first[5] if by_unit else None,
                unit_code=first[6] if by_unit else "", unit_name_kk=first[7] if by_unit else "",
                unit_name_ru=first[8] if by_unit else "", evaluator_id=first[9], evaluator_name=first[10],
                reviewer_id=reviewer,
                reviewer_name=(first[13] if reviewer == first[12] else first[14]) if reviewer else "",
                rater_clause=clause, state=state, check_value=check.value, check_clause=check.clause,
                check_verified=check.verified, check_decision=check.as_dict(), updated_by_id=hr_users[body_id])
            if state != ListState.DRAFT:
                placed = ranking_rules.positions(version, {str(e.pk): e.grade for e in entries},
                                                 {str(e.pk): e.order for e in entries}, day)
                for e in entries:
                    e.position = placed.value[str(e.pk)]
                ranking_list.signed_at = SIGNED_AT
                ranking_list.version, ranking_list.last_action = 3, "sign"  # prepared, graded, signed
                ranking_list.updated_by_id = logins[first[9]][0]
            if state in (ListState.AGREED, ListState.SUBMITTED_TO_COMMISSION):
                ranking_list.agreed_at = AGREED_AT
                ranking_list.version, ranking_list.last_action = 4, "agree"
                ranking_list.updated_by_id = logins[reviewer][0]
            if state == ListState.AGREED:
                if id(version) not in agreed_due:
                    agreed_due[id(version)] = dues.compute(version, dues.HR_TO_COMMISSION_DUE, AGREED_AT.date())
                for name, value in agreed_due[id(version)].fields().items():
                    setattr(ranking_list, name, value)
            if state == ListState.SUBMITTED_TO_COMMISSION:
                ranking_list.forwarded_at = FORWARDED_AT
                ranking_list.version, ranking_list.last_action = 5, "forward"
                ranking_list.updated_by_id = hr_users[body_id]
            lists.append(ranking_list)
            members.append(entries)
        for ranking_list, pk in zip(lists, _reserve_ids(RankingList, len(lists)), strict=True):
            ranking_list.pk = pk
        _copied(lists, RankingList, "ranking lists")
        for ranking_list, entries in zip(lists, members, strict=True):
            for e in entries:
                e.ranking_list_id = ranking_list.pk
        _copied([e for entries in members for e in entries], RankingEntry, "ranking entries")
        signatures = []
        for ranking_list, entries in zip(lists, members, strict=True):
            if ranking_list.state == ListState.DRAFT:
                continue
            text = canonical(ranking_content(ranking_list, entries))
            digest = sha256(text)
            signers: list[tuple[Any, str, str, dt.datetime]] = [
                (ranking_list.evaluator_id, workflow.DIRECT_MANAGER, "sign", SIGNED_AT)]
            if ranking_list.agreed_at is not None:
                signers.append((ranking_list.reviewer_id, workflow.REVIEWER, "agree", AGREED_AT))
            for servant_id, role, action, at in signers:
                user_id, name = logins[servant_id]
                signatures.append(RankingSignature(body_id=ranking_list.body_id, ranking_list_id=ranking_list.pk,
                                                   user_id=user_id, servant_id=servant_id, signer_name=name,
                                                   role=role, action=action, signed_at=at, content=text,
                                                   content_sha256=digest))
        _copied(signatures, RankingSignature, "ranking signatures")
    return {"ranking_lists": len(lists), "ranking_entries": sum(len(m) for m in members),
            "ranking_signatures": len(signatures)}


_LIST_ORDER = [ListState.DRAFT, ListState.UNDER_REVIEW, ListState.AGREED, ListState.SUBMITTED_TO_COMMISSION]


# -- 360 surveys --------------------------------------------------------------------------------------

SURVEY_ON = dt.date(YEAR, 11, 2)  # created and sent the same day; the organisation as it stood then
ANSWERED = 0.9  # share of raters who answer before the deadline


def survey360(country: Country, seed: int) -> dict[str, int]:
    """The 360 of every evaluated servant the body's effective version surveys (`applies_to`: the
    heads; the specialists too in the bodies whose act says so), with the raters HR may assign
    (`assign_rater`: the direct manager, subordinates and colleagues with a login, as their
    relation in the snapshot says) where they meet the version's rules (`check_raters`, as
    `open_survey` requires); a servant whose raters cannot (a head whose subordinates have no
    login) is not surveyed. Every survey is closed: by itself when the last rater answered, by HR
    at the deadline otherwise, with the core's result frozen on it. The answers are stored as the
    service stores them: a random key, the rater's role, no link to the rater, in random order."""
    rng = random.Random(seed + 4)
    with transaction.atomic():
        competencies = _competencies_act()
        versions = _adopt(country, lambda i, body_id: {"competencies": competencies, **(
            {"survey360": SURVEY360_ACT} if i % SPECIALISTS_360_EVERY == 0 else {})})
        logins = _logins(country)
        people = [row for row in Participant.objects.filter(cycle_id__in=country.cycles.values())
                  .order_by("body_id", "unit_code", "-is_head_of_unit", "servant_name", "pk")
                  .values_list("servant_id", "body_id", "status", "is_head_of_unit", "direct_manager_id",
                               "appointment_end", "servant_name", "position_title_kk", "position_title_ru",
                               "unit_name_kk", "unit_name_ru", "category")
                  if row[5] is None or row[5] > SURVEY_ON]  # holds a position on the survey day
        subordinates: dict[int, list[int]] = defaultdict(list)
        colleagues: dict[int, list[int]] = defaultdict(list)  # body -> servants with a login
        for row in people:
            if row[4] is not None:
                subordinates[row[4]].append(row[0])
            if row[0] in logins:
                colleagues[row[1]].append(row[0])
        # The core's decisions are pure functions of their inputs: each distinct question is asked once.
        applies_to: dict[tuple[int, bool], Any] = {}
        raters_ok: dict[tuple[Any, ...], bool] = {}
        questionnaire: dict[tuple[int, str], list[str]] = {}

        surveys: list[Survey360] = []
        raters: list[list[tuple[int, str]]] = []
        for servant, body_id, status, is_head, manager, _end, servant_name, title_kk, title_ru, unit_kk, unit_ru, \
                category in people:
            if status != ParticipantStatus.EVALUATED:
                continue
            version = versions[body_id]
            if (id(version), is_head) not in applies_to:
                applies_to[(id(version), is_head)] = survey_rules.applies_to(version, is_head, SURVEY_ON)
            applies = applies_to[(id(version), is_head)]
            if not applies.value or version.competencies is None or manager is None or manager not in logins:
                continue  # not surveyed, no annex to ask from (create_survey refuses), or nobody to rate
            s = version.value("survey360")
            group = applies.details["group"]
            allowed = s["rater_roles"][group]
            mins = (s.get("min_raters") or {}).get(group, {})
            below = sorted(subordinates[servant])
            chosen: list[tuple[int, str]] = [(manager, RaterRole.DIRECT_MANAGER)]
            if RaterRole.SUBORDINATE in allowed:
                own = [x for x in below if x in logins]
                chosen += [(x, RaterRole.SUBORDINATE) for x in rng.sample(own, min(len(own), 3))]
            if RaterRole.PEER in allowed:
                taken = {servant, manager, *below}
                pool = [x for x in colleagues[body_id] if x not in taken]
                want = mins.get(RaterRole.PEER, 0) + rng.randrange(2)
                chosen += [(x, RaterRole.PEER) for x in rng.sample(pool, min(len(pool), want))]
            chosen = chosen[:s.get("max_raters") or len(chosen)]
            counts: dict[str, int] = defaultdict(int)
            for _x, role in chosen:
                counts[role] += 1
            question = (id(version), is_head, *sorted(counts.items()))
            if question not in raters_ok:
                raters_ok[question] = bool(survey_rules.check_raters(version, is_head, dict(counts), SURVEY_ON).value)
            if not raters_ok[question]:
                continue  # HR could not send it: the raters the rules need have no login
            surveys.append(Survey360(
                body_id=body_id, servant_id=servant, servant_name=servant_name, position_title_kk=title_kk,
                position_title_ru=title_ru, unit_name_kk=unit_kk, unit_name_ru=unit_ru, category=category,
                is_head_of_unit=is_head, group=group, direct_manager_id=manager, subordinate_ids=below,
                methodology_version=version.id, snapshot_on=SURVEY_ON, applies_basis=applies.details["basis"],
                applies_clause=applies.clause, state=SurveyState.CLOSED, last_action="close", opened_on=SURVEY_ON,
                version=1 + len(chosen) + 2,  # created, each rater assigned, opened, closed
                created_by_id=country.hr[body_id].pk))
            raters.append(chosen)
        for survey, pk in zip(surveys, _reserve_ids(Survey360, len(surveys)), strict=True):
            survey.pk = pk
        due: dict[int, dues.Due] = {}
        assignments: list[RaterAssignment] = []
        responses: list[Response360] = []
        for survey, chosen in zip(surveys, raters, strict=True):
            version = versions[survey.body_id]
            if id(version) not in due:
                due[id(version)] = (dues.compute(version, RESPONSE_DUE, SURVEY_ON)
                                    if RESPONSE_DUE in version.deadline_rules() else dues.Due.none())
            for name, value in due[id(version)].fields().items():
                setattr(survey, name, value)
            if (id(version), survey.group) not in questionnaire:
                matrix = version.competencies
                assert matrix is not None  # applies_to and check_raters passed on this version
                questionnaire[(id(version), survey.group)] = [  # the keys `checked_answers` expects
                    f"{c}/{i.ordinal}" for c, inds in matrix.indicators(survey.group).items() for i in inds]
            indicators = questionnaire[(id(version), survey.group)]
            answered = []
            leaning = 0.55 + 0.4 * rng.random()  # how the raters see this servant
            for rater, role in chosen:
                done = rng.random() < ANSWERED
                assignments.append(RaterAssignment(body_id=survey.body_id, survey_id=survey.pk, rater_id=rater,
                                                   rater_name=logins[rater][1], role=role,
                                                   state=AssignmentState.COMPLETED if done
                                                   else AssignmentState.PENDING))
                if done:
                    answers = {k: "effective" if rng.random() < leaning else "ineffective" for k in indicators}
                    answered.append(Response360(id=uuid.UUID(int=rng.getrandbits(128), version=4),
                                                body_id=survey.body_id, survey_id=survey.pk, rater_role=role,
                                                answers=answers))
            # Closed by the last answer, or by HR at the deadline when someone did not answer.
            survey.closed_on = (survey.due_on or SURVEY_ON) if len(answered) < len(chosen) else \
                SURVEY_ON + dt.timedelta(days=3 + rng.randrange(5))
            result = survey_rules.score_360(version, survey.is_head_of_unit,
                                            [survey_rules.response_from_stored(r.rater_role, r.answers)
                                             for r in sorted(answered, key=lambda r: r.id)], survey.closed_on)
            survey.result, survey.responses_count = result.as_dict(), len(answered)
            responses.extend(answered)
        _copied(surveys, Survey360, "360 surveys")
        _copied(assignments, RaterAssignment, "360 raters")
        rng.shuffle(responses)  # the table's order says nothing of who answered when
        _copied(responses, Response360, "360 answers")
    return {"surveys360": len(surveys), "raters360": len(assignments), "responses360": len(responses)}


def kpi_participants() -> int:
    return Participant.objects.filter(track=Track.KPI).count()


def launched() -> int:
    return EvaluationCycle.objects.filter(state=CycleState.LAUNCHED).count()
