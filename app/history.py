"""Append-only history of documents and tasks (who, when, field, old → new).

One session hook records every change, whichever edge made it (form, API, job,
CLI), so no code path can forget to; and it refuses to update or delete a
ChangeLog row, so history is never rewritten.
"""
from __future__ import annotations

import datetime as dt

from flask import g, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.models import ChangeLog, Document, Task, local_now

TRACKED = {
    Document: (
        "document",
        ("doc_type", "number", "summary", "issued_on", "signer", "issuer", "issuer_name",
         "received_on", "urgency", "source", "entry_due_on"),
    ),
    Task: (
        "task",
        ("content", "lead_agency_id", "tracking_officer_id", "deadline", "original_deadline",
         "result", "notes", "status", "sent_at", "document_id", "result_submitted_at",
         "completed_on"),
    ),
}


class HistoryIsAppendOnly(RuntimeError):
    pass


def annotate(session: Session, action: str, comment: str | None = None) -> None:
    """Name the action (send, confirm, extension, …) and its reason for the
    history rows this transaction writes."""
    session.info["history_action"] = action
    session.info["history_comment"] = (comment or "").strip() or None


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_annotation(session: Session, *args) -> None:
    session.info.pop("history_action", None)
    session.info.pop("history_comment", None)


def _acting_user_id() -> int | None:
    """The signed-in user (FAB sets g.user), or the one a CLI command or job
    acts for (g.acting_user_id)."""
    if not has_app_context():
        return None
    if g.get("acting_user_id"):
        return g.acting_user_id
    return getattr(g.get("user"), "id", None)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _ids(agencies) -> str:
    return ",".join(str(a.id) for a in sorted(agencies, key=lambda a: a.id or 0))


def _changes(obj, fields):
    state = inspect(obj)
    for field in fields:
        history = state.attrs[field].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if _text(old) != _text(new):
                yield field, _text(old), _text(new)
    if isinstance(obj, Task):
        history = state.attrs["coordinating_agencies"].history
        if history.added or history.deleted:
            current = list(obj.coordinating_agencies)
            before = [a for a in current if a not in history.added] + list(history.deleted)
            yield "coordinating_agencies", _ids(before), _ids(current)


@event.listens_for(Session, "before_flush")
def _record_history(session: Session, flush_context, instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, ChangeLog):
            raise HistoryIsAppendOnly("history rows are never changed or deleted")
    user_id = _acting_user_id()
    now = local_now()  # one time for every row of this change: the timeline groups them
    action = session.info.get("history_action", "update")
    comment = session.info.get("history_comment")
    for obj in list(session.dirty):
        spec = TRACKED.get(type(obj))
        if spec is None or not session.is_modified(obj):
            continue
        entity, fields = spec
        for field, old, new in _changes(obj, fields):
            session.add(ChangeLog(entity=entity, entity_id=obj.id, action=action, field=field,
                                  old_value=old, new_value=new, comment=comment, user_id=user_id,
                                  at=now))
    for obj in list(session.deleted):
        if type(obj) in TRACKED:
            raise HistoryIsAppendOnly("documents and tasks are withdrawn, never deleted")


@event.listens_for(Session, "after_flush")
def _note_creations(session: Session, flush_context) -> None:
    # Ids exist only after the insert: note them now, record them after the flush.
    created = session.info.setdefault("history_created", [])
    created.extend((TRACKED[type(o)][0], o.id, getattr(o, "sent_at", None))
                   for o in session.new if type(o) in TRACKED)


@event.listens_for(Session, "after_flush_postexec")
def _record_creations(session: Session, flush_context) -> None:
    created = session.info.pop("history_created", [])
    user_id = _acting_user_id()
    now = local_now()
    for entity, entity_id, sent_at in created:
        # commit() flushes again until the session is clean, so these are written too.
        session.add(ChangeLog(entity=entity, entity_id=entity_id, action="create",
                              user_id=user_id, at=now))
        if entity == "task" and sent_at is not None:
            # Entered with "Giao ngay": the sending is a step of its own (Art. 5.1.a, 6).
            session.add(ChangeLog(entity=entity, entity_id=entity_id, action="send", field="sent_at",
                                  new_value=_text(sent_at), user_id=user_id, at=now))
