"""The archive's staff pages: statistics as charts (Chart.js, served from this service, no CDN) and the
search of past campaigns, with filters in the URL."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from services.archive.domain.nominations import OUTCOMES
from services.archive.service_layer import reports
from services.archive.service_layer.search import Query, search
from shared.auth import current_staff, staff_required

bp = Blueprint("archive_pages", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/archive")
READERS = ("secretariat", "auditor")


def archive():
    return current_app.extensions["archive"]


@bp.get("/")
@staff_required(*READERS)
def home():
    return render_template("archive_home.html", campaign=archive().campaign, staff=current_staff())


@bp.get("/statistics")
@staff_required(*READERS)
def statistics_page():
    campaign = archive().campaign
    return render_template("archive_statistics.html", campaign=campaign, staff=current_staff(),
                           tables=reports.statistics(archive(), campaign.id))


@bp.get("/search")
@staff_required(*READERS)
def search_page():
    query = Query.from_args(request.args)
    return render_template("archive_search.html", campaign=archive().campaign, staff=current_staff(), query=query,
                           results=search(archive(), query), outcomes=OUTCOMES, searched=not query.empty)
