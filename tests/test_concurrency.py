"""Twenty concurrent writers through gunicorn with 4 workers: no lost update, no lock error, no 5xx."""
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Task, TaskStatus, TaskUpdate, User
from tests.conftest import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[1]
WRITERS = 20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(demo, database_url, tmp_path):
    """gunicorn with 4 workers on the demo database; stopped after the test."""
    port = _free_port()
    # 20 writers sign in within seconds from one address: far more than a person, so no sign-in rate limit here.
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "concurrency-test-key", "APP_ENV": "development",
           "LOGIN_RATE_LIMIT": "1000 per minute"}
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "--workers", "4",
                                "--graceful-timeout", "5", "--bind",
                                f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):  # wait for the socket (bounded)
        try:
            urllib.request.urlopen(base + "/healthz", timeout=5)
            break
        except OSError:  # not listening yet
            time.sleep(0.1)
    yield base
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _session(base: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(base + "/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    _post(opener, base + "/login", {"username": "tamphuoc", "password": DEMO_PASSWORD, "csrf_token": token})
    return opener


def _post(opener, url, data) -> int:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST")
    try:
        return opener.open(request, timeout=60).status
    except urllib.error.HTTPError as error:
        return error.code


def _write(base: str, task_id: int, n: int) -> int:
    """One writer: read the task page (its version and token), then post a change with that version."""
    opener = _session(base)
    page = opener.open(f"{base}/tasks/{task_id}", timeout=60).read().decode()
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return _post(opener, f"{base}/tasks/{task_id}/status", {
        "status": "in_progress", "progress": n % 100, "note": f"writer-{n}", "version": version, "csrf_token": token})


def test_concurrent_writers_lose_nothing(demo, server):
    with demo.app_context():
        unit_id = db.session.scalar(select(User.organization_id).where(User.username == "tamphuoc"))
        tasks = db.session.scalars(select(Task).where(Task.lead_unit_id == unit_id,
                                                      Task.status == TaskStatus.IN_PROGRESS)).all()
        targets = {t.id: t.version for t in tasks[:2]}
    ids = list(targets)
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        statuses = list(pool.map(lambda n: _write(server, ids[n % len(ids)], n), range(WRITERS)))
    assert all(status in (303, 409) for status in statuses), statuses
    accepted = [n for n, status in enumerate(statuses) if status == 303]
    assert accepted
    with demo.app_context():
        db.session.expire_all()
        notes = set(db.session.scalars(select(TaskUpdate.note).where(TaskUpdate.note.like("writer-%"))))
        assert notes == {f"writer-{n}" for n in accepted}  # every accepted change has its history, no refused one
        for task_id, version in targets.items():
            accepted_here = sum(1 for n in accepted if ids[n % len(ids)] == task_id)
            assert db.session.get(Task, task_id).version == version + accepted_here
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert db.session.scalar(select(func.count()).select_from(TaskUpdate)
                                 .where(TaskUpdate.note.like("writer-%"))) == len(accepted)
