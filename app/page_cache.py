"""Rendered fragments that are the same for many requests, kept per worker (issue 10).

A signed-in page spent most of its CPU re-rendering what had not changed: the task list's
search form (a <select> of every agency and of the Office's officers), the navbar menu,
the footer, the dashboard's board. Each is kept here under a key that names EVERY input
it depends on — the data version the database bumps on every write to what it shows
(app/versions.py: 'task', 'security', 'directory'), the locale, the viewer's scope, the
role set — so an entry is exactly invalidated by the database, on every worker and
machine, whoever writes; nothing here decides a number unless keyed by its data version.

Bounded: each cache keeps its `size` most recently used entries. A request that has
written stores nothing (app.versions.wrote): it may be rolled back.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable

from flask import current_app, g, has_request_context, request
from flask_babel import get_locale
from markupsafe import Markup

from app import versions

_lock = threading.Lock()
_caches: dict[str, OrderedDict] = {}
SIZES = {"search_form": 256, "navbar_menu": 256, "footer": 16, "board_html": 1024, "agency_choices": 4}


def locale() -> str:
    return str(get_locale() or "")


def remember(name: str, key: tuple, compute: Callable[[], object]):
    """compute() once per key in this worker; None in the key (a version the database lacks)
    computes every time."""
    if any(part is None for part in key) or versions.wrote():
        return compute()
    # The app (its config, menu, templates) and the URL prefix the fragment's links are built under.
    key = (id(current_app._get_current_object()), request.script_root if has_request_context() else None) \
        + tuple(key)
    cache = _caches.setdefault(name, OrderedDict())
    with _lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = compute()
    if versions.wrote():  # computing it wrote (never expected): keep nothing
        return value
    with _lock:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > SIZES.get(name, 256):
            cache.popitem(last=False)
    return value


def size(name: str) -> int:
    return len(_caches.get(name, ()))


def clear() -> None:
    with _lock:
        _caches.clear()


def role_ids() -> tuple:
    """The signed-in user's role ids (its groups' too), () when anonymous."""
    from flask_login import current_user

    from app.grants import user_roles

    user = g.get("user") or current_user
    if user is None or not getattr(user, "is_authenticated", False):
        return ()
    return tuple(sorted(user_roles(user)[1]))


def navbar_menu() -> Markup:
    """FAB's navbar menu (appbuilder/navbar_menu.html): which items show depends on the
    user's permissions, i.e. its role set under the security version; labels on the locale."""
    from flask import current_app, render_template

    key = (versions.get("security"), role_ids(), locale())
    return Markup(remember("navbar_menu", key, lambda: render_template(
        "_navbar_menu.html", appbuilder=current_app.appbuilder)))


def footer() -> Markup:
    """The footer's scripts and their messages: the same for every page of a locale and
    the upload limits it hands to ui.js (a setting changed at run time counts at once)."""
    from flask import render_template

    config = current_app.config
    key = (locale(), config.get("MAX_ATTACHMENT_BYTES"), config.get("MAX_CONTENT_LENGTH") or 0)
    return Markup(remember("footer", key, lambda: render_template("_footer.html")))


def init_page_cache(app) -> None:
    app.jinja_env.globals.update(cached_navbar_menu=navbar_menu, cached_footer=footer)
