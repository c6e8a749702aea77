"""The SMS adapters against a real HTTP server on 127.0.0.1 (in a thread) and a real file."""
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from services.notify.adapters.sms import HttpSmsProvider, SinkSmsProvider, SmsResult

pytestmark = pytest.mark.unit

# path -> (status, body) the provider answers
ANSWERS = {
    "/ok": (200, b'{"id": "msg-123"}'),
    "/ok-message-id": (201, b'{"message_id": 77}'),
    "/ok-not-json": (200, b"OK"),
    "/bad-number": (400, '{"error": "号码格式错误"}'.encode()),
    "/bad-key": (401, b'{"error": "bad key"}'),
    "/busy": (503, b"try later"),
    "/too-many": (429, b"slow down"),
}


class ProviderHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(body)})
        if self.path == "/slow":
            time.sleep(1.0)
        status, answer = ANSWERS.get(self.path, (200, b"{}"))
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        except ConnectionError:
            pass  # the client of /slow gave up waiting, as the test wants

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def provider_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ProviderHandler)
    server.daemon_threads = True
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def provider(server, path, timeout=2.0):
    host, port = server.server_address
    return HttpSmsProvider(f"http://{host}:{port}{path}", api_key="secret-key", timeout=timeout)


def test_http_provider_posts_json_with_the_key(provider_server):
    result = provider(provider_server, "/ok").send("13911112222", "您好，申报已收到。")
    request = provider_server.received[-1]
    assert result == SmsResult(accepted=True, provider_id="msg-123", error=None, permanent=False)
    assert request["body"] == {"to": "13911112222", "text": "您好，申报已收到。"}
    assert request["headers"]["Authorization"] == "Bearer secret-key"
    assert request["headers"]["Content-Type"].startswith("application/json")


def test_http_provider_reads_message_id_answer(provider_server):
    assert provider(provider_server, "/ok-message-id").send("13911112222", "x").provider_id == "77"


def test_http_provider_accepts_2xx_without_json(provider_server):
    assert provider(provider_server, "/ok-not-json").send("13911112222", "x") == SmsResult(accepted=True)


@pytest.mark.parametrize("path,status", [("/bad-number", 400), ("/bad-key", 401)])
def test_http_provider_client_error_is_permanent(provider_server, path, status):
    result = provider(provider_server, path).send("13911112222", "x")
    assert (result.accepted, result.permanent) == (False, True)
    assert result.error.startswith(f"HTTP {status}: ")


def test_http_provider_keeps_the_providers_words(provider_server):
    assert "号码格式错误" in provider(provider_server, "/bad-number").send("1", "x").error


@pytest.mark.parametrize("path", ["/busy", "/too-many"])
def test_http_provider_server_error_or_throttle_is_transient(provider_server, path):
    result = provider(provider_server, path).send("13911112222", "x")
    assert (result.accepted, result.permanent) == (False, False)


def test_http_provider_timeout_is_transient(provider_server):
    started = time.monotonic()
    result = provider(provider_server, "/slow", timeout=0.2).send("13911112222", "x")
    assert (result.accepted, result.permanent) == (False, False)
    assert time.monotonic() - started < 0.9


def test_http_provider_refused_connection_is_transient():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = HttpSmsProvider(f"http://127.0.0.1:{port}/send", "k", timeout=1.0).send("13911112222", "x")
    assert (result.accepted, result.permanent) == (False, False)
    assert "unreachable" in result.error


def test_sink_records_each_message_as_a_json_line(tmp_path):
    sink = SinkSmsProvider(tmp_path / "sms" / "sent.jsonl")
    first = sink.send("13911112222", "您好，申报已收到。")
    second = sink.send("13800138000", "第二条")
    lines = (tmp_path / "sms" / "sent.jsonl").read_text(encoding="utf-8").splitlines()
    assert first.accepted and second.accepted and first.provider_id != second.provider_id
    assert [json.loads(line)["text"] for line in lines] == ["您好，申报已收到。", "第二条"]
    assert [m["phone"] for m in sink.messages()] == ["13911112222", "13800138000"]
    assert sink.messages()[0]["provider_id"] == first.provider_id


def test_sink_without_messages_reads_back_nothing(tmp_path):
    assert SinkSmsProvider(tmp_path / "none.jsonl").messages() == []
