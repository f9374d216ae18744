"""Domain models; import from here."""
from app.models.org import Organization, OrgKind, Village, VillageKind
from app.models.user import Role, User

__all__ = ["Organization", "OrgKind", "Village", "VillageKind", "Role", "User"]
