"""Who may do what: the role table, object rules, the view decorator and scoped list queries.

Every view is decorated with @require(ACTION) or @public; tests walk app.url_map and fail on a view
that has neither. Views and templates ask the same question through can().
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, select

from app.extensions import db, login_manager
from app.models import Role, User, Village

PUBLIC = "public"
ADMIN, COORDINATOR, MONITOR, OFFICER = Role.ADMIN, Role.COORDINATOR, Role.MONITOR, Role.OFFICER
EVERYONE = frozenset(Role)
# Roles that see every unit's objects; officers see only their own unit's.
DISTRICT_WIDE = frozenset({ADMIN, COORDINATOR, MONITOR})

# Permission name -> roles that hold it. The only place roles are mapped to actions.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "dashboard.view": EVERYONE,
    "account.use": EVERYONE,
    "admin.manage": frozenset({ADMIN}),
}

# Object rules: action -> predicate(user, obj), checked after the role table when an object is given.
OBJECT_RULES: dict[str, Callable[[User, Any], bool]] = {}

# Model -> SQL condition limiting an officer to their own unit's rows.
SCOPES: dict[type, Callable[[User], Any]] = {
    Village: lambda user: Village.commune_id == user.organization_id,
}


def sees_everything(user: User) -> bool:
    """Admins, coordinators and monitors see every unit's objects."""
    return user.role in DISTRICT_WIDE


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether the user may perform the action (on the object, when one is given)."""
    if action == PUBLIC:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role not in PERMISSIONS[action]:
        return False
    rule = OBJECT_RULES.get(action)
    return obj is None or rule is None or rule(user, obj)


def require(action: str):
    """View decorator: sign-in, then the role table; 403 when the role lacks the permission."""
    if action != PUBLIC and action not in PERMISSIONS:
        raise KeyError(f"unknown permission {action!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if action != PUBLIC:
                if not current_user.is_authenticated:
                    return login_manager.unauthorized()
                if not can(current_user, action):
                    abort(403)
            return view(*args, **kwargs)

        wrapped.policy = action
        return wrapped

    return decorator


public = require(PUBLIC)


def scoped(model: type, user: User, stmt: Select | None = None) -> Select:
    """A SELECT of `model` limited to the rows the user may see."""
    stmt = select(model) if stmt is None else stmt
    if sees_everything(user) or model not in SCOPES:
        return stmt
    return stmt.where(SCOPES[model](user))


def get_visible_or_404(model: type, object_id: int, user: User):
    """The object if the user may see it; otherwise 404, so its existence is not revealed."""
    obj = db.session.scalar(scoped(model, user).where(model.id == object_id))
    if obj is None:
        abort(404)
    return obj
