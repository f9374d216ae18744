"""Template helpers: dates in dd/mm/yyyy, permission checks, navigation, htmx settings."""
from __future__ import annotations

import json
from datetime import date, datetime

from flask import Flask, current_app, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

import config
from app import labels
from app.audit import ACTION_LABELS, DETAIL_LABELS, OBJECT_LABELS, described_changes
from app.clock import local
from app.models import TICKET_TRANSITIONS
from app.permissions import can, ticket_side
from app.tasks.classes import REPORTED_CLASSES

# (endpoint, label, permission): the menu shows each user what their role can open.
NAVIGATION = [
    ("main.dashboard", _l("Dashboard"), "dashboard.view"),
    ("directives.index", _l("Directives"), "directive.view"),
    ("tasks.index", _l("Tasks"), "task.view"),
    ("villages.index", _l("Villages"), "village.view"),
    ("teams.index", _l("Technology teams"), "team.view"),
    ("outreach.index", _l("Outreach"), "outreach.view"),
    ("support.index", _l("Partner support"), "support.view"),
    ("reports.index", _l("Reports"), "report.view"),
]
# Grouped under one "Administration" entry, so the menu stays on one line at 1280 px for every role.
ADMIN_NAVIGATION = [
    ("admin.units", _l("Units"), "admin.manage"),
    ("admin.users", _l("Users"), "admin.manage"),
    ("admin.tokens_index", _l("API tokens"), "admin.manage"),
    ("admin.audit", _l("Audit log"), "audit.view"),
    ("followup.calendar_days", _l("Working days"), "calendar.manage"),
    ("followup.email_status", _l("Email"), "admin.manage"),
]

# htmx settings through its meta tag: no eval, no injected styles (the CSP forbids both),
# and validation (422) and conflict (409) responses swapped like successes.
HTMX_CONFIG = json.dumps({
    "allowEval": False,
    "allowScriptTags": False,
    "includeIndicatorStyles": False,
    "historyCacheSize": 0,
    "responseHandling": [
        {"code": "204", "swap": False},
        {"code": "[23]..", "swap": True},
        {"code": "409", "swap": True},
        {"code": "422", "swap": True},
        {"code": "[45]..", "swap": False, "error": True},
    ],
})


def format_date(value: date | None) -> str:
    """dd/mm/yyyy, as Vietnamese offices write dates."""
    return value.strftime("%d/%m/%Y") if value else ""


def format_datetime(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in the district's time zone."""
    return local(value).strftime("%d/%m/%Y %H:%M") if value is not None else ""


def _navigation() -> dict[str, list]:
    """The main entries and the administration entries the signed-in user may open."""
    if not current_user.is_authenticated:
        return {"main": [], "admin": []}
    return {group: [(endpoint, label) for endpoint, label, action in entries if can(current_user, action)]
            for group, entries in (("main", NAVIGATION), ("admin", ADMIN_NAVIGATION))}


def _htmx_script() -> dict:
    if current_app.config["HTMX_USE_CDN"]:
        return {"src": config.HTMX_CDN_URL, "integrity": config.HTMX_SRI}
    return {"src": url_for("static", filename=f"vendor/htmx-{config.HTMX_VERSION}.min.js"), "integrity": None}


def init_app(app: Flask) -> None:
    """Register filters and globals."""
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(labels.label, "label")
    app.jinja_env.globals.update(
        can=can, ticket_side=ticket_side, ticket_transitions=TICKET_TRANSITIONS,
        htmx_config=HTMX_CONFIG, reported_classes=REPORTED_CLASSES,
        enums=labels.ENUMS_BY_NAME, skill_labels=labels.SKILL_LABELS, audit_changes=described_changes,
        audit_action_labels=ACTION_LABELS, audit_object_labels=OBJECT_LABELS, audit_detail_labels=DETAIL_LABELS)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def layout_context():
        return {"navigation": _navigation(), "htmx_script": _htmx_script(), "locale": str(get_locale())}
