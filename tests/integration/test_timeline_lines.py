"""The task page's history: one line per event, in words a user reads (issue 9): the
sending of a task entered with "Giao ngay", an approved extension once (old → new
deadline, never "Thời hạn ban đầu: — → …"), a return once with its reason."""
import datetime as dt
import re

from app.extensions import db
from app.models import Task
from tests.conftest import viewer


def _timeline(client, task_id) -> list[str]:
    page = client.get(f"/tasks/show/{task_id}").get_data(as_text=True)
    block = re.search(r'<ul class="list-group" id="task-timeline">(.*?)</ul>', page, re.S).group(1)
    items = re.findall(r"<li[^>]*>(.*?)</li>", block, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_a_task_entered_with_giao_ngay_shows_its_sending(client, auth, make_document):
    _, (task_id,) = make_document([{"lead": "STC"}], send=True)
    auth.login("officer")
    lines = _timeline(client, task_id)
    assert len(lines) == 2
    assert "Tạo mới" in lines[0]
    assert "Giao nhiệm vụ cho cơ quan chủ trì" in lines[1]


def test_a_task_sent_later_shows_entry_then_sending_once(app, client, auth, make_document):
    from app.services.lifecycle import transition

    _, (task_id,) = make_document([{"lead": "STC"}], send=False)
    with app.test_request_context():
        transition(task_id, "send", viewer=viewer("officer"))
    auth.login("officer")
    lines = _timeline(client, task_id)
    assert sum("Giao nhiệm vụ cho cơ quan chủ trì" in line for line in lines) == 1
    assert len(lines) == 2


def test_an_approved_extension_is_one_line_from_the_old_to_the_new_deadline(app, client, auth, make_document):
    from app.services import lifecycle

    deadline = dt.date.today() + dt.timedelta(days=10)
    new = deadline + dt.timedelta(days=20)
    _, (task_id,) = make_document([{"lead": "STC", "deadline": deadline}])
    with app.test_request_context():
        lifecycle.transition(task_id, "receive", viewer=viewer("stc_head"))
        request = lifecycle.request_extension(task_id, viewer=viewer("stc_head"), reason="Chờ ý kiến của Bộ",
                                              proposed_deadline=new)
        lifecycle.decide_extension(request.id, viewer=viewer("chairman"), approve=True, comment="Đồng ý")
    auth.login("officer")
    lines = _timeline(client, task_id)
    text = "\n".join(lines)
    approved = [line for line in lines if "Đồng ý gia hạn" in line]
    assert len(approved) == 1
    assert f"Thời hạn: {deadline:%d/%m/%Y} → {new:%d/%m/%Y}" in approved[0]
    assert "Thời hạn ban đầu" not in text and "— →" not in text
    assert sum("Đề nghị gia hạn" in line for line in lines) == 1
    assert len(lines) == 5  # entered, sent, received, asked, approved
    with app.app_context():
        assert db.session.get(Task, task_id).deadline == new


def test_a_returned_task_is_one_line_with_its_reason(app, client, auth, make_document):
    from app.services import lifecycle

    _, (task_id,) = make_document([{"lead": "SNV"}])
    with app.test_request_context():
        lifecycle.transition(task_id, "return", viewer=viewer("snv_head"), reason="not_competent",
                             comment="Không thuộc chức năng của Sở Nội vụ")
    auth.login("officer")
    lines = _timeline(client, task_id)
    returned = [line for line in lines if "Trả lại kèm phản hồi" in line]
    assert len(returned) == 1 and "Không thuộc chức năng của Sở Nội vụ" in returned[0]
    assert not any(line.endswith("Phản hồi") or " Phản hồi —" in line for line in lines)
    assert len(lines) == 3
