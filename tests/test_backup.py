"""flask backup / flask restore on the suite's database (SQLite, or PostgreSQL in CI), also while writers run;
and SQLite surviving a SIGKILL in the middle of writes."""
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app import backup as backups
from app.admin import services
from app.extensions import db
from app.models import Organization, OrgKind, Role, User, Village
from tests.conftest import make_app, reset_schema
from tests.factories import make_unit, make_user, make_village
from tests.url_map import snapshot

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data(app):
    with app.app_context():
        commune = make_unit("UBND xã Tam Phước")
        make_village(commune, "Phước Lâm")
        make_user("quantri", role=Role.ADMIN, unit=make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE))
        make_user("canbo", unit=commune)
    return app


@pytest.fixture
def fresh_database_url(database_url, tmp_path):
    """An empty database of the suite's kind, to restore into."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    url = make_url(database_url)
    name = f"{url.database}_restore"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def _change_everything(app):
    with app.app_context():
        db.session.execute(Village.__table__.delete())
        db.session.get(User, 1).full_name = "Đã đổi"
        make_unit("UBND xã Sau Sao Lưu")
        db.session.commit()


def test_backup_then_restore_brings_back_every_row(data, runner, tmp_path):
    before = snapshot(data)
    result = runner.invoke(args=["backup", str(tmp_path / "sao-luu.bak")])
    assert result.exit_code == 0, result.output
    assert "Đã sao lưu vào" in result.output
    _change_everything(data)
    assert snapshot(data) != before
    result = runner.invoke(args=["restore", "--yes", str(tmp_path / "sao-luu.bak")])
    assert result.exit_code == 0, result.output
    assert "Đã khôi phục" in result.output
    assert snapshot(data) == before
    assert not list(tmp_path.glob("*.partial"))


def test_restore_asks_first_and_changes_nothing_on_no(data, runner, tmp_path):
    runner.invoke(args=["backup", str(tmp_path / "sao-luu.bak")])
    _change_everything(data)
    changed = snapshot(data)
    refused = runner.invoke(args=["restore", str(tmp_path / "sao-luu.bak")], input="n\n")
    assert refused.exit_code != 0
    assert "sẽ bị thay bằng bản sao lưu" in refused.output and "Chưa khôi phục gì." in refused.output
    assert snapshot(data) == changed
    accepted = runner.invoke(args=["restore", str(tmp_path / "sao-luu.bak")], input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert snapshot(data) != changed


@pytest.mark.parametrize("make_args, message", [
    (lambda tmp: ["backup", str(tmp / "khong-co" / "x.bak")], "Thư mục"),
    (lambda tmp: ["backup", str(tmp / "da-co.bak")], "đã có: hãy chọn một tên tệp mới"),
    (lambda tmp: ["restore", "--yes", str(tmp / "khong-co.bak")], "Không tìm thấy tệp sao lưu"),
    (lambda tmp: ["restore", "--yes", str(tmp / "da-co.bak")], "không phải là bản sao lưu của hệ thống này"),
    (lambda tmp: ["restore", "--yes", str(tmp / "khac.db")], "không phải là bản sao lưu của hệ thống này"),
])
def test_a_bad_path_gets_a_clear_vietnamese_message_and_changes_nothing(data, runner, tmp_path, make_args, message):
    (tmp_path / "da-co.bak").write_text("không phải sao lưu")
    other = sqlite3.connect(tmp_path / "khac.db")
    other.execute("CREATE TABLE something_else (id INTEGER)")
    other.close()
    before = snapshot(data)
    result = runner.invoke(args=make_args(tmp_path))
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert snapshot(data) == before
    assert (tmp_path / "da-co.bak").read_text() == "không phải sao lưu"


def test_a_pg_client_older_than_the_server_is_refused_with_a_message(monkeypatch):
    monkeypatch.setattr(backups, "_pg_server_major", lambda engine: 99)
    app = make_app("sqlite://")
    with app.app_context(), pytest.raises(backups.BackupError, match="PostgreSQL 99"):
        backups._pg_check_version(None, backups._pg_tool("pg_dump", None))


def test_a_missing_pg_client_is_named(app):
    with app.app_context(), pytest.raises(backups.BackupError, match="Không tìm thấy pg_dump"):
        backups._pg_tool("pg_dump", "/nonexistent")


def test_a_backup_taken_while_writers_run_has_every_row_committed_before_it(data, runner, tmp_path,
                                                                             fresh_database_url):
    """A writer adds rounds of a unit then a user, one transaction each. The backup holds every round committed
    before it began, none begun after it ended, and one moment between: the rounds in it are 1..k, with the user
    of round k perhaps not yet written. (Rounds are told by name: a row committed just before the backup's snapshot
    may reach the writer's own record of it only after the backup has ended.)"""
    with data.app_context():
        commune_id = db.session.scalar(select(Organization.id).where(Organization.name == "UBND xã Tam Phước"))
    committed, begun, stop, errors = [], [0], threading.Event(), []

    def write():
        try:
            with data.app_context():
                n = 0
                while not stop.is_set():
                    n += 1
                    begun[0] = n
                    services.save_unit(None, actor=None, name=f"UBND xã Ghi {n}", short_name=f"Ghi {n}",
                                       kind="commune")
                    services.create_user(actor=None, username=f"ghi{n}", password="ruộng-lúa-xanh-7",
                                         full_name="Ghi", email=None, phone=None, role="officer",
                                         organization_id=commune_id)
                    committed.append(n)
        except Exception as error:
            errors.append(error)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(committed) < 10 and writer.is_alive():
            stop.wait(0.01)
        done_before = len(committed)
        result = runner.invoke(args=["backup", str(tmp_path / "dang-ghi.bak")])
        begun_by_then = begun[0]
        while len(committed) < begun_by_then + 5 and writer.is_alive():
            stop.wait(0.01)
    finally:
        stop.set()
        writer.join()
    assert errors == [] and result.exit_code == 0, (errors, result.output)
    assert len(committed) > begun_by_then  # the writer went on after the backup

    restored = make_app(fresh_database_url)
    result = restored.test_cli_runner().invoke(args=["restore", "--yes", str(tmp_path / "dang-ghi.bak")])
    assert result.exit_code == 0, result.output
    with restored.app_context():
        if db.engine.dialect.name == "sqlite":
            assert db.session.scalar(text("PRAGMA integrity_check")) == "ok"
            assert db.session.scalar(text("PRAGMA foreign_key_check")) is None
        units = {int(name.removeprefix("UBND xã Ghi ")) for name in db.session.scalars(
            select(Organization.name).where(Organization.name.like("UBND xã Ghi %")))}
        users = {int(name.removeprefix("ghi")) for name in db.session.scalars(
            select(User.username).where(User.username.like("ghi%")))}
        db.engine.dispose()
    last = max(units)
    assert set(range(1, done_before + 1)) <= users <= units
    assert last <= begun_by_then  # a copy of one moment, not of when the writer stopped
    assert units == set(range(1, last + 1)) and users in (units, units - {last})


WRITER = """
import sys
from app.admin import services
from tests.conftest import make_app
app = make_app(sys.argv[1])
with app.app_context():
    n = 0
    while True:
        n += 1
        unit = services.save_unit(None, actor=None, name=f"UBND xã {n}", short_name=str(n), kind="commune")
        print(unit.id, flush=True)
"""


@pytest.mark.database_independent
@pytest.mark.parametrize("kill_after", [7, 40])
def test_sqlite_killed_in_the_middle_of_writes_keeps_every_committed_write(tmp_path, kill_after):
    database_url = f"sqlite:///{tmp_path / 'killed.db'}"
    reset_schema(make_app(database_url))
    process = subprocess.Popen([sys.executable, "-c", WRITER, database_url], cwd=ROOT, stdout=subprocess.PIPE,
                               text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    reported = []
    try:
        for line in process.stdout:
            reported.append(int(line))
            if len(reported) == kill_after:
                os.kill(process.pid, signal.SIGKILL)
                break
    finally:
        process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert (tmp_path / "killed.db-wal").exists()  # killed with its write-ahead log not yet checkpointed
    connection = sqlite3.connect(tmp_path / "killed.db")
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        present = {row[0] for row in connection.execute("SELECT id FROM organization")}
    finally:
        connection.close()
    assert set(reported) <= present
    assert len(reported) == kill_after


def test_evidence_files_survive_backup_and_restore(data, runner, tmp_path):
    from app.evidence.files import CheckedFile, attach
    from app.models import Attachment, AttachmentBlob, FileKind
    from tests.factories import make_team
    content = b"%PDF-1.4 quyet dinh thanh lap to"
    with data.app_context():
        team = make_team(make_village(make_unit()))
        attach([CheckedFile("quyet-dinh.pdf", FileKind.PDF, content, None)], actor=None, team_id=team.id)
        db.session.commit()
    result = runner.invoke(args=["backup", str(tmp_path / "tep.bak")])
    assert result.exit_code == 0, result.output
    with data.app_context():
        db.session.execute(Attachment.__table__.delete())
        db.session.execute(AttachmentBlob.__table__.delete())
        db.session.commit()
    result = runner.invoke(args=["restore", "--yes", str(tmp_path / "tep.bak")])
    assert result.exit_code == 0, result.output
    with data.app_context():
        assert db.session.scalars(select(AttachmentBlob.data)).one() == content
        assert db.session.scalars(select(Attachment.filename)).one() == "quyet-dinh.pdf"
