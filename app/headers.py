"""Security headers on every response (HTML, JSON, downloads)."""
from __future__ import annotations


def add_security_headers(app, response):
    h = response.headers
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Referrer-Policy", "same-origin")
    # FAB's templates carry inline scripts: 'unsafe-inline' for scripts stays until they
    # are moved to static files; framing, plugins, base and form targets are closed.
    h.setdefault("Content-Security-Policy",
                 "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                 "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
                 "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
    if app.config.get("SESSION_COOKIE_SECURE"):
        h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    h["Server"] = "theodoi"
    return response
