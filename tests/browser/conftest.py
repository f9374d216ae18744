"""Browser tests: Debian's Chromium against the app served by gunicorn on a fresh, migrated, seeded SQLite file.

One server per run. Each test module starts from a freshly seeded demo when an earlier module changed data; modules
that only read say so with READS_ONLY = True.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser import checks
from tests.browser.served_db import resolve_lookups
from tests.conftest import DEMO_PASSWORD
from tests.live_server import free_port, wait_until_answering

ROOT = Path(__file__).resolve().parents[2]
BROWSER_TESTS = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
BIN = Path(sys.executable).parent
# Sign-in is rate limited per process; the tests sign in more often than a person would in a minute.
APP_FACTORY = "app:create_app(overrides={'RATELIMIT_ENABLED': False})"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
DASHBOARD_URL = re.compile(r"^http://127\.0\.0\.1:\d+/$")

expect.set_options(timeout=15_000)
_vi = Translations.load(str(ROOT / "translations"), ["vi"])


def vi(message: str, **values) -> str:
    """A message as the Vietnamese interface shows it."""
    text = _vi.gettext(message)
    return text % values if values else text


def pytest_collection_modifyitems(items):
    """Browser modules that only read run first, so a run reseeds the demo only when it must."""
    slots = [index for index, item in enumerate(items) if BROWSER_TESTS in item.path.parents]
    ordered = sorted((items[index] for index in slots),
                     key=lambda item: not getattr(item.module, "READS_ONLY", False))
    for index, item in zip(slots, ordered, strict=True):
        items[index] = item


@pytest.fixture(scope="session", autouse=True)
def chromium_installed():
    """Before anything starts: a missing Chromium fails the run (never a skip: the flows must not vanish)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make test does it when run as root)",
                    pytrace=False)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright cannot download its own browsers here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync"]}


@dataclass
class LiveServer:
    """gunicorn serving the app on its own SQLite file; reseeded on demand."""

    url: str
    env: dict
    process: subprocess.Popen
    changed: bool = False
    lookups: dict = field(default_factory=dict)
    pristine: Path | None = None  # the demo as first seeded

    def reseed(self) -> None:
        """Load the demo again (replacing everything), so the next module starts from known data: seeded once by
        the command, copied back page by page afterwards (SQLite's online backup, safe while gunicorn has the
        file open; the command costs seconds)."""
        live = self.env["DATABASE_URL"].removeprefix("sqlite:///")
        if self.pristine is None:
            _flask(self.env, "seed-demo", "--force", "--password", DEMO_PASSWORD)
            self.pristine = Path(live).with_name("pristine.db")
            _copy_database(live, self.pristine)
        else:
            _copy_database(self.pristine, live)
        self.lookups = resolve_lookups(self.env["DATABASE_URL"])
        self.changed = False


def _copy_database(source, target) -> None:
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def _flask(env: dict, *args: str) -> None:
    result = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app under gunicorn on a free port, migrated with the real migrations and seeded with the demo."""
    workdir = tmp_path_factory.mktemp("browser")
    env = {key: value for key, value in os.environ.items() if key != "TEST_DATABASE_URL"}
    env.update(APP_ENV="development", DATABASE_URL=f"sqlite:///{workdir / 'app.db'}",
               SECRET_KEY=secrets.token_hex(32), XDG_RUNTIME_DIR=str(workdir))  # gunicorn's control socket
    _flask(env, "db", "upgrade")
    log = workdir / "gunicorn.log"
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1",
                                    "--threads", "4", APP_FACTORY], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    server = LiveServer(url=f"http://127.0.0.1:{port}", env=env, process=process)
    try:
        server.reseed()  # while gunicorn boots
        status = wait_until_answering(server.url, process, log)
        if status != 200:
            raise RuntimeError(f"/healthz answered {status}:\n{log.read_text()}")
        checks.reset_screenshots()
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        checks.ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(log, checks.ARTIFACTS / "gunicorn.log")  # for a person reading a failure


@pytest.fixture(scope="module", autouse=True)
def demo_data(request, live_server):
    """Fresh demo data for a module when an earlier module changed it."""
    if live_server.changed:
        live_server.reseed()
    yield live_server.lookups
    if not getattr(request.module, "READS_ONLY", False):
        live_server.changed = True


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """pytest-playwright's own page and context fixtures open the live server too."""
    return live_server.url


def sign_in(page: Page, username: str) -> None:
    """Sign in through the form, as a person would."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-submit")
    expect(page).to_have_url(DASHBOARD_URL)


def sign_in_by_request(context: BrowserContext, username: str) -> None:
    """Sign the context in without rendering pages, where signing in is not what is being tested."""
    token = CSRF_FIELD.search(context.request.get("/login").text()).group(1)
    response = context.request.post("/login", max_redirects=0, form={
        "csrf_token": token, "username": username, "password": DEMO_PASSWORD})
    assert response.status == 303, f"{username} could not sign in: {response.status}"


class Tabs:
    """Opens browser tabs, each in its own context and watched for errors; closes them all at the end."""

    def __init__(self, browser: Browser, server: LiveServer):
        self.browser, self.server, self.contexts = browser, server, []

    def open(self, user: str | None = None, *, javascript: bool = True) -> checks.Tab:
        """A new tab, already signed in as `user` when one is given."""
        context = self.browser.new_context(base_url=self.server.url, viewport=checks.VIEWPORTS[1280],
                                           locale="vi-VN", java_script_enabled=javascript)
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        if user:
            sign_in_by_request(context, user)
        return checks.Tab.open(context, javascript=javascript)

    def close(self) -> None:
        checks.flush_violations()
        for context in self.contexts:
            context.close()


@pytest.fixture(autouse=True)
def no_csp_violation_during_the_test():
    """Whatever a test checks on the way, a CSP violation in any of its tabs, on any page or after any htmx swap,
    fails it at its end (the listener is registered before every document's own scripts: checks.CSP_LISTENER)."""
    checks.VIOLATIONS.clear()
    yield
    checks.assert_no_violation_since_the_test_began()


@pytest.fixture
def open_tab(browser: Browser, live_server):
    """open_tab(user=None, javascript=True): a new tab of its own, for a flow."""
    tabs = Tabs(browser, live_server)
    yield tabs.open
    tabs.close()


@pytest.fixture(scope="module")
def tab_of(browser: Browser, live_server):
    """tab_of(user=None, javascript=True): one tab per user for the whole module, its errors forgotten at each
    call; for checks of single screens, where a context per screen would only cost time."""
    tabs, opened = Tabs(browser, live_server), {}

    def tab_of(user: str | None = None, *, javascript: bool = True) -> checks.Tab:
        if (user, javascript) not in opened:
            opened[user, javascript] = tabs.open(user, javascript=javascript)
        tab = opened[user, javascript]
        tab.forget_errors()
        return tab

    yield tab_of
    tabs.close()
