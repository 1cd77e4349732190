"""Every message an API user reads is Vietnamese (issue 9), in the API's one shape
{"message": …}: flask-jwt-extended's refusals ("Missing Authorization Header", "Token has
expired" …) are answered here, and the fixed English texts of FAB's JSON answers ("Not
authorized", "Forbidden", "Not found", "Fatal error", its sign-in's field errors) are
translated on their way out. Our own services already answer in Vietnamese
(app/services/errors.py, app/api/common.py)."""
from __future__ import annotations

import json

from flask import Flask, jsonify, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

# FAB's and marshmallow's fixed English texts -> ours (msgids in English, as everywhere).
_FAB_MESSAGES = {
    "Not authorized": _l("You are not signed in, or your access token is no longer valid: sign in "
                         "again with POST /api/v1/security/login."),
    "Forbidden": _l("Your role may not do this."),
    "Not found": _l("Not found: it does not exist, or it is not among what you may see."),
    "Fatal error": _l("The server could not finish this request; nothing was saved."),
    "Request is not JSON": _l("The request body must be a JSON object."),
    "Request payload is not JSON": _l("The request body must be a JSON object."),
    "Not a valid rison argument": _l("The q parameter is not valid."),
    "Not a valid rison/json argument": _l("The q parameter is not valid."),
    "Missing data for required field.": _l("Required."),
    "Field may not be null.": _l("Required."),
    "Not a valid string.": _l("Must be text."),
    "Not a valid boolean.": _l("Must be true or false."),
    "Not a valid integer.": _l("Must be a whole number."),
    "Unknown field.": _l("Unknown field."),
    "Invalid input type.": _l("Invalid input type."),
    "Must be one of: db, ldap.": _l("Must be one of: db, ldap."),
    "OK": _l("Done."),
}
_LOGIN_FAILED = _l("Wrong username or password, or the account is inactive.")


def _translated(value):
    if isinstance(value, str):
        message = _FAB_MESSAGES.get(value)
        return str(message) if message is not None else value
    if isinstance(value, list):
        return [_translated(v) for v in value]
    if isinstance(value, dict):
        return {k: _translated(v) for k, v in value.items()}
    return value


def translate_api_response(response):
    """FAB's English `message` (a text, or marshmallow's {field: [texts]}) in Vietnamese."""
    if not request.path.startswith("/api/") or response.status_code < 400 or not response.is_json:
        return response
    if response.direct_passthrough:
        return response
    try:
        body = json.loads(response.get_data(as_text=True))
    except ValueError:
        return response
    if not isinstance(body, dict) or "message" not in body:
        return response
    message = body["message"]
    if request.path.rstrip("/") == "/api/v1/security/login" and message == "Not authorized":
        body["message"] = str(_LOGIN_FAILED)
    else:
        body["message"] = _translated(message)
    if body["message"] != message:
        response.set_data(json.dumps(body, ensure_ascii=False))
    return response


def _answer(message, status: int):
    response = jsonify(message=str(message))
    response.status_code = status
    return response


def init_api_messages(app: Flask, jwt_manager) -> None:
    """flask-jwt-extended's refusals, in Vietnamese and in the API's shape."""

    @jwt_manager.unauthorized_loader
    def missing_token(_reason):
        return _answer(_l("Sign in first: send the header 'Authorization: Bearer <access token>' "
                          "(POST /api/v1/security/login gives one)."), 401)

    @jwt_manager.expired_token_loader
    def expired_token(_header, _payload):
        return _answer(_l("Your access token has expired: sign in again (POST /api/v1/security/login) "
                          "or use the refresh token (POST /api/v1/security/refresh)."), 401)

    @jwt_manager.invalid_token_loader
    def invalid_token(_reason):
        return _answer(_l("The access token is not valid: sign in again with POST /api/v1/security/login."),
                       401)

    @jwt_manager.revoked_token_loader
    def revoked_token(_header, _payload):
        return _answer(_l("This access token has been revoked: sign in again."), 401)

    @jwt_manager.needs_fresh_token_loader
    def needs_fresh_token(_header, _payload):
        return _answer(_l("This action needs a fresh sign-in: sign in again."), 401)

    @jwt_manager.user_lookup_error_loader
    def unknown_user(_header, _payload):
        # Signed out, password changed, or deactivated since the token was issued (app/sessions.py).
        return _answer(_l("Your session has ended (signed out, password changed or account "
                          "deactivated): sign in again."), 401)

    @jwt_manager.token_verification_failed_loader
    def verification_failed(_header, _payload):
        return _answer(_l("The access token is not valid: sign in again with POST /api/v1/security/login."),
                       401)

    def wrong_method(error):
        from app.errors import wants_json

        if wants_json():
            return _answer(_l("This address does not take %(method)s requests.", method=request.method), 405)
        return error

    app.register_error_handler(405, wrong_method)
    app.after_request(translate_api_response)
