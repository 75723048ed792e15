"""A database error in the middle of a multi-write service leaves nothing behind.

A trigger installed for the test makes the database itself refuse a write the service makes after
its other writes (the audit event, which every service records last or nearly last, or the work
items a launch opens): the service must fail with the database's error, and every table must hold
exactly the rows it held before, on SQLite and PostgreSQL alike. The trigger lives inside the
test's transaction and is rolled back with it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection

from bagalau.audit.models import AuditEvent
from bagalau.commission import services as commission_services
from bagalau.cycles import services as cycle_services
from bagalau.cycles.models import PeriodKind
from bagalau.inbox.models import WorkItem
from bagalau.orgs import services as org_services
from bagalau.orgs.models import AbsenceKind


def _refuse_inserts_into(table: str) -> None:
    """From now on (until the test's rollback) the database refuses any INSERT into `table`."""
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute(f'CREATE TRIGGER fault_injected BEFORE INSERT ON "{table}" '
                      "BEGIN SELECT RAISE(ABORT, 'fault injected'); END")
        else:
            c.execute("CREATE FUNCTION fault_injected() RETURNS trigger AS $$ BEGIN "
                      "RAISE EXCEPTION 'fault injected'; END $$ LANGUAGE plpgsql")
            c.execute(f'CREATE TRIGGER fault_injected BEFORE INSERT ON "{table}" '
                      "FOR EACH ROW EXECUTE FUNCTION fault_injected()")


def _snapshot() -> dict[str, int]:
    """Row counts of every table of the project's database."""
    with connection.cursor() as c:
        counts = {}
        for table in connection.introspection.table_names(c):
            c.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = c.fetchone()[0]
    return counts


def _assert_nothing_written(before: dict[str, int]) -> None:
    after = _snapshot()
    changed = {t: (before[t], after.get(t)) for t in before if after.get(t) != before[t]}
    assert not changed, f"partial state left behind: {changed}"


@pytest.mark.parametrize("table", [AuditEvent._meta.db_table, WorkItem._meta.db_table])
def test_a_launch_failing_on_a_late_write_leaves_no_cycle_half_launched(world, table):
    own = world.own
    cycle = cycle_services.create_cycle(own.actors["hr"], own.body, kind=PeriodKind.YEAR, year=2026)
    before = _snapshot()
    state = type(cycle).objects.values_list("state", flat=True).get(pk=cycle.pk)
    _refuse_inserts_into(table)
    with pytest.raises(DatabaseError, match="fault injected"):
        cycle_services.launch_cycle(own.actors["hr"], own.body, cycle.pk)
    _assert_nothing_written(before)
    assert type(cycle).objects.values_list("state", flat=True).get(pk=cycle.pk) == state


def test_a_vote_failing_on_its_audit_event_is_not_counted(world):
    own = world.own
    before = _snapshot()
    _refuse_inserts_into(AuditEvent._meta.db_table)
    with pytest.raises(DatabaseError, match="fault injected"):
        commission_services.cast_vote(own.actors["member"], own.body, own.item.pk, choice="approve")
    _assert_nothing_written(before)


def test_an_order_failing_on_its_audit_event_leaves_no_draft(world):
    own = world.own
    args = {"number": "14-ж", "order_date": dt.date(2025, 1, 10), "chair": {"servant": own.kit.servant("m1").pk},
            "members": [{"servant": own.kit.servant(k).pk} for k in ("m2", "m3", "m4", "m6")],
            "secretary": {"user": own.actors["secretary"].pk}}
    before = _snapshot()
    _refuse_inserts_into(AuditEvent._meta.db_table)
    with pytest.raises(DatabaseError, match="fault injected"):
        commission_services.amend_order(own.actors["authorized"], own.body, own.order.pk, reason="Member moved",
                                        **args)
    _assert_nothing_written(before)


def test_an_absence_failing_on_its_audit_event_is_not_recorded(world):
    own = world.own
    before = _snapshot()
    _refuse_inserts_into(AuditEvent._meta.db_table)
    with pytest.raises(DatabaseError, match="fault injected"):
        org_services.record_absence(actor=own.actors["hr"], body=own.body, servant=own.servant,
                                    kind=AbsenceKind.values[0], start=dt.date(2025, 3, 3), end=dt.date(2025, 3, 7))
    _assert_nothing_written(before)
