"""Each coverage item keeps its own target (percent of villages; existing items keep the 100% they had)

Revision ID: 7e1bee4e3483
Revises: e1ff6abc9127
Create Date: 2026-12-01 09:40:06.826571

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e1bee4e3483'
down_revision = 'e1ff6abc9127'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kpi_target', sa.Integer(), server_default='100', nullable=False))


def downgrade():
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_column('kpi_target')
