"""The bounds every scan check works within; a campaign may set its own (page count, file size)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class ScanLimits:
    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 40_000_000
    max_side_px: int = 20_000
    max_pdf_pages: int = 10
    pdf_pages_rendered: int = 2
    pdf_max_render_scale: float = 3.0
    max_object_stream_bytes: int = 4 * 1024 * 1024
    max_object_streams_total_bytes: int = 32 * 1024 * 1024
    preview_px: int = 1600
    thumbnail_px: int = 240
    preview_quality: int = 85
    seal_work_px: int = 1200
    qr_work_px: int = 2400
    photo_min_width_px: int = 295
    photo_min_height_px: int = 413
    photo_min_aspect: float = 0.62
    photo_max_aspect: float = 0.80
