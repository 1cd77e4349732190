"""`make bench`'s load test (issue 10): gunicorn with 4 workers on loopback, 50
users (signed in during the ramp-up, whose figures locust resets) pausing 1–5 s between pages (lists, a task, the dashboard, a write every
~20 requests), then the same users with no pause (saturation), then each page
alone while the workers' memory is watched. Bounded: every phase stops by
itself; nothing listens beyond 127.0.0.1.

The users are driven by locust, headless (pinned in requirements.txt), or — when
locust cannot be imported — by threads doing exactly the same
(scripts/bench_users.py). Prints p50/p95, errors, requests/s (and per core) and
each page's peak worker memory; figures are noisy on a shared machine.
"""
from __future__ import annotations

import csv
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
MIB = 1024 * 1024


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


def start_server(database_url: str, redis_url: str, port: int, workers: int):
    env = dict(os.environ, DATABASE_URL=database_url, REDIS_URL=redis_url, APP_ENV="development",
               SECRET_KEY=secrets.token_hex(32), JWT_SECRET_KEY=secrets.token_hex(32),
               PUBLIC_URL=f"http://127.0.0.1:{port}")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "120",
         "--graceful-timeout", "10", "--log-level", "warning", "run:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    import requests

    deadline = time.time() + 90
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped: " + (server.stderr.read() or "")[-2000:])
        try:
            if requests.get(f"http://127.0.0.1:{port}/login/", timeout=5).status_code == 200 \
                    and len(_children(server.pid)) >= workers:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.5)
    stop_server(server)
    raise SystemExit("gunicorn did not answer within 90 s")


def stop_server(server) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _locust_available() -> bool:
    return subprocess.run([sys.executable, "-c", "import locust"], capture_output=True,
                          env=_locust_env()).returncode == 0


def _locust_env(**extra) -> dict:
    env = dict(os.environ, **extra)
    if os.environ.get("BENCH_LOCUST_PATH"):  # locust installed apart (pip --target)
        env["PYTHONPATH"] = os.environ["BENCH_LOCUST_PATH"] + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_locust(port: int, users: int, seconds: int, paced: bool, env_extra: dict) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        prefix = os.path.join(folder, "run")
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "scripts" / "locustfile_bench.py"), "--headless",
             "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--stop-timeout", "10", "--reset-stats",
             "--host", f"http://127.0.0.1:{port}", "--csv", prefix, "--only-summary", "--loglevel", "ERROR"],
            cwd=ROOT, env=_locust_env(BENCH_LOAD_WAIT="1" if paced else "0", **env_extra),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=seconds + 120)
        with open(prefix + "_stats.csv") as handle:
            rows = list(csv.DictReader(handle))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    pages = {r["Name"]: r for r in rows if r["Name"] != "Aggregated" and r["Type"] != "CHECK"}
    checks = sum(int(r["Request Count"]) for r in rows if r["Type"] == "CHECK")
    requests = int(total["Request Count"]) - checks
    return dict(driver="locust", requests=requests,
                errors=int(total["Failure Count"]),
                p50=float(total["50%"]), p95=float(total["95%"]), rps=float(total["Requests/s"]) *
                requests / max(1, int(total["Request Count"])),
                pages={name: (float(r["50%"]), float(r["95%"]), int(r["Request Count"])) for name, r in pages.items()})


def run_threads(port: int, users: int, seconds: int, paced: bool, env_extra: dict) -> dict:
    """The fallback driver: one thread per user, the same Visitor as locust's."""
    from scripts.bench_users import BaseUrlSession, Visitor, failure

    os.environ.update(env_extra)
    from scripts.bench_users import write_pool

    pool, deep = write_pool(), int(env_extra.get("BENCH_LOAD_DEEP", "199"))
    results, lock = [], threading.Lock()
    stop_at = time.time() + seconds

    def user(index):
        time.sleep(index * 0.2)  # ramp up, like locust's spawn rate
        visitor = Visitor(BaseUrlSession(f"http://127.0.0.1:{port}"), index, pool, deep)
        while time.time() < stop_at:
            started = time.perf_counter()
            try:
                response = visitor.step()
                reason = failure(response)
                name = response.request.path_url
            except Exception as error:  # a refused connection is an error, not a crash
                reason, name = repr(error), "?"
            with lock:
                results.append((time.perf_counter() - started, reason, name))
            if paced:
                time.sleep(random.uniform(1, 5))

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    elapsed = time.time() - started
    times = sorted(d for d, _r, _n in results)
    return dict(driver="threads", requests=len(results), errors=sum(1 for _d, r, _n in results if r),
                p50=1000 * statistics.median(times) if times else 0,
                p95=1000 * times[max(0, int(0.95 * len(times)) - 1)] if times else 0,
                rps=len(results) / elapsed, pages={})


REPORT_FILE = re.compile(r"/reports/file/(\d+)/pdf")


def page_memory(port: int, watch: MemoryWatch, agency_task: int, deep: int) -> dict:
    """Each page alone, 4 at a time (every worker gets some), 40 requests (files: 8);
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
    took.sort()
    sign_in_ms = (1000 * statistics.median(took), 1000 * took[-1])
    today = time.localtime()
    year, month = (today.tm_year, today.tm_mon - 1) if today.tm_mon > 1 else (today.tm_year - 1, 12)
    try:  # the draft is made if missing; at a million tasks under load this page may be slow
        report = REPORT_FILE.search(head.client.get(f"/reports/agency/monthly/{year}/{month}").text)
    except Exception:  # noqa: BLE001 — a timeout here skips the report files, said in the output
        report = None
    pages = [("agency dashboard", head, "/", 40), ("office dashboard", office, "/", 40),
             ("agency list p1", head, "/tasks/list/", 40),
             (f"agency list p{deep + 1}", head, f"/tasks/list/?page_TaskView={deep}", 40),
             ("office list p1", office, "/tasks/list/", 40), ("agency task detail", head, f"/tasks/show/{agency_task}", 40),
             ("office task detail", office, f"/tasks/show/{agency_task}", 40),
             ("agency API p0", head, "/api/v1/task/?page=0&page_size=25", 40),
             ("agency export XLSX", head, "/tasks/export/", 8), ("office export XLSX", office, "/tasks/export/", 8),
             ("import template XLSX", office, "/documents/import-tasks/template.xlsx", 8)]
    if report:
        pages += [(f"report {kind.upper()} (agency, month)", head, f"/reports/file/{report.group(1)}/{kind}", 8)
                  for kind in ("pdf", "docx", "xlsx")]
    statuses = {}
    for name, visitor, url, count in pages:
        watch.phase(name)
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _i: visitor.client.get(url), range(count)))
        statuses[name] = sorted({a.status_code for a in answers if a.status_code != 200 or "/login" in a.url})
        peaks[name] = watch.peak(name)
    return dict(peaks=peaks, sign_in_ms=sign_in_ms, statuses=statuses, report=bool(report))


def run_load(database_url: str, *, redis_url: str = "", agency_id: int, port: int = 5105, users: int = 50,
             seconds: int = 60, saturation_seconds: int = 30, workers: int = 4, deep_page: int = 200) -> dict:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        pool = conn.execute(text("SELECT id FROM task WHERE lead_agency_id = :a AND status = 'assigned'"
                                 " ORDER BY id DESC LIMIT 5000"), {"a": agency_id}).scalars().all()
        agency_task = conn.execute(text("SELECT id FROM task WHERE lead_agency_id = :a ORDER BY id LIMIT 1"),
                                   {"a": agency_id}).scalar()
    engine.dispose()
    driver = run_locust if _locust_available() else run_threads
    print(f"\nload: gunicorn {workers} workers on 127.0.0.1:{port}, {users} users, driver "
          f"{'locust' if driver is run_locust else 'threads (locust not importable)'}, Redis "
          f"{redis_url or 'none (fakeredis in each worker: limits and caches per process)'}", flush=True)
    with tempfile.NamedTemporaryFile("w", suffix=".tasks", delete=False) as handle:
        handle.write("\n".join(map(str, pool)))
        pool_file = handle.name
    env_extra = dict(BENCH_LOAD_TASKS=pool_file, BENCH_LOAD_DEEP=str(deep_page - 1))
    server = start_server(database_url, redis_url, port, workers)
    watch = MemoryWatch(server.pid)
    watch.start()
    try:
        time.sleep(1)
        watch.peak("start")
        watch.phase("paced")
        paced = driver(port, users, seconds, True, env_extra)
        watch.phase("saturation")
        saturated = driver(port, users, saturation_seconds, False, env_extra)
        memory = page_memory(port, watch, agency_task, deep_page - 1)
    finally:
        watch.stop.set()
        stop_server(server)
        os.unlink(pool_file)
    cores = os.cpu_count() or 1
    print(f"  paced (1–5 s pause), {seconds} s: {paced['requests']:,} requests, p50 {paced['p50']:.0f} ms, "
          f"p95 {paced['p95']:.0f} ms, errors {paced['errors']}, {paced['rps']:.1f} req/s")
    for name, (p50, p95, n) in sorted(paced["pages"].items()):
        print(f"      {name:<26} p50 {p50:6.0f} ms  p95 {p95:6.0f} ms  ({n:,})")
    print(f"  saturation (no pause), {saturation_seconds} s: {saturated['requests']:,} requests, "
          f"p50 {saturated['p50']:.0f} ms, p95 {saturated['p95']:.0f} ms, errors {saturated['errors']}, "
          f"{saturated['rps']:.1f} req/s = {saturated['rps'] / cores:.1f} req/s per core ({cores} cores, "
          "client, server and database on the same machine)")
    how = ("each worker's kernel peak (VmHWM), reset before each page" if watch.exact
           else "VmRSS sampled every 50 ms: a shorter peak can be missed")
    print(f"  worker peak memory (MiB, the largest of the {workers} workers while each page ran alone; {how}):")
    for name, rss in memory["peaks"].items():
        refused = memory["statuses"].get(name)
        print(f"      {name:<34} {rss / MIB:6.0f}" + (f"   (answers {refused}: not measured)" if refused else ""))
    if not memory["report"]:
        print("      report PDF/DOCX/XLSX: the agency's report page did not answer within 60 s, not measured")
    print(f"  sign-in (8 at once, 4 workers): median {memory['sign_in_ms'][0]:.0f} ms, slowest "
          f"{memory['sign_in_ms'][1]:.0f} ms (GET + POST /login/, the password hash included)")
    print(f"  during the paced run {watch.peaks.get('paced', 0) / MIB:.0f} MiB, "
          f"during saturation {watch.peaks.get('saturation', 0) / MIB:.0f} MiB")
    return dict(paced=paced, saturated=saturated, memory=memory, cores=cores)
