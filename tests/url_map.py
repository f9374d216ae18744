"""Walking app.url_map for the tests that must cover every route: the route matrix (permissions, headers, CSRF,
safe GETs), object access, bad input.

A route whose URL holds an object id needs a row in OBJECT_ROUTES; a test fails until it has one.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator

from flask import Flask, url_for
from sqlalchemy import select
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from app.api.auth import TOKEN_AUTH
from app.auth import tokens
from app.extensions import db
from app.models import Organization, OrgKind
from tests.factories import (
    make_activity,
    make_directive,
    make_item,
    make_member,
    make_task,
    make_team,
    make_ticket,
    make_unit,
    make_user,
    make_village,
)

STATIC_SAMPLE = {"filename": "css/app.css"}
# The same for everyone, so shared caches may keep them (the API's document holds no data).
PUBLIC_CACHEABLE = {"/static/css/app.css", "/api/v1/openapi.json"}


def policy_of(app: Flask, endpoint: str) -> str | None:
    """The permission a view was decorated with (@require / @public)."""
    return getattr(app.view_functions[endpoint], "policy", None)


def by_token(app: Flask, endpoint: str) -> bool:
    """Whether the view authenticates by API token (app/api/auth.py) instead of the session cookie."""
    return getattr(app.view_functions[endpoint], "authentication", None) == TOKEN_AUTH


def token_of(user) -> str:
    """A new API token of the user: its secret."""
    return tokens.create_token(actor=user, name="test", days=30)[1]


def rules(app: Flask, method: str, static: bool = False) -> Iterator[Rule]:
    """The rules that answer `method`, static files only when asked for."""
    for rule in app.url_map.iter_rules():
        if method in rule.methods and (static or rule.endpoint != "static"):
            yield rule


def takes_object_id(rule: Rule) -> bool:
    return any(isinstance(converter, IntegerConverter) for converter in rule._converters.values())


def _default_values(rule: Rule) -> dict:
    """1 for every number, the first choice of every any(...), a sample file for static."""
    if rule.endpoint == "static":
        return dict(STATIC_SAMPLE)
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            items = converter.items if isinstance(converter.items, list) else sorted(converter.items)
            values[name] = items[0]
        else:
            values[name] = 1
    return values


def url(app: Flask, rule: Rule, **values) -> str:
    """The rule's URL with the given values, sample values for the others."""
    with app.test_request_context():
        return url_for(rule.endpoint, **{**_default_values(rule), **values})


# Endpoint -> function(unit) that makes objects belonging to `unit` and returns URL values for each of them.
# Add a row for every new route that takes an object id (tasks, teams, outreach, support...).
OBJECT_ROUTES: dict[str, Callable[[Organization], list[dict]]] = {
    "admin.unit_edit": lambda unit: [{"unit_id": unit.id}],
    "admin.user_edit": lambda unit: [{"user_id": make_user(unit=unit).id}],
    "admin.confirm_reset_password": lambda unit: [{"user_id": make_user(unit=unit).id}],
    "admin.reset_password": lambda unit: [{"user_id": make_user(unit=unit).id}],
    "admin.confirm_activation": lambda unit: [
        {"kind": "units", "object_id": unit.id, "action": action} for action in ("deactivate", "activate")] + [
        {"kind": "users", "object_id": make_user(unit=unit).id, "action": action}
        for action in ("deactivate", "activate")],
}
OBJECT_ROUTES["admin.change_activation"] = OBJECT_ROUTES["admin.confirm_activation"]


def _task(unit: Organization):
    return make_task(unit, make_item(make_directive()))


def _overdue_task(unit: Organization):
    from datetime import date
    return make_task(unit, make_item(make_directive()), deadline=date(2020, 1, 1))


def _notification(unit: Organization):
    from app.models import Notification, NotificationKind
    row = Notification(recipient_id=make_user(unit=unit).id, kind=NotificationKind.OVERDUE)
    db.session.add(row)
    db.session.commit()
    return row


def _calendar_day():
    from datetime import date

    from app.models import CalendarDay
    row = db.session.scalar(select(CalendarDay).where(CalendarDay.day == date(2026, 1, 3)))
    if row is None:
        row = CalendarDay(day=date(2026, 1, 3), is_working_day=True, note="test")
        db.session.add(row)
        db.session.commit()
    return row


def _team(unit: Organization):
    return make_team(make_village(unit))


def _member(unit: Organization):
    return make_member(_team(unit))


def _extension_request(unit: Organization):
    from datetime import date

    from app.models import ExtensionRequest
    request = ExtensionRequest(task_id=_task(unit).id, requested_deadline=date(2030, 1, 1), reason="x")
    db.session.add(request)
    db.session.commit()
    return request


def _attachment(unit: Organization):
    from app.evidence.files import CheckedFile, attach
    from app.models import FileKind
    team = _team(unit)
    row, = attach([CheckedFile("a.pdf", FileKind.PDF, b"%PDF-1.4 sample", None)], actor=None, team_id=team.id)
    db.session.commit()
    return row


def _ticket(unit: Organization):
    return make_ticket(unit, make_unit(kind=OrgKind.PARTNER))


def _token(unit: Organization):
    return tokens.create_token(actor=make_user(unit=unit), name="test", days=30)[0]


OBJECT_ROUTES.update({
    "directives.show": lambda unit: [{"directive_id": _task(unit).item.directive_id}],
    "directives.edit": lambda unit: [{"directive_id": _task(unit).item.directive_id}],
    "directives.add_item": lambda unit: [{"directive_id": _task(unit).item.directive_id}],
    "directives.assign": lambda unit: [{"item_id": _task(unit).item_id}],
    "directives.edit_item": lambda unit: [{"item_id": _task(unit).item_id}],
    "directives.confirm_delete_item": lambda unit: [{"item_id": _task(unit).item_id}],
    "directives.delete_item": lambda unit: [{"item_id": _task(unit).item_id}],
    "directives.cancel_item": lambda unit: [{"item_id": _task(unit).item_id}],
    "directives.confirm_cancel": lambda unit: [{"directive_id": _task(unit).item.directive_id}],
    "directives.cancel": lambda unit: [{"directive_id": _task(unit).item.directive_id}],
    "directives.confirm_unassign": lambda unit: [{"task_id": _task(unit).id}],
    "directives.unassign": lambda unit: [{"task_id": _task(unit).id}],
    "tasks.show": lambda unit: [{"task_id": _task(unit).id}],
    "tasks.update_status": lambda unit: [{"task_id": _task(unit).id}],
    "tasks.add_note": lambda unit: [{"task_id": _task(unit).id}],
    "tasks.edit_assignment": lambda unit: [{"task_id": _task(unit).id}],
    "villages.edit": lambda unit: [{"village_id": make_village(unit).id}],
    "teams.show": lambda unit: [{"team_id": _team(unit).id}],
    "teams.edit": lambda unit: [{"team_id": _team(unit).id}],
    "teams.add_member": lambda unit: [{"team_id": _team(unit).id}],
    "teams.confirm_deactivate": lambda unit: [{"team_id": _team(unit).id}],
    "teams.deactivate": lambda unit: [{"team_id": _team(unit).id}],
    "teams.edit_member": lambda unit: [{"member_id": _member(unit).id}],
    "teams.confirm_deactivate_member": lambda unit: [{"member_id": _member(unit).id}],
    "teams.deactivate_member": lambda unit: [{"member_id": _member(unit).id}],
    "outreach.edit": lambda unit: [{"activity_id": make_activity(unit).id}],
    "support.show": lambda unit: [{"ticket_id": _ticket(unit).id}],
    "support.work": lambda unit: [{"ticket_id": _ticket(unit).id, "action": action} for action in ("take", "done")],
    "support.review": lambda unit: [{"ticket_id": _ticket(unit).id, "action": action}
                                    for action in ("confirm", "reopen")],
    "exports.grid": lambda unit: [{"directive_id": _task(unit).item.directive_id, "fmt": fmt}
                                  for fmt in ("xlsx", "csv")],
    "imports.start": lambda unit: [{"directive_id": _task(unit).item.directive_id}],
    "imports.template": lambda unit: [{"directive_id": _task(unit).item.directive_id}],
    "imports.upload": lambda unit: [{"directive_id": _task(unit).item.directive_id}],
    "imports.confirm": lambda unit: [{"directive_id": _task(unit).item.directive_id}],
    "documents.urging_letter": lambda unit: [{"unit_id": _overdue_task(unit).lead_unit_id}],
    "auth.revoke_token": lambda unit: [{"token_id": _token(unit).id}],
    "admin.revoke_token": lambda unit: [{"token_id": _token(unit).id}],
    "api.get_directive": lambda unit: [{"directive_id": _task(unit).item.directive_id}],
    "api.get_task": lambda unit: [{"task_id": _task(unit).id}],
    "api.task_history": lambda unit: [{"task_id": _task(unit).id}],
    "api.update_task": lambda unit: [{"task_id": _task(unit).id}],
    "api.get_ticket": lambda unit: [{"ticket_id": _ticket(unit).id}],
    "api.move_ticket": lambda unit: [{"ticket_id": _ticket(unit).id}],
    "followup.read_one": lambda unit: [{"notification_id": _notification(unit).id}],
    "followup.instruct_task": lambda unit: [{"task_id": _task(unit).id}],
    "followup.instruct_directive": lambda unit: [{"directive_id": _task(unit).item.directive_id}],
    "followup.urge_task": lambda unit: [{"task_id": _overdue_task(unit).id}],
    "followup.urge_unit": lambda unit: [{"unit_id": _overdue_task(unit).lead_unit_id}],
    "followup.remove_calendar_day": lambda unit: [{"day_id": _calendar_day().id}],
    "tasks.submit_completion": lambda unit: [{"task_id": _task(unit).id}],
    "tasks.review_completion": lambda unit: [{"task_id": _task(unit).id, "decision": d} for d in ("accept", "return")],
    "tasks.request_extension": lambda unit: [{"task_id": _task(unit).id}],
    "tasks.decide_extension": lambda unit: [{"request_id": _extension_request(unit).id, "decision": d}
                                            for d in ("approve", "reject")],
    "evidence.download": lambda unit: [{"attachment_id": _attachment(unit).id}],
    "evidence.preview": lambda unit: [{"attachment_id": _attachment(unit).id}],
    "evidence.add_to_directive": lambda unit: [{"directive_id": _task(unit).item.directive_id}],
    "evidence.add_to_team": lambda unit: [{"team_id": _team(unit).id}],
    "evidence.add_to_activity": lambda unit: [{"activity_id": make_activity(unit).id}],
})


def urls(app: Flask, rule: Rule, unit_id: int | None = None) -> list[str]:
    """URLs of the rule: with objects of the unit (made now) when it takes ids, else its sample URL.

    A route missing from OBJECT_ROUTES gets its sample URL (id 1) here, and fails
    test_every_route_with_an_object_id_has_a_row_in_the_table. Call inside an app context.
    """
    if not takes_object_id(rule) or unit_id is None or rule.endpoint not in OBJECT_ROUTES:
        return [url(app, rule)]
    unit = db.session.get(Organization, unit_id)
    return [url(app, rule, **values) for values in OBJECT_ROUTES[rule.endpoint](unit)]


# API writes with a body that passes validation, so that the answer is the object's.
API_BODIES = {"api.update_task": {"progress": 50}, "api.move_ticket": {"action": "take"}}


def object_route_cases(app: Flask, unit: Organization, skip: Collection[str] = ()) -> list[tuple[Rule, str, dict]]:
    """(rule, method, URL values) for every route that takes an object id (but `skip`), with objects of `unit` made
    now, and each of GET, POST and PATCH the rule answers. Call inside an app context."""
    return [(rule, method, values)
            for rule in app.url_map.iter_rules()
            if takes_object_id(rule) and rule.endpoint in OBJECT_ROUTES and rule.endpoint not in skip
            for values in OBJECT_ROUTES[rule.endpoint](unit)
            for method in ("GET", "POST", "PATCH") if method in rule.methods]


def foreign_unit_id() -> int:
    """A unit that no signed-in test user belongs to."""
    return make_unit().id


def snapshot(app: Flask, exclude: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every row of every table (but `exclude`), to prove that requests changed nothing."""
    with app.app_context():
        return {table.name: sorted(tuple(map(str, row)) for row in db.session.execute(select(table)))
                for table in db.metadata.sorted_tables if table.name not in exclude}


# What every response must carry

def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def assert_security_headers(response, signed_in: bool, cdn: bool = False):
    where = f"{response.request.method} {response.request.path} -> {response.status_code}"
    csp = csp_directives(response)
    if "sandbox" in csp:  # a served evidence file: nothing of it runs, nothing is loaded
        assert csp["default-src"] == ["'none'"], where
        assert response.headers["X-Content-Type-Options"] == "nosniff", where
        return
    assert csp["default-src"] == ["'self'"], where
    assert csp["frame-ancestors"] == ["'none'"], where
    assert csp["object-src"] == ["'none'"], where
    assert csp["script-src"] == (["'self'", "https://cdn.jsdelivr.net"] if cdn else ["'self'"]), where
    assert not any("unsafe" in value for values in csp.values() for value in values), where
    assert response.headers["X-Content-Type-Options"] == "nosniff", where
    assert response.headers["Referrer-Policy"] == "same-origin", where
    assert response.headers["X-Frame-Options"] == "DENY", where
    if signed_in and not response.request.path.startswith("/static/") \
            and response.request.path not in PUBLIC_CACHEABLE:
        assert response.headers["Cache-Control"] == "no-store", where


def page_token(client) -> str:
    """The CSRF token a page gives to htmx through <body hx-headers>; its forms carry the same one."""
    page = client.get("/login", follow_redirects=True).text
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    assert f'name="csrf_token" type="hidden" value="{header_token}"' in page or \
        f'name="csrf_token" value="{header_token}"' in page
    return header_token
