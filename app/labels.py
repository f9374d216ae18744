"""Vietnamese (translatable) names of the domain's enumerations, for forms and pages."""
from flask_babel import lazy_gettext as _l

from app.models import (
    Affiliation,
    DocType,
    ExtensionDecision,
    Kpi,
    NotificationKind,
    OrgKind,
    OutreachKind,
    Recurrence,
    Role,
    TaskClass,
    TaskStatus,
    TeamPosition,
    TicketKind,
    TicketStatus,
    VillageKind,
)

ORG_KIND_LABELS = {
    OrgKind.DISTRICT_OFFICE: _l("District office"),
    OrgKind.DEPARTMENT: _l("Department"),
    OrgKind.COMMUNE: _l("Commune"),
    OrgKind.TOWN: _l("Town"),
    OrgKind.UNION: _l("Union"),
    OrgKind.PARTNER: _l("Partner enterprise"),
    OrgKind.STEERING_COMMITTEE: _l("Steering committee"),
    OrgKind.AREA: _l("Administrative level (province, district)"),
}

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.MONITOR: _l("Monitor"),
    Role.OFFICER: _l("Officer"),
}

VILLAGE_KIND_LABELS = {
    VillageKind.VILLAGE: _l("Village"),
    VillageKind.URBAN_BLOCK: _l("Urban block"),
}

TEAM_POSITION_LABELS = {
    TeamPosition.LEADER: _l("Team leader"),
    TeamPosition.DEPUTY: _l("Deputy leader"),
    TeamPosition.MEMBER: _l("Member"),
}

AFFILIATION_LABELS = {
    Affiliation.COMMUNE_OFFICER: _l("Commune officer"),
    Affiliation.VILLAGE_HEAD: _l("Village head"),
    Affiliation.YOUTH_UNION: _l("Youth Union"),
    Affiliation.WOMENS_UNION: _l("Women's Union"),
    Affiliation.POLICE: _l("Police"),
    Affiliation.PARTNER_STAFF: _l("Partner staff"),
    Affiliation.OTHER: _l("Other"),
}

OUTREACH_KIND_LABELS = {
    OutreachKind.HOUSEHOLD_VISITS: _l("Household visits"),
    OutreachKind.MEETING: _l("Meeting"),
    OutreachKind.TRAINING_CLASS: _l("Training session"),
    OutreachKind.LOUDSPEAKER: _l("Loudspeaker / radio"),
    OutreachKind.SOCIAL_MEDIA: _l("Social media"),
    OutreachKind.ECOMMERCE_ONBOARDING: _l("E-commerce onboarding"),
    OutreachKind.PUBLIC_SERVICES_GUIDANCE: _l("Online public services guidance"),
}

# The five basic digital skills, by the OutreachActivity column that counts the people helped.
SKILL_LABELS = {
    "helped_public_services": _l("Online public services"),
    "helped_online_shopping": _l("Online shopping"),
    "helped_online_payment": _l("Online payment"),
    "helped_online_safety": _l("Staying safe online"),
    "helped_local_platforms": _l("Local digital platforms"),
}

TICKET_KIND_LABELS = {
    TicketKind.SOFTWARE_INSTALL: _l("Software installation"),
    TicketKind.ECOMMERCE_SHOP: _l("E-commerce shop setup"),
    TicketKind.DIGITAL_SIGNATURE: _l("Digital signature"),
    TicketKind.PUBLIC_SERVICES_ACCOUNT: _l("Online public services account"),
    TicketKind.TRAINING: _l("Training"),
    TicketKind.CONNECTIVITY: _l("Connectivity"),
}

TICKET_STATUS_LABELS = {
    TicketStatus.REQUESTED: _l("Requested"),
    TicketStatus.IN_PROGRESS: _l("In progress"),
    TicketStatus.DONE: _l("Done, awaiting confirmation"),
    TicketStatus.CONFIRMED: _l("Confirmed"),
    TicketStatus.REOPENED: _l("Reopened"),
}


DOC_TYPE_LABELS = {
    DocType.OFFICIAL_LETTER: _l("Official letter"),
    DocType.PLAN: _l("Plan"),
    DocType.DECISION: _l("Decision"),
    DocType.INSTRUCTION: _l("Directive (instruction)"),
    DocType.NOTICE: _l("Notice"),
    DocType.RESOLUTION: _l("Resolution"),
    DocType.DISPATCH: _l("Urgent dispatch"),
    DocType.GUIDANCE: _l("Guidance"),
    DocType.PROGRAMME: _l("Programme"),
}

KPI_LABELS = {
    Kpi.TEAM_COVERAGE: _l("Villages with a Community Technology Team"),
}

TASK_STATUS_LABELS = {
    TaskStatus.ASSIGNED: _l("Not started"),
    TaskStatus.IN_PROGRESS: _l("In progress"),
    TaskStatus.SUBMITTED: _l("Awaiting review"),
    TaskStatus.DONE: _l("Done"),
    TaskStatus.CANCELLED: _l("Cancelled"),
}

TASK_CLASS_LABELS = {
    TaskClass.OPEN_ON_TIME: _l("In progress, on time"),
    TaskClass.OPEN_OVERDUE: _l("Overdue, not done"),
    TaskClass.DONE_ON_TIME: _l("Done on time"),
    TaskClass.DONE_LATE: _l("Done late"),
    TaskClass.NO_DEADLINE: _l("No deadline"),
    TaskClass.CANCELLED: _l("Cancelled"),
}

EXTENSION_DECISION_LABELS = {
    ExtensionDecision.APPROVED: _l("Extension approved"),
    ExtensionDecision.REJECTED: _l("Extension refused"),
}


NOTIFICATION_KIND_LABELS = {
    NotificationKind.ASSIGNED: _l("New task for your unit"),
    NotificationKind.SUBMITTED: _l("Completion reported: waiting for your review"),
    NotificationKind.RETURNED: _l("Reported completion returned"),
    NotificationKind.ACCEPTED: _l("Reported completion accepted"),
    NotificationKind.EXTENSION_REQUESTED: _l("Extension requested: waiting for your decision"),
    NotificationKind.EXTENSION_DECIDED: _l("Extension request decided"),
    NotificationKind.INSTRUCTION: _l("Instruction received"),
    NotificationKind.URGED: _l("Urged by the district office"),
    NotificationKind.DUE_SOON: _l("Due within 3 working days"),
    NotificationKind.OVERDUE: _l("Overdue"),
    NotificationKind.TICKET_TO_CONFIRM: _l("Support done: waiting for your confirmation"),
    NotificationKind.TICKET_NEW: _l("New support request"),
}

RECURRENCE_LABELS = {
    Recurrence.MONTH: _l("Monthly"),
    Recurrence.QUARTER: _l("Quarterly"),
    Recurrence.HALF_YEAR: _l("Every 6 months"),
    Recurrence.YEAR: _l("Yearly"),
}


def choices(labels: dict) -> list[tuple[str, str]]:
    """SelectField choices from a label table."""
    return [(member.value, label) for member, label in labels.items()]




# The groups of unit pickers and tables, by Organization.kind_group() (app.models.org.KIND_GROUPS).
UNIT_GROUP_LABELS = {
    0: _l("District offices"), 1: _l("Departments"), 2: _l("Communes and the town"), 3: _l("Unions"),
    4: _l("Partner enterprises"),
}


# Enum type -> its label table, for the one `|label` filter of the templates.
LABELS_BY_ENUM = {
    OrgKind: ORG_KIND_LABELS, Role: ROLE_LABELS, VillageKind: VILLAGE_KIND_LABELS,
    TeamPosition: TEAM_POSITION_LABELS, Affiliation: AFFILIATION_LABELS, OutreachKind: OUTREACH_KIND_LABELS,
    TicketKind: TICKET_KIND_LABELS, TicketStatus: TICKET_STATUS_LABELS, DocType: DOC_TYPE_LABELS, Kpi: KPI_LABELS,
    TaskStatus: TASK_STATUS_LABELS, TaskClass: TASK_CLASS_LABELS, ExtensionDecision: EXTENSION_DECISION_LABELS,
    NotificationKind: NOTIFICATION_KIND_LABELS, Recurrence: RECURRENCE_LABELS,
}
# Names for plain stored values whose enum the template cannot know (a class computed in SQL).
ENUMS_BY_NAME = {enum_type.__name__: enum_type for enum_type in LABELS_BY_ENUM}


def register(enum_type: type, labels: dict) -> None:
    """Give `|label` an area's own enum (one the models do not hold, such as a report's period kind)."""
    LABELS_BY_ENUM[enum_type] = labels
    ENUMS_BY_NAME[enum_type.__name__] = enum_type


def label(value, enum_name: str | None = None) -> str:
    """The Vietnamese name of an enum member; a plain value needs its enum's name: `cls|label("TaskClass")`."""
    if value is None or value == "":
        return ""
    enum_type = ENUMS_BY_NAME[enum_name] if enum_name else type(value)
    return LABELS_BY_ENUM[enum_type][enum_type(value)]
