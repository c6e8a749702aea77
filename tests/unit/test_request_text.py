"""Text no database stores (a NUL, a lone UTF-16 surrogate) is refused before a view reads it, wherever the
request carries it: path, query, JSON body (keys too, at any depth), a form's fields. Files' bytes are not text."""
import io

import pytest
from flask import Flask, jsonify, request

from shared.request_text import MAX_JSON_DEPTH, refuse_unstorable_text
from shared.storable_text import storable, unstorable

pytestmark = pytest.mark.unit


@pytest.fixture
def client():
    app = Flask(__name__)
    app.before_request(refuse_unstorable_text)
    reached = []

    @app.route("/api/echo", methods=["GET", "POST"])
    @app.route("/page", methods=["GET", "POST"])
    @app.route("/page/<name>")
    def echo(name=""):
        reached.append(request.path)
        files = {key: len(part.read()) for key, part in request.files.items()}
        return jsonify(json=request.get_json(silent=True), form=dict(request.form), files=files)

    client = app.test_client()
    client.reached = reached
    return client


def raw_json(client, path, text, **kwargs):
    return client.post(path, data=text.encode(), content_type="application/json", **kwargs)


@pytest.mark.parametrize("body", ['{"reason": "a\\u0000b"}', '{"reason": "\\ud800"}', '{"a\\u0000": 1}',
                                  '{"form": {"deeds": ["ok", {"x": "\\udfff tail"}]}}', '["\\u0000"]'])
def test_a_json_body_with_a_nul_or_a_lone_surrogate_anywhere_is_refused_in_chinese(client, body):
    answer = raw_json(client, "/api/echo", body)
    assert answer.status_code == 400
    assert answer.json["code"] == "bad_request" and "无法保存的字符" in answer.json["error"]
    assert client.reached == []


def test_a_paired_surrogate_is_a_character_like_any_other(client):
    answer = raw_json(client, "/api/echo", '{"reason": "\\ud83d\\ude00 好"}')
    assert answer.status_code == 200 and answer.json["json"] == {"reason": "😀 好"}


@pytest.mark.parametrize("form", [{"reason": "a\x00b"}, {"re\x00ason": "ok"}])
def test_a_form_field_with_a_nul_is_refused_in_plain_chinese_text(client, form):
    answer = client.post("/page", data=form)
    assert answer.status_code == 400 and answer.mimetype == "text/plain"
    assert "无法保存的字符" in answer.get_data(as_text=True)
    assert client.reached == []


def test_a_multipart_form_field_with_a_nul_is_refused_but_a_file_of_nul_bytes_goes_through(client):
    refused = client.post("/page", data={"text": "异议\x00", "attachment": (io.BytesIO(b"x"), "a.png")},
                          content_type="multipart/form-data")
    assert refused.status_code == 400
    kept = client.post("/page", data={"text": "异议内容", "attachment": (io.BytesIO(b"\x00" * 64), "a.png")},
                       content_type="multipart/form-data")
    assert kept.status_code == 200 and kept.json["files"] == {"attachment": 64}


def test_a_multipart_part_without_a_name_is_no_text_to_refuse(client):
    body = b'--b\r\nContent-Disposition: form-data\r\n\r\nabc\r\n--b--\r\n'
    assert client.post("/page", data=body, content_type="multipart/form-data; boundary=b").status_code == 200


@pytest.mark.parametrize("address", ["/page?q=a%00b", "/page?a%00=1", "/page/a%00b", "/api/echo?q=%00"])
def test_a_nul_in_the_address_is_refused(client, address):
    assert client.get(address).status_code == 400
    assert client.reached == []


def test_the_refusal_speaks_english_to_an_english_reader(client):
    answer = raw_json(client, "/api/echo", '{"q": "\\u0000"}', headers={"Accept-Language": "en"})
    assert answer.status_code == 400 and "cannot be stored" in answer.json["error"]


def test_ordinary_text_json_and_forms_reach_the_view(client):
    assert raw_json(client, "/api/echo", '{"reason": "不再参评\\n换行\\t制表"}').json["json"]["reason"] == "不再参评\n换行\t制表"
    assert client.post("/page", data={"reason": "不再参评"}).json["form"] == {"reason": "不再参评"}
    assert client.get("/page?q=张三").status_code == 200
    assert len(client.reached) == 3


def test_storable_drops_only_what_no_database_stores():
    assert storable("Mozilla/5.0\x00 (X11)\ud800 😀 浏览器") == "Mozilla/5.0 (X11) 😀 浏览器"
    assert unstorable("a\x00") and unstorable("\udc80") and not unstorable("正常\t文本 😀")


@pytest.mark.parametrize("depth", [33, 60_000])
def test_a_json_body_nested_deeper_than_any_form_is_refused_not_a_500(client, depth):
    answer = raw_json(client, "/api/echo", "[" * depth + "]" * depth)
    assert answer.status_code == 400 and "层级过深" in answer.json["error"]
    assert client.reached == []


def test_a_json_body_nested_as_deep_as_allowed_reaches_the_view(client):
    body = '{"a": ' * (MAX_JSON_DEPTH - 1) + '["好"]' + "}" * (MAX_JSON_DEPTH - 1)
    assert raw_json(client, "/api/echo", body).status_code == 200
