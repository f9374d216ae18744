"""Request body limits: MAX_CONTENT_LENGTH and MAX_FORM_MEMORY_SIZE for the whole site, a larger one only on the
routes that declare it (uploads), applied before anything reads the body (CSRF checks read the form first)."""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, abort, current_app, request


def body_limit(max_content_length: int | Callable[[dict], int], max_form_memory_size: int | None = None) -> Callable:
    """Let one view accept a larger body: put it directly under the route decorator (a callable limit is given the
    app's config at request time, for a limit that is a setting).

        @bp.post("/tasks/<int:task_id>/attachments")
        @body_limit(max_content_length=20 * 1024 * 1024)
        @require("task.update")
        def add_attachment(task_id): ...
    """
    def decorate(view: Callable) -> Callable:
        view.max_content_length = max_content_length  # functools.wraps of outer decorators copies these
        view.max_form_memory_size = max_form_memory_size
        return view
    return decorate


def _apply_route_limit(endpoint: str | None, values: dict | None) -> None:
    view = current_app.view_functions.get(endpoint) if endpoint else None
    if getattr(view, "max_content_length", None) is not None:
        limit = view.max_content_length
        request.max_content_length = limit(current_app.config) if callable(limit) else limit
    if getattr(view, "max_form_memory_size", None) is not None:
        request.max_form_memory_size = view.max_form_memory_size
    # A declared length over the limit is refused before anything reads the body, whether or not a view would.
    limit = request.max_content_length
    if limit is not None and request.content_length is not None and request.content_length > limit:
        abort(413)


def init_app(app: Flask) -> None:
    """URL value preprocessors run before every before_request function, CSRF's included."""
    app.url_value_preprocessor(_apply_route_limit)
