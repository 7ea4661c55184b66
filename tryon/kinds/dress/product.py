"""Dress preparation: a top's analysis (shoulders, armpits, sleeves, torso panel) of the
whole dress, plus its waist and its skirt's outline from the waist to the hem.

Coordinates are (x, y) pixels of the prepared (cropped) product image, image sides. The waist
is the narrowest row of the panel between :data:`WAIST_SEARCH` of the armpits → hem length,
no higher than :data:`MIN_WAIST_DEPTH` shoulder spans below the shoulders.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.geometry import bbox_of_mask
from tryon.kinds.bottom.product import PROFILE_STATIONS, EdgeProfile, full_hem_row
from tryon.kinds.top.garment import (
    PreparedGarment,
    prepare_garment,
    with_bodice_sleeves,
    with_hanging_sleeves,
)

__all__ = ["PreparedDress", "looks_like_dress", "prepare_dress"]

WAIST_SEARCH = (0.1, 0.45)  # of armpits → hem: where the waist is looked for
MIN_WAIST_DEPTH = 0.9  # shoulder spans: the waist lies no higher below the shoulders (the
# outline under sleeves hanging against the sides narrows just under the armpits; a
# shoulder-to-waist length is about one shoulder-seam span; strap-to-strap spans are less)
MIN_SKIRT_ROWS = 4
ARMPIT_ABOVE_WAIST = 0.4  # shoulder spans: the armpits lie at least this far above the waist
SEAM_WAIST_NARROWER = 0.05  # a waist above the search: this much narrower than the one found
SEAM_WAIST_FLARE = 1.15  # ... and the skirt this many times as wide
SEAM_WAIST_FLARE_AT = 0.3  # ... this many shoulder spans below it
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
    Raises ``bad_item`` when the shape is not a dress. Sleeves are looked for beyond the
    shoulder-to-hem panel, hanging against the sides, and, when neither shows, beyond the
    bodice above the waist (:func:`~tryon.kinds.top.garment.with_bodice_sleeves`); the
    waist is then looked for again under the armpits found."""
    garment = with_hanging_sleeves(prepare_garment(rgb, alpha))
    waist_y = _waist(garment)
    if all(sleeve.cuff[1] < waist_y for sleeve in garment.sleeves):
        # Short sleeves (or none found) are looked for beyond the bodice: a skirt flaring
        # wider than them puts them inside the shoulder-to-hem panel, hidden or with their
        # armpits found under their cuffs.
        bare = dataclasses.replace(garment, sleeves=(), panel=garment.alpha >= 0.5)
        with_sleeves = with_bodice_sleeves(bare, waist_y)
        if with_sleeves is not bare:
            try:
                garment, waist_y = with_sleeves, _waist(with_sleeves)
            except TryOnError:  # no waist under those armpits: they were no sleeves
                pass
    panel = garment.panel
    hem_y = float(np.flatnonzero(panel.any(axis=1))[-1])
    first, last, widths = _row_extents(panel)
    stations = np.linspace(waist_y, full_hem_row(widths, waist_y, hem_y), PROFILE_STATIONS)
    index = np.round(stations).astype(int)
    ok = np.isfinite(widths[index])
    if ok.sum() < 2:
        raise TryOnError(ErrorCode.BAD_ITEM, "the product photo does not look like a dress")
    skirt = EdgeProfile(rows=stations[ok], left=first[index][ok], right=last[index][ok])
    kp = garment.keypoints
    span = float(kp.right_shoulder[0] - kp.left_shoulder[0])
    return PreparedDress(garment=_armpits_above(garment, waist_y - ARMPIT_ABOVE_WAIST * span),
                         waist_y=waist_y, skirt=skirt)


def _row_extents(panel: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row of ``panel`` ((H, W) bool): its first and last column and its width (inf
    where the row is empty), each (H,) float64."""
    first = np.argmax(panel, axis=1).astype(np.float64)
    last = (panel.shape[1] - 1 - np.argmax(panel[:, ::-1], axis=1)).astype(np.float64)
    widths = np.where(panel.any(axis=1), last - first + 1, np.inf)
    return first, last, widths


def _waist(garment: PreparedGarment) -> float:
    """The dress's waist row: the panel's narrowest row between :data:`WAIST_SEARCH` of the
    armpits → hem length, no higher than :data:`MIN_WAIST_DEPTH` shoulder spans below the
    shoulders (or a clearly narrower seam above, :func:`_seam_waist`). Raises ``bad_item``
    when the panel is too short for a skirt or the search is empty (trousers, shoes or a
    short top given as a dress)."""
    kp = garment.keypoints
    panel = garment.panel
    rows = np.flatnonzero(panel.any(axis=1))
    if rows.size == 0:
        raise TryOnError(ErrorCode.BAD_ITEM, "the product photo does not look like a dress")
    armpit_y = (kp.left_armpit[1] + kp.right_armpit[1]) / 2
    hem_y = float(rows[-1])
    if hem_y - armpit_y < MIN_SKIRT_ROWS * 4:
        raise TryOnError(ErrorCode.BAD_ITEM, "the product photo does not look like a dress")
    widths = _row_extents(panel)[2]
    shoulders_y = (kp.left_shoulder[1] + kp.right_shoulder[1]) / 2
    span = float(kp.right_shoulder[0] - kp.left_shoulder[0])
    highest = int(shoulders_y + MIN_WAIST_DEPTH * span)
    lo = max(int(armpit_y + WAIST_SEARCH[0] * (hem_y - armpit_y)), highest)
    hi = int(armpit_y + WAIST_SEARCH[1] * (hem_y - armpit_y))
    if lo > hi or not np.isfinite(widths[lo:hi + 1]).any():
        raise TryOnError(ErrorCode.BAD_ITEM, "the product photo does not look like a dress")
    waist_y = float(lo + int(np.argmin(widths[lo:hi + 1])))
    return _seam_waist(widths, highest, lo, span, waist_y)


def _armpits_above(garment: PreparedGarment, lowest: float) -> PreparedGarment:
    """``garment`` with armpits lower than the row ``lowest`` lifted to it, on the outline's
    outer edges there (pinned below the waist above them, the fit folded the bodice into
    rings)."""
    kp = garment.keypoints
    if max(kp.left_armpit[1], kp.right_armpit[1]) <= lowest:
        return garment
    row = garment.alpha[int(np.clip(round(lowest), 0, garment.alpha.shape[0] - 1))] >= 0.5
    xs = np.flatnonzero(row)
    if xs.size == 0:
        return garment
    left = kp.left_armpit if kp.left_armpit[1] <= lowest else np.array([float(xs[0]), lowest])
    right = (kp.right_armpit if kp.right_armpit[1] <= lowest
             else np.array([float(xs[-1]), lowest]))
    return dataclasses.replace(garment, keypoints=dataclasses.replace(
        kp, left_armpit=left, right_armpit=right))


def _seam_waist(widths: np.ndarray, top: int, lo: int, span: float, waist_y: float) -> float:
    """``waist_y``, or a row between ``top`` and ``lo`` (above where the waist was looked
    for) that is clearly the waist: :data:`SEAM_WAIST_NARROWER` narrower than ``waist_y``'s
    row and with the skirt flaring :data:`SEAM_WAIST_FLARE` wider within
    :data:`SEAM_WAIST_FLARE_AT` shoulder spans below it (``widths``: (H,) the panel's width
    per row, inf where empty). A sleeveless dress's armpits default to 0.3 of the way from
    its shoulders to its hem, below a high gathered waist: the waist was found under it, the
    bodice measured too long, and a midi dress was worn at the knee."""
    if lo <= top or not np.isfinite(widths[int(waist_y)]):
        return waist_y
    row = top + int(np.argmin(widths[top:lo]))
    below = min(len(widths) - 1, row + int(round(SEAM_WAIST_FLARE_AT * span)))
    if (widths[row] < (1 - SEAM_WAIST_NARROWER) * widths[int(waist_y)]
            and np.isfinite(widths[below]) and widths[below] > SEAM_WAIST_FLARE * widths[row]):
        return float(row)
    return waist_y


def looks_like_dress(alpha: np.ndarray) -> bool:
    """Whether a cut-out ((H, W) float32 in [0, 1]) that is not a bottom is shaped like a
    dress: at least :data:`MIN_DRESS_ASPECT` times as tall as wide."""
    box = bbox_of_mask(alpha >= 0.5)
    if box is None:
        return False
    return (box[3] - box[1]) >= MIN_DRESS_ASPECT * (box[2] - box[0])
