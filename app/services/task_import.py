"""Many tasks of one document from a spreadsheet (issue 12): a year's work programme or a
meeting's conclusions come as dozens of tasks. The same rules as the entry screen (Art. 4,
7.2, 9; app.services.register), checked for every row before anything is saved: the
preview lists each row's problems (row, column, Vietnamese message); nothing is created
until the whole file is valid, then one transaction creates every task (and, if asked,
sends them: Art. 6). Set-based: agencies, officers and the calendar are read once, the
rows are inserted together, the notifications in one statement.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field

from flask_appbuilder.security.sqla.models import Role as FabRole
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String, cast, func, literal, select, union

from app.access import Viewer
from app.domain.dates import in_range
from app.domain.text import TEXT_MAX, unstorable
from app.domain.vocabulary import TaskStatus
from app.extensions import db
from app.models import Agency, AppUser, Document, Task, local_now, task_coordinating_agency
from app.services.calendar import current_calendar, today
from app.services.errors import Invalid, NotFound


class ImportRefused(Invalid):
    """422 with every problem of the file: {message, errors: [{row, column, message}]}."""

    def __init__(self, message, problems):
        super().__init__(message)
        self.problems = problems

    def as_json(self) -> dict:
        return {"message": str(self.message), "errors": [p.as_json() for p in self.problems]}
from app.services.register import TRACKING_ROLES, require_office_editor

MAX_ROWS = 5000
SHEET = "Nhiệm vụ"
LISTS = "Danh mục"
# Column keys and their Vietnamese headers (as the template writes them and the preview names them).
COLUMNS = (
    ("content", "Nội dung nhiệm vụ"),
    ("lead", "Cơ quan chủ trì"),
    ("coordinating", "Cơ quan phối hợp (cách nhau bởi dấu ;)"),
    ("deadline", "Thời hạn (dd/mm/yyyy)"),
    ("officer", "Công chức theo dõi"),
    ("notes", "Ghi chú"),
)
# Creating the document from the first row (Nhập văn bản và nhiệm vụ từ Excel): its columns,
# read on the first task row only. Choices as the Vietnamese labels or the identifiers.
DOCUMENT_COLUMNS = (
    ("number", "Số, ký hiệu văn bản"),
    ("issued_on", "Ngày ban hành (dd/mm/yyyy)"),
    ("doc_type", "Loại văn bản"),
    ("summary", "Trích yếu"),
    ("signer", "Người ký"),
    ("issuer", "Cơ quan ban hành"),
    ("issuer_name", "Tên cơ quan cấp trên"),
    ("received_on", "Ngày nhận văn bản cấp trên (dd/mm/yyyy)"),
    ("urgency", "Độ khẩn"),
    ("source", "Nguồn giao"),
)
DOCUMENT_HEADERS = {key: header for key, header in DOCUMENT_COLUMNS}
CHOICE_COLUMNS = ("doc_type", "issuer", "urgency", "source")  # the document columns offered as lists
HEADERS = {key: header for key, header in COLUMNS}
LETTERS = {key: "ABCDEF"[n] for n, (key, _) in enumerate(COLUMNS)}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Problem:
    row: int
    column: str  # the column's header
    message: str
    warning: bool = False

    def as_json(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message,
                **({"warning": True} if self.warning else {})}


@dataclass
class Row:
    number: int  # the spreadsheet's row number, as the user sees it
    content: str = ""
    lead: str = ""
    coordinating: str = ""
    deadline_text: str = ""
    officer: str = ""
    notes: str = ""
    lead_agency_id: int | None = None
    coordinating_ids: list[int] = field(default_factory=list)
    deadline: dt.date | None = None
    officer_id: int | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self):
        return [p for p in self.problems if not p.warning]


@dataclass
class Preview:
    rows: list[Row]
    file_problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return self.file_problems + [p for r in self.rows for p in r.errors]

    @property
    def warnings(self) -> list[Problem]:
        return [p for r in self.rows for p in r.problems if p.warning]

    @property
    def valid(self) -> bool:
        return bool(self.rows) and not self.errors


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def _officer_label(user: AppUser) -> str:
    return f"{user.get_full_name()} ({user.username})"


def _officers() -> list[AppUser]:
    return db.session.scalars(
        select(AppUser).join(AppUser.roles).where(AppUser.active.is_(True), FabRole.name.in_(TRACKING_ROLES))
        .order_by(AppUser.last_name, AppUser.first_name).distinct()).all()


def _agencies() -> list[Agency]:
    return db.session.scalars(select(Agency).where(Agency.active.is_(True)).order_by(Agency.name)).all()


# ----------------------------------------------------------------- the template

def _choices() -> dict[str, dict[str, str]]:
    """The document columns' choices: Vietnamese label → identifier."""
    from flask_babel import force_locale

    from app import labels

    with force_locale("vi"):
        return {name: {str(label): key for key, label in table.items()} for name, table in (
            ("doc_type", labels.DOC_TYPE), ("issuer", labels.ISSUER), ("urgency", labels.URGENCY),
            ("source", labels.SOURCE))}


def template_xlsx(with_document: bool = False) -> bytes:
    """The workbook to fill in: Vietnamese headers; drop-down lists of the active agencies'
    names and the tracking officers on a hidden sheet (the coordinating column accepts
    several names separated by ";", so its list only suggests). With the document's columns
    (filled on the first row) when the document is created from the file. Read here, built
    by openpyxl in a process of its own (app.services.import_template, app.render.apart):
    its import and workbook grew a web worker past 150 MiB for good (issue 10)."""
    from app.render.apart import render_apart

    payload = dict(sheet=SHEET, lists=LISTS, max_rows=MAX_ROWS, headers=[header for _, header in COLUMNS],
                   agencies=[(a.name, a.code) for a in _agencies()],
                   officers=[_officer_label(user) for user in _officers()], document=None)
    if with_document:
        payload["document"] = dict(headers=[header for _, header in DOCUMENT_COLUMNS],
                                   keys=[key for key, _ in DOCUMENT_COLUMNS],
                                   names={name: str(DOCUMENT_HEADERS[name]) for name in CHOICE_COLUMNS},
                                   choices={name: list(labels) for name, labels in _choices().items()})
    return render_apart("import_template", payload)


# ----------------------------------------------------------------- reading and checking

_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_rows(data: bytes, document_values: dict | None = None) -> tuple[list[Row], list[Problem]]:
    """The task rows; `document_values` (if given) receives the document columns of the first."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, TypeError, Exception):  # noqa: BLE001
        return [], [Problem(0, "", str(_l("The file is not an Excel workbook (.xlsx): download the template "
                                           "and fill it in.")))]
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    rows, problems = [], []
    positions: dict[str, int] = {}
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number == 1:
            # Columns are found by their headers, so a file whose columns were moved still reads.
            found = {_fold(_cell_text(v)): i for i, v in enumerate(cells) if _cell_text(v)}
            for key, header in COLUMNS:
                if _fold(header) in found:
                    positions[key] = found[_fold(header)]
                else:  # the header without its explanation in brackets
                    short = _fold(header.split(" (")[0])
                    match = next((i for name, i in found.items() if name.split(" (")[0] == short), None)
                    if match is not None:
                        positions[key] = match
            for key, header in DOCUMENT_COLUMNS:
                short = _fold(header.split(" (")[0])
                match = next((i for name, i in found.items() if name.split(" (")[0] == short), None)
                if match is not None:
                    positions["doc:" + key] = match
            missing = [HEADERS[k] for k in ("content", "lead", "deadline") if k not in positions]
            if missing:
                problems.append(Problem(1, missing[0], str(_l(
                    "The first row must be the template's headers (“%(header)s” …): download the template.",
                    header=missing[0]))))
                break
            continue
        values = [cells[positions[key]] if key in positions and positions[key] < len(cells) else None
                  for key, _ in COLUMNS]
        if all(v is None or _cell_text(v) == "" for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            problems.append(Problem(number, "", str(_l("At most %(n)s tasks per file.", n=MAX_ROWS))))
            break
        if document_values is not None and not rows:
            for key, _header in DOCUMENT_COLUMNS:
                at = positions.get("doc:" + key)
                document_values[key] = cells[at] if at is not None and at < len(cells) else None
        row = Row(number=number, content=_cell_text(values[0]), lead=_cell_text(values[1]),
                  coordinating=_cell_text(values[2]), officer=_cell_text(values[4]), notes=_cell_text(values[5]))
        deadline = values[3]
        if isinstance(deadline, dt.datetime):
            row.deadline, row.deadline_text = deadline.date(), deadline.strftime("%d/%m/%Y")
        elif isinstance(deadline, dt.date):
            row.deadline, row.deadline_text = deadline, deadline.strftime("%d/%m/%Y")
        else:
            row.deadline_text = _cell_text(deadline)
        rows.append(row)
    book.close()
    return rows, problems


def _agency_index() -> dict[str, int]:
    """Agencies by name, short name and code (case and spacing ignored)."""
    index: dict[str, int] = {}
    for agency in _agencies():
        for key in (agency.code, agency.short_name, agency.name):
            if key:
                index.setdefault(_fold(key), agency.id)
    return index


def _officer_index() -> dict[str, int]:
    index: dict[str, int] = {}
    names: dict[str, list[int]] = {}
    for user in _officers():
        index[_fold(_officer_label(user))] = user.id
        index[_fold(user.username)] = user.id
        names.setdefault(_fold(user.get_full_name()), []).append(user.id)
    for name, ids in names.items():
        if len(ids) == 1:  # a full name alone only when it is unambiguous
            index.setdefault(name, ids[0])
    return index


def check(document: Document | None, data: bytes, *, issued_on: dt.date | None = None,
          document_values: dict | None = None) -> Preview:
    issued_on = document.issued_on if document is not None else issued_on
    rows, file_problems = _read_rows(data, document_values)
    if not rows and not file_problems:
        file_problems.append(Problem(0, "", str(_l("The file has no task: fill in the rows under the headers."))))
    agencies, officers, calendar = _agency_index(), _officer_index(), current_calendar()
    h = HEADERS
    for row in rows:
        add = row.problems.append
        n = row.number
        for key, text in (("content", row.content), ("notes", row.notes)):
            if unstorable(text):
                add(Problem(n, h[key], str(_l("It contains a character that cannot be stored; remove it."))))
            elif len(text) > TEXT_MAX:
                add(Problem(n, h[key], str(_l("Too long: at most %(max)s characters, it has %(n)s.",
                                               max=TEXT_MAX, n=len(text)))))
        if not row.content:
            add(Problem(n, h["content"], str(_l("The content of the task is required."))))
        if not row.lead:
            add(Problem(n, h["lead"], str(_l("Choose the lead agency."))))
        else:
            row.lead_agency_id = agencies.get(_fold(row.lead))
            if row.lead_agency_id is None:
                add(Problem(n, h["lead"], str(_l("Unknown agency “%(name)s”: choose it from the list.",
                                                 name=row.lead[:120]))))
        for name in (part.strip() for part in re.split(r"[;\n]", row.coordinating)):
            if not name:
                continue
            agency_id = agencies.get(_fold(name))
            if agency_id is None:
                add(Problem(n, h["coordinating"], str(_l("Unknown agency “%(name)s”: choose it from the list.",
                                                         name=name[:120]))))
            elif agency_id == row.lead_agency_id:
                add(Problem(n, h["coordinating"], str(_l(
                    "The lead agency cannot also be a coordinating agency."))))
            elif agency_id not in row.coordinating_ids:
                row.coordinating_ids.append(agency_id)
        if row.deadline is None and row.deadline_text:
            match = _DATE.match(row.deadline_text)
            try:
                row.deadline = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1))) if match else None
            except ValueError:
                row.deadline = None
            if row.deadline is None:
                add(Problem(n, h["deadline"], str(_l("“%(value)s” is not a date: write it dd/mm/yyyy.",
                                                     value=row.deadline_text[:40]))))
        if row.deadline is None and not row.deadline_text:
            add(Problem(n, h["deadline"], str(_l(
                "No deadline. Under Art. 7.2 and Art. 9 of the Regulation, a task without a specific "
                "completion deadline is not tracked in the system: the agency reports on it in its "
                "periodic reports."))))
        elif row.deadline is not None:
            if not in_range(row.deadline):
                add(Problem(n, h["deadline"], str(_l("%(date)s is outside 2000–2100.",
                                                     date=row.deadline.strftime("%d/%m/%Y")))))
                row.deadline = None
            elif issued_on is not None and row.deadline < issued_on:
                add(Problem(n, h["deadline"], str(_l("The deadline is before the document's date of issue."))))
            elif not calendar.is_working_day(row.deadline):
                add(Problem(n, h["deadline"], str(_l("%(date)s is not a working day (check the date).",
                                                     date=row.deadline.strftime("%d/%m/%Y"))), warning=True))
        if row.officer:
            row.officer_id = officers.get(_fold(row.officer))
            if row.officer_id is None:
                add(Problem(n, h["officer"], str(_l(
                    "“%(name)s” is not an active Office official: choose one from the list.", name=row.officer[:120]))))
    return Preview(rows, file_problems)


# ----------------------------------------------------------------- importing

def _document(document_id) -> Document:
    try:
        document = db.session.get(Document, int(document_id))
    except (TypeError, ValueError, OverflowError):
        document = None
    if document is None:
        raise NotFound(_l("No such document."))
    return document


def preview(document_id, data: bytes, *, viewer: Viewer) -> Preview:
    require_office_editor(viewer)
    return check(_document(document_id), data)


def import_tasks(document_id, data: bytes, *, viewer: Viewer, send: bool = False) -> list[int]:
    """All the rows or none (Art. 4; Art. 6 when sent at once)."""
    require_office_editor(viewer)
    document = _document(document_id)
    result = check(document, data)
    if not result.valid:
        errors = result.errors
        raise ImportRefused(_l("Nothing was imported: %(n)s problems in the file; correct them and upload it "
                               "again.", n=len(errors)), errors)
    now = local_now() if send else None
    default_officer = viewer.user_id if viewer.roles & TRACKING_ROLES else None
    agencies = {a.id: a for a in db.session.scalars(select(Agency).where(
        Agency.id.in_({i for r in result.rows for i in r.coordinating_ids})))}
    tasks = [Task(document_id=document.id, content=row.content, lead_agency_id=row.lead_agency_id,
                  coordinating_agencies=[agencies[i] for i in row.coordinating_ids],
                  tracking_officer_id=row.officer_id or default_officer, deadline=row.deadline,
                  notes=row.notes or None,
                  status=TaskStatus.assigned.value if send else TaskStatus.draft.value,
                  sent_at=now, created_by_id=viewer.user_id) for row in result.rows]
    db.session.add_all(tasks)
    db.session.flush()
    ids = [t.id for t in tasks]
    if send:
        _notify_sent(ids, document.number, viewer.user_id)
    db.session.commit()
    return ids


def _notify_sent(task_ids: list[int], number: str, actor_id: int | None) -> int:
    """Art. 5, 10: every lead and coordinating agency is told of its new tasks, as
    events.emit("task_sent") would tell it task by task (same key: one notice per task)."""
    from app.services.events import _schedule_mail
    from app.services.notifications import NOTIFICATION_COLUMNS, agency_users, insert_ignoring_duplicates

    users = agency_users(AppUser.agency_id)
    tca = task_coordinating_agency
    lead = (select(users.c.user_id.label("user_id"), Task.id.label("task_id"))
            .join(Task, Task.lead_agency_id == users.c.agency_id).where(Task.id.in_(task_ids)))
    coordinating = (select(users.c.user_id.label("user_id"), tca.c.task_id.label("task_id"))
                    .join(tca, tca.c.agency_id == users.c.agency_id).where(tca.c.task_id.in_(task_ids)))
    pairs = union(lead, coordinating).subquery()
    key = literal("task_sent:") + cast(pairs.c.task_id, String) + literal(":") + cast(Task.version, String)
    rows = (select(pairs.c.user_id, literal("task_sent"), key, cast(pairs.c.task_id, Integer), literal(today()),
                   func.substr(literal(f"{number} — ") + Task.content, 1, 300),
                   literal("/tasks/show/") + cast(pairs.c.task_id, String), literal(local_now()))
            .join(Task, Task.id == pairs.c.task_id).where(pairs.c.user_id.is_not(None)))
    if actor_id:
        rows = rows.where(pairs.c.user_id != actor_id)
    done = insert_ignoring_duplicates(rows, NOTIFICATION_COLUMNS)
    _schedule_mail()
    return done


# ----------------------------------------------------------------- a new document from the first row

_TASK_FIELDS = {"content": "content", "lead_agency_id": "lead", "coordinating_agency_ids": "coordinating",
                "deadline": "deadline", "tracking_officer_id": "officer", "notes": "notes"}


def _date_value(value) -> tuple[dt.date | None, bool]:
    """(date, readable): a real date cell, or dd/mm/yyyy text; (None, True) when empty."""
    if value is None or _cell_text(value) == "":
        return None, True
    if isinstance(value, dt.datetime):
        return value.date(), True
    if isinstance(value, dt.date):
        return value, True
    match = _DATE.match(_cell_text(value))
    try:
        return (dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1))), True) if match else (None, False)
    except ValueError:
        return None, False


def _problems_of(error: Invalid, first_row: int, rows: list[Row]) -> list[Problem]:
    """register's field errors (number, issued_on, tasks-3-deadline, …) as (row, column, message)."""
    found = []
    for key, messages in error.errors.items():
        row, column = first_row, DOCUMENT_HEADERS.get(key, "")
        if key.startswith("tasks-"):
            _, n, name = key.split("-", 2)
            row = rows[int(n)].number if n.isdecimal() and int(n) < len(rows) else first_row
            column = HEADERS.get(_TASK_FIELDS.get(name, ""), "")
        found += [Problem(row, column, str(m)) for m in messages]
    return found or [Problem(first_row, "", str(error.message))]


def _choice_key(text: str) -> str:
    """"Ủy ban nhân dân tỉnh" and "UBND tỉnh" are the same choice."""
    folded = _fold(text)
    for long in ("ủy ban nhân dân", "uỷ ban nhân dân"):
        folded = folded.replace(long, "ubnd")
    return folded


def check_new_document(data: bytes):
    """The preview when the document itself comes from the first row: (Preview, DocumentInput)."""
    from app.services import register
    from app.services.errors import FieldErrors

    values: dict = {}
    _read_rows(data, values)
    first = 2
    problems: list[Problem] = []
    text = {k: _cell_text(values.get(k)) for k in ("number", "summary", "signer", "issuer_name")}
    dates = {}
    for key in ("issued_on", "received_on"):
        dates[key], readable = _date_value(values.get(key))
        if not readable:
            problems.append(Problem(first, DOCUMENT_HEADERS[key], str(_l(
                "“%(value)s” is not a date: write it dd/mm/yyyy.", value=_cell_text(values.get(key))[:40]))))
    chosen = {}
    for key, default in (("doc_type", "official_letter"), ("issuer", "committee"), ("urgency", "normal"),
                         ("source", "ad_hoc")):
        given = _cell_text(values.get(key))
        table = {_choice_key(label): ident for label, ident in _choices()[key].items()}
        table |= {_choice_key(ident): ident for ident in _choices()[key].values()}
        chosen[key] = table.get(_choice_key(given)) if given else default
        if chosen[key] is None:
            problems.append(Problem(first, DOCUMENT_HEADERS[key], str(_l(
                "“%(value)s” is not one of the choices of the list.", value=given[:60]))))
            chosen[key] = default
    document = register.DocumentInput(
        doc_type=chosen["doc_type"], number=text["number"], summary=text["summary"], issued_on=dates["issued_on"],
        signer=text["signer"], issuer=chosen["issuer"], source=chosen["source"], urgency=chosen["urgency"],
        issuer_name=text["issuer_name"] or None, received_on=dates["received_on"])
    errors = FieldErrors()
    register._validate_document(document, errors)  # the entry screen's rules, nothing written
    if errors:
        problems += _problems_of(Invalid("", errors.by_field), first, [])
    result = check(None, data, issued_on=document.issued_on)
    result.file_problems = problems + result.file_problems
    return result, document


def preview_new_document(data: bytes, *, viewer: Viewer) -> Preview:
    require_office_editor(viewer)
    return check_new_document(data)[0]


def import_document(data: bytes, *, viewer: Viewer, send: bool = False) -> Document:
    """The document from the first row and every task, in one transaction (register.create_document)."""
    from app.services import register

    require_office_editor(viewer)
    result, document_input = check_new_document(data)
    if not result.valid:
        errors = result.errors
        raise ImportRefused(_l("Nothing was imported: %(n)s problems in the file; correct them and upload it "
                               "again.", n=len(errors)), errors)
    tasks = [register.TaskInput(content=r.content, lead_agency_id=r.lead_agency_id, deadline=r.deadline,
                                coordinating_agency_ids=r.coordinating_ids, tracking_officer_id=r.officer_id,
                                notes=r.notes or None) for r in result.rows]
    try:
        return register.create_document(document_input, tasks, viewer=viewer, send=send)
    except ImportRefused:
        raise
    except Invalid as error:
        db.session.rollback()
        problems = _problems_of(error, result.rows[0].number, result.rows)
        raise ImportRefused(_l("Nothing was imported: %(n)s problems in the file; correct them and upload it "
                               "again.", n=len(problems)), problems)
