"""Malformed addresses answer 4xx, never 500 (issue 8, finding 10): an id that no
database integer can hold, and FAB's paging parameters that are not small numbers."""
from __future__ import annotations

import re

from flask import Flask, abort, redirect, request

INT_MAX = 2**31 - 1  # PostgreSQL's integer: a larger id names no row
MAX_PAGE_SIZE = 100
_PAGING = re.compile(r"^(page|psize)_\w+$")


def _paging_fixed(args) -> dict | None:
    """The query string with FAB's page_<View>/psize_<View> made sane, or None if they were."""
    fixed, changed = {}, False
    for key, values in args.lists():
        if _PAGING.match(key):
            value = values[-1]
            if not value.isdigit():
                changed = True
                continue  # dropped: the first page, the default size
            number = int(value)
            if key.startswith("psize_") and not 1 <= number <= MAX_PAGE_SIZE:
                number, changed = min(max(number, 1), MAX_PAGE_SIZE), True
            elif key.startswith("page_") and number > INT_MAX:
                changed = True
                continue
            fixed[key] = [str(number)]
        else:
            fixed[key] = values
    return fixed if changed else None


def init_guards(app: Flask) -> None:
    init_route_guards(app)
    @app.before_request
    def refuse_malformed_addresses():
        for value in (request.view_args or {}).values():
            if isinstance(value, str) and value.isdigit():  # FAB's <pk> is a string
                value = int(value)
            if isinstance(value, int) and not -INT_MAX <= value <= INT_MAX:
                abort(404)
        if request.method == "GET" and not request.path.startswith("/api/"):
            fixed = _paging_fixed(request.args)
            if fixed is not None:
                from urllib.parse import urlencode

                query = urlencode([(k, v) for k, vs in fixed.items() for v in vs])
                return redirect(request.path + ("?" + query if query else ""))
        return None


# Routes (issue 8, finding 4 generalised; tests/integration/test_route_roles.py): every page
# but these needs a signed-in user, whatever its own decorator does (FAB's action routes
# answered an anonymous visitor with a redirect to the home page, not the sign-in).
PUBLIC_ENDPOINTS = frozenset({
    "HomeView.index",  # the landing page: a sign-in prompt, no data
    "AuthDBView.login", "AuthDBView.logout", "LocaleView.index", "UtilView.back",
    "static", "appbuilder.static",
    "SecurityApi.login", "SecurityApi.refresh",  # the API's sign-in (its own 400/401)
})


def _view_of(endpoint: str):
    from flask import current_app

    name = endpoint.split(".", 1)[0]
    return next((v for v in current_app.appbuilder.baseviews if v.__class__.__name__ == name), None)


def init_route_guards(app: Flask) -> None:
    @app.before_request
    def refuse_anonymous_and_unknown_actions():
        from flask import url_for
        from flask_login import current_user

        endpoint = request.endpoint
        if endpoint is None:
            return None  # no such address: the 404 page
        if (endpoint not in PUBLIC_ENDPOINTS and not request.path.startswith("/api/")
                and not current_user.is_authenticated):
            return redirect(url_for("AuthDBView.login", next=request.full_path.rstrip("?")))
        refused = _unstorable_query()
        if refused is not None:
            return refused
        # FAB's row actions: an unknown action name raised AttributeError (500).
        if endpoint.endswith(".action") or endpoint.endswith(".action_post"):
            view = _view_of(endpoint)
            name = (request.view_args or {}).get("name") if endpoint.endswith(".action") \
                else request.form.get("action")
            if view is None or name not in getattr(view, "actions", {}):
                abort(404)
        return None


def _unstorable_query():
    """Search filters and other query parameters the database cannot compare (issue 8,
    finding 10): NUL, a lone surrogate, more than TEXT_MAX characters. The API answers 422
    naming the parameter; a page drops it and says why."""
    from flask import flash, jsonify
    from flask_babel import gettext

    from app.domain.text import TEXT_MAX, unstorable

    bad = [key for key, values in request.args.lists()
           if unstorable(key) or any(unstorable(v) or len(v) > TEXT_MAX for v in values)]
    if not bad:
        return None
    name = bad[0] if not unstorable(bad[0]) else "?"
    message = gettext("The search value of %(field)s contains a character that cannot be searched "
                      "(for example a NUL byte) or is longer than %(max)s characters; it was not used.",
                      field=name, max=TEXT_MAX)
    if request.path.startswith("/api/"):
        response = jsonify(message=message, errors={name: [message]})
        response.status_code = 422
        return response
    from urllib.parse import urlencode

    flash(message, "danger")
    kept = [(k, v) for k, vs in request.args.lists() if k not in bad for v in vs]
    return redirect(request.path + ("?" + urlencode(kept) if kept else ""))
