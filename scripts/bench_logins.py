"""Failed sign-ins accepted for checking before the lock, under 4 gunicorn workers
(issue 8, finding 5; the figure `make bench` prints).

Starts `gunicorn -w 4 run:app` on 127.0.0.1 against the bench database (and Redis
when REDIS_URL is set: the limits then count in Redis, else in the database), sends a
bounded number of wrong-password API sign-ins for one account all at once, and counts
how many had their password checked (401) before the account was locked (429). The
configured LOGIN_MAX_FAILURES is expected, exactly, however the attempts spread over
the workers.

    .venv/bin/python -m scripts.bench_logins [--database-url URL] [--attempts 40] [--port 5102]
"""
from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

USERNAME, PASSWORD = "bench_login", "Bench@2026login"
WORKERS = 4
ADDRESS = "127.0.0.1"


def _prepare(url: str, redis_url: str) -> int:
    """Schema, roles and the bench account, its failures forgotten; returns LOGIN_MAX_FAILURES."""
    from flask_migrate import upgrade

    from app import create_app
    from app.security import sync_roles
    from app.services.seeding import create_user

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": redis_url, "ENV_NAME": "development"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        sync_roles(app.extensions["appbuilder"])
        if app.extensions["appbuilder"].sm.find_user(username=USERNAME) is None:
            create_user(username=USERNAME, password=PASSWORD, role_name="OfficeOfficial")
        _forget(app)
        return int(app.config["LOGIN_MAX_FAILURES"])


def _forget(app) -> None:
    """The bench account's and this address's failures, so the run starts (and ends) clean."""
    import sqlalchemy as sa

    from app import login_limits
    from app.extensions import db

    with app.app_context():
        login_limits.unlock(USERNAME)
        key = login_limits.address_key(ADDRESS)
        redis = login_limits._redis()
        if redis is not None:
            redis.delete("theodoi:login:" + key)
        else:
            with db.engine.begin() as conn:
                conn.execute(login_limits.login_failure.delete().where(login_limits.login_failure.c.key == key))


def _wait_until_serving(port: int, process, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection(ADDRESS, port, timeout=5)
            connection.request("GET", "/login/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer on {ADDRESS}:{port} within {timeout:.0f} s")


def _attempt(port: int, start: threading.Barrier) -> int:
    body = json.dumps({"username": USERNAME, "password": "wrong-password", "provider": "db"})
    connection = http.client.HTTPConnection(ADDRESS, port, timeout=60)
    connection.connect()
    start.wait()
    connection.request("POST", "/api/v1/security/login", body=body, headers={"Content-Type": "application/json"})
    return connection.getresponse().status


def _sign_in(port: int, start: threading.Barrier | None = None) -> tuple[int, float]:
    body = json.dumps({"username": USERNAME, "password": PASSWORD, "provider": "db"})
    connection = http.client.HTTPConnection(ADDRESS, port, timeout=60)
    connection.connect()
    if start is not None:
        start.wait()
    started = time.perf_counter()
    connection.request("POST", "/api/v1/security/login", body=body, headers={"Content-Type": "application/json"})
    status = connection.getresponse().status
    return status, time.perf_counter() - started


def sign_in_cost(port: int, master: int, at_once: int = 8) -> dict:
    """Successful sign-ins (issue 10): one first (it upgrades an old hash), then `at_once`
    together; the time each took at the client and how far they raised the workers'
    peak resident memory (VmHWM, reset before; each worker's growth, the largest)."""
    from scripts.bench_load import _children, _reset_peak, _status

    _sign_in(port)
    workers = _children(master)
    exact = all(_reset_peak(p) for p in workers) and bool(workers)
    before = {p: _status(p, "VmRSS") for p in workers}
    start = threading.Barrier(at_once)
    with concurrent.futures.ThreadPoolExecutor(max_workers=at_once) as pool:
        answers = list(pool.map(lambda _: _sign_in(port, start), range(at_once)))
    growth = max((_status(p, "VmHWM") - before[p] for p in workers), default=0) if exact else None
    times = sorted(t for _s, t in answers)
    return {"at_once": at_once, "ok": sum(1 for s, _t in answers if s == 200), "median_ms": 1000 * times[len(times) // 2],
            "slowest_ms": 1000 * times[-1], "growth": growth}


def hash_cost(method: str) -> tuple[float, float]:
    """CPU ms of one check of a password hashed by `method`, in this process, and the MiB it allocates."""
    from werkzeug.security import check_password_hash, generate_password_hash

    stored = generate_password_hash(PASSWORD, method=method)
    started = time.process_time()
    for _ in range(3):
        check_password_hash(stored, PASSWORD)
    parts = stored.split("$", 1)[0].split(":")
    mib = 128 * int(parts[1]) * int(parts[2]) / 2 ** 20 if parts[0] == "scrypt" else 0.0
    return 1000 * (time.process_time() - started) / 3, mib


def run(url: str, redis_url: str = "", attempts: int = 40, port: int = 5102) -> dict:
    limit = _prepare(url, redis_url)
    instance = tempfile.mkdtemp(prefix="bench-logins-")
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis_url, "APP_ENV": "development",
           "INSTANCE_DIR": os.environ.get("INSTANCE_DIR", instance)}
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    process = subprocess.Popen([str(gunicorn), "-w", str(WORKERS), "-b", f"{ADDRESS}:{port}", "--log-level",
                                "warning", "run:app"], cwd=ROOT, env=env, start_new_session=True)
    try:
        _wait_until_serving(port, process)
        time.sleep(1)  # every worker up
        signing_in = sign_in_cost(port, process.pid)
        start = threading.Barrier(attempts)
        with concurrent.futures.ThreadPoolExecutor(max_workers=attempts) as pool:
            statuses = list(pool.map(lambda _: _attempt(port, start), range(attempts)))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
        from app import create_app

        _forget(create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": redis_url, "ENV_NAME": "development"}))
    return {"attempts": attempts, "checked": statuses.count(401), "locked": statuses.count(429),
            "other": len(statuses) - statuses.count(401) - statuses.count(429), "limit": limit,
            "storage": "Redis" if redis_url else "database", "sign_in": signing_in}


def report(url: str, redis_url: str = "", attempts: int = 40, port: int = 5102) -> dict:
    """Print the figure (the one line `make bench` calls)."""
    print(f"\nfailed sign-ins under {WORKERS} gunicorn workers ({attempts} wrong passwords for one account at once)",
          flush=True)
    result = run(url, redis_url, attempts, port)
    verdict = "as configured" if result["checked"] == result["limit"] else "NOT the configured number"
    print(f"  accepted for checking before the lock: {result['checked']} of {result['attempts']} "
          f"(LOGIN_MAX_FAILURES = {result['limit']}: {verdict}); refused as locked: {result['locked']}"
          + (f"; other answers: {result['other']}" if result["other"] else "")
          + f"; counted in the {result['storage']}")
    cost = result["sign_in"]
    grown = f"{cost['growth'] / 2 ** 20:.0f} MiB" if cost["growth"] is not None else "not measurable here"
    print(f"  successful sign-ins, {cost['at_once']} at once: {cost['ok']} signed in, median {cost['median_ms']:.0f} ms, "
          f"slowest {cost['slowest_ms']:.0f} ms; a worker's peak memory grew by at most {grown}")
    from config import Config

    for label, method in (("in force", Config.PASSWORD_HASH_METHOD), ("Werkzeug's default before", "scrypt:32768:8:1")):
        cpu, mib = hash_cost(method)
        print(f"  password hash {label:<26} {method:<18} {cpu:5.0f} ms CPU per check, {mib:3.0f} MiB")
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_logins", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None,
                        help="default: $BENCH_DATABASE_URL, else $DATABASE_URL, else sqlite instance/bench.db")
    parser.add_argument("--attempts", type=int, default=40)
    parser.add_argument("--port", type=int, default=5102)
    args = parser.parse_args(argv)
    import logging
    import warnings

    from scripts.bench import resolve_url

    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore", message=".*HMAC key.*")
    result = report(resolve_url(args.database_url), os.environ.get("REDIS_URL", ""), args.attempts, args.port)
    return 0 if result["checked"] == result["limit"] else 1


if __name__ == "__main__":
    sys.exit(main())
