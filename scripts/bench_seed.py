"""Bench data as skewed as a province (issue 10), inserted set-based.

What a real province looks like, and what `make bench` must reproduce so its
figures compare with PERFORMANCE.md:
- 120 agencies (the 83 of the seed plus bench agencies), one document per 5 tasks;
- the busiest agency leads or coordinates about 23% of all tasks (it leads ~12%
  and coordinates ~12% of the others); the rest follow a Zipf-like curve;
- 0–3 coordinating agencies per task (1.15 on average);
- of the open tasks (sent, not closed) about 57% are overdue: the worst case of
  the dashboard and of the deadline sweep.

Rows are generated in Python (deterministic: one seed) and sent with COPY on
PostgreSQL, multi-row INSERTs elsewhere. On PostgreSQL the row triggers (the
dashboard's tallies, migration 0009) are switched off for the load with
session_replication_role and the tallies rebuilt once, set-based, afterwards;
the data version is bumped once.
"""
from __future__ import annotations

import datetime as dt
import io
import random

TOTAL_AGENCIES = 120
TASKS_PER_DOCUMENT = 5
BUSIEST_LEADS = 0.12
BUSIEST_COORDINATES = 0.125  # of the tasks it does not lead
COORDINATORS = (0, 0, 0, 1, 1, 1, 1, 2, 2, 3)  # 0–3, mean 1.3 before dropping the lead: ~1.15 kept
STATUSES = (  # (status, weight): half completed, ~43% open
    ("draft", 3), ("assigned", 10), ("in_progress", 24), ("returned", 3), ("reported", 6),
    ("completed", 50), ("withdrawn", 4),
)
OPEN = {"assigned", "in_progress", "returned", "reported"}
OVERDUE_SHARE = 0.57
FIRST_DAY = dt.date(2017, 1, 2)


def ensure_agencies(db, Agency) -> list[int]:
    """The seed's agencies plus bench agencies up to TOTAL_AGENCIES; ids, busiest first
    (the Department of Finance, STC, when present: the one the bench user heads)."""
    from sqlalchemy import select

    existing = db.session.scalars(select(Agency).where(Agency.active.is_(True)).order_by(Agency.id)).all()
    for n in range(len(existing) + 1, TOTAL_AGENCIES + 1):
        code = f"BENCH{n:03d}"
        if db.session.scalar(select(Agency.id).where(Agency.code == code)) is None:
            db.session.add(Agency(code=code, name=f"Đơn vị thử nghiệm {n}", short_name=f"ĐV thử {n}",
                                  kind="other", active=True))
    db.session.commit()
    agencies = db.session.scalars(select(Agency).where(Agency.active.is_(True)).order_by(Agency.id)).all()
    ids = [a.id for a in agencies]
    first = next((a.id for a in agencies if a.code == "STC"), ids[0])
    ids.remove(first)
    return [first] + ids


def generate(n: int, first_task: int, first_doc: int, agencies: list[int], today: dt.date, officer, seed=26):
    """(documents, tasks, links) as tuples, in column order."""
    rng = random.Random(seed + first_task)
    busiest, others = agencies[0], agencies[1:]
    weights = [1 / (rank + 3) ** 0.8 for rank in range(len(others))]  # Zipf-like tail
    statuses = [s for s, w in STATUSES for _ in range(w)]
    created = dt.datetime.combine(today, dt.time(8, 0))
    span = (today - FIRST_DAY).days
    documents, tasks, links = [], [], []
    n_docs = (n + TASKS_PER_DOCUMENT - 1) // TASKS_PER_DOCUMENT
    for d in range(n_docs):
        doc_id = first_doc + d
        rows = []
        for k in range(d * TASKS_PER_DOCUMENT, min(n, (d + 1) * TASKS_PER_DOCUMENT)):
            task_id = first_task + k
            status = rng.choice(statuses)
            completed_on = submitted = None
            if status in OPEN:
                if rng.random() < OVERDUE_SHARE:
                    deadline = today - dt.timedelta(days=rng.randrange(1, 730))
                else:
                    deadline = today + dt.timedelta(days=rng.randrange(0, 240))
            elif status == "completed":
                deadline = today - dt.timedelta(days=rng.randrange(1, span))
                late = rng.random() < 0.25
                completed_on = deadline + dt.timedelta(days=rng.randrange(1, 60) if late else -rng.randrange(0, 30))
                completed_on = min(completed_on, today)
                submitted = dt.datetime.combine(completed_on, dt.time(9, 0))
            else:
                deadline = today + dt.timedelta(days=rng.randrange(-span, 240))
            lead = busiest if rng.random() < BUSIEST_LEADS else rng.choices(others, weights)[0]
            coordinators = set()
            if lead != busiest and rng.random() < BUSIEST_COORDINATES:
                coordinators.add(busiest)
            for _ in range(rng.choice(COORDINATORS)):
                coordinators.add(rng.choices(others, weights)[0])
            coordinators.discard(lead)
            links += [(task_id, a, deadline) for a in sorted(coordinators)]  # the task's deadline (migration 0038)
            rows.append((task_id, doc_id, f"Nhiệm vụ thử nghiệm số {task_id}", lead, officer, deadline,
                         status, None if status == "draft" else created, submitted, completed_on, created, 1))
        issued = min(r[5] for r in rows) - dt.timedelta(days=rng.randrange(5, 90))
        issued = max(FIRST_DAY, min(issued, today))
        documents.append((doc_id, "official_letter", f"{doc_id}/UBND-BENCH", f"Văn bản chỉ đạo số {doc_id}",
                          issued, "Bench", "committee", "normal",
                          ("work_program", "meeting_conclusion", "ad_hoc")[d % 3],
                          issued + dt.timedelta(days=1), created, 1))
        tasks += rows
    return documents, tasks, links


DOCUMENT_COLUMNS = ("id", "doc_type", "number", "summary", "issued_on", "signer", "issuer", "urgency", "source",
                    "entry_due_on", "created_on", "version")
TASK_COLUMNS = ("id", "document_id", "content", "lead_agency_id", "tracking_officer_id", "deadline", "status",
                "sent_at", "result_submitted_at", "completed_on", "created_on", "version")
# deadline: the task's, which the triggers off for the load (session_replication_role) would have copied.
LINK_COLUMNS = ("task_id", "agency_id", "deadline")


def _copy(cursor, table, columns, rows):
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _insert(conn, table, columns, rows, batch=500):
    marks = "(" + ", ".join("?" for _ in columns) + ")"
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                             + ", ".join(marks for _ in chunk), tuple(v for row in chunk for v in row))


def seed_tasks(n: int, *, chunk: int = 100_000) -> dict:
    """Add n skewed tasks (and their documents, coordinating rows) to the database."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Agency, AppUser, Document, Task
    from app.services.calendar import today as calendar_today

    agencies = ensure_agencies(db, Agency)
    officer = db.session.scalar(select(AppUser.id).where(AppUser.username == "chuyenvien"))
    first_doc = (db.session.scalar(select(func.max(Document.id))) or 0) + 1
    first_task = (db.session.scalar(select(func.max(Task.id))) or 0) + 1
    today = calendar_today()
    db.session.commit()
    postgres = db.engine.dialect.name == "postgresql"
    added = dict(documents=0, tasks=0, links=0)
    with db.engine.begin() as conn:
        if postgres:
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")  # no row triggers, no FK checks
        for offset in range(0, n, chunk):  # bounded memory: chunk tasks at a time
            size = min(chunk, n - offset)
            documents, tasks, links = generate(size, first_task + offset, first_doc + offset // TASKS_PER_DOCUMENT,
                                               agencies, today, officer)
            if postgres:
                cursor = conn.connection.dbapi_connection.cursor()
                _copy(cursor, "document", DOCUMENT_COLUMNS, documents)
                _copy(cursor, "task", TASK_COLUMNS, tasks)
                _copy(cursor, "task_coordinating_agency", LINK_COLUMNS, links)
            else:
                _insert(conn, "document", DOCUMENT_COLUMNS, documents)
                _insert(conn, "task", TASK_COLUMNS, tasks)
                _insert(conn, "task_coordinating_agency", LINK_COLUMNS, links)
            added["documents"] += len(documents)
            added["tasks"] += len(tasks)
            added["links"] += len(links)
            print(f"  … {offset + size:,} tasks", flush=True)
        if postgres:
            conn.exec_driver_sql("SET LOCAL session_replication_role = origin")
            conn.exec_driver_sql("UPDATE data_version SET version = version + 1 WHERE name = 'task'")
            for table in ("document", "task"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
        try:  # the dashboard's tallies (migration 0009), when the schema has them
            from app.services.task_tally import rebuild
        except ImportError:
            rebuild = None
        if rebuild is not None:
            rebuild(conn)
    return added


def describe(conn) -> dict:
    """The skew actually seeded, to print beside the issue's targets."""
    total = conn.exec_driver_sql("SELECT COUNT(*) FROM task").scalar() or 0
    busiest = conn.exec_driver_sql(
        "SELECT COUNT(*) FROM (SELECT lead_agency_id AS a, id FROM task UNION"
        " SELECT agency_id, task_id FROM task_coordinating_agency) s GROUP BY a ORDER BY 1 DESC LIMIT 1").scalar() or 0
    open_, overdue = conn.exec_driver_sql(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN deadline < CURRENT_DATE THEN 1 ELSE 0 END), 0) FROM task"
        " WHERE status IN ('assigned', 'in_progress', 'returned', 'reported')").one()
    per_task = conn.exec_driver_sql(
        "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM task_coordinating_agency GROUP BY task_id) s").scalar() or 0
    return dict(tasks=total, busiest=busiest, busiest_share=busiest / total if total else 0,
                open=open_, overdue_share=overdue / open_ if open_ else 0, max_coordinating=per_task)


if __name__ == "__main__":  # a quick look at the distribution, no database
    docs, ts, ls = generate(20_000, 1, 1, list(range(1, 121)), dt.date.today(), None)
    seen = sum(1 for t in ts if t[3] == 1) + sum(1 for link in ls if link[1] == 1)
    opened = [t for t in ts if t[6] in OPEN]
    print(len(docs), len(ts), len(ls) / len(ts), seen / len(ts),
          sum(1 for t in opened if t[5] < dt.date.today()) / len(opened))
