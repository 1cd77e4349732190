"""The periodic report's page and files for the busiest agency, each made in a fresh
process, with that process's peak resident memory (VmHWM) — what a gunicorn worker
would grow to making it (issue 10: ≤ 150 MiB).

    .venv/bin/python -m scripts.bench_report_files --database-url postgresql+psycopg://…/bench

The database is one scripts.bench seeded (its bench_head account heads the busiest
agency). Each step signs in as that head in a test client and GETs the page or file,
as a browser would: last month's (or, --annual, this year's) report page (the draft is made if missing), then its
PDF, DOCX and XLSX. `--submitted` measures the frozen report instead (submits it first
if it is a draft: Section III's reasons are filled in for it)."""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time

STEPS = ("page", "pdf", "docx", "xlsx")


def _peak_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _app(url: str):
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "ENV_NAME": "development",
                       "WTF_CSRF_ENABLED": False, "AUTH_RATE_LIMITED": False})


def _page_url() -> str:
    """Last month's report, or (BENCH_REPORT_KIND=annual) this year's: the longest list."""
    today = time.localtime()
    if os.environ.get("BENCH_REPORT_KIND") == "annual":
        return f"/reports/agency/annual/{today.tm_year}/0"
    year, month = (today.tm_year, today.tm_mon - 1) if today.tm_mon > 1 else (today.tm_year - 1, 12)
    return f"/reports/agency/monthly/{year}/{month}"


def _signed_in(app):
    from scripts.bench_users import ACCOUNTS

    client = app.test_client()
    username, password = ACCOUNTS[0]
    answer = client.post("/login/", data={"username": username, "password": password})
    assert answer.status_code in (200, 302), answer.status_code
    return client


def one(url: str, step: str) -> None:
    app = _app(url)
    client = _signed_in(app)
    page_url = _page_url()
    if step != "page":  # the report's id, from a page made in another process (not counted here)
        report_id = os.environ["BENCH_REPORT_ID"]
    import logging

    peaks = []

    class Peak(logging.Handler):
        def emit(self, record):
            if isinstance(record.args, tuple) and len(record.args) == 2 and isinstance(record.args[1], int):
                peaks.append(record.args[1])

    logging.getLogger("app.render.pdf").addHandler(Peak())
    logging.getLogger("app.render.pdf").setLevel(logging.INFO)
    base = _peak_mib()
    started = time.perf_counter()
    answer = client.get(page_url if step == "page" else f"/reports/file/{report_id}/{step}")
    body = answer.get_data()
    took = time.perf_counter() - started
    child = peaks[-1] if peaks else 0  # the PDF renderer's own process (app.render.pdf.render_pdf_apart)
    print(f"{step}\t{answer.status_code}\t{len(body)}\t{took:.1f}\t{base:.0f}\t{_peak_mib():.0f}"
          + (f"\t{child:.0f}" if child else "\t-"))


def _report_id(url: str, submitted: bool) -> tuple[int, int]:
    app = _app(url)
    with app.app_context():
        from sqlalchemy import func, select

        from app.extensions import db
        from app.models import AppUser, Task

        head = db.session.scalar(select(AppUser).where(AppUser.username == "bench_head"))
        agency_id = head.agency_id
        tasks = db.session.scalar(select(func.count()).select_from(Task).where(Task.lead_agency_id == agency_id))
    client = _signed_in(app)
    page = client.get(_page_url()).get_data(as_text=True)
    report_id = int(re.search(r"/reports/file/(\d+)/pdf", page).group(1))
    if submitted:
        with app.app_context():
            _submit(report_id)
    return report_id, tasks


def _submit(report_id: int) -> None:
    from sqlalchemy import select

    from app.access import Viewer
    from app.extensions import db
    from app.models import AppUser, PeriodicReport, ReportReason
    from app.services import reports

    report = db.session.get(PeriodicReport, report_id)
    if report.status == "submitted":
        return
    head = db.session.scalar(select(AppUser).where(AppUser.username == "bench_head"))
    have = {r.task_id for r in report.reasons}
    for task_id in reports.late_task_ids(report):
        if task_id not in have:
            report.reasons.append(ReportReason(task_id=task_id, reason="Bench"))
    db.session.commit()
    viewer = Viewer(user_id=head.id, agency_id=head.agency_id, roles=frozenset(r.name for r in head.roles))
    started = time.perf_counter()
    reports.submit(report_id, viewer=viewer, expected_version=report.version)
    print(f"submitted report {report_id} in {time.perf_counter() - started:.1f} s")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--one", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--submitted", action="store_true", help="measure the submitted (frozen) report")
    parser.add_argument("--steps", default=",".join(STEPS), help="which of page,pdf,docx,xlsx (default: all)")
    parser.add_argument("--annual", action="store_true", help="this year's report instead of last month's")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url (or BENCH_DATABASE_URL) is required")
    if args.annual:
        os.environ["BENCH_REPORT_KIND"] = "annual"
    if args.one:
        one(args.database_url, args.one)
        return 0
    report_id, tasks = _report_id(args.database_url, args.submitted)
    print(f"busiest agency: {tasks:,} tasks; report {report_id}"
          f" ({'submitted' if args.submitted else 'as it is'}), {'this year' if args.annual else 'last month'}")
    print("step\tstatus\tbytes\tseconds\tMiB before\tVmHWM MiB\tchild process MiB")
    for step in args.steps.split(","):
        env = dict(os.environ, BENCH_REPORT_ID=str(report_id))
        subprocess.run([sys.executable, "-m", "scripts.bench_report_files", "--database-url", args.database_url,
                        "--one", step], env=env, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
