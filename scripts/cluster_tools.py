"""The pieces of scripts/cluster_check.py: a cookie-keeping HTTP client, and a cluster of gunicorn app servers behind
HAProxy (configured from deploy/haproxy.cfg) on one PostgreSQL database and one Redis, all started and stopped here."""
from __future__ import annotations

import email
import email.policy
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import gunicorn
import psycopg

BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')
STARTUP_TIMEOUT = 60  # seconds: a bound on a hang, not a measurement
# `flask db upgrade`, then `flask seed-demo`, in one interpreter (each start of the app costs seconds on a busy
# machine); prints the app's own commands.
PREPARE = """
import sys
from flask_migrate import upgrade
from app import create_app
app = create_app()
with app.app_context():
    upgrade()
result = app.test_cli_runner().invoke(args=["seed-demo", "--password", sys.argv[1]])
if result.exit_code:
    sys.exit(f"seed-demo failed: {result.output} {result.exception!r}")
print(" ".join(sorted(app.cli.commands)))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    headers: Message  # case-insensitive: HAProxy sends header names in lower case
    body: bytes


class Client:
    """One browser: its cookies (shareable with another client, as a user's cookie goes to any server), its extra
    headers; redirects are answers, not followed; a new connection per request, so the proxy balances each one."""

    def __init__(self, base: str, jar: http.cookiejar.CookieJar | None = None, headers: dict | None = None):
        self.base, self.jar, self.headers = base, jar or http.cookiejar.CookieJar(), headers or {}
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, method=method,
                                         headers={**self.headers, **(headers or {})})
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    def get(self, path: str) -> tuple[int, str]:
        answer = self.request("GET", path)
        return answer.status, answer.body.decode(errors="replace")

    def post(self, path: str, data: dict, headers: dict | None = None) -> int:
        token = data.get("csrf_token")
        return self.request("POST", path, data, {**({"X-CSRFToken": token} if token else {}), **(headers or {})}).status

    @staticmethod
    def csrf_from(page: str) -> str:
        match = CSRF.search(page)
        return match.group(1) or match.group(2)

    def csrf_token(self, path: str) -> str:
        return self.csrf_from(self.get(path)[1])

    def sign_in(self, username: str, password: str) -> int:
        """The sign-in form posted with its token: 303 when signed in, 422 refused, 429 rate-limited."""
        token = self.csrf_token("/login")
        return self.post("/login", {"username": username, "password": password, "csrf_token": token})


@dataclass
class Process:
    name: str
    process: subprocess.Popen
    port: int = 0
    log: Path | None = None
    access_log: Path | None = None
    killed: bool = field(default=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Cluster:
    """Servers A and B (gunicorn, 2 workers each) and HAProxy in front of them, on loopback ports."""

    def __init__(self, root: Path, work: Path, *, pg: str, database: str, redis_url: str, login_limit: str):
        self.root, self.work, self.pg, self.database = root, work, pg, database
        self.password = "cluster-" + secrets.token_hex(8)
        self.database_url = pg.replace("postgresql://", "postgresql+psycopg://", 1) + "/" + database
        self.env = {k: v for k, v in os.environ.items() if k not in ("RATELIMIT_STORAGE_URI", "WEB_CONCURRENCY")}
        self.env.update(APP_ENV="development", SECRET_KEY=secrets.token_hex(32), DATABASE_URL=self.database_url,
                        REDIS_URL=redis_url, RATELIMIT_KEY_PREFIX="cluster-check-" + secrets.token_hex(4),
                        LOGIN_RATE_LIMIT=login_limit, TRUSTED_PROXIES="1")
        self.servers: dict[str, Process] = {}
        self.commands: list[str] = []
        self.commands_started: list[Process] = []
        self.haproxy: Process | None = None
        self.proxy = ""

    # --- lifecycle
    def start(self) -> str:
        """Database, servers, proxy; a one-line account of what was done and how long it took."""
        if self.work.exists():
            for old in self.work.iterdir():
                old.unlink()
        self.work.mkdir(parents=True, exist_ok=True)
        began = time.monotonic()
        self._redis_ping()
        with psycopg.connect(self.pg + "/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.database}"')
        self.commands = self._run([sys.executable, "-c", PREPARE, self.password]).split()
        loaded = time.monotonic()
        for name in ("A", "B"):
            self.servers[name] = self._gunicorn(name)
        for server in self.servers.values():
            self._wait_healthy(server)
        self.haproxy = self._haproxy()
        self.proxy = self.haproxy.url
        self._wait_healthy(self.haproxy)
        return (f"database {self.database} migrated and seeded in {loaded - began:.0f} s; servers A "
                f"{self.servers['A'].url}, B {self.servers['B'].url}, HAProxy {self.proxy} up in "
                f"{time.monotonic() - loaded:.0f} s")

    def stop(self) -> None:
        """Stop everything this cluster started (each in its own process group), whatever state it is in."""
        processes = [p for p in [self.haproxy, *self.servers.values(), *self.commands_started]
                     if p and p.process.poll() is None]
        for item in processes:
            self._signal(item, signal.SIGTERM)
        for item in processes:
            try:
                item.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._signal(item, signal.SIGKILL)
                item.process.wait(timeout=10)

    def kill(self, name: str) -> None:
        """SIGKILL the server's master and workers at once: the machine's power cut."""
        self._signal(self.servers[name], signal.SIGKILL)
        self.servers[name].process.wait(timeout=10)

    @staticmethod
    def _signal(item: Process, signum: int) -> None:
        try:
            os.killpg(item.process.pid, signum)
        except ProcessLookupError:
            pass

    # --- commands and queries
    def _run(self, command: list[str]) -> str:
        result = subprocess.run(command, cwd=self.root, env=self.env, capture_output=True, text=True, timeout=300)
        if result.returncode:
            raise RuntimeError(f"{command[:3]} failed:\n{result.stderr[-2000:]}")
        return result.stdout

    def flask_async(self, server: str, *args: str, env: dict | None = None) -> subprocess.Popen:
        """A command as server `server` would run it from its timer (the same settings, plus `env`)."""
        log = (self.work / f"flask-{args[0]}-{server}.log").open("a")
        process = subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", *args], cwd=self.root,
                                   env={**self.env, **(env or {})}, stdout=log, stderr=log, start_new_session=True)
        self.commands_started.append(Process(f"flask {args[0]} on {server}", process))
        return process

    def has_command(self, name: str) -> bool:
        return name in self.commands

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        with psycopg.connect(self.pg + "/" + self.database, connect_timeout=5) as conn:
            return conn.execute(query, params).fetchall()

    def requests_served(self) -> dict[str, int]:
        """Requests each server answered (its access log), health checks left out."""
        return {name: sum(1 for line in server.access_log.read_text().splitlines() if "/healthz" not in line)
                for name, server in self.servers.items()}

    def server_states(self) -> dict[str, str]:
        """HAProxy's view of the backend's servers: name -> UP, DOWN, ..."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(str(self.work / "haproxy.sock"))
            sock.sendall(b"show stat\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        states = {}
        for line in data.decode().splitlines():
            cells = line.split(",")
            if len(cells) > 17 and cells[0] == "app" and cells[1] not in ("FRONTEND", "BACKEND"):
                states[cells[1]] = cells[17].split(" ")[0]
        return states

    def wait_for_states(self, expected: dict[str, str], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server_states() == expected:
                return True
            time.sleep(0.2)
        return False

    # --- starting the pieces
    def _redis_ping(self) -> None:
        import redis
        redis.Redis.from_url(self.env["REDIS_URL"], socket_connect_timeout=5).ping()

    def _gunicorn(self, name: str) -> Process:
        port, log, access = free_port(), self.work / f"server-{name}.log", self.work / f"server-{name}-access.log"
        # gunicorn 27's control socket defaults to one path per user: each server gets its own
        control = ["--control-socket", str(self.work / f"server-{name}.ctl")] if gunicorn.version_info >= (27,) else []
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--timeout", "60",
             "--graceful-timeout", "5", "--access-logfile", str(access), *control, "wsgi:app"],
            cwd=self.root, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        return Process(name, process, port, log, access)

    def _haproxy(self) -> Process:
        """deploy/haproxy.cfg's defaults, cache and backend sections with these servers, a loopback frontend."""
        port = free_port()
        sections = re.split(r"\n(?=\S)", (self.root / "deploy" / "haproxy.cfg").read_text())
        kept = [s for s in sections if s.split(None, 1)[0] in ("defaults", "cache", "backend")]
        config = "\n".join(kept)
        config = re.sub(r"^\s*server .*\n?", "", config, flags=re.M).rstrip() + "\n" + "".join(
            f"    server app{n} 127.0.0.1:{server.port}\n" for n, server in enumerate(self.servers.values(), 1))
        path = self.work / "haproxy.cfg"
        path.write_text(f"global\n    log stdout format raw local0\n"
                        f"    stats socket {self.work / 'haproxy.sock'} mode 600 level admin\n\n"
                        f"{config}\nfrontend www\n    bind 127.0.0.1:{port}\n    default_backend app\n")
        haproxy = "haproxy" if subprocess.run(["which", "haproxy"], capture_output=True).returncode == 0 \
            else "/usr/sbin/haproxy"
        log = self.work / "haproxy.log"
        process = subprocess.Popen([haproxy, "-db", "-f", str(path)], stdout=log.open("w"), stderr=subprocess.STDOUT,
                                   start_new_session=True)
        return Process("haproxy", process, port, log)

    def _wait_healthy(self, item: Process) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if item.process.poll() is not None:
                raise RuntimeError(f"{item.name} exited:\n{item.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(item.url + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{item.name} did not answer /healthz with 200 within {STARTUP_TIMEOUT} s")


class SmtpSink:
    """Enough of an SMTP server for smtplib (the portal's app/mail.py): keeps every message it is given."""

    def __init__(self):
        self.messages: list[bytes] = []
        self.lock = threading.Lock()
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def subjects(self) -> list[str]:
        with self.lock:
            return [str(email.message_from_bytes(data, policy=email.policy.default)["Subject"])
                    for data in self.messages]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(sink):
        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"220 cluster-check\r\n")
                while line := self.rfile.readline():
                    verb = line[:4].upper()
                    if verb in (b"EHLO", b"HELO"):
                        self.wfile.write(b"250-cluster-check\r\n250 8BITMIME\r\n")
                    elif verb == b"DATA":
                        self.wfile.write(b"354 end with .\r\n")
                        data = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data += chunk
                        with sink.lock:
                            sink.messages.append(data)
                        self.wfile.write(b"250 queued\r\n")
                    elif verb == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:  # MAIL, RCPT, RSET, NOOP
                        self.wfile.write(b"250 ok\r\n")
        return Handler
