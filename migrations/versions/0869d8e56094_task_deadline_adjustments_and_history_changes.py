"""task deadline adjustments keep who, when and why; history rows keep changed fields

The original Task.deadline is never overwritten: an adjusted deadline goes to extended_deadline with
extended_by_id, extended_at and extension_reason; TaskUpdate.changes holds other changed fields (old, new).

Revision ID: 0869d8e56094
Revises: 7e1bee4e3483
Create Date: 2026-12-01 09:35:52.294875

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0869d8e56094'
down_revision = '7e1bee4e3483'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extended_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('extended_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('extension_reason', sa.Text(), server_default='', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_task_extended_by_id_user_account'), 'user_account', ['extended_by_id'], ['id'])

    with op.batch_alter_table('task_update', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changes', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('task_update', schema=None) as batch_op:
        batch_op.drop_column('changes')

    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_task_extended_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('extension_reason')
        batch_op.drop_column('extended_at')
        batch_op.drop_column('extended_by_id')
