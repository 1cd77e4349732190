"""One Vietnamese catalogue for everything a user reads.

Flask-WTF looks up WTForms' validation messages ("This field is required.",
"Not a valid date value.", the CSRF errors) in WTForms' own catalogues, which
have no Vietnamese; we point it at the app's merged catalogue instead, where
translations/src/app.vi.po carries them. This covers FAB's generated forms too.
"""
from __future__ import annotations

import flask_wtf.i18n
from flask import has_request_context
from flask_babel import get_translations


def _app_translations():
    return get_translations() if has_request_context() else None


def init_i18n(app) -> None:
    flask_wtf.i18n._get_translations = _app_translations
