"""directive corrections, more document types, folded search columns, submission keys

Revision ID: e1ff6abc9127
Revises: 199d3c45186e
Create Date: 2026-12-01 09:35:28.116553

"""
import sqlalchemy as sa
from alembic import op

from app.vntext import fold


# revision identifiers, used by Alembic.
revision = 'e1ff6abc9127'
down_revision = '199d3c45186e'
branch_labels = None
depends_on = None


OLD_DOC_TYPES = ('official_letter', 'plan', 'decision', 'instruction', 'notice')
NEW_DOC_TYPES = OLD_DOC_TYPES + ('resolution', 'dispatch', 'guidance', 'programme')


def _doc_type(values) -> sa.Enum:
    return sa.Enum(*values, name='doc_type', native_enum=False, create_constraint=True, length=32)


def _fill_search_text() -> None:
    """Fold what exists (the function lives in the code: SQL cannot compute it)."""
    connection = op.get_bind()
    directive = sa.table('directive', sa.column('id', sa.Integer), sa.column('number', sa.String),
                         sa.column('summary', sa.String), sa.column('search_text', sa.String))
    for row in connection.execute(sa.select(directive.c.id, directive.c.number, directive.c.summary)).all():
        connection.execute(directive.update().where(directive.c.id == row.id)
                           .values(search_text=fold(f"{row.number} {row.summary}")[:600]))
    item = sa.table('item', sa.column('id', sa.Integer), sa.column('title', sa.String),
                    sa.column('search_text', sa.String))
    for row in connection.execute(sa.select(item.c.id, item.c.title)).all():
        connection.execute(item.update().where(item.c.id == row.id).values(search_text=fold(row.title)[:300]))


def upgrade():
    op.create_table('submission',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_submission_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'key', name=op.f('pk_submission'))
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_created_at'), ['created_at'], unique=False)

    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('search_text', sa.String(length=600), server_default='', nullable=False))
        batch_op.alter_column('doc_type', existing_type=_doc_type(OLD_DOC_TYPES), type_=_doc_type(NEW_DOC_TYPES),
                              existing_nullable=False)

    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.String(length=300), server_default='', nullable=False))
    _fill_search_text()


def downgrade():
    # The older code knows only the first five types: the new ones become official letters.
    directive = sa.table('directive', sa.column('doc_type', sa.String))
    op.execute(directive.update().where(directive.c.doc_type.not_in(OLD_DOC_TYPES)).values(doc_type='official_letter'))
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_column('search_text')

    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.drop_column('search_text')
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_on')
        batch_op.alter_column('doc_type', existing_type=_doc_type(NEW_DOC_TYPES), type_=_doc_type(OLD_DOC_TYPES),
                              existing_nullable=False)

    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_created_at'))

    op.drop_table('submission')
