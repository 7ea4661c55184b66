"""Shoe preparation: split a product photo into single shoes, check the view, find keypoints.

Coordinates are ``(x, y)`` pixels of each prepared (cropped) shoe image. Every prepared shoe
is normalised to face image-right (toe on the right), so the fit stage only ever mirrors for
a foot that points left. Keypoints: ``heel`` (back of the sole), ``toe`` (front of the sole),
both on the sole line, and ``collar`` (the top of the opening, above the heel half).

Views: a side or 3/4 view is wider than tall; a top view (sole seen from above, toe up or
down) is taller than wide and a back or front view is about as wide as tall; those cannot be
fitted to a foot seen from the side and give ``unsupported_item_view``.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.geometry import bbox_of_mask, crop_box

__all__ = ["PreparedShoe", "prepare_shoes", "looks_like_shoes", "MIN_SIDE_VIEW_ASPECT"]

MIN_SIDE_VIEW_ASPECT = 1.3  # width / height of a side or 3/4 view shoe
MIN_SHOE_AREA = 0.08  # of the largest part: smaller parts are laces, tags, specks
MAX_SHOE_SIDE = 768


@dataclass(frozen=True)
class PreparedShoe:
    """One shoe facing image-right. ``rgb``: (h, w, 3) uint8; ``alpha``: (h, w) float32 in
    [0, 1] (shadows dropped); ``heel``/``toe``/``collar``: (2,) xy pixels."""

    rgb: np.ndarray
    alpha: np.ndarray
    heel: np.ndarray
    toe: np.ndarray
    collar: np.ndarray

    @property
    def length(self) -> float:
        """Heel-to-toe distance in pixels."""
        return float(np.hypot(*(self.toe - self.heel)))

    @property
    def height(self) -> float:
        """Height of the shoe above its sole line, in pixels."""
        return float(max(self.heel[1], self.toe[1]) - self.collar[1])


def looks_like_shoes(alpha: np.ndarray) -> bool:
    """Whether a cut-out ((H, W) float32 in [0, 1]) is shaped like shoes rather than a top:
    its solid parts are much wider than tall (a side view) or there are two similar parts."""
    parts = _parts(alpha >= 0.5)
    if not parts:
        return False
    if len(parts) == 2:
        return True
    x0, y0, x1, y1 = parts[0]
    return (x1 - x0) >= 1.6 * (y1 - y0)


def prepare_shoes(rgb: np.ndarray, alpha: np.ndarray) -> tuple[PreparedShoe, ...]:
    """Split ``rgb`` ((H, W, 3) uint8) with its cut-out ``alpha`` ((H, W) float32 in [0, 1])
    into one or two shoes facing right. Raises ``bad_item`` when nothing shoe-like is found
    and ``unsupported_item_view`` for top, back and front views."""
    solid = alpha >= 0.5
    boxes = _parts(solid)
    if not boxes:
        raise TryOnError(ErrorCode.BAD_ITEM, "no shoe was found in the product photo")
    shoes = []
    for box in boxes:
        x0, y0, x1, y1 = box
        if (x1 - x0) < MIN_SIDE_VIEW_ASPECT * (y1 - y0):
            raise TryOnError(ErrorCode.UNSUPPORTED_ITEM_VIEW,
                             "the shoe is shown from the top, back or front; use a photo of "
                             "the shoe from the side or at three-quarters")
        shoes.append(_prepare_one(rgb, alpha, solid, box))
    return tuple(shoes)


def _parts(solid: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (x0, y0, x1, y1) of the one or two main parts, left to right. Two
    parts of similar size are a pair; anything much smaller (laces, specks) is ignored."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(solid.astype(np.uint8), 8)
    if count <= 1:
        return []
    areas = stats[1:, cv2.CC_STAT_AREA]
    biggest = float(areas.max())
    if biggest < 0.002 * solid.size:
        return []
    main = [i + 1 for i in np.argsort(-areas)[:2] if areas[i] >= 0.5 * biggest]
    if len(main) == 1:
        # Keep nearby small parts (flying laces) with the one shoe: box of all large-ish parts.
        main = [i + 1 for i in range(len(areas)) if areas[i] >= MIN_SHOE_AREA * biggest]
        x0 = min(stats[i, 0] for i in main)
        y0 = min(stats[i, 1] for i in main)
        x1 = max(stats[i, 0] + stats[i, 2] for i in main)
        y1 = max(stats[i, 1] + stats[i, 3] for i in main)
        return [(int(x0), int(y0), int(x1), int(y1))]
    boxes = [(int(stats[i, 0]), int(stats[i, 1]), int(stats[i, 0] + stats[i, 2]),
              int(stats[i, 1] + stats[i, 3])) for i in main]
    return sorted(boxes)


def _prepare_one(rgb: np.ndarray, alpha: np.ndarray, solid: np.ndarray,
                 box: tuple[int, int, int, int]) -> PreparedShoe:
    height, width = solid.shape
    margin = max(2, int(0.02 * (box[2] - box[0])))
    x0, y0, x1, y1 = crop_box(box, margin, width, height)
    keep = np.zeros_like(solid)
    keep[box[1]:box[3], box[0]:box[2]] = solid[box[1]:box[3], box[0]:box[2]]
    # Drop the soft product shadow: only the solid shoe and a pixel of soft edge remain.
    near = cv2.dilate(keep.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    cut_alpha = np.where(near, alpha, 0.0)[y0:y1, x0:x1].astype(np.float32)
    cut_rgb = rgb[y0:y1, x0:x1]
    scale = min(1.0, MAX_SHOE_SIDE / max(cut_rgb.shape[:2]))
    if scale < 1.0:
        size = (max(1, round(cut_rgb.shape[1] * scale)), max(1, round(cut_rgb.shape[0] * scale)))
        cut_rgb = cv2.resize(cut_rgb, size, interpolation=cv2.INTER_AREA)
        cut_alpha = cv2.resize(cut_alpha, size, interpolation=cv2.INTER_AREA)
    if _faces_left(cut_alpha >= 0.5):
        cut_rgb = np.ascontiguousarray(cut_rgb[:, ::-1])
        cut_alpha = np.ascontiguousarray(cut_alpha[:, ::-1])
    heel, toe, collar = _keypoints(cut_alpha >= 0.5)
    return PreparedShoe(rgb=np.ascontiguousarray(cut_rgb), alpha=cut_alpha, heel=heel, toe=toe,
                        collar=collar)


def _top_profile(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Columns that hold the shoe and the top row of the shoe in each."""
    columns = np.flatnonzero(mask.any(axis=0))
    tops = np.argmax(mask[:, columns], axis=0).astype(np.float64)
    return columns, tops


def _faces_left(mask: np.ndarray) -> bool:
    """A side-view shoe is tall at the heel (the collar) and low at the toe: the toe is on
    the side whose outer third has the lower top profile."""
    columns, tops = _top_profile(mask)
    if columns.size < 6:
        return False
    third = max(1, columns.size // 3)
    left_top, right_top = float(np.median(tops[:third])), float(np.median(tops[-third:]))
    return left_top > right_top  # the left end sits lower: the toe points left


def _keypoints(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Heel and toe on the sole line and the collar top, for a shoe facing right."""
    bbox = bbox_of_mask(mask)
    if bbox is None:
        raise TryOnError(ErrorCode.BAD_ITEM, "no shoe was found in the product photo")
    x0, y0, x1, y1 = bbox
    rows = np.flatnonzero(mask.any(axis=1))
    sole_y = float(rows[-1])
    # The sole line: the lowest row; heel/toe: the shoe's extent in its lower fifth.
    band = mask[int(sole_y - 0.2 * (y1 - y0)):int(sole_y) + 1]
    xs = np.flatnonzero(band.any(axis=0))
    heel = np.array([float(xs[0]), sole_y])
    toe = np.array([float(xs[-1]), sole_y])
    columns, tops = _top_profile(mask)
    heel_half = columns < (x0 + x1) / 2
    i = int(np.argmin(np.where(heel_half, tops, np.inf)))
    collar = np.array([float(columns[i]), float(tops[i])])
    return heel, toe, collar
