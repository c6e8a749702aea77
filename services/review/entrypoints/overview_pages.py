"""The dashboard (counts per domain and stage, with charts) and a branch's shortlist of one domain."""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from services.review.domain.people import Role
from services.review.domain.shortlist import places_of
from services.review.domain.stage_calendar import stage_status
from services.review.domain.states import STATE_NAMES, State
from services.review.entrypoints.access import current_member, member_required, review
from services.review.service_layer.facts import shortlisted_in
from services.review.service_layer.queries import counts_by_domain_and_state, shortlist_entries
from services.review.service_layer.stages import stages_seen
from shared.db import reading

bp = Blueprint("overview", __name__)
NOT_SEEN = {"opened_at": None, "closed_at": None}


@bp.get("/dashboard")
@member_required()
def dashboard():
    member = current_member()
    campaign = review().campaign
    with reading(review().sessions) as session:
        counts = counts_by_domain_and_state(session, member)
        seen = stages_seen(session, campaign.id)
    now = review().clock()
    stages = [(stage, stage_status(stage.opens_at, stage.ends_before, now, **seen.get(stage.code, NOT_SEEN)))
              for stage in campaign.stages]
    domains = [d for d in campaign.domains if member.covers(d)]
    states = [state for state in State if any(counts.get((d, state.value)) for d in domains)]
    table = [(d, [counts.get((d, s.value), 0) for s in states], sum(counts.get((d, s.value), 0) for s in states))
             for d in domains]
    chart = {"domains": domains, "series": [{"label": STATE_NAMES[s], "state": s.value,
                                             "counts": [counts.get((d, s.value), 0) for d in domains]} for s in states]}
    return render_template("dashboard.html", member=member, table=table, states=states, state_names=STATE_NAMES,
                           chart=chart, stages=stages,
                           totals=[sum(counts.get((d, s.value), 0) for d in domains) for s in states])


@bp.get("/shortlist/<domain>")
@member_required(Role.BRANCH, Role.SECRETARIAT, Role.AUDITOR)
def shortlist(domain: str):
    member = current_member()
    campaign = review().campaign
    if domain not in campaign.domains:
        abort(404)
    if not member.covers(domain):
        abort(403)
    with reading(review().sessions) as session:
        entries = shortlist_entries(session, member, domain)
        places = places_of(campaign, shortlisted_in(session, domain, campaign.id))
    return render_template("shortlist.html", member=member, domain=domain, entries=entries, places=places,
                           state_names=STATE_NAMES, domains=[d for d in campaign.domains if member.covers(d)])
