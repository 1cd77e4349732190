"""`python -m scripts.bench_inspections`: a Working Group member's task list while an inspection of the
largest agency runs (Chương V; SPEC §1): the member sees its own agency's tasks and those of the agency
inspected, through the union of index branches (app.access.agency_branches over several agencies).

Not a test: it prints p50/p95 per request like `make bench` (whose seeding and timing it reuses), beside
the same agency head's list for comparison.

    .venv/bin/python -m scripts.bench_inspections --tasks 20000
    .venv/bin/python -m scripts.bench_inspections --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench
"""
from __future__ import annotations

import datetime as dt
import logging
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.bench import (BENCH_PASSWORD, BENCH_USER, PAGE_SIZE, StatementCounter, html_check,  # noqa: E402
                           login_web, parse_args, prepare, resolve_url, safe_url, time_requests)

MEMBER_USER = "bench_member"
NUMBER = "BENCH/QĐ-UBND"


def running_inspection(app, agency_id: int) -> str:
    """An Office inspection of `agency_id`, issued and started yesterday, with a member of another agency."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Agency, AppUser, Inspection, InspectionAgency, InspectionMember, local_now
    from app.services.seeding import create_user

    with app.app_context():
        other = db.session.scalar(select(Agency).where(Agency.id != agency_id, Agency.code == "TTT")) or \
            db.session.scalar(select(Agency).where(Agency.id != agency_id).order_by(Agency.id))
        member = db.session.scalar(select(AppUser).where(AppUser.username == MEMBER_USER))
        if member is None:
            member = create_user(username=MEMBER_USER, password=BENCH_PASSWORD, role_name="WorkingGroupMember",
                                 agency_code=other.code, full_name="Bench Working Group Member")
        inspection = db.session.scalar(select(Inspection).where(Inspection.number == NUMBER))
        today = local_now().date()
        if inspection is not None:
            db.session.delete(inspection)
            db.session.flush()
        inspection = Inspection(
            conducted_by="office", legal_basis="Quyết định số 26/2026/QĐ-UBND", scope="bench", tasks="",
            content_text="", form="ad_hoc", start_on=today - dt.timedelta(days=1), end_on=today + dt.timedelta(days=5),
            report_due_on=today + dt.timedelta(days=20), stage="issued", number=NUMBER, issued_on=today,
            inspected=[InspectionAgency(agency_id=agency_id)],
            members=[InspectionMember(user_id=member.id, leader=True)])
        db.session.add(inspection)
        db.session.commit()
        return other.short_name


def main(argv=None) -> int:
    args = parse_args(argv)
    url = resolve_url(args.database_url)
    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore", message=".*HMAC key.*")
    print(__doc__.split("\n\n")[0])
    print(f"database: {safe_url(url)}   tasks wanted: {args.tasks:,}   repeat: {args.repeat}\n")

    from app import create_app
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ENV_NAME": "development",
                      "WTF_CSRF_ENABLED": False, "AUTH_RATE_LIMITED": False})
    info = prepare(app, args.tasks)
    own = running_inspection(app, info["agency_id"])
    with app.app_context():
        engine = db.engine
    counter = StatementCounter(engine)
    print(f"inspected: {info['agency_code']} ({info['agency_name']}), {info['visible']:,} tasks; "
          f"member of {own}\n", flush=True)
    member = login_web(app, MEMBER_USER, BENCH_PASSWORD)
    head = login_web(app, BENCH_USER, BENCH_PASSWORD)

    def a_task_write():
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE data_version SET version = version + 1 WHERE name = 'task'")

    pages = [
        ("member list p1", lambda: member.get("/tasks/list/"), None),
        ("member p1, after write", lambda: member.get("/tasks/list/"), a_task_write),
        ("member list p200", lambda: member.get("/tasks/list/?page_TaskView=199"), None),
        ("agency head list p1", lambda: head.get("/tasks/list/"), None),
        ("agency p1, after write", lambda: head.get("/tasks/list/"), a_task_write),
    ]
    print(f"{'name':<26}{'p50 ms':>10}{'p95 ms':>10}{'SQL ms':>10}{'statements':>12}")
    for name, do_request, before in pages:
        try:
            r = time_requests(counter, args.repeat, do_request, html_check(PAGE_SIZE), before)
        except SystemExit as stop:  # e.g. page 200 does not exist at a small size
            print(f"{name:<26}  skipped: {stop}")
            continue
        print(f"{name:<26}{r['p50']:>10.1f}{r['p95']:>10.1f}{r['sql']:>10.1f}{r['statements']:>12}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
