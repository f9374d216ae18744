"""Fixtures in the flaskr manner: app, client, runner, signed_in; one schema per run, emptied after each test."""
from __future__ import annotations

import copy
import os

import pytest
from argon2 import PasswordHasher
from flask_migrate import stamp
from sqlalchemy import select, text

import app.models.user as user_model
from app import create_app
from app.extensions import db, limiter
from config import TestConfig

DEMO_PASSWORD = "demo-password-2022"

# Argon2id at its production cost takes about 0.2 s per check here, and the suite signs in hundreds of times
# (lockout, rate limit, property tests): the tests use the same algorithm at its lowest cost.
user_model._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
user_model._DUMMY_HASH = user_model._hasher.hash("dummy password for timing")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """PostgreSQL when TEST_DATABASE_URL is set, else a SQLite file of this run."""
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def make_app(database_url: str, **overrides):
    """An app on the test database with extra settings."""
    if database_url.startswith("postgresql"):
        # Commits return before the WAL reaches the disk (what a crash would lose, no test looks at): 3 ms less each.
        overrides = {"SQLALCHEMY_ENGINE_OPTIONS": {**TestConfig.SQLALCHEMY_ENGINE_OPTIONS, "connect_args": {
            "options": "-c synchronous_commit=off"}}, **overrides}
    return create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": database_url, **overrides})


def reset_schema(app) -> None:
    """Drop everything, migrations' bookkeeping included, and create the models' tables, stamped as the
    migrations' head (which tests/test_migrations.py proves they are)."""
    with app.app_context():
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.create_all()
        stamp(revision="heads")


def empty_tables(app, dispose: bool = True) -> None:
    """Delete every row so the next test starts from an empty schema; close the app's connections unless the app
    lives on (each app has its own pool: a test's own app would otherwise leave one open)."""
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        if db.engine.dialect.name == "postgresql":
            # Ids start at 1 again. (DELETE and setval: TRUNCATE rewrites every table's files, ten times slower.)
            db.session.execute(text("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'"))
        db.session.commit()
        if dispose:
            db.engine.dispose()


@pytest.fixture(scope="session")
def _schema(database_url):
    reset_schema(make_app(database_url))


@pytest.fixture(scope="session")
def _shared_app(database_url, _schema):
    """One app for every test that takes it as TestConfig makes it: building one compiles every route and the API
    spec (50 ms, a tenth of the suite when done per test). Tests that need other settings call make_app."""
    return make_app(database_url)


@pytest.fixture
def app(_shared_app):
    """The app on an empty schema; the settings and static folder a test changes are put back after it."""
    app = _shared_app
    # Flask-Limiter keeps its on/off switch on the one Limiter object, where the last app built left it: a test's
    # own app with RATELIMIT_ENABLED would go on counting this app's sign-ins. (Off, init_app only sets the switch.)
    limiter.init_app(app)
    config, static_folder = copy.deepcopy(dict(app.config)), app.static_folder
    yield app
    empty_tables(app, dispose=False)
    app.config.clear()
    app.config.update(config)
    app.static_folder = static_folder


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def _demo_rows(database_url, _schema) -> dict:
    """The demo seeded once per run, kept as rows per table (seeding takes far longer than inserting)."""
    from app import demo as demo_data
    app = make_app(database_url)
    with app.app_context():
        demo_data.seed(DEMO_PASSWORD)
        # Generated columns (Task's stored deadlines) are left out: the database writes them again.
        rows = {table.name: [dict(row._mapping) for row in db.session.execute(
                    select(*(column for column in table.columns if column.computed is None)))]
                for table in db.metadata.sorted_tables}
    empty_tables(app)
    return rows


@pytest.fixture
def demo(app, _demo_rows):
    """The Phú Ninh demo loaded, with a known password."""
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if _demo_rows[table.name]:
                db.session.execute(table.insert(), _demo_rows[table.name])
        if db.engine.dialect.name == "postgresql":  # ids inserted explicitly: move the sequences past them
            for table in db.metadata.sorted_tables:
                if "id" in table.c and _demo_rows[table.name]:
                    db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                            f"(SELECT max(id) FROM {table.name}))"))
        db.session.commit()
    return app


def login(client, username: str, password: str = DEMO_PASSWORD, **kwargs):
    """Sign `client` in as `username` (a demo user unless the password says otherwise); the response."""
    return client.post("/login", data={"username": username, "password": password}, **kwargs)


def fresh_client(app, username: str, password: str = DEMO_PASSWORD):
    """A new browser on `app`, signed in as `username`."""
    client = app.test_client()
    assert login(client, username, password).status_code == 303, f"{username} could not sign in"
    return client


@pytest.fixture
def signed_in(demo, client):
    """A function giving the test client signed in as a demo user: `signed_in("tamphuoc").get(...)`."""
    def sign_in(username: str):
        response = login(client, username)
        assert response.status_code == 303, f"{username} could not sign in"
        return client
    return sign_in
