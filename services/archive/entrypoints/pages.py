"""The archive's staff pages: statistics as charts (Chart.js, served from this service, no CDN), the
search of past campaigns with filters in the URL, and one nomination's record (what remains after a purge)."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from services.archive.domain.nominations import OUTCOMES, STAGE_LABELS
from services.archive.domain.personal_data import FIELD_LABELS
from services.archive.service_layer import reports
from services.archive.service_layer.purge import SERVICES
from services.archive.service_layer.record_view import nomination_record, purges_of_campaigns
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
    return render_template("archive_home.html", campaign=archive().campaign, staff=current_staff(),
                           purges=purges_of_campaigns(archive()), services=SERVICES, field_labels=FIELD_LABELS)


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


@bp.get("/nominations/<nomination_id>")
@staff_required(*READERS)
def nomination_page(nomination_id: str):
    record = nomination_record(archive(), nomination_id[:100])
    page = render_template("archive_nomination.html", campaign=archive().campaign, staff=current_staff(),
                           record=record, stages=STAGE_LABELS, field_labels=FIELD_LABELS, services=SERVICES)
    return page, 200 if record else 404
