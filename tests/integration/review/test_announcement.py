"""The announcement (通报) on the real servers: confirmed only after the notice period and with every
objection resolved; each candidate becomes an honouree, `honourees.confirmed` is published; the public
announcement and one page per honouree (Open Graph tags, the photo proxied for honourees only). And no
public page shows a personal field of any candidate: every page's HTML is scanned for each of them."""
from __future__ import annotations

import io
import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from services.review.adapters.orm import candidate_lists, nominations, outbox, reviews
from services.review.entrypoints.form_guard import FormGuard
from services.review.service_layer.candidates import confirm_honourees
from services.review.service_layer.nomination_page import preview_key
from services.review.service_layer.objections import objections_of, resolve_objection
from shared.campaign import Refusal
from tests.integration.review.committee import published_list

pytestmark = [pytest.mark.integration, pytest.mark.own_campaign(candidates=3)]
PERSONAL = ("phone", "email", "address", "postcode", "ethnic_group", "political_status")


@pytest.fixture()
def notice(review):
    found = published_list(review, 5, photos=True, kind_of=lambda i: "team" if i == 1 else "person")
    for nomination_id in found["ids"]:
        out = io.BytesIO()
        Image.new("RGB", (295, 413), (90, 120, 200)).save(out, "JPEG")
        review.store.put_bytes(preview_key(nomination_id, f"P-{nomination_id[:8]}", 1), out.getvalue(),
                               content_type="image/jpeg")
    return found


@pytest.fixture()
def client(review):
    from services.review.entrypoints.web import create_app

    app = create_app(review=review)
    app.extensions["form_guard"] = FormGuard(review.settings.secret_key, clock=lambda: time.time() + 60)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"10.9.{int(time.time()) % 250}.{int(time.time() * 7) % 250}"
    return client


def end_the_notice(review) -> None:
    """The seven days pass: the notice's recorded close is moved into the past."""
    with review.engine.begin() as conn:
        conn.execute(sa.update(candidate_lists).where(candidate_lists.c.campaign_id == review.campaign.id)
                     .values(notice_closes_at=review.clock() - timedelta(seconds=1)))


def file_one(client, nomination_id: str) -> None:
    page = client.get(f"/notice/objection?n={nomination_id}").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    answer = client.post("/notice/objection", data={"token": token, "nomination_id": nomination_id, "name": "李四",
                                                     "contact": "13900000000", "text": "该候选人事迹与实际情况不符，请秘书处予以核查。"})
    assert answer.status_code == 200, answer.get_data(as_text=True)


def test_honourees_confirmed_after_the_notice_and_announced_with_a_page_each(review, notice, client):
    ids, secretariat = notice["ids"], notice["secretariat"]
    file_one(client, ids[0])
    with pytest.raises(Refusal, match="公示期满后方可确认"):
        confirm_honourees(review, secretariat)
    end_the_notice(review)
    with pytest.raises(Refusal, match="1 件异议尚未处理完毕"):
        confirm_honourees(review, secretariat)
    with review.sessions() as session:
        ref = objections_of(session, review.campaign.id)[0].reference
    resolve_objection(review, ref, secretariat, "dismissed", "经核实，事迹属实")

    assert confirm_honourees(review, secretariat) == ids[:3]
    with review.engine.connect() as conn:
        states = dict(conn.execute(sa.select(reviews.c.nomination_id, reviews.c.state)
                                   .where(reviews.c.nomination_id.in_(ids))).all())
        event = conn.execute(sa.select(outbox.c.envelope).where(outbox.c.event_type == "honourees.confirmed",
                                                                outbox.c.key == review.campaign.id)).scalar()
    assert [states[i] for i in ids] == ["honouree"] * 3 + ["not_selected"] * 2
    assert [h["nomination_id"] for h in event["payload"]["honourees"]] == ids[:3]
    with pytest.raises(Refusal, match="已经确认"):
        confirm_honourees(review, secretariat)

    time.sleep(1.1)  # the cache's version check
    listing = client.get("/announcement/").get_data(as_text=True)
    assert all(f"/announcement/{i}" in listing for i in ids[:3]) and f"/announcement/{ids[3]}" not in listing
    page = client.get(f"/announcement/{ids[0]}").get_data(as_text=True)
    assert '<meta property="og:type" content="article">' in page
    assert f'<meta property="og:image" content="{review.settings.review_url}/announcement/{ids[0]}/photo.jpg">' in page
    photo = client.get(f"/announcement/{ids[0]}/photo.jpg")
    assert photo.status_code == 200 and photo.data[:2] == b"\xff\xd8" and "public" in photo.headers["Cache-Control"]
    assert client.get(f"/announcement/{ids[3]}").status_code == 404  # the reserve is not announced
    assert client.get(f"/announcement/{ids[3]}/photo.jpg").status_code == 404
    assert client.get("/notice/objection").status_code == 404  # the notice is over: no more objections


def personal_values(review, ids) -> dict[str, list[str]]:
    """Every personal value of every nomination: the nominee's fields, the contact's, a team leader's, the
    recommending organisation's e-mail."""
    with review.engine.connect() as conn:
        snapshots = conn.execute(sa.select(nominations.c.snapshot).where(nominations.c.nomination_id.in_(ids))).scalars()
        found: dict[str, list[str]] = {}
        for s in snapshots:
            person, team = s.get("person") or {}, s.get("team") or {}
            values = [str(person.get(f)) for f in PERSONAL if person.get(f)]
            values += [str(s["contact"][f]) for f in ("phone", "email") if s["contact"].get(f)]
            values += [str(team["leader"][f]) for f in ("phone", "email") if team and team["leader"].get(f)]
            values += [s["recommender"]["email"]] if (s.get("recommender") or {}).get("email") else []
            found[s["nomination_id"]] = values
    return found


def test_no_public_page_shows_a_personal_field_of_any_candidate(review, notice, client):
    ids = notice["ids"]
    values = personal_values(review, ids)
    assert sum(map(len, values.values())) >= 5 * 8
    html = {path: client.get(path) for path in ("/notice/", "/notice/?q=候选", "/notice/objection",
                                                f"/notice/objection?n={ids[0]}")}
    end_the_notice(review)
    confirm_honourees(review, notice["secretariat"])
    time.sleep(1.1)  # the cache's version check
    html.update({path: client.get(path) for path in ["/announcement/", "/announcement/?domain=伙食管理", "/notice/",
                                                     *(f"/announcement/{i}" for i in ids[:3])]})
    assert {path: answer.status_code for path, answer in html.items()} == dict.fromkeys(html, 200)
    leaks = [f"{path}: {value}" for path, answer in html.items() for person in values.values() for value in person
             if value in answer.get_data(as_text=True)]
    assert leaks == []
    deeds_page = html[f"/announcement/{ids[0]}"].get_data(as_text=True)
    assert "联系电话＊＊＊" in deeds_page and "邮箱＊＊＊" in deeds_page  # typed into the deeds, masked
