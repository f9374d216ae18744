"""Backing up and restoring the whole database: SQLite's online backup API, pg_dump/pg_restore for PostgreSQL.

Both work while the portal runs: SQLite copies a consistent snapshot while writers go on (WAL), pg_dump reads
one transaction's snapshot. Nothing here renders or asks; app/cli.py does.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess  # only for pg_dump and pg_restore, with argument lists and never a shell
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.engine import URL, Engine

from app import schema

# A table every database of this portal has: a file without it is not one of our backups.
MARKER_TABLE = "user_account"
# The backup file is created by us alone (never through a planted symlink), readable by its owner only: it holds
# every password hash.
CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
BACKUP_MODE = 0o600


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the person at the console."""


def backup(engine: Engine, path: Path, pg_bin_dir: str | None = None) -> None:
    """Write a backup of the database into `path`, a file that must not exist yet (mode 0600).

    It is written to `path.partial`, created exclusively, and linked to `path` only when complete: never a
    half-written backup, never a file replaced or removed that this call did not create.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(_("The folder %(folder)s does not exist.", folder=path.parent))
    if os.path.lexists(path):
        raise BackupError(_("%(path)s already exists: choose a new file name.", path=path))
    partial, created = path.with_name(path.name + ".partial"), None
    try:
        descriptor = os.open(partial, CREATE_FLAGS, BACKUP_MODE)
    except FileExistsError as error:
        raise BackupError(_("%(path)s already exists: another backup may be running. If none is, remove it and "
                            "try again.", path=partial)) from error
    except OSError as error:
        raise BackupError(_("Cannot write %(path)s: %(reason)s", path=partial, reason=error.strerror)) from error
    try:
        with os.fdopen(descriptor, "wb") as partial_file:
            os.fchmod(partial_file.fileno(), BACKUP_MODE)  # whatever the umask
            created = os.fstat(partial_file.fileno())
            if engine.dialect.name == "sqlite":
                _sqlite_backup(_sqlite_file(engine.url), partial, created)
            else:
                _pg_backup(engine, partial_file, pg_bin_dir)
            partial_file.flush()
            os.fsync(partial_file.fileno())
        os.link(partial, path, follow_symlinks=False)  # fails, rather than replaces, when `path` appeared meanwhile
    except FileExistsError as error:
        raise BackupError(_("%(path)s already exists: choose a new file name.", path=path)) from error
    except (OSError, sqlite3.Error) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise BackupError(_("Cannot write %(path)s: %(reason)s", path=path, reason=reason)) from error
    finally:
        _remove_if_ours(partial, created)


def _same_file(path: Path, created: os.stat_result | None) -> bool:
    """Whether `path` is still the very file this process created (not a symlink or a file put in its place)."""
    try:
        now = os.lstat(path)
    except FileNotFoundError:
        return False
    return created is not None and (now.st_dev, now.st_ino) == (created.st_dev, created.st_ino)


def _remove_if_ours(partial: Path, created: os.stat_result | None) -> None:
    if _same_file(partial, created):
        partial.unlink()


def check_restorable(engine: Engine, path: Path, pg_bin_dir: str | None = None) -> None:
    """Refuse, with a message, a path that is not a backup of this portal at this code's schema, or the live
    database itself (before anything is replaced)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("The backup file %(path)s does not exist.", path=path))
    if engine.dialect.name == "sqlite":
        database = _sqlite_file(engine.url, must_exist=False)
        if database.exists() and os.path.samefile(path, database):
            raise BackupError(_("%(path)s is the live database itself: choose a backup file.", path=path))
        tables, revisions = _sqlite_check(path)
    else:
        tables, revisions = _pg_check(path, _pg_tool("pg_restore", pg_bin_dir))
    _check_schema(path, tables, revisions)


def _check_schema(path: Path, tables: set[str], revisions: set[str] | None) -> None:
    problem = schema.schema_problem(tables, revisions)
    if problem == "no_revision":
        raise BackupError(_("%(path)s has no migration revision: it is not a backup of this portal's database.",
                            path=path))
    if problem == "behind_or_ahead":
        raise BackupError(_("%(path)s is a backup of another version of the portal (schema %(found)s; this version "
                            "is at %(expected)s). Restore it with the version that made it, or choose a newer "
                            "backup.", path=path, found=", ".join(sorted(revisions)),
                            expected=", ".join(sorted(schema.code_heads()))))
    if problem == "missing_tables":
        raise BackupError(_("%(path)s lacks tables of this portal: %(tables)s.", path=path,
                            tables=", ".join(sorted(schema.expected_tables() - tables))))


def restore(engine: Engine, path: Path, pg_bin_dir: str | None = None) -> None:
    """Replace every table of the database with the backup's; the engine's connections are closed first."""
    check_restorable(engine, path, pg_bin_dir)
    engine.dispose()
    if engine.dialect.name == "sqlite":
        database = _sqlite_file(engine.url, must_exist=False)
        try:
            _sqlite_restore(Path(path), database)
        except sqlite3.Error as error:
            raise BackupError(_("Cannot write the database %(path)s: %(reason)s", path=database,
                                reason=str(error))) from error
    else:
        _pg_restore(engine, Path(path), pg_bin_dir)


# SQLite

def _sqlite_file(url: URL, must_exist: bool = True) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError(_("Only a database stored in a file can be backed up."))
    database = Path(url.database)
    if must_exist and not database.is_file():
        raise BackupError(_("The database %(path)s does not exist.", path=database))
    return database


def _sqlite_backup(database: Path, target: Path, created: os.stat_result) -> None:
    if not _same_file(target, created):  # sqlite3 opens by name: it must still be the file created above
        raise BackupError(_("%(path)s was replaced while the backup was written.", path=target))
    source, copy = sqlite3.connect(database), sqlite3.connect(target)
    try:
        source.backup(copy)  # one step: a consistent snapshot, writers in WAL mode are not held up
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        _sqlite_integrity(copy, target)
    finally:
        copy.close()
        source.close()


def _sqlite_integrity(connection: sqlite3.Connection, path: Path) -> tuple[set[str], set[str] | None]:
    """The tables and Alembic revisions of a sound SQLite file of this portal; BackupError otherwise."""
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        revisions = ({row[0] for row in connection.execute(schema.VERSION_QUERY)}
                     if schema.VERSION_TABLE in tables else None)
    except sqlite3.DatabaseError as error:
        raise BackupError(_("%(path)s is not a backup of this portal.", path=path)) from error
    if result != "ok":
        raise BackupError(_("%(path)s is damaged: %(detail)s", path=path, detail=result))
    if MARKER_TABLE not in tables:
        raise BackupError(_("%(path)s is not a backup of this portal.", path=path))
    return tables, revisions


def _sqlite_check(path: Path) -> tuple[set[str], set[str] | None]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return _sqlite_integrity(connection, path)
    finally:
        connection.close()


def _sqlite_restore(backup_file: Path, database: Path) -> None:
    source, target = sqlite3.connect(backup_file), sqlite3.connect(database, timeout=30)
    try:
        source.backup(target)
        _sqlite_integrity(target, database)
    finally:
        target.close()
        source.close()


# PostgreSQL

def _pg_tool(name: str, pg_bin_dir: str | None) -> str:
    tool = shutil.which(name, path=pg_bin_dir) if pg_bin_dir else shutil.which(name)
    if tool is None:
        raise BackupError(_("%(tool)s was not found: install the PostgreSQL client (apt-get install "
                            "postgresql-client) or set PG_BIN_DIR.", tool=name))
    return tool


def _major(version_text: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)*", version_text)
    return int(match.group(1)) if match else 0


def _pg_connection(engine: Engine) -> tuple[str, dict]:
    """A libpq URI without the password, and the environment that carries the password."""
    url = engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _pg_server_major(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000


def _pg_check_version(engine: Engine, tool: str) -> None:
    """pg_dump and pg_restore refuse servers newer than themselves: say so before they fail."""
    server = _pg_server_major(engine)
    client = _major(_run([tool, "--version"], os.environ).stdout)
    if client < server:
        raise BackupError(_("%(tool)s is version %(client)d but the server is PostgreSQL %(server)d: install the "
                            "client of version %(server)d or newer.", tool=Path(tool).name, client=client,
                            server=server))


def _run(command: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def _pg_backup(engine: Engine, target, pg_bin_dir: str | None) -> None:
    """pg_dump into the already opened, exclusively created file (pg_dump --file would follow a symlink)."""
    tool = _pg_tool("pg_dump", pg_bin_dir)
    _pg_check_version(engine, tool)
    uri, env = _pg_connection(engine)
    done = subprocess.run([tool, "--format=custom", "--no-owner", "--no-privileges", "--dbname", uri], env=env,
                          stdout=target, stderr=subprocess.PIPE, text=False, check=False)
    if done.returncode != 0:
        raise BackupError(_("pg_dump failed: %(detail)s", detail=done.stderr.decode(errors="replace").strip()))


def _pg_check(path: Path, tool: str) -> tuple[set[str], set[str] | None]:
    """The tables and Alembic revisions of a pg_dump archive of this portal; BackupError otherwise."""
    listing = _run([tool, "--list", str(path)], os.environ)
    tables = set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", listing.stdout, flags=re.MULTILINE))
    if listing.returncode != 0 or MARKER_TABLE not in tables:
        raise BackupError(_("%(path)s is not a backup of this portal.", path=path))
    if schema.VERSION_TABLE not in tables:
        return tables, None
    data = _run([tool, "--data-only", f"--table={schema.VERSION_TABLE}", "--file=-", str(path)], os.environ)
    match = re.search(r"^COPY \S+ \(version_num\) FROM stdin;\n(.*?)^\\\.$", data.stdout,
                      flags=re.MULTILINE | re.DOTALL)
    return tables, set(match.group(1).split()) if match else set()


def _pg_restore(engine: Engine, path: Path, pg_bin_dir: str | None) -> None:
    tool = _pg_tool("pg_restore", pg_bin_dir)
    _pg_check_version(engine, tool)
    uri, env = _pg_connection(engine)
    done = _run([tool, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                 "--exit-on-error", "--dbname", uri, str(path)], env)
    if done.returncode != 0:
        raise BackupError(_("pg_restore failed, nothing was changed: %(detail)s", detail=done.stderr.strip()))
