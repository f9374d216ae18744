"""Checking the rows of an uploaded sheet against the units, keeping them for the preview, importing them.

Nothing is imported unless every row is valid, and then all rows are imported in one transaction through the
directive services (add_item, assign_item).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app import audit
from app.directives import services as directive_services
from app.extensions import db
from app.forms import parse_date
from app.imports.reader import SheetRow, read_upload
from app.models import Directive, ImportDraft, Item, Organization, OrgKind, User
from app.permissions import units_in_scope
from app.rules import RuleError
from app.vntext import fold

# The headings of the template, as the messages name the columns (the sheet's own language).
COLUMN_NAMES = {"number": "STT", "title": "Nội dung nhiệm vụ", "lead": "Đơn vị chủ trì",
                "cooperating": "Đơn vị phối hợp", "deadline": "Thời hạn", "note": "Ghi chú"}
UNIT_SEPARATORS = re.compile(r"[,;\n]+")
# A lead-unit cell naming a whole group instead of units ("UBND các xã, thị trấn"), folded, punctuation dropped.
GROUPS = {"cac xa thi tran": "communes", "ubnd cac xa thi tran": "communes", "cac xa": "communes",
          "cac hoi doan the": "unions", "cac doanh nghiep": "partners"}
TITLE_LENGTH = 300
NOTE_LENGTH = 5000

NOTHING_IMPORTED = _l("Nothing was imported: correct the rows listed and upload the file again.")
PREVIEW_GONE = _l("This preview is no longer available: upload the file again.")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class PlannedItem:
    """One valid row: the item to add and the units to assign it to."""

    row: int
    title: str
    note: str
    deadline: date | None
    lead_units: list[Organization] = field(default_factory=list)
    cooperating_units: list[Organization] = field(default_factory=list)


class RowsRefused(RuleError):
    """Some rows are not valid: nothing is imported; `problems` lists them by row and column."""

    def __init__(self, problems: list[RowError], row_count: int):
        super().__init__(NOTHING_IMPORTED)
        self.problems, self.row_count = problems, row_count


@dataclass
class Preview:
    """What an upload would import, and the draft kept for its confirmation."""

    planned: list[PlannedItem]
    draft: ImportDraft


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _bare(text: str) -> str:
    """Folded, punctuation dropped, a leading "UBND" dropped: "UBND xã Tam Phước" -> "xa tam phuoc"."""
    words = re.sub(r"[^a-z0-9 ]", " ", fold(text)).split()
    return " ".join(words[1:] if words[:1] == ["ubnd"] else words)


class UnitDirectory:
    """Every unit of the actor's subtree by its full or short name: as written, then without diacritics when that
    is unambiguous."""

    def __init__(self, actor: User):
        self.actor = actor
        self.exact: dict[str, set[Organization]] = {}
        self.folded: dict[str, set[Organization]] = {}
        for unit in db.session.scalars(units_in_scope(actor).where(Organization.kind != OrgKind.AREA)):
            for name in {unit.name, unit.short_name}:
                self.exact.setdefault(_key(name), set()).add(unit)
                self.folded.setdefault(_bare(name), set()).add(unit)
                self.folded.setdefault(fold(name), set()).add(unit)

    def find(self, text: str) -> tuple[Organization | None, str | None]:
        """The unit named `text`, or None and the reason."""
        found = self.exact.get(_key(text)) or self.folded.get(fold(text)) or self.folded.get(_bare(text)) or set()
        if len(found) > 1:
            names = ", ".join(sorted(unit.name for unit in found))
            return None, str(_l("“%(text)s” could be %(units)s: write the name with its diacritics.",
                                text=text, units=names))
        if not found:
            return None, str(_l("No unit is called “%(text)s”.", text=text))
        unit = next(iter(found))
        if not unit.active:
            return None, str(_l("%(unit)s is no longer active.", unit=unit.name))
        return unit, None


def _deadline(text: str) -> date | None:
    """A date cell (kept as ISO) or dd/mm/yyyy typed as text (also with dots or dashes); ValueError otherwise."""
    if not text:
        return None
    day = parse_date(text) or parse_date(re.sub(r"[.-]", "/", text))
    if day is None:
        raise ValueError(text)
    return day


def _units(cell: str, directory: UnitDirectory, column: str, row: int, errors: list[RowError],
           allow_groups: bool) -> list[Organization]:
    if allow_groups and (group := GROUPS.get(_bare(cell))):
        ids = directive_services.units_of_group(group, directory.actor)
        return list(db.session.scalars(select(Organization).where(Organization.id.in_(ids))
                                       .order_by(*Organization.picker_order())))
    units = []
    for name in (part.strip() for part in UNIT_SEPARATORS.split(cell)):
        if not name:
            continue
        unit, problem = directory.find(name)
        if problem:
            errors.append(RowError(row, COLUMN_NAMES[column], problem))
        elif unit not in units:
            units.append(unit)
    return units


def check_rows(directive: Directive, rows: list[SheetRow], actor: User) -> tuple[list[PlannedItem], list[RowError]]:
    """Every row checked: the items to import, and every problem by row and column. RuleError when nothing may
    be added to the directive at all (it is cancelled)."""
    if directive.cancelled_on is not None:
        raise RuleError(directive_services.CANCELLED_DIRECTIVE)
    directory = UnitDirectory(actor)
    planned, errors = [], []
    for sheet_row in rows:
        row, before = sheet_row.row, len(errors)
        if not sheet_row.title:
            errors.append(RowError(row, COLUMN_NAMES["title"], str(_l("The task's content is empty."))))
        elif len(sheet_row.title) > TITLE_LENGTH:
            errors.append(RowError(row, COLUMN_NAMES["title"],
                                   str(_l("At most %(n)d characters.", n=TITLE_LENGTH))))
        if len(sheet_row.note) > NOTE_LENGTH:
            errors.append(RowError(row, COLUMN_NAMES["note"], str(_l("At most %(n)d characters.", n=NOTE_LENGTH))))
        if not sheet_row.lead.strip():
            errors.append(RowError(row, COLUMN_NAMES["lead"], str(_l("Name the lead unit."))))
        leads = _units(sheet_row.lead, directory, "lead", row, errors, allow_groups=True)
        cooperating = _units(sheet_row.cooperating, directory, "cooperating", row, errors, allow_groups=False)
        try:
            deadline = _deadline(sheet_row.deadline)
        except ValueError:
            deadline = None
            errors.append(RowError(row, COLUMN_NAMES["deadline"], str(_l(
                "“%(text)s” is not a date: write it as dd/mm/yyyy.", text=sheet_row.deadline))))
        if deadline and deadline < directive.issued_on:
            errors.append(RowError(row, COLUMN_NAMES["deadline"], str(_l(
                "The deadline is before the directive's issue date (%(date)s).",
                date=directive.issued_on.strftime("%d/%m/%Y")))))
        if len(errors) == before:
            planned.append(PlannedItem(row, sheet_row.title, sheet_row.note, deadline, leads,
                                       [unit for unit in cooperating if unit not in leads]))
    return planned, errors


def preview_upload(directive: Directive, actor: User, upload, max_bytes: int) -> Preview:
    """Read an uploaded sheet (a werkzeug FileStorage) and keep its rows for the preview. FileRefused for a file
    that cannot be read, RowsRefused when some rows are not valid, RuleError when the directive takes no items."""
    rows, digest = read_upload(upload, max_bytes)
    planned, errors = check_rows(directive, rows, actor)
    if errors:
        raise RowsRefused(errors, len(rows))
    return Preview(planned, keep_draft(directive, actor, digest, upload.filename, rows))


def keep_draft(directive: Directive, actor: User, digest: str, filename: str, rows: list[SheetRow]) -> ImportDraft:
    """Keep the rows for the preview; the user's earlier drafts for this directive are dropped."""
    db.session.execute(delete(ImportDraft).where(ImportDraft.created_by_id == actor.id,
                                                 ImportDraft.directive_id == directive.id))
    draft = ImportDraft(digest=digest, directive_id=directive.id, created_by_id=actor.id, filename=filename[:200],
                        rows=[row.to_json() for row in rows], created_at=datetime.now().astimezone())
    db.session.add(draft)
    db.session.commit()
    return draft


def find_draft(directive: Directive, actor: User, digest: str) -> ImportDraft:
    """The actor's preview of this directive with this digest; RuleError when it is gone (imported, replaced by a
    later upload) or was never theirs."""
    draft = db.session.scalar(select(ImportDraft).where(ImportDraft.directive_id == directive.id,
                                                        ImportDraft.created_by_id == actor.id,
                                                        ImportDraft.digest == digest))
    if draft is None:
        raise RuleError(PREVIEW_GONE)
    return draft


def draft_rows(draft: ImportDraft) -> list[SheetRow]:
    return [SheetRow(**row) for row in draft.rows]


def import_draft(directive: Directive, actor: User, digest: str) -> list[Item]:
    """Add every row of the previewed draft as an item and assign it, all in one transaction; RuleError (or
    RowsRefused) and nothing written on any problem.

    The rows are checked again: units may have changed since the preview.
    """
    draft = find_draft(directive, actor, digest)
    rows = draft_rows(draft)
    planned, errors = check_rows(directive, rows, actor)
    if errors:
        raise RowsRefused(errors, len(rows))
    items = []
    try:
        for plan in planned:
            item = directive_services.add_item(directive, actor, title=plan.title, description=plan.note,
                                               default_deadline=plan.deadline, kpi=None, commit=False)
            directive_services.assign_item(item, actor, lead_unit_ids=[unit.id for unit in plan.lead_units],
                                           cooperating_unit_ids=[unit.id for unit in plan.cooperating_units],
                                           deadline=plan.deadline or directive.final_deadline, commit=False)
            items.append(item)
        audit.record("directive.import", directive, actor=actor, changes={
            "imported_items": (None, len(items)), "file": (None, draft.filename)})
        db.session.delete(draft)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return items
