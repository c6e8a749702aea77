"""A database away answers 503 with a clear message in the client's language, never an internal error
(the chaos suite found intake answering 500 while PostgreSQL restarted)."""
from __future__ import annotations

import importlib
import io
import random
from datetime import datetime, timezone

import pytest

from tests.fixtures.scanfiles import portrait_photo_jpeg

pytestmark = pytest.mark.integration

NOWHERE = "postgresql+psycopg://tuiju:tuiju@127.0.0.1:1"  # nothing listens: connections are refused


@pytest.fixture
def without_database(stack, monkeypatch):
    monkeypatch.setenv("TUIJU_POSTGRES_URL", NOWHERE)
    monkeypatch.setenv("TUIJU_DEMO", "1")
    monkeypatch.setenv("TUIJU_DEMO_ANCHOR", datetime.now(timezone.utc).isoformat(timespec="seconds"))


def client(service: str):
    """A test client from a loopback address of its own: the drafts' rate limit (per address, in the
    shared Redis) counts nothing of other tests' requests."""
    test_client = importlib.import_module(f"services.{service}.entrypoints.web").create_app().test_client()
    test_client.environ_base["REMOTE_ADDR"] = f"127.{random.randrange(20, 250)}.{random.randrange(256)}.{random.randrange(1, 250)}"
    return test_client


def test_api_without_database_answers_503_in_chinese(without_database):
    answer = client("intake").post("/api/v1/nominations", json={"channel": "self", "nominee_kind": "person"})
    assert answer.status_code == 503
    assert answer.json["code"] == "unavailable"
    assert answer.json["error"].startswith("服务暂时不可用")


@pytest.mark.parametrize("service, path", [("intake", "/api/v1/nominations"), ("review", "/notice/objection")])
def test_rate_limited_endpoint_without_database_keeps_its_own_retry_after(without_database, service, path):
    """The rate limiter writes its window's Retry-After on every limited answer; the 503's own must survive."""
    answer = client(service).post(path, json={"channel": "self", "nominee_kind": "person"})
    assert answer.status_code == 503
    assert "X-RateLimit-Limit" in answer.headers  # the limiter did count this request
    assert answer.headers.getlist("Retry-After") == ["30"]


def test_api_without_database_answers_in_english_when_asked(without_database):
    answer = client("intake").post("/api/v1/nominations", json={"channel": "self", "nominee_kind": "person"},
                                   headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert answer.status_code == 503
    assert answer.json["error"].startswith("The service is briefly unavailable")


def test_page_without_database_answers_503_page(without_database):
    answer = client("review").get("/notice/")
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "30"
    assert "服务暂时不可用" in answer.get_data(as_text=True)


def test_upload_without_s3_answers_503(stack, monkeypatch):
    from tests.builders import form_data

    monkeypatch.setenv("TUIJU_DEMO", "1")
    monkeypatch.setenv("TUIJU_DEMO_ANCHOR", datetime.now(timezone.utc).isoformat(timespec="seconds"))
    monkeypatch.setenv("TUIJU_S3_ENDPOINT", "127.0.0.1:1")  # nothing listens: the S3 server is away
    api = client("intake")
    token = api.post("/api/v1/nominations", json={"channel": "self", "nominee_kind": "person"}).json["token"]
    assert api.patch(f"/api/v1/nominations/{token}", json=form_data()).status_code == 200
    answer = api.post(f"/api/v1/nominations/{token}/files/photo",
                      data={"file": (io.BytesIO(portrait_photo_jpeg()), "photo.jpg", "image/jpeg")})
    assert answer.status_code == 503, answer.get_data(as_text=True)[:300]
    assert answer.json["error"].startswith("服务暂时不可用")
