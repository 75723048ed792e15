"""The production settings pass `manage.py check --deploy` and refuse to start without their
secrets."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# Test-run switches that a deployment must not carry (the browser suite sets the async one).
NOT_INHERITED = {"SECRET_KEY", "BAGALAU_SECRET_KEY", "ALLOWED_HOSTS", "BAGALAU_ALLOWED_HOSTS",
                 "DJANGO_ALLOW_ASYNC_UNSAFE", "BAGALAU_REQUIRE_2FA"}


def _check(env_extra: dict[str, str], tmp: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings_prod", "DATABASE_URL": f"sqlite:///{tmp}/deploy.sqlite3",
                **env_extra})
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_reports_no_issues(tmp_path):
    result = _check({"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "bagalau.example.kz"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _check({"ALLOWED_HOSTS": "bagalau.example.kz"}, tmp_path)
    assert result.returncode != 0 and "BAGALAU_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = _check({"SECRET_KEY": secrets.token_urlsafe(64)}, tmp_path)
    assert result.returncode != 0 and "BAGALAU_ALLOWED_HOSTS must be set" in result.stderr
