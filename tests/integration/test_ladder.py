"""The ladder on every overdue task (issue 13): what was done, the next rung, the filter
by rung (SQL) agreeing with the rung shown (Python), and climbing a rung for many tasks."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from app.domain.direction import Rung
from app.extensions import db
from app.models import Task, UrgingLetter
from app.models_direction import Proposal
from app.services import ladder, proposals
from app.services.calendar import today
from app.services.errors import Forbidden, Invalid
from tests.conftest import PASSWORD, viewer


@pytest.fixture
def overdue(make_document):
    days = [1, 3, 6, 10, 16, 25, 40]
    tasks = [{"lead": lead, "content": f"Nhiệm vụ quá hạn {n} ngày", "deadline": today() - dt.timedelta(days=n)}
             for n in days for lead in ("STC", "22366")]
    _, ids = make_document(tasks, issued_on=today() - dt.timedelta(days=60))
    return ids


def _issue_letter(task_ids, number):
    from app.models import Agency

    task = db.session.get(Task, task_ids[0])
    letter = UrgingLetter(agency_id=task.lead_agency_id, status="issued", number=number, issued_on=today(),
                          summary="V/v đôn đốc", body="…", signer_position="PHÓ CHÁNH VĂN PHÒNG", signer_name="A",
                          batch_key=f"test-{number}", tasks=db.session.scalars(select(Task).where(Task.id.in_(task_ids))).all())
    db.session.add(letter)
    db.session.commit()
    assert Agency


def test_the_filter_by_rung_agrees_with_the_rung_each_task_shows(app, overdue, ctx):
    _issue_letter(overdue[4:12], "11/VP-TH")  # some tasks already had their letter
    pid = proposals.draft_proposal(viewer=viewer("officer"), task_ids=overdue[8:10], reason="overdue").id
    directed = proposals.draft_proposal(viewer=viewer("officer"), task_ids=overdue[10:11], reason="overdue").id
    proposals.submit_proposal(directed, viewer=viewer("leader"))
    proposals.give_direction(directed, viewer=viewer("chairman"), task_id=overdue[10], decision="urge")
    tasks = db.session.scalars(select(Task).where(Task.id.in_(overdue))).all()
    shown = {task_id: step.next for task_id, step in ladder.ladders(tasks).items()}
    for rung in Rung:
        filtered = set(db.session.scalars(select(Task.id).where(ladder.rung_condition(rung.value))))
        assert filtered == {t for t, r in shown.items() if r == rung}, rung
    assert {shown[t] for t in overdue[8:10]} == {Rung.awaiting} and shown[overdue[10]] == Rung.reminder
    assert Rung.letter in shown.values() and Rung.proposal in shown.values()
    step = ladder.ladders([db.session.get(Task, overdue[9])])[overdue[9]]
    assert step.letters == [("11/VP-TH", today())] and step.proposals == [(pid, "draft")]
    with pytest.raises(Invalid):
        ladder.rung_condition("jump")


def test_climbing_a_rung_for_many_tasks_gives_one_letter_per_agency_and_one_proposal(app, overdue, ctx):
    before = db.session.scalar(select(func.count(UrgingLetter.id)))
    letters = ladder.draft_letters(overdue[:6], viewer=viewer("officer"))
    assert len(letters) == 2 and db.session.scalar(select(func.count(UrgingLetter.id))) == before + 2
    drafted = db.session.scalars(select(UrgingLetter).where(UrgingLetter.id.in_(letters))).all()
    assert sorted(len(letter.tasks) for letter in drafted) == [3, 3]
    proposal = ladder.draft_proposal(overdue, viewer=viewer("officer"))
    assert len(proposal.items) == len(overdue) and db.session.scalar(select(func.count(Proposal.id))) == 1
    assert ladder.remind_now(overdue[:2], viewer=viewer("officer")) >= 2
    assert ladder.remind_now(overdue[:2], viewer=viewer("officer")) == 0  # once a day
    for step in (ladder.draft_letters, ladder.draft_proposal, ladder.remind_now):
        with pytest.raises(Forbidden):
            step(overdue, viewer=viewer("stc_head"))
    with pytest.raises(Invalid):
        ladder.draft_letters([], viewer=viewer("officer"))


def test_the_overdue_page_filters_by_rung_and_climbs_from_a_click(client, app, overdue):
    client.post("/login/", data={"username": "leader", "password": PASSWORD})
    page = client.get("/overdue/?rung=letter").get_data(as_text=True)
    with app.test_request_context():
        expected = set(db.session.scalars(select(Task.content).where(ladder.rung_condition("letter"))))
    assert expected and all(content in page for content in expected)
    assert "Nhiệm vụ quá hạn 1 ngày" not in page  # one day late: a reminder, not a letter
    answer = client.post("/overdue-ladder/climb", data={"step": "proposal", "task_ids": [str(t) for t in overdue[:4]]})
    assert answer.status_code == 302 and "/proposals/show/" in answer.headers["Location"]
    shown = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert shown.count('id="item-') == 4
    client.get("/logout/")
    client.post("/login/", data={"username": "stc_head", "password": PASSWORD})
    assert client.post("/overdue-ladder/climb", data={"step": "letter", "task_ids": str(overdue[0])}).status_code in (302, 403)
    with app.app_context():
        assert db.session.scalar(select(func.count(UrgingLetter.id))) == 0
