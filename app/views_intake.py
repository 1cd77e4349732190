"""Intake screens (issue 12): "Văn bản đến" — the incoming documents from the document
system (upload .edxml, list oldest first with the Art. 6 entry deadline, open → the entry
form pre-filled, dismiss) — and "Nhập nhiệm vụ từ Excel" on a document."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_intake(app: Flask, appbuilder) -> None:
    from app.api.intake import IntakeApi
    from app.cli_intake import intake_cli

    appbuilder.add_api(IntakeApi)
    app.cli.add_command(intake_cli)
