"""Optimistic locking over HTTP: an object's version is its ETag; a write must send it back in If-Match."""
from __future__ import annotations

from flask import abort, current_app, json, request


def etag_of(version: int) -> str:
    return f"v{version}"


def with_etag(schema: type, obj, page_url: str):
    """`obj` dumped by `schema` as JSON, its version as a strong ETag, and its web page as a Link."""
    payload = schema().dump(obj)
    response = current_app.response_class(json.dumps(payload, ensure_ascii=False), mimetype="application/json")
    response.set_etag(etag_of(obj.version))
    response.headers["Link"] = f'<{page_url}>; rel="alternate"; type="text/html"'
    return response


def require_if_match(version: int) -> int:
    """The version the client read: 428 without If-Match, 412 when it names another version."""
    if "If-Match" not in request.headers:
        abort(428)
    if not (request.if_match.star_tag or request.if_match.contains(etag_of(version))):
        abort(412)
    return version
