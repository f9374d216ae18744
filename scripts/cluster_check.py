"""`make cluster-check`: two app servers (gunicorn) behind HAProxy on PostgreSQL and Redis, on loopback.

Shows, with assertions: static files come through the proxy hashed, immutable and compressed; a signed-in session
(and its CSRF token) moves between servers, and signing out on one ends it on the other; the lockout and the
sign-in rate limit are counted once for both servers; killing one server with SIGKILL during a load of htmx
status writes loses no accepted write and the other server keeps answering. Prints one PASS/FAIL line per check
and a summary; exits 1 on any failure. Every process it started is stopped, also on failure or Ctrl-C.

Its database (CLUSTER_DATABASE, default `cluster_check`) is created anew on CLUSTER_PG (the server's URL without a
database, default postgresql://postgres@127.0.0.1:5432); Redis is CLUSTER_REDIS_URL (default
redis://127.0.0.1:6379/0), under a key prefix of its own, so nothing else in that Redis is touched.
"""
from __future__ import annotations

import collections
import os
import re
import shutil
import signal
import sys
import threading
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster_tools import STARTUP_TIMEOUT, Client, Cluster, SmtpSink  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("CLUSTER_PG", "postgresql://postgres@127.0.0.1:5432").rstrip("/")
DATABASE = os.environ.get("CLUSTER_DATABASE", "cluster_check")
REDIS_URL = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/0")
LIMIT = 10  # sign-in attempts per minute per client address, for the whole cluster
WRITERS = 6  # threads posting status changes through the proxy
LOAD_SECONDS = (2.5, 3.5)  # before and after the kill
MESSAGES = 40  # emails queued for the delivery runners

results: list[tuple[str, bool, str]] = []
skipped: list[str] = []


def check(name: str, passed: bool, detail: str) -> bool:
    """Record and print one check."""
    results.append((name, passed, detail))
    print(f"{'PASS' if passed else 'FAIL'}  {name}: {detail}", flush=True)
    return passed


def step_static(cluster: Cluster) -> None:
    page = Client(cluster.proxy).get("/login")[1]
    css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
    if not check("static: hashed name", bool(css), css.group(1) if css else "no hashed app.css in /login"):
        return
    client = Client(cluster.proxy, headers={"Accept-Encoding": "br, gzip"})
    first, second = client.request("GET", css.group(1)), client.request("GET", css.group(1))
    headers = second.headers
    check("static: immutable and compressed through the proxy",
          first.status == second.status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
          and headers.get("Content-Encoding") == "br" and "age" in headers,
          f"{second.status}, Cache-Control: {headers['Cache-Control']}, Content-Encoding: "
          f"{headers.get('Content-Encoding')}; second copy from HAProxy's cache: {'age' in headers}")


def step_session(cluster: Cluster, a: str, b: str) -> None:
    browser = Client(a)
    status = browser.sign_in("vanphong", cluster.password)
    on_b, page_b = Client(b, jar=browser.jar).get("/")
    check("session: signed in on A, used on B", status == 303 and on_b == 200 and 'action="/logout"' in page_b,
          f"sign-in on A {status}, / on B {on_b} (the dashboard with its sign-out button)")
    token = browser.csrf_token("/")  # a token from A's page ...
    out = Client(b, jar=browser.jar).post("/logout", {"csrf_token": token})  # ... accepted by B
    after, _ = Client(a, jar=browser.jar).get("/")
    check("session: signing out on B ends it on A", out == 303 and after == 302,
          f"sign-out on B (A's CSRF token) {out}, then / on A {after} (302 = to the sign-in page)")


def step_lockout(cluster: Cluster, a: str, b: str) -> None:
    # Straight to the servers, as the proxy would send them: TRUSTED_PROXIES=1 believes this X-Forwarded-For.
    client_a, client_b = (Client(url, headers={"X-Forwarded-For": "203.0.113.10"}) for url in (a, b))
    wrong = [c.sign_in("tamthanh", "sai-mat-khau-" + str(n)) for n, c in enumerate([client_a] * 3 + [client_b] * 2)]
    right = [client_a.sign_in("tamthanh", cluster.password), client_b.sign_in("tamthanh", cluster.password)]
    locked = cluster.sql("SELECT count(*) FROM audit_event WHERE action = 'login.lockout' AND username = 'tamthanh'")
    check("lockout: 3 failures on A + 2 on B lock the account on both",
          wrong == [422] * 5 and right == [422, 422] and locked[0][0] == 1,
          f"failures {wrong}, right password then on A and B {right}, lockout audit rows {locked[0][0]}")


def step_rate_limit(cluster: Cluster, a: str, b: str) -> None:
    client_a, client_b = (Client(url, headers={"X-Forwarded-For": "203.0.113.20"}) for url in (a, b))
    statuses = [c.sign_in("khongco", "sai-mat-khau-123") for c in [client_a] * (LIMIT // 2) + [client_b] * LIMIT]
    statuses.append(client_a.sign_in("khongco", "sai-mat-khau-123"))
    allowed = statuses.index(429) if 429 in statuses else len(statuses)
    check(f"rate limit: {LIMIT} per minute for A and B together", allowed == LIMIT and set(statuses[LIMIT:]) == {429},
          f"{allowed} attempts answered before the first 429 (half on A, half on B), then {statuses[LIMIT:]}")
    forged = Client(cluster.proxy, headers={"X-Forwarded-For": "203.0.113.20"}).sign_in("khongco", "sai-123456789")
    check("rate limit: a client's own X-Forwarded-For is not believed through the proxy", forged == 422,
          f"{forged} for a limited address claimed through HAProxy (the proxy replaces the header)")


def step_delivery(cluster: Cluster) -> None:
    """`flask --app wsgi deliver` run by both servers at once (twice each) sends each queued email once.

    Written against the email outbox of the delivery branch (table email_message, states pending -> sent); skipped
    while the command does not exist."""
    if not cluster.has_command("deliver"):
        skipped.append("delivery")
        print("SKIP  delivery: `flask --app wsgi deliver` does not exist yet", flush=True)
        return
    user_id = cluster.sql("SELECT id FROM user_account WHERE username = 'vanphong'")[0][0]
    subjects = [f"cluster-check message {n}" for n in range(MESSAGES)]
    for n, subject in enumerate(subjects):
        cluster.sql("INSERT INTO email_message (key, recipient_id, to_address, subject, body, state, attempts,"
                    " next_attempt_at, last_error, created_at) VALUES (%s, %s, %s, %s, %s, 'pending', 0, now(), '',"
                    " now()) RETURNING id", (f"cluster-check:{n}", user_id, f"user{n}@example.invalid", subject,
                                             "Thư kiểm tra / a check message"))
    sink = SmtpSink()
    try:
        smtp = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(sink.port), "SMTP_STARTTLS": "0",
                "MAIL_FROM": "cong-thong-tin@example.invalid"}
        runs = [cluster.flask_async(server, "deliver", env=smtp) for server in ("A", "B", "A", "B")]
        codes = [run.wait(timeout=STARTUP_TIMEOUT * 3) for run in runs]  # a bound on a hang
        received = collections.Counter(sink.subjects())
    finally:
        sink.close()
    states = dict(cluster.sql("SELECT state::text, count(*) FROM email_message WHERE key LIKE 'cluster-check:%%'"
                              " GROUP BY state"))
    twice = {subject: count for subject, count in received.items() if count > 1}
    check("delivery: deliver on both servers at once sends each message once",
          codes == [0] * 4 and all(received[s] == 1 for s in subjects) and not twice and states == {"sent": MESSAGES},
          f"exit codes {codes}; {sum(received[s] == 1 for s in subjects)} of {MESSAGES} queued messages received "
          f"once, sent more than once: {twice or 'none'}; outbox states {states}")


def step_kill_under_load(cluster: Cluster) -> None:
    writer = Client(cluster.proxy)
    writer.sign_in("vanphong", cluster.password)
    # The first page after signing in puts the CSRF secret in the session cookie: once, before the threads share it
    # (six first pages at once would each set a different one, and all but the last one's forms would be refused).
    writer.get("/")
    tasks = [row[0] for row in cluster.sql(
        "SELECT id FROM task WHERE status::text IN ('assigned', 'in_progress') ORDER BY id LIMIT %s", (WRITERS * 3,))]
    outcomes: list[tuple[float, str, str]] = []  # (time, status or error, note)
    killed_at: list[float] = []
    stop = time.monotonic() + sum(LOAD_SECONDS)

    def write(n: int) -> None:
        mine, count = tasks[n::WRITERS], 0
        while time.monotonic() < stop:
            task_id, count = mine[count % len(mine)], count + 1
            note = f"cluster-check {n}-{count}"
            try:
                status, page = writer.get(f"/tasks/{task_id}")
                version = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', page)
                if status != 200 or not version:
                    outcomes.append((time.monotonic(), f"GET {status}", note))
                    continue
                result = writer.post(f"/tasks/{task_id}/status", {
                    "status": "in_progress", "progress": str(count % 90), "note": note,
                    "version": version.group(1) or version.group(2), "csrf_token": writer.csrf_from(page)},
                    headers={"HX-Request": "true"})
                outcomes.append((time.monotonic(), str(result), note))
            except OSError as error:
                outcomes.append((time.monotonic(), type(error).__name__, note))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    served_before = cluster.requests_served()
    for thread in threads:
        thread.start()
    time.sleep(LOAD_SECONDS[0])
    killed_at.append(time.monotonic())
    cluster.kill("A")
    for thread in threads:
        thread.join()
    accepted = [note for _, status, note in outcomes if status == "200"]
    rows = collections.Counter(note for (note,) in cluster.sql(
        "SELECT note FROM task_update WHERE note LIKE 'cluster-check %%'"))
    lost = [note for note in accepted if rows[note] != 1]
    failed = [status for _, status, _ in outcomes if status != "200"]
    # What a killed server causes: the proxy's 502/503/504, or a connection closed (an OSError's name)
    unexplained = [status for status in failed if re.fullmatch(r"(GET )?4\d\d|(GET )?50[01]", status)]
    after = [status for when, status, _ in outcomes if when > killed_at[0]]
    late = [status for when, status, _ in outcomes if when > stop - 1]
    served = {name: count - served_before[name] for name, count in cluster.requests_served().items()}
    check("writes: the proxy spread the load over both servers", served["A"] > 0 and served["B"] > 0,
          f"requests of the load answered by A (until killed) {served['A']}, by B {served['B']}")
    check("writes: every accepted write has its one history row", accepted and not lost,
          f"{len(accepted)} answered 200, {len(lost)} without exactly one TaskUpdate row; "
          f"{sum(rows.values()) - len(accepted)} rows committed whose answer was lost in the kill")
    check("writes: only requests in flight at the kill failed", len(failed) <= WRITERS and not unexplained,
          f"{len(failed)} failed of {len(outcomes)} ({collections.Counter(failed).most_common()}), "
          f"at most one per writer thread allowed")
    check("writes: B kept answering after A was killed", after.count("200") > 0 and set(late) == {"200"},
          f"{after.count('200')} accepted after the kill; last second: {collections.Counter(late).most_common()}")
    check("proxy: A marked down, B up", cluster.wait_for_states({"app1": "DOWN", "app2": "UP"}, timeout=10),
          f"HAProxy says {cluster.server_states()}")


def main() -> int:
    started = time.monotonic()
    missing = [tool for tool in ("haproxy",) if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists()]
    if missing:
        print(f"FAIL  setup: {', '.join(missing)} not installed (make cluster-check installs it as root)")
        return 1
    work = ROOT / "instance" / "cluster-check"
    cluster = Cluster(ROOT, work, pg=PG, database=DATABASE, redis_url=REDIS_URL, login_limit=f"{LIMIT} per minute")
    try:
        setup = cluster.start()
        print(f"setup: {setup} (logs in {work})", flush=True)
        a, b = cluster.servers["A"].url, cluster.servers["B"].url
        # The kill comes last: every step before it has both servers.
        steps = [partial(step_static, cluster), partial(step_session, cluster, a, b),
                 partial(step_lockout, cluster, a, b), partial(step_rate_limit, cluster, a, b),
                 partial(step_delivery, cluster), partial(step_kill_under_load, cluster)]
        for step in steps:
            try:
                step()
            except Exception as error:  # a step that breaks is a failure of that step; the others still run
                check(step.func.__name__.removeprefix("step_"), False, f"{type(error).__name__}: {error}")
    except Exception as error:
        check("setup", False, f"{type(error).__name__}: {error}")
    finally:
        cluster.stop()
    failures = [name for name, passed, _ in results if not passed]
    seconds = time.monotonic() - started
    counts = f"cluster: {len(results) - len(failures)} passed, {len(failures)} failed, {len(skipped)} skipped"
    if failures:
        print(f"\ncluster-check: FAIL ({len(failures)} of {len(results)} checks failed in {seconds:.0f} s: "
              f"{'; '.join(failures)}); logs in {work}")
        for log in sorted(work.glob("*.log")):
            print(f"--- {log.name} (last lines)\n" + "\n".join(log.read_text(errors="replace").splitlines()[-15:]))
        print(counts)
        return 1
    print(f"\ncluster-check: PASS ({len(results)} checks in {seconds:.0f} s)\n{counts}")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # run the finally blocks: stop what was started
    sys.exit(main())
