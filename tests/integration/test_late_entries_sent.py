"""The late entries list (Art. 6) shows when each task was actually sent, and how late;
the evaluation of a period not yet cut off is refused with the reason."""
import datetime as dt
import re

from app.extensions import db
from app.models import Task
from app.services.calendar import today


def test_each_late_task_shows_when_it_was_sent(app, client, auth, make_document):
    issued = today() - dt.timedelta(days=14)
    _, (sent_id, draft_id) = make_document([{"lead": "STC", "content": "Giao muộn"},
                                            {"lead": "SNV", "content": "Chưa giao"}],
                                           number="55/UBND-TH", issued_on=issued, send=False)
    make_document([{"lead": "STC"}], number="56/UBND-TH", issued_on=today())
    sent_at = dt.datetime.combine(issued + dt.timedelta(days=7), dt.time(9, 30))
    with app.app_context():
        task = db.session.get(Task, sent_id)
        task.status, task.sent_at = "assigned", sent_at
        db.session.commit()
    auth.login("officer")
    page = client.get("/late-entries/list/").get_data(as_text=True)
    assert "55/UBND-TH" in page and "56/UBND-TH" not in page
    cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split())
             for c in re.findall(r'<td class="sent-at">(.*?)</td>', page, re.S)]
    assert len(cells) == 2
    assert cells[0].startswith(sent_at.strftime("%d/%m/%Y 09:30")) and "chậm" in cells[0]
    assert re.search(r"chậm \d+ ngày làm việc", cells[0])
    assert cells[1].startswith("Chưa giao") and "chậm" in cells[1]
    auth.login("stc_head")
    assert client.get("/late-entries/list/").status_code in (302, 403)


def test_a_period_not_yet_cut_off_is_not_evaluated(app, client, auth, make_document):
    from app.domain.periods import PeriodKind, period_containing

    current = period_containing(PeriodKind.monthly, today())
    make_document([{"lead": "STC", "deadline": today()}], issued_on=today())
    auth.login("officer")
    page = client.get(f"/evaluation/?period={current.label}").get_data(as_text=True)
    assert 'id="compute-evaluation"' not in page and "chỉ đánh giá được sau ngày đó" in page
    answer = client.post("/evaluation/compute", data={"period": current.label}, follow_redirects=True)
    assert "chỉ đánh giá được sau ngày đó" in answer.get_data(as_text=True)
    from sqlalchemy import func, select

    from app.models import Evaluation

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Evaluation)) == 0
