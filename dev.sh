#!/usr/bin/env bash
# bagalau developer entry point. Two commands do everything on a fresh machine:
#   ./dev.sh run    set up, migrate, load the demo body on a new database, serve on :8000
#   ./dev.sh test   set up, run the default suite on SQLite and, side by side, on PostgreSQL if it answers
#   ./dev.sh bench  set up, run the scale benchmark on PostgreSQL (--quick: small sizes, minutes)
# DB=sqlite|postgres picks one database for `test`; other arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")"

APT_PKGS="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 gettext chromium poppler-utils"
UV=".tools/bin/uv"
export UV_PYTHON_DOWNLOADS=never
PG_URL="${BAGALAU_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

pick_python() {
  # .python-version names 3.12 (pyenv and uv both read it). Where it is absent, take any 3.12+.
  if [ -n "${UV_PYTHON:-}" ]; then return; fi
  if command -v pyenv >/dev/null 2>&1 && pyenv versions --bare 2>/dev/null | grep -q '^3\.12'; then return; fi
  for p in python3.12 python3.13 /usr/bin/python3.13 python3.14; do
    if command -v "$p" >/dev/null 2>&1; then export UV_PYTHON="$(command -v "$p")"; say "using $UV_PYTHON"; return; fi
  done
  echo "No Python 3.12+ found: install python3.12 or python3.13 (apt-get install python3.13-venv)." >&2
  exit 1
}

setup() {
  local missing
  missing=$(for p in $APT_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done | tr '\n' ' ')
  if [ -n "${missing// /}" ]; then
    if [ "$(id -u)" = 0 ]; then
      say "installing Debian packages: $missing"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
      echo "Missing Debian packages. As root run: apt-get update && apt-get install -y $missing" >&2
      exit 1
    fi
  fi
  if [ ! -x "$UV" ]; then
    say "installing uv into .tools"
    python3 -m venv .tools
    .tools/bin/pip install -q uv==0.13.9
  fi
  pick_python
  "$UV" sync --locked --quiet
  if compgen -G "locale/*/LC_MESSAGES/*.po" >/dev/null; then
    "$UV" run --quiet python manage.py compilemessages -v0 --ignore '.venv/*' --ignore '.tools/*'
  fi
}

pg_answers() {
  "$UV" run --quiet python - "$PG_URL" <<'PY' >/dev/null 2>&1
import sys, psycopg
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
psycopg.connect(host=u.hostname, port=u.port or 5432, user=u.username or "postgres",
                dbname=u.path.lstrip("/"), connect_timeout=3).close()
PY
}

run_pytest() {
  # pytest exits 5 when it collected no test: that is a failure here, never a pass.
  local rc=0
  "$UV" run pytest "$@" || rc=$?
  if [ "$rc" = 5 ]; then echo "pytest collected no tests: failing." >&2; return 1; fi
  return "$rc"
}

cmd="${1:-}"
shift || true
case "$cmd" in
setup)
  setup
  "$UV" run python manage.py migrate --noinput -v0 ;;
run)
  setup
  new_db=0
  if [ -z "${DATABASE_URL:-}" ] && [ ! -f db.sqlite3 ]; then new_db=1; fi
  "$UV" run python manage.py migrate --noinput -v0
  if [ "$new_db" = 1 ] || [ "${BAGALAU_LOAD_DEMO:-}" = 1 ]; then
    say "loading the demo body"
    "$UV" run python manage.py load_demo
  fi
  "$UV" run python manage.py demo_logins || true
  "$UV" run python manage.py ensure_sweeper
  "$UV" run python manage.py db_worker --no-startup-delay &
  WORKER=$!
  trap 'kill $WORKER 2>/dev/null || true' EXIT
  say "serving on http://127.0.0.1:${PORT:-8000}"
  "$UV" run python manage.py runserver "127.0.0.1:${PORT:-8000}" ;;
test)
  setup
  which="${DB:-both}"
  if [ "$which" = both ] && ! pg_answers; then
    if [ "${BAGALAU_REQUIRE_PG:-}" = 1 ]; then
      echo "PostgreSQL does not answer at $PG_URL, and the PostgreSQL run is required." >&2
      exit 1
    fi
    say "PostgreSQL does not answer at $PG_URL: SQLite run only"
    which=sqlite
  fi
  case "$which" in
  sqlite)
    say "tests on SQLite"
    DATABASE_URL="sqlite:///db.sqlite3" run_pytest "$@" ;;
  postgres)
    if ! pg_answers; then echo "PostgreSQL does not answer at $PG_URL." >&2; exit 1; fi
    say "tests on PostgreSQL ($PG_URL, fresh test database)"
    DATABASE_URL="$PG_URL" run_pytest --create-db "$@" ;;
  both)
    # The two runs share nothing but the machine, so they run side by side (one per core): the
    # SQLite run's output is kept in a log and printed after the PostgreSQL run's.
    log=$(mktemp -t bagalau-sqlite.XXXXXX.log)
    say "tests on SQLite (in the background, log: $log) and on PostgreSQL ($PG_URL, fresh test database)"
    DATABASE_URL="sqlite:///db.sqlite3" run_pytest "$@" >"$log" 2>&1 &
    sqlite_pid=$!
    pg_rc=0
    DATABASE_URL="$PG_URL" run_pytest --create-db "$@" || pg_rc=$?
    sqlite_rc=0
    wait "$sqlite_pid" || sqlite_rc=$?
    say "tests on SQLite: output"
    cat "$log"
    say "PostgreSQL run exit $pg_rc, SQLite run exit $sqlite_rc"
    [ "$pg_rc" = 0 ] && [ "$sqlite_rc" = 0 ] ;;
  *)
    echo "DB must be sqlite, postgres or both (got $which)" >&2
    exit 2 ;;
  esac ;;
bench)
  setup
  BAGALAU_BENCH_PG="${BAGALAU_BENCH_PG:-postgres://postgres@127.0.0.1:5432/postgres}" \
    "$UV" run python -m bench "$@" ;;
*)
  echo "usage: $0 run|test|setup|bench [args]" >&2
  exit 2 ;;
esac
