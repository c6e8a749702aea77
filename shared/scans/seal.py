"""Find a red official seal (公章) on a page: a red ring, round or oval, with red marks inside
(a star, the unit's name), of a plausible size for the page.

Red ink that is not a seal (underlines, a red table rule, a line of red text) is long and thin or
rectangular, and so fails the shape tests; a hand-drawn red circle has no red marks inside.
"""
import math

import cv2
import numpy as np

from .findings import SealFinding

WORK_PX = 1200
MIN_DIAMETER_RATIO, MAX_DIAMETER_RATIO = 0.06, 0.5
MIN_ROUNDNESS = 0.55
MIN_HULL_CIRCULARITY = 0.8
MIN_INSIDE_FILL, MAX_INSIDE_FILL = 0.02, 0.65
MIN_RING_COVERAGE = 0.6
FOUND_AT = 0.5
RING_SAMPLES = 90



def red_mask(rgb: np.ndarray) -> np.ndarray:
    """Saturated red pixels; red wraps around hue 0, so two hue ranges (OpenCV hue is 0..179)."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    low = cv2.inRange(hsv, (0, 70, 60), (12, 255, 255))
    high = cv2.inRange(hsv, (160, 70, 60), (179, 255, 255))
    return cv2.bitwise_or(low, high)


def find_seal(rgb: np.ndarray, work_px: int = WORK_PX) -> SealFinding:
    scale = min(1.0, work_px / max(rgb.shape[:2]))
    small = rgb if scale == 1.0 else cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    mask = red_mask(small)
    best_score, best_box = 0.0, None
    for contour in _red_blobs(mask):
        score = _seal_score(contour, mask)
        if score > best_score:
            best_score, best_box = score, cv2.boundingRect(contour)
    if best_score < FOUND_AT or best_box is None:
        return SealFinding(False, round(best_score, 3), None)
    return SealFinding(True, round(best_score, 3), tuple(round(v / scale) for v in best_box))


def _red_blobs(mask: np.ndarray) -> list[np.ndarray]:
    """Outer contours of red regions after closing small gaps (broken ink, text over the ring)."""
    size = max(3, (max(mask.shape) // 150) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return [c for c in contours if len(c) >= 5]


def _seal_score(contour: np.ndarray, mask: np.ndarray) -> float:
    """0..1: how much the red blob looks like a seal; 0 when a hard shape test fails."""
    _, _, w, h = cv2.boundingRect(contour)
    diameter_ratio = max(w, h) / max(mask.shape)
    if not MIN_DIAMETER_RATIO <= diameter_ratio <= MAX_DIAMETER_RATIO:
        return 0.0
    if min(w, h) / max(w, h) < MIN_ROUNDNESS:
        return 0.0
    hull = cv2.convexHull(contour)
    circularity = _circularity(hull)
    if circularity < MIN_HULL_CIRCULARITY or len(hull) < 5:
        return 0.0
    ellipse = cv2.fitEllipse(hull)
    inside = _inside_fill(mask, ellipse)
    if not MIN_INSIDE_FILL <= inside <= MAX_INSIDE_FILL:
        return 0.0
    ring = _ring_coverage(mask, ellipse)
    if ring < MIN_RING_COVERAGE:
        return 0.0
    shape_term = min(1.0, (circularity - 0.7) / 0.2)
    return ring * shape_term


def _circularity(hull: np.ndarray) -> float:
    perimeter = cv2.arcLength(hull, True)
    return 4 * math.pi * cv2.contourArea(hull) / (perimeter * perimeter) if perimeter else 0.0


def _ring_coverage(mask: np.ndarray, ellipse: tuple) -> float:
    """Share of directions from the centre that meet red ink near the ellipse's edge."""
    (cx, cy), (axis_w, axis_h), angle = ellipse
    turn = math.radians(angle)
    hits = 0
    for step in range(RING_SAMPLES):
        t = 2 * math.pi * step / RING_SAMPLES
        if any(_is_red(mask, cx, cy, axis_w / 2 * f, axis_h / 2 * f, t, turn) for f in (0.8, 0.86, 0.92, 0.98, 1.04)):
            hits += 1
    return hits / RING_SAMPLES


def _is_red(mask: np.ndarray, cx: float, cy: float, a: float, b: float, t: float, turn: float) -> bool:
    x = cx + a * math.cos(t) * math.cos(turn) - b * math.sin(t) * math.sin(turn)
    y = cy + a * math.cos(t) * math.sin(turn) + b * math.sin(t) * math.cos(turn)
    col, row = int(round(x)), int(round(y))
    return 0 <= row < mask.shape[0] and 0 <= col < mask.shape[1] and mask[row, col] > 0


def _inside_fill(mask: np.ndarray, ellipse: tuple) -> float:
    """Share of red pixels inside the inner 70% of the ellipse (a seal's star and text; not a solid disc)."""
    (cx, cy), (axis_w, axis_h), angle = ellipse
    inner = np.zeros_like(mask)
    cv2.ellipse(inner, ((cx, cy), (axis_w * 0.7, axis_h * 0.7), angle), 255, -1)
    area = cv2.countNonZero(inner)
    return cv2.countNonZero(cv2.bitwise_and(mask, inner)) / area if area else 0.0
