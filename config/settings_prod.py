"""Production settings: the defaults of config.settings, hardened, with the secrets and host names
required from the environment (start-up fails naming the missing variable, rather than running
with a development key). `manage.py check --deploy` reports no issue with these settings.

The app runs behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto; set
BAGALAU_CLIENT_IP_HEADER (e.g. HTTP_X_REAL_IP) so the login throttle sees client addresses.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from config.settings import *  # noqa: F403


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for the production settings")
    return value


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or _required("BAGALAU_SECRET_KEY")
_hosts = os.environ.get("ALLOWED_HOSTS", "").strip() or _required("BAGALAU_ALLOWED_HOSTS")
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS if h != "*"]

# TLS everywhere: redirect, HSTS for a year with subdomains, cookies only over HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("BAGALAU_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("BAGALAU_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Mail leaves through SMTP (the development console backend is refused); BAGALAU_EMAIL_* configure it.
if not os.environ.get("BAGALAU_EMAIL_BACKEND"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {
        "host": os.environ.get("BAGALAU_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("BAGALAU_EMAIL_PORT", "25")),
        "username": os.environ.get("BAGALAU_EMAIL_USER", ""),
        "password": os.environ.get("BAGALAU_EMAIL_PASSWORD", ""),
        "use_tls": os.environ.get("BAGALAU_EMAIL_USE_TLS", "0") == "1",
        "timeout": 30,
    }}}

# The second factor cannot be switched off in production.
BAGALAU_REQUIRE_2FA = True
