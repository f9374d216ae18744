"""htmx contract: one render() for full pages and named-block fragments."""
from flask import make_response, redirect, render_template, request
from jinja2_fragments.flask import render_blocks


def is_fragment_request() -> bool:
    """True for an htmx request that swaps a region; boosted and history-restore requests want whole pages."""
    headers = request.headers
    return (headers.get("HX-Request") == "true"
            and headers.get("HX-Boosted") != "true"
            and headers.get("HX-History-Restore-Request") != "true")


def render(template: str, *blocks: str, status: int = 200, **context):
    """The named blocks of `template` for an htmx request, the full page otherwise."""
    if blocks and is_fragment_request():
        body = render_blocks(template, list(blocks), **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def redirect_to(location: str, *, code: int = 303, hx_status: int = 200):
    """Send the browser to `location`: a redirect (303 after a POST, or `code`) for a plain request, HX-Redirect
    for htmx (which would swap the target otherwise), with `hx_status` (401: the user must sign in first)."""
    if request.headers.get("HX-Request") == "true":
        response = make_response("", hx_status)
        response.headers["HX-Redirect"] = location
        return response
    return redirect(location, code=code)
