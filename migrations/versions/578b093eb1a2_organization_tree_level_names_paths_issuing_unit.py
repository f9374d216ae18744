"""organization tree: an area kind, level names, materialized paths; directives' issuing unit

Revision ID: 578b093eb1a2
Revises: c38c045f2249
Create Date: 2026-12-01 12:14:06.354067

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '578b093eb1a2'
down_revision = 'c38c045f2249'
branch_labels = None
depends_on = None

OLD_KINDS = ('district_office', 'department', 'commune', 'town', 'union', 'partner', 'steering_committee')
NEW_KINDS = OLD_KINDS + ('area',)
# Byte order for the subtree range on PostgreSQL whatever the database's collation (app.models.org.PATH_TYPE).
PATH_TYPE = sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql')


def _org_kind(values) -> sa.Enum:
    return sa.Enum(*values, name='org_kind', native_enum=False, create_constraint=True, length=32)


def _fill_paths() -> None:
    """Paths of the existing units, parents first (parent_id was unused until now: most are roots)."""
    connection = op.get_bind()
    organization = sa.table('organization', sa.column('id', sa.Integer), sa.column('parent_id', sa.Integer),
                            sa.column('path', sa.String))
    parents = dict(connection.execute(sa.select(organization.c.id, organization.c.parent_id)).all())

    def path_of(unit_id, seen=()):
        parent = parents.get(unit_id)
        if parent is None or parent in seen or parent not in parents:
            return f"/{unit_id}/"
        return f"{path_of(parent, (*seen, unit_id))}{unit_id}/"

    for unit_id in parents:
        connection.execute(organization.update().where(organization.c.id == unit_id).values(path=path_of(unit_id)))


def _fill_issuing_units() -> None:
    """An existing directive was issued by the unit of the user who recorded it."""
    connection = op.get_bind()
    directive = sa.table('directive', sa.column('created_by_id', sa.Integer), sa.column('organization_id', sa.Integer))
    user = sa.table('user_account', sa.column('id', sa.Integer), sa.column('organization_id', sa.Integer))
    connection.execute(directive.update().values(organization_id=sa.select(user.c.organization_id).where(
        user.c.id == directive.c.created_by_id).scalar_subquery()))


def upgrade():
    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_directive_organization_id'), ['organization_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_directive_organization_id_organization'), 'organization',
                                    ['organization_id'], ['id'])

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('level_name', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('path', PATH_TYPE, server_default='', nullable=False))
        batch_op.alter_column('kind', existing_type=_org_kind(OLD_KINDS), type_=_org_kind(NEW_KINDS),
                              existing_nullable=False)
        batch_op.create_index(batch_op.f('ix_organization_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organization_path'), ['path'], unique=False)
    _fill_paths()
    _fill_issuing_units()


def downgrade():
    # The older code knows no area: its units leave the tree (their children become roots) and are deleted
    # when nothing refers to them.
    organization = sa.table('organization', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                            sa.column('parent_id', sa.Integer))
    areas = sa.select(organization.c.id).where(organization.c.kind == 'area').scalar_subquery()
    op.execute(organization.update().where(organization.c.parent_id.in_(areas)).values(parent_id=None))
    op.execute(organization.delete().where(organization.c.kind == 'area'))
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_path'))
        batch_op.drop_index(batch_op.f('ix_organization_parent_id'))
        batch_op.alter_column('kind', existing_type=_org_kind(NEW_KINDS), type_=_org_kind(OLD_KINDS),
                              existing_nullable=False)
        batch_op.drop_column('path')
        batch_op.drop_column('level_name')

    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_directive_organization_id_organization'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_directive_organization_id'))
        batch_op.drop_column('organization_id')
