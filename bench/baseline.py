"""The bare baseline the portal's pages are measured against: Flask, SQLAlchemy and Jinja doing one
query, one sort and one template, served by the same gunicorn settings."""
import os

from flask import Flask, render_template_string
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"])
PAGE = """<!doctype html><html lang="vi"><head><title>Baseline</title></head><body><h1>Đơn vị</h1>
<ul>{% for name in names %}<li>{{ name }}</li>{% endfor %}</ul></body></html>"""


@app.get("/")
def units():
    """Twenty unit names, sorted in SQL, in a template."""
    with engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM organization ORDER BY name LIMIT 20")).scalars().all()
    return render_template_string(PAGE, names=names)
