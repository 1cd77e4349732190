"""The task tallies (migration 0009): counts the database keeps in the same
transaction as every write to task and task_coordinating_agency, so the
dashboard and the task list's pager add up a few thousand rows instead of
counting a million tasks — and are exact at every moment, whoever wrote
(the app, a job's set-based UPDATE, psql).

Each function takes the viewer's scope (app.access.scope_key): the province
sums the lead ('L') rows of every agency; an agency its own 'L' and 'C' rows
(the tasks it leads or coordinates, each once); no agency, nothing.

SQLite has no tallies (no triggers written for it): available() is False and
the callers count the task table, exactly as before.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, column, false, func, select, table, text

from app.domain.deadlines import OPEN as DEADLINE_OPEN

OPEN = tuple(sorted(s.value for s in DEADLINE_OPEN))
_OPEN_SQL = "(" + ", ".join(f"'{s}'" for s in OPEN) + ")"
STATES = ("in_time", "due_soon", "overdue", "completed_on_time", "completed_late")

# The same SQL as migration 0009 (which keeps its own frozen copy).
REBUILD = f"""
DELETE FROM task_tally;
DELETE FROM task_open_deadline;
DELETE FROM task_month_tally;
WITH seen AS (
    SELECT lead_agency_id AS agency_id, 'L' AS kind, status, deadline, completed_on FROM task
    UNION ALL
    SELECT c.agency_id, 'C', t.status, t.deadline, t.completed_on
    FROM task_coordinating_agency c JOIN task t ON t.id = c.task_id WHERE c.agency_id <> t.lead_agency_id
)
INSERT INTO task_tally (agency_id, kind, status, on_time, n)
SELECT agency_id, kind, status,
       CASE WHEN status = 'completed' AND completed_on <= deadline THEN 1
            WHEN status = 'completed' AND completed_on > deadline THEN 0 ELSE -1 END AS on_time,
       COUNT(*)
FROM seen GROUP BY 1, 2, 3, 4;
WITH seen AS (
    SELECT lead_agency_id AS agency_id, 'L' AS kind, deadline FROM task WHERE status IN {_OPEN_SQL}
    UNION ALL
    SELECT c.agency_id, 'C', t.deadline
    FROM task_coordinating_agency c JOIN task t ON t.id = c.task_id
    WHERE c.agency_id <> t.lead_agency_id AND t.status IN {_OPEN_SQL}
)
INSERT INTO task_open_deadline (grain, day, agency_id, kind, n)
SELECT 'd', deadline, agency_id, kind, COUNT(*) FROM seen GROUP BY 2, 3, 4
UNION ALL
SELECT 'm', date_trunc('month', deadline)::date, agency_id, kind, COUNT(*) FROM seen GROUP BY 2, 3, 4;
WITH seen AS (
    SELECT t.lead_agency_id AS agency_id, 'L' AS kind, t.status, t.deadline, t.completed_on, d.issued_on
    FROM task t JOIN document d ON d.id = t.document_id
    UNION ALL
    SELECT c.agency_id, 'C', t.status, t.deadline, t.completed_on, d.issued_on
    FROM task_coordinating_agency c JOIN task t ON t.id = c.task_id JOIN document d ON d.id = t.document_id
    WHERE c.agency_id <> t.lead_agency_id
)
INSERT INTO task_month_tally (month, agency_id, kind, measure, n)
SELECT reporting_month(issued_on), agency_id, kind, 'new', COUNT(*) FROM seen
WHERE status <> 'withdrawn' GROUP BY 1, 2, 3
UNION ALL
SELECT reporting_month(completed_on), agency_id, kind,
       CASE WHEN completed_on <= deadline THEN 'on_time' ELSE 'late' END, COUNT(*) FROM seen
WHERE status = 'completed' AND completed_on IS NOT NULL GROUP BY 1, 2, 3, 4;
"""


def available(session, scope: tuple = ("all",)) -> bool:
    """Whether the tallies answer for this scope: on PostgreSQL, for the province, one
    agency or nothing. A Working Group member's scope (its agency and those it inspects,
    app.access.scope_key "agencies") overlaps through coordinating agencies, so its
    counts are not a sum of tallies: the caller aggregates the tasks instead."""
    return session.get_bind().dialect.name == "postgresql" and scope[0] in ("all", "agency", "none")


def rebuild(conn) -> None:
    """Recount from scratch, set-based (after a bulk load with the triggers off)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(REBUILD)


def _scope_sql(scope: tuple) -> tuple[str, dict]:
    if scope == ("all",):
        return "kind = 'L'", {}
    if scope[0] == "agency":
        return "agency_id = :scope_agency", {"scope_agency": int(scope[1])}
    if scope == ("none",):
        return "FALSE", {}
    # Never a silent zero: a scope the tallies cannot answer (a Working Group member's several
    # agencies) must be counted from the tasks; available(session, scope) says so first.
    raise ValueError(f"the tallies do not answer for the scope {scope!r}")


def state_counts(session, scope: tuple, today: dt.date, soon: dt.date, *, by_agency: bool = False):
    """The dashboard's five states (app.services.dashboard.state_conditions) for
    a scope; by_agency: {lead agency id: states} for the province ('L' rows)."""
    where, params = _scope_sql(("all",) if by_agency else scope)
    group = "agency_id" if by_agency else "0"
    month = today.replace(day=1)
    params |= dict(today=today, soon=soon, month=month)
    totals = session.execute(text(
        f"SELECT {group} AS g, SUM(n) AS total,"
        " SUM(CASE WHEN status IN :open THEN n ELSE 0 END) AS open,"
        " SUM(CASE WHEN status = 'completed' AND on_time = 1 THEN n ELSE 0 END) AS on_time,"
        " SUM(CASE WHEN status = 'completed' AND on_time = 0 THEN n ELSE 0 END) AS late"
        f" FROM task_tally WHERE {where} GROUP BY 1").bindparams(bindparam("open", expanding=True)),
        params | {"open": list(OPEN)}).all()
    windows = session.execute(text(
        f"SELECT {group} AS g,"
        " SUM(CASE WHEN grain = 'm' AND day < :month THEN n"
        "          WHEN grain = 'd' AND day >= :month AND day < :today THEN n ELSE 0 END) AS overdue,"
        " SUM(CASE WHEN grain = 'd' AND day >= :today AND day <= :soon THEN n ELSE 0 END) AS due_soon"
        f" FROM task_open_deadline WHERE {where}"
        " AND ((grain = 'm' AND day < :month) OR (grain = 'd' AND day >= :month AND day <= :soon))"
        " GROUP BY 1"), params).all()
    window = {row.g: row for row in windows}
    result = {}
    for row in totals:
        if by_agency and not row.total:
            continue  # every task it led has gone: not in the table, as with a fresh GROUP BY
        overdue = int(window[row.g].overdue) if row.g in window else 0
        due_soon = int(window[row.g].due_soon) if row.g in window else 0
        result[row.g] = dict(in_time=int(row.open) - overdue - due_soon, due_soon=due_soon, overdue=overdue,
                             completed_on_time=int(row.on_time), completed_late=int(row.late))
    if by_agency:
        return result
    return result.get(0, dict.fromkeys(STATES, 0))


def task_count(session, scope: tuple, statuses: list[str] | None = None, *, lead_only: bool = False) -> int:
    """How many tasks the scope sees (of these statuses): the pager's total."""
    where, params = _scope_sql(scope)
    if lead_only and scope[0] == "agency":
        where += " AND kind = 'L'"
    stmt = f"SELECT COALESCE(SUM(n), 0) FROM task_tally WHERE {where}"
    if statuses is not None:
        stmt += " AND status IN :statuses"
        params["statuses"] = list(statuses)
        return int(session.scalar(text(stmt).bindparams(bindparam("statuses", expanding=True)), params))
    return int(session.scalar(text(stmt), params))


def month_counts(session, scope: tuple, months: list[dt.date]) -> dict:
    """{(first day of the reporting month, measure): n} — measure new, on_time, late —
    for the dashboard's trend (app.services.dashboard.trend)."""
    where, params = _scope_sql(scope)
    rows = session.execute(text(
        f"SELECT month, measure, SUM(n) AS n FROM task_month_tally WHERE {where}"
        " AND month >= :first AND month <= :last GROUP BY 1, 2"),
        params | {"first": min(months), "last": max(months)}).all()
    return {(row.month, row.measure): int(row.n) for row in rows}


def board(session, scope: tuple, today: dt.date, soon: dt.date, months: list[dt.date], *, by_agency: bool = False):
    """The whole dashboard in one statement (issue 10): the five states (per lead agency
    with its name, for the province: by_agency) and the trend's months — the same numbers
    as state_counts() and month_counts(), which the tests compare with a fresh aggregate.
    Returns (states, {agency id: (name, states)}, {(month, measure): n})."""
    where, params = _scope_sql(("all",) if by_agency else scope)
    group = "agency_id" if by_agency else "0"
    params |= dict(today=today, soon=soon, month=today.replace(day=1), first=min(months), last=max(months),
                   open=list(OPEN))
    rows = session.execute(text(
        "WITH totals AS ("
        f" SELECT {group} AS g, SUM(n) AS total,"
        "  SUM(CASE WHEN status IN :open THEN n ELSE 0 END) AS open,"
        "  SUM(CASE WHEN status = 'completed' AND on_time = 1 THEN n ELSE 0 END) AS on_time,"
        "  SUM(CASE WHEN status = 'completed' AND on_time = 0 THEN n ELSE 0 END) AS late"
        f" FROM task_tally WHERE {where} GROUP BY 1),"
        " windows AS ("
        f" SELECT {group} AS g,"
        "  SUM(CASE WHEN grain = 'm' AND day < :month THEN n"
        "           WHEN grain = 'd' AND day >= :month AND day < :today THEN n ELSE 0 END) AS overdue,"
        "  SUM(CASE WHEN grain = 'd' AND day >= :today AND day <= :soon THEN n ELSE 0 END) AS due_soon"
        f" FROM task_open_deadline WHERE {where}"
        "  AND ((grain = 'm' AND day < :month) OR (grain = 'd' AND day >= :month AND day <= :soon))"
        "  GROUP BY 1)"
        " SELECT 's' AS part, t.g, a.name, t.total, t.open, t.on_time, t.late,"
        "  COALESCE(w.overdue, 0) AS overdue, COALESCE(w.due_soon, 0) AS due_soon,"
        "  CAST(NULL AS date) AS month, CAST(NULL AS text) AS measure"
        " FROM totals t LEFT JOIN windows w ON w.g = t.g"
        + (" LEFT JOIN agency a ON a.id = t.g" if by_agency else " LEFT JOIN agency a ON FALSE") +
        " UNION ALL"
        " SELECT 'm', NULL, NULL, SUM(n), NULL, NULL, NULL, NULL, NULL, month, measure"
        f" FROM task_month_tally WHERE {where} AND month >= :first AND month <= :last GROUP BY month, measure"
    ).bindparams(bindparam("open", expanding=True)), params).all()
    agencies, trend = {}, {}
    for row in rows:
        if row.part == "m":
            trend[(row.month, row.measure)] = int(row.total)
            continue
        overdue, due_soon = int(row.overdue), int(row.due_soon)
        states = dict(in_time=int(row.open) - overdue - due_soon, due_soon=due_soon, overdue=overdue,
                      completed_on_time=int(row.on_time), completed_late=int(row.late))
        agencies[row.g] = (row.name, states, int(row.total))
    if by_agency:  # the province is the sum of its lead agencies' rows
        total = {key: sum(states[key] for _name, states, _n in agencies.values()) for key in STATES}
        # an agency every task of which has gone is not in the table, as with a fresh GROUP BY
        return total, {g: (name, states) for g, (name, states, n) in agencies.items() if n}, trend
    return (agencies[0][1] if 0 in agencies else dict.fromkeys(STATES, 0)), {}, trend


_tally = table("task_tally", column("agency_id"), column("kind"), column("status"), column("n"))


def count_select(scope: tuple, statuses: list[str], *, lead_only: bool = False):
    """task_count() as a scalar SELECT, to be one part of a larger statement (the inbox)."""
    stmt = select(func.coalesce(func.sum(_tally.c.n), 0)).where(_tally.c.status.in_(list(statuses)))
    if scope == ("all",):
        return stmt.where(_tally.c.kind == "L")
    if scope[0] == "agency":
        stmt = stmt.where(_tally.c.agency_id == int(scope[1]))
        return stmt.where(_tally.c.kind == "L") if lead_only else stmt
    if scope == ("none",):
        return stmt.where(false())
    raise ValueError(f"the tallies do not answer for the scope {scope!r}")
