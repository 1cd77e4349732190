"""The API's description (issue 8, finding 12): a valid OpenAPI document that declares every
path parameter and the required fields and choices of every body, readable by every
signed-in API user, and Swagger UI offline and in Vietnamese."""
from __future__ import annotations

import json
import re
from html import unescape

import pytest
from openapi_spec_validator import validate

from app.domain.lifecycle import Action
from app.domain.vocabulary import AgencyKind, DocType, Issuer, Secrecy, Source, TaskStatus, Urgency
from app.services.lifecycle import FEEDBACK_REASONS
from tests.conftest import PASSWORD, USERS

METHODS = ("get", "put", "post", "delete", "patch")
# The register, lifecycle, monitoring, calendar and reports API (app/api/*.py of this part).
CORE = ("/api/v1/task/", "/api/v1/document/", "/api/v1/agency/", "/api/v1/calendar/", "/api/v1/delay-report/",
        "/api/v1/extension-request/", "/api/v1/urging-letter/", "/api/v1/reports/")


def _token(client, username):
    answer = client.post("/api/v1/security/login",
                         json={"username": username, "password": PASSWORD, "provider": "db"})
    assert answer.status_code == 200, answer.get_json()
    return {"Authorization": f"Bearer {answer.get_json()['access_token']}"}


@pytest.fixture
def document(client):
    answer = client.get("/api/v1/_openapi", headers=_token(client, "officer"))
    assert answer.status_code == 200
    return answer.get_json()


def _operations(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _body_schema(document, path, method):
    return document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]


def test_the_document_is_valid_openapi(document):
    validate(document)  # raises on any error: unresolved path parameters, bad responses…
    assert document["openapi"].startswith("3.")


def test_every_path_parameter_is_declared_on_every_operation(document, app):
    rules = {(re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", r.rule), m.lower()): r
             for r in app.url_map.iter_rules() for m in r.methods}
    checked = 0
    for path, method, operation in _operations(document):
        names = re.findall(r"{([^}]+)}", path)
        declared = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "path"}
        assert set(declared) == set(names), (path, method)
        for name in names:
            assert declared[name]["required"] is True
            if f"<int:{name}>" in rules[(path, method)].rule:
                assert declared[name]["schema"]["type"] == "integer", (path, method, name)
            checked += 1
    assert checked >= 30  # task, document, agency, extension, letter, FAB's security API


def test_every_route_of_the_api_is_described(document, app):
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                served.add((path, method.lower()))
    described = {(path, method) for path, method, _ in _operations(document)}
    assert served == described


def test_request_bodies_name_their_required_fields_and_choices(document):
    doc = _body_schema(document, "/api/v1/document/", "post")
    assert set(doc["required"]) >= {"number", "summary", "issued_on", "signer", "source", "tasks"}
    props = doc["properties"]
    assert props["doc_type"]["enum"] == [m.value for m in DocType]
    assert props["issuer"]["enum"] == [m.value for m in Issuer]
    assert props["urgency"]["enum"] == [m.value for m in Urgency]
    assert props["secrecy"]["enum"] == [m.value for m in Secrecy]
    assert props["source"]["enum"] == [m.value for m in Source]
    assert props["number"]["maxLength"] == 64 and props["signer"]["maxLength"] == 128
    assert set(props["tasks"]["items"]["required"]) == {"content", "lead_agency_id", "deadline"}

    transition = _body_schema(document, "/api/v1/task/{pk}/transition", "post")
    assert transition["required"] == ["action"]
    assert transition["properties"]["action"]["enum"] == [m.value for m in Action]
    assert transition["properties"]["reason"]["enum"] == list(FEEDBACK_REASONS)

    status = next(p for p in document["paths"]["/api/v1/task/"]["get"]["parameters"] if p["name"] == "status")
    assert status["schema"]["enum"] == [m.value for m in TaskStatus]
    agency = _body_schema(document, "/api/v1/agency/", "post")
    assert agency["properties"]["kind"]["enum"] == [m.value for m in AgencyKind]
    assert _body_schema(document, "/api/v1/extension-request/{pk}/decision", "post")["required"] == ["approve"]
    assert set(_body_schema(document, "/api/v1/task/{pk}/extension-requests", "post")["required"]) == {
        "reason", "proposed_deadline"}
    assert _body_schema(document, "/api/v1/task/{pk}", "put")["required"] == ["version"]
    assert set(_body_schema(document, "/api/v1/delay-report/", "post")["required"]) == {"task_id", "description"}
    assert set(_body_schema(document, "/api/v1/calendar/overrides", "post")["required"]) == {"date", "working"}
    # Every body the app's own API takes is described, with its required fields.
    for path, method, operation in _operations(document):
        if not path.startswith(CORE) or method not in ("post", "put"):
            continue
        if path.endswith("/send"):
            continue  # no body
        if path.endswith("/tasks/import"):  # intake (issue 12): an XLSX file, raw or multipart
            body = operation["requestBody"]["content"]
            assert body["multipart/form-data"]["schema"]["required"] == ["file"], (path, method)
            continue
        schema = _body_schema(document, path, method)
        assert schema["type"] == "object" and schema["properties"], (path, method)


def test_protected_operations_document_their_refusals(document):
    for path, method, operation in _operations(document):
        if operation.get("security"):
            assert {"401", "403"} <= set(operation["responses"]), (path, method)
        if "{" in path:
            assert "404" in operation["responses"], (path, method)


@pytest.mark.parametrize("username", list(USERS))  # the Connector too: it is an API user
def test_every_signed_in_api_user_reads_the_document(client, username):
    answer = client.get("/api/v1/_openapi", headers=_token(client, username))
    assert answer.status_code == 200, (username, answer.get_json())
    assert "/api/v1/task/{pk}" in answer.get_json()["paths"]


def test_an_anonymous_caller_does_not(client):
    answer = client.get("/api/v1/_openapi")
    assert answer.status_code == 401


def test_the_document_systems_connector_reads_it_too(client):
    # The lead's decision (main 86b7e68): the Connector, which posts edXML messages to the intake and
    # nothing else (SPEC §1), reads the API description as every API user does.
    answer = client.get("/api/v1/_openapi", headers=_token(client, "connector"))
    assert answer.status_code == 200 and "/api/v1/intake/edxml" in answer.get_json()["paths"]


def test_the_document_reads_in_vietnamese(document):
    assert document["info"]["title"] == "Theo dõi nhiệm vụ UBND tỉnh Khánh Hòa"
    assert "tiếng Việt" in document["info"]["description"]
    tasks = document["paths"]["/api/v1/task/{pk}/transition"]["post"]
    assert tasks["summary"].startswith("Gửi, tiếp nhận, trả lại")
    assert tasks["tags"] == ["Nhiệm vụ"]
    for path, method, operation in _operations(document):
        if path.startswith(CORE) or path.startswith("/api/v1/security/"):
            assert operation.get("summary"), (path, method)
    assert sum(1 for _, _, o in _operations(document) if o.get("summary")) >= 45
    english = [(p, m, o["summary"]) for p, m, o in _operations(document)
               if o.get("summary") and re.search(r"\b(the|of|and|an?|item|endpoint)\b", o["summary"], re.I)]
    assert english == []
    tags = {t for _, _, o in _operations(document) for t in o["tags"]}
    assert not tags & {"Tasks", "Documents", "Security Users", "Reports", "Extensions", "OpenApi"}


@pytest.mark.parametrize("username", ["officer", "stc_head", "wg_member"])
def test_swagger_ui_opens_offline_for_every_role(client, auth, username):
    auth.login(username)
    page = client.get("/swagger/v1")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Tài liệu API" in html
    labels = json.loads(unescape(re.search(r'data-labels="([^"]*)"', html).group(1)))
    assert labels["Try it out"] == "Thử gọi" and labels["Execute"] == "Gửi yêu cầu"
    assert labels["Authorize"] == "Xác thực" and labels["Responses"] == "Các phản hồi"
    scripts = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert scripts and all(s.startswith("/") for s in scripts), scripts  # nothing from a CDN
    assert "/static/appbuilder/js/swagger-ui-bundle.js" in scripts and "/static/js/api_docs.js" in scripts
    # No inline script: the page works under a CSP without 'unsafe-inline'.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", html)
    for asset in ("/static/appbuilder/js/swagger-ui-bundle.js", "/static/js/api_docs.js",
                  "/static/appbuilder/css/swagger/swagger-ui.css"):
        assert client.get(asset).status_code == 200, asset
    # The document is read with the browser's session.
    assert client.get("/api/v1/_openapi").status_code == 200


def test_swagger_ui_needs_a_sign_in(client):
    answer = client.get("/swagger/v1")
    assert answer.status_code == 302 and "/login/" in answer.headers["Location"]
