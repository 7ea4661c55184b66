"""Dress preparation: a top's analysis (shoulders, armpits, sleeves, torso panel) of the
whole dress, plus its waist and its skirt's outline from the waist to the hem.

Coordinates are (x, y) pixels of the prepared (cropped) product image, image sides. The waist
is the narrowest row of the panel between :data:`WAIST_SEARCH` of the armpits → hem length,
no higher than :data:`MIN_WAIST_DEPTH` shoulder spans below the shoulders.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.geometry import bbox_of_mask
from tryon.kinds.bottom.product import PROFILE_STATIONS, EdgeProfile
from tryon.kinds.top.garment import PreparedGarment, prepare_garment, with_hanging_sleeves

__all__ = ["PreparedDress", "looks_like_dress", "prepare_dress"]

WAIST_SEARCH = (0.1, 0.45)  # of armpits → hem: where the waist is looked for
MIN_WAIST_DEPTH = 0.9  # shoulder spans: the waist lies no higher below the shoulders (the
# outline under sleeves hanging against the sides narrows just under the armpits; a
# shoulder-to-waist length is about one shoulder-seam span; strap-to-strap spans are less)
MIN_SKIRT_ROWS = 4
# A cut-out this many times as tall as wide (and not a bottom) is a dress: dresses measure
# 2.24–2.92 (wide short ones with sleeves 1.6–2.0, which count as tops), tops up to 2.19.
MIN_DRESS_ASPECT = 2.22


@dataclass(frozen=True)
class PreparedDress:
    """A dress ready to fit: ``garment`` (the top's analysis of the whole dress; its
    ``keypoints.left_hem``/``right_hem`` are the dress's hem corners), ``waist_y`` (row),
    ``skirt``: the panel's left and right edges from the waist row to the hem."""

    garment: PreparedGarment
    waist_y: float
    skirt: EdgeProfile

    @property
    def waist_left(self) -> np.ndarray:
        return np.array([self.skirt.left[0], self.skirt.rows[0]])

    @property
    def waist_right(self) -> np.ndarray:
        return np.array([self.skirt.right[0], self.skirt.rows[0]])


def prepare_dress(rgb: np.ndarray, alpha: np.ndarray) -> PreparedDress:
    """Analyse a cut-out dress (``rgb`` (H, W, 3) uint8, ``alpha`` (H, W) float32 in [0, 1]).
    Raises ``bad_item`` when the shape is not a dress."""
    garment = with_hanging_sleeves(prepare_garment(rgb, alpha))
    kp = garment.keypoints
    panel = garment.panel
    rows = np.flatnonzero(panel.any(axis=1))
    if rows.size == 0:
        raise TryOnError(ErrorCode.BAD_ITEM, "the product photo does not look like a dress")
    armpit_y = (kp.left_armpit[1] + kp.right_armpit[1]) / 2
    hem_y = float(rows[-1])
    if hem_y - armpit_y < MIN_SKIRT_ROWS * 4:
        raise TryOnError(ErrorCode.BAD_ITEM, "the product photo does not look like a dress")
    first = np.argmax(panel, axis=1).astype(np.float64)
    last = (panel.shape[1] - 1 - np.argmax(panel[:, ::-1], axis=1)).astype(np.float64)
    widths = np.where(panel.any(axis=1), last - first + 1, np.inf)
    shoulders_y = (kp.left_shoulder[1] + kp.right_shoulder[1]) / 2
    span = float(kp.right_shoulder[0] - kp.left_shoulder[0])
    lo = int(max(armpit_y + WAIST_SEARCH[0] * (hem_y - armpit_y),
                 shoulders_y + MIN_WAIST_DEPTH * span))
    hi = int(armpit_y + WAIST_SEARCH[1] * (hem_y - armpit_y))
    waist_y = float(lo + int(np.argmin(widths[lo:hi + 1])))
    stations = np.linspace(waist_y, hem_y - 0.02 * (hem_y - waist_y), PROFILE_STATIONS)
    index = np.round(stations).astype(int)
    ok = np.isfinite(widths[index])
    if ok.sum() < 2:
        raise TryOnError(ErrorCode.BAD_ITEM, "the product photo does not look like a dress")
    skirt = EdgeProfile(rows=stations[ok], left=first[index][ok], right=last[index][ok])
    return PreparedDress(garment=garment, waist_y=waist_y, skirt=skirt)


def looks_like_dress(alpha: np.ndarray) -> bool:
    """Whether a cut-out ((H, W) float32 in [0, 1]) that is not a bottom is shaped like a
    dress: at least :data:`MIN_DRESS_ASPECT` times as tall as wide."""
    box = bbox_of_mask(alpha >= 0.5)
    if box is None:
        return False
    return (box[3] - box[1]) >= MIN_DRESS_ASPECT * (box[2] - box[0])
