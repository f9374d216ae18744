"""Period reports: figures as of a period's end, rankings, charts and the print layout."""
from flask import Blueprint

bp = Blueprint("reports", __name__)

from app.reports import routes  # noqa: E402,F401
from app.reports.dashboard import leader_overview  # noqa: E402

bp.add_app_template_global(leader_overview, "leader_overview")
