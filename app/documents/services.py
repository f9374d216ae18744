"""What the documents read: a unit's overdue tasks, the units that have some; and the trail of documents drawn up."""
from __future__ import annotations

from datetime import date

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import audit
from app.documents.letters import UrgingLetter, urging_letter_docx
from app.extensions import db
from app.models import Organization, Task, User
from app.permissions import scoped
from app.rules import RuleError
from app.tasks.classes import TaskClass, class_condition
from app.tasks.queries import TaskFilters, task_list_query
from app.teams.coverage import prime_progress

# An annex longer than this is a sign the letter should go to fewer tasks (filter by directive).
MAX_LISTED_TASKS = 300
NOTHING_TO_URGE = _l("This unit has no overdue tasks: there is nothing to urge.")


def overdue_tasks_of(user: User, unit: Organization, today: date, directive_id: int | None = None) -> list[Task]:
    """The unit's open tasks past their deadline that the user may see, oldest deadline first."""
    filters = TaskFilters(unit_id=unit.id, directive_id=directive_id, task_class=TaskClass.OPEN_OVERDUE.value)
    stmt = task_list_query(user, today, filters).limit(MAX_LISTED_TASKS)
    tasks = [row[0] for row in db.session.execute(stmt).unique()]
    prime_progress(tasks)
    return tasks


def units_with_overdue_tasks(user: User, today: date, directive_id: int | None = None) -> list[tuple]:
    """(unit, number of overdue tasks it leads), the most overdue first."""
    from app.models import Item
    count = func.count(Task.id).label("overdue")
    stmt = (scoped(Task, user, select(Organization, count)).join(Organization, Organization.id == Task.lead_unit_id)
            .where(class_condition(TaskClass.OPEN_OVERDUE, today))
            .group_by(Organization.id).order_by(count.desc(), Organization.sort_key))
    if directive_id:
        stmt = stmt.join(Task.item).where(Item.directive_id == directive_id)
    return [tuple(row) for row in db.session.execute(stmt)]


def record_drawn_up(action: str, obj, actor: User, number: str) -> None:
    """Keep in the audit trail who drew up which document and its number."""
    audit.record(action, obj, actor=actor, changes={"document_number": (None, number)})
    db.session.commit()


def draw_up_urging_letter(letter: UrgingLetter, actor: User, number: str) -> bytes:
    """The letter as a .docx (in Vietnamese, whatever the interface language), recorded in the audit trail."""
    if not letter.tasks:
        raise RuleError(NOTHING_TO_URGE)
    with force_locale("vi"):
        data = urging_letter_docx(letter)
    record_drawn_up("document.urging_letter", letter.unit, actor, number)
    return data
