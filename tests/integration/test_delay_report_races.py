"""Issue 8, finding 15: urging and escalating the same delay report at once, or urging it
twice at once, leave one outcome; the other Office official gets a clear 409."""
import threading

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import DelayReport, UrgingLetter
from app.services import delay_reports
from app.services.errors import Conflict
from tests.conftest import viewer
from tests.jobs.test_letters import overdue  # noqa: F401  (fixture)


@pytest.mark.parametrize("actions", [("urge", "escalate"), ("urge", "urge"), ("escalate", "escalate")])
def test_two_officials_acting_at_once_leave_one_outcome(app, overdue, ctx, actions):  # noqa: F811
    report_id = delay_reports.file_report(overdue[0], viewer=viewer("snv_head"), description="Chậm số liệu").id
    db.session.remove()
    barrier, outcomes = threading.Barrier(2), []

    def act(action, username):
        with app.test_request_context():
            assert db.session.get(DelayReport, report_id).status == "open"  # both read it open
            barrier.wait()
            try:
                if action == "urge":
                    delay_reports.urge(report_id, viewer=viewer(username))
                else:
                    delay_reports.escalate(report_id, viewer=viewer(username), note="Đề nghị Chủ tịch chỉ đạo")
                outcomes.append(action)
            except Conflict:
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=act, args=(a, u)) for a, u in zip(actions, ("officer", "leader"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("conflict") == 1, outcomes
    won = next(o for o in outcomes if o != "conflict")
    db.session.expire_all()
    report = db.session.get(DelayReport, report_id)
    assert report.status == {"urge": "urged", "escalate": "escalated"}[won]
    assert db.session.scalar(select(func.count(UrgingLetter.id))) == (1 if won == "urge" else 0)


def test_urging_an_escalated_report_is_refused(app, overdue, ctx):  # noqa: F811
    report = delay_reports.file_report(overdue[0], viewer=viewer("snv_head"), description="Chậm số liệu")
    delay_reports.escalate(report.id, viewer=viewer("officer"), note="Đề nghị chỉ đạo")
    with pytest.raises(Conflict):
        delay_reports.urge(report.id, viewer=viewer("leader"))
    assert db.session.scalar(select(func.count(UrgingLetter.id))) == 0
