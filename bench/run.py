"""`make bench`: build the province, serve the portal and the bare baseline with the same gunicorn settings,
drive both with wrk, and write BENCHMARKS.md (ratios to the baseline measured seconds before each page).

SQLite by default (a file under instance/); PostgreSQL with BENCH_DATABASE_URL (its data is replaced).
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "bench-password-2022"
PROVINCE = "vptinh"  # the province office's coordinator (app/demo/province.py)
WORKERS = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env: dict, *args: str) -> str:
    return subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout


class Server:
    """gunicorn on a free port; its worker pids for the peak memory."""

    def __init__(self, app: str, env: dict, cwd: Path):
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS), app],
            cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{app} did not start")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_peak_rss_mb(self) -> float:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        peaks = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024)
        return max(peaks) if peaks else 0.0

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def sign_in(server: Server, username: str) -> str:
    """The session cookie of a signed-in user, as a Cookie header value."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(server.url("/login")).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrf_token": token}).encode()
    opener.open(server.url("/login"), data=data)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def wrk(url: str, cookie: str | None, seconds: int) -> dict:
    """req/s, p50 and p99 in ms, and bytes per response from one wrk run (2 threads, 16 connections)."""
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "30s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout

    def ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    read = re.search(r"requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read", out)
    factor = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[read.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": ms("50"), "p99": ms("99"),
            "bytes": float(read.group(1)) * factor / max(requests, 1),
            "errors": int(non_2xx.group(1)) if non_2xx else 0}


def _drain(url: str, cookie: str) -> None:
    """One request on its own, after the previous run's queued requests: each page is measured from an idle server."""
    try:
        urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie}), timeout=600).read()
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{url} answered {error.code}: the page to measure must answer 200") from error


def writes(server: Server, cookie: str, task_ids: list[int], seconds: int) -> dict:
    """htmx status writes with fresh versions from 8 threads: accepted, conflicts, and their rate."""
    counts = {"200": 0, "409": 0, "other": 0, "bytes": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(ids):
        index = 0
        while time.monotonic() < deadline:
            task_id = ids[index % len(ids)]
            index += 1
            request = urllib.request.Request(server.url(f"/tasks/{task_id}"), headers={"Cookie": cookie})
            page = urllib.request.urlopen(request).read().decode()
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            version = re.search(r'name="version"[^>]*value="(\d+)"', page) or re.search(
                r'value="(\d+)"[^>]*name="version"', page)
            data = urllib.parse.urlencode({"status": "in_progress", "progress": str(index % 90), "note": "bench",
                                           "version": version.group(1), "csrf_token": token}).encode()
            post = urllib.request.Request(server.url(f"/tasks/{task_id}/status"), data=data, headers={
                "Cookie": cookie, "HX-Request": "true", "X-CSRFToken": token})
            try:
                response = urllib.request.urlopen(post)
                code, size = str(response.status), len(response.read())
            except urllib.error.HTTPError as error:
                code, size = str(error.code), len(error.read())
            with lock:
                counts[code if code in counts else "other"] += 1
                if code == "200":
                    counts["bytes"] = max(counts["bytes"], size)

    threads = [threading.Thread(target=worker, args=(task_ids[n::8] or task_ids,)) for n in range(8)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts["rps"] = (counts["200"] + counts["409"]) / (time.monotonic() - started)
    return counts


def statements_per_request(database_url: str, paths: dict[str, tuple[str, str]]) -> dict[str, int]:
    """SQL statements each page runs, counted in-process on the given database."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db
    from config import DevelopmentConfig
    app = create_app(DevelopmentConfig, {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
                                         "RATELIMIT_ENABLED": False, "SECRET_KEY": "bench"})
    counts: dict[str, int] = {}
    with app.app_context():
        engine = db.engine
    seen = []
    listener = lambda *args: seen.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for name, (username, path) in paths.items():
            client = app.test_client()
            client.post("/login", data={"username": username, "password": PASSWORD})
            client.get(path)  # warm caches
            seen.clear()
            client.get(path)
            counts[name] = len(seen)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
        with app.app_context():
            db.engine.dispose()
    return counts


def query_plans(database_url: str, after: str) -> dict[str, str]:
    """EXPLAIN of the overdue list (the province office's first page and a deep keyset page, a district office's first
    page, the dashboard's) and of the officer scope."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import select, text

    from app import create_app
    from app.clock import today
    from app.extensions import db
    from app.models import Task, User
    from app.pager import parse_after
    from app.permissions import scoped
    from app.tasks.classes import TaskClass, class_condition
    from config import DevelopmentConfig
    app = create_app(DevelopmentConfig, {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    plans = {}
    with app.app_context():
        from app.tasks import queries
        officer = db.session.scalar(select(User).where(User.username == "tamphuoc"))
        coordinator = db.session.scalar(select(User).where(User.username == PROVINCE))
        district = db.session.scalar(select(User).where(User.username == "vp01"))
        filters = queries.TaskFilters(task_class=TaskClass.OPEN_OVERDUE.value)
        keyset = queries.task_list_keyset(filters)
        overdue = queries.task_list_query(coordinator, today(), filters).order_by(None).order_by(*keyset.order_by())
        statements = {
            "overdue list (province office, page 1)": overdue.limit(26),
            "overdue list (province office, page 500 by keyset)": overdue.where(keyset.after(parse_after(after)))
            .limit(26),
            "overdue list (district office vp01, page 1)": queries.task_list_query(district, today(), filters)
            .order_by(None).order_by(*keyset.order_by()).limit(26),
            "dashboard's overdue tasks (province office)": queries.with_details(scoped(Task, coordinator).where(
                class_condition(TaskClass.OPEN_OVERDUE, today()))).order_by(Task.open_deadline, Task.id).limit(12),
            "officer scope (tamphuoc's task list, page 1)": queries.task_list_query(
                officer, today(), queries.TaskFilters()).limit(26),
        }
        sqlite = db.engine.dialect.name == "sqlite"
        for name, stmt in statements.items():
            sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
            rows = db.session.execute(text(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + sql)).all()
            plans[name] = "\n".join(str(row[-1] if sqlite else row[0]) for row in rows)
        db.engine.dispose()
    return plans


def build(env: dict, **sizes: str) -> str:
    """Migrate and load the province; the command's summary."""
    flask(env, "db", "upgrade")
    args = [f"--{name}={value}" for name, value in sizes.items()]
    summary = flask(env, "seed-province", "--password", PASSWORD, *args)
    _analyze(env["DATABASE_URL"])
    return summary


def _analyze(database_url: str) -> None:
    """PostgreSQL's statistics of the fresh load, as autovacuum would have them long before anyone reads the pages
    (without them it guessed a third of the tasks and a tenth of the items). SQLite is left as it is installed: it
    keeps no statistics unless told to."""
    if not database_url.startswith("postgresql"):
        return
    from sqlalchemy import create_engine, text
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration of each measurement")
    parser.add_argument("--smoke", action="store_true",
                        help="a tiny province and one-second runs: a check that every page answers (.ci/run), "
                             "written to instance/bench-<database>-smoke.md only")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"),
                        help="written from bench/summary.md and the latest run on each database (instance/bench-*.md)")
    options = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{ROOT / 'instance' / 'bench.db'}"
    small_url = os.environ.get("BENCH_SMALL_DATABASE_URL") or _small_url(database_url)
    (ROOT / "instance").mkdir(exist_ok=True)
    for url in (database_url, small_url):
        if url.startswith("sqlite:///"):
            for suffix in ("", "-wal", "-shm"):
                Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    env = {**os.environ, "APP_ENV": "development", "SECRET_KEY": secrets.token_hex(16),
           "LOGIN_RATE_LIMIT": "1000 per minute", "XDG_RUNTIME_DIR": "/tmp"}  # signs in once per user
    big = {"communes": "1", "directives": "2", "activities": "200", "tickets": "50"} if options.smoke else {}
    seconds = 1 if options.smoke else options.seconds
    started = time.monotonic()
    summary = build({**env, "DATABASE_URL": database_url}, **big)
    build_seconds = time.monotonic() - started
    build({**env, "DATABASE_URL": small_url}, communes="1", directives="1", updates="2", activities="200",
          tickets="50")

    app_env = {**env, "DATABASE_URL": database_url}
    portal = Server("wsgi:app", app_env, ROOT)
    baseline = Server("baseline:app", app_env, ROOT / "bench")
    try:
        ids = _sample_ids(app_env)
        pages = _pages(ids)
        cookies = {username: sign_in(portal, username) for username, _ in pages.values()}
        results = {}
        for name, (username, path) in pages.items():
            _drain(portal.url(path), cookies[username])
            base = wrk(baseline.url("/"), None, seconds)
            page = wrk(portal.url(path), cookies[username], seconds)
            results[name] = (page, base)
        base = wrk(baseline.url("/"), None, seconds)
        write = writes(portal, cookies["tamphuoc"], ids["officer_tasks"], max(seconds, 2))
        rss = portal.worker_peak_rss_mb()
    finally:
        portal.stop()
        baseline.stop()
    history = _history_rows(app_env, ids["officer_tasks"])
    small_ids = _sample_ids({**env, "DATABASE_URL": small_url})
    statements = {
        # the small province's own ids: a task or directive of the large one may not exist there (a 404)
        "small": statements_per_request(small_url, {name: path for name, path in _pages(small_ids).items()
                                                    if "page 500" not in name}),
        "large": statements_per_request(database_url, {name: pages[name] for name in pages if "page 500" not in name}),
    }
    plans = query_plans(database_url, ids["after"])
    database = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    # a smoke run's figures mean nothing: they never take the place of a real run's section
    section = ROOT / "instance" / f"bench-{database}{'-smoke' if options.smoke else ''}.md"
    _write_report(section, database_url, summary, build_seconds, results, base, write, history, rss,
                  statements, plans, seconds, ids["overdue"])
    if not options.smoke:
        parts = [(ROOT / "bench" / "summary.md").read_text()]
        parts += [path.read_text() for path in (ROOT / "instance" / "bench-sqlite.md",
                                                ROOT / "instance" / "bench-postgresql.md") if path.exists()]
        Path(options.output).write_text("\n".join(parts))
    print(section.read_text())


def _pages(ids: dict) -> dict[str, tuple[str, str]]:
    """The pages measured: (username, path), with ids sampled in the database measured. Since the district tree a
    district office sees its own district only, so the pages at province scale are the province office's (vptinh,
    whose subtree holds all the data); vp01 is one generated district's office."""
    return {
        "dashboard, province office": (PROVINCE, "/"),
        "dashboard, district office": ("vp01", "/"),
        "dashboard, commune officer": ("tamphuoc", "/"),
        "overdue list, page 1": (PROVINCE, "/tasks?task_class=open_overdue"),
        "overdue list, page 500 (keyset)": (PROVINCE, f"/tasks?task_class=open_overdue&after={ids['after']}"),
        "task page": ("tamphuoc", f"/tasks/{ids['task']}"),
        "directive page (province-wide)": (PROVINCE, f"/directives/{ids['directive']}"),
        "/teams": (PROVINCE, "/teams"),
        "/outreach, province office": (PROVINCE, "/outreach"),
        "/support, province office": (PROVINCE, "/support"),
        "/reports, province office": (PROVINCE, "/reports"),
        ".xlsx export, commune's tasks": ("tamphuoc", "/tasks/export.xlsx"),
    }


def _small_url(database_url: str) -> str:
    """The small province's database on the same kind of server: `<name>_small` for PostgreSQL (created when
    missing), a file beside bench.db for SQLite."""
    if not database_url.startswith("postgresql"):
        return f"sqlite:///{ROOT / 'instance' / 'bench-small.db'}"
    from sqlalchemy import create_engine, make_url, text
    url = make_url(database_url)
    small = url.set(database=f"{url.database}_small")
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": small.database}):
            connection.execute(text(f'CREATE DATABASE "{small.database}"'))
    engine.dispose()
    return small.render_as_string(hide_password=False)


def _sample_ids(env: dict) -> dict:
    code = ("from app import create_app; from app.extensions import db; from sqlalchemy import select, func;"
            "from app.models import Task, Item, User;"
            "app = create_app();"
            "ctx = app.app_context(); ctx.push();"
            "unit = db.session.scalar(select(User.organization_id).where(User.username == 'tamphuoc'));"
            "tasks = db.session.scalars(select(Task.id).where(Task.lead_unit_id == unit).order_by(Task.id)).all();"
            "big = db.session.execute(select(Item.directive_id, func.count(Task.id)).join(Task)"
            ".group_by(Item.directive_id).order_by(func.count(Task.id).desc()).limit(1)).first();"
            "from app.clock import today; from app.tasks.classes import class_condition;"
            "n = db.session.scalar(select(func.count(Task.id)).where(class_condition('open_overdue', today())));"
            "row = db.session.execute(select(Task.open_deadline, Task.id).where(class_condition('open_overdue',"
            " today())).order_by(Task.open_deadline, Task.id)"
            ".offset(max(min(499 * 25, n - 1) - 1, 0)).limit(1)).first();"
            "print(tasks[0], big[0], ','.join(map(str, tasks[:40])), f'{row[0].isoformat()}~{row[1]}', n)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    return {"task": int(out[0]), "directive": int(out[1]), "officer_tasks": [int(i) for i in out[2].split(",")],
            "after": out[3], "overdue": int(out[4])}


def _history_rows(env: dict, task_ids: list[int]) -> int:
    code = ("from app import create_app; from app.extensions import db; from sqlalchemy import select, func;"
            "from app.models import TaskUpdate; app = create_app(); ctx = app.app_context(); ctx.push();"
            f"print(db.session.scalar(select(func.count()).where(TaskUpdate.task_id.in_({task_ids!r}),"
            " TaskUpdate.note == 'bench')))")
    return int(subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                              check=True).stdout.strip())


def _server_version(database_url: str) -> str:
    from sqlalchemy import create_engine, text
    engine = create_engine(database_url)
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        version = connection.scalar(text("SELECT sqlite_version()" if sqlite else "SHOW server_version"))
    engine.dispose()
    return str(version)


def _write_report(path, database_url, summary, build_seconds, results, last_base, write, history, rss,
                  statements, plans, seconds, overdue) -> None:
    database = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
    version = _server_version(database_url)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    load = Path("/proc/loadavg").read_text().split()[:3]
    lines = [
        f"## {database}", "",
        f"Written by `make bench` (bench/run.py) on {time.strftime('%Y-%m-%d %H:%M')} UTC."
        f" Machine: {os.cpu_count()} cores"
        f" ({cpu}), Python {platform.python_version()}, {database} {version}; gunicorn -w {WORKERS},"
        f" wrk -t2 -c16 -d{seconds}s. Load average when the run ended: {' '.join(load)} (a shared machine).",
        "", f"Data (built in {build_seconds:.0f} s by `flask --app wsgi seed-province`;"
        f" {overdue:,} open overdue tasks):", "",
        "```", summary.strip(), "```",
        "", "| page | req/s | baseline req/s | ratio | p50 ms | p99 ms | body KB | non-2xx |",
        "|---|---|---|---|---|---|---|---|"]
    for name, (page, base) in results.items():
        if page["rps"] == 0:  # no response finished within the run: slower than its duration
            lines.append(f"| {name} | none in {seconds} s | {base['rps']:.0f} | < {1 / seconds / base['rps']:.4f} |"
                         f" > {seconds * 1000} | — | — | {page['errors']} |")
            continue
        lines.append(f"| {name} | {page['rps']:.1f} | {base['rps']:.0f} | {page['rps'] / base['rps']:.3f} | "
                     f"{page['p50']:.1f} | {page['p99']:.1f} | {page['bytes'] / 1024:.1f} | {page['errors']} |")
    lines += ["", f"htmx status write (8 threads, each reading the task page for a fresh version, then posting): "
              f"{write['rps']:.1f} writes/s ({write['rps'] / last_base['rps']:.3f} of the baseline's "
              f"{last_base['rps']:.0f} req/s); {write['200']} accepted, {write['409']} conflicts (409), "
              f"{write['other']} other; {history} history rows written for them"
              f" ({'every accepted write has its row' if history == write['200'] else 'MISMATCH'});"
              f" the largest accepted htmx response {write['bytes'] / 1024:.1f} KB.",
              "", f"Peak resident memory of a gunicorn worker: {rss:.0f} MB.", "",
              "Statements per request (small province ≈ 1,000 tasks vs the large one):", "",
              "| page | small | large |", "|---|---|---|"]
    for name, count in statements["small"].items():
        lines.append(f"| {name} | {count} | {statements['large'].get(name)} |")
    lines += ["", f"Query plans ({database}):", ""]
    for name, plan in plans.items():
        lines += [f"{name}:", "", "```", plan, "```", ""]
    path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
