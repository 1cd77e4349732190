"""`make bench`: how fast is the hot page (the task list) at a realistic size?

Not a test: nothing here asserts on time. It prints what it measures so anyone can
see where we stand against the figures in PERFORMANCE.md (p50/p95 per request,
server time through the Flask test client, SQL statements per request, HTML size),
next to the bare SQL the page needs, timed on the same database.

    make bench                                    # SQLite file instance/bench.db
    make bench BENCH_ARGS="--tasks 20000 --repeat 5"
    make bench BENCH_ARGS="--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench"

The database is reused: it is topped up to --tasks tasks, never emptied. Use a
scratch database, never a real one (bench users and generated tasks are added).
"""
from __future__ import annotations

import argparse
import logging
import math
import os
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts import bench_logins  # noqa: E402

BENCH_USER, BENCH_PASSWORD = "bench_head", "Bench@2026"
OFFICE_USER, DEMO_PASSWORD = "chuyenvien", "Demo@2026"
PAGE_SIZE = 25
DEEP_PAGE = 200  # 1-based, as a user counts pages
PG_HINT = 'make bench BENCH_ARGS="--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench"'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=200_000, help="tasks in the database (default 200000)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--database-url", default=None,
                        help="default: $BENCH_DATABASE_URL, else $DATABASE_URL, else sqlite instance/bench.db")
    parser.add_argument("--explain", action="store_true",
                        help="print the slowest statement of each page (PostgreSQL: with EXPLAIN ANALYZE)")
    parser.add_argument("--statements", action="store_true",
                        help="list the SQL statements of one request of each page, grouped")
    # issue 10: the load test (scripts/bench_load.py)
    parser.add_argument("--no-load", action="store_true", help="skip the load test (gunicorn + locust)")
    parser.add_argument("--load-seconds", type=int, default=60, help="paced load test length (default 60)")
    parser.add_argument("--load-users", type=int, default=50, help="load test users (default 50)")
    parser.add_argument("--load-port", type=int, default=int(os.environ.get("BENCH_LOAD_PORT", 5105)),
                        help="loopback port of the load test's gunicorn (default 5105)")
    parser.add_argument("--redis-url", default=None,
                        help="Redis of the load test's workers (default $BENCH_REDIS_URL, else $REDIS_URL, else "
                             "redis://127.0.0.1:6379/0 when it answers; 'none': a fakeredis per worker)")
    return parser.parse_args(argv)


def resolve_url(given: str | None) -> str:
    url = (given or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or "").strip()
    if not url:
        from config import INSTANCE_DIR

        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{INSTANCE_DIR / 'bench.db'}"
    for prefix in ("postgres://", "postgresql://"):  # same spellings as config.database_url()
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def safe_url(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


class StatementCounter:
    """Counts (and times) every statement the engine sends, with before/after_cursor_execute."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.statements: list[tuple[float, str, object]] = []
        self._starts: list[float] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        self._starts.append(time.perf_counter())

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        started = self._starts.pop() if self._starts else time.perf_counter()
        self.statements.append((time.perf_counter() - started, statement, parameters))

    def reset(self):
        self.statements = []
        self._starts = []


# ---------------------------------------------------------------- preparation

def prepare(app, n_tasks: int) -> dict:
    from flask_migrate import upgrade
    from sqlalchemy import func, select, text

    from app.extensions import db
    from app.models import Agency, AppUser, Task
    from app.security import sync_roles
    from app.services.seeding import create_user, seed_agencies, seed_demo
    from scripts.bench_seed import describe, seed_tasks

    with app.app_context():
        started = time.perf_counter()
        upgrade(directory=str(ROOT / "migrations"))
        sync_roles(app.extensions["appbuilder"])
        seed_agencies()
        with app.test_request_context():
            seed_demo()
        db.session.commit()
        print(f"schema, roles, agencies, demo users: {time.perf_counter() - started:.1f} s")

        have = db.session.scalar(select(func.count()).select_from(Task)) or 0
        if have < n_tasks:
            missing = n_tasks - have
            print(f"seeding {missing:,} tasks (+{(missing + 4) // 5:,} documents) on top of {have:,},"
                  " skewed as a province (scripts/bench_seed.py) …", flush=True)
            started = time.perf_counter()
            added = seed_tasks(missing)
            took = time.perf_counter() - started
            print(f"seeded {added['tasks']:,} tasks, {added['documents']:,} documents, "
                  f"{added['links']:,} coordinating rows in {took:.1f} s ({missing / took:,.0f} tasks/s)")
        else:
            print(f"{have:,} tasks already there (≥ {n_tasks:,}): no seeding")

        dialect = db.engine.dialect.name
        if dialect == "postgresql":
            started = time.perf_counter()
            db.session.commit()
            with db.engine.connect() as conn:
                # VACUUM too, as autovacuum would have by then: index-only scans need the visibility map.
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
            print(f"VACUUM ANALYZE: {time.perf_counter() - started:.1f} s")
        with db.engine.connect() as conn:
            skew = describe(conn)
        print(f"skew: busiest agency sees {skew['busiest']:,} tasks ({100 * skew['busiest_share']:.1f}%, target ~23%); "
              f"open {skew['open']:,}, overdue {100 * skew['overdue_share']:.0f}% (target ~57%); "
              f"0–{skew['max_coordinating']} coordinating agencies per task")

        # The agency that sees the most tasks (leads or coordinates): the worst case.
        top = db.session.execute(text(
            "SELECT agency_id, COUNT(*) AS n FROM ("
            " SELECT lead_agency_id AS agency_id, id AS task_id FROM task"
            " UNION SELECT agency_id, task_id FROM task_coordinating_agency) AS seen"
            " GROUP BY agency_id ORDER BY n DESC, agency_id LIMIT 1")).one()
        agency = db.session.get(Agency, top.agency_id)
        user = db.session.scalar(select(AppUser).where(AppUser.username == BENCH_USER))
        if user is None:
            create_user(username=BENCH_USER, password=BENCH_PASSWORD, role_name="AgencyHead",
                        agency_code=agency.code, full_name="Bench Agency Head")
        elif user.agency_id != agency.id:
            user.agency_id = agency.id  # more tasks since last time: follow the biggest agency
            db.session.commit()
        total = db.session.scalar(select(func.count()).select_from(Task))
        info = dict(dialect=dialect, server=db.engine.dialect.server_version_info, tasks=total,
                    agency_id=agency.id, agency_code=agency.code, agency_name=agency.short_name,
                    visible=top.n,
                    documents=db.session.scalar(text("SELECT COUNT(*) FROM document")),
                    coordinating=db.session.scalar(text("SELECT COUNT(*) FROM task_coordinating_agency")),
                    agencies=db.session.scalar(text("SELECT COUNT(*) FROM agency")))
        db.session.remove()
        return info


# ---------------------------------------------------------------- timing

SHOW_LINK = re.compile(r"/tasks/show/(\d+)")
RECORD_COUNT = re.compile(r"(\d[\d.,\s]*)\s*</strong>", re.S)


def time_requests(counter, repeat, do_request, check, before=None):
    """One warm-up request (checked), then `repeat` timed ones; `before()` runs
    ahead of each, untimed."""
    counter.reset()
    response = do_request()
    check(response)
    times, sql_times, counts = [], [], []
    slowest = None
    for _ in range(repeat):
        if before:
            before()
        counter.reset()
        started = time.perf_counter()
        response = do_request()
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"timed request answered {response.status_code}")
        counts.append(len(counter.statements))
        sql_times.append(sum(d for d, _s, _p in counter.statements))
        worst = max(counter.statements, key=lambda s: s[0], default=None)
        if worst and (slowest is None or worst[0] > slowest[0]):
            slowest = worst
    return dict(p50=statistics.median(times) * 1000, p95=percentile(times, 95) * 1000,
                sql=statistics.median(sql_times) * 1000, statements=max(counts),
                statements_min=min(counts), bytes=len(response.data), slowest=slowest,
                response=response, last=list(counter.statements))


def html_check(expected_rows):
    def check(response):
        if response.status_code != 200:
            raise SystemExit(f"list page answered {response.status_code} (expected 200)")
        html = response.get_data(as_text=True)
        rows = len(set(SHOW_LINK.findall(html)))
        if rows != expected_rows:
            raise SystemExit(f"list page shows {rows} rows (expected {expected_rows})")
    return check


def api_check(expected_rows):
    def check(response):
        if response.status_code != 200:
            raise SystemExit(f"API answered {response.status_code}: {response.get_data(as_text=True)[:300]}")
        rows = len(response.get_json()["result"])
        if rows != expected_rows:
            raise SystemExit(f"API returned {rows} rows (expected {expected_rows})")
    return check


def login_web(app, username, password):
    client = app.test_client()
    response = client.post("/login/", data={"username": username, "password": password})
    if response.status_code not in (302, 303) or "/login" in response.headers.get("Location", ""):
        raise SystemExit(f"web login of {username} failed ({response.status_code})")
    return client


def login_api(app, username, password):
    client = app.test_client()
    response = client.post("/api/v1/security/login", json={
        "username": username, "password": password, "provider": "db", "refresh": False})
    if response.status_code != 200:
        raise SystemExit(f"API login of {username} failed ({response.status_code}): {response.get_data(as_text=True)}")
    token = response.get_json()["access_token"]
    return client, {"Authorization": f"Bearer {token}"}


def sql_baselines(engine, agency_id: int, deep_offset: int, repeat: int):
    """The bare SQL the agency page needs (25 rows + the pager's COUNT), on one connection."""
    from sqlalchemy import text

    columns = ("SELECT t.id, d.number, t.content, a.short_name, t.deadline, t.status FROM task t"
               " JOIN document d ON d.id = t.document_id JOIN agency a ON a.id = t.lead_agency_id")
    or_form = ("(t.lead_agency_id = :a OR t.id IN"
               " (SELECT task_id FROM task_coordinating_agency WHERE agency_id = :a))")
    union_form = ("t.id IN (SELECT id FROM task WHERE lead_agency_id = :a"
                  " UNION SELECT task_id FROM task_coordinating_agency WHERE agency_id = :a)")
    page = " ORDER BY t.deadline, t.id LIMIT 25 OFFSET :o"
    queries = [
        ("sql OR    rows p1", f"{columns} WHERE {or_form}{page}", {"a": agency_id, "o": 0}, 25),
        (f"sql OR    rows p{deep_offset // PAGE_SIZE + 1}", f"{columns} WHERE {or_form}{page}",
         {"a": agency_id, "o": deep_offset}, 25),
        ("sql OR    count", f"SELECT COUNT(*) FROM task t WHERE {or_form}", {"a": agency_id}, 1),
        ("sql UNION rows p1", f"{columns} WHERE {union_form}{page}", {"a": agency_id, "o": 0}, 25),
        (f"sql UNION rows p{deep_offset // PAGE_SIZE + 1}", f"{columns} WHERE {union_form}{page}",
         {"a": agency_id, "o": deep_offset}, 25),
        ("sql UNION count", f"SELECT COUNT(*) FROM task t WHERE {union_form}", {"a": agency_id}, 1),
        ("sql UNION count, bare", "SELECT COUNT(*) FROM (SELECT id FROM task WHERE lead_agency_id = :a"
         " UNION SELECT task_id FROM task_coordinating_agency WHERE agency_id = :a) AS seen",
         {"a": agency_id}, 1),
        ("sql office rows p1", f"{columns}{page}", {"o": 0}, 25),
        ("sql office count", "SELECT COUNT(*) FROM task", {}, 1),
    ]
    results = []
    with engine.connect() as conn:
        counts = {}
        for name, sql, params, expected in queries:
            rows = conn.execute(text(sql), params).all()  # warm-up
            if len(rows) != expected:
                raise SystemExit(f"{name}: {len(rows)} rows (expected {expected})")
            if "count" in name:
                counts[name] = rows[0][0]
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                conn.execute(text(sql), params).all()
                times.append(time.perf_counter() - started)
            results.append(dict(name=name, p50=statistics.median(times) * 1000,
                                p95=percentile(times, 95) * 1000, sql=None, statements=1, bytes=None))
        conn.rollback()
    if len({n for name, n in counts.items() if "office" not in name}) != 1:
        raise SystemExit(f"OR and UNION counts differ: {counts}")
    return results, counts


def explain(engine, statement, parameters):
    if engine.dialect.name != "postgresql":
        return "(EXPLAIN ANALYZE: PostgreSQL only)"
    with engine.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        conn.rollback()
    return plan


def jobs_results(app) -> None:
    """The deadline sweep over every seeded task (twice: the second inserts nothing),
    and the rendering of an urging letter listing 50 tasks (PDF and DOCX)."""
    from app.extensions import db
    from app.models import Agency, Task, UrgingLetter
    from app.render.docx import render_docx
    from app.render.pdf import render_pdf
    from app.services.letters import default_body, letter_document
    import datetime as dt

    from app.services.sweep import deadline_sweep
    from sqlalchemy import select

    print("\njobs")
    with app.test_request_context():
        for run in ("first", "second"):
            started = time.perf_counter()
            result = deadline_sweep(force=True)
            print(f"  deadline sweep ({run} run)  {1000 * (time.perf_counter() - started):9.1f} ms   "
                  f"open {result['open']:,}, overdue {result['overdue']:,}, due today {result['due_today']:,}, "
                  f"due soon {result['due_soon']:,}, reminders inserted {result['reminders']:,}")
        agency = db.session.scalar(select(Agency).where(Agency.code == "STC"))
        tasks = db.session.scalars(select(Task).order_by(Task.deadline).limit(50)).all()
        letter = UrgingLetter(agency=agency, status="draft", summary="V/v đôn đốc thực hiện nhiệm vụ được giao",
                              body=default_body(agency, tasks), signer_position="PHÓ CHÁNH VĂN PHÒNG",
                              signer_name="Nguyễn Văn A", batch_key="bench", tasks=tasks)
        document = letter_document(letter)
        db.session.rollback()
        for name, render in (("PDF", render_pdf), ("DOCX", render_docx)):
            times = []
            for _ in range(3):
                started = time.perf_counter()
                data = render(document)
                times.append(time.perf_counter() - started)
            print(f"  urging letter, 50 tasks, {name:<5} {1000 * statistics.median(times):9.1f} ms   "
                  f"({len(data):,} bytes)")

    from app.domain.periods import PeriodKind, period_containing, previous
    from app.render.model import OfficialDocument, Table
    from app.services.appendix import appendix_counts, appendix_counts_by_agency
    from app.services.reports import phu_luc_ii_rows

    print("\nreports")
    with app.test_request_context():
        period = previous(period_containing(PeriodKind.monthly, dt.date.today()))
        annual = previous(period_containing(PeriodKind.annual, dt.date.today()))
        for label, target in (("month", period), ("year", annual)):
            started = time.perf_counter()
            by_agency = appendix_counts_by_agency(target)
            took = 1000 * (time.perf_counter() - started)
            started = time.perf_counter()
            province = appendix_counts(target)
            took_one = 1000 * (time.perf_counter() - started)
            print(f"  Phụ lục I, all {len(by_agency)} agencies, {label} {target.label:<15} {took:9.1f} ms   "
                  f"(province alone {took_one:.1f} ms; total {province.total:,})")
        rows = phu_luc_ii_rows(annual, None, limit=500)
        table = Table(columns=["STT", "Văn bản", "Nội dung", "Thời hạn", "Tình trạng"],
                      rows=[[str(n), r["document"], r["content"], r["deadline"], r["state"]]
                            for n, r in enumerate(rows, start=1)], widths=[0.7, 2.4, 5, 1.6, 2])
        document = OfficialDocument(title="BÁO CÁO", title_summary="Phụ lục II", body=[table],
                                    signer_position="THỦ TRƯỞNG CƠ QUAN", signer_name="A")
        started = time.perf_counter()
        data = render_pdf(document)
        print(f"  Phụ lục II PDF, {len(rows)} rows       {1000 * (time.perf_counter() - started):9.1f} ms   "
              f"({len(data):,} bytes)")


def main(argv=None) -> int:
    args = parse_args(argv)
    url = resolve_url(args.database_url)
    logging.disable(logging.WARNING)  # FAB and Alembic chatter; errors still show
    warnings.filterwarnings("ignore", message=".*HMAC key.*")  # the development SECRET_KEY

    print(__doc__.split("\n\n")[0])
    print("Recommended: PostgreSQL, the production database, e.g.")
    print(f"    {PG_HINT}")
    print("(SQLite figures are indicative only.)\n")
    print(f"database: {safe_url(url)}   tasks wanted: {args.tasks:,}   repeat: {args.repeat}\n")

    from sqlalchemy import text

    from app import create_app
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ENV_NAME": "development",
                      "WTF_CSRF_ENABLED": False, "AUTH_RATE_LIMITED": False})
    info = prepare(app, args.tasks)
    with app.app_context():
        engine = db.engine
    counter = StatementCounter(engine)
    visible = info["visible"]
    last_full_page = max(1, visible // PAGE_SIZE)
    deep = min(DEEP_PAGE, last_full_page)  # 1-based
    deep_arg = deep - 1  # FAB's page_<ViewName> argument counts from 0

    print(f"\ndialect: {info['dialect']} {'.'.join(map(str, info['server'] or ()))}   "
          f"tasks: {info['tasks']:,}   documents: {info['documents']:,}   "
          f"coordinating rows: {info['coordinating']:,}   agencies: {info['agencies']}")
    print(f"agency timed: {info['agency_code']} ({info['agency_name']}, id {info['agency_id']}), "
          f"sees {visible:,} tasks, user {BENCH_USER}; deep page = page {deep}"
          + ("" if deep == DEEP_PAGE else f" (the last full page; page {DEEP_PAGE} does not exist)"))
    print(f"timing {args.repeat} requests per row after one warm-up …\n", flush=True)

    head = login_web(app, BENCH_USER, BENCH_PASSWORD)
    office = login_web(app, OFFICE_USER, DEMO_PASSWORD)
    api, headers = login_api(app, BENCH_USER, BENCH_PASSWORD)

    pages = [
        ("agency list p1", lambda: head.get("/tasks/list/"), html_check(PAGE_SIZE)),
        (f"agency list p{deep}", lambda: head.get(f"/tasks/list/?page_TaskView={deep_arg}"),
         html_check(PAGE_SIZE)),
        ("office list p1", lambda: office.get("/tasks/list/"), html_check(PAGE_SIZE)),
        ("agency API p0 (25)", lambda: api.get("/api/v1/task/?page=0&page_size=25", headers=headers),
         api_check(PAGE_SIZE)),
    ]

    def a_task_write():
        # A real write to a task of the agency timed (issue 10): its status flips between
        # assigned and in progress, so the data version moves and the tallies change.
        with engine.begin() as conn:
            conn.execute(text(
                "UPDATE task SET status = CASE WHEN status = 'assigned' THEN 'in_progress' ELSE 'assigned' END"
                " WHERE id = (SELECT id FROM task WHERE lead_agency_id = :a"
                " AND status IN ('assigned', 'in_progress') ORDER BY id LIMIT 1)"), {"a": info["agency_id"]})

    pages = [page + (None,) for page in pages]
    pages[3:3] = [
        ("agency p1, after write", pages[0][1], html_check(PAGE_SIZE), a_task_write),
        ("office p1, after write", pages[2][1], html_check(PAGE_SIZE), a_task_write),
    ]
    home_check = lambda response: None  # noqa: E731 — the dashboard has no rows to count
    pages += [
        ("office dashboard", lambda: office.get("/"), home_check, None),
        ("office dash., after write", lambda: office.get("/"), home_check, a_task_write),
        ("agency dashboard", lambda: head.get("/"), home_check, None),
        ("agency dash., after write", lambda: head.get("/"), home_check, a_task_write),
    ]
    results = []
    for name, do_request, check, before in pages:
        result = time_requests(counter, args.repeat, do_request, check, before)
        result["name"] = name
        results.append(result)
        print(f"  {name:<22} p50 {result['p50']:9.1f} ms", flush=True)
    api_count = next(r for r in results if "API" in r["name"])["response"].get_json()["count"]

    sql_results, counts = sql_baselines(engine, info["agency_id"], deep_arg * PAGE_SIZE, args.repeat)
    if api_count != counts["sql OR    count"] or api_count != visible:
        print(f"WARNING: counts differ: API {api_count}, SQL {counts['sql OR    count']}, union {visible}")

    print(f"\n{'name':<24}{'p50 ms':>10}{'p95 ms':>10}{'SQL ms':>10}{'statements':>12}{'bytes':>12}")
    print("-" * 78)
    for r in results + sql_results:
        stmts = (f"{r['statements']}" if r.get("statements_min", r["statements"]) == r["statements"]
                 else f"{r['statements_min']}-{r['statements']}")
        print(f"{r['name']:<24}{r['p50']:>10.1f}{r['p95']:>10.1f}"
              f"{(format(r['sql'], '.1f') if r['sql'] is not None else '-'):>10}"
              f"{stmts:>12}{(format(r['bytes'], ',') if r['bytes'] else '-'):>12}")
    print("-" * 78)
    print(f"dialect {info['dialect']}, {info['tasks']:,} tasks; agency {info['agency_code']} sees "
          f"{visible:,} (API count {api_count:,}); p50/p95 over {args.repeat} requests; "
          "SQL ms = median time inside the database driver per request;")
    print("sql rows = task columns + document number + lead agency short name, ORDER BY deadline, id;"
          " 'UNION count, bare' counts the union of ids without joining back to task.")

    jobs_results(app)
    bench_logins.report(url, app.config.get("REDIS_URL", ""))  # failed sign-ins before the lock (issue 8)
    __import__("scripts.bench_sweep", fromlist=["run"]).run(app)  # the sweep with its mails

    if not args.no_load:
        from scripts.bench_load import run_load
        # The sweep above is the night's (it wrote ~140,000 reminders at a million tasks); the
        # working day starts on a settled database, as autovacuum and the checkpointer leave it
        # by morning — else the load test measured them, not the pages.
        settle(engine)
        run_load(url, redis_url=args.redis_url, agency_id=info["agency_id"], port=args.load_port,
                 users=args.load_users, seconds=args.load_seconds, deep_page=deep)
    __import__("scripts.bench_intake").bench_intake.intake_results(app)  # intake (issue 12)
    # A Working Group member's task list while an inspection of the largest agency runs (issue 11).
    __import__("scripts.bench_inspections").bench_inspections.main(
        ["--database-url", url, "--tasks", str(args.tasks), "--repeat", str(args.repeat)])

    notes = []
    for r in results:
        if r["statements"] > 10:
            notes.append(f"{r['name']}: {r['statements']} SQL statements per request (> 10)")
        if r["p50"] > 1000:
            notes.append(f"{r['name']}: p50 {r['p50']:.0f} ms (> 1 s)")
    if notes:
        print("\nlooks slow:\n  " + "\n  ".join(notes))
    if args.statements:
        for r in results:
            print(f"\nstatements of one {r['name']} request ({len(r['last'])}):")
            grouped: dict[str, list[float]] = {}
            for duration, statement, _params in r["last"]:
                grouped.setdefault(" ".join(statement.split()), []).append(duration)
            for statement, durations in grouped.items():
                print(f"  {len(durations):>3} x {sum(durations) * 1000:7.1f} ms  {shorten(statement)}")
    if args.explain:
        for r in results:
            if r["slowest"] is not None:
                duration, statement, params = r["slowest"]
                print(f"\nslowest statement of {r['name']}: {duration * 1000:.1f} ms\n  "
                      + shorten(statement, 2000))
                print(explain(engine, statement, params))
    return 0


def settle(engine) -> None:
    """VACUUM ANALYZE and CHECKPOINT (PostgreSQL), printed with their time."""
    if engine.dialect.name != "postgresql":
        return
    started = time.perf_counter()
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("VACUUM ANALYZE")
        conn.exec_driver_sql("CHECKPOINT")
    print(f"\nbefore the load test, the night's writes settled (VACUUM ANALYZE, CHECKPOINT): "
          f"{time.perf_counter() - started:.1f} s")


def shorten(statement: str, width: int = 160) -> str:
    """SELECT lists are long and say little: keep the FROM … part."""
    statement = re.sub(r"^SELECT (.{60}).*? FROM ", r"SELECT \1… FROM ", statement)
    return statement if len(statement) <= width else statement[:width] + "…"


if __name__ == "__main__":
    sys.exit(main())
