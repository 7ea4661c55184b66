"""Compositing helpers every kind shares: the hand-made composite's result type, soft layer
edges, reduced-scale inpainting and drawn skin blended into the real skin beside it.
Pictures are (H, W, 3) uint8 RGB, masks (H, W) bool, coverages (H, W) float32 in [0, 1], all
in photo pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from tryon.imaging.blur import masked_blur
from tryon.imaging.geometry import bbox_of_mask, crop_box

__all__ = ["Composite", "feather", "inpaint_reduced", "seamless_offset", "soft_outline"]

# Pixels: the Gaussian sigma with which the outline of drawn skin is softened, one pixel each
# side of it. Photographed outlines blend over two to three pixels (the lens, JPEG); a drawn
# arm or shoulder is a hard mask, and where the wall drawn or kept beside it is kept too (both
# hinted) its edge showed as a one-pixel staircase: the arm looked cut out.
OUTLINE_SOFTNESS = 0.7
OUTLINE_BLUR_MARGIN = 4  # pixels around the band that its blur reads


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


def soft_outline(picture: np.ndarray, drawn: np.ndarray, where: np.ndarray) -> np.ndarray:
    """``picture`` ((H, W, 3) uint8) with the band one pixel each side of the outline of
    ``drawn`` ((H, W) bool: skin drawn over the photo) blurred by :data:`OUTLINE_SOFTNESS`,
    where ``where`` ((H, W) bool: kept as drawn, and not under the new garment) on both of its
    pixels' sides: the outline blends into what lies beside it as a photographed one does."""
    if not drawn.any():
        return picture
    ring = np.ones((3, 3), np.uint8)
    inside = drawn.astype(np.uint8)
    band = (cv2.dilate(inside, ring) > 0) & ~(cv2.erode(inside, ring) > 0)
    band &= cv2.erode(where.astype(np.uint8), ring) > 0
    box = bbox_of_mask(band)
    if box is None:
        return picture
    height, width = band.shape
    x0, y0, x1, y1 = crop_box(box, OUTLINE_BLUR_MARGIN, width, height)
    blurred = cv2.GaussianBlur(picture[y0:y1, x0:x1], (0, 0), OUTLINE_SOFTNESS)
    out = picture.copy()
    out[y0:y1, x0:x1] = np.where(band[y0:y1, x0:x1, None], blurred, picture[y0:y1, x0:x1])
    return out


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


SEAM_REACH = 0.25  # body units into drawn skin over which it takes on the real skin beside it
SEAM_RING = 2  # pixels beside drawn skin where the real skin's colour is read
SEAM_LIMIT = 40.0  # RGB units: the most drawn skin's colour is moved towards the real skin's
SEAM_LEAST_WEIGHT = 1e-4  # the ring's blurred weight below which its spread difference fades


def seamless_offset(photo: np.ndarray, box: tuple[int, int, int, int], inside: np.ndarray,
                    drawn: np.ndarray, meet: np.ndarray, s: float,
                    limit: float = SEAM_LIMIT) -> np.ndarray:
    """(h, w, 3) float32: what to add to the ``drawn`` skin ((h, w, 3) float RGB at the
    pixels ``inside`` ((h, w) bool) of ``box`` (x0, y0, x1, y1) of ``photo`` ((H, W, 3)
    uint8 RGB)) so that it meets the real bare skin beside it (``meet`` (H, W) bool) without
    a seam: the difference between the real skin and the drawn skin next to it (within
    :data:`SEAM_RING` pixels, at most ``limit`` RGB units), spread along the edge and fading
    over :data:`SEAM_REACH` body units (``s``: the body unit, pixels) into the drawn skin.
    One tone for a whole neck and chest met the lit neck as a darker plate with a straight
    edge; legs painted in one tone under a dress met the real shins below its old hem with a
    step of tone."""
    x0, y0, x1, y1 = box
    height, width = meet.shape
    gx0, gy0 = max(0, x0 - SEAM_RING), max(0, y0 - SEAM_RING)
    gx1, gy1 = min(width, x1 + SEAM_RING), min(height, y1 + SEAM_RING)
    grown = np.zeros((gy1 - gy0, gx1 - gx0), np.float32)
    grown[y0 - gy0:y1 - gy0, x0 - gx0:x1 - gx0] = inside
    values = np.zeros(grown.shape + (3,), np.float32)
    values[y0 - gy0:y1 - gy0, x0 - gx0:x1 - gx0] = drawn * inside[..., None]
    ring = (cv2.dilate(grown, np.ones((2 * SEAM_RING + 1,) * 2, np.uint8)) > 0) & (grown == 0)
    ring &= meet[gy0:gy1, gx0:gx1]
    if not ring.any():
        return np.zeros_like(drawn)
    # The drawn skin just beside each ring pixel (the drawn values spread a little outward).
    near = masked_blur(values, grown, SEAM_RING)
    offset = np.clip(photo[gy0:gy1, gx0:gx1].astype(np.float32) - near, -limit, limit)
    reach = max(1.0, SEAM_REACH * s)
    spread = masked_blur(offset, ring, reach / 2, SEAM_LEAST_WEIGHT)
    distance = cv2.distanceTransform((~ring).astype(np.uint8), cv2.DIST_L2, 3)
    field = spread * np.exp(-distance / reach)[..., None]
    return field[y0 - gy0:y1 - gy0, x0 - gx0:x1 - gx0] * inside[..., None]
