"""task history read by task and id

A task's history is read newest first a page at a time (WHERE task_id = ? ORDER BY id DESC LIMIT 31). With an index
on task_id alone PostgreSQL walks the primary key backwards through every task's updates; (task_id, id) serves the
filter and the order, and the old index is its prefix.

Revision ID: 3590cc87988c
Revises: 158605b38e8b
Create Date: 2026-12-01 18:05:09.253849

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3590cc87988c'
down_revision = '158605b38e8b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_task_update_task_id_id', 'task_update', ['task_id', 'id'], unique=False)
    op.drop_index('ix_task_update_task_id', table_name='task_update')


def downgrade():
    op.create_index('ix_task_update_task_id', 'task_update', ['task_id'], unique=False)
    op.drop_index('ix_task_update_task_id_id', table_name='task_update')
