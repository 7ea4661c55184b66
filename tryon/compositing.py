"""Compositing helpers every kind shares: the hand-made composite's result type, soft layer
edges and reduced-scale inpainting. Pictures are (H, W, 3) uint8 RGB, masks (H, W) bool,
coverages (H, W) float32 in [0, 1], all in photo pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

__all__ = ["Composite", "feather", "inpaint_reduced"]


@dataclass(frozen=True)
class Composite:
    """``image``: (H, W, 3) uint8 coarse result; ``repaint``: (H, W) bool, the pixels that may
    differ from the photo (garment and cleared area); ``agnostic``: (H, W, 3) uint8 photo with
    the old item cleared; ``item_mask``: (H, W) float32 in [0, 1], the garment's coverage."""

    image: np.ndarray
    repaint: np.ndarray
    agnostic: np.ndarray
    item_mask: np.ndarray


def feather(alpha: np.ndarray) -> np.ndarray:
    """Soften a layer's edge by about a pixel without growing it."""
    eroded = cv2.erode(alpha, np.ones((3, 3), np.uint8))
    return np.minimum(alpha, cv2.GaussianBlur(eroded, (5, 5), 1.0))


INPAINT_RADIUS = 5  # pixels at the reduced scale: the neighbourhood each filled pixel averages


def inpaint_reduced(picture: np.ndarray, hole: np.ndarray, max_side: int,
                    radius: int = INPAINT_RADIUS) -> np.ndarray:
    """``picture`` ((h, w, 3) uint8) filled over ``hole`` ((h, w) bool) from its surroundings:
    Telea inpainting with a ``radius``-pixel neighbourhood at a scale whose longer side is at
    most ``max_side``, scaled back (its time grows with the radius squared). The whole
    (h, w, 3) uint8 picture is returned; callers copy what they need."""
    scale = min(1.0, max_side / max(picture.shape[:2]))
    size = (max(1, round(picture.shape[1] * scale)), max(1, round(picture.shape[0] * scale)))
    small = cv2.resize(picture, size, interpolation=cv2.INTER_AREA)
    small_hole = cv2.resize(hole.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST)
    small_hole = cv2.dilate(small_hole, np.ones((3, 3), np.uint8))
    filled = cv2.inpaint(small, small_hole, radius, cv2.INPAINT_TELEA)
    return cv2.resize(filled, (picture.shape[1], picture.shape[0]),
                      interpolation=cv2.INTER_LINEAR)
