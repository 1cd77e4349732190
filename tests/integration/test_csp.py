"""Issue 8, finding 8: the CSP allows no inline script the app does not need — no
'unsafe-inline' for scripts; FAB's own inline scripts carry a per-response nonce, and
no template has an inline script or an on…= event handler."""
from __future__ import annotations

import pathlib
import re

import pytest

from tests.conftest import PASSWORD

TEMPLATES = pathlib.Path(__file__).parents[2] / "app" / "templates"
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)


def _script_src(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return next(p for p in policy.split(";") if p.strip().startswith("script-src ")).strip()


def test_the_app_templates_have_no_inline_script_and_no_event_handler():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not INLINE_SCRIPT.search(text), f"inline <script> in {path.name}"
        assert not INLINE_HANDLER.search(text), f"inline event handler in {path.name}"


@pytest.mark.parametrize("path", ["/", "/tasks/list/", "/documents/add", "/documents/list/", "/letters/",
                                  "/agencies/list/", "/users/list/", "/login/"])
def test_pages_allow_only_their_own_scripts_and_fab_s_nonced_ones(app, path):
    client = app.test_client()
    if path != "/login/":
        client.post("/login/", data={"username": "admin" if path == "/users/list/" else "officer",
                                     "password": PASSWORD})
    response = client.get(path)
    assert response.status_code == 200, path
    script_src = _script_src(response)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "script-src-attr 'none'" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert not INLINE_HANDLER.search(html), path
    nonce = re.search(r"'nonce-([^']+)'", script_src)
    for tag in INLINE_SCRIPT.findall(html):  # FAB's inline scripts: each with this response's nonce
        assert nonce and f'nonce="{nonce.group(1)}"' in tag, (path, tag)


def test_each_response_has_its_own_nonce(app):
    client = app.test_client()
    client.post("/login/", data={"username": "officer", "password": PASSWORD})
    first, second = (_script_src(client.get("/tasks/list/")) for _ in range(2))
    assert "'nonce-" in first and first != second


def test_a_json_answer_names_no_nonce(app, client):
    assert _script_src(client.get("/api/v1/task/")) == "script-src 'self'"
