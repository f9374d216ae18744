"""sort keys for unit and village names (Vietnamese order, kept on write)

Revision ID: ad051bfee8fc
Revises: b2d4a4124ac9
Create Date: 2026-12-01 09:25:16.990641

"""
import sqlalchemy as sa
from alembic import op

from app.vntext import sort_key

# revision identifiers, used by Alembic.
revision = 'ad051bfee8fc'
down_revision = 'b2d4a4124ac9'
branch_labels = None
depends_on = None


def _fill(table_name: str) -> None:
    """Compute the key of every existing name (the function lives in the code: SQL cannot compute it)."""
    table = sa.table(table_name, sa.column("id", sa.Integer), sa.column("name", sa.String),
                     sa.column("sort_key", sa.String))
    connection = op.get_bind()
    for row in connection.execute(sa.select(table.c.id, table.c.name)).all():
        connection.execute(table.update().where(table.c.id == row.id).values(sort_key=sort_key(row.name)))


def upgrade():
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_key', sa.String(length=400), nullable=False, server_default=""))
        batch_op.create_index(batch_op.f('ix_organization_sort_key'), ['sort_key'], unique=False)
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_key', sa.String(length=400), nullable=False, server_default=""))
    _fill("organization")
    _fill("village")


def downgrade():
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.drop_column('sort_key')
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_sort_key'))
        batch_op.drop_column('sort_key')
