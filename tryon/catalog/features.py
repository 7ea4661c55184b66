"""Hand-made item features beside the embedding: the cut-out's mask, its Lab colour palette
and its shape.

Everything here works on an item photo ``rgb`` ((H, W, 3) uint8) and its optional ``alpha``
((H, W) uint8). The mask comes from :func:`tryon.imaging.cutout.cut_out`; where nothing stands
out from a plain background (a scene, a photo of a person in a room) the whole frame is the
"item" and :attr:`ItemMask.cut` is False, itself a strong hint that it is not a product.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from tryon.errors import TryOnError
from tryon.imaging.cutout import cut_out

__all__ = ["ItemMask", "PALETTE_SIZE", "SHAPE_NAMES", "item_mask", "lab_palette",
           "shape_features"]

WORK_SIDE = 128  # pixels: the mask and colours are measured at this longest side
PALETTE_SIZE = 5  # colours in the Lab palette
PALETTE_ITERATIONS = 12  # k-means steps (deterministic start: lightness quantiles)
MAX_PALETTE_PIXELS = 2048
PROFILE_STEPS = 8  # rows (and columns) where the mask's width (height) is measured
MASK_THRESHOLD = 0.5
SHAPE_NAMES: tuple[str, ...] = (
    "cut", "cover", "log_aspect", "fill", "lr_symmetry", "ud_symmetry", "centroid_y",
    "log_parts", *(f"row_width_{i}" for i in range(PROFILE_STEPS)),
    *(f"col_height_{i}" for i in range(PROFILE_STEPS)))


@dataclass(frozen=True)
class ItemMask:
    """``mask``: (H, W) float32 in [0, 1], the item; ``cut``: whether a product was separated
    from its background (False: the whole frame)."""

    mask: np.ndarray
    cut: bool


def item_mask(rgb: np.ndarray, alpha: np.ndarray | None = None) -> ItemMask:
    """The item's cut-out, or the whole frame when none can be separated."""
    try:
        return ItemMask(cut_out(rgb, alpha), True)
    except TryOnError:
        return ItemMask(np.ones(rgb.shape[:2], np.float32), False)


def _small(picture: np.ndarray) -> np.ndarray:
    height, width = picture.shape[:2]
    scale = min(1.0, WORK_SIDE / max(height, width))
    if scale == 1.0:
        return picture
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(picture, size, interpolation=cv2.INTER_AREA)


def lab_palette(rgb: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The item's :data:`PALETTE_SIZE` main colours: ``(colours, weights)``, colours
    (K, 3) float32 CIE Lab (L in [0, 100], a and b about [-128, 127]), weights (K,) summing to
    1, heaviest first (a colour may repeat with weight 0 when the item has fewer)."""
    lab = cv2.cvtColor(_small(rgb).astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)
    inside = _small(mask.astype(np.float32)) >= MASK_THRESHOLD
    pixels = lab[inside] if inside.any() else lab.reshape(-1, 3)
    if len(pixels) > MAX_PALETTE_PIXELS:
        pixels = pixels[np.linspace(0, len(pixels) - 1, MAX_PALETTE_PIXELS).astype(int)]
    order = np.argsort(pixels[:, 0], kind="stable")
    centres = pixels[order[np.linspace(0, len(order) - 1, PALETTE_SIZE).astype(int)]].copy()
    for _ in range(PALETTE_ITERATIONS):
        nearest = np.argmin(((pixels[:, None] - centres[None]) ** 2).sum(-1), axis=1)
        for k in range(PALETTE_SIZE):
            members = pixels[nearest == k]
            if len(members):
                centres[k] = members.mean(axis=0)
    counts = np.bincount(nearest, minlength=PALETTE_SIZE).astype(np.float32)
    heaviest = np.argsort(-counts, kind="stable")
    return centres[heaviest].astype(np.float32), counts[heaviest] / counts.sum()


def shape_features(item: ItemMask) -> np.ndarray:
    """(len(SHAPE_NAMES),) float32, named by :data:`SHAPE_NAMES`: whether it was cut out,
    the share of the frame it covers, log(height / width) of its box, how much of the box it
    fills, its left-right and top-bottom mirror overlap (IoU, 0–1), its centroid's height in
    the box (0 top, 1 bottom), log(1 + parts), and its width at :data:`PROFILE_STEPS` heights
    and height at as many columns (each relative to the widest/tallest)."""
    mask = _small(item.mask.astype(np.float32)) >= MASK_THRESHOLD
    cover = float(mask.mean())
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if len(rows) == 0:
        return np.zeros(len(SHAPE_NAMES), np.float32)
    box = mask[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    height, width = box.shape
    parts = cv2.connectedComponents(box.astype(np.uint8))[0] - 1
    ys = np.nonzero(box)[0]
    widths = box.sum(axis=1).astype(np.float32)
    heights = box.sum(axis=0).astype(np.float32)
    at_rows = widths[np.linspace(0, height - 1, PROFILE_STEPS).astype(int)] / widths.max()
    at_cols = heights[np.linspace(0, width - 1, PROFILE_STEPS).astype(int)] / heights.max()
    values = [float(item.cut), cover, float(np.log(height / width)), float(box.mean()),
              _iou(box, box[:, ::-1]), _iou(box, box[::-1]), float(ys.mean() / max(1, height - 1)),
              float(np.log1p(parts))]
    return np.concatenate([values, at_rows, at_cols]).astype(np.float32)


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    union = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / union) if union else 0.0
