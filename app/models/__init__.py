"""Domain models; import from here."""
from app.models.audit import AuditEvent
from app.models.directive import (
                                  CLOSED_STATUSES,
                                  Directive,
                                  DocType,
                                  Item,
                                  Kpi,
                                  Recurrence,
                                  Task,
                                  TaskClass,
                                  TaskStatus,
                                  TaskUpdate,
                                  task_cooperator,
)
from app.models.evidence import Attachment, AttachmentBlob, FileKind
from app.models.extension import ExtensionDecision, ExtensionRequest
from app.models.followup import CalendarDay, EmailMessage, EmailState, Instruction, Reminder
from app.models.imports import ImportDraft
from app.models.notification import Notification, NotificationKind
from app.models.org import COMMUNE_LEVEL, Organization, OrgKind, Village, VillageKind
from app.models.registry import (
                                  SKILL_COLUMNS,
                                  TICKET_TRANSITIONS,
                                  Affiliation,
                                  OutreachActivity,
                                  OutreachKind,
                                  SupportTicket,
                                  Team,
                                  TeamMember,
                                  TeamPosition,
                                  TicketEvent,
                                  TicketKind,
                                  TicketStatus,
                                  TicketTransition,
                                  outreach_village,
)
from app.models.submission import Submission
from app.models.token import ApiToken
from app.models.user import Role, User

__all__ = [
    "AuditEvent", "ImportDraft", "CLOSED_STATUSES", "Directive", "DocType", "Item", "Kpi", "Task", "TaskClass",
    "TaskStatus", "TaskUpdate", "task_cooperator", "COMMUNE_LEVEL", "Organization", "OrgKind", "Village",
    "VillageKind", "SKILL_COLUMNS",
    "Affiliation", "OutreachActivity", "OutreachKind", "SupportTicket", "Team", "TeamMember", "TeamPosition",
    "TicketEvent", "TicketKind", "TicketStatus", "TICKET_TRANSITIONS", "TicketTransition", "outreach_village",
    "Role", "User", "Submission", "ApiToken", "Notification", "NotificationKind",
    "CalendarDay", "EmailMessage", "EmailState", "Instruction", "Reminder", "Recurrence",
    "Attachment", "AttachmentBlob", "FileKind", "ExtensionDecision", "ExtensionRequest",
]
