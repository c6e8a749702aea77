"""deploy/: every overlay built with kustomize, every manifest validated by kubeconform against the Kubernetes
schemas and the CRD schemas it uses, and every command, environment variable, port, queue, consumer group and
replica count checked against the code. The tools and schemas come from devstack/kubernetes_tools.py (built
once into ~/.cache/tuiju; `devstack.py provision` does it on a new machine)."""
from __future__ import annotations

import base64
import importlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from devstack import kubernetes_tools as tools
from services.intake.entrypoints.web import MAX_BODY
from services.notify.config import NotifyOptions
from shared.config import REDIS_DB, Settings
from shared.events.topics import PARTITIONS
from shared.setup import STEPS, chosen_steps
from tests.unit.test_compose import PROCESS_TYPES, command_of, problems_with_command

pytestmark = pytest.mark.unit
REPO = Path(__file__).resolve().parents[3]
DEPLOY = REPO / "deploy"
OVERLAYS = ("small", "large")
SERVICES = ("intake", "review", "notify", "archive")
# Read by the programs the image runs, not by Tuiju's code.
THIRD_PARTY_SETTINGS = {"GUNICORN_CMD_ARGS"}
FILLED = "x-test-value-long-enough-for-the-production-checks"
NO_SCHEMA = {"Kafka", "KafkaNodePool"}  # Strimzi publishes its CRDs nowhere the registries reach (see README)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, list[dict]]:
    tools.provision_kubernetes_tools()
    copy = tmp_path_factory.mktemp("deploy") / "deploy"
    shutil.copytree(DEPLOY, copy)
    for overlay in OVERLAYS:
        for name in ("secrets", "keycloak"):
            example = (copy / "overlays" / f"{name}.env.example").read_text()
            filled = re.sub(r"=$", f"={FILLED}", example, flags=re.M).replace("change-me", "x-test-password")
            (copy / "overlays" / overlay / f"{name}.env").write_text(filled)
    found = {}
    for overlay in OVERLAYS:
        result = subprocess.run([tools.kustomize(), "build", str(copy / "overlays" / overlay)], capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        (copy / f"{overlay}.yaml").write_text(result.stdout)
        found[overlay] = [document for document in yaml.safe_load_all(result.stdout) if document]
    found["_dir"] = copy
    return found


def kubeconform(path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [tools.kubeconform(), "-strict", "-summary", "-kubernetes-version", tools.KUBERNETES_VERSION,
         "-schema-location", f"{tools.kubernetes_schema_dir()}/{{{{ .ResourceKind }}}}{{{{ .KindSuffix }}}}.json",
         "-schema-location", f"{tools.crd_schema_dir()}/{{{{ .Group }}}}/{{{{ .ResourceKind }}}}_{{{{ .ResourceAPIVersion }}}}.json",
         *extra, str(path)], capture_output=True, text=True, timeout=120)


def of_kind(documents: list[dict], kind: str) -> dict[str, dict]:
    return {document["metadata"]["name"]: document for document in documents if document["kind"] == kind}


def tuiju_container(document: dict) -> dict | None:
    (container, *_) = document["spec"]["template"]["spec"]["containers"]
    return container if container["image"].split(":")[0].endswith("tuiju") else None


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_manifest_of_each_overlay_passes_kubeconform(built, overlay):
    result = kubeconform(built["_dir"] / f"{overlay}.yaml", "-skip", ",".join(sorted(NO_SCHEMA)))
    assert result.returncode == 0, result.stdout + result.stderr
    valid = int(re.search(r"(\d+) resources found", result.stdout + result.stderr).group(1))
    assert valid == len(built[overlay]) and "Invalid: 0, Errors: 0" in result.stdout + result.stderr


@pytest.mark.parametrize("document", [
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
     "spec": {"selector": {}, "template": {"spec": {"containers": [{"name": "x", "image": "x", "comand": ["x"]}]}}}},
    {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": {"name": "x"},
     "spec": {"scaleTargetRef": {"name": "x"}, "maxReplicas": 3, "triggers": []}},
], ids=["deployment", "scaledobject"])
def test_kubeconform_refuses_a_misspelt_field(built, tmp_path, document):
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(document))
    assert kubeconform(tmp_path / "bad.yaml").returncode != 0


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_process_type_runs_the_command_compose_runs_and_the_jobs_each_setup_step(built, overlay):
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]
    deployments = {name: tuiju_container(d) for name, d in of_kind(built[overlay], "Deployment").items()}
    commands = {name: container["command"] for name, container in deployments.items() if container}
    assert commands == {name: command_of(compose[name]) for name in PROCESS_TYPES}
    jobs = {name: tuiju_container(job)["command"] for name, job in of_kind(built[overlay], "Job").items()}
    assert jobs == {f"tuiju-{step}": ["python", "-m", "shared.setup", step] for step in STEPS}
    for command in [*commands.values(), *jobs.values()]:
        assert problems_with_command(command) == []


def code_reads(name: str) -> bool:
    """The name (or, for Settings' get("X") of TUIJU_X, its tail) is a string literal of the code."""
    short = name.removeprefix("TUIJU_")
    pattern = re.compile(rf"""["'](?:{name}|{short})["']""")
    return any(pattern.search(path.read_text(errors="replace"))
               for folder in ("shared", "services") for path in (REPO / folder).rglob("*.py"))


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_setting_given_is_one_the_code_reads_and_each_service_starts_with_them(built, overlay):
    config = of_kind(built[overlay], "ConfigMap")["tuiju-config"]["data"]
    [secrets] = [s for name, s in of_kind(built[overlay], "Secret").items() if name.startswith("tuiju-secrets-")]
    given = {**config, **{key: base64.b64decode(value).decode() for key, value in secrets["data"].items()}}
    realm = set(re.findall(r"\$\{([A-Z0-9_]+)", (DEPLOY / "keycloak" / "tuiju-realm.json").read_text()))
    per_service = {f"TUIJU_OIDC_SECRET_{service.upper()}" for service in SERVICES}  # get(f"OIDC_SECRET_{…}")
    unread = [name for name in given
              if name not in THIRD_PARTY_SETTINGS | realm | per_service and not code_reads(name)]
    assert unread == []
    assert not code_reads("TUIJU_NO_SUCH_SETTING")
    for service in SERVICES:
        settings = Settings.from_env(service, given)
        assert settings.env == "production" and settings.kafka_bootstrap == config["TUIJU_KAFKA_BOOTSTRAP"]
        assert settings.oidc_client_secret == FILLED


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_web_processes_have_probes_a_service_an_hpa_and_every_process_its_resources(built, overlay):
    documents = built[overlay]
    services, hpas = of_kind(documents, "Service"), of_kind(documents, "HorizontalPodAutoscaler")
    for name, deployment in of_kind(documents, "Deployment").items():
        container = tuiju_container(deployment) or deployment["spec"]["template"]["spec"]["containers"][0]
        assert {"cpu", "memory"} <= set(container["resources"]["requests"]) and "memory" in container["resources"]["limits"]
        if name.endswith("-web"):
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
            port = container["ports"][0]["containerPort"]
            assert f"0.0.0.0:{port}" in container["command"]
            assert services[name]["spec"]["ports"][0]["port"] == port
            assert hpas[name]["spec"]["scaleTargetRef"]["name"] == name
            assert 1 <= hpas[name]["spec"]["minReplicas"] <= hpas[name]["spec"]["maxReplicas"]
    budgets = {b["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"]
               for b in of_kind(documents, "PodDisruptionBudget").values()}
    assert {f"{s}-web" for s in SERVICES} | {f"{s}-consumer" for s in SERVICES} <= budgets


def test_the_ingress_reaches_each_web_process_and_keycloak_and_takes_the_largest_request(built):
    documents = built["large"]
    [ingress] = of_kind(documents, "Ingress").values()
    services = of_kind(documents, "Service")
    targets = {path["backend"]["service"]["name"] for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]}
    assert targets == {f"{s}-web" for s in SERVICES} | {"keycloak", "minio"}
    config = of_kind(documents, "ConfigMap")["tuiju-config"]["data"]
    for rule in ingress["spec"]["rules"]:
        backend = rule["http"]["paths"][0]["backend"]["service"]
        if backend["name"] == "minio":  # the cluster's own MinIO (not in deploy/), for presigned links
            assert f"https://{rule['host']}" == config["TUIJU_S3_PUBLIC_ENDPOINT"]
            assert f"minio:{backend['port']['number']}" == config["TUIJU_S3_ENDPOINT"]
            continue
        assert backend["port"]["name"] in {port["name"] for port in services[backend["name"]]["spec"]["ports"]}
    body = ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"]
    assert int(body.removesuffix("m")) * 1024 * 1024 > MAX_BODY


def worker_queues(service: str, command: list[str]) -> list[str]:
    if "-Q" in command:
        return command[command.index("-Q") + 1].split(",")
    return [NotifyOptions.from_env({}).queue] if service == "notify" else ["celery"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_consumers_scale_on_their_groups_lag_never_past_their_partitions_and_workers_on_their_queue(built, overlay):
    documents = built[overlay]
    config = of_kind(documents, "ConfigMap")["tuiju-config"]["data"]
    deployments = of_kind(documents, "Deployment")
    scaled = of_kind(documents, "ScaledObject")
    assert set(scaled) == {f"{s}-consumer" for s in SERVICES} | {f"{s}-worker" for s in SERVICES if f"{s}-worker" in deployments}
    for name, scaler in scaled.items():
        service, process = name.split("-")
        assert scaler["spec"]["scaleTargetRef"]["name"] == name and not of_kind(documents, "HorizontalPodAutoscaler").get(name)
        [trigger] = scaler["spec"]["triggers"]
        if process == "consumer":
            topics = importlib.import_module(f"services.{service}.entrypoints.consumer").TOPICS
            assert trigger["type"] == "kafka" and trigger["metadata"]["consumerGroup"] == service
            assert trigger["metadata"]["bootstrapServers"] == config["TUIJU_KAFKA_BOOTSTRAP"]
            assert scaler["spec"]["maxReplicaCount"] <= max(PARTITIONS[topic] for topic in topics)
        else:
            command = tuiju_container(deployments[name])["command"]
            assert "-B" not in command  # the beat runs once, in its own Deployment
            assert trigger["type"] == "redis" and trigger["metadata"]["databaseIndex"] == str(REDIS_DB[service][0])
            assert trigger["metadata"]["listName"] in worker_queues(service, command)
        assert 1 <= scaler["spec"]["minReplicaCount"] <= scaler["spec"]["maxReplicaCount"]
    for name in (n for n in deployments if n.endswith("-beat")):
        assert deployments[name]["spec"]["replicas"] == 1 and deployments[name]["spec"]["strategy"]["type"] == "Recreate"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_kafka_nodes_and_replication_settings_agree(built, overlay):
    documents = built[overlay]
    config = of_kind(documents, "ConfigMap")["tuiju-config"]["data"]
    [kafka] = of_kind(documents, "Kafka").values()
    [pool] = of_kind(documents, "KafkaNodePool").values()
    assert pool["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"]
    assert set(pool["spec"]["roles"]) == {"controller", "broker"}
    assert kafka["metadata"]["annotations"] == {"strimzi.io/node-pools": "enabled", "strimzi.io/kraft": "enabled"}
    assert config["TUIJU_KAFKA_BOOTSTRAP"] == f"{kafka['metadata']['name']}-kafka-bootstrap:9092"
    replicas, in_sync = int(config["TUIJU_KAFKA_REPLICATION_FACTOR"]), int(config["TUIJU_KAFKA_MIN_INSYNC_REPLICAS"])
    assert in_sync <= replicas <= pool["spec"]["replicas"]
    broker = kafka["spec"]["kafka"]["config"]
    assert (broker["default.replication.factor"], broker["offsets.topic.replication.factor"],
            broker["transaction.state.log.replication.factor"]) == (replicas,) * 3
    assert (broker["min.insync.replicas"], broker["transaction.state.log.min.isr"]) == (in_sync,) * 2


def test_no_secret_is_in_the_repository_and_the_overlays_env_files_are_ignored():
    for path in DEPLOY.rglob("*.yaml"):
        kinds = {d.get("kind") for d in yaml.safe_load_all(path.read_text()) if d}
        assert "Secret" not in kinds, path
    for name in ("secrets", "keycloak"):
        example = (DEPLOY / "overlays" / f"{name}.env.example").read_text()
        values = [line.split("=", 1)[1] for line in example.splitlines() if "=" in line and not line.startswith("#")]
        assert values and all(value in ("", "postgresql+psycopg://tuiju:change-me@postgres:5432") for value in values)
        for overlay in OVERLAYS:
            ignored = subprocess.run(["git", "check-ignore", "-q", f"deploy/overlays/{overlay}/{name}.env"], cwd=REPO)
            assert ignored.returncode == 0


def test_keycloak_imports_the_repository_realm_and_gets_every_placeholder(built):
    documents = built["large"]
    pod = of_kind(documents, "Deployment")["keycloak"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["image"].startswith("quay.io/keycloak/keycloak:26.") and "--import-realm" in container["args"]
    (mount,) = container["volumeMounts"]
    realm = {v["name"]: v["configMap"]["name"] for v in pod["volumes"]}[mount["name"]]
    [realm_map] = [m for name, m in of_kind(documents, "ConfigMap").items() if name == realm]
    assert realm_map["data"]["tuiju-realm.json"] == (DEPLOY / "keycloak" / "tuiju-realm.json").read_text()
    config = of_kind(documents, "ConfigMap")["tuiju-config"]["data"]
    secrets = {key for s in of_kind(documents, "Secret").values() for key in s["data"]}
    placeholders = set(re.findall(r"\$\{([A-Z0-9_]+)", realm_map["data"]["tuiju-realm.json"]))
    assert placeholders <= set(config) | secrets
    assert {"KC_DB_USERNAME", "KC_DB_PASSWORD", "KC_BOOTSTRAP_ADMIN_USERNAME", "KC_BOOTSTRAP_ADMIN_PASSWORD"} <= secrets


def test_keycloak_checks_a_pooled_database_connection_before_use(built):
    (container,) = of_kind(built["large"], "Deployment")["keycloak"]["spec"]["template"]["spec"]["containers"]
    assert {"name": "QUARKUS_DATASOURCE_JDBC_VALIDATE_ON_BORROW", "value": "true"} in container["env"]


def test_setup_runs_the_steps_named_and_refuses_an_unknown_one():
    assert chosen_steps([]) == STEPS and chosen_steps(["topics"]) == ("topics",)
    with pytest.raises(SystemExit, match="unknown step migration"):
        chosen_steps(["migration"])
