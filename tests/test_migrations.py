"""Outside tests the schema comes from migrations: they must agree with the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app.extensions import db
from tests.conftest import reset_schema


def test_migrations_build_the_schema_the_models_describe(app):
    with app.app_context():
        db.drop_all()
        db.session.execute(text("DROP TABLE alembic_version"))  # the suite's schema is stamped at head
        db.session.commit()
        try:
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                diff = compare_metadata(context, db.metadata)
            assert diff == []
            downgrade(revision="base")
            with db.engine.connect() as connection:
                assert set(db.inspect(connection).get_table_names()) <= {"alembic_version"}
        finally:
            db.session.remove()
    reset_schema(app)
