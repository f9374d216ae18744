"""Teams keep the day they stopped (deactivated_on), for coverage as of a past date

Revision ID: 954180a911be
Revises: e22e31fadf93
Create Date: 2026-12-01 09:46:50.426149

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '954180a911be'
down_revision = 'e22e31fadf93'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deactivated_on', sa.Date(), nullable=True))
    # Teams stopped before this revision: the day of their deactivation's audit row (UTC date, close enough);
    # a team with no such row keeps no date and never counts in past coverage.
    day = "date(MAX(audit_event.at))" if op.get_bind().dialect.name == "sqlite" else "CAST(MAX(audit_event.at) AS DATE)"
    op.execute(f"""
        UPDATE team SET deactivated_on = (
            SELECT {day} FROM audit_event
            WHERE audit_event.action = 'team.deactivate' AND audit_event.object_type = 'Team'
              AND audit_event.object_id = team.id)
        WHERE NOT team.active
    """)


def downgrade():
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_column('deactivated_on')
