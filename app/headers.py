"""Security headers on every response (HTML, JSON, downloads).

Scripts (issue 8, finding 8): no 'unsafe-inline'. The app's own code lives in static files
(app/static/js/ui.js); the few inline scripts of FAB's templates (list, search, show) carry
the per-response nonce that FAB's templates ask for (`baselib.get_nonce()` calls the
`csp_nonce()` global defined here), and the CSP names that nonce. Inline event handlers
(onclick=…) are not allowed anywhere. Styles keep 'unsafe-inline' (style attributes)."""
from __future__ import annotations

import secrets

from flask import Flask, g


def csp_nonce() -> str:
    """This response's script nonce, made when a template first asks for it."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return nonce


def content_security_policy(nonce: str | None) -> str:
    scripts = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    return (f"default-src 'self'; script-src {scripts}; script-src-attr 'none'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def init_csp_nonce(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce


def add_security_headers(app, response):
    h = response.headers
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("Content-Security-Policy", content_security_policy(g.get("csp_nonce")))
    if app.config.get("SESSION_COOKIE_SECURE"):
        h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    h["Server"] = "theodoi"
    return response
