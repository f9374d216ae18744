"""The rate limits (sign-in, the public page), honest about where they are counted.

With a shared store (RATELIMIT_STORAGE_URI=redis://...) every worker and server counts together and
LOGIN_RATE_LIMIT holds as written. With the default in-memory store each worker process counts for itself, so each
gets its share: LOGIN_RATE_LIMIT divided by the worker count (gunicorn.conf.py tells it; WEB_CONCURRENCY
otherwise). Several app servers without a shared store multiply the limit by their number: configure the store.
"""
from __future__ import annotations

import os

from flask import current_app
from limits import parse


def shared_store() -> bool:
    """Whether the rate limit counts in a store that every worker and server shares."""
    return not current_app.config["RATELIMIT_STORAGE_URI"].startswith("memory://")


def worker_processes() -> int:
    """The number of worker processes serving the app on this server."""
    value = os.environ.get("WEB_WORKERS") or os.environ.get("WEB_CONCURRENCY") or "1"
    return max(1, int(value)) if value.isdigit() else 1


def worker_share(setting: str) -> str:
    """This process's share of the limit in the setting `setting` (all of it when the store is shared)."""
    limit = parse(current_app.config[setting])
    if shared_store():
        return current_app.config[setting]
    share = max(1, limit.amount // worker_processes())
    return f"{share} per {limit.multiples} {limit.GRANULARITY.name}"


def login_limit() -> str:
    """This process's share of LOGIN_RATE_LIMIT, for Flask-Limiter."""
    return worker_share("LOGIN_RATE_LIMIT")


def public_limit() -> str:
    """This process's share of PUBLIC_RATE_LIMIT (the public page, per client address), for Flask-Limiter."""
    return worker_share("PUBLIC_RATE_LIMIT")
