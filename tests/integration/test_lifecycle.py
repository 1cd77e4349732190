"""The lifecycle services, as each role uses them (SPEC §4.3–4.5)."""
import datetime as dt
import threading

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ChangeLog, Feedback, Task
from app.services import lifecycle
from app.services.calendar import today
from app.services.errors import Conflict, Forbidden, Invalid
from tests.conftest import agency_id, viewer


@pytest.fixture
def task_id(make_document):
    _, (tid,) = make_document([{"lead": "STC", "coordinating": ["SNV"], "content": "Báo cáo thu ngân sách",
                                "deadline": today() + dt.timedelta(days=20)}], send=False,
                              issued_on=today())
    return tid


def act(task_id, action, user, **kwargs):
    return lifecycle.transition(task_id, action, viewer=viewer(user), **kwargs)


def test_the_whole_path_from_draft_to_completed_on_time(ctx, task_id):
    assert act(task_id, "send", "officer").status == "assigned"
    assert act(task_id, "receive", "stc_head").status == "in_progress"
    task = act(task_id, "report", "stc_head", result="Đã báo cáo UBND tỉnh tại văn bản 12/STC")
    assert task.status == "reported" and task.result_submitted_at is not None
    task = act(task_id, "confirm", "officer")
    assert task.status == "completed" and task.completed_on == today()
    from app.domain.lifecycle import completion

    assert completion(task.status, task.completed_on, task.deadline) == "on_time"
    actions = db.session.scalars(select(ChangeLog.action).where(
        ChangeLog.entity == "task", ChangeLog.field == "status").order_by(ChangeLog.id)).all()
    assert actions == ["send", "receive", "report", "confirm"]


def test_the_agency_returns_a_task_and_the_office_transfers_it(ctx, task_id):
    act(task_id, "send", "officer")
    with pytest.raises(Invalid):
        act(task_id, "return", "stc_head", comment="Không thuộc thẩm quyền")  # no reason chosen
    act(task_id, "return", "stc_head", comment="Thuộc chức năng của Sở Nội vụ", reason="not_competent")
    feedback = db.session.scalar(select(Feedback))
    assert feedback.reason == "not_competent" and feedback.agency.code == "STC"
    with pytest.raises(Invalid):  # SNV coordinates: it cannot also lead
        act(task_id, "send", "officer", lead_agency_id=agency_id("SNV"))
    task = act(task_id, "send", "officer", lead_agency_id=agency_id("SYT"))
    assert task.status == "assigned" and task.lead_agency.code == "SYT"
    assert lifecycle.visible_task(task_id, viewer("stc_head")) is None  # STC no longer sees it


def test_the_office_refuses_a_result_with_a_reason(ctx, task_id):
    act(task_id, "send", "officer")
    act(task_id, "receive", "stc_head")
    act(task_id, "report", "stc_head", result="Sơ bộ")
    with pytest.raises(Invalid):
        act(task_id, "refuse", "officer", comment="")
    task = act(task_id, "refuse", "officer", comment="Chưa đủ số liệu quý III")
    assert task.status == "in_progress" and task.completed_on is None
    row = db.session.scalar(select(ChangeLog).where(ChangeLog.action == "refuse"))
    assert row.comment == "Chưa đủ số liệu quý III"


@pytest.mark.parametrize("user,action", [
    ("stc_staff", "receive"), ("snv_head", "receive"), ("officer", "receive"), ("chairman", "receive"),
    ("stc_head", "send"), ("admin", "send")])
def test_roles_that_may_not_act_are_refused_and_nothing_changes(ctx, task_id, user, action):
    if action == "receive":
        act(task_id, "send", "officer")
    before = db.session.get(Task, task_id).status
    with pytest.raises(Forbidden):
        act(task_id, action, user)
    db.session.rollback()
    assert db.session.get(Task, task_id).status == before


def test_a_state_that_does_not_allow_it_answers_conflict(ctx, task_id):
    with pytest.raises(Conflict):
        act(task_id, "confirm", "officer")


def test_staff_draft_updates_and_the_head_posts_them(ctx, task_id):
    act(task_id, "send", "officer")
    draft = lifecycle.post_update(task_id, viewer=viewer("stc_staff"), body="Đã làm việc với các huyện")
    assert draft.draft and draft.kind == "progress"
    with pytest.raises(Forbidden):
        lifecycle.publish_draft(draft.id, viewer=viewer("snv_head"))
    posted = lifecycle.publish_draft(draft.id, viewer=viewer("stc_head"))
    assert not posted.draft and posted.posted_by.username == "stc_head"
    with pytest.raises(Conflict):
        lifecycle.publish_draft(draft.id, viewer=viewer("stc_head"))


def test_a_coordinating_agency_contributes_but_cannot_report(ctx, task_id):
    act(task_id, "send", "officer")
    act(task_id, "receive", "stc_head")
    entry = lifecycle.post_update(task_id, viewer=viewer("snv_head"), body="Sở Nội vụ đã cung cấp số liệu")
    assert entry.kind == "contribution" and not entry.draft
    with pytest.raises(Forbidden):
        act(task_id, "report", "snv_head", result="x")
    with pytest.raises(Forbidden):
        lifecycle.request_extension(task_id, viewer=viewer("snv_head"), reason="x",
                                    proposed_deadline=today() + dt.timedelta(days=60))


def test_an_extension_approved_by_the_chairman_moves_the_deadline_and_keeps_the_first(ctx, task_id):
    act(task_id, "send", "officer")
    first = db.session.get(Task, task_id).deadline
    proposed = first + dt.timedelta(days=30)
    request = lifecycle.request_extension(task_id, viewer=viewer("stc_head"), reason="Chờ ý kiến Bộ Tài chính",
                                          proposed_deadline=proposed)
    assert request.status == "pending" and not request.late
    with pytest.raises(Conflict):
        lifecycle.request_extension(task_id, viewer=viewer("stc_head"), reason="lần 2",
                                    proposed_deadline=proposed)
    with pytest.raises(Forbidden):
        lifecycle.decide_extension(request.id, viewer=viewer("officer"), approve=True)
    other = proposed + dt.timedelta(days=5)
    decided = lifecycle.decide_extension(request.id, viewer=viewer("chairman"), approve=True, deadline=other,
                                         comment="Đồng ý")
    task = db.session.get(Task, task_id)
    assert decided.status == "approved" and task.deadline == other and task.original_deadline == first
    with pytest.raises(Conflict):
        lifecycle.decide_extension(request.id, viewer=viewer("chairman"), approve=False)


def test_a_refused_extension_leaves_the_deadline(ctx, task_id):
    act(task_id, "send", "officer")
    deadline = db.session.get(Task, task_id).deadline
    request = lifecycle.request_extension(task_id, viewer=viewer("stc_head"), reason="Thiếu nhân lực",
                                          proposed_deadline=deadline + dt.timedelta(days=10))
    lifecycle.decide_extension(request.id, viewer=viewer("chairman"), approve=False, comment="Không đồng ý")
    task = db.session.get(Task, task_id)
    assert task.deadline == deadline and task.original_deadline is None


def test_a_late_request_is_marked_late(ctx, make_document):
    _, (tid,) = make_document([{"lead": "STC", "deadline": today() - dt.timedelta(days=3)}],
                              issued_on=today() - dt.timedelta(days=10))
    request = lifecycle.request_extension(tid, viewer=viewer("stc_head"), reason="Quá hạn do mưa bão",
                                          proposed_deadline=today() + dt.timedelta(days=10))
    assert request.late


def test_the_office_records_an_extension_approved_outside_the_system(ctx, task_id):
    act(task_id, "send", "officer")
    first = db.session.get(Task, task_id).deadline
    entry = lifecycle.record_extension(task_id, viewer=viewer("officer"), deadline=first + dt.timedelta(days=15),
                                       reference="Văn bản 801/UBND-TH ngày 20/11/2026")
    assert entry.status == "approved" and entry.reference.startswith("Văn bản 801")
    assert db.session.get(Task, task_id).original_deadline == first
    with pytest.raises(Forbidden):
        lifecycle.record_extension(task_id, viewer=viewer("stc_head"), deadline=first + dt.timedelta(days=40),
                                   reference="x")


def test_two_concurrent_confirmations_leave_one_result(app, task_id, ctx):
    act(task_id, "send", "officer")
    act(task_id, "receive", "stc_head")
    act(task_id, "report", "stc_head", result="Kết quả")
    barrier, outcomes = threading.Barrier(2), []

    def confirm(username):
        with app.test_request_context():
            task = db.session.get(Task, task_id)  # both read the task as reported
            assert task.status == "reported"
            barrier.wait()
            try:
                lifecycle.transition(task_id, "confirm", viewer=viewer(username))
                outcomes.append("ok")
            except Conflict:
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm, args=(u,)) for u in ("officer", "leader")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    db.session.expire_all()
    rows = db.session.scalars(select(ChangeLog).where(ChangeLog.action == "confirm", ChangeLog.field == "status")).all()
    assert len(rows) == 1
