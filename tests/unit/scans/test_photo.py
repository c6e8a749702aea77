import pytest

from shared.scans.limits import ScanLimits
from shared.scans.photo import check_portrait

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("width, height, aspect_ok, resolution_ok", [
    (295, 413, True, True),
    (354, 496, True, True),
    (600, 800, True, True),
    (413, 413, False, True),
    (496, 354, False, False),
    (250, 350, True, False),
    (300, 600, False, True),
])
def test_check_portrait(width, height, aspect_ok, resolution_ok):
    check = check_portrait(width, height)
    assert (check.aspect_ok, check.resolution_ok) == (aspect_ok, resolution_ok)


def test_check_portrait_limits_come_from_the_campaign():
    assert check_portrait(200, 280, ScanLimits(photo_min_width_px=200, photo_min_height_px=280)).resolution_ok
