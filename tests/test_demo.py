"""seed-demo and create-admin."""
from sqlalchemy import func, select

from app.extensions import db
from app.models import Organization, OrgKind, Role, User, Village
from tests.conftest import DEMO_PASSWORD, login


def _count(stmt):
    return db.session.scalar(select(func.count()).select_from(stmt.subquery()))


def test_seed_demo_loads_phu_ninh(app, runner):
    result = runner.invoke(args=["seed-demo", "--password", DEMO_PASSWORD])
    assert result.exit_code == 0, result.output
    assert "tamdann" in result.output and DEMO_PASSWORD in result.output
    with app.app_context():
        assert _count(Organization.communes_query()) == 11
        assert _count(select(Village)) == 51
        assert _count(select(User)) == 20
        assert _count(select(Village).where(Village.name_confirmed.is_(False))) == 7
        an_my = db.session.scalars(select(Village).where(Village.name == "An Mỹ")).all()
        assert {v.commune.short_name for v in an_my} == {"Tam An", "Tam Lãnh"}
        roles = {u.username: (u.role, u.organization.kind) for u in db.session.scalars(select(User))}
        assert roles["vanphong"] == (Role.COORDINATOR, OrgKind.DISTRICT_OFFICE)
        assert roles["lanhdao"] == (Role.MONITOR, OrgKind.STEERING_COMMITTEE)
        assert roles["vhtt"] == (Role.MONITOR, OrgKind.DEPARTMENT)
        assert roles["tamdann"][1] == OrgKind.COMMUNE and roles["phuthinh"][1] == OrgKind.TOWN
        assert db.session.scalar(select(User).where(User.username == "tamdan")).organization.short_name == "Tam Dân"


def test_seed_demo_users_can_sign_in_with_the_printed_password(app, runner):
    runner.invoke(args=["seed-demo", "--password", DEMO_PASSWORD])
    client = app.test_client()
    assert login(client, "vanphong").status_code == 303


def test_seed_demo_prints_a_random_password_when_none_given(app, runner):
    result = runner.invoke(args=["seed-demo"])
    password = result.output.strip().rsplit(": ", 1)[1]
    assert len(password) >= 12
    assert login(app.test_client(), "tamphuoc", password).status_code == 303


def test_seed_demo_refuses_a_database_with_data(app, runner):
    runner.invoke(args=["seed-demo", "--password", DEMO_PASSWORD])
    result = runner.invoke(args=["seed-demo", "--password", "another-password-1"])
    assert result.exit_code != 0
    assert "--force" in result.output
    with app.app_context():
        assert _count(select(User)) == 20


def test_seed_demo_if_empty_leaves_existing_data_alone(app, runner):
    runner.invoke(args=["seed-demo", "--password", DEMO_PASSWORD])
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert login(app.test_client(), "admin").status_code == 303


def test_seed_demo_force_replaces_the_data(app, runner):
    runner.invoke(args=["seed-demo", "--password", DEMO_PASSWORD])
    result = runner.invoke(args=["seed-demo", "--force", "--password", "new-demo-password"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert _count(select(User)) == 20 and _count(select(Village)) == 51


def test_seed_demo_refuses_a_short_password(app, runner):
    result = runner.invoke(args=["seed-demo", "--password", "short"])
    assert result.exit_code == 2
    assert "Mật khẩu phải có từ 12 đến 128 ký tự." in result.output
    with app.app_context():
        assert _count(select(User)) == 0


def test_create_admin_prints_a_password_that_works(app, runner):
    result = runner.invoke(args=["create-admin", "bossman"])
    assert result.exit_code == 0, result.output
    password = result.output.strip().rsplit(": ", 1)[1]
    assert login(app.test_client(), "bossman", password).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "bossman")).role == Role.ADMIN


def test_create_admin_refuses_a_taken_or_bad_username(app, runner):
    runner.invoke(args=["create-admin", "bossman"])
    assert runner.invoke(args=["create-admin", "bossman"]).exit_code != 0
    assert runner.invoke(args=["create-admin", "Bad Name"]).exit_code != 0
    with app.app_context():
        assert _count(select(User)) == 1


def test_create_admin_goes_through_the_user_service_and_is_audited(app, runner):
    from app.models import AuditEvent
    assert runner.invoke(args=["create-admin", "bossman"]).exit_code == 0
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "bossman"))
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
        assert (event.object_type, event.object_id, event.user_id) == ("User", user.id, None)
        assert event.changes["role"] == [None, {"enum": "Role", "value": "admin"}]
        assert user.organization.name == "Quản trị hệ thống"
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.create")) is not None
