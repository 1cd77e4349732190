"""Intake races (issue 12): the same message posted twice at once, two officials registering
the same incoming document at once, registering while another dismisses: one outcome, the
other a 409 (Duplicate / Conflict), nothing duplicated."""
import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Document
from app.models_intake import IncomingDocument
from app.services import intake
from app.services.errors import Conflict
from app.services.register import DocumentInput, TaskInput
from tests.conftest import agency_id, viewer
from tests.edxml_samples import message


def _race(app, *actions):
    barrier, outcomes = threading.Barrier(len(actions)), []

    def run(action):
        with app.test_request_context():
            barrier.wait()
            try:
                outcomes.append(action())
            except Conflict as error:  # Duplicate is a Conflict
                outcomes.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_the_same_message_twice_at_once_is_stored_once(app, ctx):
    data = message()
    outcomes = _race(app, *[lambda: intake.receive(data, viewer=viewer("connector"), channel="api").incoming.id] * 2)
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    stored = [o for o in outcomes if not isinstance(o, Conflict)]
    assert len(refused) == 1 and len(stored) == 1, outcomes
    assert isinstance(refused[0], intake.Duplicate) and refused[0].intake_id == stored[0]
    assert db.session.scalar(select(func.count(IncomingDocument.id))) == 1


def _registration(incoming_id, username, number):
    def act():
        document = intake.register_incoming(incoming_id, DocumentInput(
            doc_type="official_letter", number=number, summary="V/v triển khai", issued_on=dt.date(2026, 11, 20),
            signer="Trần Văn Sơn", issuer="higher_authority", source="ad_hoc", issuer_name="Văn phòng Chính phủ",
            received_on=dt.date(2026, 11, 21)),
            [TaskInput(content="Rà soát", lead_agency_id=agency_id("STC"), deadline=dt.date(2026, 12, 31))],
            viewer=viewer(username))
        return document.id
    return act


def test_two_officials_registering_at_once_make_one_document(app, ctx):
    incoming_id = intake.receive(message(), viewer=viewer("connector"), channel="api").incoming.id
    db.session.remove()
    # Different numbers, so the document's own unique key cannot be what stops the second.
    outcomes = _race(app, _registration(incoming_id, "officer", "2491/VPCP-KTTH"),
                     _registration(incoming_id, "leader", "2491b/VPCP-KTTH"))
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
    document_id = next(o for o in outcomes if not isinstance(o, Conflict))
    assert db.session.scalar(select(func.count(Document.id))) == 1
    row = db.session.get(IncomingDocument, incoming_id)
    assert row.status == "registered" and row.document_id == document_id


def test_registering_while_another_dismisses_leaves_one_outcome(app, ctx):
    incoming_id = intake.receive(message(), viewer=viewer("connector"), channel="api").incoming.id
    db.session.remove()
    outcomes = _race(app, _registration(incoming_id, "officer", "2491/VPCP-KTTH"),
                     lambda: intake.dismiss(incoming_id, "Không phải văn bản chỉ đạo", viewer=viewer("leader")).status)
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
    row = db.session.get(IncomingDocument, incoming_id)
    documents = db.session.scalar(select(func.count(Document.id)))
    assert (row.status, documents) in (("registered", 1), ("dismissed", 0))
    if row.status == "dismissed":
        assert row.summary is None
