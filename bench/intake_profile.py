"""Where intake-web's CPU goes, per kind of request, under the bench's own load (issue 19: "profile and
write down where the time goes").

    python -m bench.intake_profile [SECONDS] [FOLDER]      # servers up, as for `make bench`

Runs the intake processes as the intake part of the bench does, but with the web app wrapped in a
per-request cProfile that counts the thread's CPU time (time.thread_time: waits on the database, S3 or
Redis are not counted), drives 1 and 4 API clients then 1 and 4 HTML clients for SECONDS (default 20)
each, and prints each request kind's CPU ms and its largest items. cProfile slows pure-Python code about
2-3×: read the shares, not the absolute figures. Profiles are kept in FOLDER (default a temporary one).
"""
from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

TOKEN_IN_PATH = (re.compile(r"/n/[^/]+"), re.compile(r"/nominations/[^/]+"))


def request_kind(environ: dict) -> str:
    path = TOKEN_IN_PATH[1].sub("/nominations/T", TOKEN_IN_PATH[0].sub("/n/T", environ.get("PATH_INFO", "")))
    return f"{environ['REQUEST_METHOD']} {path}"


class CpuProfiler:
    """WSGI middleware: each request's thread CPU profile, written to a file named by its kind."""

    def __init__(self, app, folder: str):
        self.app, self.folder = app, folder

    def __call__(self, environ, start_response):
        profile, body = cProfile.Profile(time.thread_time), []

        def answer():
            result = self.app(environ, start_response)
            try:
                body.extend(result)
            finally:
                getattr(result, "close", lambda: None)()

        profile.runcall(answer)
        name = request_kind(environ).replace("/", "_").replace(" ", ".")
        profile.dump_stats(os.path.join(self.folder, f"{name}.{uuid.uuid4().hex[:8]}.prof"))
        return body


def profiled_app():
    """gunicorn's app factory: `bench.intake_profile:profiled_app()` (TUIJU_PROFILE_DIR names the folder)."""
    from services.intake.entrypoints.web import create_app

    app = create_app()
    app.wsgi_app = CpuProfiler(app.wsgi_app, os.environ["TUIJU_PROFILE_DIR"])
    return app


def summary(folder: str, top: int = 12) -> str:
    kinds: dict[str, list[str]] = defaultdict(list)
    for path in Path(folder).glob("*.prof"):
        kinds[path.name.rsplit(".", 2)[0]].append(str(path))
    out = io.StringIO()
    for kind, files in sorted(kinds.items()):
        stats = pstats.Stats(*files, stream=out)
        stats.files = []  # not one header line per profile file
        out.write(f"\n== {kind}: {len(files)} requests, {1000 * stats.total_tt / len(files):.1f} CPU ms each (profiled)\n")
        stats.sort_stats("cumulative").print_stats(r"services/|shared/", top)
    return out.getvalue()


def main() -> None:
    from bench import intake_bench, intake_load, scans
    from bench.processes import System, procfile

    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 20
    folder = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="tuiju-profile-")
    os.makedirs(folder, exist_ok=True)
    intake = scans.open_intake()
    intake_bench.file_pools()
    web = procfile()["intake-web"].replace("'services.intake.entrypoints.web:create_app()'",
                                           "'bench.intake_profile:profiled_app()'")
    system = System({"TUIJU_PROFILE_DIR": folder}, Path(tempfile.mkdtemp(prefix="tuiju-profile-logs-")))
    tokens: list[str] = []
    try:
        system.start("intake-web", "intake-worker", "intake-relay", replace={"intake-web": web})
        url = system.url("intake-web")
        for path in ("api", "html"):
            for clients in (1, 4):
                level = intake_load.run_level(url, path, clients, seconds, intake_bench.nomination_files,
                                              intake_bench.form)
                tokens += level.pop("tokens")
                print(f"{path} at {clients} clients: {level['nominations']} nominations, {level['errors']} errors")
    finally:
        system.stop()
        intake_bench.remove_nominations(intake, tokens)
        intake.engine.dispose()
    print(summary(folder))
    print(f"profiles in {folder}")


if __name__ == "__main__":
    main()
