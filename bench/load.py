"""Concurrent load on loopback: gunicorn serving the real app (plus the floor view), and a small
load generator in this process hitting it with keep-alive connections, one endpoint at a time,
each for a bounded time.

Every scenario uses the same clients, the same server and the same logged-in sessions, so the
ratio of a page's throughput to the floor's is the cost of the page itself: its queries, its
template, its permission checks. Writes (sheet submit, commission vote) send the CSRF token the
way a browser does (cookie + X-CSRFToken header).
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from bench.probe import Probe

HOST = "127.0.0.1"


@dataclass
class Request:
    method: str
    path: str
    cookie: str
    body: Callable[[int, dict[str, Any]], bytes | None] | None = None
    cookies: list[str] | None = None  # one per client, where each must act as a different user
    # Each client's own state (the row version its last write answered), kept from round to round.
    states: dict[int, dict[str, Any]] = field(default_factory=dict)

    def cookie_for(self, index: int) -> str:
        return self.cookies[index % len(self.cookies)] if self.cookies else self.cookie


def session_cookie(user: Any, csrf: str) -> str:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; " \
           f"{settings.CSRF_COOKIE_NAME}={csrf}; django_language=kk"


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BAGALAU_DEBUG": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "gthread", "--threads", "2",
         "--bind", f"{HOST}:{port}", "--keep-alive", "30", "--log-level", "warning", "config.wsgi:application"],
        env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/bench/floor/")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"gunicorn did not answer on {HOST}:{port} within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _worker(port: int, request: Request, csrf: str, index: int, stop_at: float, warm_until: float,
            latencies: list[float], errors: list[int]) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    state = request.states.setdefault(index, {})
    headers = {"Cookie": request.cookie_for(index), "X-CSRFToken": csrf, "Accept": "text/html,application/json",
               "Content-Type": "application/json"}
    while True:
        now = time.perf_counter()
        if now >= stop_at:
            break
        body = request.body(index, state) if request.body else None
        try:
            conn.request(request.method, request.path.format(**state) if state else request.path, body=body,
                         headers=headers)
            response = conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            errors.append(0)
            continue
        took = time.perf_counter() - now
        if response.status >= 400:
            errors.append(response.status)
            if len(errors) < 3:
                sys.stderr.write(f"\n  {request.method} {request.path}: {response.status} {payload[:300]!r}\n")
        elif now >= warm_until:
            latencies.append(took)
        if request.method == "PUT" and response.status < 400:
            state["response"] = json.loads(payload)
    conn.close()


def measure(port: int, request: Request, csrf: str, threads: int, duration: float, warmup: float = 1.0
            ) -> dict[str, Any]:
    started = time.perf_counter()
    warm_until, stop_at = started + warmup, started + warmup + duration
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors: list[int] = []
    pool = [threading.Thread(target=_worker, args=(port, request, csrf, i, stop_at, warm_until, latencies[i], errors))
            for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    done = [x for per in latencies for x in per]
    return {"latencies": done, "errors": len(errors), "threads": threads, "seconds": duration,
            "per_second": len(done) / duration}


def summarise(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """One scenario's rounds as one figure: the median round's throughput (a passing disturbance
    of the machine spoils one round, not the figure), latency percentiles over every request."""
    done = sorted(x for r in rounds for x in r["latencies"])
    per_round = [r["per_second"] for r in rounds]
    out: dict[str, Any] = {"requests": len(done), "errors": sum(r["errors"] for r in rounds),
                           "threads": rounds[0]["threads"], "seconds": sum(r["seconds"] for r in rounds),
                           "rounds": len(rounds), "per_second": statistics.median(per_round),
                           "per_second_rounds": per_round}
    if not done:
        return {**out, "per_second": 0.0}
    q = statistics.quantiles(done, n=100, method="inclusive") if len(done) > 1 else [done[0]] * 99
    return {**out, "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000, "p99_ms": q[98] * 1000}


def scenarios(probe: Probe, csrf: str) -> dict[str, tuple[Request, int]]:
    """name -> (request, most clients that can run it without colliding on one row)."""
    hr = session_cookie(probe.hr, csrf)
    chairman = session_cookie(probe.chairman, csrf)
    out: dict[str, tuple[Request, int]] = {
        "floor": (Request("GET", "/bench/floor/", hr), 0),
        "inbox": (Request("GET", reverse("web:inbox"), chairman), 0),
        "cycle_board": (Request("GET", reverse("web:cycle", args=[probe.cycle_id]), hr), 0),
        "api_inbox": (Request("GET", "/api/inbox", chairman), 0),
        "api_cycle_board": (Request("GET", f"/api/cycles/{probe.cycle_id}/board", hr), 0),
    }
    sheets = probe.sheets_to_submit
    if sheets:
        versions = {s: 1 for s in sheets}

        def submit(index: int, state: dict[str, Any]) -> bytes:
            sheet = sheets[index % len(sheets)]
            state.setdefault("sheet", sheet)
            if "response" in state:
                versions[sheet] = state["response"]["version"]
            flip = versions[sheet] % 2 == 0
            results = [{"number": n, "achieved": flip or n < 4, "evidence_text": f"Есеп {versions[sheet]}"}
                       for n in range(1, 6)]
            return json.dumps({"expected_version": versions[sheet], "results": results}).encode()

        out["sheet_submit"] = (Request("PUT", "/api/cycles/sheets/{sheet}", chairman, submit), len(sheets))
    if probe.members and probe.items:
        # Each client votes as a different member (a member's vote on an item is his own row).
        members = [session_cookie(m, csrf) for m in probe.members]
        items = probe.items

        def vote(index: int, state: dict[str, Any]) -> bytes:
            state["item"] = items[(index + state.get("n", 0)) % len(items)]
            state["n"] = state.get("n", 0) + 1
            return json.dumps({"choice": "approve"}).encode()

        out["commission_vote"] = (Request("POST", "/api/commission/items/{item}/vote", members[0], vote, members),
                                  len(members))
    return out


def run_load(probe: Probe, *, duration: float, threads: int, workers: int, port: int, rounds: int = 3
             ) -> dict[str, Any]:
    """Every scenario for `duration` seconds in all, in `rounds` rounds that go through the whole
    list (floor included) each time, so that the floor and every page share each stretch of time."""
    csrf = secrets.token_hex(16)
    plan = scenarios(probe, csrf)
    connection.close()
    server = start_server(port, workers)
    results: dict[str, Any] = {"server": f"gunicorn {workers} workers gthread x2", "threads": threads,
                               "seconds_each": duration, "rounds": rounds}
    measured: dict[str, list[dict[str, Any]]] = {name: [] for name in plan}
    try:
        for number in range(1, rounds + 1):
            for name, (request, limit) in plan.items():
                clients = min(threads, limit) if limit else threads
                measured[name].append(measure(port, request, csrf, clients, duration / rounds))
                last = measured[name][-1]
                sys.stderr.write(f"  load {number}/{rounds} {name:<18} {last['per_second']:8.1f} req/s  "
                                 f"errors {last['errors']}\n")
    finally:
        stop_server(server)
    for name in plan:
        results[name] = summarise(measured[name])
    floor = results["floor"]["per_second"] or 1.0
    for name in plan:
        if name != "floor":
            results[name]["ratio_to_floor"] = results[name]["per_second"] / floor
    return results
