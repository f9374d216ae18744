"""Every screen, as each kind of user opens it by URL, passes the checks of checks.audit.

The flows (test_flows_*.py) audit the states they create on the way; this table covers the screens a user reaches by
a link or a typed URL. A new screen is one row: (name, username or None, path with {lookup} ids from served_db.py).
"""
from __future__ import annotations

from typing import NamedTuple

import pytest

from tests.browser.checks import audit

pytestmark = pytest.mark.browser
READS_ONLY = True


class Screen(NamedTuple):
    name: str
    user: str | None
    path: str


SCREENS = [
    Screen("login", None, "/login"),
    Screen("public", None, "/cong-khai"),
    # District office (coordinator)
    Screen("dashboard-coordinator", "vanphong", "/"),
    Screen("directives", "vanphong", "/directives"),
    Screen("directive-new", "vanphong", "/directives/new"),
    Screen("directive-demo", "vanphong", "/directives/{demo_directive}"),
    Screen("tasks-coordinator", "vanphong", "/tasks"),
    Screen("task-coordinator", "vanphong", "/tasks/{overdue_task}"),
    Screen("task-assignment", "vanphong", "/tasks/{overdue_task}/assignment"),
    Screen("teams-coordinator", "vanphong", "/teams"),
    Screen("outreach-coordinator", "vanphong", "/outreach"),
    Screen("support-coordinator", "vanphong", "/support"),
    # Commune (officer)
    Screen("dashboard-commune", "tamphuoc", "/"),
    Screen("tasks-commune", "tamphuoc", "/tasks"),
    Screen("task-commune", "tamphuoc", "/tasks/{task_of_tamphuoc}"),
    Screen("teams-commune", "tamphuoc", "/teams"),
    Screen("team-commune", "tamphuoc", "/teams/{team_of_tamphuoc}"),
    Screen("team-new-commune", "tamdann", "/teams/new"),
    Screen("villages-commune", "tamphuoc", "/villages"),
    Screen("village-edit-commune", "tamphuoc", "/villages/{village_of_tamphuoc}/edit"),
    Screen("outreach-commune", "tamphuoc", "/outreach"),
    Screen("support-commune", "tamphuoc", "/support"),
    Screen("support-new-commune", "tamphuoc", "/support/new"),
    Screen("password-change-commune", "tamphuoc", "/account/password"),
    # Union co-operating on a task: a note form instead of the status form
    Screen("task-cooperating-union", "hoiphunu", "/tasks/{task_hoiphunu_cooperates_on}"),
    Screen("outreach-union", "hoiphunu", "/outreach"),
    # Partner: its dashboard and tasks, its own tickets, one ticket's page
    Screen("dashboard-partner", "vnpt", "/"),
    Screen("tasks-partner", "vnpt", "/tasks"),
    Screen("task-partner", "vnpt", "/tasks/{task_of_vnpt}"),
    Screen("support-partner", "viettel", "/support"),
    Screen("ticket-partner", "viettel", "/support/{ticket_of_viettel}"),
    # Leadership (monitor); its task page is audited in flow 6
    Screen("dashboard-monitor", "lanhdao", "/"),
    Screen("teams-monitor", "lanhdao", "/teams"),
    Screen("villages-monitor", "lanhdao", "/villages"),
    Screen("outreach-monitor", "lanhdao", "/outreach"),
    Screen("support-monitor", "lanhdao", "/support"),
    # Administrator: the screens grouped under the menu's one administration entry
    Screen("admin-units", "admin", "/admin/units"),
    Screen("admin-users", "admin", "/admin/users"),
    Screen("admin-audit", "admin", "/admin/audit"),
    # API: a user's tokens, every token for the administrator, the operations for anyone
    Screen("account-tokens", "tamphuoc", "/account"),
    Screen("admin-tokens", "admin", "/admin/tokens"),
    Screen("api-docs", None, "/docs/api"),
    Screen("admin-calendar", "admin", "/admin/calendar"),
    Screen("admin-email", "admin", "/admin/email"),
    Screen("account-commune", "tamphuoc", "/account"),
    Screen("urge-unit", "vanphong", "/tasks/{overdue_task}/urge"),
    # A list with nothing in it says what to do
    Screen("tasks-filtered-to-nothing", "tamphuoc", "/tasks?q=khongcoviecnao"),
    Screen("teams-commune-without-team", "tamdann", "/teams"),
    # Administrator: adds villages and moves them between communes on the one village screen
    Screen("villages-admin", "admin", "/villages"),
    Screen("village-new-admin", "admin", "/villages/new"),
    Screen("village-edit-admin", "admin", "/villages/{village_of_tamphuoc}/edit"),
]


@pytest.mark.parametrize("screen", SCREENS, ids=[screen.name for screen in SCREENS])
def test_screen_passes_every_check(tab_of, demo_data, screen):
    tab = tab_of(screen.user)
    response = tab.page.goto(screen.path.format(**demo_data))
    assert response is not None and response.ok, f"{screen.path} answered {response and response.status}"
    audit(tab, screen.name)
