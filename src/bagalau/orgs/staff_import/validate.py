"""Rows to a plan of writes, or to the full list of what is wrong with them.

A pure function of the rows, what the body already holds (`ExistingOrg`) and today's date: no
database, no clock, so every rule is tested on plain values. All rows are checked and every
problem is reported, each as (row as the user sees it, column, value, message, rule), because HR
fixes a roster in one pass, not one error per upload. The plan is only worth applying when the
error list is empty; the caller makes sure of that.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from bagalau.orgs.identifiers import check_digit, iin_birth_date
from bagalau.orgs.models import category_validator
from bagalau.orgs.staff_import.columns import COLUMN_KEYS, SERVANT_KEYS
from bagalau.orgs.staff_import.existing import ExistingOrg, ExistingPosition
from bagalau.orgs.staff_import.read import RawRow

# An appointment order may be signed a few weeks ahead; further than this is a typo in the year.
MAX_FUTURE_DAYS = 31
# Citizens enter the civil service from the age of 18.
MIN_AGE = 18

# Longest value each column may hold (the model fields' max_length).
LIMITS = {
    "unit_code": 40, "unit_name_kk": 300, "unit_name_ru": 300, "parent_unit_code": 40, "position_code": 40,
    "position_title_kk": 300, "position_title_ru": 300, "last_name": 100, "first_name": 100,
    "middle_name": 100, "email": 254, "phone": 20, "order_ref": 100,
}
_YES = {"yes", "y", "true", "1", "иә", "ия", "и", "да", "д"}
_NO = {"no", "n", "false", "0", "жоқ", "нет", "н"}
_PHONE = re.compile(r"\+?\d{10,15}")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    message: str
    rule: str


@dataclass(frozen=True)
class UnitPlan:
    code: str
    name_kk: str
    name_ru: str
    parent_code: str
    row: int


@dataclass(frozen=True)
class PositionPlan:
    code: str
    unit_code: str
    title_kk: str
    title_ru: str
    category: str
    is_head: bool
    row: int


@dataclass(frozen=True)
class ServantPlan:
    iin: str
    last_name: str
    first_name: str
    middle_name: str
    email: str
    phone: str
    row: int

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


@dataclass(frozen=True)
class AppointmentPlan:
    iin: str
    position_code: str
    start: dt.date
    order_ref: str
    row: int


@dataclass(frozen=True)
class OverridePlan:
    iin: str
    manager_iin: str
    row: int


@dataclass
class Plan:
    """The writes, in an order that satisfies every reference (parents before children)."""

    units: list[UnitPlan] = field(default_factory=list)
    positions: list[PositionPlan] = field(default_factory=list)
    servants: list[ServantPlan] = field(default_factory=list)
    appointments: list[AppointmentPlan] = field(default_factory=list)
    overrides: list[OverridePlan] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"units": len(self.units), "positions": len(self.positions), "servants": len(self.servants),
                "appointments": len(self.appointments), "overrides": len(self.overrides)}


@dataclass
class _Declared:
    """A value given for a unit on some row, remembered with that row to name it in a conflict."""

    value: str
    row: int


@dataclass
class _UnitDecl:
    code: str
    first_row: int
    attrs: dict[str, _Declared] = field(default_factory=dict)  # column key -> first value given

    def value(self, key: str) -> str:
        return self.attrs[key].value if key in self.attrs else ""


def parse_date(text: str) -> dt.date | None:
    """dd.mm.yyyy (as orders write it) or yyyy-mm-dd (as XLSX date cells arrive); None otherwise."""
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    try:
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return None


def parse_yes_no(text: str) -> bool | None:
    """True/False for the accepted spellings (empty is no), None for anything else."""
    folded = text.strip().casefold()
    if folded in _YES:
        return True
    if folded in _NO or not folded:
        return False
    return None


def _d(day: dt.date) -> str:
    return f"{day:%d.%m.%Y}"


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def validate(rows: list[RawRow], existing: ExistingOrg, *, today: dt.date) -> tuple[Plan, list[RowError]]:
    """Check every row against every rule; return the plan and all errors, sorted by row and column."""
    checker = _Checker(existing, today)
    for row in rows:
        checker.check_row(row)
    checker.finish()
    order = {key: i for i, key in enumerate(COLUMN_KEYS)}
    errors = sorted(checker.errors, key=lambda e: (e.row, order.get(e.column, 99)))
    return checker.plan, errors


# Names and codes that end up in exports opened by spreadsheets (CSV injection). The phone ("+7 ...")
# and the other typed columns have their own format checks.
FORMULA_CHECKED_KEYS = ("unit_code", "unit_name_kk", "unit_name_ru", "parent_unit_code", "position_code",
                        "position_title_kk", "position_title_ru", "last_name", "first_name", "middle_name",
                        "order_ref")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Checker:
    def __init__(self, existing: ExistingOrg, today: dt.date) -> None:
        self.existing = existing
        self.today = today
        self.errors: list[RowError] = []
        self.plan = Plan()
        self.units: dict[str, _UnitDecl] = {}
        self.position_rows: dict[str, int] = {}
        self.new_positions: dict[str, PositionPlan] = {}
        self.servant_rows: dict[str, int] = {}
        self.servants: dict[str, ServantPlan] = {}
        self.pending_managers: list[OverridePlan] = []

    def error(self, row: RawRow, column: str, message: str, rule: str) -> None:
        self.errors.append(RowError(row.number, column, row.get(column), message, rule))

    # ---- one row ------------------------------------------------------------------------------

    def check_row(self, row: RawRow) -> None:
        for key, limit in LIMITS.items():
            if len(row.get(key)) > limit:
                self.error(row, key, _("Too long: at most %(limit)d characters.") % {"limit": limit}, "too_long")
        for key in FORMULA_CHECKED_KEYS:
            if row.get(key)[:1] in FORMULA_STARTS and row.get(key):
                self.error(row, key, _("A name or code must not start with =, +, -, @ or a tab: a spreadsheet "
                                       "the roster is exported to would run it as a formula."), "formula")
        unit_code = row.get("unit_code")
        if unit_code:
            self._unit(row, unit_code)
        else:
            self.error(row, "unit_code", _("The unit code is required on every row."), "required")
        position_code = self._position(row, unit_code)
        self._servant(row, position_code)

    def _unit(self, row: RawRow, code: str) -> None:
        known = self.existing.units.get(code)
        if known is not None:
            # A unit of the body, referred to by code: the import adds to it but never renames or moves it.
            for key, have in (("unit_name_kk", known.name_kk), ("unit_name_ru", known.name_ru)):
                given = row.get(key)
                if given and given != have:
                    self.error(row, key, _("Unit %(code)s already exists in this body as \"%(name)s\". Leave "
                                           "the name empty or give the same name.") % {"code": code, "name": have},
                               "unit_conflict")
            given_parent = row.get("parent_unit_code")
            if given_parent and given_parent != known.parent_code:
                where = known.parent_code or _("a top unit")
                self.error(row, "parent_unit_code", _("Unit %(code)s already exists in this body under %(parent)s; "
                                                      "the import does not move units.")
                           % {"code": code, "parent": where}, "unit_conflict")
            return
        decl = self.units.setdefault(code, _UnitDecl(code, row.number))
        for key in ("unit_name_kk", "unit_name_ru", "parent_unit_code"):
            given = row.get(key)
            if not given:
                continue
            first = decl.attrs.get(key)
            if first is None:
                decl.attrs[key] = _Declared(given, row.number)
            elif first.value != given:
                self.error(row, key, _("Unit %(code)s is declared twice with different values: row %(row)d has "
                                       "\"%(other)s\".") % {"code": code, "row": first.row, "other": first.value},
                           "unit_conflict")

    def _position(self, row: RawRow, unit_code: str) -> str:
        """Check the position columns; return the position code a servant on this row goes to."""
        code = row.get("position_code")
        described = any(row.get(k) for k in ("position_title_kk", "position_title_ru", "category", "is_head"))
        if not code:
            if described:
                self.error(row, "position_code", _("The position code is required when the row describes a "
                                                   "position."), "required")
            return ""
        if code in self.position_rows:
            self.error(row, "position_code", _("Position %(code)s is already in row %(row)d: one row per "
                                               "position.") % {"code": code, "row": self.position_rows[code]},
                       "duplicate_position")
            return ""
        self.position_rows[code] = row.number
        is_head = parse_yes_no(row.get("is_head"))
        if is_head is None:
            self.error(row, "is_head", _("Write yes or no (also 1/0, иә/жоқ, да/нет)."), "yes_no")
        known = self.existing.positions.get(code)
        if known is not None:
            return self._existing_position(row, known, unit_code, is_head)
        for key in ("position_title_kk", "position_title_ru", "category"):
            if not row.get(key):
                self.error(row, key, _("Required for a new position."), "required")
        category = row.get("category")
        if category:
            try:
                category_validator(category)
            except ValidationError as exc:
                self.error(row, "category", str(exc.messages[0]), "category")
        plan = PositionPlan(code, unit_code, row.get("position_title_kk"), row.get("position_title_ru"),
                            category, bool(is_head), row.number)
        self.new_positions[code] = plan
        self.plan.positions.append(plan)
        return code

    def _existing_position(self, row: RawRow, known: ExistingPosition, unit_code: str, is_head: bool | None) -> str:
        """A position of the body named by code: the row may appoint to it if it is vacant, and must
        not describe it differently from what the body holds."""
        same = True
        checks = (
            ("unit_code", unit_code, known.unit_code),
            ("position_title_kk", row.get("position_title_kk"), known.title_kk),
            ("position_title_ru", row.get("position_title_ru"), known.title_ru),
            ("category", row.get("category"), known.category),
        )
        for key, given, have in checks:
            if given and given != have:
                same = False
                self.error(row, key, _("Position %(code)s already exists in this body with %(column)s "
                                       "\"%(value)s\". Leave it empty or give the same value.")
                           % {"code": known.code, "column": key, "value": have}, "position_conflict")
        if row.get("is_head") and is_head is not None and is_head != known.is_head:
            same = False
            if known.is_head:
                message = _("Position %(code)s already exists in this body as the head of its unit.")
            else:
                message = _("Position %(code)s already exists in this body and is not the head of its unit.")
            self.error(row, "is_head", message % {"code": known.code}, "position_conflict")
        return known.code if same else ""

    def _servant(self, row: RawRow, position_code: str) -> None:
        if not any(row.get(k) for k in SERVANT_KEYS):
            return  # a vacant position or a unit row
        for key in ("iin", "last_name", "first_name", "appointed_from"):
            if not row.get(key):
                self.error(row, key, _("Required when the row names a servant."), "required")
        if not row.get("position_code"):
            self.error(row, "position_code", _("A servant must be appointed to a position: give the position "
                                               "code."), "required")
        iin = row.get("iin")
        birth = self._check_iin(row, "iin") if iin else None
        registered = False
        if birth is not None:
            if iin in self.servant_rows:
                self.error(row, "iin", _("This IIN is already in row %(row)d: a servant is appointed to one position "
                                         "only.") % {"row": self.servant_rows[iin]}, "duplicate_iin")
            elif iin in self.existing.servants:
                self.error(row, "iin", _("A servant with this IIN is already registered in this body: %(name)s.")
                           % {"name": self.existing.servants[iin]}, "iin_exists")
            else:
                self.servant_rows[iin] = row.number
                registered = True
        email = row.get("email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                self.error(row, "email", _("Not a valid e-mail address."), "email")
        phone = row.get("phone")
        if phone and not _PHONE.fullmatch(re.sub(r"[\s()\-]", "", phone)):
            self.error(row, "phone", _("A phone number is 10 to 15 digits with an optional leading +, e.g. "
                                       "+77011234567."), "phone")
        start = self._check_start(row, birth)
        if start is not None and position_code in self.existing.positions:
            known = self.existing.positions[position_code]
            if known.busy_open or (known.busy_until is not None and known.busy_until >= start):
                self.error(row, "position_code", _("Position %(code)s is already held by someone on %(date)s.")
                           % {"code": position_code, "date": _d(start)}, "position_taken")
        if registered and all(row.get(k) for k in ("last_name", "first_name")):
            servant = ServantPlan(iin, row.get("last_name"), row.get("first_name"), row.get("middle_name"), email,
                                  phone, row.number)
            self.servants[iin] = servant
            self.plan.servants.append(servant)
            if position_code and start is not None:
                self.plan.appointments.append(
                    AppointmentPlan(iin, position_code, start, row.get("order_ref"), row.number))
        manager = row.get("direct_manager_iin")
        if manager and self._check_iin(row, "direct_manager_iin") is not None:
            if manager == iin:
                self.error(row, "direct_manager_iin", _("A servant cannot be his own direct manager."),
                           "self_manager")
            elif iin:
                self.pending_managers.append(OverridePlan(iin, manager, row.number))

    def _check_iin(self, row: RawRow, key: str) -> dt.date | None:
        """The birth date of a well-formed IIN, or None after recording what is wrong with it."""
        value = row.get(key)
        if len(value) != 12 or not value.isdigit():
            message = _("An IIN is exactly 12 digits.")
            if value.isdigit() and len(value) == 11:
                message += " " + _("If it began with 0, Excel dropped the zero: format the column as text.")
            self.error(row, key, message, "iin_format")
            return None
        expected = check_digit(value[:11])
        if expected is None or expected != int(value[11]):
            self.error(row, key, _("The IIN check digit does not match: the number is mistyped."),
                       "iin_check_digit")
            return None
        try:
            birth = iin_birth_date(value)
        except ValidationError as exc:
            self.error(row, key, str(exc.messages[0]), "iin_birth_date")
            return None
        if birth > self.today:
            self.error(row, key, _("The birth date in this IIN (%(date)s) is in the future.") % {"date": _d(birth)},
                       "iin_birth_date")
            return None
        return birth

    def _check_start(self, row: RawRow, birth: dt.date | None) -> dt.date | None:
        text = row.get("appointed_from")
        if not text:
            return None
        start = parse_date(text)
        if start is None:
            self.error(row, "appointed_from", _("Not a date: write dd.mm.yyyy (05.12.2023) or yyyy-mm-dd."), "date")
            return None
        latest = self.today + dt.timedelta(days=MAX_FUTURE_DAYS)
        if start > latest:
            self.error(row, "appointed_from", _("The appointment date is more than %(days)d days ahead (after "
                                                "%(latest)s).") % {"days": MAX_FUTURE_DAYS, "latest": _d(latest)},
                       "future_date")
            return None
        if birth is not None and start < _add_years(birth, MIN_AGE):
            self.error(row, "appointed_from", _("The appointment date is before the servant's %(age)dth birthday "
                                                "(born %(birth)s according to the IIN).")
                       % {"age": MIN_AGE, "birth": _d(birth)}, "too_young")
            return None
        return start

    # ---- across rows --------------------------------------------------------------------------

    def finish(self) -> None:
        self._finish_units()
        self._finish_heads()
        self._finish_managers()

    def _error_at(self, number: int, column: str, value: str, message: str, rule: str) -> None:
        self.errors.append(RowError(number, column, value, message, rule))

    def _finish_units(self) -> None:
        existing = self.existing.units
        for decl in self.units.values():
            missing = [k for k in ("unit_name_kk", "unit_name_ru") if k not in decl.attrs]
            if len(missing) == 2:
                self._error_at(decl.first_row, "unit_code", decl.code,
                               _("Unit %(code)s is not in this body. To create it, give unit_name_kk and unit_name_ru "
                                 "on one of its rows; otherwise correct the code.") % {"code": decl.code},
                               "unknown_unit")
            else:
                for key in missing:
                    self._error_at(decl.first_row, key, "", _("Required for a new unit (%(code)s).")
                                   % {"code": decl.code}, "required")
            parent = decl.attrs.get("parent_unit_code")
            if parent is None:
                continue
            if parent.value == decl.code:
                self._error_at(parent.row, "parent_unit_code", parent.value,
                               _("A unit cannot be its own parent."), "unit_cycle")
            elif parent.value not in self.units and parent.value not in existing:
                self._error_at(parent.row, "parent_unit_code", parent.value,
                               _("Unknown unit code %(code)s: it is neither in this file nor in this body.")
                               % {"code": parent.value}, "unknown_parent")
        for cycle in _cycles({code: d.value("parent_unit_code") for code, d in self.units.items()}):
            if len(cycle) < 2:
                continue  # a unit that is its own parent is reported above
            chain = " → ".join([*cycle, cycle[0]])
            for code in cycle:
                parent = self.units[code].attrs["parent_unit_code"]
                self._error_at(parent.row, "parent_unit_code", parent.value,
                               _("Units form a cycle: %(chain)s. One of them must have another parent.")
                               % {"chain": chain}, "unit_cycle")
        self.plan.units = self._units_in_order()

    def _units_in_order(self) -> list[UnitPlan]:
        """New units, each after its parent (cycles are errors already; the guard only stops loops)."""
        ordered: list[UnitPlan] = []
        placed: set[str] = set()

        def place(code: str, trail: frozenset[str]) -> None:
            if code in placed or code not in self.units or code in trail:
                return
            decl = self.units[code]
            place(decl.value("parent_unit_code"), trail | {code})
            placed.add(code)
            ordered.append(UnitPlan(code, decl.value("unit_name_kk"), decl.value("unit_name_ru"),
                                    decl.value("parent_unit_code"), decl.first_row))

        for code in self.units:
            place(code, frozenset())
        return ordered

    def _finish_heads(self) -> None:
        held: dict[str, str] = {}  # unit code -> where its head position is, for the message
        for known in self.existing.positions.values():
            if known.is_head:
                held[known.unit_code] = _("position %(code)s in this body") % {"code": known.code}
        for plan in self.new_positions.values():
            if not plan.is_head or not plan.unit_code:
                continue
            if plan.unit_code in held:
                self._error_at(plan.row, "is_head", "yes",
                               _("Unit %(unit)s already has a head position: %(where)s. A unit has one head.")
                               % {"unit": plan.unit_code, "where": held[plan.unit_code]}, "two_heads")
            else:
                held[plan.unit_code] = _("position %(code)s in row %(row)d") % {"code": plan.code, "row": plan.row}

    def _finish_managers(self) -> None:
        known = self.existing.servants
        for override in self.pending_managers:
            if override.manager_iin not in self.servants and override.manager_iin not in known:
                self._error_at(override.row, "direct_manager_iin", override.manager_iin,
                               _("No servant with this IIN in this file or in this body."), "unknown_manager")
            else:
                self.plan.overrides.append(override)
        if any(e.rule == "unit_cycle" for e in self.errors):
            return  # reporting lines follow the unit tree; with a cycle in it they mean nothing yet
        graph = _ReportingGraph(self.existing, self.units, self.plan)
        file_override_rows = {o.iin: o.row for o in self.plan.overrides}
        for cycle in _cycles({iin: graph.manager_of(iin) or "" for iin in graph.people()}):
            labels = [self._label(iin) for iin in cycle]
            chain = " → ".join([*labels, labels[0]])
            message = _("Reporting lines form a cycle: %(chain)s. Change direct_manager_iin so that the line "
                        "ends at a head.") % {"chain": chain}
            rows = [(file_override_rows[i], "direct_manager_iin", graph.overrides[i])
                    for i in cycle if i in file_override_rows]
            if not rows:  # the cycle closes through a new head position rather than an override in the file
                rows = [(self.servants[i].row, "iin", i) for i in cycle if i in self.servants][:1]
            for number, column, value in rows:
                self._error_at(number, column, value, message, "manager_cycle")

    def _label(self, iin: str) -> str:
        if iin in self.servants:
            return f"{self.servants[iin].full_name} ({iin})"
        return f"{self.existing.servants.get(iin, '?')} ({iin})"


class _ReportingGraph:
    """Direct managers as the body will have them after the import: the unit tree (a non-head reports
    to the head of the unit, a head to the head above, the top to the first head) with overrides
    winning, as in bagalau.orgs.reporting. Future appointments count as held: a cycle is an error
    whenever it would appear."""

    def __init__(self, existing: ExistingOrg, units: dict[str, _UnitDecl], plan: Plan) -> None:
        self.parent = {code: u.parent_code for code, u in existing.units.items()}
        self.parent.update({code: d.value("parent_unit_code") for code, d in units.items()})
        positions = {code: (p.unit_code, p.is_head) for code, p in existing.positions.items()}
        positions.update({p.code: (p.unit_code, p.is_head) for p in plan.positions})
        holder = dict(existing.holder_of)
        holder.update({a.position_code: a.iin for a in plan.appointments})
        self.position_of = {iin: positions[code] for code, iin in holder.items() if code in positions}
        self.head_of = {unit: iin for iin, (unit, head) in self.position_of.items() if head}
        self.overrides = dict(existing.overrides)
        self.overrides.update({o.iin: o.manager_iin for o in plan.overrides})
        self.first_head = existing.first_head_iin

    def people(self) -> list[str]:
        return sorted(set(self.position_of) | set(self.overrides))

    def manager_of(self, iin: str) -> str | None:
        if iin == self.first_head:
            return None
        if iin in self.overrides:
            return self.overrides[iin]
        if iin not in self.position_of:
            return None
        unit, is_head = self.position_of[iin]
        current: str | None = self.parent.get(unit, "") if is_head else unit
        seen: set[str] = set()
        while current and current not in seen:
            seen.add(current)
            head = self.head_of.get(current)
            if head is not None and head != iin:
                return head
            current = self.parent.get(current, "")
        return self.first_head or None


def _cycles(successor: dict[str, str]) -> list[list[str]]:
    """The cycles of a graph where each node has at most one successor ("" for none)."""
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = done
    found: list[list[str]] = []
    for start in successor:
        walk: list[str] = []
        node = start
        while node and state.get(node, 0) == 0:
            state[node] = 1
            walk.append(node)
            node = successor.get(node, "")
        if node and state.get(node) == 1:
            found.append(walk[walk.index(node):])
        for visited in walk:
            state[visited] = 2
    return found
