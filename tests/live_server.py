"""A real gunicorn serving the app on the test database, for what only several worker processes show
(concurrent writers, counters kept per process); and a client that signs in through the form."""
from __future__ import annotations

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
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT = 60  # seconds: a bound on a hang, not an assertion on speed
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, log_dir: Path, workers: int, **env: str):
    """gunicorn with `workers` processes on `database_url` (gunicorn.conf.py of the repository applies);
    yields its base URL and stops it afterwards."""
    port = free_port()
    environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "live-server-test-key",
                   "APP_ENV": "development", **env}
    environment.pop("WEB_CONCURRENCY", None)
    log_path = log_dir / "gunicorn.log"
    with log_path.open("w") as log:
        process = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "--workers", str(workers),
                                    "--graceful-timeout", "5", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
                                   cwd=ROOT, env=environment, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_answering(base, process, log_path)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def wait_until_answering(base: str, process: subprocess.Popen, log_path: Path) -> int:
    """Wait for gunicorn to answer /healthz; the status it gave (503 for a schema not at head: the caller decides
    what that means)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer within {STARTUP_TIMEOUT}s:\n{log_path.read_text()}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One client with its own cookies; answers are status codes, redirects are not followed."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, path: str, data: dict) -> int:
        request = urllib.request.Request(self.base + path, data=urllib.parse.urlencode(data).encode(), method="POST")
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def sign_in(self, username: str, password: str) -> int:
        """Post the sign-in form with its CSRF token; the status of the answer (303 when signed in)."""
        _status, page = self.get("/login")
        token = CSRF_FIELD.search(page).group(1)
        return self.post("/login", {"username": username, "password": password, "csrf_token": token})
