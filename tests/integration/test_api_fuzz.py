"""Schemathesis over the API's own OpenAPI document (issue 8, finding 12): every operation,
fuzzed through WSGI with an OfficeOfficial's and an AgencyHead's token, valid and
invalid input alike. The bar: no server error (5xx), every answer a status code the
document declares, with the content type it declares, and invalid input refused (4xx).

Bounded: SCHEMATHESIS_MAX_EXAMPLES examples per operation, mode and user (default 6), so
the run takes two or three minutes on two cores; a few documents and tasks exist, so
small ids hit real rows."""
from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    status_code_conformance,
)

from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode

from tests.conftest import PASSWORD

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", 6))
USERS = ("officer", "stc_head")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, negative_data_rejection]


def _token(client, username: str) -> dict:
    answer = client.post("/api/v1/security/login",
                         json={"username": username, "password": PASSWORD, "provider": "db"})
    assert answer.status_code == 200
    return {"Authorization": f"Bearer {answer.get_json()['access_token']}"}


@pytest.fixture(scope="module")
def tokens(app):
    client = app.test_client()
    return {username: _token(client, username) for username in USERS}


def _fuzz(operation, mode, tokens, failures):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))
    def run(case):
        for username in USERS:  # the same request from the Office and from an agency
            try:
                case.call_and_validate(headers=tokens[username], checks=CHECKS)
            except FailureGroup as failure:
                raise AssertionError(f"as {username}: {failure}") from None

    try:
        run()
    except AssertionError as failure:
        failures.append(f"{operation.label} [{mode.value}] {failure}")


def test_the_api_answers_no_server_error_and_as_documented(app, tokens, make_document):
    # Rows for small ids to hit: documents with sent and draft tasks of STC (and SNV).
    make_document([{"lead": "STC", "coordinating": ["SNV"]}, {"lead": "SNV"}])
    make_document([{"lead": "STC"}], send=False)
    schema = schemathesis.openapi.from_wsgi("/api/v1/_openapi", app, headers=tokens["officer"])
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in ("/api/v1/security/login", "/api/v1/security/refresh"):
            continue  # FAB's sign-in, not called with a token (tests/integration/test_auth_limits.py)
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, tokens, failures)
    assert operations >= 40
    assert not failures, "\n\n".join(failures[:20]) + f"\n\n{len(failures)} failing operation(s)"
