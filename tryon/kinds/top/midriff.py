"""The bare midriff under a top shorter than the old one.

A crop top tried on a person in a long tee leaves the torso between its hem and the trousers
to be painted. The generator, trained on photos whose own top covered that zone, painted a
blurred mix of the old and new tops there. This module draws bare skin there instead: the
person's skin tone (from the bare skin the photo shows, else the face) lit like a cylinder
across the torso (bright down the middle, darker at the sides, as the bare legs under a
skirt are drawn), so the scene can hand it to the generator as certainly right (its hint),
as it hands the wall behind an old hood (:mod:`tryon.kinds.top.backdrop`).

Coordinates: (x, y) photo pixels, x right, y down; masks (H, W) bool.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from tryon.body.landmarks import PoseLandmark as L
from tryon.body.pose import Pose
from tryon.imaging.geometry import bbox_of_mask, draw_polygon, unit
from tryon.kinds.top.region import torso_zone

__all__ = ["BareMidriff", "bare_midriff", "photo_grain"]

BELOW_SHOULDERS = 0.55  # body units under the shoulder line where the midriff may begin
MIN_AREA = 0.15  # square body units: a smaller gap under a hem is the generator's to paint
SHADE_EDGE = 0.6  # the torso's brightness at its sides (1 down its middle: the bare
# skin's own colour there)
# The body's outline: half-widths from the shoulder joints' half-span at the shoulder line,
# in to WAIST times the hips' at WAIST_AT of the way down, out to the hips' (the hip
# landmarks' half-span, at least MIN_HIP_HALF body units, times HIP_OUTLINE: the joints lie
# inside the hips' outline).
WAIST_AT = 0.65
WAIST = 0.85
MIN_HIP_HALF = 0.3
HIP_OUTLINE = 1.4
HEM_SHADOW = 0.35  # darkening of the skin just under the new top's hem
HEM_SHADOW_REACH = 0.08  # body units over which that shadow fades (1/e)
GRAIN_SEED = 0
GRAIN_BLUR = 1.0  # Gaussian sigma (px) whose residue is the photo's grain
MIN_SKIN_SAMPLE = 200  # bare-skin pixels needed to take their colour over the face's


@dataclass(frozen=True)
class BareMidriff:
    """``zone``: (H, W) bool, where bare skin is drawn; ``rgb``: (H, W, 3) uint8, the photo
    with the drawn skin in ``zone``."""

    zone: np.ndarray
    rgb: np.ndarray


def bare_midriff(photo: np.ndarray, pose: Pose, open_zone: np.ndarray, covered: np.ndarray,
                 bare: np.ndarray, face_tone: np.ndarray) -> BareMidriff | None:
    """Bare skin drawn on the torso where ``open_zone`` ((H, W) bool: the try-on region on
    the person that neither the new top covers nor a hint keeps) lies in the region's torso
    (:func:`~tryon.kinds.top.region.torso_zone`) below the chest (:data:`BELOW_SHOULDERS`);
    None when that is less than :data:`MIN_AREA`.
    ``photo``: (H, W, 3) uint8 RGB; ``covered``: (H, W) bool, where the new top is (its hem
    casts a soft shadow, :data:`HEM_SHADOW` deep over :data:`HEM_SHADOW_REACH` body units);
    ``bare``: (H, W) bool, the bare skin the photo shows (its colour is used when there is
    enough); ``face_tone``: (3,) RGB in [0, 255]. The skin carries the photo's own grain
    (:func:`photo_grain`, seeded: a photo gives the same picture every time)."""
    height, width = open_zone.shape
    s = pose.unit_px
    p = pose.point
    torso = np.zeros((height, width), np.uint8)
    draw_polygon(torso, torso_zone(pose, s), 1)
    box = bbox_of_mask(open_zone & (torso > 0))
    if box is None:
        return None
    x0, y0, x1, y1 = box
    shoulders = (p(L.LEFT_SHOULDER) + p(L.RIGHT_SHOULDER)) / 2
    hips = (p(L.LEFT_HIP) + p(L.RIGHT_HIP)) / 2
    down = unit(hips - shoulders)
    across = np.array([-down[1], down[0]])
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    depth = (xs - shoulders[0]) * down[0] + (ys - shoulders[1]) * down[1]
    hips_depth = max(float((hips - shoulders) @ down), 1.0)
    # A cylinder across the torso: the distance from its middle line relative to the body's
    # half-width there (the shoulders' half-span, in at the waist, out to the hips').
    shoulder_half = float(np.hypot(*(p(L.LEFT_SHOULDER) - p(L.RIGHT_SHOULDER)))) / 2
    hip_half = max(float(np.hypot(*(p(L.LEFT_HIP) - p(L.RIGHT_HIP)))) / 2,
                   MIN_HIP_HALF * s) * HIP_OUTLINE
    t = depth / hips_depth
    half = np.interp(t, [0.0, WAIST_AT, 1.0],
                     [shoulder_half, WAIST * hip_half, hip_half]).astype(np.float32)
    middle = shoulders[None, None, :] + t[..., None] * (hips - shoulders)[None, None, :]
    r = (np.abs((xs - middle[..., 0]) * across[0] + (ys - middle[..., 1]) * across[1])
         / np.maximum(half, 1.0))
    # Down to the region's torso's end, or the trousers' hint above it: as if the trousers
    # sat where the old top's hem hid them. Beside the body the generator paints.
    inside = (open_zone[y0:y1, x0:x1] & (torso[y0:y1, x0:x1] > 0)
              & (depth >= BELOW_SHOULDERS * s) & (r < 1))
    if inside.sum() < MIN_AREA * s * s:
        return None
    shade = SHADE_EDGE + (1 - SHADE_EDGE) * np.sqrt(1 - np.minimum(r, 1) ** 2)
    below_hem = cv2.distanceTransform((~covered[y0:y1, x0:x1]).astype(np.uint8),
                                      cv2.DIST_L2, 3)
    shade *= 1 - HEM_SHADOW * np.exp(-below_hem / max(HEM_SHADOW_REACH * s, 1.0))
    tone = (np.median(photo[bare].astype(np.float32), axis=0) if bare.sum() >= MIN_SKIN_SAMPLE
            else np.asarray(face_tone, np.float32))
    grain = np.random.default_rng(GRAIN_SEED).standard_normal((y1 - y0, x1 - x0)).astype(
        np.float32) * photo_grain(photo, ~open_zone)
    drawn = np.clip(tone[None, None, :] * shade[..., None] + grain[..., None] + 0.5, 0, 255)
    zone = np.zeros((height, width), bool)
    zone[y0:y1, x0:x1] = inside
    rgb = photo.copy()
    rgb[y0:y1, x0:x1][inside] = drawn[inside].astype(np.uint8)
    return BareMidriff(zone=zone, rgb=rgb)


def photo_grain(photo: np.ndarray, where: np.ndarray) -> float:
    """The photo's grain: the robust standard deviation (1.4826 × median absolute value) of
    its grey level less a :data:`GRAIN_BLUR` blur, over ``where`` ((H, W) bool); 0 when
    ``where`` is empty. Drawn skin without it looked smoother than the skin around it."""
    if not where.any():
        return 0.0
    grey = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY).astype(np.float32)
    residue = grey - cv2.GaussianBlur(grey, (0, 0), GRAIN_BLUR)
    return float(1.4826 * np.median(np.abs(residue[where])))
