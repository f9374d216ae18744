"""The OpenAPI document and a server-rendered page listing its operations (no script: the CSP allows it)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from app.htmx import render
from app.permissions import public

docs_bp = Blueprint("api_docs", __name__)
METHODS = ("get", "post", "put", "patch", "delete")


def openapi_document() -> dict:
    """The OpenAPI 3.1 document flask-smorest builds from the API's views and schemas."""
    return current_app.extensions["api"].spec.to_dict()


@docs_bp.get("/api/v1/openapi.json")
@public
def openapi_json():
    """The OpenAPI 3.1 document of /api/v1."""
    response = jsonify(openapi_document())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _operations(spec: dict) -> list[dict]:
    """Each operation of the document with what the page shows of it."""
    operations = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            operations.append({
                "method": method.upper(), "path": path, "summary": operation.get("summary", ""),
                "parameters": [(p["name"], p["in"], p.get("required", False))
                               for p in operation.get("parameters", []) if "name" in p],
                "body": body.get("$ref", "").rsplit("/", 1)[-1],
                "responses": sorted(code for code in operation.get("responses", {}) if code != "default"),
            })
    return operations


@docs_bp.get("/docs/api")
@public
def api_docs():
    """The API's operations, read from its OpenAPI document."""
    spec = openapi_document()
    return render("api/docs.html", spec=spec, operations=_operations(spec))
