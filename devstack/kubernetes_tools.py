"""What the Kubernetes tests need, built or fetched once into the cache (~/.cache/tuiju): kustomize and
kubeconform (go install), the Kubernetes JSON schemas (the kubernetes-validate package of the dev extras)
and the schemas of the custom resources deploy/ uses, made from the operators' own CRD files (KEDA's from its
Go module). `devstack.py provision` runs it; the tests call it too (quick when all is there)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from devstack.base import DevstackError, cache_dir, go_binary
from devstack.provisioning import install_go_tool

KUSTOMIZE = ("kustomize", "sigs.k8s.io/kustomize/kustomize/v5", "v5.7.1")
KUBECONFORM = ("kubeconform", "github.com/yannh/kubeconform/cmd/kubeconform", "v0.7.0")
KUBERNETES_VERSION = "1.33.0"
# Custom resources: the Go module that ships each operator's CRD files, and where in it they are.
CRD_MODULES = {"keda": ("github.com/kedacore/keda/v2", "v2.18.0", "config/crd/bases")}


def crd_schema_dir() -> Path:
    return cache_dir() / "kubernetes-schemas"


def kubernetes_schema_dir() -> Path:
    """The strict schemas of KUBERNETES_VERSION that kubernetes-validate ships (a dev extra of the project's
    venv), copied into the cache with their references to _definitions.json made relative for kubeconform."""
    import kubernetes_validate

    target = cache_dir() / "kubernetes-schemas" / f"v{KUBERNETES_VERSION}"
    if (target / "deployment-apps-v1.json").exists():
        return target
    source = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / f"v{KUBERNETES_VERSION}-local-strict"
    if not source.is_dir():
        raise DevstackError(f"kubernetes-validate has no schemas for Kubernetes {KUBERNETES_VERSION} ({source})")
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for path in source.glob("*.json"):
        schema = json.loads(path.read_text().replace('"/api/_definitions.json#', '"_definitions.json#'))
        schema.pop("$id", None)  # its URL would resolve the references elsewhere than beside the file
        (partial / path.name).write_text(json.dumps(schema))
    partial.rename(target)
    return target


def provision_kubernetes_tools() -> str:
    done = [install_go_tool(*KUSTOMIZE), install_go_tool(*KUBECONFORM)]
    try:
        import yaml  # noqa: F401 - the project's venv has it; the devstack's own python3 may not
    except ImportError:
        return "; ".join(done + ["CRD schemas left to the tests (no PyYAML in this python)"])
    for name, (module, version, folder) in CRD_MODULES.items():
        done.append(write_crd_schemas(name, module, version, folder))
    return "; ".join(done)


def write_crd_schemas(name: str, module: str, version: str, folder: str) -> str:
    import yaml

    marker = crd_schema_dir() / f".{name}-{version}"
    if marker.exists():
        return f"{name} CRD schemas {version} present"
    source = go_module_dir(module, version) / folder
    count = 0
    for path in sorted(source.glob("*.yaml")):
        for crd in yaml.safe_load_all(path.read_text()):
            count += write_schemas_of(crd)
    if not count:
        raise DevstackError(f"{name}: no CRD in {source}")
    marker.touch()
    return f"{name} CRD schemas {version} written ({count})"


def go_module_dir(module: str, version: str) -> Path:
    go = shutil.which("go")
    if not go:
        raise DevstackError(f"the Go toolchain (go) is needed to fetch {module}")
    cache_dir().mkdir(parents=True, exist_ok=True)
    result = subprocess.run([go, "mod", "download", "-json", f"{module}@{version}"], capture_output=True, text=True,
                            timeout=600, cwd=cache_dir())
    if result.returncode != 0:
        raise DevstackError(f"go mod download {module}@{version} failed: {result.stdout[-500:]}{result.stderr[-500:]}")
    return Path(json.loads(result.stdout)["Dir"])


def write_schemas_of(crd: dict | None) -> int:
    """One JSON schema per served version, at GROUP/KIND_VERSION.json (kubeconform's -schema-location
    '{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json')."""
    if not crd or crd.get("kind") != "CustomResourceDefinition":
        return 0
    group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"].lower()
    written = 0
    for served in crd["spec"]["versions"]:
        target = crd_schema_dir() / group / f"{kind}_{served['name']}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(strict(served["schema"]["openAPIV3Schema"]), indent=1))
        written += 1
    return written


def strict(schema: dict) -> dict:
    """The CRD's schema where an object with listed properties refuses any other (a misspelt field fails),
    unless the CRD keeps unknown fields there."""
    schema = dict(schema)
    if "properties" in schema:
        schema["properties"] = {key: strict(value) for key, value in schema["properties"].items()}
        if not schema.get("x-kubernetes-preserve-unknown-fields") and "additionalProperties" not in schema:
            schema["additionalProperties"] = False
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            schema[key] = strict(schema[key])
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema:
            schema[key] = [strict(part) for part in schema[key]]
    return schema


def kustomize() -> str:
    return str(go_binary(KUSTOMIZE[0]))


def kubeconform() -> str:
    return str(go_binary(KUBECONFORM[0]))
