"""Agencies, users and demo data."""
from __future__ import annotations

import datetime as dt
import random

from flask import g
from sqlalchemy import func, insert, select

from app.domain.vocabulary import AGENCYLESS_ROLES, Role, TaskStatus
from app.extensions import appbuilder, db
from app.models import Agency, Document, Task, AppUser, local_now, task_coordinating_agency
from app.seed.agencies import all_agencies


class UserError(Exception):
    pass


def seed_agencies() -> tuple[int, int]:
    existing = {a.code: a for a in db.session.scalars(select(Agency))}
    added = updated = 0
    for seed in all_agencies():
        row = existing.get(seed.code)
        if row is None:
            db.session.add(Agency(code=seed.code, name=seed.name, short_name=seed.short_name,
                                  kind=seed.kind.value, active=True))
            added += 1
        elif (row.name, row.short_name, row.kind) != (seed.name, seed.short_name, seed.kind.value):
            row.name, row.short_name, row.kind = seed.name, seed.short_name, seed.kind.value
            updated += 1
    db.session.commit()
    return added, updated


def create_user(*, username, password, role_name, agency_code=None, email=None, full_name=None) -> AppUser:
    sm = appbuilder().sm
    role = sm.find_role(role_name)
    if role is None:
        raise UserError(f"Role {role_name} does not exist: run `flask roles sync` first.")
    agency = None
    if agency_code:
        agency = db.session.scalar(select(Agency).where(Agency.code == agency_code))
        if agency is None:
            raise UserError(f"No agency has the code {agency_code}.")
    if role_name not in {r.value for r in AGENCYLESS_ROLES} and agency is None:
        raise UserError(f"A {role_name} must belong to an agency: give --agency CODE.")
    if sm.find_user(username=username):
        raise UserError(f"The username {username} is taken.")
    from app.passwords import current_policy, policy_message

    if not current_policy().accepts(password or ""):
        raise UserError(policy_message(current_policy()))
    first, _, last = (full_name or username).rpartition(" ")
    user = sm.add_user(username=username, first_name=last or username, last_name=first or "",
                       email=email or f"{username}@khanhhoa.invalid", role=role, password=password)
    if not user:
        raise UserError("The user could not be created (is the e-mail address taken?).")
    if agency is not None:
        user.agency_id = agency.id
        db.session.commit()
    return user


DEMO_PASSWORD = "Demo@2026"
DEMO_USERS = [
    ("admin", Role.Admin, None, "Quản trị Hệ thống"),
    ("lanhdaovp", Role.OfficeLeader, None, "Nguyễn Văn Lãnh"),
    ("chuyenvien", Role.OfficeOfficial, None, "Trần Thị Theo Dõi"),
    ("chutich", Role.Chairman, None, "Lê Văn Chủ"),
    ("stc_gd", Role.AgencyHead, "STC", "Phạm Minh Tài"),
    ("stc_cv", Role.AgencyStaff, "STC", "Võ Thị Chuyên"),
    ("snv_gd", Role.AgencyHead, "SNV", "Đặng Văn Nội"),
    ("nhatrang_ct", Role.CommuneChair, "22366", "Huỳnh Văn Phường"),
    ("totcongtac", Role.WorkingGroupMember, "TTT", "Bùi Thị Kiểm"),
    ("vanthu_ketnoi", Role.Connector, None, "Hệ thống Quản lý văn bản"),
]

# What each demo login can try (printed by `flask demo seed`, and in the README's demo section).
DEMO_HINTS = {
    "admin": "Quản trị: người dùng, vai trò, lịch làm việc, cấu hình",
    "lanhdaovp": "Tờ trình xin ý kiến Chủ tịch: duyệt dự thảo tờ trình chờ Lãnh đạo Văn phòng",
    "chuyenvien": "Văn bản đến chờ nhập (một cập nhật, một thu hồi chờ xác nhận); Kiểm tra: quyết định đã kết "
                  "thúc chờ báo cáo kết quả; yêu cầu báo cáo đột xuất; khó khăn, vướng mắc; nhiệm vụ quá hạn",
    "chutich": "Tờ trình chờ ý kiến chỉ đạo; dự thảo quyết định kiểm tra chờ ký ban hành; đề nghị gia hạn",
    "stc_gd": "Sở Tài chính đang được kiểm tra: nộp báo cáo (bản nháp của chuyên viên); trả lời yêu cầu báo cáo "
              "đột xuất; tiếp nhận nhiệm vụ",
    "stc_cv": "Soạn báo cáo của Sở cho Tổ công tác và câu trả lời yêu cầu báo cáo đột xuất",
    "snv_gd": "Đọc báo cáo kết quả kiểm tra Sở Nội vụ, Sở Y tế (đã gửi)",
    "nhatrang_ct": "Phường Nha Trang đang được kiểm tra; khó khăn đã báo cáo chờ Văn phòng; "
                   "yêu cầu báo cáo chưa trả lời",
    "totcongtac": "Tổ công tác: cuộc kiểm tra đang diễn ra (ghi kết quả, yêu cầu báo cáo) và nhiệm vụ của "
                  "Sở Tài chính, Phường Nha Trang",
    "vanthu_ketnoi": "Tài khoản Hệ thống quản lý văn bản: POST /api/v1/intake/edxml, "
                     "GET /api/v1/intake/<id>/status.edxml (không xem nhiệm vụ)",
}

DEMO_DOCUMENTS = [
    ("official_letter", "4521/UBND-KT", "V/v triển khai các giải pháp thúc đẩy giải ngân vốn đầu tư công năm 2026",
     "chairman", "urgent", "ad_hoc", [
         ("STC", ["SXD", "SNNMT"], "Rà soát, tham mưu điều chuyển kế hoạch vốn của các dự án chậm giải ngân", 20),
         ("SXD", ["STC"], "Kiểm tra tiến độ thi công các công trình trọng điểm, báo cáo UBND tỉnh", 10),
     ]),
    ("notice", "312/TB-UBND", "Thông báo kết luận của Chủ tịch UBND tỉnh tại cuộc họp UBND tỉnh thường kỳ tháng 10/2026",
     "committee", "normal", "meeting_conclusion", [
         ("SNV", [], "Tham mưu phương án sắp xếp đơn vị sự nghiệp công lập sau hợp nhất", 30),
         ("22366", ["SXD"], "Hoàn thành giải phóng mặt bằng dự án chỉnh trang đô thị ven biển Nha Trang", -3),
         ("STC", ["SNV"], "Báo cáo tình hình thu ngân sách 10 tháng và dự kiến cả năm 2026", 2),
     ]),
    ("plan", "98/KH-UBND", "Kế hoạch thực hiện Chương trình công tác năm 2026 của UBND tỉnh",
     "committee", "normal", "work_program", [
         ("SKHCN", ["STC"], "Xây dựng đề án chuyển đổi số trong cơ quan nhà nước tỉnh giai đoạn 2026-2030", 45),
         ("SYT", [], "Triển khai tiêm chủng mở rộng tại các xã, phường, đặc khu", 15),
     ]),
]


def _ensure_user(username, role, agency_code, full_name) -> AppUser:
    sm = appbuilder().sm
    user = sm.find_user(username=username)
    if user is None:
        user = create_user(username=username, password=DEMO_PASSWORD, role_name=role.value,
                           agency_code=agency_code, full_name=full_name)
    return user


def seed_demo() -> list[tuple[str, str, str]]:
    """One user per role and a few realistic documents; idempotent."""
    from app.services.calendar import current_calendar, today
    from app.services.register import DocumentInput, TaskInput, create_document
    from app.access import viewer_for

    seed_agencies()
    users = {name: _ensure_user(name, role, code, full) for name, role, code, full in DEMO_USERS}
    officer = users["chuyenvien"]
    codes = {a.code: a.id for a in db.session.scalars(select(Agency))}
    calendar, now = current_calendar(), today()
    g.acting_user_id = officer.id
    created = False
    for doc_type, number, summary, issuer, urgency, source, tasks in DEMO_DOCUMENTS:
        if db.session.scalar(select(Document.id).where(Document.number == number)):
            continue
        created = True
        issued = calendar.add_working_days(now - dt.timedelta(days=40), 1) if any(
            d < 0 for *_x, d in tasks) else now - dt.timedelta(days=2)
        inputs = []
        for lead, coordinating, content, days in tasks:
            deadline = (calendar.add_working_days(now, days) if days >= 0
                        else now - dt.timedelta(days=-days))
            inputs.append(TaskInput(content=content, lead_agency_id=codes[lead], deadline=deadline,
                                    coordinating_agency_ids=[codes[c] for c in coordinating],
                                    tracking_officer_id=officer.id))
        create_document(
            DocumentInput(doc_type=doc_type, number=number, summary=summary, issued_on=issued,
                          signer="Trần Quốc Nam" if issuer == "chairman" else "Nguyễn Tấn Tuân",
                          issuer=issuer, source=source, urgency=urgency),
            inputs, viewer=viewer_for(officer), send=True)
    if created:
        _demo_activity(users)
    return [(name, DEMO_PASSWORD, role.value) for name, role, *_ in DEMO_USERS]


def _demo_activity(users) -> None:
    """Move the demo tasks through the lifecycle, so every inbox has something."""
    from app.access import viewer_for
    from app.services import lifecycle

    def task(prefix):
        return db.session.scalar(select(Task.id).where(Task.content.startswith(prefix)))

    def act(name, prefix, action, **kwargs):
        lifecycle.transition(task(prefix), action, viewer=viewer_for(users[name]), **kwargs)

    # Sở Tài chính reported a result: the Office has it to confirm.
    act("stc_gd", "Báo cáo tình hình thu ngân sách", "receive")
    lifecycle.post_update(task("Báo cáo tình hình thu ngân sách"), viewer=viewer_for(users["stc_cv"]),
                          body="Đã tổng hợp số liệu thu 10 tháng của 65 xã, phường (bản nháp).")
    act("stc_gd", "Báo cáo tình hình thu ngân sách", "report",
        result="Đã có Báo cáo số 215/BC-STC về thu ngân sách 10 tháng, ước thực hiện cả năm đạt 104% dự toán.")
    # Sở Nội vụ returned a task: the Office must correct or transfer it.
    act("snv_gd", "Tham mưu phương án sắp xếp", "return", reason="data_mismatch",
        comment="Nội dung giao chưa khớp với Kế hoạch 98/KH-UBND; đề nghị Văn phòng rà soát lại.")
    # Sở Tài chính asks for more time: the Chairman has it to decide.
    act("stc_gd", "Rà soát, tham mưu điều chuyển", "receive")
    deadline = db.session.get(Task, task("Rà soát, tham mưu điều chuyển")).deadline
    lifecycle.request_extension(task("Rà soát, tham mưu điều chuyển"), viewer=viewer_for(users["stc_gd"]),
                                reason="Chờ Bộ Tài chính thông báo điều chỉnh kế hoạch vốn trung hạn.",
                                proposed_deadline=deadline + dt.timedelta(days=21))



def bulk_tasks(n: int, *, batch: int = 20000, seed: int = 26) -> int:
    """Insert n generated tasks (and one document per 5 tasks) with core bulk
    inserts: no ORM objects, no history rows (generated data, not user edits)."""
    rng = random.Random(seed)
    agencies = list(db.session.scalars(select(Agency.id).where(Agency.active.is_(True))))
    officer = db.session.scalar(select(AppUser.id).where(AppUser.username == "chuyenvien"))
    start = dt.date(2017, 1, 2)
    span = (dt.date(2026, 12, 31) - start).days
    statuses = [s.value for s in TaskStatus]
    sources = ["work_program", "meeting_conclusion", "ad_hoc"]
    created = local_now()
    first_doc = (db.session.scalar(select(func.max(Document.id))) or 0) + 1
    first_task = (db.session.scalar(select(func.max(Task.id))) or 0) + 1
    n_docs = (n + 4) // 5
    engine = db.session.connection()
    for offset in range(0, n_docs, batch):
        rows = []
        for i in range(offset, min(n_docs, offset + batch)):
            issued = start + dt.timedelta(days=rng.randrange(span))
            rows.append(dict(
                id=first_doc + i, doc_type="official_letter", number=f"{first_doc + i}/UBND-BENCH",
                summary=f"Văn bản chỉ đạo số {first_doc + i}", issued_on=issued, signer="Bench",
                issuer="committee", urgency="normal", source=sources[i % 3],
                entry_due_on=issued + dt.timedelta(days=1), created_on=created, version=1))
        engine.execute(insert(Document), rows)
    doc_dates = dict(engine.execute(select(Document.id, Document.issued_on).where(
        Document.id >= first_doc)).all())
    for offset in range(0, n, batch):
        tasks, links = [], []
        for i in range(offset, min(n, offset + batch)):
            task_id, doc_id = first_task + i, first_doc + i // 5
            deadline = doc_dates[doc_id] + dt.timedelta(days=rng.randrange(5, 120))
            status = statuses[rng.randrange(len(statuses))]
            lead = rng.choice(agencies)
            tasks.append(dict(
                id=task_id, document_id=doc_id, content=f"Nhiệm vụ thử nghiệm số {task_id}",
                lead_agency_id=lead, tracking_officer_id=officer, deadline=deadline,
                status=status, sent_at=None if status == "draft" else created, created_on=created,
                version=1))
            for agency in rng.sample(agencies, rng.choice((0, 1, 1, 2))):
                if agency != lead:
                    links.append(dict(task_id=task_id, agency_id=agency))
        engine.execute(insert(Task), tasks)
        if links:
            engine.execute(insert(task_coordinating_agency), links)
    db.session.commit()
    _reset_sequences()
    return n


def _reset_sequences() -> None:
    """After inserts with explicit ids, PostgreSQL's sequences must catch up."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.begin() as conn:
        for table in ("document", "task"):
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
