"""API tokens on /account (made, shown once, revoked) and on /admin/tokens; every creation and revocation audited."""
import re

from sqlalchemy import select

from app.auth.tokens import MAX_ACTIVE_TOKENS, hash_secret
from app.extensions import db
from app.models import ApiToken, AuditEvent, User


def _make(client, name="Hệ thống tỉnh", days="90"):
    return client.post("/account/tokens", data={"name": name, "days": days})


def _secret(page) -> str:
    return re.search(r'value="(dh_[^"]+)"', page.text).group(1)


def test_a_token_is_stored_hashed_shown_once_and_its_creation_audited(signed_in):
    client = signed_in("tamphuoc")
    page = _make(client)
    secret = _secret(page)
    assert page.headers["Cache-Control"] == "no-store"
    with client.application.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.token_hash == hash_secret(secret) and secret not in (token.prefix + token.name)
        assert token.prefix == secret[:len(token.prefix)]
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api_token.create"))
        assert event.username == "tamphuoc" and event.object_id == token.id
    listing = client.get("/account").text
    assert secret not in listing and token.prefix in listing and "Hệ thống tỉnh" in listing


def test_a_nameless_token_or_an_unoffered_lifetime_is_refused_with_a_message(signed_in):
    client = signed_in("tamphuoc")
    assert _make(client, name="  ").status_code == 422
    assert _make(client, days="7").status_code == 422
    with client.application.app_context():
        assert db.session.scalar(select(ApiToken)) is None


def test_a_user_holds_a_bounded_number_of_valid_tokens(signed_in):
    client = signed_in("tamphuoc")
    for _ in range(MAX_ACTIVE_TOKENS):
        assert _make(client).status_code == 200
    refused = _make(client)
    assert refused.status_code == 422 and "thu hồi" in refused.text


def test_a_user_revokes_their_token_and_the_api_refuses_it_at_once(signed_in):
    client = signed_in("tamphuoc")
    secret = _secret(_make(client))
    api = client.application.test_client()
    assert api.get("/api/v1/tasks", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    with client.application.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 303
    assert api.get("/api/v1/tasks", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    with client.application.app_context():
        assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "api_token.revoke"


def test_another_users_token_is_not_found_on_the_account_page_but_an_admin_revokes_it(signed_in):
    client = signed_in("tamphuoc")
    _make(client)
    with client.application.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    client.post("/logout")
    other = signed_in("tamdan")
    assert other.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    other.post("/logout")
    admin = signed_in("admin")
    listing = admin.get("/admin/tokens")
    assert listing.status_code == 200 and "tamphuoc" in listing.text
    assert admin.post(f"/admin/tokens/{token_id}/revoke").status_code == 303
    with admin.application.app_context():
        token = db.session.get(ApiToken, token_id)
        assert token.revoked_at is not None and token.revoked_by.username == "admin"


def test_a_password_reset_revokes_the_users_tokens_and_no_one_elses(signed_in):
    """Whoever held the account (the reason for a reset) keeps no way into the API."""
    client = signed_in("tamphuoc")
    secrets = [_secret(_make(client, name=f"Máy {n}")) for n in range(2)]
    client.post("/logout")
    other = signed_in("tamdan")
    kept = _secret(_make(other))
    other.post("/logout")
    admin = signed_in("admin")
    with admin.application.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "tamphuoc"))
    assert "token API của họ bị thu hồi" in admin.get(f"/admin/users/{user_id}/reset-password").text
    assert admin.post(f"/admin/users/{user_id}/reset-password").status_code == 200
    api = admin.application.test_client()
    for secret in secrets:
        assert api.get("/api/v1/tasks", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert api.get("/api/v1/tasks", headers={"Authorization": f"Bearer {kept}"}).status_code == 200
    with admin.application.app_context():
        revoked = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "api_token.revoke")).all()
        assert revoked == ["tamphuoc", "tamphuoc"]
