"""`make bench`'s load test (issue 10), also runnable alone:

    .venv/bin/python -m scripts.bench_load --database-url postgresql+psycopg://…/bench \\
        [--redis-url redis://127.0.0.1:6379/0 | none] [--workers 4] [--worker-class gthread --threads 4]
        [--compare]   # the gunicorn settings side by side, saturation only

gunicorn on 127.0.0.1 only, driven by locust headless (or, when locust cannot be
imported, by threads doing exactly the same: scripts/bench_users.py):
1. sign-ins: every user signs in once (scrypt: timed apart, never mixed with pages);
2. paced: 50 users pausing 1–5 s between pages (lists, a task, the dashboard, a write
   every ~20 requests) — per-page p50/p95 and errors, counted once every user is in;
3. saturation: the same users with no pause — requests/s, per core, and the CPU
   seconds gunicorn and the load generator each used (they share the machine with
   PostgreSQL);
4. each page alone, 4 at a time, while the workers' resident memory is watched.

Redis: the one given, else $BENCH_REDIS_URL, else $REDIS_URL, else
redis://127.0.0.1:6379/0 when it answers PING — shared by every worker, as in
production (login limits, caches, the queue). `--redis-url none` gives each worker its
own fakeredis (what production never does; printed as such). Bounded: every phase
stops by itself and every subprocess has a timeout.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
MIB = 1024 * 1024
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
CLOCK = os.sysconf("SC_CLK_TCK")
# The settings `make bench` measures (and README's deployment section recommends):
# chosen with `--compare` on the 2-core bench machine, see README.
GUNICORN = dict(workers=4, worker_class="sync", threads=1, keep_alive=2, timeout=60)


# ------------------------------------------------------------------ Redis

def resolve_redis(given: str | None) -> tuple[str, str]:
    """(url for the workers, how it was chosen). An explicitly named Redis that does
    not answer stops the bench: measuring without it would measure something else."""
    if given and given.lower() == "none":
        return "", "none: a fakeredis in each worker (login limits and caches per process — not as production)"
    candidates = [(given, "--redis-url")] if given else [
        (os.environ.get("BENCH_REDIS_URL", ""), "$BENCH_REDIS_URL"), (os.environ.get("REDIS_URL", ""), "$REDIS_URL"),
        (DEFAULT_REDIS, "the local default")]
    for url, source in candidates:
        if not url:
            continue
        if _pings(url):
            return url, f"{_safe(url)} (shared by every worker; from {source}, PING ok)"
        if source != "the local default":
            raise SystemExit(f"Redis {_safe(url)} ({source}) does not answer; give --redis-url none to run without")
    return "", ("none reachable at " + DEFAULT_REDIS + ": a fakeredis in each worker "
                "(login limits and caches per process — not as production)")


def _pings(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:
        return False


def _safe(url: str) -> str:
    import re

    return re.sub(r"//([^:/@]*):[^@]*@", r"//\1:***@", url)


# ------------------------------------------------------------------ processes

def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def _status(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _rss(pid: int) -> int:
    return _status(pid, "VmRSS")


def _reset_peak(pid: int) -> bool:
    """The kernel's peak resident size (VmHWM) of a worker starts again from its current
    size (writing 5 to clear_refs; the bench's own processes, Linux ≥ 4.0)."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def _cpu_seconds(pids) -> float:
    """user + system CPU of these processes (utime, stime of /proc/PID/stat)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / CLOCK


def _machine_busy() -> tuple[int, int]:
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class MemoryWatch(threading.Thread):
    """The largest resident size of any gunicorn worker, per phase label: the kernel's own
    peak (VmHWM) of every worker, reset when a phase starts, so a peak shorter than any
    sampling interval (a password hash, a file being written) is counted; where the peak
    cannot be reset, VmRSS sampled every 50 ms (which can miss a short peak: said so)."""

    def __init__(self, master: int):
        super().__init__(daemon=True)
        self.master, self.label, self.peaks, self.stop = master, "start", {}, threading.Event()
        self.exact = all(_reset_peak(p) for p in _children(master)) and bool(_children(master))
        self.seen: set[int] = set()

    def phase(self, label: str) -> None:
        """Start measuring `label`: every worker's peak forgotten (a worker started since is new)."""
        self._sample()
        for pid in _children(self.master):
            _reset_peak(pid)
        self.label = label

    def peak(self, label: str) -> int:
        self._sample()
        return self.peaks.get(label, 0)

    def _sample(self) -> None:
        workers = _children(self.master)
        field = "VmHWM" if self.exact else "VmRSS"
        rss = max((_status(p, field) for p in workers), default=0)
        self.peaks[self.label] = max(self.peaks.get(self.label, 0), rss)

    def run(self):
        while not self.stop.is_set():
            self._sample()
            time.sleep(0.05)


def gunicorn_command(port: int, settings: dict) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "-w", str(settings["workers"]),
               "-k", settings["worker_class"], "--keep-alive", str(settings["keep_alive"]),
               "--timeout", str(settings["timeout"]), "--graceful-timeout", "10", "--log-level", "warning"]
    if settings["worker_class"] == "gthread":
        command += ["--threads", str(settings["threads"])]
    return command + ["run:app"]


def start_server(database_url: str, redis_url: str, port: int, settings: dict, app_dir: Path = ROOT):
    env = dict(os.environ, DATABASE_URL=database_url, REDIS_URL=redis_url, APP_ENV="development",
               SECRET_KEY=secrets.token_hex(32), JWT_SECRET_KEY=secrets.token_hex(32),
               PUBLIC_URL=f"http://127.0.0.1:{port}")
    server = subprocess.Popen(gunicorn_command(port, settings), cwd=app_dir, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    import requests

    deadline = time.time() + 180  # a busy shared machine starts 4 workers slowly
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped: " + (server.stderr.read() or "")[-2000:])
        try:
            if requests.get(f"http://127.0.0.1:{port}/login/", timeout=5).status_code == 200 \
                    and len(_children(server.pid)) >= settings["workers"]:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.5)
    stop_server(server)
    raise SystemExit("gunicorn did not answer within 180 s")


def stop_server(server) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# ------------------------------------------------------------------ drivers

def _locust_available() -> bool:
    return subprocess.run([sys.executable, "-c", "import locust"], capture_output=True,
                          env=_locust_env()).returncode == 0


def _locust_env(**extra) -> dict:
    env = dict(os.environ, **extra)
    if os.environ.get("BENCH_LOCUST_PATH"):  # locust installed apart (pip --target)
        env["PYTHONPATH"] = os.environ["BENCH_LOCUST_PATH"] + os.pathsep + env.get("PYTHONPATH", "")
    return env


class CpuLog:
    """CPU seconds of gunicorn (master and workers) and of the load generator, and the
    machine's busy ticks, every half second: read back at the phase marks."""

    def __init__(self, server_pid: int):
        self.server_pid, self.rows = server_pid, []

    def read(self, driver_pids) -> None:
        busy, total = _machine_busy()
        self.rows.append((time.time(), _cpu_seconds([self.server_pid] + _children(self.server_pid)),
                          _cpu_seconds(driver_pids), busy, total))

    def between(self, start: float, end: float) -> tuple[float, float, float]:
        if not self.rows:
            return 0.0, 0.0, 0.0
        a = min(self.rows, key=lambda r: abs(r[0] - start))
        b = min(self.rows, key=lambda r: abs(r[0] - end))
        return b[1] - a[1], b[2] - a[2], (b[3] - a[3]) / max(1, b[4] - a[4])


def run_locust(port: int, users: int, paced: int, saturation: int, env_extra: dict, cpu: CpuLog) -> list:
    """The samples of one locust run (sign-ins, then paced, then saturation)."""
    budget = paced + saturation + 300  # the sign-ins of 50 users on a busy machine included
    with tempfile.TemporaryDirectory() as folder:
        samples_path = os.path.join(folder, "samples.jsonl")
        process = subprocess.Popen(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "scripts" / "locustfile_bench.py"), "--headless",
             "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{budget}s", "--stop-timeout", "10",
             "--host", f"http://127.0.0.1:{port}", "--only-summary", "--loglevel", "ERROR"],
            cwd=ROOT, env=_locust_env(BENCH_LOAD_SAMPLES=samples_path, BENCH_LOAD_USERS=str(users),
                                      BENCH_LOAD_PACED_SECONDS=str(paced),
                                      BENCH_LOAD_SATURATION_SECONDS=str(saturation), **env_extra),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + budget + 60
        while process.poll() is None and time.time() < deadline:
            cpu.read([process.pid])
            time.sleep(0.5)
        if process.poll() is None:
            process.kill()
        process.wait()
        if not os.path.exists(samples_path):
            raise SystemExit("locust wrote no samples: " + (process.stderr.read() or "")[-2000:])
        with open(samples_path) as handle:
            return [tuple(json.loads(line)) for line in handle]


def run_threads(port: int, users: int, paced: int, saturation: int, env_extra: dict, cpu: CpuLog) -> list:
    """The fallback driver: one thread per user, the same Visitor and phases as locust's."""
    from scripts.bench_users import BaseUrlSession, Visitor, failure

    os.environ.update(env_extra)
    from scripts.bench_users import write_pool

    pool, deep = write_pool(), int(env_extra.get("BENCH_LOAD_DEEP", "199"))
    samples, lock, marks = [], threading.Lock(), {}
    signed_in = threading.Barrier(users, action=lambda: marks.update(paced=time.time()))

    def user(index):
        time.sleep(index / max(1, users // 5))  # ramp up, like locust's spawn rate
        mine: list = []
        try:
            visitor = Visitor(BaseUrlSession(f"http://127.0.0.1:{port}", mine), index, pool, deep)
        except Exception:
            visitor = None
        signed_in.wait()
        while visitor is not None and time.time() < marks["paced"] + paced + saturation:
            try:
                reason = failure(visitor.step())
                if reason and mine and mine[-1][3] is None:
                    mine[-1] = mine[-1][:3] + (reason,)
            except Exception:
                pass  # the session kept the sample with its error
            if time.time() < marks["paced"] + paced:
                time.sleep(random.uniform(1, 5))
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        cpu.read([os.getpid()])
        time.sleep(0.5)
    start = marks.get("paced", time.time())
    return samples + [(start, "PHASE", None, "paced"), (start + paced, "PHASE", None, "saturation"),
                      (start + paced + saturation, "PHASE", None, "end")]


# ------------------------------------------------------------------ figures

def _percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1)] if ordered else 0.0


def phases(samples: list) -> dict[str, float]:
    return {s[3]: s[0] for s in samples if s[1] == "PHASE"}


def summarise(samples: list, start: float, end: float) -> dict:
    """Page views started in [start, end) — every user signed in by then — with the
    sign-ins apart; per page p50/p95 and the errors with their reasons."""
    from scripts.bench_users import SIGN_IN

    signins = [s for s in samples if s[1] in SIGN_IN and s[2] is not None]
    views = [s for s in samples if s[1] not in SIGN_IN and s[1] != "PHASE"]
    steady = [s for s in views if start <= s[0] < end]
    timed = [s for s in steady if s[2] is not None]
    span = end - start
    pages: dict[str, list] = {}
    for s in timed:
        pages.setdefault(s[1], []).append(s[2])
    errors: dict[str, int] = {}
    for s in steady + [s for s in samples if s[1] in SIGN_IN]:
        if s[3]:
            errors[f"{s[1]}: {s[3]}"] = errors.get(f"{s[1]}: {s[3]}", 0) + 1
    posts = [s[2] for s in signins if s[1] == SIGN_IN[1]]
    return dict(
        requests=len(timed), during_sign_in=len([s for s in views if s[0] < start]),
        p50=_percentile([s[2] for s in timed], 50), p95=_percentile([s[2] for s in timed], 95),
        rps=len(timed) / span if span else 0.0, span=span, errors=sum(errors.values()), error_reasons=errors,
        pages={name: (_percentile(v, 50), _percentile(v, 95), len(v)) for name, v in pages.items()},
        sign_ins=(len(posts), _percentile(posts, 50), _percentile(posts, 95)))


class _ApiVisitor:
    """The agency head as an API client: signed in once with POST /api/v1/security/login,
    then every request carries the token."""

    def __init__(self, base: str):
        from scripts.bench_users import ACCOUNTS, BaseUrlSession

        self.client = BaseUrlSession(base)
        username, password = ACCOUNTS[0]
        answer = self.client.post("/api/v1/security/login", json={
            "username": username, "password": password, "provider": "db", "refresh": False})
        answer.raise_for_status()
        self.client.session.headers["Authorization"] = "Bearer " + answer.json()["access_token"]


REPORT_FILE = re.compile(r"/reports/file/(\d+)/pdf")


def page_memory(port: int, watch: MemoryWatch, agency_task: int, deep: int) -> dict:
    """Each page alone, 4 at a time (every worker gets some), 40 requests (files: 8; the exports: 4, one per worker);
    each worker's peak resident memory while it ran (the largest is printed). Sign-in,
    the XLSX exports of the task list and the report's PDF/DOCX/XLSX are pages too."""
    from concurrent.futures import ThreadPoolExecutor

    from scripts.bench_users import BaseUrlSession, Visitor

    base = f"http://127.0.0.1:{port}"
    peaks = {"worker at start (no request yet)": watch.peak("start")}
    watch.phase("sign-in (password hash)")
    took = []

    def sign_in(i):
        started = time.perf_counter()
        visitor = Visitor(BaseUrlSession(base), i, [], deep)
        took.append(time.perf_counter() - started)
        return visitor

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(sign_in, range(8)))
    peaks["sign-in (password hash)"] = watch.peak("sign-in (password hash)")
    head, office = (Visitor(BaseUrlSession(base), i, [], deep) for i in (0, 1))
    api = _ApiVisitor(base)  # the API takes a token, not the web session (it answered 401)
    took.sort()
    sign_in_ms = (1000 * statistics.median(took), 1000 * took[-1])
    pages = [("agency dashboard", head, "/", 40), ("office dashboard", office, "/", 40),
             ("agency list p1", head, "/tasks/list/", 40),
             (f"agency list p{deep + 1}", head, f"/tasks/list/?page_TaskView={deep}", 40),
             ("office list p1", office, "/tasks/list/", 40), ("agency task detail", head, f"/tasks/show/{agency_task}", 40),
             ("office task detail", office, f"/tasks/show/{agency_task}", 40),
             ("agency API p0", api, "/api/v1/task/?page=0&page_size=25", 40),
             ("agency export XLSX", head, "/tasks/export/", 4), ("office export XLSX", office, "/tasks/export/", 4),
             ("import template XLSX", office, "/documents/import-tasks/template.xlsx", 8)]
    statuses = {}

    def measure(name, visitor, url, count):
        watch.phase(name)

        def get(_i):
            try:
                answer = visitor.client.get(url)
            except Exception as error:  # noqa: BLE001 — a timeout is a figure to print, not the end of the bench
                return type(error).__name__
            return answer.status_code if answer.status_code != 200 or "/login" in answer.url else None

        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(get, range(count)))
        statuses[name] = sorted({str(a) for a in answers if a is not None})
        peaks[name] = watch.peak(name)

    for page in pages:
        measure(*page)
    # The report last: a worker keeps what the report's page grew to, which would be counted
    # against every page measured after it.
    today = time.localtime()
    year, month = (today.tm_year, today.tm_mon - 1) if today.tm_mon > 1 else (today.tm_year - 1, 12)
    try:  # the draft is made if missing; at a million tasks under load this page may be slow
        report = REPORT_FILE.search(head.client.get(f"/reports/agency/monthly/{year}/{month}").text)
    except Exception:  # noqa: BLE001 — a timeout here skips the report files, said in the output
        report = None
    if report:
        for kind in ("pdf", "docx", "xlsx"):
            measure(f"report {kind.upper()} (agency, month)", head, f"/reports/file/{report.group(1)}/{kind}", 8)
    return dict(peaks=peaks, sign_in_ms=sign_in_ms, statuses=statuses, report=bool(report))


def _print_phase(title: str, r: dict, cores: int) -> None:
    print(f"  {title}: {r['requests']:,} page views in {r['span']:.0f} s, p50 {r['p50']:.0f} ms, "
          f"p95 {r['p95']:.0f} ms, errors {r['errors']}, {r['rps']:.1f} req/s = {r['rps'] / cores:.1f} per core")
    for name, (p50, p95, count) in sorted(r["pages"].items()):
        print(f"      {name:<27} p50 {p50:6.0f} ms  p95 {p95:6.0f} ms  ({count:,})")
    for reason, count in sorted(r["error_reasons"].items(), key=lambda kv: -kv[1])[:8]:
        print(f"      error ×{count}: {reason}")
    per_request = 1000 * r["server_cpu"] / max(1, r["requests"])
    print(f"      CPU: gunicorn {r['server_cpu']:.0f} s ({per_request:.0f} ms per request), load generator "
          f"{r['driver_cpu']:.0f} s; machine {100 * r['machine_busy']:.0f}% busy "
          "(PostgreSQL and anything else running included)")


def run_load(database_url: str, *, redis_url: str | None = None, agency_id: int | None = None, port: int = 5105,
             users: int = 50, seconds: int = 60, saturation_seconds: int = 30, deep_page: int = 200,
             settings: dict | None = None, memory: bool = True, paced: bool = True,
             app_dir: Path = ROOT) -> dict:
    from sqlalchemy import create_engine, text

    settings = dict(GUNICORN, **(settings or {}))
    redis_url, redis_note = resolve_redis(redis_url)
    engine = create_engine(database_url)
    with engine.connect() as conn:
        if agency_id is None:
            agency_id = conn.execute(text("SELECT agency_id FROM ab_user WHERE username = 'bench_head'")).scalar()
        pool = conn.execute(text("SELECT id FROM task WHERE lead_agency_id = :a AND status = 'assigned'"
                                 " ORDER BY id DESC LIMIT 5000"), {"a": agency_id}).scalars().all()
        random.Random(int(time.time())).shuffle(pool)
        agency_task = conn.execute(text("SELECT id FROM task WHERE lead_agency_id = :a ORDER BY id LIMIT 1"),
                                   {"a": agency_id}).scalar()
    engine.dispose()
    driver = run_locust if _locust_available() else run_threads
    cores = os.cpu_count() or 1
    described = (f"{settings['workers']} {settings['worker_class']} workers"
                 + (f" × {settings['threads']} threads" if settings["worker_class"] == "gthread" else "")
                 + f", keep-alive {settings['keep_alive']} s, timeout {settings['timeout']} s")
    print(f"\nload: gunicorn {described} on 127.0.0.1:{port} (app from {app_dir}); {users} users; driver "
          f"{'locust' if driver is run_locust else 'threads (locust not importable)'}; {cores} cores shared by "
          f"gunicorn, PostgreSQL and the load generator\n  Redis: {redis_note}", flush=True)
    with tempfile.NamedTemporaryFile("w", suffix=".tasks", delete=False) as handle:
        handle.write("\n".join(map(str, pool)))
        pool_file = handle.name
    env_extra = dict(BENCH_LOAD_TASKS=pool_file, BENCH_LOAD_DEEP=str(deep_page - 1))
    server = start_server(database_url, redis_url, port, settings, Path(app_dir))
    watch, cpu = MemoryWatch(server.pid), CpuLog(server.pid)
    watch.start()
    result = dict(cores=cores, settings=settings, redis=redis_note)
    try:
        time.sleep(1)
        watch.peak("start")
        watch.phase("load")
        samples = driver(port, users, seconds if paced else 0, saturation_seconds, env_extra, cpu)
        marks = phases(samples)
        from scripts.bench_users import SIGN_IN

        posts = [s[2] for s in samples if s[1] == SIGN_IN[1] and s[2] is not None]
        failed = sum(1 for s in samples if s[1] in SIGN_IN and s[3])
        early = sum(1 for s in samples if s[1] not in SIGN_IN and s[1] != "PHASE" and s[0] < marks.get("paced", 0))
        print(f"  sign-in (scrypt; timed apart): {len(posts)} users, p50 {_percentile(posts, 50):.0f} ms, "
              f"p95 {_percentile(posts, 95):.0f} ms, errors {failed}; {early} page views made while others "
              "were still signing in are not counted below")
        windows = []
        if paced:
            windows.append(("paced", f"paced (1–5 s pause), {seconds} s", marks["paced"], marks["saturation"]))
        # the first 5 s of saturation: users still finishing a 1–5 s pause
        windows.append(("saturated", f"saturation (no pause), {saturation_seconds - 5} s",
                        marks["saturation"] + (5 if paced else 0), marks["end"]))
        for key, title, start, end in windows:
            r = summarise(samples, start, end)
            r["server_cpu"], r["driver_cpu"], r["machine_busy"] = cpu.between(start, end)
            result[key] = r
            _print_phase(title, r, cores)
        if memory:
            result["memory"] = page_memory(port, watch, agency_task, deep_page - 1)
    finally:
        watch.stop.set()
        stop_server(server)
        os.unlink(pool_file)
    if memory:
        memory_ = result["memory"]
        how = ("each worker's kernel peak (VmHWM), reset before each page" if watch.exact
               else "VmRSS sampled every 50 ms: a shorter peak can be missed")
        print(f"  worker peak memory (MiB, the largest of the {settings['workers']} workers while each page ran"
              f" alone; {how}):")
        for name, rss in memory_["peaks"].items():
            refused = memory_["statuses"].get(name)
            print(f"      {name:<34} {rss / MIB:6.0f}" + (f"   (answers {refused}: not measured)" if refused else ""))
        if not memory_["report"]:
            print("      report PDF/DOCX/XLSX: the agency's report page did not answer within 60 s, not measured")
        print(f"  sign-in (8 at once, {settings['workers']} workers): median {memory_['sign_in_ms'][0]:.0f} ms, "
              f"slowest {memory_['sign_in_ms'][1]:.0f} ms (GET + POST /login/, the password hash included)")
        print(f"      during the load run (sign-ins, paced, saturation) {watch.peaks.get('load', 0) / MIB:.0f} MiB")
    return result


COMPARE = [dict(workers=4, worker_class="sync"), dict(workers=2, worker_class="sync"),
           dict(workers=4, worker_class="gthread", threads=4), dict(workers=2, worker_class="gthread", threads=4)]


def compare(database_url: str, redis_url: str | None, port: int, users: int, seconds: int, rounds: int) -> None:
    """Saturation only, each setting in turn, `rounds` times alternating (noise shows as spread)."""
    rows: dict[str, list] = {}
    for _round in range(rounds):
        for settings in COMPARE:
            r = run_load(database_url, redis_url=redis_url, port=port, users=users, saturation_seconds=seconds,
                         settings=settings, memory=False, paced=False)
            key = r["settings"]["worker_class"] + f" w{settings['workers']}" + (
                f" t{settings['threads']}" if settings["worker_class"] == "gthread" else "")
            s = r["saturated"]
            rows.setdefault(key, []).append((s["rps"], s["p50"], s["p95"], s["errors"],
                                             1000 * s["server_cpu"] / max(1, s["requests"])))
    print("\ngunicorn settings, saturation (no pause), one line per round:")
    for key, values in rows.items():
        for rps, p50, p95, errors, cpu in values:
            print(f"  {key:<16} {rps:6.1f} req/s  p50 {p50:6.0f}  p95 {p95:6.0f} ms  errors {errors}  "
                  f"gunicorn CPU {cpu:4.0f} ms/request")
        print(f"  {key:<16} median {statistics.median(v[0] for v in values):.1f} req/s")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default=None, help="default: $BENCH_REDIS_URL, $REDIS_URL, "
                        f"else {DEFAULT_REDIS} when it answers; 'none': fakeredis per worker")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_LOAD_PORT", 5105)))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--saturation-seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=GUNICORN["workers"])
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default=GUNICORN["worker_class"])
    parser.add_argument("--threads", type=int, default=GUNICORN["threads"])
    parser.add_argument("--keep-alive", type=int, default=GUNICORN["keep_alive"])
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--app-dir", default=str(ROOT), help="serve the app of this tree (before/after runs)")
    parser.add_argument("--compare", type=int, default=0, metavar="ROUNDS",
                        help="compare gunicorn settings (saturation only), ROUNDS alternating rounds")
    args = parser.parse_args(argv)
    from scripts.bench import resolve_url

    url = resolve_url(args.database_url)
    if args.compare:
        compare(url, args.redis_url, args.port, args.users, args.saturation_seconds, args.compare)
        return
    run_load(url, redis_url=args.redis_url, port=args.port, users=args.users, seconds=args.seconds,
             saturation_seconds=args.saturation_seconds, memory=not args.no_memory, app_dir=args.app_dir,
             settings=dict(workers=args.workers, worker_class=args.worker_class, threads=args.threads,
                           keep_alive=args.keep_alive))


if __name__ == "__main__":
    main()
