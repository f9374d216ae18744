"""Import drafts: an uploaded sheet kept by its SHA-256 between the preview and the confirmed import

Revision ID: 3002dd7335b0
Revises: 954180a911be
Create Date: 2026-12-01 09:49:10.102196

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3002dd7335b0'
down_revision = '954180a911be'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('directive_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_import_draft_created_by_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['directive_id'], ['directive.id'], name=op.f('fk_import_draft_directive_id_directive'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_draft')),
    sa.UniqueConstraint('created_by_id', 'directive_id', 'digest', name='uq_import_draft_created_by_id_directive_id_digest')
    )
    with op.batch_alter_table('import_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_draft_directive_id'), ['directive_id'], unique=False)



def downgrade():
    with op.batch_alter_table('import_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_draft_directive_id'))

    op.drop_table('import_draft')
