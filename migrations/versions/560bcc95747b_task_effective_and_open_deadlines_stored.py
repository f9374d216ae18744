"""task effective and open deadlines stored, indexed

Generated columns, so the overdue and due-soon filters are index ranges (no CASE in a WHERE). SQLite cannot add a
STORED generated column with ALTER TABLE: the table is rebuilt (batch recreate).

Revision ID: 560bcc95747b
Revises: 04878c82ab0c
Create Date: 2026-12-01 12:12:27.714293

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '560bcc95747b'
down_revision = '04878c82ab0c'
branch_labels = None
depends_on = None


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade():
    with op.batch_alter_table('task', schema=None, recreate="always" if _sqlite() else "auto") as batch_op:
        batch_op.add_column(sa.Column('effective_deadline', sa.Date(), sa.Computed('coalesce(extended_deadline, deadline)', persisted=True), nullable=True))
        batch_op.add_column(sa.Column('open_deadline', sa.Date(), sa.Computed("CASE WHEN status IN ('done', 'cancelled') THEN NULL ELSE coalesce(extended_deadline, deadline) END", persisted=True), nullable=True))
        batch_op.create_index('ix_task_effective_deadline_id', ['effective_deadline', 'id'], unique=False)
        batch_op.create_index('ix_task_open_deadline_id', ['open_deadline', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('task', schema=None, recreate="always" if _sqlite() else "auto") as batch_op:
        batch_op.drop_index('ix_task_open_deadline_id')
        batch_op.drop_index('ix_task_effective_deadline_id')
        batch_op.drop_column('open_deadline')
        batch_op.drop_column('effective_deadline')
