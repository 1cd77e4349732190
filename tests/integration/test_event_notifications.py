"""Every lifecycle event tells the people it concerns, once (Art. 5, 10, 18)."""
import datetime as dt

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Notification
from app.services import lifecycle
from app.services.calendar import today
from tests.conftest import agency_id, user, viewer


@pytest.fixture
def task_id(make_document):
    _, (tid,) = make_document([{"lead": "STC", "coordinating": ["SNV"], "content": "Báo cáo thu ngân sách",
                                "deadline": today() + dt.timedelta(days=20)}], send=False, issued_on=today())
    return tid


def act(task_id, action, username, **kwargs):
    return lifecycle.transition(task_id, action, viewer=viewer(username), **kwargs)


def told(kind):
    rows = db.session.execute(select(Notification.user_id, Notification.link).where(Notification.kind == kind)).all()
    names = {db.session.get(type(user("admin")), uid).username for uid, _ in rows}
    assert len(rows) == len(names), "someone was told twice"
    return names


def test_sending_tells_the_lead_agency_and_each_coordinating_agency(ctx, task_id):
    act(task_id, "send", "officer")
    assert told("task_sent") == {"stc_head", "stc_staff", "snv_head"}
    link = db.session.scalar(select(Notification.link).where(Notification.kind == "task_sent"))
    assert link == f"/tasks/show/{task_id}"


def test_giao_ngay_tells_the_agencies_too(ctx, make_document):
    make_document([{"lead": "SNV", "content": "Rà soát biên chế"}], send=True)
    assert told("task_sent") == {"snv_head"}


def test_each_step_tells_the_tracking_officer_or_the_lead(ctx, task_id):
    act(task_id, "send", "officer")
    act(task_id, "receive", "stc_head")
    assert told("task_received") == {"officer"}
    act(task_id, "report", "stc_head", result="Đã báo cáo")
    assert told("task_reported") == {"officer"}
    act(task_id, "refuse", "officer", comment="Chưa đủ số liệu")
    assert told("task_refused") == {"stc_head", "stc_staff"}  # not the coordinating agency
    act(task_id, "report", "stc_head", result="Đã bổ sung")
    act(task_id, "confirm", "officer")
    assert told("task_confirmed") == {"stc_head", "stc_staff"}
    assert "chairman" not in told("task_sent") | told("task_received")


def test_return_and_transfer_tell_the_officer_then_the_old_and_new_lead(ctx, task_id):
    act(task_id, "send", "officer")
    act(task_id, "return", "stc_head", comment="Thuộc chức năng Sở Y tế", reason="not_competent")
    assert told("task_returned") == {"officer"}
    act(task_id, "send", "officer", lead_agency_id=agency_id("SYT"))
    rows = db.session.scalars(select(Notification).where(Notification.kind == "task_transferred")).all()
    # STC no longer sees the task: told without the task or a link (the row-level rule).
    former = [n for n in rows if n.user.agency_id == agency_id("STC")]
    assert {n.user.username for n in former} == {"stc_head", "stc_staff"}
    assert all(n.task_id is None and n.link is None for n in former)
    assert all(n.user.agency_id in (agency_id("STC"), agency_id("SYT")) for n in rows)


def test_withdrawal_tells_the_agencies_on_the_task(ctx, task_id):
    act(task_id, "send", "officer")
    act(task_id, "withdraw", "officer", comment="Văn bản bị thu hồi")
    assert told("task_withdrawn") == {"stc_head", "stc_staff", "snv_head"}


def test_extension_asked_and_decided(ctx, task_id):
    act(task_id, "send", "officer")
    act(task_id, "receive", "stc_head")
    request = lifecycle.request_extension(task_id, viewer=viewer("stc_head"), reason="Chờ số liệu",
                                          proposed_deadline=today() + dt.timedelta(days=40))
    assert told("extension_asked") == {"chairman", "officer"}
    lifecycle.decide_extension(request.id, viewer=viewer("chairman"), approve=True)
    assert told("extension_decided") == {"stc_head", "stc_staff", "officer"}


def test_a_contribution_tells_the_lead_agency_only(ctx, task_id):
    act(task_id, "send", "officer")
    act(task_id, "receive", "stc_head")
    lifecycle.post_update(task_id, viewer=viewer("snv_head"), body="Sở Nội vụ đã gửi số liệu")
    assert told("contribution") == {"stc_head", "stc_staff"}
    lifecycle.post_update(task_id, viewer=viewer("stc_head"), body="Tiến độ 50%")  # progress: nobody
    assert db.session.scalar(select(db.func.count(Notification.id)).where(Notification.kind == "contribution")) == 2


def test_a_refused_step_tells_nobody(ctx, task_id):
    act(task_id, "send", "officer")
    with pytest.raises(Exception):
        act(task_id, "report", "stc_head", result="")
    db.session.rollback()
    assert told("task_reported") == set()
