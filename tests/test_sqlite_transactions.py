"""SQLite: WAL, a busy timeout, and writing requests whose transactions take the lock at BEGIN, so they queue up."""
import threading

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.models import Organization
from tests.conftest import make_app, reset_schema
from tests.factories import make_unit

# How long the first writer keeps its transaction open after the second one was started. Long enough that,
# without BEGIN IMMEDIATE, the second writer finishes inside that window; with it, the second one waits.
OVERLAP_SECONDS = 1.0
pytestmark = pytest.mark.database_independent


@pytest.fixture
def sqlite_app(tmp_path):
    """An app on its own SQLite file, whatever database the rest of the suite uses."""
    app = make_app(f"sqlite:///{tmp_path / 'writers.db'}")
    reset_schema(app)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_connections_use_wal_and_a_busy_timeout(sqlite_app):
    with sqlite_app.app_context():
        assert db.session.scalar(text("PRAGMA journal_mode")) == "wal"
        assert db.session.scalar(text("PRAGMA busy_timeout")) == 10000
        assert db.session.scalar(text("PRAGMA foreign_keys")) == 1


def _writing_request(app):
    """The context of a POST request, where the app's writes happen."""
    return app.test_request_context("/", method="POST")


def test_two_writers_that_read_first_do_not_get_database_is_locked(sqlite_app):
    """Request A reads, request B reads and writes, then A writes: with deferred transactions A fails at once."""
    with sqlite_app.app_context():
        unit_id = make_unit("UBND xã Đếm", short_name="0").id
    a_has_read, b_finished = threading.Event(), threading.Event()
    errors = []

    def increment(before_write=lambda: None, after_read=lambda: None, done=lambda: None):
        try:
            with _writing_request(sqlite_app):
                unit = db.session.get(Organization, unit_id)
                count = int(unit.short_name)
                after_read()
                before_write()
                unit.short_name = str(count + 1)
                db.session.commit()
        except Exception as error:  # collected and asserted below, in the test's thread
            errors.append(error)
        finally:
            done()

    writer_a = threading.Thread(target=increment, kwargs={
        "after_read": a_has_read.set, "before_write": lambda: b_finished.wait(OVERLAP_SECONDS)})
    writer_b = threading.Thread(target=increment, kwargs={"done": b_finished.set})
    writer_a.start()
    a_has_read.wait()
    writer_b.start()
    writer_a.join()
    writer_b.join()
    assert errors == []
    with sqlite_app.app_context():
        assert db.session.scalar(select(Organization.short_name).where(Organization.id == unit_id)) == "2"


def test_many_concurrent_writers_lose_nothing(sqlite_app):
    threads, errors = [], []

    def create_units(worker: int):
        try:
            for n in range(5):
                with _writing_request(sqlite_app):
                    make_unit(f"UBND xã {worker}-{n}")
        except Exception as error:
            errors.append(error)

    for worker in range(4):
        threads.append(threading.Thread(target=create_units, args=(worker,)))
        threads[-1].start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sqlite_app.app_context():
        assert len(db.session.scalars(select(Organization)).all()) == 20
        assert db.session.scalar(text("PRAGMA integrity_check")) == "ok"


def test_reading_requests_and_code_outside_requests_do_not_hold_the_write_lock(sqlite_app):
    """GET requests, commands and tests begin deferred: an open session of theirs never blocks a writer."""
    with sqlite_app.app_context():
        unit_id = make_unit("UBND xã Đọc").id
    for reader in (sqlite_app.app_context(), sqlite_app.test_request_context("/", method="GET")):
        with reader:
            db.session.get(Organization, unit_id)  # a transaction is now open, and stays open
            with _writing_request(sqlite_app):
                make_unit()  # would wait for the busy timeout, then fail, if the reader held the lock
            db.session.rollback()
