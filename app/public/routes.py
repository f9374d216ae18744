"""/cong-khai (and /public): the district's progress and the teams' contacts, for anyone, cached for 5 minutes."""
from __future__ import annotations

from flask import request
from flask_babel import force_locale

from app.auth.rate_limit import public_limit
from app.clock import today
from app.extensions import limiter
from app.forms import id_arg, text_arg
from app.htmx import render
from app.pager import paginate
from app.permissions import public
from app.public import bp, queries
from app.reports.charts import coverage_bars

MAX_QUERY = 60  # characters of a search: no village name is longer
CACHE_SECONDS = 300


def _search(communes) -> queries.VillageSearch:
    """The list's filters from the query string; control characters are dropped, a commune that is not one of
    the district's is ignored."""
    commune_id = id_arg("commune")
    known = {commune.commune_id for commune in communes}
    return queries.VillageSearch(q=text_arg("q", MAX_QUERY),
                                 commune_id=commune_id if commune_id in known else None)


@bp.get("/public")  # the English alias; the rule registered first (the one below) is what url_for builds
@bp.get("/cong-khai")
@limiter.limit(public_limit)
@public
def index():
    """Coverage against the target, per commune, this year's outreach, and the villages with their teams.

    The same for every visitor (in Vietnamese, without session or token), so caches may keep it: an ETag of the
    body answers If-None-Match with 304."""
    with force_locale("vi"):
        figures = queries.overview(None, today())
        search = _search(figures.communes)
        page = paginate(queries.villages(None, search), args=search.as_args(), rows=True)
        target = figures.target
        chart = coverage_bars(figures.communes, figures.as_of, target.deadline if target else None,
                              target.percent if target else 100)
        response = render("public/index.html", "villages", figures=figures, chart=chart, page=page, search=search)
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response.add_etag()
    return response.make_conditional(request)
