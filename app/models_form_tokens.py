"""One-time form tokens (issue 8, finding 15): a creating form carries one; the
server records it in the same transaction as what the form created."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models import local_now


class FormToken(Model):
    __tablename__ = "form_token"
    __table_args__ = (Index("ix_form_token_created", "created_at"),)

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    form: Mapped[str] = mapped_column(String(64), nullable=False)
    user_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)
    # Where the first post's result is shown (the created record's page), once known.
    result_url: Mapped[Optional[str]] = mapped_column(String(255))
