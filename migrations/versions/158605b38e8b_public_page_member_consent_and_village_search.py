"""Public page: a team member's consent to publish their name and phone; village names folded for search

Revision ID: 158605b38e8b
Revises: 560bcc95747b
Create Date: 2026-12-01 12:13:26.567956

"""
import sqlalchemy as sa
from alembic import op

from app.vntext import fold

# revision identifiers, used by Alembic.
revision = '158605b38e8b'
down_revision = '560bcc95747b'
branch_labels = None
depends_on = None


def _fill_search_text() -> None:
    """Fold the existing names (the function lives in the code: SQL cannot compute it)."""
    connection = op.get_bind()
    village = sa.table('village', sa.column('id', sa.Integer), sa.column('name', sa.String),
                       sa.column('search_text', sa.String))
    for row in connection.execute(sa.select(village.c.id, village.c.name)).all():
        connection.execute(village.update().where(village.c.id == row.id).values(search_text=fold(row.name)[:120]))


def upgrade():
    # Nobody has agreed yet: every existing member stays unpublished.
    with op.batch_alter_table('team_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publish_contact', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.String(length=120), server_default='', nullable=False))
    _fill_search_text()


def downgrade():
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.drop_column('search_text')

    with op.batch_alter_table('team_member', schema=None) as batch_op:
        batch_op.drop_column('publish_contact')
