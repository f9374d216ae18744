"""Sending email over SMTP (smtplib, email.message) with the settings from the environment."""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage as MimeMessage
from email.utils import make_msgid

from flask import current_app


def configured() -> bool:
    """Whether SMTP_HOST and MAIL_FROM are set: without them notifications stay in the portal."""
    config = current_app.config
    return bool(config.get("SMTP_HOST") and config.get("MAIL_FROM"))


def compose(to_address: str, subject: str, body: str) -> MimeMessage:
    """A plain-text UTF-8 message from the portal's address."""
    message = MimeMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to_address
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=current_app.config["MAIL_FROM"].rpartition("@")[2] or None)
    message.set_content(body)
    return message


def connect() -> smtplib.SMTP:
    """An SMTP connection, upgraded with STARTTLS and signed in when the settings say so."""
    config = current_app.config
    smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"])
    if config["SMTP_STARTTLS"]:
        smtp.starttls(context=ssl.create_default_context())
    if config["SMTP_USERNAME"]:
        smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
    return smtp
