"""The secretariat's reports: the candidate list and the honouree list with the committee's scores, as
Excel or PDF (for the secretariat and the auditors; each download is in the audit trail)."""
from __future__ import annotations

import io

from flask import Blueprint, abort, send_file

from services.review.adapters.report_files import XLSX_TYPE, report_pdf, report_xlsx
from services.review.domain.people import Role
from services.review.domain.reports import KINDS
from services.review.entrypoints.access import current_member, member_required, review
from services.review.service_layer.reports import report_of

bp = Blueprint("reports", __name__, url_prefix="/reports")
FORMATS = {"xlsx": (report_xlsx, XLSX_TYPE), "pdf": (report_pdf, "application/pdf")}


@bp.get("/<kind>.<file_format>")
@member_required(Role.SECRETARIAT, Role.AUDITOR)
def download(kind: str, file_format: str):
    if kind not in KINDS or file_format not in FORMATS:
        abort(404)
    report = report_of(review(), kind, current_member(), file_format)
    write, mimetype = FORMATS[file_format]
    return send_file(io.BytesIO(write(report)), mimetype=mimetype, as_attachment=True,
                     download_name=f"{review().campaign.year}年{report.title}.{file_format}")
