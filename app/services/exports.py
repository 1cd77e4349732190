"""Task lists as XLSX, streamed (issue 10: a worker stays small however long the list).

The ids of the list come first (app.services.task_list.task_ids: the same row-level rule,
filters and order as the list), then the rows are read in chunks of EXPORT_CHUNK_ROWS, each
chunk in two set-based statements (the tasks with their document and lead agency; their
coordinating agencies), all in one transaction on one snapshot (PostgreSQL: REPEATABLE READ),
so a task written meanwhile is neither doubled nor dropped: the file is the list of one moment.
The sheet's XML is written row by row into the workbook's temporary file (app.services.xlsx_stream),
and the response is sent from that file; nothing holds the whole list in memory."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Agency, Document, Task, task_coordinating_agency


def export_session(engine):
    """A session on its own connection, in one transaction on one snapshot of the data:
    REPEATABLE READ on PostgreSQL (every statement sees the data as of the first); SQLite
    reads in one deferred transaction of its own connection. Use as a context manager."""
    connection = engine.connect()
    if connection.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    connection.begin()
    return _Snapshot(connection)


class _Snapshot:
    def __init__(self, connection):
        self.connection = connection
        self.session = Session(bind=connection, autoflush=False, expire_on_commit=False)

    def __enter__(self):
        return self.session

    def __exit__(self, *exc):
        self.session.close()
        self.connection.rollback()  # read only: nothing to keep
        self.connection.close()
        return False


def task_rows(session, ids: list[int], chunk: int):
    """(task row, coordinating agency names) for `ids`, in their order, read `chunk` at a
    time: two statements per chunk, whatever the number of rows or agencies. A row deleted
    since the ids were read (only possible outside a snapshot) is left out."""
    tca = task_coordinating_agency
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        found = {row.id: row for row in session.execute(
            select(Task.id, Task.content, Task.deadline, Task.status, Document.number,
                   Document.issued_on, Agency.name.label("lead_name"))
            .join(Document, Document.id == Task.document_id)
            .join(Agency, Agency.id == Task.lead_agency_id)
            .where(Task.id.in_(part)))}
        names = defaultdict(list)
        # Ordered as Task.coordinating_agencies is (by the agency's name).
        for task_id, name in session.execute(
                select(tca.c.task_id, Agency.name).join(Agency, Agency.id == tca.c.agency_id)
                .where(tca.c.task_id.in_(part)).order_by(tca.c.task_id, Agency.name)):
            names[task_id].append(name)
        for task_id in part:
            if task_id in found:
                yield found[task_id], names.get(task_id, ())


def tasks_xlsx(rows, *, labels, badge, more_than: int | None = None):
    """The workbook of `rows` ((task row, coordinating names), task_rows) as an open
    temporary file at its start (deleted when closed). `more_than`: the list holds more
    tasks than the file (the export's limit); a last line says so. Written straight as its
    XML (app.services.xlsx_stream): openpyxl cost a worker ~11 MiB to import and a cell
    object per value (issue 10: a worker's peak ≤ 150 MiB on every page); every text is an
    inline string, never a formula (issue 8, finding 11)."""
    from flask_babel import gettext as _

    from app.services.xlsx_stream import BOLD, workbook

    def fill(sheet):
        sheet.append([_("Row no."), _("Document"), _("Date of issue"), _("Task content"), _("Lead agency"),
                      _("Coordinating agencies"), _("Deadline"), _("Status"), _("Working days")], BOLD)
        for n, (task, coordinating) in enumerate(rows, start=1):
            sheet.append([value if value != "" else None for value in (  # an empty text: no cell
                n, task.number, task.issued_on.strftime("%d/%m/%Y"), task.content,
                task.lead_name, "; ".join(coordinating),
                task.deadline.strftime("%d/%m/%Y"), str(labels.TASK_STATUS.get(task.status, task.status)),
                badge(task),
            )])
        if more_than is not None:
            sheet.append([_(
                "The list holds more than %(n)s tasks: only the first %(n)s are in this file. "
                "Narrow the search to export the rest.", n=f"{more_than:,}".replace(",", "."))])

    return workbook([(_("Tasks"), {"A": 8, "B": 18, "C": 12, "D": 60, "E": 30, "F": 40, "G": 12, "H": 18, "I": 24},
                      fill)])
