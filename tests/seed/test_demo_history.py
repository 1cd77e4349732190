"""`flask demo seed` builds a year of plausible history through the services, dated
relative to today, on a fresh SQLite database (its own, so the shared test database
keeps its users): every state, extensions, delay reports, letters, past months'
submitted reports, a published ranking; a second run adds nothing."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
TABLES = ("document", "task", "change_log", "extension_request", "task_update", "feedback", "delay_report",
          "urging_letter", "periodic_report", "evaluation", "notification", "ab_user")


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
    yield engine, first, second, before
    engine.dispose()


def _scalar(engine, sql):
    with engine.connect() as conn:
        return conn.execute(sa.text(sql)).scalar_one()


def test_the_year_is_seeded_in_reasonable_time_and_logins_are_printed(seeded):
    engine, first, _second, _before = seeded
    found = re.search(r"demo history: \d+ documents, (\d+) tasks, \d+ steps \((\d+) refused\) in ([\d.]+) s "
                      r"\(CPU ([\d.]+) s\)", first)
    # The bound is on the seed's own work (SQLite runs in the process): the wall time of a
    # machine shared by many test runs says more about the neighbours than about the seed.
    assert float(found.group(4)) < 60, first
    assert float(found.group(3)) < 600, first
    assert "(0 refused)" in first
    for login in ("admin / Demo@2026", "chuyenvien / Demo@2026", "chutich / Demo@2026", "stc_gd / Demo@2026"):
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
    engine, _first, second, before = seeded
    assert "already there, nothing added" in second
    assert _counts(engine) == before
