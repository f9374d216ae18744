"""Settings several app servers need: the shared Redis from the environment, the client's address behind a proxy."""
import os
import subprocess
import sys

import pytest
from sqlalchemy import select

import config
from app.extensions import db
from app.models import AuditEvent
from tests.conftest import login, make_app


def settings_with(**env: str) -> list[str]:
    """RATELIMIT_STORAGE_URI and TRUSTED_PROXIES as config.py reads them from this environment."""
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("REDIS_URL", "RATELIMIT_STORAGE_URI", "TRUSTED_PROXIES")}
    code = "import config; print(config.Config.RATELIMIT_STORAGE_URI, config.Config.TRUSTED_PROXIES)"
    return subprocess.run([sys.executable, "-c", code], cwd=config.BASE_DIR, env={**environment, **env},
                          capture_output=True, text=True, check=True).stdout.split()


@pytest.mark.database_independent
@pytest.mark.parametrize("env, storage", [
    ({}, "memory://"),
    ({"REDIS_URL": "redis://10.0.0.5:6379/0"}, "redis://10.0.0.5:6379/0"),
    ({"REDIS_URL": "redis://10.0.0.5:6379/0", "RATELIMIT_STORAGE_URI": "redis://10.0.0.6:6379/1"},
     "redis://10.0.0.6:6379/1"),
])
def test_the_rate_limit_counts_in_the_redis_the_environment_names(env, storage):
    assert settings_with(**env) == [storage, "0"]


@pytest.mark.database_independent
def test_the_number_of_trusted_proxies_comes_from_the_environment():
    assert settings_with(TRUSTED_PROXIES="1")[1] == "1"


def sign_in_failure_address(app, headers: dict) -> str:
    login(app.test_client(), "khongco", "sai-mat-khau-123", headers=headers,
          environ_base={"REMOTE_ADDR": "10.0.0.2"})
    with app.app_context():
        return db.session.scalars(select(AuditEvent.ip).order_by(AuditEvent.id.desc())).first()


def test_behind_a_trusted_proxy_the_audit_log_records_the_clients_address(app, database_url):
    # (the `app` fixture empties the tables afterwards)
    proxied = make_app(database_url, TRUSTED_PROXIES=1)
    # A client's own X-Forwarded-For comes first; the proxy appends the address it saw: only that one is believed.
    assert sign_in_failure_address(proxied, {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}) == "203.0.113.7"


def test_without_trusted_proxies_a_forwarded_for_header_is_ignored(app):
    assert sign_in_failure_address(app, {"X-Forwarded-For": "203.0.113.7"}) == "10.0.0.2"


def test_sign_in_still_works_while_the_rate_limits_store_is_unreachable(app, database_url):
    unreachable = make_app(database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    assert login(unreachable.test_client(), "khongco", "sai-mat-khau-123").status_code == 422
