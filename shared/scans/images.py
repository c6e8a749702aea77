"""Safe decoding of JPEG and PNG uploads, and their clean JPEG derivatives.

The size is checked from the header before any pixel is decoded; only the JPEG and PNG decoders may
run; Pillow's bomb warning is an error here, whatever the process-wide settings say. Truncated files
are refused (LOAD_TRUNCATED_IMAGES stays off). Derivatives are new JPEGs: no EXIF, no GPS, nothing
that followed the image's end marker.
"""
import io
import warnings

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from shared.i18n import message

from .findings import Derivative, Refusal
from .limits import ScanLimits
from .sniff import declared_size, real_type

ALLOWED_DECODERS = ["JPEG", "PNG"]
_DAMAGED = message("scan.image_damaged")


def decode_image(data: bytes, limits: ScanLimits = ScanLimits()) -> Image.Image:
    """An upright RGB image with no metadata, or a Refusal."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _open_header(data, limits)
            image.load()
            ImageOps.exif_transpose(image, in_place=True)
            rgb = _to_rgb(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_large(None, limits) from error
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise Refusal("image_damaged", _DAMAGED) from error
    rgb.info = {}
    return rgb


def _open_header(data: bytes, limits: ScanLimits) -> Image.Image:
    """The stated size is checked from the raw header, then from Pillow's (Image.open reads the header
    only); a canvas too large is refused before it is ever allocated."""
    stated = declared_size(data, real_type(data[:16]) or "")
    if stated and _too_many_pixels(stated, limits):
        raise _too_large(stated, limits)
    try:
        image = Image.open(io.BytesIO(data), formats=ALLOWED_DECODERS)
    except UnidentifiedImageError as error:
        raise Refusal("image_damaged", _DAMAGED) from error
    if _too_many_pixels(image.size, limits):
        raise _too_large(image.size, limits)
    if min(image.size) == 0:
        raise Refusal("image_damaged", _DAMAGED)
    return image


def _too_many_pixels(size: tuple[int, int], limits: ScanLimits) -> bool:
    return size[0] * size[1] > limits.max_pixels or max(size) > limits.max_side_px


def _too_large(size: tuple[int, int] | None, limits: ScanLimits) -> Refusal:
    most = {"ten_thousands": limits.max_pixels // 10_000, "megapixels": f"{limits.max_pixels / 1_000_000:g}"}
    if size:
        return Refusal("image_too_large", message("scan.image_too_large_sized", width=size[0], height=size[1], **most))
    return Refusal("image_too_large", message("scan.image_too_large", **most))


def _to_rgb(image: Image.Image) -> Image.Image:
    """Transparent areas become white (not black); 16-bit greys are scaled, not clipped."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        grey = np.asarray(image, dtype=np.uint32) >> 8
        return Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).convert("RGB")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image if image.mode == "RGB" else image.convert("RGB")


def shrunk(image: Image.Image, max_side: int) -> Image.Image:
    """The image fitted within max_side on its longer side; never enlarged (then the image itself)."""
    scale = max_side / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.LANCZOS, reducing_gap=3.0)


def jpeg_bytes(image: Image.Image, quality: int) -> bytes:
    """A fresh JPEG with nothing but pixels in it (no EXIF, no ICC, no comments)."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def preview_derivatives(previews: list[Image.Image], limits: ScanLimits = ScanLimits()) -> list[Derivative]:
    """preview.jpg (the image, or a PDF's first page), preview-2.jpg.. (further pages), thumbnail.jpg,
    from pages already shrunk to preview size."""
    derivatives = [
        Derivative("preview.jpg" if number == 1 else f"preview-{number}.jpg", "image/jpeg",
                   jpeg_bytes(preview, limits.preview_quality))
        for number, preview in enumerate(previews, start=1)
    ]
    thumbnail = shrunk(previews[0], limits.thumbnail_px)
    return derivatives + [Derivative("thumbnail.jpg", "image/jpeg", jpeg_bytes(thumbnail, limits.preview_quality))]


def as_array(image: Image.Image, max_side: int) -> np.ndarray:
    """RGB pixels as a numpy array, shrunk (never enlarged) to max_side on the longer side."""
    pixels = np.asarray(image)
    scale = max_side / max(pixels.shape[:2])
    if scale >= 1:
        return pixels
    return cv2.resize(pixels, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
