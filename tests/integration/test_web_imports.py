"""The web processes do not load the scan checks' image libraries (OpenCV, numpy, PDFium: about 35 MB) nor
openpyxl (with numpy and Pillow, about 25 MB) until a request needs them: issue 19's idle target is 150 MB
in each gunicorn worker. Each app is built in a fresh interpreter, as gunicorn builds it, with the test
servers' settings."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration

HEAVY_LIBRARIES = ("cv2", "numpy", "openpyxl", "pypdfium2")
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
def test_a_web_app_starts_without_the_heavy_libraries(service, stack):
    loaded = top_level_modules_after_create_app(service)
    assert "flask" in loaded
    assert not loaded & set(HEAVY_LIBRARIES)


USING_THEM = """
import sys
import shared.scans.pipeline
from services.intake.adapters.exports import nominations_workbook
nominations_workbook([["=1+1"]], "x").close()
print(" ".join(sorted(set(sys.argv[1:]) & set(sys.modules))))
"""


def test_scanning_and_writing_a_workbook_do_load_them(stack):
    """The check above can fail: the scans' pipeline and an export's workbook bring every one of them."""
    done = subprocess.run([sys.executable, "-c", USING_THEM, *HEAVY_LIBRARIES], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.split() == list(HEAVY_LIBRARIES)
