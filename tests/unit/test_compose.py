"""docker-compose.yml against the Compose Specification, and every command it runs against the code on disk.

tests/unit/data/compose-spec.json is schema/compose-spec.json of github.com/compose-spec/compose-spec
(commit 00655e2222608fa6eaecdf12ac5195889ca2244a), vendored as is.
"""
from __future__ import annotations

import copy
import json
import re
import shlex
from pathlib import Path

import jsonschema
import pytest
import yaml

from devstack import lifecycle
from devstack.servers import postgres

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((Path(__file__).parent / "data" / "compose-spec.json").read_text())
SERVERS = {"kafka", "minio", "redis", "postgres", "mailpit", "keycloak", "gateway"}
HA_BROKERS = {"kafka-2", "kafka-3"}
OPTIONAL_SERVERS = HA_BROKERS | {"jaeger"}  # --profile ha, --profile tracing
PROCESS_TYPES = {
    "intake-web", "intake-worker", "intake-beat", "intake-relay", "intake-consumer",
    "review-web", "review-consumer", "review-relay", "review-worker", "review-beat",
    "notify-web", "notify-consumer", "notify-worker", "notify-beat", "notify-relay",
    "archive-web", "archive-consumer", "archive-relay", "archive-sealer", "archive-audit",
}
WEB_PORTS = {"intake": 5001, "review": 5002, "notify": 5003, "archive": 5004}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def command_of(service: dict) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def module_file(module: str) -> Path | None:
    """The file that `import module` would load from the repo, or None."""
    base = REPO.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def problems_with_command(argv: list[str]) -> list[str]:
    """What is missing on disk for this command to start; empty when everything it names exists."""
    program = argv[0]
    if program == "python":
        module = argv[argv.index("-m") + 1]
        found = module_file(module) or (module_file(f"{module}.__main__"))
        return [] if found else [f"no module {module}"]
    if program == "celery":
        module = argv[argv.index("-A") + 1]
        path = module_file(module)
        if not path:
            return [f"no module {module}"]
        # `celery -A module` looks for a Celery instance called app or celery in it.
        has_app = re.search(r"^(app|celery)\s*[:=]", path.read_text(), re.MULTILINE)
        return [] if has_app else [f"{module} defines no module-level app (or celery)"]
    if program == "gunicorn":
        config = argv[argv.index("-c") + 1] if "-c" in argv else ""
        if config.startswith("python:") and not module_file(config.removeprefix("python:")):
            return [f"no module {config.removeprefix('python:')}"]
        target = argv[-1]
        module, _, factory = target.partition(":")
        path = module_file(module)
        if not path:
            return [f"no module {module}"]
        function = factory.removesuffix("()")
        return [] if re.search(rf"^def {function}\(", path.read_text(), re.MULTILINE) else [
            f"{module} has no {function}()"]
    return [f"unknown program {program}"]


def test_compose_file_matches_the_compose_specification(compose):
    jsonschema.Draft7Validator(SCHEMA).validate(compose)


def test_compose_specification_rejects_a_misspelt_service_key(compose):
    broken = copy.deepcopy(compose)
    broken["services"]["redis"]["healthckeck"] = broken["services"]["redis"].pop("healthcheck")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SCHEMA).validate(broken)


def test_compose_has_every_server_and_process_type(compose):
    assert set(compose["services"]) == SERVERS | OPTIONAL_SERVERS | PROCESS_TYPES | {"setup"}


def test_servers_use_pinned_official_images(compose):
    images = {name: compose["services"][name]["image"] for name in SERVERS}
    assert images["kafka"] == "apache/kafka:4.1.1"
    assert re.fullmatch(r"quay\.io/minio/minio:RELEASE\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ", images["minio"])
    assert images["redis"] == "redis:7"
    assert images["postgres"] == "postgres:16"
    assert images["mailpit"].startswith("axllent/mailpit")


def test_process_types_run_the_project_image_after_setup(compose):
    setup = compose["services"]["setup"]
    assert setup["build"]["dockerfile"] == "Dockerfile"
    assert command_of(setup) == ["python", "-m", "shared.setup"]
    for name in PROCESS_TYPES:
        service = compose["services"][name]
        assert service["image"] == setup["image"], name
        assert service["depends_on"]["setup"]["condition"] == "service_completed_successfully", name


def test_process_types_can_scale_without_fixed_names_or_host_ports(compose):
    for name in PROCESS_TYPES:
        service = compose["services"][name]
        assert "container_name" not in service and "ports" not in service, name


def test_web_processes_listen_on_their_service_port_behind_the_gateway(compose):
    published = {int(port.split(":")[0]) for port in compose["services"]["gateway"]["ports"]}
    assert published == set(WEB_PORTS.values())
    gateway_conf = (REPO / "devstack" / "compose" / "gateway.conf").read_text()
    for service, port in WEB_PORTS.items():
        argv = command_of(compose["services"][f"{service}-web"])
        assert argv[:3] == ["gunicorn", "-b", f"0.0.0.0:{port}"]
        assert f"{service}-web:{port}" in gateway_conf


def test_process_environment_names_every_variable_the_devstack_exports(compose):
    for name in PROCESS_TYPES | {"setup"}:
        environment = compose["services"][name]["environment"]
        missing = set(lifecycle.env_for("run")) - set(environment)
        assert not missing, f"{name} lacks {sorted(missing)}"
    assert interpolate(compose["services"]["setup"]["environment"]["TUIJU_KAFKA_BOOTSTRAP"], {}) == "kafka:9092"


def interpolate(value, env: dict[str, str]) -> str:
    """What compose makes of ${NAME:-default} and ${NAME:?message} with these variables set."""
    def one(match: re.Match) -> str:
        name, operator, rest = match.group(1), match.group(2) or "", match.group(3) or ""
        if env.get(name):
            return env[name]
        assert operator != ":?", f"{name} is required"
        return rest
    return re.sub(r"\$\{([A-Z0-9_]+)(:-|:\?)?([^}]*)\}", one, str(value))


def env_file(path: str) -> dict[str, str]:
    lines = (REPO / path).read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def brokers_of(compose: dict, env: dict[str, str]) -> dict[str, dict[str, str]]:
    profiles = set(env.get("COMPOSE_PROFILES", "").split(","))
    return {name: {key: interpolate(value, env) for key, value in service["environment"].items()}
            for name, service in compose["services"].items()
            if service.get("image", "").startswith("apache/kafka")
            and (not service.get("profiles") or profiles & set(service["profiles"]))}


@pytest.mark.parametrize("env_path, brokers, replicas, min_insync", [
    (None, 1, "1", "1"), ("devstack/compose/kafka-ha.env", 3, "3", "2")])
def test_compose_kafka_durability_follows_its_brokers_for_topics_and_internal_topics(compose, env_path, brokers,
                                                                                      replicas, min_insync):
    env = env_file(env_path) if env_path else {}
    found = brokers_of(compose, env)
    assert len(found) == brokers
    voters = {f"{config['KAFKA_NODE_ID']}@{name}:9093" for name, config in found.items()}
    for name, config in found.items():
        assert set(config["KAFKA_CONTROLLER_QUORUM_VOTERS"].split(",")) == voters, name
        assert config["KAFKA_ADVERTISED_LISTENERS"] == f"PLAINTEXT://{name}:9092"
        for key in ("DEFAULT_REPLICATION_FACTOR", "OFFSETS_TOPIC_REPLICATION_FACTOR",
                    "TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR"):
            assert config[f"KAFKA_{key}"] == replicas, (name, key)
        for key in ("MIN_INSYNC_REPLICAS", "TRANSACTION_STATE_LOG_MIN_ISR", "SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR"):
            assert config[f"KAFKA_{key}"] == min_insync, (name, key)
    setup = {key: interpolate(value, env) for key, value in compose["services"]["setup"]["environment"].items()
             if "KAFKA" in key}
    assert set(setup["TUIJU_KAFKA_BOOTSTRAP"].split(",")) == {f"{name}:9092" for name in found}
    assert (setup["TUIJU_KAFKA_REPLICATION_FACTOR"], setup["TUIJU_KAFKA_MIN_INSYNC_REPLICAS"]) == (replicas, min_insync)


def test_postgres_init_script_creates_each_service_database(compose):
    mounts = compose["services"]["postgres"]["volumes"]
    script = next(mount.split(":")[0] for mount in mounts if "docker-entrypoint-initdb.d" in mount)
    sql = (REPO / script).read_text()
    for database in postgres.DATABASES:
        assert f"CREATE DATABASE {database} OWNER tuiju;" in sql


def test_problems_with_command_reports_a_missing_module():
    assert problems_with_command(["python", "-m", "services.nowhere.entrypoints.relay"]) == [
        "no module services.nowhere.entrypoints.relay"]
    assert problems_with_command(["gunicorn", "-b", ":1", "shared.config:create_app()"]) == [
        "shared.config has no create_app()"]


@pytest.mark.parametrize("name", sorted(PROCESS_TYPES | {"setup"}))
def test_compose_command_names_code_that_exists(compose, name):
    argv = command_of(compose["services"][name])
    assert problems_with_command(argv) == []


def test_keycloak_imports_the_repository_realm_without_demo_users_and_fills_each_placeholder(compose):
    keycloak = compose["services"]["keycloak"]
    assert keycloak["image"].startswith("quay.io/keycloak/keycloak:26.")
    assert "--import-realm" in keycloak["command"]
    mounts = [mount.split(":")[:2] for mount in keycloak["volumes"]]
    assert mounts == [["./deploy/keycloak/tuiju-realm.json", "/opt/keycloak/data/import/tuiju-realm.json"]]
    placeholders = set(re.findall(r"\$\{([A-Z0-9_]+)", (REPO / "deploy/keycloak/tuiju-realm.json").read_text()))
    assert placeholders <= set(keycloak["environment"])


def test_keycloak_checks_a_pooled_database_connection_before_use(compose):
    assert compose["services"]["keycloak"]["environment"]["QUARKUS_DATASOURCE_JDBC_VALIDATE_ON_BORROW"] == "true"


def test_no_secret_of_the_sign_in_has_a_default_in_compose(compose):
    keycloak = compose["services"]["keycloak"]["environment"]
    secrets = {name: value for name, value in keycloak.items() if "SECRET" in name or "ADMIN" in name}
    assert secrets and all(":?" in value for value in secrets.values())
    assert all(":?" in compose["x-tuiju-env"][f"TUIJU_OIDC_SECRET_{s}"] for s in ("INTAKE", "REVIEW", "NOTIFY", "ARCHIVE"))


def test_no_database_or_storage_secret_has_a_default_in_compose(compose):
    text = (REPO / "docker-compose.yml").read_text()
    for name in ("TUIJU_POSTGRES_PASSWORD", "TUIJU_S3_SECRET_KEY"):
        uses = re.findall(r"\$\{" + name + r"(:[?-])", text)
        assert uses and set(uses) == {":?"}, name


def test_compose_publishes_neither_the_s3_console_nor_mailpit(compose):
    published = {service: [str(port) for port in definition.get("ports", [])]
                 for service, definition in compose["services"].items()}
    assert published.get("minio") == ["9000:9000"] and not published.get("mailpit")
    assert not any("9001" in port or "8025" in port for ports in published.values() for port in ports)


def test_compose_tools_file_publishes_them_on_localhost_only_behind_credentials():
    tools = yaml.safe_load((REPO / "docker-compose.tools.yml").read_text())["services"]
    ports = [port for service in tools.values() for port in service.get("ports", [])]
    assert ports and all(port.startswith("127.0.0.1:") for port in ports)
    assert ":?" in tools["mailpit"]["environment"]["MP_UI_AUTH"]


def test_presigned_links_are_signed_for_the_s3_port_compose_publishes(compose):
    from shared.config import Settings
    from shared.storage import browser_endpoint

    env = {key: value.split(":-")[1].rstrip("}") if "${" in value else value
           for key, value in compose["x-tuiju-env"].items()
           if key in ("TUIJU_S3_ENDPOINT", "TUIJU_S3_PUBLIC_ENDPOINT", "TUIJU_S3_SECURE")}
    public = browser_endpoint(Settings.from_env("review", {**env, "TUIJU_ENV": "test"}))
    assert public.origin == "http://localhost:9000" and env["TUIJU_S3_ENDPOINT"] == "minio:9000"
    assert f"{public.host.split(':')[1]}:9000" in compose["services"]["minio"]["ports"]


def test_the_scan_worker_yields_the_cpu_to_the_forms(compose):
    """Containers share a machine's CPU by their weight, not by nice (issue 19: scans never slow the forms)."""
    services = compose["services"]
    assert services["intake-worker"]["cpu_shares"] < services["intake-web"].get("cpu_shares", 1024)
