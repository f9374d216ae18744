"""Vietnamese (translatable) names of the domain's enumerations, for forms and pages."""
from flask_babel import lazy_gettext as _l

from app.models import DocType, Kpi, OrgKind, Role, TaskStatus, VillageKind
from app.task_classes import TaskClass

ORG_KIND_LABELS = {
    OrgKind.DISTRICT_OFFICE: _l("District office"),
    OrgKind.DEPARTMENT: _l("Department"),
    OrgKind.COMMUNE: _l("Commune"),
    OrgKind.TOWN: _l("Town"),
    OrgKind.UNION: _l("Union"),
    OrgKind.PARTNER: _l("Partner enterprise"),
    OrgKind.STEERING_COMMITTEE: _l("Steering committee"),
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


DOC_TYPE_LABELS = {
    DocType.OFFICIAL_LETTER: _l("Official letter"),
    DocType.PLAN: _l("Plan"),
    DocType.DECISION: _l("Decision"),
    DocType.INSTRUCTION: _l("Directive (instruction)"),
    DocType.NOTICE: _l("Notice"),
}

KPI_LABELS = {
    Kpi.TEAM_COVERAGE: _l("Villages with a Community Technology Team"),
}

TASK_STATUS_LABELS = {
    TaskStatus.ASSIGNED: _l("Not started"),
    TaskStatus.IN_PROGRESS: _l("In progress"),
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


def choices(labels: dict) -> list[tuple[str, str]]:
    """SelectField choices from a label table."""
    return [(member.value, label) for member, label in labels.items()]
