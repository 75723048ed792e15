"""Settings for the real-worker test's subprocesses: the project settings, with mail written to
files in a directory the test names (BAGALAU_TEST_MAIL_DIR), so the test can read what the worker
sent. Uses Django 6.1's MAILERS unless the project settings still use the older EMAIL_* ones
(Django refuses a mix of the two)."""

from __future__ import annotations

import os

import config.settings as _project
from config.settings import *  # noqa: F403

_MAIL_DIR = os.environ["BAGALAU_TEST_MAIL_DIR"]
_FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"

if hasattr(_project, "MAILERS") or not hasattr(_project, "EMAIL_BACKEND"):
    MAILERS = {"default": {"BACKEND": _FILE_BACKEND, "OPTIONS": {"file_path": _MAIL_DIR}}}
else:
    EMAIL_BACKEND = _FILE_BACKEND
    EMAIL_FILE_PATH = _MAIL_DIR
DEBUG = False
