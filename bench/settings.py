"""The production settings plus the floor view's URL, for the benchmark's gunicorn only.

The floor (a minimal Django view through the same middleware, server and database connection
settings) is what every page's throughput is divided by; production URLs never carry it.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Persistent connections, as a production deployment behind a pooler runs them.
DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The load test's sessions are opened by force_login, without the second factor that HR and the
# commission need at sign-in; the factor is checked once per sign-in, not per request.
BAGALAU_REQUIRE_2FA = False
