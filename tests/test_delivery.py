"""The email outbox and `flask deliver`, over real SMTP to a local aiosmtpd server: each message once, even with two
runners at the same moment; failures retried with backoff, then shown to administrators."""
from __future__ import annotations

import socket
import threading
from datetime import date, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update

from app.delivery import send_pending
from app.extensions import db
from app.followup.services import urge
from app.models import AuditEvent, EmailMessage, EmailState, Notification, NotificationKind, Role
from app.models.user import utcnow
from app.scheduled import create_reminders, queue_digests
from tests.conftest import empty_tables, login, make_app
from tests.factories import PASSWORD, make_task, make_unit, make_user


class Inbox:
    """An aiosmtpd handler keeping every message; recipients named refuse@… are refused."""

    def __init__(self):
        self.messages, self.lock = [], threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse@"):
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def mail_app(database_url, _schema, inbox):
    app = make_app(database_url, SMTP_HOST="127.0.0.1", SMTP_PORT=inbox[1], SMTP_STARTTLS=False,
                   MAIL_FROM="dieuhanh@phuninh.example", EMAIL_MAX_ATTEMPTS=2, EMAIL_RETRY_MINUTES=5)
    yield app
    empty_tables(app)


def _queue(count: int, address: str = "canbo@phuninh.example") -> None:
    user = make_user(email=address)
    db.session.add_all(EmailMessage(key=f"test:{n}", recipient_id=user.id, to_address=address,
                                    subject=f"Thông báo số {n}", body="Nội dung tiếng Việt: đôn đốc")
                       for n in range(count))
    db.session.commit()


def _run_together(app, runners: int, work) -> list:
    """Start `runners` threads at one barrier, each in its own app context (its own connection); their results."""
    barrier, results, errors = threading.Barrier(runners), [], []

    def run():
        with app.app_context():
            barrier.wait()
            try:
                results.append(work())
            except Exception as error:  # reported below, failing the test
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def test_two_runners_started_together_send_each_message_exactly_once(mail_app, inbox):
    with mail_app.app_context():
        _queue(60)
    results = _run_together(mail_app, 2, send_pending)
    handler, _ = inbox
    subjects = sorted(line for message in handler.messages for line in message.splitlines()
                      if line.startswith("Subject:"))
    assert len(subjects) == 60 and len(set(subjects)) == 60
    assert sum(sent for sent, _ in results) == 60
    with mail_app.app_context():
        assert db.session.scalar(select(func.count()).where(EmailMessage.state == EmailState.SENT)) == 60


def test_a_refused_message_is_retried_later_then_shown_to_administrators(mail_app, inbox):
    with mail_app.app_context():
        _queue(1, "refuse@phuninh.example")
        assert send_pending() == (0, 1)
        message = db.session.scalar(select(EmailMessage))
        assert message.state == EmailState.PENDING and message.attempts == 1 and "550" in message.last_error
        waited = message.next_attempt_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)
        assert timedelta(minutes=4) < waited <= timedelta(minutes=5)
        assert send_pending() == (0, 0)  # not yet due
        db.session.execute(update(EmailMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        assert send_pending() == (0, 1)
        assert db.session.scalar(select(EmailMessage.state)) == EmailState.FAILED
        make_user("quantri", role=Role.ADMIN)
    client = mail_app.test_client()
    login(client, "quantri", PASSWORD)
    page = client.get("/admin/email").text
    assert "refuse@phuninh.example" in page and "550" in page
    assert client.post("/admin/email/retry").status_code == 303
    with mail_app.app_context():
        assert db.session.scalar(select(EmailMessage.state)) == EmailState.PENDING
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "email.retry"))
        assert event.username == "quantri" and event.changes == {"queued_messages": [None, 1]}
    assert "Đưa lại thư gửi lỗi vào hàng đợi" in client.get("/admin/audit").text


def test_an_urge_is_emailed_in_vietnamese_on_the_next_run(mail_app, inbox):
    with mail_app.app_context():
        commune = make_unit("Xã Tam Thử")
        make_user("canbo", unit=commune, email="canbo@phuninh.example")
        office = make_user("vanphong", role=Role.COORDINATOR, email="vp@phuninh.example")
        task = make_task(commune, deadline=date(2020, 1, 1))
        urge([task], actor=office, note="Đề nghị hoàn thành ngay")
        assert send_pending() == (1, 0)
    text = inbox[0].messages[0]
    assert "canbo@phuninh.example" in text and "=?utf-8?" in text.lower()


def test_without_smtp_settings_nothing_is_queued_and_the_admin_page_says_so(app, client):
    with app.app_context():
        commune = make_unit("Xã Tam Thử")
        make_user("canbo", unit=commune, email="canbo@phuninh.example")
        office = make_user("vanphong", role=Role.COORDINATOR)
        urge([make_task(commune, deadline=date(2020, 1, 1))], actor=office)
        assert db.session.scalar(select(func.count()).select_from(EmailMessage)) == 0
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 1
        make_user("quantri", role=Role.ADMIN)
    login(client, "quantri", PASSWORD)
    assert 'id="mail-off"' in client.get("/admin/email").text


def test_reminders_are_written_once_per_task_and_kind_even_by_two_runners(mail_app, time_machine):
    time_machine.move_to("2026-12-04 09:00 +07:00")
    with mail_app.app_context():
        commune = make_unit("Xã Tam Thử")
        make_user("canbo1", unit=commune)
        make_user("canbo2", unit=commune)
        make_task(commune, deadline=date(2026, 12, 1))  # overdue
        make_task(commune, deadline=date(2026, 12, 9))  # due in 3 working days
        make_task(commune, deadline=date(2026, 12, 30))  # neither
    results = _run_together(mail_app, 2, lambda: create_reminders(date(2026, 12, 4)))
    assert sum(results) == 2  # each task and kind reminded by one runner or the other, not both
    with mail_app.app_context():
        kinds = db.session.execute(select(Notification.kind, func.count()).group_by(Notification.kind)).all()
        assert dict(kinds) == {NotificationKind.OVERDUE: 2, NotificationKind.DUE_SOON: 2}
        assert create_reminders(date(2026, 12, 4)) == 0


def test_one_digest_a_day_from_the_set_time_and_none_when_there_is_nothing(mail_app, inbox):
    at_six = datetime.fromisoformat("2026-12-04 06:59 +07:00")
    at_seven = datetime.fromisoformat("2026-12-04 07:00 +07:00")
    with mail_app.app_context():
        commune, quiet = make_unit("Xã Tam Thử"), make_unit("Xã Yên Ả")
        make_user("canbo", unit=commune, email="canbo@phuninh.example")
        make_user("khongnhan", unit=commune, email="no@phuninh.example", email_digest=False)
        make_user("yena", unit=quiet, email="yena@phuninh.example")
        make_task(commune, deadline=date(2026, 12, 1))
        assert queue_digests(at_six) == 0
        assert sorted(_run_together(mail_app, 2, lambda: queue_digests(at_seven))) == [0, 1]
        assert queue_digests(at_seven + timedelta(hours=5)) == 0
        assert send_pending() == (1, 0)
    text = inbox[0].messages[0]
    assert "canbo@phuninh.example" in text and "no@phuninh.example" not in text
