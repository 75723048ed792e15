"""Settings of the fault tests' worker subprocesses: the project settings with the gated mail
provider of gated_mail.py (Django 6.1's MAILERS unless the project still uses EMAIL_*)."""

from __future__ import annotations

import os

import config.settings as _project
from config.settings import *  # noqa: F403

_BACKEND = "tests.faults.gated_mail.GatedBackend"
if hasattr(_project, "MAILERS") or not hasattr(_project, "EMAIL_BACKEND"):
    MAILERS = {"default": {"BACKEND": _BACKEND}}
else:
    EMAIL_BACKEND = _BACKEND
DEBUG = False

if os.environ.get("BAGALAU_FAULT_RENDER_LOG"):  # the document batch crash test's render gate
    INSTALLED_APPS = [*INSTALLED_APPS, "tests.faults.gated_render.GatedRenderConfig"]  # noqa: F405
