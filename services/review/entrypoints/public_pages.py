"""The public pages, without sign-in: the notice (公示) of the candidates, searchable and printable, with
the objection form while the notice is open; the announcement (通报) of the honourees and one page per
honouree with the deeds and the photo. Only public fields are ever shown (service_layer/public_notice.py);
pages come from the in-process cache keyed by the list's version (adapters/notice_cache.py), so readers
do not reach the database. No page here sets a cookie."""
from __future__ import annotations

import hashlib

from flask import Blueprint, Response, abort, current_app, render_template, request

from services.review.adapters.notice_cache import NoticeCache, redis_client
from services.review.domain.search import normalised
from services.review.entrypoints.access import review
from services.review.entrypoints.form_guard import HONEYPOT, FormGuard
from services.review.service_layer.objections import ATTACHMENT_LIMITS, ObjectionProblems, Upload, file_objection
from shared.campaign import Refusal
from shared.db import reading

bp = Blueprint("public", __name__)
MAX_QUERY = 50
PAGE_SECONDS = 60  # how long a browser or a proxy may keep a public page


def init_public_cache(app, container) -> None:
    from services.review.service_layer.public_notice import build_notice, notice_version

    def read_version():
        with reading(container.sessions) as session:
            return notice_version(session, container.campaign.id)

    def build():
        with reading(container.sessions) as session:
            return build_notice(session, container.campaign.id)

    app.extensions["notice_cache"] = NoticeCache(redis_client(container.settings.celery_broker_url()),
                                                 container.campaign.id, read_version, build)


def cache() -> NoticeCache:
    return current_app.extensions["notice_cache"]


def cached_page(variant: tuple, render) -> Response:
    notice, body = cache().page(variant, render)
    if notice is None:
        return Response(render_template("public_none.html"), status=404)
    tag = hashlib.sha256(repr((notice.version, variant)).encode()).hexdigest()[:20]
    response = Response(body, mimetype="text/html")
    response.set_etag(tag, weak=True)
    response.headers["Cache-Control"] = f"public, max-age={PAGE_SECONDS}"
    return response.make_conditional(request)


def search_terms() -> tuple[str, str]:
    query = " ".join(request.args.get("q", "").split())[:MAX_QUERY]
    domain = request.args.get("domain", "")
    return query, domain if domain in review().campaign.domains else ""


@bp.get("/notice/")
def notice():
    query, domain = search_terms()
    now = review().clock()
    probe = cache().snapshot()
    is_open = probe is not None and probe.is_open(now)

    def render(snapshot) -> bytes:
        shown = [c for c in snapshot.candidates if (not domain or c.domain == domain) and (not query or c.matches(query))]
        return render_template("notice.html", notice=snapshot, shown=shown, query=query, domain=domain,
                               is_open=is_open).encode()

    return cached_page(("notice", normalised(query), domain, is_open), render)


@bp.get("/announcement/")
def announcement():
    query, domain = search_terms()

    def render(snapshot) -> bytes:
        if snapshot.announced_at is None:
            abort(404)
        shown = [c for c in snapshot.candidates if (not domain or c.domain == domain) and (not query or c.matches(query))]
        return render_template("announcement.html", notice=snapshot, shown=shown, query=query, domain=domain).encode()

    return cached_page(("announcement", normalised(query), domain), render)


@bp.get("/announcement/<nomination_id>")
def honouree(nomination_id: str):
    def render(snapshot) -> bytes:
        person = snapshot.candidate(nomination_id) if snapshot.announced_at else None
        if person is None:
            abort(404)
        return render_template("honouree.html", notice=snapshot, h=person).encode()

    if len(nomination_id) > 64:
        abort(404)
    return cached_page(("honouree", nomination_id), render)


@bp.get("/announcement/<nomination_id>/photo.jpg")
def photo(nomination_id: str):
    """An honouree's photo (the scan worker's clean preview, never the original), public once announced."""
    from services.review.service_layer.nomination_page import preview_key

    snapshot = cache().snapshot()
    person = snapshot.candidate(nomination_id) if snapshot is not None and snapshot.announced_at else None
    if person is None or person.photo_file_id is None:
        abort(404)
    _, data = cache().page(("photo", nomination_id), lambda _: review().store.get_bytes(
        preview_key(nomination_id, person.photo_file_id, 1), max_size=PHOTO_MAX_BYTES))
    return Response(data, mimetype="image/jpeg", headers={"Cache-Control": "public, max-age=86400"})


PHOTO_MAX_BYTES = 5 * 1024 * 1024


@bp.route("/notice/objection", methods=["GET", "POST"])
def objection():
    """The objection form (while the notice is open), and its filing: rate-limited per client address,
    guarded by a signed form token (served, then at least a person's filling time) and a honeypot."""
    snapshot = cache().snapshot()
    if snapshot is None or not snapshot.is_open(review().clock()):
        return Response(render_template("public_none.html", closed=snapshot is not None), status=404)
    if request.method == "GET":
        return _objection_form(snapshot, {"nomination_id": request.args.get("n", "")}, {})
    form = {key: request.form.get(key, "") for key in ("nomination_id", "name", "contact", "text")}
    try:
        guard().check(request.form.get("token", ""), request.form.get(HONEYPOT, ""))
        ref = file_objection(review(), form, _upload(), request.remote_addr or "")
    except ObjectionProblems as problems:
        return _objection_form(snapshot, form, problems.errors, 422)
    except Refusal as refusal:
        return _objection_form(snapshot, form, {"form": refusal.message}, 400)
    candidate = snapshot.candidate(form["nomination_id"])
    return Response(render_template("objection_done.html", notice=snapshot, reference=ref, candidate=candidate),
                    headers={"Cache-Control": "no-store"})


def _upload():
    file = request.files.get("attachment")
    if file is None or not file.filename:
        return None
    data = file.read(ATTACHMENT_LIMITS.max_bytes + 1)
    return Upload(file.filename, file.mimetype or "application/octet-stream", data)


def _objection_form(snapshot, values: dict, errors: dict, status: int = 200) -> Response:
    body = render_template("objection.html", notice=snapshot, values=values, errors=errors, token=guard().token(),
                           honeypot=HONEYPOT, max_mb=ATTACHMENT_LIMITS.max_bytes // (1024 * 1024))
    return Response(body, status=status, headers={"Cache-Control": "no-store"})


def guard():
    if "form_guard" not in current_app.extensions:
        current_app.extensions["form_guard"] = FormGuard(review().settings.secret_key)
    return current_app.extensions["form_guard"]
