"""Every operation of each service's OpenAPI (intake's, review's, the archive's and notify's), fuzzed by
schemathesis in the web app itself (WSGI, the real servers behind it): never a 5xx, never a response outside
what the schema declares for its status."""
from __future__ import annotations

import importlib
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.checks import response_schema_conformance

from services.archive.service_layer.reports import LISTS
from tests.chaos import fuzz_data
from tests.chaos.results import record
from tests.integration.review.staff_roles import register_demo_staff
from tests.staff import access_token

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(900)]

PART = "3 OpenAPI fuzzing"
SCHEMA_PATH = "/api/v1/openapi.json"
EXAMPLES = 30
STATUSES: dict[str, Counter] = {}   # operation -> statuses answered
FAILURES: dict[str, str] = {}       # operation -> the first failure
CONTEXT: dict = {}


def app_of(service: str, env: dict | None = None):
    """The service's web app on the environment (the test's own for the archive and notify: their databases)."""
    return importlib.import_module(f"services.{service}.entrypoints.web").create_app(env)


@pytest.fixture(scope="module")
def intake_schema(chaos_env, monkeypatch_module):
    """Intake's schema, a real draft's token put in half the cases (not only unknown tokens), and the campaign's
    channels and kinds of nominee in half the bodies that name them."""
    app = app_of("intake")
    started = app.test_client().post("/api/v1/nominations", json={"channel": "self", "nominee_kind": "person"},
                                     environ_base={"REMOTE_ADDR": "127.0.9.1"})
    CONTEXT["token"] = started.json["token"]
    campaign = app.extensions["intake"].campaign
    CONTEXT["intake_known"] = {"channel": list(campaign.channel_codes), "nominee_kind": list(campaign.nominee_kind_codes)}
    return schemathesis.openapi.from_wsgi(SCHEMA_PATH, app)


@pytest.fixture(scope="module")
def review_schema(chaos_env, monkeypatch_module):
    """Review's schema, and the auditor's bearer token on every case (reads all, may change nothing)."""
    token = access_token(chaos_env, "auditor")
    app = app_of("review")
    register_demo_staff(app.extensions["review"], {"auditor": token})  # known to review's staff directory
    CONTEXT["review_headers"] = {"Authorization": f"Bearer {token}"}
    return schemathesis.openapi.from_wsgi(SCHEMA_PATH, app)


@pytest.fixture(scope="module")
def archive_schema(chaos_env, monkeypatch_module):
    """The archive's schema (the app on a database and bucket of the fuzzing's own), the secretariat's bearer
    token on every case (its one change, the honouree import, needs a preview's token the fuzzing cannot
    guess; a preview records nothing), and a small campaign's history recorded in it: its nominations' ids,
    its campaign, the lists' names and the domains in half the cases (not only unknown ones)."""
    CONTEXT["archive_headers"] = {"Authorization": f"Bearer {access_token(chaos_env, 'secretariat')}"}
    with fuzz_data.archive_env(chaos_env) as env:
        app = app_of("archive", env)
        history = fuzz_data.archive_history(app.extensions["archive"])
        CONTEXT["archive_known"] = {"key": history.ids(), "nomination_id": history.ids(),
                                    "campaign": [history.campaign_id], "which": list(LISTS),
                                    "domain": list(app.extensions["archive"].campaign.domains)}
        yield schemathesis.openapi.from_wsgi(SCHEMA_PATH, app)
        app.extensions["archive"].engine.dispose()


@pytest.fixture(scope="module")
def notify_schema(chaos_env, monkeypatch_module):
    """Notify's schema (the app on a database of the fuzzing's own), the auditor's bearer token on every case
    (the API only reads), and a nomination's messages: its id and theirs in half the cases."""
    CONTEXT["notify_headers"] = {"Authorization": f"Bearer {access_token(chaos_env, 'auditor')}"}
    with fuzz_data.notify_env(chaos_env) as env:
        app = app_of("notify", env)
        nomination_id, message_ids = fuzz_data.notify_messages(app.extensions["notify"])
        CONTEXT["notify_known"] = {"nomination_id": [nomination_id], "message_id": message_ids}
        yield schemathesis.openapi.from_wsgi(SCHEMA_PATH, app)
        app.extensions["notify"].engine.dispose()


@pytest.fixture(scope="module")
def monkeypatch_module(chaos_env):
    with pytest.MonkeyPatch.context() as patch:
        for name, value in chaos_env.items():
            patch.setenv(name, value)
        yield patch


@pytest.fixture(scope="module", autouse=True)
def table():
    yield
    for operation, statuses in STATUSES.items():
        answered = ", ".join(f"{status}×{count}" for status, count in sorted(statuses.items()))
        record(PART, operation, operation not in FAILURES,
               FAILURES.get(operation, "")[:300] or f"{sum(statuses.values())} calls: {answered}")


def fuzz(case, service: str) -> None:
    operation = f"{service} {case.operation.label}"
    if "token" in (case.path_parameters or {}) and hash(repr(case.body)) % 2:
        case.path_parameters["token"] = CONTEXT["token"]
    known(case, CONTEXT.get(f"{service}_known", {}))
    try:
        response = case.call(headers=CONTEXT.get(f"{service}_headers"))
    except Exception as unhandled:  # schemathesis raises the app's unhandled exception (a 500) in place of its answer
        FAILURES.setdefault(operation, f"500, unhandled {type(unhandled).__name__}: {str(unhandled).splitlines()[:1]}")
        raise
    STATUSES.setdefault(operation, Counter())[response.status_code] += 1
    try:
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
    except (Exception, BaseExceptionGroup) as failure:
        FAILURES.setdefault(operation, f"{response.status_code}: {str(failure).splitlines()[0]}")
        raise


def known(case, values: dict[str, list[str]]) -> None:
    """Half the cases name something that exists (a path's, the query's or the JSON body's field of that name),
    so that the fuzzing reaches past the refusal of unknown names (intake's start: a channel of the campaign)."""
    body = case.body if isinstance(case.body, dict) else None
    for where in (case.path_parameters, case.query, body):
        for name in set(where or {}) & set(values):
            if values[name] and hash((repr(where), name)) % 2:
                where[name] = values[name][hash(repr(where)) % len(values[name])]


def fuzz_every_operation(schema, service: str) -> list[str]:
    failed = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def each(case):
            fuzz(case, service)

        try:
            each()
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - recorded; every operation is tried
            name = f"{service} {operation.label}"
            FAILURES.setdefault(name, f"{type(failure).__name__}: {str(failure).splitlines()[:1]}")
            failed.append(name)
    return failed


@pytest.mark.parametrize("service", ["intake", "review", "archive", "notify"])
def test_api_answers_within_its_schema_and_never_5xx(service, request):
    failed = fuzz_every_operation(request.getfixturevalue(f"{service}_schema"), service)
    assert not failed, {name: FAILURES.get(name) for name in failed}
