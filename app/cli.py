"""Command-line tasks: seed-demo, create-admin, backup, restore."""
from __future__ import annotations

import re
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import backup as backups
from app import demo
from app.admin import services as admin_services
from app.admin.forms import USERNAME_PATTERN
from app.auth.passwords import password_problem
from app.extensions import db
from app.models import Organization, OrgKind, Role
from app.rules import RuleError


class CommandError(click.ClickException):
    """A refusal in the interface's language (click would put its English "Error:" before it)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.prefix = _("Error")  # translated now, inside the app context

    def show(self, file=None) -> None:
        click.echo(f"{self.prefix}: {self.format_message()}", file=file, err=True)


def _check_password(password: str | None) -> str:
    if password is None:
        return admin_services.generate_password()
    problem = password_problem(password)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    return password


@click.command("seed-demo")
@click.option("--password", help="Password for every demo user (random if omitted).")
@click.option("--force", is_flag=True, help="Delete all existing data first.")
@click.option("--if-empty", is_flag=True, help="Do nothing, successfully, when the database already has data.")
@with_appcontext
def seed_demo(password: str | None, force: bool, if_empty: bool) -> None:
    """Load the Phú Ninh demo and print its usernames and password."""
    password = _check_password(password)
    if if_empty and not force and not demo.database_is_empty():
        click.echo(_("The database already has data; the demo was not loaded."))
        return
    try:
        users = demo.seed(password, force=force)
    except demo.DatabaseNotEmpty:
        raise CommandError(_("The database already has data. Use --force to delete it and load the demo.")) from None
    click.echo(_("Demo loaded: %(units)d units, %(users)d users.",
                 units=db.session.scalar(select(func.count()).select_from(Organization)), users=len(users)))
    for user in users:
        click.echo(f"  {user.username:<14} {user.role.value:<12} {user.organization.name}")
    click.echo(_("Password for every demo user: %(password)s", password=password))


@click.command("create-admin")
@click.argument("username")
@with_appcontext
def create_admin(username: str) -> None:
    """Create an administrator with a random password and print it (audited like a user made on /admin/users)."""
    username = username.strip().lower()
    if not re.match(USERNAME_PATTERN, username):
        raise click.BadParameter(_("3 to 64 characters: lower-case letters, digits, dot, dash, underscore."),
                                 param_hint="USERNAME")
    unit = db.session.scalar(select(Organization).where(Organization.kind == OrgKind.DISTRICT_OFFICE)
                             .order_by(Organization.id))
    password = admin_services.generate_password()
    try:
        if unit is None:
            # An empty database: the first administrator needs a unit, named in the interface's language.
            unit = admin_services.save_unit(None, actor=None, name=_("System administration"),
                                            short_name=_("Administration"), kind=OrgKind.DISTRICT_OFFICE.value)
        admin_services.create_user(username=username, password=password, full_name=username, email=None, phone=None,
                                   role=Role.ADMIN.value, organization_id=unit.id, actor=None)
    except RuleError as error:
        raise CommandError(str(error.message)) from error
    click.echo(_("Administrator %(username)s created. Password: %(password)s", username=username, password=password))


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path) -> None:
    """Back up the whole database into PATH, a new file (while the portal runs)."""
    try:
        backups.backup(db.engine, path, current_app.config["PG_BIN_DIR"])
    except backups.BackupError as error:
        raise CommandError(str(error)) from error
    click.echo(_("Backup written to %(path)s.", path=path))


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the data without asking first.")
@with_appcontext
def restore(path: Path, yes: bool) -> None:
    """Replace all data of the database with the backup in PATH."""
    database = db.engine.url.render_as_string(hide_password=True)
    pg_bin_dir = current_app.config["PG_BIN_DIR"]
    try:
        backups.check_restorable(db.engine, path, pg_bin_dir)
        if not yes and not click.confirm(_("Every piece of data in %(database)s will be replaced by the backup "
                                           "%(path)s. Continue?", database=database, path=path)):
            raise CommandError(_("Nothing was restored."))
        db.session.remove()
        backups.restore(db.engine, path, pg_bin_dir)
    except backups.BackupError as error:
        raise CommandError(str(error)) from error
    click.echo(_("Restored %(database)s from %(path)s.", database=database, path=path))


@click.command("deliver")
@with_appcontext
def deliver() -> None:
    """Scheduled work (a systemd timer or cron, on any number of servers): periodic tasks, deadline reminders,
    daily digests, then the email outbox."""
    from app.clock import today
    from app.models.user import utcnow
    from app.scheduled import deliver as run

    result = run(utcnow(), today())
    click.echo(_("Periodic tasks %(tasks)d, reminders %(reminders)d, digests %(digests)d, emails sent %(sent)d, "
                 "failed attempts %(failed)d.", tasks=result.periodic_tasks, reminders=result.reminders,
                 digests=result.digests, sent=result.sent, failed=result.failed))


def register_cli(app: Flask) -> None:
    """Attach the commands to `flask --app wsgi`."""
    from app.demo.province import seed_province_command
    for command in (seed_demo, create_admin, backup, restore, seed_province_command, deliver):
        app.cli.add_command(command)
