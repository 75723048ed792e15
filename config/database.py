"""Turn DATABASE_URL into a Django DATABASES entry.

Only the two engines the project supports are accepted, so a typo fails at start-up with a
message instead of later with a driver error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


class DatabaseUrlError(ValueError):
    pass


def sqlite_options() -> dict[str, Any]:
    # IMMEDIATE serialises writers (the audit chain relies on it); WAL lets readers run beside
    # the writer; busy_timeout makes a second writer wait instead of failing at once.
    return {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;",
    }


def parse(url: str, base_dir: Path) -> dict[str, Any]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        raw = unquote(parts.path)
        # sqlite:///relative.db and sqlite:////absolute/path.db, as most tools write them.
        name = raw[1:] if raw.startswith("/") else raw
        path = Path(name)
        if not path.is_absolute():
            path = base_dir / path
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": sqlite_options()}
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise DatabaseUrlError(f"DATABASE_URL {url!r} names no database (postgres://host:port/NAME)")
        options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or "postgres"),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "127.0.0.1",
            "PORT": str(parts.port or 5432),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
        }
    raise DatabaseUrlError(f"DATABASE_URL scheme {scheme!r} is not supported: use sqlite:/// or postgres://")
