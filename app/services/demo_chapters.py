"""The demo's three newest chapters, dated relative to today on the working calendar and
played through the services on the seeding clock with the year (app.services.demo_history):

- Inspections (Chương V, Art. 13–17): the year's plan, approved; one decision reported
  (findings, the inspected agencies' reports, the result report), one ended with its result
  report due in a few working days, one running today (the Working Group member `totcongtac`
  sees the inspected agencies' tasks, SPEC §4.8), one draft waiting for the Chairman's signature.
- Incoming documents (intake, *Văn bản đến*): edXML messages posted by the document system's
  account (`vanthu_ketnoi`, Connector); two registered into tasks, one dismissed (not a
  directive), an update of a registered one and a revocation of a pending one waiting for
  the Office's confirmation, and a few waiting to be registered.
- Direction (issue 13): ad-hoc report requests (Art. 18.4, 19.1) closed with answers on time,
  late and missing, and one open; difficulties (Art. 19.2) and a disagreement (Art. 10.1.c);
  proposals to the Chairman (Art. 5.3.d, 18.3) as a draft for the Office leader, submitted for
  the Chairman, and decided; reminders on the ladder's first rung.

Each step picks its tasks when it runs (what is overdue, led by whom, at that moment), so it
obeys the rules as they stand then. A step the services refuse is counted, never forced.
Idempotent with the year: a second run finds the marker (`chapters_seeded`) and adds nothing.
"""
from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from sqlalchemy import select

from app.extensions import db
from app.models import Agency, AppUser, Task

# The Chairman's inspection decisions; the first is the chapters' marker (chapters_seeded).
REPORTED, ENDED, RUNNING = "2145/QĐ-UBND", "2712/QĐ-UBND", "3087/QĐ-UBND"
OPEN_STATES = ("assigned", "in_progress", "returned")

PROVINCE_EDXML = "000.00.00.H32"  # UBND tỉnh Khánh Hòa in the national document network


def chapters_seeded() -> bool:
    from app.models_inspections import Inspection

    return db.session.scalar(select(Inspection.id).where(Inspection.number == REPORTED)) is not None


# -- the calendar, backwards ----------------------------------------------------------------------

class Days:
    """Working days counted back from (or forward to) today, and moments on them."""

    def __init__(self, calendar, end_day: dt.date, now: dt.datetime):
        self.calendar, self.today, self.now = calendar, end_day, now

    def back(self, n: int) -> dt.date:
        day, count = self.today, 0
        while count < n:
            day -= dt.timedelta(days=1)
            if self.calendar.is_working_day(day):
                count += 1
        return day

    def ahead(self, n: int) -> dt.date:
        return self.calendar.add_working_days(self.today, n)

    def at(self, n_back: int, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(self.back(n_back), dt.time(hour, minute))


# -- the plan of the chapters ---------------------------------------------------------------------

def plan_chapters(ctx, calendar, end_day: dt.date) -> None:
    """Add the chapters' steps to the year's planner (ctx.plan), each at its moment."""
    days = Days(calendar, end_day, ctx.plan.now)
    _plan_inspections(ctx, days)
    _plan_intake(ctx, days)
    _plan_direction(ctx, days)


def _viewer(user):
    """A fresh Viewer: the Working Group's grant depends on the day (app.access.inspection_grants)."""
    from app.access import viewer_for

    return viewer_for(db.session.get(AppUser, user.id))


def _ids(codes) -> list[int]:
    found = dict(db.session.execute(select(Agency.code, Agency.id).where(Agency.code.in_(list(codes)))).all())
    return [found[c] for c in codes if c in found]


def _head(ctx, code):
    return ctx.heads.get(code) or next((u for u in ctx.users.values() if u.agency and u.agency.code == code), None)


# -- inspections (Chương V) -----------------------------------------------------------------------

INSPECTIONS = [
    # number, inspected, form, (drafted, issued, start, end) in working days back from today (negative: ahead),
    # the leader's request due (working days after issue), reported (working days back) or None
    dict(number=REPORTED, agencies=["SYT", "SNV"], form="regular", item=0,
         days=(78, 75, 70, 56), reported=48,
         scope="Sở Y tế, Sở Nội vụ: việc thực hiện các nhiệm vụ UBND tỉnh, Chủ tịch UBND tỉnh giao năm {year}"),
    dict(number=ENDED, agencies=["SXD"], form="periodic", item=1,
         days=(34, 31, 24, 7), reported=None,
         scope="Sở Xây dựng: tiến độ các công trình trọng điểm và việc cập nhật kết quả trên Hệ thống"),
    dict(number=RUNNING, agencies=["STC", "22366"], form="regular", item=2,
         days=(16, 13, 5, -8), reported=None,
         scope="Sở Tài chính, Phường Nha Trang: các nhiệm vụ về giải ngân vốn đầu tư công và giải phóng mặt bằng"),
]
PLAN_ITEMS = [
    (["SYT", "SNV"], "Kiểm tra việc thực hiện nhiệm vụ UBND tỉnh giao tại Sở Y tế, Sở Nội vụ", "regular"),
    (["SXD"], "Kiểm tra định kỳ tiến độ các công trình trọng điểm do Sở Xây dựng chủ trì", "periodic"),
    (["STC", "22366"], "Kiểm tra việc thực hiện nhiệm vụ giải ngân vốn đầu tư công, giải phóng mặt bằng", "regular"),
    (["SGDDT"], "Kiểm tra việc cập nhật kết quả thực hiện nhiệm vụ trên Hệ thống của Sở Giáo dục và Đào tạo",
     "regular"),
]
LEGAL_BASIS = ("Quyết định số 26/2026/QĐ-UBND của UBND tỉnh ban hành Quy chế theo dõi, đôn đốc, kiểm tra việc "
               "thực hiện nhiệm vụ; Kế hoạch kiểm tra năm {year} đã được Chủ tịch UBND tỉnh phê duyệt")
FINDINGS = [
    ("Cơ bản triển khai đúng tiến độ; một số nhiệm vụ cập nhật kết quả trên Hệ thống chưa kịp thời.",
     "Đơn vị chấp hành nghiêm chế độ báo cáo định kỳ; còn {n} nhiệm vụ hoàn thành chậm so với thời hạn.",
     "Rà soát, cập nhật đầy đủ kết quả trên Hệ thống trong 05 ngày làm việc; phân công cụ thể người theo dõi."),
    ("Các nhiệm vụ trọng tâm được phân công rõ ràng, có kế hoạch thực hiện.",
     "Việc phối hợp với các cơ quan liên quan có lúc chưa chặt chẽ, làm chậm tiến độ.",
     "Chủ động phối hợp, báo cáo kịp thời khó khăn, vướng mắc vượt thẩm quyền (Điều 19)."),
]


def _plan_inspections(ctx, days: Days) -> None:
    plan, users = ctx.plan, ctx.users
    officer, chairman, leader_user = users["chuyenvien"], users["chutich"], users["totcongtac"]
    year = days.today.year
    holder: dict = {}
    # The year's plan (Art. 14.2.a): drafted and approved in January (or, early in January, just now).
    start = max(dt.date(year, 1, 5), days.back(60) - dt.timedelta(days=300))
    drafted = dt.datetime.combine(start, dt.time(9, 0))
    approved = dt.datetime.combine(days.calendar.add_working_days(start, 3), dt.time(15, 0))
    planned = approved < days.at(INSPECTIONS[0]["days"][0], 8)

    def draft_plan():
        from app.services import inspection_plans

        viewer = _viewer(officer)
        year_plan = inspection_plans.plan_for(year, viewer, create=True)
        holder["items"] = [inspection_plans.add_item(year_plan.id, viewer=viewer, agency_ids=_ids(codes),
                                                     content=content, form=form, month=min(12, 2 + 3 * i)).id
                           for i, (codes, content, form) in enumerate(PLAN_ITEMS)]
        inspection_plans.submit(year_plan.id, viewer=viewer)
        holder["plan"] = year_plan.id

    def approve_plan():
        from app.services import inspection_plans

        inspection_plans.decide(holder["plan"], viewer=_viewer(chairman), approve=True)

    if planned:
        plan.add(drafted, draft_plan)
        plan.add(approved, approve_plan)

    for spec in INSPECTIONS:
        _plan_inspection(ctx, days, spec, holder if planned else {}, officer, chairman, leader_user, year)

    # A decision the Office drafted yesterday waits for the Chairman's signature (Art. 15.1).
    def draft_waiting():
        from app.services import inspections

        viewer = _viewer(officer)
        inspection = inspections.create_inspection(inspections.InspectionInput(
            legal_basis=LEGAL_BASIS.format(year=year), scope="Sở Giáo dục và Đào tạo: việc cập nhật kết quả "
            "thực hiện nhiệm vụ trên Hệ thống", tasks="Kiểm tra hồ sơ, số liệu; làm việc với lãnh đạo Sở.",
            form="regular", start_on=days.ahead(8), end_on=days.ahead(20), inspected_agency_ids=_ids(["SGDDT"]),
            leader_id=leader_user.id, member_ids=[officer.id],
            plan_item_id=holder["items"][3] if holder.get("items") else None), viewer=viewer)
        inspections.submit_for_issue(inspection.id, viewer=viewer)
    plan.add(days.at(1, 10, 30), draft_waiting)


def _plan_inspection(ctx, days, spec, holder, officer, chairman, leader_user, year) -> None:
    plan = ctx.plan
    drafted, issued, start, end = spec["days"]
    codes = [c for c in spec["agencies"]]
    state: dict = {}

    def when(n_back):
        return days.back(n_back) if n_back >= 0 else days.ahead(-n_back)

    def draft():
        from app.services import inspections

        viewer = _viewer(officer)
        inspection = inspections.create_inspection(inspections.InspectionInput(
            legal_basis=LEGAL_BASIS.format(year=year), scope=spec["scope"].format(year=year),
            tasks="Kiểm tra việc tổ chức thực hiện, tiến độ, chất lượng các nhiệm vụ được giao; việc cập nhật "
                  "trên Hệ thống và chế độ báo cáo (Điều 14.1).",
            form=spec["form"], start_on=when(start), end_on=when(end), inspected_agency_ids=_ids(codes),
            leader_id=leader_user.id, member_ids=[officer.id],
            plan_item_id=holder["items"][spec["item"]] if holder.get("items") else None), viewer=viewer)
        inspections.submit_for_issue(inspection.id, viewer=viewer)
        state["id"] = inspection.id

    def sign():
        from app.services import inspections

        inspections.issue(state["id"], viewer=_viewer(chairman), number=spec["number"], issued_on=None)

    def group_plan():
        from app.services import inspections

        viewer = _viewer(leader_user)
        for i, agency_id in enumerate(_ids(codes)):
            inspections.add_step(state["id"], viewer=viewer, kind="plan", agency_id=agency_id,
                                 on_date=days.calendar.add_working_days(when(start), 1 + 2 * i),
                                 body="Làm việc trực tiếp với lãnh đạo đơn vị; kiểm tra hồ sơ theo dõi nhiệm vụ.",
                                 member_id=officer.id)
            inspections.add_step(state["id"], viewer=viewer, kind="request", agency_id=agency_id,
                                 on_date=days.calendar.add_working_days(when(issued), 5),
                                 body="Báo cáo tình hình thực hiện nhiệm vụ được giao từ đầu năm, giải trình các "
                                      "nhiệm vụ quá hạn (Điều 16.3, 19.4), kèm hồ sơ liên quan.")
        if spec["number"] == RUNNING:  # Art. 16.2: a related agency sends a representative
            inspections.add_step(state["id"], viewer=viewer, kind="invitation", agency_id=_ids(["SNV"])[0],
                                 body="Cử 01 lãnh đạo phòng tham gia Tổ công tác trong thời gian kiểm tra.")

    plan.add(days.at(drafted, 9, 15), draft)
    plan.add(days.at(issued, 14, 0), sign)
    plan.add(days.at(issued - 1, 9, 30), group_plan)

    # The inspected agencies' reports (Art. 16.3, 19.4): submitted by the head (SYT, SNV, SXD);
    # under the running inspection, Sở Tài chính's staff has a draft waiting for its head.
    for offset, code in enumerate(codes):
        head = _head(ctx, code)
        if head is None:
            continue
        if spec["number"] == RUNNING:
            if code == "STC":
                plan.add(days.at(2, 10, 0), _agency_report(state, ctx.users["stc_cv"], submit=False))
            continue
        plan.add(days.at(start + 1 + offset, 15, 30), _agency_report(state, head, submit=True))

    # Findings by the group while it runs (Art. 17.3); the result report, or not yet.
    finding_days = [start - 2, start - 4] if end >= 0 else [2, 1]
    for i, n_back in enumerate(finding_days):
        if n_back <= 0:
            continue
        plan.add(days.at(n_back, 16, 0), _finding(state, leader_user if i == 0 else officer, codes[i % len(codes)], i))
    if spec["reported"] is not None:
        def report():
            from app.services import inspections

            inspections.submit_report(state["id"], viewer=_viewer(leader_user),
                                      number=spec["number"].split("/")[0] + "/BC-TCT")
        plan.add(days.at(spec["reported"], 10, 0), report)


def _agency_report(state, user, *, submit: bool):
    def run():
        from app.services import inspections

        viewer = _viewer(user)
        inspection = inspections.visible_inspection(state["id"], viewer)
        rows = inspections.explain_rows(inspection, viewer.agency_id)
        inspections.save_agency_report(
            state["id"], viewer=viewer, submit=submit,
            body="Đơn vị đã tổ chức quán triệt, phân công thực hiện các nhiệm vụ UBND tỉnh giao; kết quả chi tiết "
                 "tại phụ lục kèm theo. Các nhiệm vụ chậm tiến độ được giải trình dưới đây.",
            explanations={t.id: "Chờ ý kiến thống nhất của các cơ quan phối hợp; đã có kế hoạch hoàn thành "
                                "trong tháng tới." for t in rows})
    return run


def _finding(state, user, code, index):
    def run():
        from app.services import inspections

        viewer = _viewer(user)
        agency_id = _ids([code])[0]
        task_id = db.session.scalar(select(Task.id).where(Task.lead_agency_id == agency_id,
                                                          Task.status.in_(OPEN_STATES + ("completed",)))
                                    .order_by(Task.deadline).limit(1)) if index == 0 else None
        assessment, conclusion, recommendation = FINDINGS[index % len(FINDINGS)]
        inspections.add_finding(state["id"], viewer=viewer, agency_id=agency_id, task_id=task_id,
                                assessment=assessment, conclusion=conclusion.format(n=3 + index),
                                recommendations=recommendation)
    return run


# -- incoming documents (intake) ------------------------------------------------------------------

SENDERS = {
    "VPCP": ("000.00.00.G22", "Văn phòng Chính phủ", "Hà Nội"),
    "BTC": ("000.00.00.G12", "Bộ Tài chính", "Hà Nội"),
    "BXD": ("000.00.00.G10", "Bộ Xây dựng", "Hà Nội"),
    "BNV": ("000.00.00.G09", "Bộ Nội vụ", "Hà Nội"),
    "UBND": (PROVINCE_EDXML, "UBND tỉnh Khánh Hòa", "Khánh Hòa"),
}
# key, sender, number, notation, type (code, name), subject, signer (name, position, competence),
# days back received, priority, due (working days after receipt) or None, what becomes of it
INCOMING = [
    dict(key="vpcp-giai-ngan", sender="VPCP", number="8123", notation="VPCP-KTTH", type=("1", "Công văn"),
         subject="V/v đẩy mạnh giải ngân vốn đầu tư công những tháng cuối năm",
         signer=("Trần Văn Sơn", "Bộ trưởng, Chủ nhiệm", "KT. BỘ TRƯỞNG"), received=22, priority="1", due=15,
         fate="register", tasks=[("STC", ["SXD"], "Rà soát, báo cáo tình hình giải ngân vốn đầu tư công theo "
                                                   "chỉ đạo của Văn phòng Chính phủ", 12),
                                  ("SXD", [], "Đôn đốc các chủ đầu tư đẩy nhanh tiến độ thi công, nghiệm thu, "
                                              "thanh toán khối lượng hoàn thành", 18)]),
    dict(key="btc-ngan-sach", sender="BTC", number="11452", notation="BTC-NSNN", type=("1", "Công văn"),
         subject="V/v tăng cường công tác quản lý thu ngân sách nhà nước",
         signer=("Nguyễn Thị Hà", "Thứ trưởng", "KT. BỘ TRƯỞNG"), received=12, priority="0", due=None,
         fate="register_then_update",
         tasks=[("STC", ["SNV"], "Tham mưu giải pháp tăng cường quản lý thu ngân sách theo Công văn của Bộ "
                                 "Tài chính", 20)]),
    dict(key="bnv-hoi-nghi", sender="BNV", number="5210", notation="BNV-TCBC", type=("7", "Giấy mời"),
         subject="Giấy mời dự Hội nghị trực tuyến tổng kết công tác tổ chức bộ máy năm",
         signer=("Phạm Thị Thanh Trà", "Bộ trưởng", ""), received=6, priority="0", due=None, fate="dismiss"),
    dict(key="bxd-quy-hoach", sender="BXD", number="6634", notation="BXD-QHKT", type=("1", "Công văn"),
         subject="V/v rà soát, điều chỉnh quy hoạch xây dựng vùng huyện",
         signer=("Lê Quang Hùng", "Thứ trưởng", "KT. BỘ TRƯỞNG"), received=4, priority="0", due=None,
         fate="revoke_waiting"),
    dict(key="vpcp-mua-bao", sender="VPCP", number="9077", notation="VPCP-NN", type=("1", "Công văn"),
         subject="V/v chủ động ứng phó với mưa lũ, sạt lở đất tại khu vực Nam Trung Bộ",
         signer=("Trần Văn Sơn", "Bộ trưởng, Chủ nhiệm", "KT. BỘ TRƯỞNG"), received=1, priority="2", due=3,
         fate="pending"),
    dict(key="ubnd-thong-bao", sender="UBND", number="415", notation="TB-UBND", type=("13", "Thông báo"),
         subject="Thông báo kết luận của Chủ tịch UBND tỉnh tại buổi làm việc về các dự án du lịch ven biển",
         signer=("Trần Quốc Nam", "Chủ tịch", "CHỦ TỊCH"), received=2, priority="0", due=None, fate="pending"),
    dict(key="bnv-cai-cach", sender="BNV", number="5388", notation="BNV-CCHC", type=("1", "Công văn"),
         subject="V/v báo cáo kết quả cải cách hành chính quý IV",
         signer=("Vũ Chiến Thắng", "Thứ trưởng", "KT. BỘ TRƯỞNG"), received=1, priority="0", due=8,
         fate="pending"),
]


def _edxml(spec, issued_on: dt.date, received_at: dt.datetime, due_on: dt.date | None, *, business: int | None = None,
           reason: str = "", subject: str | None = None, due_override: dt.date | None = None) -> bytes:
    """A QCVN 102:2016 edXML message as the national document network sends it (no attachment)."""
    organ_id, organ_name, place = SENDERS[spec["sender"]]
    date = issued_on.strftime("%Y/%m/%d")
    number = f"{spec['number']}/{spec['notation']}"
    document_id = f"{organ_id},{date},{number}"
    due = due_override or due_on

    def el(name, value):
        return "" if value is None else f"<edXML:{name}>{escape(value)}</edXML:{name}>"

    bussiness = ""
    if business is not None:
        bussiness = (f"<edXML:Bussiness>{el('BussinessDocType', str(business))}{el('BussinessDocReason', reason)}"
                     f"{el('DocumentId', document_id)}<edXML:ReplacementInfoList/></edXML:Bussiness>")
    name, position, competence = spec["signer"]
    header = (
        f"<edXML:MessageHeader><edXML:From>{el('OrganId', organ_id)}{el('OrganName', organ_name)}"
        f"{el('OrganAdd', place)}</edXML:From><edXML:To>{el('OrganId', PROVINCE_EDXML)}"
        f"{el('OrganName', 'UBND tỉnh Khánh Hòa')}</edXML:To>{el('DocumentId', document_id)}"
        f"<edXML:Code>{el('CodeNumber', spec['number'])}{el('CodeNotation', spec['notation'])}</edXML:Code>"
        f"<edXML:PromulgationInfo>{el('Place', place)}{el('PromulgationDate', date)}</edXML:PromulgationInfo>"
        f"<edXML:DocumentType>{el('Type', spec['type'][0])}{el('TypeName', spec['type'][1])}</edXML:DocumentType>"
        f"{el('Subject', subject or spec['subject'])}{el('Content', subject or spec['subject'])}"
        f"<edXML:SignerInfo>{el('Competence', competence or None)}{el('Position', position)}"
        f"{el('FullName', name)}</edXML:SignerInfo>{el('DueDate', due.strftime('%Y/%m/%d') if due else None)}"
        f"<edXML:ToPlaces>{el('Place', 'UBND các tỉnh, thành phố trực thuộc Trung ương')}</edXML:ToPlaces>"
        f"<edXML:OtherInfo>{el('Priority', spec['priority'])}{el('PageAmount', '2')}</edXML:OtherInfo>"
        f"</edXML:MessageHeader><edXML:TraceHeaderList><edXML:TraceHeader>{el('OrganId', organ_id)}"
        f"{el('Timestamp', received_at.strftime('%Y/%m/%d %H:%M:%S'))}</edXML:TraceHeader>{bussiness}"
        f"</edXML:TraceHeaderList>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><edXML:edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">'
            f"<edXML:edXMLEnvelope><edXML:edXMLHeader>{header}<edXML:Signature/></edXML:edXMLHeader>"
            f"<edXML:edXMLBody><edXML:edXMLManifest version=\"1.0\"/></edXML:edXMLBody></edXML:edXMLEnvelope>"
            f"<edXML:AttachmentEncoded/></edXML:edXML>").encode("utf-8")


def _plan_intake(ctx, days: Days) -> None:
    from app.services.demo_history import TaskPlan, _plan_life

    connector, officer = ctx.users["vanthu_ketnoi"], ctx.users["chuyenvien"]
    for spec in INCOMING:
        received_at = days.at(spec["received"], 8 + spec["received"] % 7, 10 + spec["received"] % 40)
        issued_on = days.back(spec["received"] + (0 if spec["sender"] == "UBND" else 2))
        due_on = days.calendar.add_working_days(received_at.date(), spec["due"]) if spec["due"] else None
        state: dict = {}

        def receive(spec=spec, issued_on=issued_on, received_at=received_at, due_on=due_on, state=state):
            from app.services import intake

            state["id"] = intake.receive(_edxml(spec, issued_on, received_at, due_on), viewer=_viewer(connector),
                                         channel="api").incoming.id
        if not ctx.plan.add(received_at, receive):
            continue
        fate = spec["fate"]
        if fate.startswith("register"):
            registered = received_at + dt.timedelta(hours=2)
            plans = []
            for lead, coordinating, content, wd in spec["tasks"]:
                ctx.task_key_counter += 1
                key = 100000 + ctx.task_key_counter
                task = TaskPlan(key, lead, [c for c in coordinating if c in ctx.heads], content,
                                days.calendar.add_working_days(registered.date(), wd))
                ctx.tasks[key] = task
                plans.append(task)
            ctx.plan.add(registered, _register(ctx, spec, state, plans, officer))
            for task in plans:
                _plan_life(ctx, task, registered)
            if fate == "register_then_update":
                later = days.at(1, 9, 45)

                def update(spec=spec, issued_on=issued_on, received_at=received_at):
                    from app.services import intake

                    intake.receive(_edxml(spec, issued_on, received_at, None, business=2,
                                          reason="Đính chính trích yếu và bổ sung thời hạn báo cáo",
                                          subject=spec["subject"] + " và tiết kiệm chi thường xuyên",
                                          due_override=days.ahead(6)),
                                   viewer=_viewer(connector), channel="api")
                ctx.plan.add(later, update)
        elif fate == "dismiss":
            def dismiss(state=state):
                from app.services import intake

                intake.dismiss(state["id"], "Giấy mời dự hội nghị, không phải văn bản chỉ đạo giao nhiệm vụ "
                                            "(Điều 7): chuyển Phòng Tổng hợp bố trí người dự.",
                               viewer=_viewer(officer))
            ctx.plan.add(received_at + dt.timedelta(minutes=50), dismiss)
        elif fate == "revoke_waiting":
            def revoke(spec=spec, issued_on=issued_on, received_at=received_at):
                from app.services import intake

                intake.receive(_edxml(spec, issued_on, received_at, None, business=1,
                                      reason="Văn bản ban hành nhầm đối tượng; sẽ ban hành văn bản thay thế"),
                               viewer=_viewer(connector), channel="api")
            ctx.plan.add(days.at(1, 14, 20), revoke)


def _register(ctx, spec, state, plans, officer):
    def run():
        from app.services import intake
        from app.services.register import DocumentInput, TaskInput

        viewer = ctx.viewer(officer)
        incoming = intake.get(state["id"])
        data = DocumentInput(**{**intake.document_defaults(incoming), "source": "ad_hoc"})
        codes = dict(db.session.execute(select(Agency.code, Agency.id)).all())
        document = intake.register_incoming(state["id"], data, [
            TaskInput(content=t.content, lead_agency_id=codes[t.lead], deadline=t.deadline,
                      coordinating_agency_ids=[codes[c] for c in t.coordinating], tracking_officer_id=officer.id)
            for t in plans], viewer=viewer, send=True)
        for plan_task, task in zip(plans, sorted(document.tasks, key=lambda t: t.id)):
            plan_task.id = task.id
    return run


# -- direction (issue 13) -------------------------------------------------------------------------

REQUESTS = [
    # subject, body, agencies, sent (working days back), due working days, by the Chairman,
    # answers: code -> (answered working days back or None, submitted?)
    dict(subject="Báo cáo tình hình thiệt hại do bão số 13 và công tác khắc phục",
         body="Báo cáo nhanh thiệt hại về người, tài sản, hạ tầng; các giải pháp khắc phục và đề xuất hỗ trợ.",
         agencies=["SNNMT", "SXD", "SYT", "22366"], sent=30, due=3, chairman=True,
         answers={"SNNMT": 28, "SXD": 27, "SYT": 24, "22366": None}),
    dict(subject="Báo cáo tiến độ giải ngân vốn đầu tư công đến ngày 31/10",
         body="Số liệu giải ngân theo từng dự án; nguyên nhân chậm; kiến nghị điều chuyển vốn.",
         agencies=["STC", "SXD", "BQLKKT", "SNV"], sent=22, due=5, chairman=False,
         answers={"STC": 18, "SXD": 17, "BQLKKT": 14, "SNV": None}),
    dict(subject="Báo cáo kết quả triển khai kế hoạch chuyển đổi số năm",
         body="Kết quả thực hiện các chỉ tiêu chuyển đổi số; khó khăn, vướng mắc và đề xuất.",
         agencies=["STC", "SNV", "SKHCN", "22366"], sent=3, due=5, chairman=False,
         answers={"SKHCN": 1, "STC": "draft"}),
]
DIFFICULTIES = [
    # lead (or coordinating) agency, body, proposal, fate: open | answered | proposed
    ("22366", "Kinh phí bồi thường, hỗ trợ tái định cư vượt khả năng cân đối ngân sách phường.",
     "Đề nghị UBND tỉnh bổ sung có mục tiêu 35 tỷ đồng từ ngân sách tỉnh.", "open", 2),
    ("STC", "Chưa có hướng dẫn của Bộ Tài chính về điều chỉnh kế hoạch vốn trung hạn.",
     "Đề nghị Văn phòng UBND tỉnh báo cáo Chủ tịch cho phép điều chuyển vốn nội bộ.", "proposed", 9),
    ("SXD", "Nhà thầu thiếu vật liệu san lấp do mỏ đất chưa được cấp phép khai thác.",
     "Đề nghị Sở Nông nghiệp và Môi trường đẩy nhanh thủ tục cấp phép.", "answered", 14),
]


DIRECTIONS = {"extend": "Gia hạn lần cuối; yêu cầu báo cáo tiến độ hằng tuần.",
              "urge": "Yêu cầu hoàn thành trong tháng.",
              "other": "Giao Văn phòng chủ trì họp với các cơ quan liên quan, báo cáo trong 05 ngày."}


def _plan_direction(ctx, days: Days) -> None:
    plan, users = ctx.plan, ctx.users
    officer, leader, chairman = users["chuyenvien"], users["lanhdaovp"], users["chutich"]
    for spec in REQUESTS:
        _plan_request(ctx, days, spec, chairman if spec["chairman"] else officer)

    issues: dict = {}
    for lead, body, proposal, fate, n_back in DIFFICULTIES:
        plan.add(days.at(n_back, 10, 20), _difficulty(ctx, lead, body, proposal, issues))
        if fate == "answered":
            def answer(lead=lead):
                from app.services import difficulties

                difficulties.answer_issue(issues[lead], viewer=_viewer(officer), answer=(
                    "Văn phòng đã có văn bản đề nghị Sở Nông nghiệp và Môi trường hoàn thành thủ tục cấp phép "
                    "trong 10 ngày; đề nghị Sở Xây dựng chỉ đạo nhà thầu bố trí nguồn vật liệu thay thế."))
            plan.add(days.at(n_back - 2, 15, 0), answer)

    def disagreement():
        from app.services import difficulties

        task_id = db.session.scalar(select(Task.id).where(Task.status.in_(OPEN_STATES), Task.lead_agency_id.in_(
            _ids(["SNNMT", "BQLKKT"]))).join(Task.coordinating_agencies).order_by(Task.deadline).limit(1))
        if task_id is not None:
            issues["disagreement"] = difficulties.record_disagreement(
                task_id, viewer=_viewer(officer), body="Các cơ quan chưa thống nhất đơn vị chủ trì lập hồ sơ "
                "giao đất cho dự án.", positions="Sở Nông nghiệp và Môi trường: do Ban Quản lý Khu kinh tế lập; "
                "Ban Quản lý Khu kinh tế: thuộc thẩm quyền của Sở.").id
    plan.add(days.at(6, 11, 0), disagreement)

    # Proposals (Art. 5.3.d, 18.3): decided a week ago; submitted, waiting for the Chairman;
    # a draft waiting for the Office leader.
    held: dict = {}

    def overdue(n):
        from app.services.calendar import today

        return db.session.scalars(select(Task.id).where(Task.status.in_(OPEN_STATES), Task.deadline < today())
                                  .order_by(Task.deadline, Task.id).limit(n)).all()

    def decided_draft():
        from app.services import proposals

        held["decided"] = proposals.draft_proposal(viewer=_viewer(officer), task_ids=overdue(3),
                                                   reason="overdue").id

    def decided_submit():
        from app.services import proposals

        proposals.submit_proposal(held["decided"], viewer=_viewer(leader))

    def decided_direct():
        from app.services import proposals
        from app.services.calendar import today

        proposal = proposals.visible_proposal(held["decided"], _viewer(chairman))
        choices = ["extend", "urge", "other"]
        for item, choice in zip(sorted(proposal.items, key=lambda i: i.task_id), choices):
            task = db.session.get(Task, item.task_id)
            proposals.give_direction(
                held["decided"], viewer=_viewer(chairman), task_id=item.task_id, decision=choice,
                deadline=max(today(), task.deadline) + dt.timedelta(days=30) if choice == "extend" else None,
                comment=DIRECTIONS[choice])

    plan.add(days.at(12, 9, 0), decided_draft)
    plan.add(days.at(11, 16, 0), decided_submit)
    plan.add(days.at(8, 10, 0), decided_direct)

    def waiting_chairman():
        from app.services import proposals

        issue_id = issues.get("STC")
        from app.models_direction import TaskIssue

        task_id = db.session.get(TaskIssue, issue_id).task_id if issue_id else None
        ids = [task_id] if task_id else []
        if issues.get("disagreement"):
            ids.append(db.session.get(TaskIssue, issues["disagreement"]).task_id)
        held["submitted"] = proposals.draft_proposal(
            viewer=_viewer(officer), task_ids=ids, reason="difficulty",
            issue_ids=[i for i in (issue_id, issues.get("disagreement")) if i]).id
        proposals.submit_proposal(held["submitted"], viewer=_viewer(leader))
    plan.add(days.at(3, 15, 30), waiting_chairman)

    def waiting_leader():
        from app.services import ladder

        # The third rung: overdue tasks already urged by letter (or, failing those, the oldest overdue).
        candidates = db.session.scalars(select(Task.id).where(ladder.rung_condition("proposal"))
                                        .order_by(Task.deadline).limit(4)).all()
        candidates = candidates or db.session.scalars(select(Task.id).where(ladder.rung_condition("letter"))
                                                      .order_by(Task.deadline).limit(4)).all()
        ladder.draft_proposal(candidates, viewer=_viewer(officer))
    plan.add(days.at(1, 11, 15), waiting_leader)

    # The ladder's first rung: reminders sent by hand on a few overdue tasks (Art. 18.3).
    def remind():
        from app.services import ladder

        ids = db.session.scalars(select(Task.id).where(ladder.rung_condition("reminder"))
                                 .order_by(Task.deadline.desc()).limit(5)).all()
        if ids:
            ladder.remind_now(ids, viewer=_viewer(officer))
    plan.add(days.at(1, 8, 30), remind)


def _plan_request(ctx, days, spec, sender):
    state: dict = {}

    def send():
        from app.services import report_requests

        state["id"] = report_requests.create_request(
            viewer=_viewer(sender), subject=spec["subject"], body=spec["body"], agency_ids=_ids(spec["agencies"]),
            due_working_days=spec["due"]).id
    if not ctx.plan.add(days.at(spec["sent"], 9, 40), send):
        return
    for code, answered in spec["answers"].items():
        head = _head(ctx, code)
        if head is None:
            continue
        draft = answered == "draft"
        user = ctx.users["stc_cv"] if draft and code == "STC" else head
        n_back = 1 if draft else answered
        if n_back is None:
            continue

        def answer(user=user, draft=draft, code=code):
            from app.services import report_requests

            report_requests.answer(state["id"], viewer=_viewer(user), submit=not draft, body=(
                f"Báo cáo của {db.session.scalar(select(Agency.name).where(Agency.code == code))}: đã triển khai "
                "các nội dung được yêu cầu; số liệu chi tiết tại biểu kèm theo."))
        ctx.plan.add(days.at(n_back, 15, 10), answer)


def _difficulty(ctx, code, body, proposal, issues):
    def run():
        from app.services import difficulties

        head = _head(ctx, code)
        agency_id = _ids([code])[0]
        task_id = db.session.scalar(select(Task.id).where(Task.status.in_(OPEN_STATES),
                                                          Task.lead_agency_id == agency_id)
                                    .order_by(Task.deadline.desc()).limit(1))
        if head is None or task_id is None:
            return
        issues[code] = difficulties.report_difficulty(task_id, viewer=_viewer(head), body=body, proposal=proposal).id
    return run
