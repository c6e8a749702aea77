import io

import pytest
from PIL import ExifTags, Image

from shared.scans.findings import Refusal
from shared.scans.images import decode_image, preview_derivatives, shrunk
from shared.scans.limits import ScanLimits
from tests.fixtures import scanfiles

pytestmark = pytest.mark.unit


def _refusal(data: bytes, limits: ScanLimits = ScanLimits()) -> Refusal:
    with pytest.raises(Refusal) as raised:
        decode_image(data, limits)
    return raised.value


def test_decode_image_bomb_refused_with_its_size():
    refusal = _refusal(scanfiles.bomb_png())
    assert refusal.code == "image_too_large"
    assert "50000×50000" in refusal.message


def test_decode_image_bomb_refused_without_pillow_global_limit(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    assert _refusal(scanfiles.bomb_png()).code == "image_too_large"


def test_decode_image_over_campaign_limit_below_pillow_limit_refused():
    assert _refusal(scanfiles.bomb_png(8_000, 6_000)).code == "image_too_large"


def test_decode_image_truncated_jpeg_refused_by_the_decoder():
    assert _refusal(scanfiles.truncated_jpeg()).code == "image_damaged"


def test_decode_image_other_decoders_not_allowed():
    assert _refusal(scanfiles.gif_file()).code == "image_damaged"


def test_decode_image_follows_exif_orientation():
    stored = Image.open(io.BytesIO(scanfiles.rotated_portrait_jpeg()))
    assert stored.size == (496, 354)
    assert decode_image(scanfiles.rotated_portrait_jpeg()).size == (354, 496)


def test_decode_image_transparent_png_becomes_white():
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 40), (255, 0, 0, 0)).save(buffer, "PNG")
    assert decode_image(buffer.getvalue()).getpixel((5, 5)) == (255, 255, 255)


def test_derivatives_carry_no_exif_or_gps():
    original = Image.open(io.BytesIO(scanfiles.gps_photo_jpeg()))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    for derivative in preview_derivatives([decode_image(scanfiles.gps_photo_jpeg())]):
        image = Image.open(io.BytesIO(derivative.data))
        assert dict(image.getexif()) == {}
        assert b"Exif" not in derivative.data and b"TuijuPhone" not in derivative.data


def test_derivatives_sizes_are_bounded():
    limits = ScanLimits(preview_px=300, thumbnail_px=80)
    image = decode_image(scanfiles.certificate_jpeg(1))
    derivatives = preview_derivatives([shrunk(image, limits.preview_px)], limits)
    sizes = {d.name: Image.open(io.BytesIO(d.data)).size for d in derivatives}
    assert max(sizes["preview.jpg"]) == 300
    assert max(sizes["thumbnail.jpg"]) == 80
    assert {d.content_type for d in derivatives} == {"image/jpeg"}
