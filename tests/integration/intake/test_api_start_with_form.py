"""The API's start may carry the whole draft (`form`): one request and one transaction instead of a start and
a PATCH. The draft is saved as a PATCH would save it, its problems come back, and a refused form leaves no
draft behind."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from services.intake.adapters.orm import nominations
from tests.builders import form_data

pytestmark = pytest.mark.integration

START = {"channel": "self", "nominee_kind": "person"}


def draft_count(intake) -> int:
    with intake.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(nominations)).scalar()


def test_a_start_with_the_whole_form_saves_it_and_has_no_problems(client):
    form = form_data(name="阿依古丽")
    answer = client.post("/api/v1/nominations", json={**START, "form": form})
    assert answer.status_code == 201
    assert answer.json["problems"] == []
    status = client.get(f"/api/v1/nominations/{answer.json['token']}").json
    assert status["data"]["person"]["name"] == "阿依古丽"
    assert status["data"]["contact"]["email"] == form["contact"]["email"]


def test_a_start_with_a_bad_phone_keeps_the_draft_and_names_the_phone(client):
    form = form_data()
    form["person"]["phone"] = "123"
    answer = client.post("/api/v1/nominations", json={**START, "form": form})
    assert answer.status_code == 201
    assert [p["field"] for p in answer.json["problems"]] == ["person.phone"]
    assert "手机号" in answer.json["problems"][0]["message"]
    assert client.get(f"/api/v1/nominations/{answer.json['token']}").json["data"]["person"]["phone"] == "123"


@pytest.mark.parametrize("body", [START, {**START, "form": None}])
def test_a_start_without_a_form_answers_no_problems_field(client, body):
    answer = client.post("/api/v1/nominations", json=body)
    assert answer.status_code == 201
    assert "problems" not in answer.json


@pytest.mark.parametrize("form, status", [
    ({"channel": "local_association"}, 422),  # the server's field: not the client's to write
    ({"person": {"name": "x" * 100_000}}, 422),  # over a field's limit
    ([1, 2], 422),  # not an object
])
def test_a_refused_form_leaves_no_draft_behind(client, intake, form, status):
    before = draft_count(intake)
    answer = client.post("/api/v1/nominations", json={**START, "form": form})
    assert answer.status_code == status, answer.json
    assert answer.json["ok"] is False and answer.json["error"]
    assert draft_count(intake) == before
