"""A year of plausible history for the demo, dated relative to today (`flask demo seed`).

Every step goes through the services — entry, sending, receipt, updates, extensions,
results, confirmations, returns, withdrawals, delay reports, urging letters, periodic
reports, the evaluation — so the history, the notifications and the rules are the real
ones. Each step runs at its own moment of the past on the seeding clock (`clock_at`):
the whole year is planned first (one life per task, deterministic), then the steps are
played in time order up to now; what a task would do after now has not happened yet,
which is how today's inboxes fill. Idempotent: once the year's first document exists,
nothing is added.
"""
from __future__ import annotations

import datetime as dt
import random
import types
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import g
from sqlalchemy import func, select, text, update

from app.domain.periods import PeriodKind, period_containing, previous
from app.domain.vocabulary import Role
from app.extensions import appbuilder, db
from app.models import Agency, AppUser, Document, Notification, Task
from app.seed import directives as data
from app.services.errors import ServiceError

N_DOCUMENTS = 75
N_COMMUNES = 10
SEED = 2026
MARKER_SUFFIX = "TB-UBND"  # the year's first document: "15/TB-UBND"


# -- the seeding clock ---------------------------------------------------------------------------


@contextmanager
def clock_at(moment: dt.datetime):
    """Make local_now() (and so today()) answer `moment` (naive Vietnam time) while the
    block runs: app.models.local_now reads `dt.datetime.now` from its module, so that
    name alone is swapped, and put back however the block ends."""
    import datetime as real
    import app.models as models

    class _Frozen(real.datetime):
        @classmethod
        def now(cls, tz=None):
            if tz is None:
                return moment
            return moment.replace(tzinfo=models.VN_TZ).astimezone(tz)

    shim = types.SimpleNamespace(**{name: getattr(real, name) for name in dir(real) if not name.startswith("__")})
    shim.datetime = _Frozen
    saved = models.dt
    models.dt = shim
    try:
        yield
    finally:
        models.dt = saved


# -- the plan ------------------------------------------------------------------------------------


@dataclass(order=True)
class Step:
    at: dt.datetime
    order: int
    run: object = field(compare=False)
    task_key: int | None = field(default=None, compare=False)


class Planner:
    def __init__(self, now: dt.datetime, calendar, rng: random.Random):
        self.now, self.calendar, self.rng = now, calendar, rng
        self.steps: list[Step] = []
        self._order = 0

    def moment(self, day: dt.date, early: int = 8, late: int = 16) -> dt.datetime:
        minutes = self.rng.randrange(early * 60, late * 60 + 30)
        return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))

    def working(self, day: dt.date, n: int) -> dt.date:
        return self.calendar.add_working_days(day, n) if n > 0 else day

    def add(self, at: dt.datetime, run, task_key=None) -> bool:
        """Plan a step; False (and nothing planned) when it would happen after now."""
        if at > self.now:
            return False
        self._order += 1
        self.steps.append(Step(at, self._order, run, task_key))
        return True


@dataclass
class TaskPlan:
    key: int
    lead: str
    coordinating: list[str]
    content: str
    deadline: dt.date
    id: int | None = None  # known once the document is entered


def _agency_codes(rng: random.Random) -> tuple[list[str], list[Agency]]:
    agencies = {a.code: a for a in db.session.scalars(select(Agency).where(Agency.active.is_(True)))}
    departments = [code for code in data.TASKS if code != "_commune" and code in agencies]
    communes = sorted((a for a in agencies.values() if a.kind in ("commune", "ward", "special_zone")),
                      key=lambda a: a.code)
    sample = [a for a in communes if a.code == "22366"]
    others = [a for a in communes if a.code != "22366"]
    sample += rng.sample(others, min(N_COMMUNES - len(sample), len(others)))
    return departments, sample


def _ensure_heads(codes: list[str]) -> dict[str, AppUser]:
    """A head (or chair) for every agency the demo gives tasks to, all at once: one
    password hash for all of them (the demo password), one commit."""
    from app.passwords import hash_password
    from app.services.seeding import DEMO_PASSWORD

    agencies = {a.code: a for a in db.session.scalars(select(Agency).where(Agency.code.in_(codes)))}
    sm = appbuilder().sm
    head_role, chair_role = sm.find_role(Role.AgencyHead.value), sm.find_role(Role.CommuneChair.value)
    heads: dict[str, AppUser] = {}
    for user in db.session.scalars(select(AppUser).where(AppUser.agency_id.in_([a.id for a in agencies.values()]))):
        if {r.name for r in user.roles} & {Role.AgencyHead.value, Role.CommuneChair.value}:
            code = next(c for c, a in agencies.items() if a.id == user.agency_id)
            heads.setdefault(code, user)
    password = hash_password(DEMO_PASSWORD)
    taken = set(db.session.scalars(select(AppUser.username)))
    for code, agency in agencies.items():
        if code in heads:
            continue
        commune = agency.kind in ("commune", "ward", "special_zone")
        username = f"ct{code}" if commune else f"{code.lower()}_gd"
        if username in taken:
            continue
        user = AppUser(first_name=("Chủ tịch " if commune else "Giám đốc ") + agency.short_name, last_name="",
                       username=username, email=f"{username}@khanhhoa.invalid", active=True, password=password,
                       roles=[chair_role if commune else head_role], agency_id=agency.id)
        db.session.add(user)
        heads[code] = user
    db.session.commit()
    return heads


def already_seeded() -> bool:
    return db.session.scalar(select(Document.id).where(Document.number == f"15/{MARKER_SUFFIX}")) is not None


def seed_history() -> dict:
    """Plan and play the year (after app.services.seeding.seed_demo made the demo users);
    returns what was made, or {"skipped": True} when the year is already there."""
    from app.services.calendar import current_calendar, today
    from app.services.seeding import DEMO_USERS
    from app.models import local_now

    from app.services.demo_chapters import chapters_seeded, plan_chapters

    year_there = already_seeded()
    if year_there and chapters_seeded():
        return {"skipped": True}
    names = [name for name, *_ in DEMO_USERS]
    users = {u.username: u for u in db.session.scalars(select(AppUser).where(AppUser.username.in_(names)))}
    rng = random.Random(SEED)
    now, end_day = local_now().replace(microsecond=0), today()
    calendar = current_calendar()
    departments, communes = _agency_codes(rng)
    commune_names = {a.code: a.name for a in communes}
    heads = _ensure_heads(departments + list(commune_names) + ["CAT"])
    plan = Planner(now, calendar, rng)
    ctx = _Context(plan, users, heads, rng)

    if not year_there:  # (a demo seeded before the chapters existed gets only the chapters)
        _plan_documents(ctx, departments, commune_names, end_day)
        _plan_reports(ctx, end_day)
    # Inspections, incoming documents, direction: played with the year, in time order.
    plan_chapters(ctx, calendar, end_day)

    session = db.session()
    errors: dict[str, int] = {}
    with _fast_sqlite():
        try:
            for step in sorted(plan.steps):
                if step.task_key is not None and step.task_key in ctx.dead:
                    continue
                # Seeded history is not news: no mail is queued while it is played (the bell
                # rows are written as usual, and marked mailed below).
                session.info["mail_scheduled"] = True
                with clock_at(step.at):
                    g.acting_user_id = None
                    try:
                        step.run()
                    except ServiceError as error:  # a refused step ends that task's story
                        db.session.rollback()
                        name = f"{type(error).__name__}: {error.message}"
                        errors[name] = errors.get(name, 0) + 1
                        if step.task_key is not None:
                            ctx.dead.add(step.task_key)
        finally:
            session.info.pop("mail_scheduled", None)
    recent = dt.datetime.combine(end_day - dt.timedelta(days=3), dt.time.min)
    db.session.execute(update(Notification).where(Notification.mailed_at.is_(None))
                       .values(mailed_at=Notification.created_at))
    db.session.execute(update(Notification).where(Notification.read_at.is_(None), Notification.created_at < recent)
                       .values(read_at=Notification.created_at))
    db.session.commit()
    tasks = db.session.scalar(select(func.count()).select_from(Task).where(
        Task.document_id.in_(select(Document.id).where(Document.number.in_(ctx.numbers)))))
    return {"documents": len(ctx.numbers), "tasks": tasks, "steps": len(plan.steps),
            "refused": sum(errors.values()), "refusals": errors,
            "heads": sorted(u.username for u in heads.values())}


@contextmanager
def _fast_sqlite():
    """On SQLite, do not wait for the disk after each of the year's commits (demo data:
    a seed cut short is redone on a fresh database); PostgreSQL is left as it is."""
    if db.engine.dialect.name != "sqlite":
        yield
        return
    db.session.execute(text("PRAGMA synchronous=OFF"))
    try:
        yield
    finally:
        db.session.commit()
        db.session.execute(text("PRAGMA synchronous=FULL"))


@dataclass
class _Context:
    plan: Planner
    users: dict
    heads: dict
    rng: random.Random
    numbers: list = field(default_factory=list)
    dead: set = field(default_factory=set)
    tasks: dict = field(default_factory=dict)  # key -> TaskPlan
    # (task key, lead code, deadline in force, completion date or None): for delay reports and letters
    open_late: list = field(default_factory=list)
    task_key_counter: int = 0  # the chapters' own tasks (registered incoming documents)

    viewers: dict = field(default_factory=dict)

    def viewer(self, user):
        """Each demo user's Viewer, computed once (its roles are read once)."""
        from app.access import viewer_for

        found = self.viewers.get(id(user))
        if found is None:
            found = self.viewers[id(user)] = viewer_for(user)
        return found

    @property
    def officer(self):
        return self.users["chuyenvien"]


def _issue_days(end_day: dt.date, calendar, rng: random.Random) -> list[dt.date]:
    start = end_day - dt.timedelta(days=360)
    days = [start + dt.timedelta(days=i) for i in range(360) if calendar.is_working_day(start + dt.timedelta(days=i))]
    # More documents in the recent months: the inboxes of today are full.
    picked = sorted(rng.choices(days, weights=[1 + i / len(days) for i in range(len(days))], k=N_DOCUMENTS))
    return picked


def _plan_documents(ctx: _Context, departments: list[str], communes: dict[str, str], end_day: dt.date) -> None:
    from app.services.calendar import current_calendar

    calendar, rng, plan = current_calendar(), ctx.rng, ctx.plan
    counters = {kind.suffix: 15 + 40 * i for i, kind in enumerate(data.DOC_KINDS)}
    counters[data.DOC_KINDS[0].suffix] = 15
    taken = {"4521/UBND-KT", "312/TB-UBND", "98/KH-UBND"}  # the short demo's own documents
    key = 0
    leads = departments * 3 + list(communes)  # departments get most tasks
    days = _issue_days(end_day, calendar, rng)
    for index, issued in enumerate(days):
        # The year opens with a meeting conclusion: its number is the seed's marker (already_seeded).
        kind = data.DOC_KINDS[0] if index == 0 else rng.choices(data.DOC_KINDS, weights=data.DOC_WEIGHTS)[0]
        number = f"{counters[kind.suffix]}/{kind.suffix}"
        while number in taken:
            counters[kind.suffix] += 1
            number = f"{counters[kind.suffix]}/{kind.suffix}"
        counters[kind.suffix] += rng.randrange(3, 15) if kind.suffix.startswith("UBND") else rng.randrange(1, 6)
        ctx.numbers.append(number)
        summary = rng.choice(kind.summaries).format(month=issued.month, year=issued.year,
                                                    next_year=issued.year + 1,
                                                    quarter=("I", "II", "III", "IV")[(issued.month - 1) // 3])
        urgency = rng.choice(kind.urgency)
        signer = data.CHAIRMAN if kind.issuer == "chairman" or rng.random() < 0.3 else rng.choice(data.VICE_CHAIRS)
        recent = (end_day - issued).days < 12
        # A few recent documents wait as drafts; the latest always does.
        send = not ((recent and rng.random() < 0.25) or index == len(days) - 1)
        tasks = []
        for _n in range(rng.choice((2, 2, 3, 3, 3, 4, 5))):
            lead = rng.choice(leads)
            pool = data.TASKS.get(lead) or data.TASKS["_commune"]
            content = rng.choice(pool).format(area=communes.get(lead, ""))
            coordinating = [c for c in data.COORDINATORS.get(lead if lead in data.TASKS else "_commune", ())
                            if c != lead and c in ctx.heads and rng.random() < 0.35][:2]
            deadline = calendar.add_working_days(issued, rng.choice((5, 10, 10, 15, 20, 20, 30, 40, 60)))
            key += 1
            tasks.append(TaskPlan(key, lead, coordinating, content, deadline))
        # Art. 6.1: entered the same day (urgent) or within a working day; now and then later.
        delay = 0 if urgency != "normal" or index >= len(days) - 2 else rng.choice((0, 0, 1, 1, 1, 2, 4))
        entered = plan.moment(plan.working(issued, delay))
        if not plan.add(entered, _enter(ctx, kind, number, summary, issued, urgency, signer, tasks, send)):
            continue
        for number_in_doc, task in enumerate(tasks):
            ctx.tasks[task.key] = task
            if not send:
                continue
            if index == len(days) - 2 and number_in_doc == 0:  # returned, the Office has yet to correct it
                _plan_life(ctx, task, entered, fate=0.0, resend=False)
            elif index == len(days) // 2 and number_in_doc == 0:  # withdrawn, superseded
                _plan_life(ctx, task, entered, fate=0.99)
            else:
                _plan_life(ctx, task, entered)


def _enter(ctx, kind, number, summary, issued, urgency, signer, tasks, send):
    def run():
        from app.services.register import DocumentInput, TaskInput, create_document

        codes = dict(db.session.execute(select(Agency.code, Agency.id)).all())
        officer = ctx.viewer(ctx.officer)
        document = create_document(
            DocumentInput(doc_type=kind.doc_type, number=number, summary=summary, issued_on=issued, signer=signer,
                          issuer=kind.issuer, source=kind.source, urgency=urgency),
            [TaskInput(content=t.content, lead_agency_id=codes[t.lead], deadline=t.deadline,
                       coordinating_agency_ids=[codes[c] for c in t.coordinating],
                       tracking_officer_id=officer.user_id)
             for t in tasks],
            viewer=officer, send=send)
        for plan_task, task in zip(tasks, sorted(document.tasks, key=lambda t: t.id)):
            plan_task.id = task.id
    return run


def _act(ctx, task: TaskPlan, user, action, **kwargs):
    def run():
        from app.services import lifecycle

        lifecycle.transition(task.id, action, viewer=ctx.viewer(user), **kwargs)
    return run


def _plan_life(ctx: _Context, task: TaskPlan, sent: dt.datetime, fate: float | None = None,
               resend: bool = True) -> None:
    """One task's story from its sending: receipt (or a return), updates, perhaps an
    extension, the result (on time, late or not yet), its confirmation; rarely withdrawn."""
    from app.services import lifecycle

    plan, rng, k = ctx.plan, ctx.rng, task.key
    head, officer = ctx.heads[task.lead], ctx.officer
    day = sent.date()
    fate = rng.random() if fate is None else fate
    if fate < 0.04:  # returned with feedback: the Office corrects it and sends it again
        reason = rng.choice(tuple(data.RETURN_COMMENTS))
        returned = plan.moment(plan.working(day, 1))
        if not resend:  # the one still waiting for the Office: returned by now, whatever the hour
            returned = max(sent + dt.timedelta(minutes=1), min(returned, sent + dt.timedelta(hours=2), plan.now))
        if not plan.add(returned, _act(ctx, task, head, "return", reason=reason,
                                       comment=data.RETURN_COMMENTS[reason]), k) or not resend:
            return
        sent = plan.moment(plan.working(returned.date(), rng.choice((1, 2, 3))))
        if sent <= returned:
            sent = returned + dt.timedelta(hours=1)
        if not plan.add(sent, _act(ctx, task, officer, "send"), k):
            return
        day = sent.date()
    received = plan.moment(plan.working(day, rng.choice((0, 1, 1, 2))))
    if received <= sent:
        received = sent + dt.timedelta(minutes=rng.randrange(20, 240))
    if not plan.add(received, _act(ctx, task, head, "receive"), k):
        return
    if fate > 0.98:  # withdrawn by the Office: superseded by a later document
        plan.add(plan.moment(plan.working(received.date(), 3)),
                 _act(ctx, task, officer, "withdraw", comment="Nhiệm vụ đã được thay thế bằng văn bản chỉ đạo mới."), k)
        return
    deadline = task.deadline
    earliest = received.date() + dt.timedelta(days=1)  # the result comes after what precedes it
    if rng.random() < 0.12:  # Art. 5.2.đ: an extension, asked a few days before the deadline
        asked = plan.moment(max(earliest, deadline - dt.timedelta(days=3)))
        proposed = max(deadline, asked.date()) + dt.timedelta(days=rng.choice((10, 14, 21, 30)))
        holder = {}

        def ask():
            holder["request"] = lifecycle.request_extension(task.id, viewer=ctx.viewer(head),
                                                            reason=rng.choice(data.EXTENSION_REASONS),
                                                            proposed_deadline=proposed)
        if not plan.add(asked, ask, k):
            return
        approve = rng.random() < 0.8
        decided = plan.moment(plan.working(asked.date(), rng.choice((1, 2))))

        def decide():
            lifecycle.decide_extension(holder["request"].id, viewer=ctx.viewer(ctx.users["chutich"]),
                                       approve=approve, comment="Đồng ý gia hạn." if approve else
                                       "Không đồng ý; đề nghị tập trung hoàn thành đúng thời hạn.")
        if not plan.add(decided, decide, k):
            return
        if approve:
            deadline = proposed
        earliest = decided.date() + dt.timedelta(days=1)
    outcome = rng.random()
    if outcome < 0.68:  # on time (or early)
        reported = plan.moment(max(earliest, deadline - dt.timedelta(days=rng.randrange(0, 6))))
    elif outcome < 0.88:  # late
        reported = plan.moment(max(earliest, plan.working(deadline, rng.randrange(1, 12))))
    else:  # not done: overdue once the deadline has passed
        reported = None
        ctx.open_late.append((k, task.lead, deadline, None))
    # Progress and contributions while the task is with the agencies (before the result).
    until = reported.date() if reported else max(deadline, earliest)
    span = (until - received.date()).days
    if span > 1 and rng.random() < 0.5:
        plan.add(plan.moment(received.date() + dt.timedelta(days=rng.randrange(1, span))),
                 _update(ctx, task, head, rng.choice(data.PROGRESS)), k)
    coordinator = ctx.heads.get(task.coordinating[0]) if task.coordinating else None
    if span > 1 and coordinator is not None and rng.random() < 0.5:
        plan.add(plan.moment(received.date() + dt.timedelta(days=rng.randrange(1, span))),
                 _update(ctx, task, coordinator, rng.choice(data.CONTRIBUTIONS)), k)
    if reported is None:
        return
    if reported.date() > deadline:
        ctx.open_late.append((k, task.lead, deadline, reported.date()))
    result = rng.choice(data.RESULTS).format(n=rng.randrange(100, 900), code=task.lead if task.lead.isalpha() else "UBND")
    if not plan.add(reported, _act(ctx, task, head, "report", result=result), k):
        return
    confirm_day = plan.working(reported.date(), rng.choice((1, 1, 2, 3, 6, 9)))
    if rng.random() < 0.08:  # Art. 5.3.đ: refused once, completed after
        if not plan.add(plan.moment(confirm_day), _act(ctx, task, officer, "refuse",
                                                       comment="Đề nghị bổ sung số liệu chi tiết theo từng địa phương."), k):
            return
        again = plan.moment(plan.working(confirm_day, 2))
        if not plan.add(again, _act(ctx, task, head, "report", result=result + " (đã bổ sung số liệu)"), k):
            return
        confirm_day = plan.working(again.date(), 1)
    plan.add(plan.moment(confirm_day), _act(ctx, task, officer, "confirm"), k)


def _update(ctx, task, user, body):
    def run():
        from app.services import lifecycle

        lifecycle.post_update(task.id, viewer=ctx.viewer(user), body=body)
    return run


def _plan_reports(ctx: _Context, end_day: dt.date) -> None:
    """Delay reports and urging letters on late tasks; the periodic reports of the past
    months (most on time, some late), the consolidated ones, and the published ranking."""
    from app.services.calendar import current_calendar

    plan, rng, calendar = ctx.plan, ctx.rng, current_calendar()
    late = [entry for entry in ctx.open_late if ctx.tasks[entry[0]].coordinating]
    for key, lead, deadline, done in rng.sample(late, min(8, len(late))):
        task = ctx.tasks[key]
        filed = plan.moment(plan.working(deadline, rng.randrange(2, 6)))
        if done is not None and filed.date() >= done:
            continue
        reporter = ctx.heads.get(task.coordinating[0])
        if reporter is None:
            continue
        holder = {}
        urge = rng.random() < 0.6

        def file(task=task, reporter=reporter, holder=holder, filed=filed):
            from app.services import delay_reports

            holder["report"] = delay_reports.file_report(task.id, viewer=ctx.viewer(reporter),
                                                         description=rng.choice(data.DELAY_REPORTS),
                                                         received_on=filed.date())

        def handle(holder=holder, urge=urge):
            from app.services import delay_reports

            if urge:
                delay_reports.urge(holder["report"].id, viewer=ctx.viewer(ctx.officer))
            else:
                delay_reports.escalate(holder["report"].id, viewer=ctx.viewer(ctx.officer),
                                       note="Đề nghị Chủ tịch UBND tỉnh chỉ đạo cơ quan chủ trì khẩn trương thực hiện.")
        if plan.add(filed, file, key):
            plan.add(plan.moment(plan.working(filed.date(), rng.choice((1, 2, 5)))), handle, key)

    this_month = period_containing(PeriodKind.monthly, end_day)
    months = []
    period = previous(this_month)
    for _n in range(11):
        months.append(period)
        period = previous(period)
    # Art. 18.5: each month the Office urges two agencies with overdue tasks by letter.
    for index, month in enumerate(months[:4]):
        drafted = plan.moment(plan.working(month.end, 4))
        plan.add(drafted, _urge_overdue(ctx, f"demo-urge-{month.label}", f"{200 + 37 * index}/VP-TH"))
    # Art. 20.2: the agencies' monthly reports of the last six months; Art. 20.3 the Office's.
    for month in months[:4]:
        due = month.agency_due(calendar)
        for code, head in sorted(ctx.heads.items()):
            delay = rng.choice((-1, 0, 0, 0, 1, 3)) if rng.random() < 0.9 else None
            if delay is None:
                continue  # not sent at all
            day = due if delay == 0 else (plan.working(due, delay) if delay > 0 else plan.working(month.end, 1))
            plan.add(plan.moment(day), _submit_report(ctx, head, month))
        plan.add(plan.moment(month.office_due(calendar)), _submit_consolidated(ctx, month))
        # Art. 12: the ranking, published after the consolidated report.
        plan.add(plan.moment(plan.working(month.office_due(calendar), 1)), _evaluate(month))
    quarter = previous(period_containing(PeriodKind.quarterly, end_day))
    plan.add(plan.moment(plan.working(quarter.office_due(calendar), 1)), _evaluate(quarter))


def _urge_overdue(ctx, batch_key, issued_number):
    def run():
        from app.services import letters

        number = issued_number
        grouped = letters.overdue_by_agency(None)
        for agency_id, task_ids in sorted(grouped.items(), key=lambda item: -len(item[1]))[:2]:
            letter = letters.draft_letter(agency_id, task_ids[:10], viewer=ctx.viewer(ctx.officer),
                                          batch_key=batch_key)
            if number and letter.status == "draft":
                letter = letters.update_letter(
                    letter.id, viewer=ctx.viewer(ctx.officer), expected_version=letter.version,
                    summary=letter.summary, body=letter.body, signer_authority="KT. CHÁNH VĂN PHÒNG",
                    signer_position="PHÓ CHÁNH VĂN PHÒNG", signer_name=ctx.users["lanhdaovp"].get_full_name())
                letters.issue_letter(letter.id, viewer=ctx.viewer(ctx.officer), expected_version=letter.version,
                                     number=number)
                number = None  # one issued, the other left as a draft to edit
    return run


def _submit_report(ctx, head, period):
    def run():
        from app.services import reports

        viewer = ctx.viewer(head)
        agency_id = viewer.agency_id
        rows = reports.phu_luc_ii_rows(period, agency_id)
        if not rows:
            return
        report = reports.report_for(agency_id, period)
        if report.status == "submitted":
            return
        late = reports.late_rows(rows)
        reports.save_sections(report.id, viewer=viewer, expected_version=report.version, section_3="",
                              section_4=ctx.rng.choice(data.REPORT_DIFFICULTIES),
                              reasons={r["task_id"]: ctx.rng.choice(data.LATE_REASONS) for r in late})
        reports.submit(report.id, viewer=viewer, expected_version=report.version)
    return run


def _submit_consolidated(ctx, period):
    def run():
        from app.services import reports

        report = reports.report_for(None, period)
        if report.status == "submitted":
            return
        viewer = ctx.viewer(ctx.officer)
        reports.save_sections(report.id, viewer=viewer, expected_version=report.version, section_3="",
                              section_4="Đề nghị các cơ quan, đơn vị tập trung hoàn thành các nhiệm vụ quá hạn.",
                              reasons={})
        report.report_number = f"{100 + period.number * 9}/BC-VP"
        reports.submit(report.id, viewer=viewer, expected_version=report.version)
    return run


def _evaluate(period):
    def run():
        from app.services import evaluation

        evaluation.evaluate(period)
    return run
