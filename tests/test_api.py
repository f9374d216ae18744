"""The JSON API: tokens, scopes, ETag/If-Match, problem+json, the OpenAPI document."""
import re
from datetime import timedelta, timezone

import pytest
from sqlalchemy import select

from app.auth import tokens
from app.extensions import db
from app.models import ApiToken, AuditEvent, Notification, NotificationKind, Organization, SupportTicket, Task, User
from app.models.user import utcnow
from tests.conftest import make_app

PROBLEM = "application/problem+json"


def token_for(app, username: str) -> str:
    """A fresh token of a demo user, made through the service."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return tokens.create_token(actor=user, name="test", days=30)[1]


def bearer(secret: str, **extra) -> dict:
    return {"Authorization": f"Bearer {secret}", **extra}


def task_of(app, short_name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Task.id).join(Task.lead_unit).where(Organization.short_name == short_name)
                                 .order_by(Task.id))


def test_tamphuoc_reads_and_updates_its_task_over_the_api_and_sees_it_on_the_web(signed_in):
    """Done when: a token made on /account, the commune's tasks read, one updated with If-Match, the change and
    its history on the web task page, a completion reported and the office notified, another commune's task not
    found."""
    client = signed_in("tamphuoc")
    page = client.post("/account/tokens", data={"name": "Hệ thống tỉnh", "days": "90"})
    assert page.status_code == 200
    secret = re.search(r'id="new-token"[^>]*value="(dh_[^"]+)"', page.text).group(1)
    assert secret not in client.get("/account").text, "the secret is shown once"
    api = client.application.test_client()  # no cookies: the token alone
    tasks = api.get("/api/v1/tasks?limit=100", headers=bearer(secret))
    assert tasks.status_code == 200
    rows = tasks.json["items"]
    with client.application.app_context():
        own_unit = db.session.scalar(select(User.organization_id).where(User.username == "tamphuoc"))
    assert rows and all(own_unit in [row["lead_unit"]["id"], *(unit["id"] for unit in row["cooperating_units"])]
                        for row in rows), "only the commune's own tasks (lead or co-operating)"
    led = [row for row in rows if row["lead_unit"]["id"] == own_unit and not row["progress_from_coverage"]
           and row["status"] in ("assigned", "in_progress")]
    task_id = led[0]["id"]
    one = api.get(f"/api/v1/tasks/{task_id}", headers=bearer(secret))
    etag = one.headers["ETag"]
    changed = api.patch(f"/api/v1/tasks/{task_id}", json={"status": "in_progress", "progress": 60,
                                                          "note": "Cập nhật qua API"},
                        headers=bearer(secret, **{"If-Match": etag}))
    assert changed.status_code == 200, changed.json
    assert changed.json["progress"] == 60 and changed.headers["ETag"] != etag
    web = client.get(f"/tasks/{task_id}")
    assert "Cập nhật qua API" in web.text and "60%" in web.text
    history = api.get(f"/api/v1/tasks/{task_id}/history", headers=bearer(secret)).json["items"]
    assert history[0]["note"] == "Cập nhật qua API" and history[0]["new_progress"] == 60
    # Reporting completion over the API is the web's completion report: the district office is notified.
    reported = api.patch(f"/api/v1/tasks/{task_id}", json={"status": "submitted", "note": "Đã xong, báo cáo qua API"},
                         headers=bearer(secret, **{"If-Match": changed.headers["ETag"]}))
    assert reported.status_code == 200 and reported.json["status"] == "submitted", reported.json
    with client.application.app_context():
        office = db.session.scalar(select(User).where(User.username == "vanphong"))
        assert db.session.scalar(select(Notification).where(
            Notification.recipient_id == office.id, Notification.task_id == task_id,
            Notification.kind == NotificationKind.SUBMITTED)) is not None
    assert "Đã xong, báo cáo qua API" in client.get(f"/tasks/{task_id}").text
    other = task_of(client.application, "Tam Dân")
    assert api.get(f"/api/v1/tasks/{other}", headers=bearer(secret)).status_code == 404
    assert api.patch(f"/api/v1/tasks/{other}", json={"progress": 1},
                     headers=bearer(secret, **{"If-Match": "*"})).status_code == 404


def test_a_session_cookie_alone_gets_401_problem_json_and_no_cookie_back(signed_in):
    client = signed_in("tamphuoc")
    response = client.get("/api/v1/tasks")
    assert response.status_code == 401 and response.mimetype == PROBLEM
    assert response.json["title"] == "Cần một mã truy cập API hợp lệ." and response.json["status"] == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Set-Cookie" not in response.headers
    assert client.patch("/api/v1/tasks/1", json={"progress": 1}).status_code == 401  # no CSRF token needed to refuse


@pytest.mark.parametrize("spoil", ["revoke", "expire", "deactivate", "garble"])
def test_a_revoked_expired_garbled_or_shut_out_users_token_gets_401(demo, spoil):
    secret = token_for(demo, "tamphuoc")
    with demo.app_context():
        token = db.session.scalar(select(ApiToken))
        if spoil == "revoke":
            tokens.revoke_token(token, actor=token.user)
        elif spoil == "expire":
            token.expires_at = utcnow() - timedelta(seconds=1)
        elif spoil == "deactivate":
            token.user.active = False
        else:
            secret = secret[:-1] + ("A" if secret[-1] != "A" else "B")
        db.session.commit()
    response = demo.test_client().get("/api/v1/tasks", headers=bearer(secret))
    assert response.status_code == 401 and response.mimetype == PROBLEM


def test_writes_need_if_match_and_a_stale_one_changes_nothing(demo):
    secret = token_for(demo, "tamphuoc")
    client = demo.test_client()
    rows = client.get("/api/v1/tasks?status=assigned&limit=100", headers=bearer(secret)).json["items"]
    task = next(row for row in rows if not row["progress_from_coverage"] and row["lead_unit"]["name"].endswith("Phước"))
    path = f"/api/v1/tasks/{task['id']}"
    etag = client.get(path, headers=bearer(secret)).headers["ETag"]
    history = client.get(path + "/history", headers=bearer(secret)).json["items"]
    assert etag == f'"v{task["version"]}"'
    missing = client.patch(path, json={"progress": 10}, headers=bearer(secret))
    assert missing.status_code == 428 and missing.mimetype == PROBLEM
    stale = client.patch(path, json={"progress": 10}, headers=bearer(secret, **{"If-Match": '"v999"'}))
    assert stale.status_code == 412 and stale.json["title"] == "Đối tượng đã thay đổi kể từ khi bạn đọc nó."
    refused = client.patch(path, json={"status": "done", "progress": 50, "note": "xong"},
                           headers=bearer(secret, **{"If-Match": etag}))
    # The item needs the office's review: "done" is refused with the service's message on its field.
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "status"
    assert refused.json["detail"] and refused.json["title"]
    invalid = client.patch(path, json={"progress": 101, "colour": "red"}, headers=bearer(secret, **{"If-Match": etag}))
    assert invalid.status_code == 422 and {e["field"] for e in invalid.json["errors"]} == {"progress", "colour"}
    with demo.app_context():
        assert db.session.get(Task, task["id"]).version == task["version"]
    assert client.get(path + "/history", headers=bearer(secret)).json["items"] == history
    empty = client.patch(path, json={}, headers=bearer(secret, **{"If-Match": etag}))
    assert empty.status_code == 422 and "không thay đổi gì" in empty.json["detail"]
    assert client.get(path + "/history", headers=bearer(secret)).json["items"] == history
    before = utcnow().astimezone(timezone(timedelta(hours=7))).isoformat()
    assert task["id"] not in [row["id"] for row in client.get(
        "/api/v1/tasks", query_string={"updated_since": before, "limit": 100}, headers=bearer(secret)).json["items"]]
    done = client.patch(path, json={"progress": 30}, headers=bearer(secret, **{"If-Match": etag}))
    assert done.status_code == 200 and done.json["progress"] == 30 and done.json["status"] == "assigned"
    since = client.get("/api/v1/tasks", query_string={"updated_since": before}, headers=bearer(secret)).json
    assert [row["id"] for row in since["items"]] == [task["id"]], "a change is found by updated_since (in +07:00)"
    with demo.app_context():
        assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "task.update"
    again = client.patch(path, json={"progress": 40}, headers=bearer(secret, **{"If-Match": etag}))
    assert again.status_code == 412


def test_a_monitor_reads_every_task_but_updates_none_of_another_units(demo):
    secret = token_for(demo, "lanhdao")
    client = demo.test_client()
    other = task_of(demo, "Tam Dân")
    assert client.get(f"/api/v1/tasks/{other}", headers=bearer(secret)).status_code == 200
    refused = client.patch(f"/api/v1/tasks/{other}", json={"progress": 5}, headers=bearer(secret, **{"If-Match": "*"}))
    assert refused.status_code == 403 and refused.mimetype == PROBLEM
    with demo.app_context():
        event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
        assert (event.action, event.username) == ("access.forbidden", "lanhdao")


def test_cursor_pages_walk_every_task_once_and_a_forged_cursor_is_422(demo):
    secret = token_for(demo, "vanphong")
    client = demo.test_client()
    seen, cursor, pages = [], None, 0
    while True:
        query = "?limit=7" + (f"&cursor={cursor}" if cursor else "")
        page = client.get("/api/v1/tasks" + query, headers=bearer(secret)).json
        seen += [row["id"] for row in page["items"]]
        cursor, pages = page["next_cursor"], pages + 1
        if cursor is None:
            break
    with demo.app_context():
        assert sorted(seen) == sorted(db.session.scalars(select(Task.id)))
    assert pages > 2 and len(seen) == len(set(seen))
    forged = client.get("/api/v1/tasks?cursor=bm90LWEtY3Vyc29y", headers=bearer(secret))
    assert forged.status_code == 422 and forged.json["errors"] == [
        {"field": "cursor", "detail": "Con trỏ trang không hợp lệ: dùng đúng giá trị next_cursor của trang trước."}]


def test_task_filters_are_those_of_the_task_list(demo):
    secret = token_for(demo, "vanphong")
    client = demo.test_client()
    overdue = client.get("/api/v1/tasks?class=open_overdue&limit=100", headers=bearer(secret)).json["items"]
    assert overdue and {row["class"] for row in overdue} == {"open_overdue"}
    done = client.get("/api/v1/tasks?status=done&limit=100", headers=bearer(secret)).json["items"]
    assert done and {row["status"] for row in done} == {"done"}
    future = client.get("/api/v1/tasks?updated_since=2999-01-01T00:00:00Z", headers=bearer(secret)).json
    assert future == {"items": [], "next_cursor": None}
    wrong = client.get("/api/v1/tasks?status=finished", headers=bearer(secret))
    assert wrong.status_code == 422 and wrong.json["errors"][0]["field"] == "status"


def test_a_partner_takes_a_ticket_and_a_commune_cannot_take_it(demo):
    with demo.app_context():
        ticket = db.session.scalar(select(SupportTicket).join(SupportTicket.partner)
                                   .where(Organization.short_name == "VNPT", SupportTicket.status == "requested"))
        ticket_id, commune_user = ticket.id, db.session.scalar(
            select(User.username).where(User.organization_id == ticket.commune_id))
    client = demo.test_client()
    commune = token_for(demo, commune_user)
    etag = client.get(f"/api/v1/tickets/{ticket_id}", headers=bearer(commune)).headers["ETag"]
    refused = client.post(f"/api/v1/tickets/{ticket_id}/transitions", json={"action": "take"},
                          headers=bearer(commune, **{"If-Match": etag}))
    assert refused.status_code == 403
    partner = token_for(demo, "vnpt")
    taken = client.post(f"/api/v1/tickets/{ticket_id}/transitions", json={"action": "take"},
                        headers=bearer(partner, **{"If-Match": etag}))
    assert taken.status_code == 200 and taken.json["status"] == "in_progress"
    twice = client.post(f"/api/v1/tickets/{ticket_id}/transitions", json={"action": "take"},
                        headers=bearer(partner, **{"If-Match": taken.headers["ETag"]}))
    assert twice.status_code == 409 and twice.mimetype == PROBLEM
    assert client.get(f"/api/v1/tickets/{ticket_id}", headers=bearer(token_for(demo, "viettel"))).status_code == 404


def test_coverage_and_outreach_totals(demo):
    secret = token_for(demo, "tamphuoc")
    client = demo.test_client()
    coverage = client.get("/api/v1/coverage", headers=bearer(secret)).json
    assert (coverage["district"]["covered"], coverage["district"]["villages"]) == (19, 51)
    assert len(coverage["communes"]) == 11
    totals = client.get("/api/v1/outreach/totals", headers=bearer(token_for(demo, "doanthanhnien"))).json
    assert totals["overall"]["activities"] == sum(row["activities"] for row in totals["by_kind"]) > 0


def test_the_openapi_document_is_3_1_and_the_docs_page_lists_its_operations(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    assert {"/api/v1/tasks", "/api/v1/tasks/{task_id}", "/api/v1/tickets/{ticket_id}/transitions"} <= set(spec["paths"])
    assert spec["paths"]["/api/v1/tasks/{task_id}"]["patch"]["responses"]["412"]
    page = client.get("/docs/api")
    assert page.status_code == 200 and "PATCH /api/v1/tasks/{task_id}" in page.text


def test_the_rate_limit_counts_per_token(database_url, _schema, demo):
    app = make_app(database_url, RATELIMIT_ENABLED=True, API_RATE_LIMIT="2 per minute")
    first, second = token_for(app, "tamphuoc"), token_for(app, "tamdan")
    client = app.test_client()
    assert [client.get("/api/v1/coverage", headers=bearer(first)).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/api/v1/coverage", headers=bearer(first)).mimetype == PROBLEM
    assert client.get("/api/v1/coverage", headers=bearer(second)).status_code == 200


def test_a_conflict_is_a_409_in_the_apis_words(app):
    from flask import json

    from app.api.problems import from_conflict
    from app.rules import Conflict
    with app.test_request_context("/api/v1/tickets/1/transitions"):
        plain = json.loads(from_conflict(Conflict()).data)
    assert plain["status"] == 409
    assert plain["detail"] == "Người khác vừa thay đổi đối tượng này. Hãy đọc lại và quyết định lần nữa."
