"""`devstack.py provision`: Debian packages first, then every server's own step side by side."""
from __future__ import annotations

import time
from typing import Callable

from devstack.base import DevstackError, cache_dir
from devstack.kubernetes_tools import provision_kubernetes_tools
from devstack.processes import run_in_parallel
from devstack.provisioning import install_debian_packages, missing_debian_packages
from devstack.servers import REGISTRY


def provision(report: Callable[[str], None] = print) -> None:
    """Install what the devstack needs; quick and silent about work already done."""
    started = time.monotonic()
    missing = missing_debian_packages()
    if missing:
        install_debian_packages(missing)
        report(f"apt: installed {' '.join(missing)} ({time.monotonic() - started:.0f} s)")
    # The Go builds use the CPU and the downloads the network: run them side by side.
    steps = {name: server.provision for name, server in REGISTRY.items() if server.provision}
    steps["kubernetes-tools"] = provision_kubernetes_tools  # the deploy/ tests' kustomize, kubeconform, schemas
    results = run_in_parallel(steps, lambda name: steps[name]())
    failures = [str(result) for result in results.values() if isinstance(result, BaseException)]
    if failures:
        raise DevstackError("\n".join(failures))
    report(f"provisioned in {time.monotonic() - started:.1f} s: " + "; ".join(str(results[name]) for name in steps)
           + f"; cache {cache_dir()}")
