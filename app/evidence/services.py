"""Attaching files to a directive, a team or an outreach activity (task updates attach theirs in app.tasks)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import audit
from app.evidence.files import Upload, accepted, attach
from app.extensions import db
from app.models import Attachment, Directive, OutreachActivity, Task, TaskUpdate, Team, User
from app.permissions import can
from app.rules import RuleError

# Owner model -> (the attachment's column, the permission to add files to it).
OWNERS = {
    Directive: ("directive_id", "directive.manage"),
    Team: ("team_id", "team.manage"),
    OutreachActivity: ("outreach_activity_id", "outreach.log"),
}


def add_files(owner, actor: User, uploads: list[Upload]) -> list[Attachment]:
    """Check every file, then store them all under the owner, or none (RuleError with the reason)."""
    column, action = OWNERS[type(owner)]
    if not can(actor, action, owner):
        raise RuleError(_l("You may not add files here."))
    files = accepted(uploads)
    if not files:
        raise RuleError(_l("Choose at least one file."), field="files")
    rows = attach(files, actor=actor, **{column: owner.id})
    audit.record("attachment.add", owner, actor=actor, changes={"file": (None, [file.filename for file in files])})
    db.session.commit()
    return rows


def owner_of(attachment: Attachment) -> tuple[type, int]:
    """The model and id whose visibility decides who may open the file (a task update's is its task)."""
    if attachment.task_update_id is not None:
        return Task, db.session.get(TaskUpdate, attachment.task_update_id).task_id
    if attachment.directive_id is not None:
        return Directive, attachment.directive_id
    if attachment.team_id is not None:
        return Team, attachment.team_id
    return OutreachActivity, attachment.outreach_activity_id
