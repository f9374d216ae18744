"""Every member of every enum the templates name through `|label` has its Vietnamese name."""
import pytest
from flask_babel import force_locale

from app.extensions import db
from app.labels import LABELS_BY_ENUM, label
from app.models import Notification, NotificationKind, OrgKind, Role
from tests.conftest import login
from tests.factories import PASSWORD, make_task, make_unit, make_user


@pytest.mark.parametrize("enum_type", list(LABELS_BY_ENUM), ids=lambda enum_type: enum_type.__name__)
def test_every_member_has_a_label(app, enum_type):
    assert [member for member in enum_type if member not in LABELS_BY_ENUM[enum_type]] == []
    with app.test_request_context(), force_locale("vi"):
        assert all(label(member) for member in enum_type)


def test_the_office_sees_a_notification_of_every_kind_listed(app, client):
    """A reported completion and an extension request are named (once a 500: they had no label)."""
    with app.app_context():
        task = make_task(make_unit())
        office = make_user(role=Role.COORDINATOR, unit=make_unit("Văn phòng", kind=OrgKind.DISTRICT_OFFICE))
        db.session.add_all([Notification(kind=kind, recipient_id=office.id, task_id=task.id)
                            for kind in NotificationKind])
        db.session.commit()
        username = office.username
    assert login(client, username, PASSWORD).status_code == 303
    response = client.get("/notifications")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "báo cáo hoàn thành: chờ duyệt" in page and "Đề nghị gia hạn: chờ quyết định" in page
