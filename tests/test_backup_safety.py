"""backup never writes through, replaces or removes a file it did not create, and leaves its file 0600; restore
accepts only a backup of this portal at this code's schema, never the live database; /healthz tells a schema that
is not at head."""
import os
import sqlite3
import stat

import pytest
from sqlalchemy import text

from app import schema
from app.extensions import db
from app.models import OrgKind, Role
from tests.conftest import make_app, reset_schema
from tests.factories import make_unit, make_user
from tests.url_map import snapshot

OLDER_REVISION = "b2d4a4124ac9"


@pytest.fixture
def data(app):
    with app.app_context():
        make_user("quantri", role=Role.ADMIN, unit=make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE))
    return app


def _set_revision(app, revision: str) -> None:
    with app.app_context():
        db.session.execute(text("UPDATE alembic_version SET version_num = :revision"), {"revision": revision})
        db.session.commit()


@pytest.fixture
def at_older_revision(data):
    """The database claims an older migration revision (as after restoring an old backup)."""
    [head] = schema.code_heads()
    _set_revision(data, OLDER_REVISION)
    yield data
    _set_revision(data, head)


def test_a_planted_partial_symlink_is_neither_followed_nor_removed(data, runner, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "sao-luu.bak.partial").symlink_to(victim)
    result = runner.invoke(args=["backup", str(tmp_path / "sao-luu.bak")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "sao-luu.bak.partial đã có" in result.output
    assert victim.read_text() == "precious"
    assert (tmp_path / "sao-luu.bak.partial").is_symlink()
    assert not (tmp_path / "sao-luu.bak").exists()


def test_an_unrelated_partial_file_is_kept(data, runner, tmp_path):
    (tmp_path / "sao-luu.bak.partial").write_text("someone else's")
    assert runner.invoke(args=["backup", str(tmp_path / "sao-luu.bak")]).exit_code != 0
    assert (tmp_path / "sao-luu.bak.partial").read_text() == "someone else's"


def test_an_existing_target_is_never_replaced_even_a_dangling_symlink(data, runner, tmp_path):
    (tmp_path / "sao-luu.bak").symlink_to(tmp_path / "nowhere")
    result = runner.invoke(args=["backup", str(tmp_path / "sao-luu.bak")])
    assert result.exit_code != 0 and "đã có: hãy chọn một tên tệp mới" in result.output
    assert (tmp_path / "sao-luu.bak").is_symlink() and not (tmp_path / "nowhere").exists()


def test_the_backup_is_readable_by_its_owner_only_whatever_the_umask(data, runner, tmp_path):
    previous = os.umask(0o022)
    try:
        result = runner.invoke(args=["backup", str(tmp_path / "sao-luu.bak")])
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((tmp_path / "sao-luu.bak").stat().st_mode) == 0o600
    assert list(tmp_path.iterdir()) == [tmp_path / "sao-luu.bak"]


def test_a_backup_of_an_older_schema_is_refused(at_older_revision, runner, tmp_path):
    assert runner.invoke(args=["backup", str(tmp_path / "cu.bak")]).exit_code == 0
    [head] = schema.code_heads()
    _set_revision(at_older_revision, head)
    before = snapshot(at_older_revision)
    result = runner.invoke(args=["restore", "--yes", str(tmp_path / "cu.bak")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert f"là bản sao lưu của một phiên bản khác của hệ thống (lược đồ {OLDER_REVISION}" in result.output
    assert snapshot(at_older_revision) == before


def _sqlite_file(path, *statements):
    connection = sqlite3.connect(path)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


@pytest.fixture
def sqlite_app(tmp_path):
    """An app on its own SQLite file, whatever database the rest of the suite uses."""
    app = make_app(f"sqlite:///{tmp_path / 'live.db'}")
    reset_schema(app)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.mark.database_independent
@pytest.mark.parametrize("statements, message", [
    (["CREATE TABLE user_account (id INTEGER)"], "không có phiên bản lược đồ"),
    (["CREATE TABLE user_account (id INTEGER)", "CREATE TABLE alembic_version (version_num TEXT)",
      "INSERT INTO alembic_version VALUES ('{head}')"],
     "thiếu các bảng của hệ thống: api_token, attachment, attachment_blob, audit_event"),
])
def test_a_sqlite_file_that_only_looks_like_a_backup_is_refused(sqlite_app, tmp_path, statements, message):
    [head] = schema.code_heads()
    _sqlite_file(tmp_path / "gia.bak", *(statement.format(head=head) for statement in statements))
    before = snapshot(sqlite_app)
    result = sqlite_app.test_cli_runner().invoke(args=["restore", "--yes", str(tmp_path / "gia.bak")])
    assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output
    assert snapshot(sqlite_app) == before


@pytest.mark.database_independent
def test_restoring_the_live_database_file_onto_itself_is_refused(sqlite_app, tmp_path):
    result = sqlite_app.test_cli_runner().invoke(args=["restore", "--yes", str(tmp_path / "live.db")])
    assert result.exit_code != 0 and "chính là cơ sở dữ liệu đang chạy" in result.output


def test_a_missing_folder_is_a_message_not_a_traceback(data, runner, tmp_path):
    result = runner.invoke(args=["restore", "--yes", str(tmp_path / "khong-co" / "x.bak")])
    assert result.exit_code != 0 and "Không tìm thấy tệp sao lưu" in result.output
    assert "Traceback" not in result.output


@pytest.mark.database_independent
def test_restoring_into_a_database_whose_folder_is_missing_is_a_message(sqlite_app, tmp_path):
    sqlite_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "tot.bak")])
    elsewhere = make_app(f"sqlite:///{tmp_path / 'khong-co' / 'x.db'}")
    result = elsewhere.test_cli_runner().invoke(args=["restore", "--yes", str(tmp_path / "tot.bak")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "Không ghi được cơ sở dữ liệu" in result.output


def test_healthz_is_503_and_says_so_when_the_schema_is_not_at_head(at_older_revision):
    response = at_older_revision.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "ok", "schema": "behind_or_ahead"}


def test_healthz_is_ok_at_head(data):
    response = data.test_client().get("/healthz")
    assert response.status_code == 200 and response.json["schema"] == "ok"
