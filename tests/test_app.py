"""App factory, configuration, health check and template helpers."""
from datetime import date, datetime, timezone

import pytest

import config
from app import create_app
from app.templating import format_date, format_datetime
from tests.conftest import make_app


def test_test_config_is_testing(app):
    assert app.testing
    assert app.config["BABEL_DEFAULT_LOCALE"] == "vi"


def test_default_database_is_sqlite_under_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app(config.DevelopmentConfig)
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/dieuhanh.db")


def test_database_url_selects_postgresql(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@db.example/x")
    app = create_app(config.DevelopmentConfig)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/x"


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError):
        create_app(config.ProductionConfig)


def test_production_cookies_are_secure(monkeypatch):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "x" * 32)
    app = create_app(config.ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_healthz_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"] == "ok"


def test_healthz_503_when_database_unreachable(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_dates_are_written_day_month_year():
    assert format_date(date(2022, 8, 31)) == "31/08/2022"
    assert format_date(None) == ""


def test_datetimes_are_shown_in_district_time(app):
    with app.app_context():
        assert format_datetime(datetime(2022, 8, 30, 17, 30, tzinfo=timezone.utc)) == "31/08/2022 00:30"


def test_unknown_page_is_a_vietnamese_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text
