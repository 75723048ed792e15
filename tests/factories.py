"""Small builders for tests: a body with units, positions and servants, written straight to the
ORM (the services are tested on their own). Names and IINs are valid."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model

from bagalau.orgs.identifiers import check_digit, make_iin
from bagalau.orgs.models import (
    Appointment,
    BodyType,
    Position,
    Role,
    RoleGrant,
    Servant,
    StateBody,
    StructuralUnit,
)

_seq = itertools.count(1)


def make_bin(n: int) -> str:
    """A valid BIN (registered 2001-04, legal entity), distinct for every n < 10000: each n owns the
    serials n*10 .. n*10+9, and at least one of ten consecutive serials has a check digit."""
    for k in range(10):
        head = f"01044{(n % 10000) * 10 + k:06d}"
        digit = check_digit(head)
        if digit is not None:
            return head + str(digit)
    raise AssertionError(f"no valid BIN among serials of {n}")


def body(name: str = "Test body") -> StateBody:
    n = next(_seq)
    return StateBody.objects.create(
        name_kk=f"{name} {n}", name_ru=f"{name} {n} (ru)", bin=make_bin(n), body_type=BodyType.DISTRICT_MASLIKHAT
    )


def unit(b: StateBody, code: str, parent: StructuralUnit | None = None) -> StructuralUnit:
    return StructuralUnit.objects.create(body=b, code=code, name_kk=f"Бөлім {code}", name_ru=f"Отдел {code}",
                                         parent=parent)


def position(u: StructuralUnit, code: str, *, head: bool = False, category: str = "E-4") -> Position:
    return Position.objects.create(body=u.body, unit=u, code=code, title_kk=f"Лауазым {code}",
                                   title_ru=f"Должность {code}", category=category, is_head_of_unit=head)


def servant(b: StateBody, last_name: str = "Әбенов", first_name: str = "Асқар") -> Servant:
    n = next(_seq)
    return Servant.objects.create(body=b, iin=make_iin(dt.date(1985, 1 + n % 12, 1 + n % 28), n),
                                  last_name=f"{last_name}{n}", first_name=first_name)


def appoint(s: Servant, p: Position, start: dt.date = dt.date(2020, 1, 1), end: dt.date | None = None) -> Appointment:
    return Appointment.objects.create(body=s.body, servant=s, position=p, start=start, end=end)


def user(username: str | None = None, *, superuser: bool = False, password: str = "pass-Word-123"):
    User = get_user_model()
    name = username or f"user{next(_seq)}"
    if superuser:
        return User.objects.create_superuser(name, f"{name}@example.kz", password)
    return User.objects.create_user(name, f"{name}@example.kz", password)


def grant(u, b: StateBody, role: str = Role.HR) -> RoleGrant:
    return RoleGrant.objects.create(user=u, body=b, role=role)
