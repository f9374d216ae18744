"""What the coordinator fills in before a document is downloaded: number, date, signer, recipients, opening."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.documents.decree30 import Heading
from app.forms import DateField, Form, strip
from app.vntext import fold


def recipients(level: str = "huyện") -> str:
    """The usual Nơi nhận of an urging letter from the People's Committee of that level."""
    return f"Như trên\nCT, các PCT UBND {level}\nLưu: VT, VP"
MAX_LINES = 20


def _lines(text: str | None) -> list[str]:
    """One recipient per line, without the dashes and final punctuation people type."""
    return [line.strip().lstrip("-–• ").rstrip(";.,").strip() for line in (text or "").splitlines()
            if line.strip().lstrip("-–• ").strip()]


def issuing_defaults(issuer: str | None) -> dict:
    """The issuing body and place read from a directive's issuer: "UBND huyện Phú Ninh" ->
    ("ỦY BAN NHÂN DÂN\\nHUYỆN PHÚ NINH", "Phú Ninh")."""
    issuer = (issuer or "").strip()
    words = issuer.split()
    if not words:
        return {}
    rest = " ".join(words[1:]) if fold(words[0]) == "ubnd" else issuer
    body = f"ỦY BAN NHÂN DÂN\n{rest.upper()}" if fold(words[0]) == "ubnd" else issuer.upper()
    place = re.sub(r"^(huyện|thị xã|thành phố|tỉnh|xã|phường|thị trấn)\s+", "", rest, flags=re.IGNORECASE)
    return {"issuing_body": body, "place": place}


class DocumentForm(Form):
    """The parts of a Decree 30 document that a person decides: shared by the letter and the report."""

    parent_body = StringField(_l("Parent body (optional)"), filters=[strip], validators=[Length(max=120)])
    issuing_body = TextAreaField(_l("Issuing body"), filters=[strip], validators=[
        DataRequired(_l("Enter the issuing body.")), Length(max=200)])
    number = StringField(_l("Number (Số)"), filters=[strip], default="/UBND-VP", validators=[
        DataRequired(_l("Enter the number, e.g. 125/UBND-VP.")), Length(max=60)])
    place = StringField(_l("Place"), filters=[strip], validators=[DataRequired(_l("Enter the place.")),
                                                                  Length(max=60)])
    issued_on = DateField(_l("Date"), validators=[
        DataRequired(_l("Enter the date (dd/mm/yyyy)."))])
    authority = TextAreaField(_l("Signing authority"), filters=[strip], default="KT. CHỦ TỊCH", validators=[
        DataRequired(_l("Enter the signing authority, e.g. KT. CHỦ TỊCH.")), Length(max=80)])
    signer_title = StringField(_l("Signer's title"), filters=[strip], default="PHÓ CHỦ TỊCH",
                               validators=[Length(max=80)])
    signer_name = StringField(_l("Signer's name"), filters=[strip], validators=[
        DataRequired(_l("Enter the signer's name.")), Length(max=120)])
    recipients = TextAreaField(_l("Recipients (Nơi nhận), one per line"), filters=[strip], default=recipients,
                               validators=[Optional(), Length(max=2000)])
    opening = TextAreaField(_l("Opening paragraph"), filters=[strip], validators=[Optional(), Length(max=3000)])

    def validate_recipients(self, field):
        if len(_lines(field.data)) > MAX_LINES:
            raise ValidationError(_l("At most %(n)d recipients.", n=MAX_LINES))

    def heading(self) -> Heading:
        return Heading(issuing_body=self.issuing_body.data, number=self.number.data, place=self.place.data,
                       on=self.issued_on.data, authority=self.authority.data, signer_title=self.signer_title.data,
                       signer_name=self.signer_name.data, recipients=_lines(self.recipients.data),
                       parent_body=self.parent_body.data)


class UrgingLetterForm(DocumentForm):
    addressee = StringField(_l("Addressed to (Kính gửi)"), filters=[strip], validators=[
        DataRequired(_l("Enter whom the letter is addressed to.")), Length(max=200)])
    report_by = DateField(_l("Report back by"), validators=[
        DataRequired(_l("Enter the date by which the unit reports back (dd/mm/yyyy)."))])

    def validate_report_by(self, field):
        if field.data and self.issued_on.data and field.data < self.issued_on.data:
            raise ValidationError(_l("The date to report back by cannot be before the letter's date."))


class PeriodReportForm(DocumentForm):
    summary = TextAreaField(_l("Summary (trích yếu)"), filters=[strip], validators=[
        DataRequired(_l("Enter the summary.")), Length(max=300)])
    addressees = TextAreaField(_l("Addressed to (Kính gửi), one per line; empty for none"), filters=[strip],
                               validators=[Optional(), Length(max=1000)])
    next_steps = TextAreaField(_l("Tasks and measures ahead"), filters=[strip],
                               validators=[Optional(), Length(max=3000)])

    def addressee_lines(self) -> list[str]:
        return _lines(self.addressees.data)


def report_recipients(level: str = "huyện") -> str:
    """The usual Nơi nhận of a period report: the level above (a district's province), the level's own Party and
    Council standing committees, its chair and vice-chairs, the units, the archive."""
    above = "UBND tỉnh (b/c)\n" if level != "tỉnh" else ""
    return (f"{above}TT {level.capitalize()} ủy, TT HĐND {level} (b/c)\nCT, các PCT UBND {level}\n"
            "Các đơn vị liên quan\nLưu: VT, VP")


REPORT_DEFAULTS = {"number": "/BC-UBND", "authority": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
                   "signer_title": "PHÓ CHỦ TỊCH"}
