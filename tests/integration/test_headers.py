"""Finding 8: security headers on HTML, JSON and downloads; no server version."""
from __future__ import annotations

import pytest


def _check(response, app):
    h = response.headers
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
    assert "object-src 'none'" in h["Content-Security-Policy"]
    assert h["Referrer-Policy"] == "same-origin"
    assert "Werkzeug" not in h.get("Server", "") and "gunicorn" not in h.get("Server", "")


@pytest.mark.parametrize("path", ["/login/", "/api/v1/task/", "/static/appbuilder/css/bootstrap.min.css"])
def test_headers_on_html_json_and_files(app, client, path):
    response = client.get(path)
    _check(response, app)
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_when_cookies_are_secure(app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        response = client.get("/login/")
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_headers_on_an_export_download(app, auth, make_document):
    make_document([{"lead": "STC"}])
    auth.login("officer")
    response = auth.client.get("/tasks/export/")
    assert response.status_code == 200 and "spreadsheet" in response.headers["Content-Type"]
    _check(response, app)
