"""Application factory."""
from __future__ import annotations

import os

from flask import Flask, has_request_context, request, session
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

import config
from app.extensions import babel, compress, csrf, db, limiter, login_manager, migrate


def create_app(config_class: type[config.Config] | None = None, overrides: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, error pages, CLI."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static",
                instance_path=str(config.INSTANCE_DIR))
    if config_class is None:
        config_class = config.CONFIGS[os.environ.get("APP_ENV", "development")]
    app.config.from_mapping(config.resolve(config_class))
    app.config.from_mapping(overrides or {})

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    limiter.init_app(app)
    compress.init_app(app)  # its after_request hook runs last, on the finished response
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)

    from app import audit, errors, headers, request_limits, static_files, templating
    from app.auth import sessions
    from app.converters import IdConverter
    app.before_request(audit.remember_client_address)  # before any hook that may audit
    app.url_map.converters["int"] = IdConverter  # before any route is added
    from app.admin import bp as admin_bp
    from app.auth import bp as auth_bp
    from app.directives import bp as directives_bp
    from app.documents import bp as documents_bp
    from app.evidence import bp as evidence_bp
    from app.exports import bp as exports_bp
    from app.followup import bp as followup_bp
    from app.imports import bp as imports_bp
    from app.main import bp as main_bp
    from app.outreach import bp as outreach_bp
    from app.public import bp as public_bp
    from app.reports import bp as reports_bp
    from app.support import bp as support_bp
    from app.tasks import bp as tasks_bp
    from app.teams import bp as teams_bp
    from app.villages import bp as villages_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(directives_bp)
    app.register_blueprint(tasks_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(villages_bp)
    app.register_blueprint(teams_bp)
    app.register_blueprint(outreach_bp)
    app.register_blueprint(support_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(imports_bp)
    from app import api
    api.init_app(app)
    app.register_blueprint(followup_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(evidence_bp)
    request_limits.init_app(app)
    sessions.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    static_files.init_app(app)

    from app.cli import register_cli
    register_cli(app)
    return app


def _select_locale() -> str:
    """The language chosen in the session, else Vietnamese."""
    from flask import current_app
    lang = session.get("lang") if has_request_context() else None
    return lang if lang in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL, a busy timeout and enforced foreign keys for every SQLite connection."""
    if not _is_sqlite(dbapi_connection):
        return
    # The driver must not open transactions by itself: _sqlite_begin below chooses how each one starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    """Start the transactions of requests that write (POST...) with the write lock held: BEGIN IMMEDIATE.

    A deferred transaction that reads and then writes cannot wait for another writer: SQLite answers
    "database is locked" at once instead of honouring the busy timeout. Taking the lock at BEGIN makes
    concurrent writing requests queue up. GET requests (which never write; tests prove it) begin deferred,
    so readers never wait; so does code outside requests (commands, tests), which would otherwise hold the
    write lock for as long as a session stays open. A connection with the `write_lock` execution option
    (app/audit.py's refusals, written from GETs) begins IMMEDIATE too.
    """
    if connection.dialect.name != "sqlite":
        return
    writes = connection.get_execution_options().get("write_lock") or (
        has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS"))
    # On the driver's connection: it is bookkeeping, not one of the app's statements (tests count those).
    connection.connection.driver_connection.execute("BEGIN IMMEDIATE" if writes else "BEGIN")
