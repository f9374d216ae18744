"""Sending the email outbox: runners on any number of servers claim rows before sending, so each message is sent
once; a failed send waits longer before each retry and is shown to administrators after the last one.

A claim is one short write transaction: on PostgreSQL `SELECT … FOR UPDATE SKIP LOCKED` (a second runner skips the
rows the first holds), on SQLite `BEGIN IMMEDIATE` (runners take turns); either way the UPDATE only takes rows that
are still pending. A runner that dies while sending leaves its rows claimed; after CLAIM_LEASE they are pending
again (that message may then go out twice: the one case where a message can be duplicated).
"""
from __future__ import annotations

import os
import smtplib
import socket
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app import audit, mail
from app.audit import WRITE_LOCK
from app.extensions import db
from app.models import EmailMessage, EmailState, User
from app.models.user import utcnow

CLAIM_BATCH = 50
CLAIM_LEASE = timedelta(minutes=15)
FAILED_LIST_LIMIT = 50


def write_transaction() -> None:
    """Begin a transaction holding SQLite's write lock (BEGIN IMMEDIATE; PostgreSQL: a plain one), ending the
    reading one the session may have open (the scheduled steps never leave changes unsaved before calling this)."""
    if db.session().in_transaction():
        db.session.commit()
    db.session.connection(execution_options={WRITE_LOCK: True})


def insert_ignoring_duplicates(model, rows: list[dict]):
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: the ids of the rows this call wrote (not another runner)."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    if not rows:
        return []
    stmt = dialect.insert(model).values(rows).on_conflict_do_nothing().returning(model.id)
    return list(db.session.scalars(stmt))


def runner_name() -> str:
    """Who claims: the host, the process and a random part, so two runners never share a name."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claim(runner: str, limit: int = CLAIM_BATCH) -> list[EmailMessage]:
    """Claim up to `limit` messages due now for this runner, committed; they are this runner's to send."""
    now = utcnow()
    write_transaction()
    due = or_(EmailMessage.state == EmailState.PENDING,
              (EmailMessage.state == EmailState.SENDING) & (EmailMessage.claimed_at < now - CLAIM_LEASE))
    candidates = (select(EmailMessage.id).where(due, EmailMessage.next_attempt_at <= now)
                  .order_by(EmailMessage.next_attempt_at, EmailMessage.id).limit(limit))
    if db.engine.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(candidates))
    if ids:
        db.session.execute(update(EmailMessage).where(EmailMessage.id.in_(ids), due)
                           .values(state=EmailState.SENDING, claimed_by=runner, claimed_at=now))
    db.session.commit()
    if not ids:
        return []
    return list(db.session.scalars(select(EmailMessage).where(
        EmailMessage.id.in_(ids), EmailMessage.claimed_by == runner, EmailMessage.state == EmailState.SENDING)
        .order_by(EmailMessage.id)))


def _finish(message: EmailMessage, error: str | None) -> None:
    """Record the outcome of one attempt, committed at once."""
    write_transaction()
    message.attempts += 1
    if error is None:
        message.state, message.sent_at, message.last_error = EmailState.SENT, utcnow(), ""
    else:
        config = current_app.config
        message.last_error = error[:1000]
        if message.attempts >= config["EMAIL_MAX_ATTEMPTS"]:
            message.state = EmailState.FAILED
        else:
            wait = timedelta(minutes=config["EMAIL_RETRY_MINUTES"] * 2 ** (message.attempts - 1))
            message.state, message.next_attempt_at = EmailState.PENDING, utcnow() + wait
    message.claimed_by = None
    db.session.commit()


def send_claimed(messages: list[EmailMessage]) -> tuple[int, int]:
    """Send claimed messages over one SMTP connection; (sent, failed attempts)."""
    sent = failed = 0
    try:
        smtp = mail.connect()
    except (OSError, smtplib.SMTPException) as error:
        for message in messages:
            _finish(message, f"{type(error).__name__}: {error}")
        return 0, len(messages)
    try:
        for message in messages:
            try:
                smtp.send_message(mail.compose(message.to_address, message.subject, message.body))
            except (OSError, smtplib.SMTPException) as error:
                _finish(message, f"{type(error).__name__}: {error}")
                failed += 1
            else:
                _finish(message, None)
                sent += 1
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return sent, failed


def send_pending(runner: str | None = None) -> tuple[int, int]:
    """Send every message due now, batch by batch; (sent, failed attempts). Nothing without SMTP settings."""
    if not mail.configured():
        return 0, 0
    runner = runner or runner_name()
    sent = failed = 0
    while batch := claim(runner):
        done, not_done = send_claimed(batch)
        sent, failed = sent + done, failed + not_done
    return sent, failed


def failed_messages(limit: int = FAILED_LIST_LIMIT) -> tuple[list[EmailMessage], int]:
    """The most recent messages given up on, and how many there are in all (for the administrators' page)."""
    rows = list(db.session.scalars(select(EmailMessage).where(EmailMessage.state == EmailState.FAILED)
                                   .order_by(EmailMessage.id.desc()).limit(limit)))
    total = db.session.scalar(select(func.count()).select_from(EmailMessage)
                              .where(EmailMessage.state == EmailState.FAILED)) or 0
    return rows, total


def retry_failed(*, actor: User) -> int:
    """Put every failed message back in the queue with a fresh count of attempts (after SMTP is fixed)."""
    changed = db.session.execute(update(EmailMessage).where(EmailMessage.state == EmailState.FAILED)
                                 .values(state=EmailState.PENDING, attempts=0, next_attempt_at=utcnow())).rowcount
    audit.record("email.retry", actor=actor, changes={"queued_messages": (None, changed)})
    db.session.commit()
    return changed
