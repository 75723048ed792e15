"""Test settings: the production settings with fast hashing and a PostgreSQL flush opt-out."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False

_db = DATABASES["default"]
if _db["ENGINE"].endswith("postgresql"):
    # The audit table refuses TRUNCATE unless this setting is on; only test connections set it, so
    # that pytest-django's flush between transactional tests works (see the audit migration).
    _db["OPTIONS"] = {**_db.get("OPTIONS", {}), "options": "-c audit.allow_truncate=on"}
    _db["CONN_MAX_AGE"] = 0
    _db["TEST"] = {"NAME": os.environ.get("BAGALAU_PG_TEST_DB", f"test_{_db['NAME']}_bagalau")}
else:
    _db["TEST"] = {"NAME": os.environ.get("BAGALAU_SQLITE_TEST_DB") or None}

# Uploaded files of a test run go to a scratch folder, never into the checkout's media/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bagalau-test-media-"))

# Most suites sign in with force_login and test their own pages; the accounts suite turns the
# second factor on with override_settings and proves it is enforced.
BAGALAU_REQUIRE_2FA = False

TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
