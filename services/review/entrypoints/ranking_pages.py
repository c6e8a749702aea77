"""The ranking and the committee's list: the ranking with the line at the campaign's number, the balance
across domains, channels and nominee kinds, the ties to decide, and the secretariat's acts (record a tie's
order, confirm the list, publish the notice, confirm the honourees after it)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from services.review.domain.people import Role
from services.review.domain.states import STATE_NAMES
from services.review.entrypoints.access import current_member, member_required, review
from services.review.service_layer.candidates import confirm_honourees, confirm_list, publish_notice, record_tie
from services.review.service_layer.ranking import ranking_of
from shared.campaign import Refusal
from shared.db import reading

bp = Blueprint("ranking", __name__, url_prefix="/ranking")
MAX_TIED = 50


@bp.get("/")
@member_required(Role.COMMITTEE, Role.SECRETARIAT, Role.AUDITOR)
def ranking():
    campaign = review().campaign
    domain = request.args.get("domain", "")
    with reading(review().sessions) as session:
        view = ranking_of(session, campaign)
    rows = [row for row in view.rows if row.domain == domain] if domain in campaign.domains else view.rows
    channels = {c.code: c.name for c in campaign.channels}
    return render_template("ranking.html", view=view, rows=rows, domain=domain if rows is not view.rows else "",
                           member=current_member(), state_names=STATE_NAMES, channels=channels,
                           by_domain=view.balance_by("domain", campaign.domains),
                           by_channel=view.balance_by("channel", campaign.channel_codes),
                           by_kind=view.balance_by("nominee_kind", ("person", "team")), now=review().clock())


@bp.post("/ties")
@member_required(Role.SECRETARIAT)
def tie():
    positions = [(key[len("position-"):], request.form[key]) for key in request.form if key.startswith("position-")]
    try:
        record_tie(review(), current_member(), order_of(positions[:MAX_TIED]), request.form.get("reason", ""))
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        flash("已记录评审委员会对并列名次的决定", "ok")
    return redirect(url_for("ranking.ranking"))


def order_of(positions: list[tuple[str, str]]) -> list[str]:
    """The nominations by the place typed for each (1, 2, ...): every place once, or Refusal."""
    try:
        places = {nomination_id: int(place) for nomination_id, place in positions}
    except ValueError:
        raise Refusal("请为每份推荐选择名次") from None
    if sorted(places.values()) != list(range(1, len(places) + 1)):
        raise Refusal("名次须为 1 到并列人数的每个数各一次")
    return sorted(places, key=places.get)


@bp.post("/confirmation")
@member_required(Role.SECRETARIAT)
def confirm():
    try:
        chosen = confirm_list(review(), current_member())
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        flash(f"已确认 {len(chosen)} 名入选候选人；发布公示后统一通知", "ok")
    return redirect(url_for("ranking.ranking"))


@bp.post("/publication")
@member_required(Role.SECRETARIAT)
def publish():
    try:
        opens, closes = publish_notice(review(), current_member())
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        zone = review().campaign.zone
        flash(f"已发布公示（{opens.astimezone(zone):%Y-%m-%d %H:%M} 至 {closes.astimezone(zone):%Y-%m-%d %H:%M}），"
              "入选候选人和未入选者将同时收到通知", "ok")
    return redirect(url_for("ranking.ranking"))


@bp.post("/announcement")
@member_required(Role.SECRETARIAT)
def announce():
    try:
        honoured = confirm_honourees(review(), current_member())
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        flash(f"已确认 {len(honoured)} 名通报表扬对象，通报页面已发布", "ok")
    return redirect(url_for("ranking.ranking"))
