"""Command-line tasks: seed-demo, create-admin."""
from __future__ import annotations

import re

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import demo
from app.admin.forms import USERNAME_PATTERN
from app.admin.services import generate_password
from app.extensions import db
from app.models import Organization, OrgKind, Role, User
from app.passwords import password_problem


def _check_password(password: str | None) -> str:
    if password is None:
        return generate_password()
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
        raise click.ClickException(_("The database already has data. Use --force to delete it and load the demo."))
    click.echo(_("Demo loaded: %(units)d units, %(users)d users.",
                 units=db.session.scalar(select(func.count()).select_from(Organization)), users=len(users)))
    for user in users:
        click.echo(f"  {user.username:<14} {user.role.value:<12} {user.organization.name}")
    click.echo(_("Password for every demo user: %(password)s", password=password))


@click.command("create-admin")
@click.argument("username")
@with_appcontext
def create_admin(username: str) -> None:
    """Create an administrator with a random password and print it."""
    username = username.strip().lower()
    if not re.match(USERNAME_PATTERN, username):
        raise click.BadParameter(_("3 to 64 characters: lower-case letters, digits, dot, dash, underscore."),
                                 param_hint="USERNAME")
    if db.session.scalar(select(User).where(func.lower(User.username) == username)) is not None:
        raise click.ClickException(_("The username %(username)s is already taken.", username=username))
    unit = db.session.scalar(select(Organization).where(Organization.kind == OrgKind.DISTRICT_OFFICE)
                             .order_by(Organization.id))
    if unit is None:
        unit = Organization(name="Quản trị hệ thống", short_name="Quản trị", kind=OrgKind.DISTRICT_OFFICE, active=True)
        db.session.add(unit)
    password = generate_password()
    user = User(username=username, full_name=username, role=Role.ADMIN, organization=unit, active=True,
                session_version=1)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(_("Administrator %(username)s created. Password: %(password)s", username=username, password=password))


def register_cli(app: Flask) -> None:
    """Attach the commands to `flask --app wsgi`."""
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_admin)
