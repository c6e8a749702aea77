"""The web processes do not load the scan checks' image libraries (OpenCV, PDFium): about 50 MB in each
gunicorn worker, against issue 19's idle target of 150 MB. Each app is built in a fresh interpreter, as
gunicorn builds it, with the test servers' settings."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration

IMAGE_LIBRARIES = ("cv2", "pypdfium2")
LOADED = """
import importlib, json, sys
importlib.import_module(f"services.{sys.argv[1]}.entrypoints.web").create_app()
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def top_level_modules_after_create_app(service: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", LOADED, service], capture_output=True, text=True, timeout=120,
                          env=os.environ.copy(), check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("service", ["intake", "review", "notify", "archive"])
def test_a_web_app_starts_without_the_image_libraries(service, stack):
    loaded = top_level_modules_after_create_app(service)
    assert "flask" in loaded
    assert not loaded & set(IMAGE_LIBRARIES)


def test_the_scan_pipeline_does_load_them(stack):
    """The check above can fail: the scans' own module brings both."""
    done = subprocess.run([sys.executable, "-c", "import sys, shared.scans.pipeline; "
                           "print(' '.join(sorted({'cv2', 'pypdfium2'} & set(sys.modules))))"],
                          capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == list(IMAGE_LIBRARIES)
