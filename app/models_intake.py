"""Incoming documents (văn bản đến chờ nhập) from the document system, as edXML
(Art. 2.1.a, 2.4, 21; /work/shared/EDXML.md). Imported from the end of app/models.py.

An incoming document is not a tracked document: nothing of it is a task until the Office
registers it (Art. 6: its entry deadline runs from the dates the message shows). Duplicates
are recognised by two keys, hashes of the message's DocumentId and of issuer + number +
date, so a dismissed one (Art. 7–8: only the fact, its number and date are kept) is still
recognised when it comes again.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from app.models import AppUser, Document, local_now

INCOMING_STATUSES = ("pending", "registered", "dismissed")
MESSAGE_KINDS = {1: "revoke", 2: "update", 3: "replace"}


class IncomingDocument(Model):
    __tablename__ = "incoming_document"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'registered', 'dismissed')", name="ck_incoming_status"),
        Index("ix_incoming_status_received", "status", "received_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    # sha256 of DocumentId, and of "organ id|number|date": the same message twice is recognised.
    document_key: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    identity_key: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    edxml_document_id: Mapped[Optional[str]] = mapped_column(String(255))
    sender_code: Mapped[Optional[str]] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(64), nullable=False)
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    doc_type: Mapped[Optional[str]] = mapped_column(String(32))
    type_code: Mapped[Optional[str]] = mapped_column(String(32))
    type_name: Mapped[Optional[str]] = mapped_column(String(128))
    summary: Mapped[Optional[str]] = mapped_column(Text)
    content: Mapped[Optional[str]] = mapped_column(Text)
    signer: Mapped[Optional[str]] = mapped_column(String(128))
    signer_position: Mapped[Optional[str]] = mapped_column(String(128))
    signer_competence: Mapped[Optional[str]] = mapped_column(String(128))
    issuer: Mapped[Optional[str]] = mapped_column(String(32))
    issuer_name: Mapped[Optional[str]] = mapped_column(String(255))
    received_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    urgency: Mapped[Optional[str]] = mapped_column(String(32))
    priority: Mapped[Optional[int]] = mapped_column(Integer)
    due_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    recipients: Mapped[Optional[str]] = mapped_column(Text)  # one per line (ToPlaces/Place, To)
    # Art. 6.1, 6.3, from the message's dates; recomputed when the Office registers it.
    entry_due_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)  # api | upload | folder
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)
    received_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    document_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("document.id"), unique=True)
    registered_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    registered_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    dismissed_reason: Mapped[Optional[str]] = mapped_column(Text)
    dismissed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    dismissed_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    document: Mapped[Optional[Document]] = relationship(Document)
    received_by: Mapped[Optional[AppUser]] = relationship(AppUser, foreign_keys=[received_by_id])
    registered_by: Mapped[Optional[AppUser]] = relationship(AppUser, foreign_keys=[registered_by_id])
    dismissed_by: Mapped[Optional[AppUser]] = relationship(AppUser, foreign_keys=[dismissed_by_id])
    # Its own files; a later message's files stay with the message until the Office applies it.
    files: Mapped[list["IncomingAttachment"]] = relationship(
        "IncomingAttachment", order_by="IncomingAttachment.id",
        primaryjoin="and_(IncomingDocument.id == IncomingAttachment.incoming_id, "
                    "IncomingAttachment.message_id.is_(None))", viewonly=True)
    messages: Mapped[list["IncomingMessage"]] = relationship(
        "IncomingMessage", order_by="IncomingMessage.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class IncomingAttachment(Model):
    """A file of the message, checked like an upload (app/services/attachments.py), stored
    under UPLOAD_FOLDER; it becomes the document's attachment when the Office registers it."""

    __tablename__ = "incoming_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incoming_id: Mapped[int] = mapped_column(Integer, ForeignKey("incoming_document.id", ondelete="CASCADE"),
                                             nullable=False, index=True)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    stored_name: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    content_type: Mapped[str] = mapped_column(String(128), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    # The later message (update, replace) the file came with, until the Office applies it.
    message_id: Mapped[Optional[int]] = mapped_column(
        Integer, ForeignKey("incoming_message.id", ondelete="CASCADE"), index=True)


class IncomingMessage(Model):
    """A later message about an incoming document (BussinessDocType 1 revoke, 2 update,
    3 replace): shown on it with old → new per field, applied only when the Office confirms."""

    __tablename__ = "incoming_message"
    __table_args__ = (
        CheckConstraint("kind IN ('revoke', 'update', 'replace')", name="ck_incoming_message_kind"),
        CheckConstraint("status IN ('pending', 'applied', 'ignored')", name="ck_incoming_message_status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incoming_id: Mapped[int] = mapped_column(Integer, ForeignKey("incoming_document.id", ondelete="CASCADE"),
                                             nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    reason: Mapped[Optional[str]] = mapped_column(Text)
    message_key: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)  # sha256 of the body
    changes: Mapped[Optional[str]] = mapped_column(Text)  # JSON [[field, old, new], …]
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)
    decided_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    decided_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))

    decided_by: Mapped[Optional[AppUser]] = relationship(AppUser)
    files: Mapped[list[IncomingAttachment]] = relationship(
        IncomingAttachment, order_by=IncomingAttachment.id,
        primaryjoin=lambda: IncomingMessage.id == foreign(IncomingAttachment.message_id), viewonly=True)
