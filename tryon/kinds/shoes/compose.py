"""Compose fitted shoes onto the photo: clear the old shoes, shadow, layer, feather.

Per foot, back to front: the photo with the old shoe cleared (inpainted from the floor and
the leg around it), a soft contact shadow under the new sole, the new shoe, then the trouser
or dress hem in front of the shoe's collar. Pixels outside the feet's region are copied from
the input, so they stay byte-identical.
"""

from __future__ import annotations

import cv2
import numpy as np

from tryon.compositing import Composite, feather, inpaint_reduced
from tryon.kinds.shoes.fit import FittedShoe

__all__ = ["compose_shoes"]

SHADOW_DEPTH = 0.3
INPAINT_MAX_SIDE = 192


def compose_shoes(photo: np.ndarray, fitted: tuple[FittedShoe, ...]) -> Composite:
    """Composite ``fitted`` shoes (back to front) onto ``photo`` ((H, W, 3) uint8 RGB)."""
    height, width = photo.shape[:2]
    old_shoes = np.zeros((height, width), bool)
    hems = np.zeros((height, width), bool)
    for shoe in fitted:
        old_shoes |= shoe.regions.old_shoe
        hems |= shoe.regions.hem
    # The person mask's edge runs a pixel or two inside the shoe: take its fringe too.
    old_shoes = cv2.dilate(old_shoes.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    old_shoes &= ~hems
    agnostic = _clear(photo, old_shoes)
    out = agnostic.astype(np.float32)
    coverage = np.zeros((height, width), np.float32)
    shadows = np.zeros((height, width), bool)
    for shoe in fitted:
        shadow = _contact_shadow(shoe, (height, width))
        out *= (1.0 - SHADOW_DEPTH * shadow)[..., None]
        shadows |= shadow > 0.01
        x0, y0, x1, y1 = shoe.box
        alpha = feather(shoe.alpha)
        window = out[y0:y1, x0:x1]
        window[:] = window * (1 - alpha[..., None]) + shoe.rgb * alpha[..., None]
        coverage[y0:y1, x0:x1] = np.maximum(coverage[y0:y1, x0:x1], alpha)
    front = cv2.GaussianBlur(hems.astype(np.float32), (3, 3), 0) * hems
    out = out * (1 - front[..., None]) + photo * front[..., None]

    edited = (coverage > 0.002) | old_shoes | shadows
    edited = cv2.dilate(edited.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    result = photo.copy()
    out8 = np.clip(out + 0.5, 0, 255).astype(np.uint8)
    result[edited] = out8[edited]
    repaint = edited & np.any(result != photo, axis=2)
    return Composite(image=result, repaint=repaint, agnostic=agnostic,
                     item_mask=coverage * ~hems)


def _contact_shadow(shoe: FittedShoe, size: tuple[int, int]) -> np.ndarray:
    """(H, W) float32 in [0, 1]: a soft dark ellipse along the sole line, a little below it."""
    heel, toe = shoe.sole
    length = float(np.hypot(*(toe - heel)))
    centre = (heel + toe) / 2 + np.array([0.0, 0.02 * shoe.foot.full_length])
    angle = float(np.degrees(np.arctan2(toe[1] - heel[1], toe[0] - heel[0])))
    shadow = np.zeros(size, np.float32)
    axes = (max(2, int(0.55 * length)), max(2, int(0.06 * shoe.foot.full_length)))
    cv2.ellipse(shadow, (int(centre[0]), int(centre[1])), axes, angle, 0, 360, 1.0, -1)
    return cv2.GaussianBlur(shadow, (0, 0), max(1.0, 0.05 * shoe.foot.full_length))


def _clear(photo: np.ndarray, hole: np.ndarray) -> np.ndarray:
    """``photo`` with ``hole`` inpainted from its surroundings (at a reduced scale)."""
    out = photo.copy()
    if not hole.any():
        return out
    ys, xs = np.nonzero(hole)
    pad = 12
    y0, y1 = max(0, ys.min() - pad), min(photo.shape[0], ys.max() + pad + 1)
    x0, x1 = max(0, xs.min() - pad), min(photo.shape[1], xs.max() + pad + 1)
    sub = hole[y0:y1, x0:x1]
    filled = inpaint_reduced(photo[y0:y1, x0:x1], sub, INPAINT_MAX_SIDE)
    out[y0:y1, x0:x1][sub] = filled[sub]
    return out
