"""One system for the package's XSS checks (system.py): started for the first test that needs it, stopped
after the package's last test, so no other part of the suite runs beside its processes."""
from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import pytest

from bench.processes import System
from tests import staff
from tests.builders import random_name
from tests.chaos.xss import ALL
from tests.chaos.xss_staff.system import PROCESSES, review_id_of, submit_one
from tests.integration.review.staff_roles import register_demo_staff
from tests.stack import wait_until


@pytest.fixture(scope="package")
def xss_system(chaos_env):
    """The processes, and one submitted nomination per payload known to review: `nominations` (token,
    reference, review's id, nominee's name, contact's address, payload), `urls`, `review` (a container)."""
    from services.review.bootstrap import bootstrap
    from shared.config import Settings

    with tempfile.TemporaryDirectory(prefix="tuiju-chaos-xss-system-") as directory:
        system = System(chaos_env, Path(directory))
        review = bootstrap(Settings.from_env("review", system.env))
        try:
            system.start(*PROCESSES)
            register_demo_staff(review, {"secretariat": staff.access_token(chaos_env, "secretariat")})
            tag = uuid.uuid4().hex[:8]
            made = [submit_one(system.url("intake-web"), n, payload, random_name("柳"), f"xss-{tag}-{n}@example.com")
                    for n, payload in enumerate(ALL)]
            wait_until(lambda: all(review_id_of(review, m["name"]) for m in made), 300, interval=1,
                       what="review to receive the nominations")
            for m in made:
                m["id"] = review_id_of(review, m["name"])
            yield {"nominations": made, "review": review, "system": system, "tag": tag, "env": system.env,
                   "urls": {name.split("-")[0]: system.url(name) for name in PROCESSES if name.endswith("-web")}}
        finally:
            system.stop()
            review.engine.dispose()
