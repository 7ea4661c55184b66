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

from tryon.geometry import draw_capsule

__all__ = ["FootRegions", "foot_regions", "strict_skin", "without_other_legs"]

HULL_MARGIN = 0.3  # of the side-view shoe length, around ankle, heel and toe
HEM_MATCH = 2.5  # robust spreads of the trouser colour within which a pixel is hem
MIN_SPREAD = 5.0  # Lab units: the least spread a colour model is given
SKIN_LIGHTNESS = 45.0  # Lab L (0–255 scale) from the face's skin, for strict skin
SKIN_CHROMA = 9.0  # Lab a/b distance from the face's skin, for strict skin


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


def foot_regions(photo: np.ndarray, person: np.ndarray, skin: np.ndarray, knee: np.ndarray,
                 ankle: np.ndarray, heel: np.ndarray, toe: np.ndarray,
                 full_length: float) -> FootRegions:
    """Old shoe and hem of one foot. ``photo``: (H, W, 3) uint8 RGB; ``person``: (H, W)
    bool; ``skin``: (H, W) bool, a strict skin mask (see :func:`strict_skin`); points (2,) xy
    pixels; ``full_length``: the shoe length seen from the side."""
    size = person.shape
    hull = np.zeros(size, np.uint8)
    corners = np.round(np.array([ankle, heel, toe])).astype(np.int32)
    cv2.fillConvexPoly(hull, corners, 1)
    # A margin all round (a pushed-out hull of three nearly collinear points stays a sliver).
    thickness = max(1, int(round(2 * HULL_MARGIN * full_length)))
    cv2.polylines(hull, [corners], True, 1, thickness=thickness)
    top = int(max(0.0, ankle[1] - 0.35 * full_length))
    hull[:top] = 0
    near = (hull > 0) & person
    above_ankle = np.zeros(size, bool)
    above_ankle[: int(ankle[1] + 0.05 * full_length)] = True
    cloth = _clothing_like_shin(photo, person, skin, knee, ankle, full_length)
    hem = person & _lower_leg(size, knee, ankle, full_length) & (cloth | (skin & above_ankle))
    hem = cv2.morphologyEx(hem.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)) > 0
    old_shoe = near & ~hem & ~(skin & above_ankle)
    return FootRegions(old_shoe=old_shoe, hem=hem)


def without_other_legs(regions: list[FootRegions]) -> list[FootRegions]:
    """Each foot's regions with every leg's hem taken out of its old shoe, so a back foot's
    shoe never claims the front leg crossing it."""
    legs = np.zeros_like(regions[0].hem) if regions else None
    for region in regions:
        legs |= region.hem
    return [FootRegions(old_shoe=r.old_shoe & ~legs, hem=r.hem) for r in regions]


def strict_skin(photo: np.ndarray, skin: np.ndarray,
                face_box: tuple[int, int, int, int]) -> np.ndarray:
    """(H, W) bool: the pixels of ``skin`` (a permissive chroma match) whose lightness and
    colour are also close to the face's skin in Lab. Brown trousers, beige fabric and dark
    shoe edges share skin's chroma but not its lightness and hue together."""
    x0, y0, x1, y1 = face_box
    face = skin[y0:y1, x0:x1]
    if face.sum() < 30:
        return skin
    lab = cv2.cvtColor(photo, cv2.COLOR_RGB2LAB).astype(np.float32)
    reference = np.median(lab[y0:y1, x0:x1][face], axis=0)
    diff = np.abs(lab - reference)
    return skin & (diff[..., 0] < SKIN_LIGHTNESS) & (np.hypot(diff[..., 1], diff[..., 2])
                                                       < SKIN_CHROMA)


def _lower_leg(size: tuple[int, int], knee: np.ndarray, ankle: np.ndarray,
               full_length: float) -> np.ndarray:
    """(H, W) bool capsule along the shin, down to just below the ankle."""
    leg = np.zeros(size, np.uint8)
    below = ankle + 0.04 * full_length * (ankle - knee) / max(1e-6, np.hypot(*(ankle - knee)))
    draw_capsule(leg, knee, below, 0.45 * full_length, 1)
    leg[int(below[1]) + 1:] = 0  # no round cap below the ankle: that is the shoe
    return leg > 0


def _clothing_like_shin(photo: np.ndarray, person: np.ndarray, skin: np.ndarray,
                        knee: np.ndarray, ankle: np.ndarray, full_length: float) -> np.ndarray:
    """(H, W) bool: pixels coloured like the clothing on the shin (40–80 % of the way from the
    knee to the ankle); all False when the shin is bare."""
    sample = np.zeros(person.shape, np.uint8)
    draw_capsule(sample, knee + 0.4 * (ankle - knee), knee + 0.8 * (ankle - knee),
                 0.12 * full_length, 1)
    cloth = (sample > 0) & person & ~skin
    if cloth.sum() < 30 or cloth.sum() < 0.3 * ((sample > 0) & person).sum():
        return np.zeros(person.shape, bool)
    lab = cv2.cvtColor(photo, cv2.COLOR_RGB2LAB).astype(np.float32)
    values = lab[cloth]
    centre = np.median(values, axis=0)
    spread = np.maximum(np.median(np.abs(values - centre), axis=0) * 1.5, MIN_SPREAD)
    distance = np.abs(lab - centre) / spread
    distance[..., 0] *= 0.7  # folds shade the cloth: lightness varies more than hue
    return distance.max(axis=2) < HEM_MATCH
