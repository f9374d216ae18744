"""The sign-in rate limit holds for the whole server, not per gunicorn worker process."""
import pytest

from app.auth.rate_limit import login_limit
from tests.conftest import make_app
from tests.live_server import Browser, gunicorn

LIMIT, ATTEMPTS = 6, 30


def test_two_gunicorn_workers_together_let_no_more_sign_in_attempts_through_than_the_limit(app, database_url,
                                                                                             tmp_path):
    with gunicorn(database_url, tmp_path, workers=2, LOGIN_RATE_LIMIT=f"{LIMIT} per minute") as base:
        browser = Browser(base)
        token = browser.get("/login")[1].split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        # urllib opens a new connection per request: either worker may take each attempt
        statuses = [browser.post("/login", {"username": "khongco", "password": "sai-mat-khau-123",
                                            "csrf_token": token}) for _ in range(ATTEMPTS)]
    assert set(statuses) <= {422, 429}, statuses
    assert statuses.count(422) <= LIMIT
    assert statuses[-1] == 429


@pytest.mark.parametrize("workers, storage, expected", [
    ("1", "memory://", "20 per 1 minute"),
    ("2", "memory://", "10 per 1 minute"),
    ("3", "memory://", "6 per 1 minute"),
    ("4", "redis://127.0.0.1:6379", "20 per minute"),
])
def test_each_worker_gets_its_share_unless_the_store_is_shared(database_url, _schema, monkeypatch, workers,
                                                               storage, expected):
    monkeypatch.setenv("WEB_WORKERS", workers)
    app = make_app(database_url, RATELIMIT_STORAGE_URI=storage, LOGIN_RATE_LIMIT="20 per minute",
                   RATELIMIT_ENABLED=False)
    with app.app_context():
        assert login_limit() == expected


def test_without_gunicorn_conf_the_worker_count_comes_from_web_concurrency(database_url, _schema, monkeypatch):
    monkeypatch.delenv("WEB_WORKERS", raising=False)
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    app = make_app(database_url, LOGIN_RATE_LIMIT="20 per minute", RATELIMIT_ENABLED=False)
    with app.app_context():
        assert login_limit() == "5 per 1 minute"
