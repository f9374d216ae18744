"""The JSON API: tokens, scopes, ETag/If-Match, problem+json, the OpenAPI document."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth import tokens
from app.extensions import db
from app.models import ApiToken, AuditEvent, Organization, SupportTicket, Task, TaskStatus, TaskUpdate, User
from app.models.user import utcnow
from tests.conftest import login, make_app

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
    its history on the web task page, another commune's task not found."""
    client = signed_in("tamphuoc")
    page = client.post("/account/tokens", data={"name": "Hệ thống tỉnh", "days": "90"})
    assert page.status_code == 200
    secret = re.search(r'id="new-token"[^>]*value="(dh_[^"]+)"', page.text).group(1)
    assert secret not in client.get("/account").text, "the secret is shown once"
    api = client.application.test_client()  # no cookies: the token alone
    tasks = api.get("/api/v1/tasks?limit=100", headers=bearer(secret))
    assert tasks.status_code == 200
    rows = tasks.json["items"]
    assert rows and {row["lead_unit"]["name"] for row in rows} >= {"UBND xã Tam Phước"} or rows
    with client.application.app_context():
        own_unit = db.session.scalar(select(User.organization_id).where(User.username == "tamphuoc"))
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
    other = task_of(client.application, "Tam Dân")
    assert api.get(f"/api/v1/tasks/{other}", headers=bearer(secret)).status_code == 404
    assert api.patch(f"/api/v1/tasks/{other}", json={"progress": 1},
                     headers=bearer(secret, **{"If-Match": "*"})).status_code == 404
