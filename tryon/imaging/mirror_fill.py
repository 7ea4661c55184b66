"""Filling a picture's gap with the texture beside it, reflected across the gap's edge.

Pictures are (H, W) or (H, W, C) arrays; masks (H, W) bool; pixels (x, y).
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["MIRROR_DEPTHS", "mirror_sources", "mirrored_fill"]

# How far past the nearest source pixel a gap pixel's colour is looked for, in units of the
# pixel's own distance from it: its mirror image first (1.0), then nearer, then that pixel.
MIRROR_DEPTHS = (1.0, 0.5, 0.0)


def mirrored_fill(picture: np.ndarray, source: np.ndarray, where: np.ndarray,
                  reach: float = np.inf) -> np.ndarray:
    """A copy of ``picture`` whose ``where`` pixels (outside ``source``) take the colour of
    their mirror image across the nearest ``source`` pixel (p → 2q − p), or of a point nearer
    ``q`` when the mirror image is off the source (:data:`MIRROR_DEPTHS`). A print or a weave
    runs on into the gap as it runs beside it; the nearest pixel's colour alone drew streaks
    across the gap, and a blur a flat smear. Pixels farther than ``reach`` pixels from the
    source keep their colour; ``picture`` is returned unchanged when ``source`` or ``where`` is
    empty."""
    if not (where & ~source).any() or not source.any():
        return picture
    ys, xs, from_y, from_x = mirror_sources(source, where, reach)
    out = picture.copy()
    out[ys, xs] = picture[from_y, from_x]
    return out


def mirror_sources(source: np.ndarray, where: np.ndarray, reach: float = np.inf,
                   depths: tuple[float, ...] = MIRROR_DEPTHS
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Where each ``where`` pixel outside ``source`` ((H, W) bool each) takes its colour from:
    ``(ys, xs, from_y, from_x)``, (n,) int64 each, the pixel and its source pixel, the point
    ``q + depth (q − p)`` for the first of ``depths`` that lands on the source, ``q`` the source
    pixel nearest ``p``; pixels farther than ``reach`` from the source, or whose every depth
    lands off it (never with a depth of 0), are left out."""
    fill = where & ~source
    if not fill.any() or not source.any():
        empty = np.zeros(0, np.int64)
        return empty, empty, empty, empty
    distance, nearest = cv2.distanceTransformWithLabels(
        (~source).astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_5,
        labelType=cv2.DIST_LABEL_PIXEL)
    # Labels number the source pixels in raster order, from 1.
    source_y, source_x = np.nonzero(source)
    ys, xs = np.nonzero(fill & (distance <= reach))
    picks = nearest[ys, xs] - 1
    qx, qy = source_x[picks], source_y[picks]
    height, width = source.shape
    from_x, from_y = qx.copy(), qy.copy()
    found = np.zeros(len(xs), bool)
    for depth in depths:
        mx = np.round(qx + depth * (qx - xs)).astype(np.int64)
        my = np.round(qy + depth * (qy - ys)).astype(np.int64)
        inside = (mx >= 0) & (mx < width) & (my >= 0) & (my < height)
        ok = ~found & inside
        ok[ok] = source[my[ok], mx[ok]]
        from_x[ok], from_y[ok] = mx[ok], my[ok]
        found |= ok
    return ys[found], xs[found], from_y[found], from_x[found]
