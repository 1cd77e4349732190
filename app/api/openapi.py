"""The API's own description (issue 8, finding 12): FAB's OpenAPI document and Swagger UI,
completed so that the document is a correct description of what the server does, and
readable by every signed-in API user (app/permissions.py: API_DOCS).

FAB builds the document from the docstrings of app/api/*; this module adds what a
docstring easily forgets and what FAB does not write itself:
- every path parameter (`<int:pk>` …) declared on every operation, typed as its route;
- the answers every protected operation can give (401, 403; 404 with a path
  parameter; 422 with a body or a query), FAB's components with a `message`;
- Vietnamese where the reader reads it: the operation's summary (the docstring's first
  sentence, translated), the tags, the title.
The Swagger UI page loads its script and style from the app's own static files
(no CDN: the Office's network may have no Internet) and no inline script.
"""
from __future__ import annotations

import re

from flask import current_app, request
from flask_appbuilder.api import BaseApi, expose, protect, safe
from flask_appbuilder.api.manager import OpenApi as FabOpenApi
from flask_appbuilder.api.manager import SwaggerView as FabSwaggerView
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext

_RULE_PARAM = re.compile(r"<(?:([^:<>]+):)?([^<>]+)>")
_METHODS = ("get", "put", "post", "delete", "patch")
# Answers every protected operation may give, as FAB's shared components.
_REFS = {code: {"$ref": f"#/components/responses/{code}"} for code in ("400", "401", "403", "404", "422")}


def _route_params(app) -> dict[str, dict[str, dict]]:
    """OpenAPI path -> {parameter: its schema}, from the routes Flask serves."""
    found: dict[str, dict[str, dict]] = {}
    for rule in app.url_map.iter_rules():
        path = _RULE_PARAM.sub(lambda m: "{%s}" % m.group(2), rule.rule)
        params = {}
        for converter, name in _RULE_PARAM.findall(rule.rule):
            if converter == "int":
                params[name] = {"type": "integer", "minimum": 0}
            else:
                params[name] = {"type": "string", "minLength": 1, "pattern": "^[^/]+$"}
        found[path] = params
    return found


def _mixed_converters(app) -> set[str]:
    """OpenAPI paths served by routes whose converters differ by method (FAB's security API:
    GET <int:pk>, DELETE <pk>), where a non-number answers 405 rather than 404."""
    seen: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        path = _RULE_PARAM.sub(lambda m: "{%s}" % m.group(2), rule.rule)
        seen.setdefault(path, set()).add(rule.rule)
    return {path for path, rules in seen.items() if len(rules) > 1}


_RESPONSE_KEYS = {"description", "content", "headers", "links", "$ref"}


def _repaired(response):
    """A docstring's `409: {description: Taken, or stale}` reads in YAML as a mapping with a
    stray key "or stale": put the words back into the description."""
    if not isinstance(response, dict) or set(response) <= _RESPONSE_KEYS:
        return response
    stray = [key for key in response if key not in _RESPONSE_KEYS and response[key] in (None, "None")]
    if not stray:
        return response
    fixed = {k: v for k, v in response.items() if k not in stray}
    fixed["description"] = ", ".join([str(response.get("description", ""))] + [str(k) for k in stray])
    return fixed


def _summary(func) -> str | None:
    doc = (func.__doc__ or "").split("---")[0].strip()
    if not doc:
        return None
    return " ".join(doc.split("\n\n")[0].split())


def complete_document(document: dict, app, summaries: dict[tuple[str, str], str]) -> dict:
    """Make FAB's document a complete description; `summaries` maps (path, method) to
    the operation's English summary (translated here)."""
    routes = _route_params(app)
    ambiguous = _mixed_converters(app)
    document.setdefault("components", {}).setdefault("responses", {}).setdefault("405", {
        "description": "Method Not Allowed",
        "content": {"application/json": {"schema": {"type": "object",
                                                      "properties": {"message": {"type": "string"}}}}}})
    for path, item in document.get("paths", {}).items():
        names = re.findall(r"{([^}]+)}", path)
        shared = [p for p in item.get("parameters", []) if p.get("in") == "path"]
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = operation.setdefault("parameters", [])
            declared = {p.get("name") for p in parameters + shared if p.get("in") == "path"}
            for param in parameters:
                if param.get("in") == "path":
                    param["required"] = True  # OpenAPI: a path parameter always is
                    param.setdefault("schema", routes.get(path, {}).get(param["name"], {"type": "string"}))
            for name in names:
                if name not in declared:
                    parameters.append({"in": "path", "name": name, "required": True,
                                       "schema": routes.get(path, {}).get(name, {"type": "string"})})
            if not parameters:
                del operation["parameters"]
            responses = operation.setdefault("responses", {})
            responses = {str(code): _repaired(value) for code, value in responses.items()}
            operation["responses"] = responses
            if operation.get("security"):
                responses.setdefault("401", _REFS["401"])
                responses.setdefault("403", _REFS["403"])
            if names:
                responses.setdefault("404", _REFS["404"])
            if path in ambiguous:  # another method's route takes any text there: Flask answers 405
                responses.setdefault("405", {"$ref": "#/components/responses/405"})
            # A body (JSON or a file) or a query can always be refused as malformed.
            if method in ("post", "put", "patch") or any(p.get("in") == "query" for p in parameters):
                responses.setdefault("400", _REFS["400"])
                responses.setdefault("422", _REFS["422"])
            english = summaries.get((path, method))
            if english and "summary" not in operation and gettext(english) != english:
                operation["summary"] = gettext(english)  # untranslated: Swagger shows the path alone
            operation["tags"] = [gettext(tag) for tag in operation.get("tags", [])]
    document["info"]["description"] = gettext(
        "The task-tracking system's REST API (Decision 26/2026/QĐ-UBND, Art. 2.4, 21). Sign in "
        "with POST /api/v1/security/login (provider db) and send the access token as "
        "'Authorization: Bearer …'. Errors answer {\"message\": …} in Vietnamese.")
    return document


def operation_summaries(appbuilder, version: str) -> dict[tuple[str, str], str]:
    """(OpenAPI path, method) -> the English first sentence of the method's docstring."""
    found = {}
    for view in appbuilder.baseviews:
        if not isinstance(view, BaseApi) or view.version != version:
            continue
        for attr_name in dir(view):
            attr = getattr(view, attr_name, None)
            for url, methods in getattr(attr, "_urls", ()):
                summary = _summary(attr)
                if summary:
                    path = view.path_helper(path=url, operations={})
                    for method in methods:
                        found[(path, method.lower())] = summary
    return found


class OpenApi(FabOpenApi):
    """FAB's `/api/<version>/_openapi`, same name and permission (can_get on OpenApi)."""

    @expose("/<version>/_openapi")
    @protect()
    @safe
    def get(self, version):
        """The OpenAPI document of one API version.
        ---
        get:
          parameters:
          - {in: path, name: version, required: true, schema: {type: string, enum: [v1]}}
          responses:
            200:
              description: The OpenAPI document
              content:
                application/json:
                  schema: {type: object}
        """
        appbuilder = current_app.appbuilder
        api_spec = self._create_api_spec(version)
        found = False
        for base_api in appbuilder.baseviews:
            if isinstance(base_api, BaseApi) and base_api.version == version:
                base_api.add_api_spec(api_spec)
                found = True
        if not found:
            return self.response_404()
        document = complete_document(api_spec.to_dict(), current_app,
                                     operation_summaries(appbuilder, version))
        return self.response(200, **document)

    @staticmethod
    def _create_api_spec(version):
        spec = FabOpenApi._create_api_spec(version)
        spec.options["info"]["description"] = current_app.appbuilder.app_name
        return spec


class SwaggerView(FabSwaggerView):
    """Swagger UI from the app's static files, with its labels in Vietnamese."""

    @expose("/<version>")
    @has_access
    def show(self, version):
        openapi_uri = request.script_root + self.openapi_uri.format(version)
        return self.render_template("api_docs.html", openapi_uri=openapi_uri)
