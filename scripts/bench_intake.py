"""The intake step of `make bench` (issue 12): 100 edXML messages received (parse, checks,
duplicate lookup, files written, Office notified), then a 1,000-row XLSX validated and
imported (and sent) on one document, through the API as the Office official.

    python -m scripts.bench_intake --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

Called from scripts/bench.py after the jobs; on its own it prepares only the schema, the
roles, the agencies and the demo users. Every run adds documents (numbers made unique per
run): use a scratch database.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OFFICE_USER, DEMO_PASSWORD = "chuyenvien", "Demo@2026"


def intake_results(app, messages: int = 100, rows: int = 1000) -> dict:
    import datetime as dt

    from openpyxl import Workbook
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Agency
    from app.services.task_import import COLUMNS
    from tests.edxml_samples import message

    run = uuid.uuid4().hex[:6].upper()
    client = app.test_client()
    login = client.post("/api/v1/security/login", json={"username": OFFICE_USER, "password": DEMO_PASSWORD,
                                                         "provider": "db", "refresh": False})
    headers = {"Authorization": f"Bearer {login.get_json()['access_token']}"}
    bodies = [message(number=str(n + 1), notation=f"B{run}", date="2026/11/20") for n in range(messages)]
    print(f"\nintake (run {run})")
    times, ids = [], []
    started = time.perf_counter()
    for body in bodies:
        t0 = time.perf_counter()
        answer = client.post("/api/v1/intake/edxml", data=body, headers=headers, content_type="application/xml")
        times.append(time.perf_counter() - t0)
        if answer.status_code != 201:
            raise SystemExit(f"edXML intake failed: {answer.status_code} {answer.get_data(as_text=True)[:300]}")
        ids.append(answer.get_json()["id"])
    total = time.perf_counter() - started
    print(f"  {messages} edXML messages (1 PDF each)  {1000 * total:9.1f} ms   "
          f"p50 {1000 * statistics.median(times):.1f} ms, max {1000 * max(times):.1f} ms per message")
    t0 = time.perf_counter()
    again = client.post("/api/v1/intake/edxml", data=bodies[0], headers=headers, content_type="application/xml")
    print(f"  the same message again (409)      {1000 * (time.perf_counter() - t0):9.1f} ms   {again.status_code}")

    with app.app_context():
        agencies = db.session.scalars(select(Agency).where(Agency.active.is_(True)).order_by(Agency.id)).all()
        names = [a.name for a in agencies]
        stc = next(a.id for a in agencies if a.code == "STC")
        from app.services.calendar import current_calendar, today

        calendar = current_calendar()
        day, days = today() + dt.timedelta(days=7), []
        while len(days) < 30:
            if calendar.is_working_day(day):
                days.append(day.strftime("%d/%m/%Y"))
            day += dt.timedelta(days=1)
    register = client.post("/api/v1/document/", headers=headers, json={
        "intake_id": ids[0], "source": "ad_hoc", "send": False, "tasks": [{
            "content": "Nhiệm vụ đầu tiên", "lead_agency_id": stc, "deadline": "2026-12-31"}]})
    if register.status_code != 201:
        raise SystemExit(f"registering failed: {register.get_data(as_text=True)[:300]}")
    document_id = register.get_json()["id"]

    book = Workbook()
    sheet = book.active
    sheet.title = "Nhiệm vụ"
    sheet.append([h for _, h in COLUMNS])
    for n in range(rows):
        lead, coordinating = names[n % len(names)], names[(n + 7) % len(names)]
        sheet.append([f"Nhiệm vụ {n + 1} của chương trình công tác", lead, coordinating, days[n % len(days)],
                      None, None])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    t0 = time.perf_counter()
    answer = client.post(f"/api/v1/document/{document_id}/tasks/import?send=1", data=data, headers=headers,
                         content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    took = time.perf_counter() - t0
    created = (answer.get_json() or {}).get("created")
    print(f"  XLSX {rows} rows: validate + import + send {1000 * took:9.1f} ms   "
          f"({len(data):,} bytes; {answer.status_code}, created {created})")
    sheet.append(["Một dòng lỗi", "Cơ quan không có", None, None, None, None])
    out = io.BytesIO()
    book.save(out)
    t0 = time.perf_counter()
    refused = client.post(f"/api/v1/document/{document_id}/tasks/import", data=out.getvalue(), headers=headers,
                          content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    # The same file with one bad row more: refused whole, nothing created.
    print(f"  XLSX {rows + 1} rows, one bad: refused    {1000 * (time.perf_counter() - t0):9.1f} ms   "
          f"({refused.status_code}, {len((refused.get_json() or {}).get('errors', []))} errors)")
    return {"messages_ms": 1000 * total, "xlsx_ms": 1000 * took}


def main(argv=None) -> int:
    import logging
    import warnings

    parser = argparse.ArgumentParser(prog="python -m scripts.bench_intake", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore", message=".*HMAC key.*")
    from flask_migrate import upgrade

    from app import create_app
    from app.security import sync_roles
    from app.services.seeding import seed_agencies, seed_demo
    from scripts.bench import resolve_url, safe_url

    url = resolve_url(args.database_url)
    print(f"database: {safe_url(url)}")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ENV_NAME": "development", "WTF_CSRF_ENABLED": False,
                      "AUTH_RATE_LIMITED": False, "LOGIN_LIMITS_ENABLED": False})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        sync_roles(app.extensions["appbuilder"])
        seed_agencies()
        with app.test_request_context():
            seed_demo()
    intake_results(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
