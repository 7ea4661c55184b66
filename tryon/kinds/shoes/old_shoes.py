"""Where the person's own shoe and trouser hem are, per foot.

The old shoe is the person's pixels around the foot (a hull around ankle, heel and toe) that
are neither hem nor bare skin above the ankle. The hem is what covers the lower leg: pixels
near the ankle whose colour matches the trousers or dress sampled higher up the shin (a
colour model, so a black shoe under beige trousers is not taken for hem). Bare legs (the shin
is skin) have no hem. Masks are (H, W) bool in photo pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from tryon.body.colour import coloured_like, tighten_skin
from tryon.imaging.geometry import draw_capsule

__all__ = ["FootRegions", "foot_regions", "without_other_legs"]

HULL_MARGIN = 0.3  # of the side-view shoe length, around ankle, heel and toe


@dataclass(frozen=True)
class FootRegions:
    """``old_shoe``: (H, W) bool, the person's shoe; ``hem``: (H, W) bool, the lower leg
    (its trousers or dress, or bare skin above the ankle), which stays in front of new shoes,
    this foot's and the other's."""

    old_shoe: np.ndarray
    hem: np.ndarray

    def old_shoe_points(self) -> np.ndarray:
        """(N, 2) xy pixels of the old shoe."""
        ys, xs = np.nonzero(self.old_shoe)
        return np.stack([xs, ys], axis=1).astype(np.float64)


def foot_regions(photo: np.ndarray, person: np.ndarray, skin: np.ndarray,
                 skin_colour: np.ndarray | None, knee: np.ndarray, ankle: np.ndarray,
                 heel: np.ndarray, toe: np.ndarray, full_length: float) -> FootRegions:
    """Old shoe and hem of one foot. ``photo``: (H, W, 3) uint8 RGB; ``person``/``skin``:
    (H, W) bool (``skin`` the permissive chroma match, tightened here with ``skin_colour``
    from :func:`tryon.body.colour.skin_colour`); points (2,) xy pixels; ``full_length``: the
    shoe length seen from the side. The work happens in a window around the lower leg."""
    height, width = person.shape
    points = np.array([knee, ankle, heel, toe])
    x0, y0 = np.maximum(np.floor(points.min(axis=0) - 0.6 * full_length), 0).astype(int)
    x1, y1 = np.ceil(points.max(axis=0) + 0.6 * full_length).astype(int)
    x1, y1 = min(int(x1), width), min(int(y1), height)
    old_shoe, hem = np.zeros((height, width), bool), np.zeros((height, width), bool)
    if x1 <= x0 or y1 <= y0:
        return FootRegions(old_shoe=old_shoe, hem=hem)
    offset = np.array([x0, y0], np.float64)
    lab = cv2.cvtColor(photo[y0:y1, x0:x1], cv2.COLOR_RGB2LAB).astype(np.float32)
    people = person[y0:y1, x0:x1]
    bare = tighten_skin(skin[y0:y1, x0:x1], lab, skin_colour)
    knee, ankle, heel, toe = (pt - offset for pt in (knee, ankle, heel, toe))
    size = people.shape
    hull = np.zeros(size, np.uint8)
    corners = np.round(np.array([ankle, heel, toe])).astype(np.int32)
    cv2.fillConvexPoly(hull, corners, 1)
    # A margin all round (a pushed-out hull of three nearly collinear points stays a sliver).
    thickness = max(1, int(round(2 * HULL_MARGIN * full_length)))
    cv2.polylines(hull, [corners], True, 1, thickness=thickness)
    hull[: int(max(0.0, ankle[1] - 0.35 * full_length))] = 0
    near = (hull > 0) & people
    above_ankle = np.zeros(size, bool)
    above_ankle[: max(0, int(ankle[1] + 0.05 * full_length))] = True
    cloth = _clothing_like_shin(lab, people, bare, knee, ankle, full_length)
    leg_hem = people & _lower_leg(size, knee, ankle, full_length) & (cloth | (bare & above_ankle))
    leg_hem = cv2.morphologyEx(leg_hem.astype(np.uint8), cv2.MORPH_OPEN,
                               np.ones((3, 3), np.uint8)) > 0
    hem[y0:y1, x0:x1] = leg_hem
    old_shoe[y0:y1, x0:x1] = near & ~leg_hem & ~(bare & above_ankle)
    return FootRegions(old_shoe=old_shoe, hem=hem)


def without_other_legs(regions: list[FootRegions]) -> list[FootRegions]:
    """Each foot's regions with every leg's hem taken out of its old shoe, so a back foot's
    shoe never claims the front leg crossing it."""
    legs = np.zeros_like(regions[0].hem) if regions else None
    for region in regions:
        legs |= region.hem
    return [FootRegions(old_shoe=r.old_shoe & ~legs, hem=r.hem) for r in regions]


def _lower_leg(size: tuple[int, int], knee: np.ndarray, ankle: np.ndarray,
               full_length: float) -> np.ndarray:
    """(H, W) bool capsule along the shin, down to just below the ankle."""
    leg = np.zeros(size, np.uint8)
    below = ankle + 0.04 * full_length * (ankle - knee) / max(1e-6, np.hypot(*(ankle - knee)))
    draw_capsule(leg, knee, below, 0.45 * full_length, 1)
    leg[int(below[1]) + 1:] = 0  # no round cap below the ankle: that is the shoe
    return leg > 0


def _clothing_like_shin(lab: np.ndarray, person: np.ndarray, skin: np.ndarray,
                        knee: np.ndarray, ankle: np.ndarray, full_length: float) -> np.ndarray:
    """(h, w) bool: pixels of ``lab`` ((h, w, 3) float32) coloured like the clothing on the
    shin (40–80 % of the way from the knee to the ankle); all False when the shin is bare."""
    sample = np.zeros(person.shape, np.uint8)
    draw_capsule(sample, knee + 0.4 * (ankle - knee), knee + 0.8 * (ankle - knee),
                 0.12 * full_length, 1)
    cloth = (sample > 0) & person & ~skin
    if cloth.sum() < 30 or cloth.sum() < 0.3 * ((sample > 0) & person).sum():
        return np.zeros(person.shape, bool)
    return coloured_like(lab, cloth)
