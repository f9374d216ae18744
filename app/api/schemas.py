"""What the API reads and writes, as marshmallow schemas: flask-smorest serialises with them and documents
them in the OpenAPI document. Enumerations come from the models, so a new status appears here by itself."""
from __future__ import annotations

from datetime import timezone

import marshmallow as ma
from marshmallow import fields, validate

from app.clock import as_utc
from app.forms import MAX_ID
from app.models import (
    SKILL_COLUMNS,
    TICKET_TRANSITIONS,
    DocType,
    OutreachKind,
    TaskClass,
    TaskStatus,
    TicketKind,
    TicketStatus,
)

API_PAGE_SIZE = 25  # rows of a page when the client asks for no limit, as on the web
API_MAX_PAGE_SIZE = 100  # the most a client may ask for: one page stays one quick query

Id = lambda **kw: fields.Integer(validate=validate.Range(1, MAX_ID), **kw)  # noqa: E731


class UtcDateTime(fields.AwareDateTime):
    """ISO 8601 with its offset, both ways: SQLite hands back naive times, which are UTC."""

    def __init__(self, **kwargs):
        super().__init__(default_timezone=timezone.utc, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        # In UTC, as times are stored: SQLite compares them as text, whatever offset the client wrote.
        return super()._deserialize(value, attr, data, **kwargs).astimezone(timezone.utc)

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(as_utc(value) if value is not None else None, attr, obj, **kwargs)


class Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class PageQuery(Strict):
    cursor = fields.String(validate=validate.Length(max=200),
                           metadata={"description": "next_cursor of the previous page; absent for the first page"})
    limit = fields.Integer(load_default=API_PAGE_SIZE, validate=validate.Range(1, API_MAX_PAGE_SIZE))


class UnitRef(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class DirectiveOut(ma.Schema):
    id = fields.Integer(required=True)
    number = fields.String(required=True)
    doc_type = fields.Enum(DocType, by_value=True, required=True)
    issuer = fields.String(required=True)
    issued_on = fields.Date(required=True)
    signer = fields.String(required=True)
    summary = fields.String(required=True)
    final_deadline = fields.Date(allow_none=True, required=True)
    cancelled_on = fields.Date(allow_none=True, required=True)


class ItemOut(ma.Schema):
    id = fields.Integer(required=True)
    directive_id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    default_deadline = fields.Date(allow_none=True, required=True)
    kpi = fields.Function(lambda item: item.kpi.value if item.kpi else None, allow_none=True, required=True,
                          metadata={"type": "string"})
    kpi_target = fields.Integer(required=True)


class TaskOut(ma.Schema):
    id = fields.Integer(required=True)
    item_id = fields.Integer(required=True)
    item_title = fields.Function(lambda task: task.item.title, required=True, metadata={"type": "string"})
    directive_id = fields.Function(lambda task: task.item.directive_id, required=True, metadata={"type": "integer"})
    directive_number = fields.Function(lambda task: task.item.directive.number, required=True,
                                       metadata={"type": "string"})
    lead_unit = fields.Nested(UnitRef, required=True)
    cooperating_units = fields.List(fields.Nested(UnitRef), required=True)
    deadline = fields.Date(allow_none=True, required=True, metadata={"description": "the original deadline"})
    effective_deadline = fields.Date(allow_none=True, required=True,
                                     metadata={"description": "an approved extension, else the original deadline"})
    status = fields.Enum(TaskStatus, by_value=True, required=True)
    task_class = fields.Enum(TaskClass, by_value=True, required=True, data_key="class")
    progress = fields.Integer(required=True, attribute="shown_progress")
    progress_from_coverage = fields.Boolean(required=True,
                                            metadata={"description": "progress is the commune's team coverage"})
    completed_on = fields.Date(allow_none=True, required=True)
    version = fields.Integer(required=True, metadata={"description": "the ETag's value; send it in If-Match"})
    updated_at = UtcDateTime(required=True)


class TaskQuery(PageQuery):
    unit_id = Id(metadata={"description": "lead unit"})
    directive_id = Id()
    task_class = fields.Enum(TaskClass, by_value=True, data_key="class")
    status = fields.Enum(TaskStatus, by_value=True)
    updated_since = UtcDateTime(metadata={"description": "ISO 8601; without an offset, UTC"})


class TaskChange(Strict):
    status = fields.Enum(TaskStatus, by_value=True, metadata={"description": "unchanged when absent"})
    progress = fields.Integer(validate=validate.Range(0, 100), metadata={"description": "unchanged when absent"})
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class TaskUpdateOut(ma.Schema):
    id = fields.Integer(required=True)
    at = UtcDateTime(required=True)
    author = fields.Function(lambda entry: entry.author.full_name if entry.author else None, allow_none=True,
                             required=True, metadata={"type": "string"})
    old_status = fields.Enum(TaskStatus, by_value=True, allow_none=True, required=True)
    new_status = fields.Enum(TaskStatus, by_value=True, required=True)
    old_progress = fields.Integer(allow_none=True, required=True)
    new_progress = fields.Integer(required=True)
    note = fields.String(required=True)


class CoverageOut(ma.Schema):
    commune_id = fields.Integer(allow_none=True, required=True)
    name = fields.String(required=True)
    villages = fields.Integer(required=True)
    covered = fields.Integer(required=True)
    percent = fields.Integer(required=True)


class CoverageReport(ma.Schema):
    district = fields.Nested(CoverageOut, required=True)
    communes = fields.List(fields.Nested(CoverageOut), required=True)


class OutreachQuery(Strict):
    unit_id = Id()
    kind = fields.Enum(OutreachKind, by_value=True)
    month = fields.String(validate=validate.Regexp(r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$"), metadata={"example": "2026-11"})


# The overall row and each kind's: counts of activities and people, one per basic digital skill as the model has them.
OutreachTotals = ma.Schema.from_dict({
    "kind": fields.Enum(OutreachKind, by_value=True, allow_none=True, required=True,
                        metadata={"description": "null in the overall row"}),
    **{count: fields.Integer(required=True) for count in ("activities", "participants", "households", *SKILL_COLUMNS)},
}, name="OutreachTotals")


class OutreachReport(ma.Schema):
    overall = fields.Nested(OutreachTotals, required=True)
    by_kind = fields.List(fields.Nested(OutreachTotals), required=True)


class TicketOut(ma.Schema):
    id = fields.Integer(required=True)
    commune = fields.Nested(UnitRef, required=True)
    partner = fields.Nested(UnitRef, required=True)
    village_id = fields.Integer(allow_none=True, required=True)
    kind = fields.Enum(TicketKind, by_value=True, required=True)
    description = fields.String(required=True)
    wanted_by = fields.Date(allow_none=True, required=True)
    status = fields.Enum(TicketStatus, by_value=True, required=True)
    version = fields.Integer(required=True)
    created_at = UtcDateTime(required=True)


class TicketQuery(PageQuery):
    status = fields.Enum(TicketStatus, by_value=True)


class TicketMove(Strict):
    action = fields.String(required=True, validate=validate.OneOf(sorted(TICKET_TRANSITIONS)))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class ItemQuery(PageQuery):
    directive_id = Id()


def page_of(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """A page schema: the items and the cursor of the next page (null on the last one)."""
    return ma.Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema), required=True),
        "next_cursor": fields.String(allow_none=True, required=True),
    }, name=f"{item_schema.__name__.removesuffix('Out')}Page")
