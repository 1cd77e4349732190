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
