"""The public notice on the real servers: served without sign-in and without a cookie, searchable, from the
in-process cache (the database read once per version, the version from the real Redis), changed within a
second of a refill; the objection form's guard, its attachment checked as intake checks uploads, the
reference number, the rate limit; an upheld objection disqualifies and the next-ranked takes the place."""
from __future__ import annotations

import io
import re
import time
import uuid

import pytest
import sqlalchemy as sa
from PIL import Image

from services.review.adapters.orm import objections, outbox, reviews
from services.review.domain.states import Action
from services.review.domain.transitions import Request
from services.review.entrypoints.form_guard import FormGuard
from services.review.service_layer.decisions import decide_nomination
from services.review.service_layer.objections import resolve_objection
from shared.campaign import Refusal
from services.review.domain.people import Role, StaffMember
from tests import staff as kc
from tests.integration.review.committee import published_list, register
from tests.integration.review.staff_roles import subject_of

pytestmark = [pytest.mark.integration, pytest.mark.own_campaign(candidates=3)]


@pytest.fixture()
def notice(review):
    return published_list(review, 5)


@pytest.fixture()
def app(review):
    from services.review.entrypoints.web import create_app

    app = create_app(review=review)
    app.extensions["form_guard"] = FormGuard(review.settings.secret_key, clock=lambda: time.time() + 60)
    return app


def client_from(app, address: str | None = None):
    """A client of an address of its own: the rate limit's counts live in the shared Redis."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address or f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
    return client


def names(review, ids) -> list[str]:
    with review.engine.connect() as conn:
        found = dict(conn.execute(sa.select(reviews.c.nomination_id, reviews.c.nominee_name)
                                  .where(reviews.c.nomination_id.in_(ids))).all())
    return [found[i] for i in ids]


def test_notice_is_public_cached_and_follows_a_change_within_a_second(review, notice, app):
    client = client_from(app)
    first = client.get("/notice/")
    assert first.status_code == 200 and "Set-Cookie" not in first.headers
    assert first.headers["Cache-Control"] == "public, max-age=60"
    shown = names(review, notice["ids"][:3])
    text = first.get_data(as_text=True)
    assert [text.index(name) for name in shown] == sorted(text.index(name) for name in shown)  # in rank order
    assert names(review, notice["ids"][3:4])[0] not in text  # the reserve is not on the notice
    assert "候选人共 3 名" in text

    cache = app.extensions["notice_cache"]
    reads = cache.database_reads
    for _ in range(50):
        assert client.get("/notice/").status_code == 200
    assert cache.database_reads == reads  # fifty readers, no database
    assert client.get("/notice/", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    searched = client.get("/notice/", query_string={"q": shown[1]}).get_data(as_text=True)
    assert shown[1] in searched and shown[0] not in searched and "符合条件的 1 名" in searched

    decide_nomination(review, notice["ids"][0], notice["secretariat"],
                      Request(Action.DISQUALIFY, reason="经查实弄虚作假", evidence=("核查记录",)))
    time.sleep(1.1)
    after = client.get("/notice/").get_data(as_text=True)
    newcomer = names(review, notice["ids"][3:4])[0]
    assert newcomer in after and "名单调整" in after and f"由 {newcomer} 按评审排名依次递补" in after


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 400), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def form_of(client, nomination_id: str) -> dict:
    page = client.get(f"/notice/objection?n={nomination_id}").get_data(as_text=True)
    return {"token": re.search(r'name="token" value="([^"]+)"', page).group(1), "nomination_id": nomination_id,
            "name": "张明", "contact": "objector@example.com", "text": "该候选人所附荣誉证书系伪造，发证单位已书面确认未颁发此证书。", "website": ""}


def test_objection_guarded_checked_numbered_and_upheld_replaces_the_candidate(stack, review, notice, app):
    client = client_from(app)
    target = notice["ids"][1]
    form = form_of(client, target)

    assert "请刷新" in client.post("/notice/objection", data={**form, "website": "http://spam"}).get_data(as_text=True)
    assert client.post("/notice/objection", data={**form, "token": "forged"}).status_code == 400
    bad = client.post("/notice/objection", data={**form, "attachment": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200), "证据.exe")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and "文件类型不受支持" in bad.get_data(as_text=True)
    short = client.post("/notice/objection", data={**form, "text": "太短"})
    assert short.status_code == 422 and "异议内容" in short.get_data(as_text=True)

    done = client.post("/notice/objection", data={**form, "attachment": (io.BytesIO(png()), "证据.png")},
                       content_type="multipart/form-data")
    page = done.get_data(as_text=True)
    assert done.status_code == 200 and "异议已提交" in page
    ref = re.search(r"YY\d{4}-\d{4,}", page).group(0)
    with review.engine.connect() as conn:
        row = conn.execute(sa.select(objections).where(objections.c.reference == ref)).one()
        filed = conn.execute(sa.select(outbox.c.envelope).where(outbox.c.event_type == "objection.filed",
                                                                outbox.c.key == target)).scalars().all()
    assert (row.objector_email, row.attachment["verdict"]) == ("objector@example.com", "ok")
    assert review.store.get_bytes(f"{row.attachment['folder']}/preview.jpg")[:2] == b"\xff\xd8"
    assert filed[-1]["payload"] == {"nomination_id": target, "objection_id": ref, "objector_email": "objector@example.com",
                                    "summary": form["text"]}

    with pytest.raises(Refusal, match="只有协会秘书处"):
        resolve_objection(review, ref, notice["members"][0], "upheld", "属实")
    assert resolve_objection(review, ref, notice["secretariat"], "upheld", "经发证单位回函核实，证书系伪造") == notice["ids"][3]
    with pytest.raises(Refusal, match="已处理完毕"):
        resolve_objection(review, ref, notice["secretariat"], "dismissed", "再议")
    with review.engine.connect() as conn:
        state = conn.execute(sa.select(reviews.c.state).where(reviews.c.nomination_id == target)).scalar()
        resolved = conn.execute(sa.select(outbox.c.envelope).where(outbox.c.event_type == "objection.resolved",
                                                                   outbox.c.key == target)).scalar()
    assert state == "disqualified"
    assert (resolved["payload"]["outcome"], resolved["payload"]["objector_email"]) == ("upheld", "objector@example.com")

    staff_page = staff_client(app, review, stack).get(f"/objections/{ref}").get_data(as_text=True)
    assert "张明" in staff_page and "异议成立" in staff_page and "证据.png" in staff_page


def create_fresh_app(review):
    from services.review.entrypoints.web import create_app

    return create_app(review=review)


def staff_client(app, review, env):
    """The demo secretariat of the real Keycloak, known to review."""
    register(review, StaffMember(subject_of(kc.access_token(env, "secretariat")), "王晓梅", Role.SECRETARIAT,
                                 username="secretariat", unit="中国教育后勤协会"))
    return kc.as_staff(app.test_client(), env, "secretariat")


def test_filing_is_refused_too_fast_and_limited_per_address(review, notice):
    app = create_fresh_app(review)  # the real clock
    client = client_from(app)
    form = form_of(client, notice["ids"][0])
    assert "提交过快" in client.post("/notice/objection", data=form).get_data(as_text=True)
    app.extensions["form_guard"] = FormGuard(review.settings.secret_key, clock=lambda: time.time() + 60)
    answers = [client.post("/notice/objection", data={**form, "name": f"异议人{n}"}).status_code for n in range(6)]
    assert answers[:4] == [200] * 4 and answers[5] == 429  # 5 an hour from one address (the too-fast one counted)


def test_an_objection_with_text_no_database_stores_is_refused_in_chinese_and_nothing_is_filed(review, notice, app):
    client = client_from(app)
    form = form_of(client, notice["ids"][0])
    filed = sa.select(sa.func.count()).select_from(objections).where(objections.c.nomination_id == notice["ids"][0])
    with review.engine.connect() as conn:
        before = conn.execute(filed).scalar()
    answer = client.post("/notice/objection", data={**form, "text": form["text"] + "\x00"},
                         content_type="multipart/form-data")
    assert answer.status_code == 400 and "无法保存的字符" in answer.get_data(as_text=True)
    with review.engine.connect() as conn:
        assert conn.execute(filed).scalar() == before
