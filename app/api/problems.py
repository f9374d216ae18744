"""RFC 9457 problem details: every error of the API is `application/problem+json` with a Vietnamese title and
detail, and the fields at fault when there are any."""
from __future__ import annotations

from http import HTTPStatus

import marshmallow as ma
from flask import current_app, json, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from app import audit
from app.extensions import db
from app.rules import STALE_API_MESSAGE, Conflict, RuleError

PROBLEM_TYPE = "application/problem+json"

TITLES = {
    400: _l("The request is malformed."),
    401: _l("A valid API token is required."),
    403: _l("Your role does not allow this."),
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    406: _l("This format cannot be produced."),
    409: _l("The change conflicts with the object's current state."),
    412: _l("The object has changed since you read it."),
    413: _l("The request is too large."),
    415: _l("Send the body as JSON."),
    422: _l("Some values are not valid."),
    428: _l("Send the object's ETag in If-Match."),
    429: _l("Too many requests: wait a moment and try again."),
    500: _l("An unexpected error occurred."),
}
DETAILS = {
    401: _l("Send an API token created on your account page as: Authorization: Bearer <token>. "
            "Cookies do not sign in to the API."),
    404: _l("There is no such object, or it is not in your scope."),
    412: _l("Read the object again and send its current ETag in If-Match."),
    428: _l("Read the object first and send its ETag in If-Match, so that nobody's change is overwritten."),
    500: _l("The error has been logged; nothing was changed."),
}
FIELD_INVALID = _l("This value is not valid.")


class FieldErrorSchema(ma.Schema):
    field = ma.fields.String(required=True)
    detail = ma.fields.String(required=True)


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details (documentation only: responses are built by problem())."""

    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(required=True)
    instance = ma.fields.String(required=True)
    errors = ma.fields.List(ma.fields.Nested(FieldErrorSchema))


def problem(status: int, detail: str | None = None, *, errors: list[dict] | None = None, headers=None):
    """A problem+json response."""
    body = {"type": "about:blank", "title": str(TITLES.get(status, HTTPStatus(status).phrase)),
            "status": status, "detail": str(detail or DETAILS.get(status) or TITLES.get(status, "")),
            "instance": request.path}
    if errors:
        body["errors"] = errors
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE)
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _field_errors(messages) -> list[dict]:
    """webargs' {location: {field: [messages]}} as a flat list of fields, each with a Vietnamese message."""
    errors = []
    for location, fields in (messages or {}).items():
        if not isinstance(fields, dict):
            errors.append({"field": str(location), "detail": str(FIELD_INVALID)})
            continue
        for name in fields:
            errors.append({"field": str(name), "detail": str(FIELD_INVALID)})
    return errors


def from_http_exception(error: HTTPException):
    """An HTTP error raised anywhere under /api (a wrong id, a route that does not exist, invalid arguments)."""
    status = error.code or 500
    if status == 403:  # refusals are audited as on the web, with the token's user
        from app.api.auth import current_token
        token = current_token()
        audit.record_refusal("access.forbidden", actor=token.user if token else None,
                             detail=f"{request.method} {request.path}")
    data = getattr(error, "data", None) or {}
    errors = _field_errors(data.get("messages")) if status in (400, 422) else None
    headers = dict(error.get_headers()) if status in (405, 429) else {}
    headers.pop("Content-Type", None)
    return problem(status, errors=errors, headers=headers)


def from_internal_error(error: Exception):
    """An unexpected failure: logged, rolled back, answered without detail."""
    current_app.logger.exception("unhandled error in the API")
    db.session.rollback()
    return problem(500)


def from_rule_error(error: RuleError):
    """A service refused the change: 422, with its field when it names one."""
    errors = [{"field": error.field, "detail": str(error.message)}] if error.field else None
    return problem(422, str(error.message), errors=errors)


def from_conflict(error: Conflict):
    """The object moved between reading its version and writing: 409, the stale version in the API's words."""
    return problem(409, str(STALE_API_MESSAGE))
