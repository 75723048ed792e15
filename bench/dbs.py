"""The benchmark's own PostgreSQL databases: one migrated template, cloned per size.

Migrating takes longer than cloning, so the template `<prefix>_template` is migrated once per run
and every size starts from `CREATE DATABASE <prefix>_<size> TEMPLATE <prefix>_template`. Nothing
here touches a database whose name does not start with the prefix.
"""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def server_url() -> str:
    return os.environ.get("BAGALAU_BENCH_PG", DEFAULT_SERVER)


def url_for(name: str) -> str:
    parts = urlsplit(server_url())
    return urlunsplit(parts._replace(path="/" + name))


def _admin() -> psycopg.Connection:
    return psycopg.connect(server_url(), autocommit=True, connect_timeout=5)


def recreate(name: str, *, template: str | None = None) -> None:
    with _admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if template:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name),
                                                                          sql.Identifier(template)))
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop(name: str) -> None:
    with _admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def migrated_template(prefix: str) -> str:
    """A freshly migrated database to clone (the migrations run in a child process, because
    Django binds its settings to one database per process)."""
    name = f"{prefix}_template"
    recreate(name)
    env = {**os.environ, "DATABASE_URL": url_for(name), "DJANGO_SETTINGS_MODULE": "bench.settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], check=True, env=env)
    return name


def size_of(name: str) -> int:
    """The database's size on disk, in bytes."""
    with psycopg.connect(url_for(name), connect_timeout=5) as conn:
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return int(row[0]) if row else 0


def table_sizes(name: str, top: int = 12) -> dict[str, int]:
    with psycopg.connect(url_for(name), connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT relname, pg_total_relation_size(relid) FROM pg_catalog.pg_statio_user_tables "
            "ORDER BY 2 DESC LIMIT %s", (top,)).fetchall()
    return {r[0]: int(r[1]) for r in rows}
