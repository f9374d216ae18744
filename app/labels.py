"""Vietnamese (translatable) names of the domain's enumerations, for forms and pages."""
from flask_babel import lazy_gettext as _l

from app.models import OrgKind, Role, VillageKind

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


def choices(labels: dict) -> list[tuple[str, str]]:
    """SelectField choices from a label table."""
    return [(member.value, label) for member, label in labels.items()]
