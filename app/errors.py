"""HTTP error pages (403, 404, 413, 429, 500): Vietnamese, inside the app's layout,
saying what to do next. API paths keep FAB's JSON answers; only browser requests
get HTML."""
from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

# Path prefix -> (what was not found, endpoint of the list to go back to, its label).
_SECTIONS = (
    ("/tasks", "task"),
    ("/documents", "document"),
    ("/extensions", "extension"),
    ("/delay-reports", "delay_report"),
    ("/letters", "letter"),
    ("/reports", "report"),
    ("/agencies", "agency"),
    ("/calendar", "calendar"),
)


def _section_texts(section: str | None) -> tuple[str, str, str]:
    """(not-found sentence, back-link label, back-link URL) for the part of the app."""
    home = url_for("HomeView.index") if _has("HomeView.index") else "/"
    texts = {
        "task": (_("Task not found: it does not exist, or it is not among the tasks you may see."),
                 _("Back to the task list"), "/tasks/list/"),
        "document": (_("Document not found: it does not exist, or it is not among the documents you may see."),
                     _("Back to the document list"), "/documents/list/"),
        "extension": (_("Extension request not found, or it is not among those you may see."),
                      _("Back to the extension requests"), "/extensions/list/"),
        "delay_report": (_("Delay report not found, or it is not among those you may see."),
                         _("Back to the home page"), home),
        "letter": (_("Urging letter not found, or it is not among those you may see."),
                   _("Back to the home page"), home),
        "report": (_("Report not found, or it is not among those you may see."),
                   _("Back to the home page"), home),
        "agency": (_("Agency not found."), _("Back to the agency list"), "/agencies/list/"),
        "calendar": (_("Calendar entry not found."), _("Back to the working calendar"), "/calendar/list/"),
    }
    if section in texts:
        return texts[section]
    return (_("The page you asked for does not exist, or you may not see it."),
            _("Back to the home page"), home)


def _has(endpoint: str) -> bool:
    from flask import current_app

    return endpoint in current_app.view_functions


def _section() -> str | None:
    for prefix, section in _SECTIONS:
        if request.path == prefix or request.path.startswith(prefix + "/"):
            return section
    return None


def wants_json() -> bool:
    """API paths and clients that ask only for JSON keep JSON answers."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not request.accept_mimetypes.accept_html


def _page(code: int) -> tuple[str, str, list[tuple[str, str]]]:
    """(title, message, [(link label, href)]) for an error code."""
    home = ("/", _("Back to the home page"))
    if code == 404:
        message, label, href = _section_texts(_section())
        return _("Not found"), message, [(label, href)] + ([home] if href != "/" else [])
    if code == 403:
        return (_("Not allowed"),
                _("Your role may not open this page. If you need it, ask the Office's administrator."),
                [home])
    if code == 413:
        limit = request.max_content_length or 0
        return (_("Files too large"),
                _("The files sent together exceed %(size)s MB. Go back with the browser's Back "
                  "button (what you typed is kept there), remove or shrink the largest files "
                  "and send again.", size=_mb(limit)),
                [home])
    if code == 429:
        return (_("Too many attempts"),
                _("Too many requests in a short time. Wait a minute, then try again."), [home])
    return (_("Something went wrong"),
            _("The server could not finish this request; nothing was saved. Go back, reload "
              "the page and try again; if it happens again, tell the Office's administrator."),
            [home])


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def _render_error(code: int):
    from flask import current_app
    from flask_login import current_user

    if wants_json():
        title, message, _links = _page(code)
        return jsonify(message=message), code
    title, message, links = _page(code)
    if request.headers.get("Sec-Fetch-Dest", "document") not in ("document", "iframe", "empty"):
        # An image, script or style the browser fetched on its own (/favicon.ico): no page.
        return message, code, {"Content-Type": "text/plain; charset=utf-8"}
    if getattr(g, "user", None) is None:
        g.user = current_user  # errors raised before FAB's before_request
    appbuilder = current_app.appbuilder
    page = render_template("http_error.html", title=title, message=message, links=links,
                           code=code, appbuilder=appbuilder, base_template=appbuilder.base_template)
    return page, code


def render_error(code: int):
    """An error answer never writes the session: FAB's default locale, written while the
    message is translated, would otherwise overwrite from a stray parallel request (the
    browser's own /favicon.ico) the cookie the login page had just set with its CSRF token."""
    from flask import session

    was_modified = session.modified
    try:
        return _render_error(code)
    finally:
        session.modified = was_modified


def init_errors(app: Flask) -> None:
    for code in (403, 404, 413, 429):
        app.register_error_handler(code, lambda error, code=code: render_error(code))

    @app.errorhandler(500)
    def server_error(error):
        original = getattr(error, "original_exception", None)
        if original is not None:
            log.error("unhandled error on %s", request.path, exc_info=original)
        return render_error(500)
