"""CPU milliseconds and SQL statements per signed-in page, in process (issue 10).

A gunicorn sync worker's cost of a page is mostly Python: this times each page with
time.process_time (the process's CPU, not the wall clock: the database's own work is
not counted) through the Flask test client, signed in as the bench users of
scripts/bench.py, on a database it has already seeded:

    .venv/bin/python -m scripts.bench_cpu --database-url postgresql+psycopg://…/bench [--repeat 30]
    … [--statements]   # list the statements of one request of each page
    … [--profile NAME] # cProfile one page (its name as printed), top 30 by cumulative time

Warm (every page once first), then the median of --repeat requests. Nothing is written.
"""
from __future__ import annotations

import argparse
import logging
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.bench import (  # noqa: E402
    BENCH_PASSWORD, BENCH_USER, DEMO_PASSWORD, OFFICE_USER, PAGE_SIZE, SHOW_LINK, StatementCounter,
    login_api, login_web, resolve_url, shorten,
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_cpu", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="as scripts.bench (seeded by it)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--statements", action="store_true")
    parser.add_argument("--profile", default=None)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    url = resolve_url(args.database_url)
    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore", message=".*HMAC key.*")

    from sqlalchemy import func, select, text

    from app import create_app
    from app.extensions import db
    from app.models import AppUser, Task

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ENV_NAME": "development",
                      "WTF_CSRF_ENABLED": False, "AUTH_RATE_LIMITED": False})
    with app.app_context():
        engine = db.engine
        agency_id = db.session.scalar(select(AppUser.agency_id).where(AppUser.username == BENCH_USER))
        if agency_id is None:
            raise SystemExit(f"no user {BENCH_USER}: seed the database with scripts.bench first")
        visible = db.session.scalar(text(
            "SELECT COUNT(*) FROM (SELECT id FROM task WHERE lead_agency_id = :a"
            " UNION SELECT task_id FROM task_coordinating_agency WHERE agency_id = :a) AS seen"), {"a": agency_id})
        total = db.session.scalar(select(func.count()).select_from(Task))
        db.session.remove()
    deep = min(200, max(1, visible // PAGE_SIZE))
    head = login_web(app, BENCH_USER, BENCH_PASSWORD)
    office = login_web(app, OFFICE_USER, DEMO_PASSWORD)
    api, headers = login_api(app, BENCH_USER, BENCH_PASSWORD)
    # A task of the agency's first page, as scripts.bench_load finds one.
    task_id = int(SHOW_LINK.findall(head.get("/tasks/list/").get_data(as_text=True))[0])

    pages = [
        ("agency dashboard", lambda: head.get("/")),
        ("office dashboard", lambda: office.get("/")),
        ("agency list p1", lambda: head.get("/tasks/list/")),
        (f"agency list p{deep}", lambda: head.get(f"/tasks/list/?page_TaskView={deep - 1}")),
        ("office list p1", lambda: office.get("/tasks/list/")),
        ("task detail agency", lambda: head.get(f"/tasks/show/{task_id}")),
        ("task detail office", lambda: office.get(f"/tasks/show/{task_id}")),
        ("API task list", lambda: api.get("/api/v1/task/?page=0&page_size=25", headers=headers)),
    ]
    counter = StatementCounter(engine)
    for name, do in pages:  # warm: caches filled, templates compiled
        response = do()
        if response.status_code != 200:
            raise SystemExit(f"{name} answered {response.status_code}")
        if "list" in name and "API" not in name and len(set(SHOW_LINK.findall(response.get_data(as_text=True)))) \
                != PAGE_SIZE:
            raise SystemExit(f"{name} does not show {PAGE_SIZE} rows")

    if args.profile:
        import cProfile
        import pstats

        do = dict(pages)[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            do()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(int(__import__("os").environ.get("TOP", "30")))
        return 0

    print(f"{url.split('@')[-1]}: {total:,} tasks; {BENCH_USER} sees {visible:,}; task {task_id}; "
          f"median of {args.repeat} requests after a warm-up\n")
    print(f"{'page':<22}{'CPU ms':>9}{'wall ms':>9}{'statements':>12}{'bytes':>10}")
    last = {}
    for name, do in pages:
        cpu, wall, counts = [], [], []
        for _ in range(args.repeat):
            counter.reset()
            c0, w0 = time.process_time(), time.perf_counter()
            response = do()
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
            counts.append(len(counter.statements))
        last[name] = list(counter.statements)
        stmts = str(max(counts)) if min(counts) == max(counts) else f"{min(counts)}-{max(counts)}"
        print(f"{name:<22}{statistics.median(cpu) * 1000:>9.1f}{statistics.median(wall) * 1000:>9.1f}"
              f"{stmts:>12}{len(response.data):>10,}", flush=True)
    if args.statements:
        for name, statements in last.items():
            print(f"\n{name} ({len(statements)}):")
            for _duration, statement, _params in statements:
                print("   ", shorten(re.sub(r"\s+", " ", statement), 200))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
