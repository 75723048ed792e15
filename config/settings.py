"""Settings for bagalau. Everything that differs between machines comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.database import parse as parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("BAGALAU_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = os.environ.get("BAGALAU_DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("BAGALAU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_htmx",
    "django_tasks_db",
    "bagalau.audit",
    "bagalau.orgs",
    "bagalau.lawbook",
    "bagalau.notifications",
    "bagalau.inbox",
    "bagalau.cycles",
    "bagalau.commission",
    "bagalau.assessments.ranking",
    "bagalau.assessments.survey360",
    "bagalau.outcomes",
    "bagalau.documents",
    "bagalau.accounts",
    "bagalau.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Session lifetime, then the second factor, before anything looks at the user's bodies.
    "bagalau.accounts.middleware.SessionExpiryMiddleware",
    "bagalau.accounts.middleware.TwoFactorMiddleware",
    "bagalau.orgs.middleware.CurrentBodyMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bagalau.web.context_processors.shell",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": parse_database_url(os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3"), BASE_DIR),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "first_name", "last_name", "email")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "bagalau.accounts.validators.IdentityPasswordValidator"},
]
# Every authenticate() goes through the lockout (bagalau.accounts.throttle).
AUTHENTICATION_BACKENDS = ["bagalau.accounts.backends.ThrottledModelBackend"]

# Sign-in security (bagalau.accounts): failures counted in the database per username and per
# client address over a window; a threshold locks for the lockout time after the last failure.
BAGALAU_LOGIN_FAILURES_PER_USERNAME = int(os.environ.get("BAGALAU_LOGIN_FAILURES_PER_USERNAME", "5"))
BAGALAU_LOGIN_FAILURES_PER_IP = int(os.environ.get("BAGALAU_LOGIN_FAILURES_PER_IP", "20"))
BAGALAU_LOGIN_WINDOW_SECONDS = int(os.environ.get("BAGALAU_LOGIN_WINDOW_SECONDS", "900"))
BAGALAU_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("BAGALAU_LOGIN_LOCKOUT_SECONDS", "900"))
# REMOTE_ADDR, or e.g. HTTP_X_REAL_IP when a reverse proxy sets it (never trust it otherwise).
BAGALAU_CLIENT_IP_HEADER = os.environ.get("BAGALAU_CLIENT_IP_HEADER", "REMOTE_ADDR")
# TOTP second factor for HR, commission, authorized person, appeal reviewer and administrators.
BAGALAU_REQUIRE_2FA = os.environ.get("BAGALAU_REQUIRE_2FA", "1") == "1"
BAGALAU_TOTP_ISSUER = os.environ.get("BAGALAU_TOTP_ISSUER", "Bagalau")
# A session ends after this much inactivity, and in any case this long after sign-in.
BAGALAU_SESSION_IDLE_SECONDS = int(os.environ.get("BAGALAU_SESSION_IDLE_SECONDS", "1800"))
BAGALAU_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("BAGALAU_SESSION_ABSOLUTE_SECONDS", str(12 * 3600)))
SESSION_COOKIE_AGE = BAGALAU_SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Kazakh is the state language and the default; Russian is official; English is for reviewers.
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django ships no kk formats module: ours gives 23.11.2026 and 1 234 567,89.
FORMAT_MODULE_PATH = ["bagalau.formats"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(os.environ.get("BAGALAU_MEDIA_ROOT", BASE_DIR / "media"))

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The token reaches htmx through base.html's hx-headers, so no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Uploads: the staff import refuses anything larger than this before parsing it.
STAFF_IMPORT_MAX_BYTES = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Deadlines, reminders and the outbox (bagalau.inbox / bagalau.notifications).
BAGALAU_REMINDER_DAYS_BEFORE = (2, 0)  # working days before the due date; 0 = on the due date
BAGALAU_SWEEP_SECONDS = int(os.environ.get("BAGALAU_SWEEP_SECONDS", "300"))
BAGALAU_DOCUMENT_BATCH_STALE_SECONDS = int(os.environ.get("BAGALAU_DOCUMENT_BATCH_STALE_SECONDS", "300"))
BAGALAU_REMINDER_CHANNELS = ("email",)
BAGALAU_SMS_GATEWAY = os.environ.get("BAGALAU_SMS_GATEWAY", "bagalau.notifications.channels.LogOnlySmsGateway")
BAGALAU_SITE_URL = os.environ.get("BAGALAU_SITE_URL", "")  # prefixes work-item paths in messages
BAGALAU_NOTIFY_MAX_ATTEMPTS = 6
BAGALAU_NOTIFY_BACKOFF_SECONDS = 300

# Mail: the console by default (the demo sends nothing out); SMTP when configured.
_email_backend = os.environ.get("BAGALAU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_email_options: dict[str, object] = {}
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": os.environ.get("BAGALAU_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("BAGALAU_EMAIL_PORT", "25")),
        "username": os.environ.get("BAGALAU_EMAIL_USER", ""),
        "password": os.environ.get("BAGALAU_EMAIL_PASSWORD", ""),
        "use_tls": os.environ.get("BAGALAU_EMAIL_USE_TLS", "0") == "1",
        "timeout": 30,  # well under the outbox's 900 s claim timeout
    }
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = os.environ.get("BAGALAU_FROM_EMAIL", "bagalau@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BAGALAU_LOG_LEVEL", "WARNING")},
}
