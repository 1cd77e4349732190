"""Wiring of h3-ui's screens: mail preferences (user menu)."""
from __future__ import annotations


def init_h3(app, appbuilder) -> None:
    from app.views_mail import MailPreferenceView

    appbuilder.add_view_no_menu(MailPreferenceView)
