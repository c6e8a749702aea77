"""The 1-inch portrait (一寸照片, 25 x 35 mm): shape about 5:7 and enough pixels to print."""
from dataclasses import dataclass

from .limits import ScanLimits


@dataclass(frozen=True)
class PhotoCheck:
    aspect: float
    aspect_ok: bool
    resolution_ok: bool


def check_portrait(width: int, height: int, limits: ScanLimits = ScanLimits()) -> PhotoCheck:
    """Width/height within the accepted range, and at least the 300 dpi 1-inch size (a warning only)."""
    aspect = width / height if height else 0.0
    return PhotoCheck(
        aspect=round(aspect, 3),
        aspect_ok=limits.photo_min_aspect <= aspect <= limits.photo_max_aspect,
        resolution_ok=width >= limits.photo_min_width_px and height >= limits.photo_min_height_px,
    )
