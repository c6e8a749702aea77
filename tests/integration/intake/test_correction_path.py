"""A return that opened one field leads the applicant through that field only, then to 检查并重新提交,
and the check page offers 修改 only beside what the return opened (tester's I-13)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from services.intake.adapters.links import nomination_token
from services.intake.adapters.orm import nominations
from services.intake.service_layer import submission
from services.intake.service_layer.incoming import HANDLERS
from shared.events import new_event
from tests.builders import complete_self_nomination

pytestmark = pytest.mark.integration


def returned(intake, fields: list[str], files: list[str] = ()) -> str:
    nomination_id = complete_self_nomination(intake)
    submission.send(intake, nomination_id, f"first-{nomination_id}")
    deadline = datetime.now(timezone.utc) + timedelta(days=3)
    with intake.sessions.begin() as session:
        HANDLERS["nomination.returned"](session, new_event("nomination.returned", nomination_id, {
            "nomination_id": nomination_id, "campaign_id": intake.campaign.id, "fields": fields, "files": list(files),
            "reason": "职务有误", "correction_deadline": deadline.isoformat(), "returned_by": "review"}, producer="review"))
    return nomination_id


def basic_part_as_stored(intake, nomination_id: str, **changes) -> dict:
    with intake.engine.connect() as conn:
        stored = conn.execute(sa.select(nominations.c.data).where(nominations.c.id == nomination_id)).scalar()
    posted = {f"person.{key}": str(value) for key, value in stored["person"].items()}
    posted.update({"person.political_status": "中共党员", "domain": stored["domain"],
                   **{f"contact.{key}": value for key, value in stored["contact"].items()}, **changes})
    return posted


def change_links(page: str) -> list[str]:
    return re.findall(r'>修改<span class="visually-hidden"> ([^<]+)</span>', page)


def test_saving_the_only_opened_field_leads_straight_to_the_check_page(intake, client):
    nomination_id = returned(intake, ["person.position"])
    token = nomination_token(intake.settings.secret_key, nomination_id)
    saved = client.post(f"/n/{token}/basic", data=basic_part_as_stored(intake, nomination_id,
                                                                       **{"person.position": "后勤集团总经理"}))
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/n/{token}/check")


def test_an_opened_file_leads_on_to_the_uploads_and_an_opened_deeds_to_its_part(intake, client):
    with_file = returned(intake, ["person.position"], files=["photo"])
    token = nomination_token(intake.settings.secret_key, with_file)
    saved = client.post(f"/n/{token}/basic", data=basic_part_as_stored(intake, with_file))
    assert saved.headers["Location"].endswith(f"/n/{token}/files")
    with_deeds = returned(intake, ["person.position", "deeds"])
    token = nomination_token(intake.settings.secret_key, with_deeds)
    saved = client.post(f"/n/{token}/basic", data=basic_part_as_stored(intake, with_deeds))
    assert saved.headers["Location"].endswith(f"/n/{token}/deeds")


def test_the_check_page_of_a_return_offers_change_only_beside_the_opened_fields(intake, client):
    nomination_id = returned(intake, ["person.position", "contact"], files=["photo"])
    page = client.get(f"/n/{nomination_token(intake.settings.secret_key, nomination_id)}/check").get_data(as_text=True)
    photo = next(u.name for u in intake.campaign.uploads if u.kind == "photo")
    assert change_links(page) == ["职务/职称", "联系人", photo]


def test_the_check_page_of_a_draft_offers_change_beside_every_field(intake, client):
    from services.intake.service_layer.nominations import start_nomination

    token = nomination_token(intake.settings.secret_key, start_nomination(intake, channel="self", nominee_kind="person"))
    page = client.get(f"/n/{token}/check").get_data(as_text=True)
    assert len(change_links(page)) >= 15


def test_the_check_page_marks_the_corrected_field_with_its_value_as_sent(intake, client):
    nomination_id = returned(intake, ["person.position"])
    token = nomination_token(intake.settings.secret_key, nomination_id)
    with intake.engine.connect() as conn:
        as_sent = conn.execute(sa.select(nominations.c.data).where(nominations.c.id == nomination_id)).scalar()
    unchanged = client.get(f"/n/{token}/check").get_data(as_text=True)
    assert "修改前" not in unchanged
    client.post(f"/n/{token}/basic", data=basic_part_as_stored(intake, nomination_id,
                                                                **{"person.position": "后勤集团总经理"}))
    page = client.get(f"/n/{token}/check").get_data(as_text=True)
    marked = re.findall(r'<dd class="was"><span class="tag warn">已修改</span> 修改前：([^<]*)</dd>', page)
    assert marked == [as_sent["person"]["position"]] and "后勤集团总经理" in page
