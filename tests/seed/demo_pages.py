"""Signs in as each demo login through the test client, in the seeded demo's own environment
(`python -m tests.seed.demo_pages`, DATABASE_URL… as for `flask demo seed`), and prints as JSON
each page's status and visible text, for tests/seed/test_demo_history.py to assert on."""
from __future__ import annotations

import html
import json
import re
import sys

from app.services.seeding import DEMO_PASSWORD


def _text(body: bytes) -> str:
    page = body.decode("utf-8", "replace")
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def pages(ids: dict) -> dict[str, list[str]]:
    running, ended, reported = ids["running"], ids["ended"], ids["reported"]
    return {
        "chuyenvien": ["/inspections/", f"/inspections/show/{ended}", "/incoming/list/",
                       f"/incoming/show/{ids['updated']}", f"/incoming/show/{ids['revoked']}",
                       "/proposals/", "/report-requests/", f"/report-requests/show/{ids['closed_request']}",
                       "/difficulties/"],
        "lanhdaovp": ["/proposals/", f"/proposals/show/{ids['draft_proposal']}"],
        "chutich": ["/proposals/", f"/proposals/show/{ids['submitted_proposal']}", "/inspections/",
                    f"/inspections/show/{ids['unsigned']}", f"/inspections/show/{reported}"],
        "stc_gd": ["/inspections/", f"/inspections/show/{running}", "/report-requests/",
                   f"/report-requests/show/{ids['open_request']}"],
        "stc_cv": [f"/report-requests/show/{ids['open_request']}", f"/inspections/show/{running}"],
        "nhatrang_ct": ["/inspections/", "/difficulties/", "/report-requests/"],
        "totcongtac": ["/inspections/", f"/inspections/show/{running}", f"/tasks/show/{ids['inspected_task']}"],
        "snv_gd": [f"/inspections/show/{reported}", f"/tasks/show/{ids['inspected_task']}"],
    }


def demo_ids() -> dict:
    from sqlalchemy import select

    from app.extensions import db
    from app.models_direction import Proposal, ReportRequest
    from app.models_inspections import Inspection
    from app.models_intake import IncomingDocument, IncomingMessage
    from app.services import demo_chapters as c

    def inspection(number):
        return db.session.scalar(select(Inspection.id).where(Inspection.number == number))

    def incoming_with(kind):
        return db.session.scalar(select(IncomingMessage.incoming_id).where(IncomingMessage.kind == kind))

    from app.models import Agency, Task, task_coordinating_agency as tca

    stc, snv = (db.session.scalar(select(Agency.id).where(Agency.code == code)) for code in ("STC", "SNV"))
    inspected_task = db.session.scalar(select(Task.id).where(
        Task.lead_agency_id == stc, Task.status != "draft",
        Task.id.notin_(select(tca.c.task_id).where(tca.c.agency_id == snv))).order_by(Task.id).limit(1))
    requests = db.session.scalars(select(ReportRequest.id).order_by(ReportRequest.sent_on)).all()
    return {
        "running": inspection(c.RUNNING), "ended": inspection(c.ENDED), "reported": inspection(c.REPORTED),
        "unsigned": db.session.scalar(select(Inspection.id).where(Inspection.stage == "draft")),
        "updated": incoming_with("update"), "revoked": incoming_with("revoke"),
        "draft_proposal": db.session.scalar(select(Proposal.id).where(Proposal.status == "draft")),
        "submitted_proposal": db.session.scalar(select(Proposal.id).where(Proposal.status == "submitted")),
        "inspected_task": inspected_task, "closed_request": requests[0], "open_request": requests[-1],
        "pending_incoming": db.session.scalar(select(IncomingDocument.id).where(
            IncomingDocument.status == "registered")),
    }


def main() -> int:
    from app import create_app

    app = create_app({"WTF_CSRF_ENABLED": False, "LOGIN_LIMITS_ENABLED": False, "AUTH_RATE_LIMITED": False})
    out: dict = {}
    with app.app_context():
        ids = demo_ids()
    client = app.test_client()
    for login, paths in pages(ids).items():
        client.get("/logout/")
        client.post("/login/", data={"username": login, "password": DEMO_PASSWORD})
        for path in paths:
            answer = client.get(path)
            out[f"{login} {path}"] = {"status": answer.status_code, "text": _text(answer.data)}
    # The Connector: the API only (app.permissions): the status reply of a registered document.
    token = client.post("/api/v1/security/login", json={"username": "vanthu_ketnoi", "password": DEMO_PASSWORD,
                                                        "provider": "db"}).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    answer = client.get(f"/api/v1/intake/{ids['pending_incoming']}/status.edxml", headers=headers)
    out["vanthu_ketnoi status"] = {"status": answer.status_code, "text": answer.data.decode("utf-8", "replace")}
    out["ids"] = ids
    json.dump(out, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
