"""The migration that adds the folded search columns fills them for the directives and items that exist."""
from datetime import date

from flask_migrate import upgrade
from sqlalchemy import text

from app.extensions import db
from tests.conftest import reset_schema

BEFORE = "199d3c45186e"


def test_upgrading_fills_the_search_columns_of_existing_rows_and_accepts_the_new_document_types(app):
    with app.app_context():
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        try:
            upgrade(revision=BEFORE)
            db.session.execute(text(
                "INSERT INTO directive (id, number, doc_type, issuer, issued_on, signer, summary, body, created_at) "
                "VALUES (1, '12/KH-UBND', 'plan', 'UBND', :day, 'A', 'Tuyên truyền Chuyển đổi số', '', :day)"),
                {"day": date(2022, 7, 1)})
            db.session.execute(text("INSERT INTO item (id, directive_id, position, title, description) "
                                    "VALUES (1, 1, 1, 'Đẩy mạnh Ứng dụng', '')"))
            db.session.commit()
            upgrade()
            assert db.session.execute(text("SELECT search_text FROM directive")).scalar() == \
                "12/kh-ubnd tuyen truyen chuyen doi so"
            assert db.session.execute(text("SELECT search_text FROM item")).scalar() == "day manh ung dung"
            db.session.execute(text("UPDATE directive SET doc_type = 'resolution'"))
            db.session.commit()
        finally:
            db.session.rollback()
            db.session.remove()
    reset_schema(app)
