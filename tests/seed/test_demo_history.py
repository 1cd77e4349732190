"""`flask demo seed` builds a year of plausible history through the services, dated
relative to today, on a fresh SQLite database (its own, so the shared test database
keeps its users): every state, extensions, delay reports, letters, past months'
submitted reports, a published ranking; the three newest chapters (inspections, incoming
documents, direction) alive today, checked by signing in as each demo login; a second run adds
nothing."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
TABLES = ("document", "task", "change_log", "extension_request", "task_update", "feedback", "delay_report",
          "urging_letter", "periodic_report", "evaluation", "notification", "ab_user",
          # the chapters: inspections, incoming documents, direction
          "inspection_plan", "inspection_plan_item", "inspection", "inspection_member", "inspection_agency",
          "inspection_step", "inspection_finding", "inspection_agency_report", "incoming_document",
          "incoming_message", "report_request", "report_answer", "task_issue", "proposal", "proposal_task")


def _flask(env, *args) -> str:
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "run", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in TABLES}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'demo.db'}", "APP_ENV": "development",
           "REDIS_URL": "", "INSTANCE_DIR": str(folder), "SECRET_KEY": "demo-test", "JWT_SECRET_KEY": "demo-test"}
    for command in (("db", "upgrade"), ("roles", "sync"), ("agencies", "seed")):
        _flask(env, *command)
    first = _flask(env, "demo", "seed")
    engine = sa.create_engine(env["DATABASE_URL"])
    before = _counts(engine)
    second = _flask(env, "demo", "seed")
    done = subprocess.run([sys.executable, "-m", "tests.seed.demo_pages"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    pages = json.loads(done.stdout)
    yield engine, first, second, before, pages
    engine.dispose()


def _scalar(engine, sql):
    with engine.connect() as conn:
        return conn.execute(sa.text(sql)).scalar_one()


def test_the_year_is_seeded_in_reasonable_time_and_logins_are_printed(seeded):
    engine, first, _second, _before, _pages = seeded
    found = re.search(r"demo history: \d+ documents, (\d+) tasks, \d+ steps \((\d+) refused\) in ([\d.]+) s "
                      r"\(CPU ([\d.]+) s\)", first)
    # The bound is on the seed's own work (SQLite runs in the process): the wall time of a
    # machine shared by many test runs says more about the neighbours than about the seed.
    assert float(found.group(4)) < 60, first
    assert float(found.group(3)) < 600, first
    assert "(0 refused)" in first
    for login in ("admin / Demo@2026", "chuyenvien / Demo@2026", "chutich / Demo@2026", "stc_gd / Demo@2026",
                  "totcongtac / Demo@2026", "vanthu_ketnoi / Demo@2026"):
        assert login in first
    assert "sxd_gd" in first  # the other agencies' heads are named


def test_every_state_and_every_kind_of_record_is_there(seeded):
    engine, *_ = seeded
    with engine.connect() as conn:
        states = dict(conn.execute(sa.text("SELECT status, COUNT(*) FROM task GROUP BY status")).all())
    for status in ("draft", "assigned", "in_progress", "returned", "reported", "completed", "withdrawn"):
        assert states.get(status, 0) > 0, states
    assert sum(states.values()) >= 200
    overdue = _scalar(engine, "SELECT COUNT(*) FROM task WHERE status IN ('assigned', 'in_progress', 'returned') "
                              "AND deadline < date('now', '+7 hours')")
    assert overdue > 0
    assert _scalar(engine, "SELECT COUNT(*) FROM extension_request WHERE status = 'approved'") > 0
    assert _scalar(engine, "SELECT COUNT(*) FROM extension_request WHERE status = 'pending'") >= 0
    assert _scalar(engine, "SELECT COUNT(*) FROM delay_report") > 0
    assert _scalar(engine, "SELECT COUNT(*) FROM urging_letter WHERE status = 'issued'") > 0
    # Most departments and a sample of communes lead tasks.
    assert _scalar(engine, "SELECT COUNT(DISTINCT lead_agency_id) FROM task") >= 20
    # Realistic document numbers (123/TB-UBND, 4521/UBND-KT…), spread over about a year.
    numbers = [r[0] for r in engine.connect().execute(sa.text("SELECT number FROM document"))]
    assert all(re.fullmatch(r"\d+/[A-ZĐ]+(-[A-ZĐ]+)?", n) for n in numbers), numbers[:5]
    span = _scalar(engine, "SELECT julianday(MAX(issued_on)) - julianday(MIN(issued_on)) FROM document")
    assert span > 300


def test_past_months_have_submitted_reports_and_a_published_ranking(seeded):
    engine, *_ = seeded
    months = _scalar(engine, "SELECT COUNT(DISTINCT period_key) FROM periodic_report "
                             "WHERE status = 'submitted' AND agency_id IS NOT NULL AND kind = 'monthly'")
    assert months >= 3
    assert _scalar(engine, "SELECT COUNT(*) FROM periodic_report WHERE status = 'submitted' "
                           "AND agency_id IS NULL") >= 3
    assert _scalar(engine, "SELECT COUNT(DISTINCT period_key) FROM evaluation") >= 3
    assert _scalar(engine, "SELECT COUNT(*) FROM evaluation WHERE rank = 1") >= 3
    # The history is real: every task has its entry, and the sent ones their sending.
    assert _scalar(engine, "SELECT COUNT(*) FROM task t WHERE NOT EXISTS (SELECT 1 FROM change_log c "
                           "WHERE c.entity = 'task' AND c.entity_id = t.id AND c.action = 'create')") == 0
    assert _scalar(engine, "SELECT COUNT(*) FROM task t WHERE t.sent_at IS NOT NULL AND NOT EXISTS ("
                           "SELECT 1 FROM change_log c WHERE c.entity = 'task' AND c.entity_id = t.id "
                           "AND c.action = 'send')") == 0
    # Seeded history is not news: nothing is left to mail.
    assert _scalar(engine, "SELECT COUNT(*) FROM notification WHERE mailed_at IS NULL") == 0


def test_a_second_run_adds_nothing(seeded):
    engine, _first, second, before, _pages = seeded
    assert "already there, nothing added" in second
    assert _counts(engine) == before


# -- the three newest chapters ---------------------------------------------------------------------

def _rows(engine, sql):
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql))]


def test_inspections_one_running_one_ended_with_its_report_due_one_reported(seeded):
    engine, *_ = seeded
    from app.services import demo_chapters as c

    today = "date('now', '+7 hours')"
    assert _scalar(engine, "SELECT stage FROM inspection_plan") == "approved"
    assert _scalar(engine, "SELECT COUNT(*) FROM inspection_plan_item WHERE inspection_id IS NOT NULL") >= 3
    stage = dict(_rows(engine, "SELECT number, stage FROM inspection WHERE number IS NOT NULL"))
    assert stage == {c.REPORTED: "reported", c.ENDED: "issued", c.RUNNING: "issued"}
    assert _scalar(engine, f"SELECT COUNT(*) FROM inspection WHERE number = '{c.RUNNING}' "
                           f"AND start_on <= {today} AND end_on >= {today}") == 1
    # Ended, its result report due within a few working days (Art. 17.2).
    assert _scalar(engine, f"SELECT COUNT(*) FROM inspection WHERE number = '{c.ENDED}' AND end_on < {today} "
                           f"AND report_due_on >= {today} AND julianday(report_due_on) - julianday({today}) <= 9") == 1
    assert _scalar(engine, "SELECT COUNT(*) FROM inspection WHERE stage = 'draft' AND submitted_at IS NOT NULL") == 1
    assert _scalar(engine, "SELECT COUNT(*) FROM inspection_finding") >= 4
    assert _scalar(engine, "SELECT COUNT(*) FROM inspection_agency_report WHERE status = 'submitted'") >= 3
    assert _scalar(engine, "SELECT COUNT(*) FROM inspection_step WHERE kind = 'request'") >= 4
    # Through the services: each decision's history is there.
    assert _scalar(engine, "SELECT COUNT(*) FROM change_log WHERE entity = 'inspection' "
                           "AND action = 'inspection_issued'") == 3


def test_incoming_documents_waiting_registered_dismissed_and_later_messages_to_confirm(seeded):
    engine, *_ = seeded
    states = dict(_rows(engine, "SELECT status, COUNT(*) FROM incoming_document GROUP BY status"))
    assert states.get("pending", 0) >= 3 and states.get("registered", 0) >= 2 and states.get("dismissed") == 1
    assert sorted(_rows(engine, "SELECT kind, status FROM incoming_message")) == [
        ("revoke", "pending"), ("update", "pending")]
    # Registered into tasks that were sent, and live on (received, reported…).
    assert _scalar(engine, "SELECT COUNT(*) FROM task t JOIN incoming_document i ON i.document_id = t.document_id "
                           "WHERE t.sent_at IS NOT NULL") >= 3


def test_direction_requests_difficulties_and_proposals_at_each_stage(seeded):
    engine, *_ = seeded
    today = "date('now', '+7 hours')"
    assert _scalar(engine, f"SELECT COUNT(*) FROM report_request WHERE due_on < {today}") >= 2
    assert _scalar(engine, f"SELECT COUNT(*) FROM report_request WHERE due_on >= {today}") >= 1
    answers = _rows(engine, "SELECT a.status, a.late, a.due_on < date('now', '+7 hours') FROM report_answer a")
    assert ("submitted", 0, 1) in answers and ("submitted", 1, 1) in answers  # on time, late
    assert ("pending", 0, 1) in answers or ("pending", None, 1) in answers  # missing
    assert any(status == "draft" for status, *_ in answers)
    issues = set(_rows(engine, "SELECT kind, status FROM task_issue"))
    assert {("difficulty", "open"), ("difficulty", "answered"), ("difficulty", "proposed")} <= issues
    assert ("disagreement", "proposed") in issues
    assert {s for (s,) in _rows(engine, "SELECT status FROM proposal")} == {"draft", "submitted", "decided"}
    assert _scalar(engine, "SELECT COUNT(*) FROM proposal_task WHERE decision = 'extend'") >= 1
    assert _scalar(engine, "SELECT COUNT(*) FROM notification WHERE kind = 'ladder_reminder'") >= 1


def _page(pages, key, *expected):
    page = pages[key]
    assert page["status"] == 200, (key, page["status"])
    for text in expected:
        assert text in page["text"], (key, text, page["text"][:3000])
    return page["text"]


def test_each_demo_login_finds_the_chapters_alive(seeded):
    *_, pages = seeded
    from app.services import demo_chapters as c

    ids = pages["ids"]
    # The Office officer: every inspection, the ended one's report due, incoming documents waiting
    # (an update and a revocation to confirm), proposals, report requests, difficulties.
    _page(pages, "chuyenvien /inspections/", c.RUNNING, c.ENDED, c.REPORTED, "Đang kiểm tra",
          "Đã kết thúc, chờ báo cáo kết quả", "Đã báo cáo kết quả")
    _page(pages, "chuyenvien /incoming/list/", "9077/VPCP-NN", "Chờ nhập", "Đã nhập", "Không nhập")
    _page(pages, f"chuyenvien /incoming/show/{ids['updated']}", "Chờ Văn phòng xác nhận", "Xác nhận và áp dụng")
    _page(pages, f"chuyenvien /incoming/show/{ids['revoked']}", "Thu hồi", "Chờ Văn phòng xác nhận")
    _page(pages, "chuyenvien /report-requests/", "Báo cáo kết quả triển khai kế hoạch chuyển đổi số năm",
          "Báo cáo tiến độ giải ngân vốn đầu tư công")
    _page(pages, "chuyenvien /difficulties/", "Kinh phí bồi thường")
    # The Office leader: a draft to approve; the Chairman: one in his queue and a decision to sign.
    _page(pages, "lanhdaovp /proposals/", f"#{ids['draft_proposal']}", "Dự thảo, tại Văn phòng")
    _page(pages, "chutich /proposals/", f"#{ids['submitted_proposal']}")
    _page(pages, f"chutich /inspections/show/{ids['unsigned']}", "Dự thảo quyết định")
    # The inspected agency (head and staff), the commune chair.
    _page(pages, f"stc_gd /inspections/show/{ids['running']}", c.RUNNING, "Đang kiểm tra")
    _page(pages, "stc_gd /report-requests/", "Báo cáo kết quả triển khai kế hoạch chuyển đổi số năm")
    _page(pages, f"stc_cv /inspections/show/{ids['running']}", c.RUNNING)
    _page(pages, "nhatrang_ct /inspections/", c.RUNNING)
    _page(pages, "nhatrang_ct /difficulties/", "Kinh phí bồi thường")
    _page(pages, "nhatrang_ct /report-requests/", "Chưa trả lời")
    _page(pages, f"snv_gd /inspections/show/{ids['reported']}", c.REPORTED, "Đã báo cáo kết quả")
    # The Working Group member sees the inspected agency's task (SPEC §4.8); another agency does not.
    _page(pages, "totcongtac /inspections/", c.RUNNING, c.ENDED)
    _page(pages, f"totcongtac /tasks/show/{ids['inspected_task']}")
    assert pages[f"snv_gd /tasks/show/{ids['inspected_task']}"]["status"] == 404
    # The Connector: the status reply of a registered document (tasks sent: 04).
    status = pages["vanthu_ketnoi status"]
    assert status["status"] == 200 and "<edXML:StatusCode>04</edXML:StatusCode>" in status["text"]
