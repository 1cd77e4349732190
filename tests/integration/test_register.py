"""The register service: what the Office enters, what is refused, what is recorded."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import ChangeLog, Document, Task
from app.services import register
from app.services.errors import Conflict, Forbidden, Invalid
from tests.conftest import agency_id, viewer


def _doc(**overrides):
    fields = dict(doc_type="official_letter", number="77/UBND-KT", summary="V/v giải ngân vốn",
                  issued_on=dt.date(2026, 11, 20), signer="Trần Quốc Nam", issuer="chairman",
                  source="ad_hoc", urgency="normal")
    fields.update(overrides)
    return register.DocumentInput(**fields)


def _task(**overrides):
    fields = dict(content="Rà soát kế hoạch vốn", lead_agency_id=agency_id("STC"),
                  deadline=dt.date(2026, 12, 15))
    fields.update(overrides)
    return register.TaskInput(**fields)


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("secrecy", ["confidential", "secret", "top_secret"])
def test_a_classified_document_is_refused_and_nothing_is_stored(ctx, secrecy):
    with pytest.raises(Invalid) as refused:
        register.create_document(_doc(secrecy=secrecy), [_task()], viewer=viewer("officer"))
    message = str(refused.value.message)
    assert "khoản 1 Điều 7" in message and "Điều 8" in message and "Chưa có dữ liệu nào được lưu" in message
    assert _count(Document) == 0 and _count(Task) == 0 and _count(ChangeLog) == 0


def test_a_task_without_deadline_is_refused_citing_article_7_2(ctx):
    with pytest.raises(Invalid) as refused:
        register.create_document(_doc(), [_task(), _task(deadline=None)], viewer=viewer("officer"))
    messages = [str(m) for m in refused.value.errors["tasks-1-deadline"]]
    assert messages[0].startswith("Nhiệm vụ 2 không có thời hạn cụ thể")
    assert "khoản 2 Điều 7" in messages[0] and "Điều 9" in messages[0]
    assert _count(Document) == 0 and _count(Task) == 0


def test_a_document_with_two_tasks_is_stored_with_its_entry_deadline(ctx):
    document = register.create_document(
        _doc(), [_task(), _task(lead_agency_id=agency_id("SNV"), coordinating_agency_ids=[agency_id("STC")])],
        viewer=viewer("officer"), send=True)
    assert [t.status for t in document.tasks] == ["assigned", "assigned"]
    assert all(t.sent_at is not None for t in document.tasks)
    # Art. 6.1.b: Friday 20/11/2026 + 1 working day = Monday 23/11/2026.
    assert document.entry_due_on == dt.date(2026, 11, 23)
    assert document.tasks[1].coordinating_agencies[0].code == "STC"
    assert document.tasks[0].tracking_officer.username == "officer"
    created = db.session.scalars(select(ChangeLog.entity).where(ChangeLog.action == "create")).all()
    assert sorted(created) == ["document", "task", "task"]


def test_an_urgent_document_is_due_the_day_it_is_issued(ctx):
    document = register.create_document(_doc(urgency="flash"), [_task()], viewer=viewer("officer"))
    assert document.entry_due_on == dt.date(2026, 11, 20)


def test_a_higher_authority_document_needs_who_issued_it_and_when_it_arrived(ctx):
    with pytest.raises(Invalid) as refused:
        register.create_document(_doc(issuer="higher_authority"), [_task()], viewer=viewer("officer"))
    assert set(refused.value.errors) == {"issuer_name", "received_on"}
    document = register.create_document(
        _doc(issuer="higher_authority", issuer_name="Văn phòng Chính phủ", received_on=dt.date(2026, 11, 23)),
        [_task()], viewer=viewer("officer"))
    # Art. 6.3: 1 working day after receipt; 24/11/2026 is Ngày Văn hóa Việt Nam.
    assert document.entry_due_on == dt.date(2026, 11, 25)


def test_the_same_document_cannot_be_entered_twice(ctx):
    register.create_document(_doc(), [_task()], viewer=viewer("officer"))
    with pytest.raises(Invalid) as refused:
        register.create_document(_doc(), [_task()], viewer=viewer("officer"))
    assert str(refused.value.errors["number"][0]) == "Văn bản số 77/UBND-KT ngày 20/11/2026 đã có trong Hệ thống."


def test_the_lead_agency_cannot_also_coordinate(ctx):
    with pytest.raises(Invalid) as refused:
        register.create_document(_doc(), [_task(coordinating_agency_ids=[agency_id("STC")])],
                                 viewer=viewer("officer"))
    assert "tasks-0-coordinating_agency_ids" in refused.value.errors


def test_only_the_office_enters_documents(ctx):
    with pytest.raises(Forbidden):
        register.create_document(_doc(), [_task()], viewer=viewer("stc_head"))
    with pytest.raises(Forbidden):
        register.create_document(_doc(), [_task()], viewer=viewer("chairman"))


def test_a_stale_edit_is_refused_and_changes_nothing(ctx):
    document = register.create_document(_doc(), [_task()], viewer=viewer("officer"))
    task = document.tasks[0]
    register.update_task(task.id, {"content": "Nội dung mới"}, expected_version=1, viewer=viewer("officer"))
    with pytest.raises(Conflict) as stale:
        register.update_task(task.id, {"content": "Bản cũ ghi đè"}, expected_version=1, viewer=viewer("leader"))
    assert str(stale.value.message).startswith("Người khác đã thay đổi bản ghi này")
    db.session.expire_all()
    assert db.session.get(Task, task.id).content == "Nội dung mới"


def test_every_change_is_in_the_history_with_old_and_new_values(ctx):
    document = register.create_document(_doc(), [_task()], viewer=viewer("officer"))
    task = document.tasks[0]
    register.update_task(task.id, {"notes": "Ghi chú", "coordinating_agency_ids": [agency_id("SNV")]},
                         expected_version=1, viewer=viewer("officer"))
    rows = db.session.scalars(select(ChangeLog).where(ChangeLog.entity == "task", ChangeLog.action == "update")
                              .order_by(ChangeLog.field)).all()
    assert [(r.field, r.old_value, r.new_value) for r in rows] == [
        ("coordinating_agencies", "", str(agency_id("SNV"))), ("notes", None, "Ghi chú")]
    assert all(r.user.username == "officer" for r in rows)


def test_history_rows_can_never_be_changed(ctx):
    from app.history import HistoryIsAppendOnly

    register.create_document(_doc(), [_task()], viewer=viewer("officer"))
    row = db.session.scalars(select(ChangeLog)).first()
    row.comment = "rewritten"
    with pytest.raises(HistoryIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_the_deadline_of_a_sent_task_moves_only_by_extension(ctx):
    document = register.create_document(_doc(), [_task()], viewer=viewer("officer"), send=True)
    with pytest.raises(Invalid) as refused:
        register.update_task(document.tasks[0].id, {"deadline": dt.date(2027, 1, 15)}, expected_version=1,
                             viewer=viewer("officer"))
    assert "điểm đ khoản 2 Điều 5" in str(refused.value.errors["tasks-0-deadline"][0])
