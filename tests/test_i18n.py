"""Vietnamese by default, English on request, and a complete Vietnamese catalog."""
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]


def test_vietnamese_is_the_default(client):
    assert "Đăng nhập" in client.get("/login").text


def test_english_switch(client):
    response = client.post("/language/en", data={"next": "/login"})
    assert response.status_code == 303
    page = client.get("/login").text
    assert 'lang="en"' in page and "Sign in" in page


def test_unknown_language_is_404(client):
    assert client.post("/language/xx").status_code == 404


@pytest.mark.database_independent
def test_every_message_in_the_code_has_a_vietnamese_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2", "-o", str(pot), "."],
                   cwd=ROOT, check=True,
                   capture_output=True)
    with pot.open("rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    with (ROOT / "translations/vi/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog
                  if m.id and "fuzzy" not in m.flags and all(m.string if isinstance(m.string, tuple) else [m.string])}
    assert sorted(wanted - translated) == []
