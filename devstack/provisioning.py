"""Installing what the servers need: Debian packages, Go builds, Java; each server module adds its own step."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import List, Optional

from devstack.base import CommandFailed, DevstackError, go_binary, provision_log
from devstack.processes import cache_lock, is_root, run_logged

DEBIAN_PACKAGES = ("redis-server", "postgresql", "chromium", "fonts-noto-cjk", "fonts-wqy-zenhei", "libzbar0", "libmagic1")
# Debian packages that bring a command the provisioning itself needs, when that command is missing.
COMMAND_PACKAGES = {"java": "openjdk-17-jre-headless", "mvn": "maven", "runuser": "util-linux", "unzip": "unzip"}


def missing_debian_packages() -> List[str]:
    missing = [command_package for command, command_package in COMMAND_PACKAGES.items() if not shutil.which(command)]
    for package in DEBIAN_PACKAGES:
        result = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Abbrev}", package], capture_output=True,
                                text=True)
        if result.returncode != 0 or not result.stdout.startswith("ii"):
            missing.append(package)
    return missing


def install_debian_packages(packages: List[str]) -> None:
    log = provision_log("apt")
    if not is_root():
        raise DevstackError(f"apt: missing {' '.join(packages)}; as root run: apt-get install -y {' '.join(packages)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    # No service may start on install: the system's PostgreSQL and Redis would take the run profile's ports.
    policy = Path("/usr/sbin/policy-rc.d")
    own_policy = not policy.exists()
    if own_policy:
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
    try:
        with cache_lock("apt"):
            run_logged("apt: apt-get update", ["apt-get", "update"], log, env=env)
            run_logged(f"apt: installing {' '.join(packages)}", ["apt-get", "install", "-y", *packages], log, env=env)
    finally:
        if own_policy:
            policy.unlink(missing_ok=True)


def go_tool_is_current(binary: Path, version: str) -> bool:
    if not binary.exists():
        return False
    go = shutil.which("go")
    if not go:
        return True  # cannot tell its version; a binary we cannot rebuild is better than none
    result = subprocess.run([go, "version", "-m", str(binary)], capture_output=True, text=True)
    return any(line.split()[:1] == ["mod"] and version in line.split() for line in result.stdout.splitlines())


def install_go_tool(name: str, package: str, version: str) -> str:
    binary = go_binary(name)
    if go_tool_is_current(binary, version):
        return f"{name} {version} present"
    go = shutil.which("go")
    if not go:
        raise DevstackError(f"{name}: the Go toolchain (go) is not installed; it is needed to build {package}")
    with cache_lock(name):
        if go_tool_is_current(binary, version):
            return f"{name} {version} present"
        binary.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, GOBIN=str(binary.parent), CGO_ENABLED=os.environ.get("CGO_ENABLED", "0"))
        log = provision_log(name)
        try:
            run_logged(name, [go, "install", f"{package}@{version}"], log, env=env)
        except CommandFailed as failure:
            raise CommandFailed(name, f"go install {package}@{version} failed ({failure.reason}; is the Go module "
                                      f"proxy reachable?)", log) from None
    return f"{name} {version} built"


def go_tool(name: str) -> str:
    binary = go_binary(name)
    if not binary.exists():
        raise DevstackError(f"{name}: {binary} not built; run: devstack.py provision")
    return str(binary)


def java_major(java: Path) -> Optional[int]:
    """The feature version of a JDK/JRE's java (17, 21, 25), from its release file or `java -version`."""
    release = java.parent.parent / "release"
    try:
        for line in release.read_text().splitlines():
            if line.startswith("JAVA_VERSION="):
                return int(line.split("=", 1)[1].strip('"').split(".")[0])
    except (OSError, ValueError):
        pass
    try:
        output = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30).stderr
        return int(output.split('"')[1].split(".")[0])
    except (OSError, IndexError, ValueError, subprocess.TimeoutExpired):
        return None


def find_java_home(minimum: int) -> Optional[Path]:
    """$JAVA_HOME when recent enough, else the newest JDK under /usr/lib/jvm of at least that version."""
    candidates = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(Path(os.environ["JAVA_HOME"]))
    candidates += sorted(Path("/usr/lib/jvm").glob("*/"), reverse=True) if Path("/usr/lib/jvm").exists() else []
    found = [(java_major(home / "bin" / "java") or 0, home) for home in candidates if (home / "bin" / "java").exists()]
    recent = [(major, home) for major, home in found if major >= minimum]
    return max(recent, key=lambda pair: pair[0])[1] if recent else None
