"""Fit shoes to feet: one affine map per foot from the shoe's heel→toe onto the foot's.

Per foot MediaPipe gives the ankle (27/28), heel (29/30) and toe (31/32). The shoe's sole line
goes from just behind the heel landmark to just beyond the toe landmark, its height is the
product's height at the scale of a foot seen from the side (from the shin's length), and its
"up" points from the sole towards the ankle. A foot pointing towards or away from the camera
has a short heel→toe vector: the shoe is squashed along it (never below a frontal shoe's
width) while keeping its full height. The affine mirrors the right-facing product shoe for a
foot whose toe points left. Coordinates are (x, y) photo pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from tryon.body.landmarks import PoseLandmark as L
from tryon.body.pose import Pose
from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.geometry import in_photo, unit
from tryon.kinds.shoes.old_shoes import FootRegions
from tryon.kinds.shoes.product import PreparedShoe

__all__ = ["Foot", "FittedShoe", "find_feet", "fit_shoe", "FOOT_VISIBILITY"]

FOOT_VISIBILITY = 0.5
HEEL_VISIBILITY = 0.3
SHOE_PER_SHIN = 0.62  # shoe length seen from the side, per knee→ankle length
SHOE_PER_LANDMARKS = 1.25  # shoe length per heel→toe landmark distance (side view)
FRONTAL_WIDTH = 0.42  # a shoe's width seen from the front, per its length
MAX_SOLE_SLOPE = 0.45  # steepest sole line in the photo (dy/dx)
MAX_HEIGHT_STRETCH = 1.8  # most a shoe is stretched upwards to cover the old one


@dataclass(frozen=True)
class Foot:
    """One visible foot. ``side``: the person's "left" or "right"; points (2,) xy pixels;
    ``full_length``: the shoe length in pixels if the foot were seen from the side."""

    side: str
    ankle: np.ndarray
    heel: np.ndarray
    toe: np.ndarray
    knee: np.ndarray
    full_length: float


@dataclass(frozen=True)
class FittedShoe:
    """A shoe warped into the photo window ``box`` (x0, y0, x1, y1): ``rgb`` (h, w, 3)
    float32 in [0, 255], ``alpha`` (h, w) float32 in [0, 1]; ``sole``: (2, 2) xy photo
    pixels of its heel and toe on the sole line; ``up``: (2,) photo vector, sole → collar;
    ``regions``: the person's old shoe and hem at this foot."""

    foot: Foot
    regions: FootRegions
    box: tuple[int, int, int, int]
    rgb: np.ndarray
    alpha: np.ndarray
    sole: np.ndarray
    up: np.ndarray


_MARKS = {"left": (L.LEFT_KNEE, L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX),
          "right": (L.RIGHT_KNEE, L.RIGHT_ANKLE, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX)}


def find_feet(pose: Pose, image_size: tuple[int, int]) -> tuple[tuple[Foot, ...], tuple[str, ...]]:
    """The visible feet (0–2) and warnings. Raises ``feet_not_visible`` when neither foot's
    ankle, heel and toe are confidently inside the photo."""
    feet: list[Foot] = []
    for side, (knee, ankle, heel, toe) in _MARKS.items():
        points = [pose.point(m) for m in (ankle, heel, toe)]
        inside = all(in_photo(pt, image_size) for pt in points)
        confident = (pose.visible(ankle, FOOT_VISIBILITY) and pose.visible(toe, FOOT_VISIBILITY)
                     and pose.visible(heel, HEEL_VISIBILITY))
        if not (inside and confident):
            continue
        shin = float(np.hypot(*(pose.point(ankle) - pose.point(knee))))
        span = float(np.hypot(*(pose.point(toe) - pose.point(heel))))
        full = max(SHOE_PER_SHIN * shin, SHOE_PER_LANDMARKS * span, 8.0)
        feet.append(Foot(side=side, ankle=pose.point(ankle).copy(), heel=pose.point(heel).copy(),
                         toe=pose.point(toe).copy(), knee=pose.point(knee).copy(),
                         full_length=full))
    if not feet:
        raise TryOnError(ErrorCode.FEET_NOT_VISIBLE,
                         "the feet are not visible; use a full-body photo with both feet in it")
    warnings = ()
    if len(feet) == 1:
        warnings = (f"only the {feet[0].side} foot is visible; one shoe was fitted",)
    # Draw the foot nearer the camera (lower in the photo) last.
    feet.sort(key=lambda f: f.heel[1])
    return tuple(feet), warnings


def fit_shoe(shoe: PreparedShoe, foot: Foot, regions: FootRegions,
             image_size: tuple[int, int]) -> FittedShoe:
    """Warp ``shoe`` (facing image-right) onto ``foot`` in a photo of ``image_size`` (H, W);
    the old shoe in ``regions`` sets the sole line and the shoe's extent."""
    sole_heel, sole_toe, up = sole_targets(foot, shoe.height / max(shoe.length, 1.0),
                                           regions.old_shoe_points())
    src = np.float32([shoe.heel, shoe.toe, shoe.heel + np.array([0.0, -shoe.height])])
    dst = np.float32([sole_heel, sole_toe, sole_heel + up])
    affine = cv2.getAffineTransform(src, dst)
    h, w = shoe.alpha.shape
    corners = np.array([[0, 0, 1], [w, 0, 1], [0, h, 1], [w, h, 1]], np.float64) @ affine.T
    height, width = image_size
    x0, y0 = np.floor(corners.min(axis=0)).astype(int) - 2
    x1, y1 = np.ceil(corners.max(axis=0)).astype(int) + 2
    box = (max(0, int(x0)), max(0, int(y0)), min(width, int(x1)), min(height, int(y1)))
    if box[2] <= box[0] or box[3] <= box[1]:
        raise TryOnError(ErrorCode.FEET_NOT_VISIBLE, "the feet are outside the photo")
    shifted = affine.copy()
    shifted[:, 2] -= (box[0], box[1])
    size = (box[2] - box[0], box[3] - box[1])
    rgb = cv2.warpAffine(shoe.rgb.astype(np.float32), shifted, size, flags=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REPLICATE)
    alpha = cv2.warpAffine(shoe.alpha, shifted, size, flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return FittedShoe(foot=foot, regions=regions, box=box, rgb=rgb, alpha=np.clip(alpha, 0, 1),
                      up=up, sole=np.array([sole_heel, sole_toe]))


def sole_targets(foot: Foot, height_per_length: float, old_shoe: np.ndarray) -> tuple[
        np.ndarray, np.ndarray, np.ndarray]:
    """Photo heel and toe of the shoe's sole line and its "up" vector (sole → collar).

    The sole runs along the foot's heel→toe direction, its slope limited (a foot pointing at
    the camera shows a shoe seen from the front, whose sole is nearly level). The old shoe
    (``old_shoe``: (N, 2) xy pixels) gives the sole's height, the shoe's extent and the height
    the collar must reach to cover it; the landmarks stand in where it is missing."""
    span = foot.toe - foot.heel
    side = 1.0 if span[0] >= 0 else -1.0
    slope = float(np.clip(span[1] / max(abs(span[0]), 1e-6), -MAX_SOLE_SLOPE, MAX_SOLE_SLOPE))
    direction = unit(np.array([side, slope]))
    down = np.array([-direction[1], direction[0]]) * side  # perpendicular, pointing down
    full = foot.full_length
    origin = foot.heel
    along_pts = np.array([(foot.heel - origin) @ direction, (foot.toe - origin) @ direction])
    lo, hi = float(along_pts.min()) - 0.1 * full, float(along_pts.max()) + 0.1 * full
    bottom = float(max((foot.heel - origin) @ down, (foot.toe - origin) @ down))
    top = float((foot.ankle - origin) @ down)
    if old_shoe.shape[0] >= 30:
        rel = old_shoe - origin
        t, n = rel @ direction, rel @ down
        lo, hi = float(np.percentile(t, 1)), float(np.percentile(t, 99))
        bottom, top = float(np.percentile(n, 99)), float(np.percentile(n, 2))
    least = FRONTAL_WIDTH * full
    if hi - lo < least:
        mid = (hi + lo) / 2
        lo, hi = mid - least / 2, mid + least / 2
    hi = min(hi, lo + 1.2 * full)
    heel_back = origin + lo * direction + bottom * down
    toe_front = origin + hi * direction + bottom * down
    natural = height_per_length * min(full, max(hi - lo, 0.8 * full))
    # The collar reaches the old shoe's top so it is covered, within a plausible stretch.
    up = -down * float(np.clip(bottom - top, natural, MAX_HEIGHT_STRETCH * natural))
    return heel_back, toe_front, up
