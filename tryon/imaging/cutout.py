"""Product cut-out: the item's mask from its alpha channel or from a plain studio background.

Colour alone cannot separate a white T-shirt from a white background, so the background is
flooded from the image border through pixels that are both close to the border's colour and
free of edges: the garment's outline (however faint) stops the flood. Whatever the flood does
not reach, minus specks, is the product. Where the outline is too faint the flood leaks into
a white garment; on a flat (retouched) background, which has no grain at all, the cloth's own
grain tells it apart (:func:`_grainy_parts`). Work happens at :data:`WORK_SIDE` pixels; the
mask is brought back to full size with a one-pixel soft edge.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.geometry import (
    bbox_of_mask,
    crop_box,
    dilate_disc,
    labelled_any,
    open_disc,
    parts_at_least,
)

__all__ = ["CutoutSettings", "crop_item", "cut_out", "enclosed_gaps"]

WORK_SIDE = 512
ITEM_SOLID = 0.5  # alpha from which a pixel counts as the item (crop_item)
ITEM_MARGIN = 0.02  # of the item's longer side, kept around it
MIN_ITEM_MARGIN = 4  # pixels
# A white garment on a flat studio white (every border pixel one colour, as retouched product
# photos are) lost a sleeve or a hem's corner where its outline is faint: the flood ran in
# through colours 1 Lab unit from the background's. Its cloth has grain, the background none:
FLAT_NOISE = 0.0  # the border's noise (Lab units) at most this: a flat background
GRAIN_WINDOW = 5  # work pixels: the window of the local spread
GRAIN_SPREAD = 0.1  # Lab units of spread (any channel) from which a pixel is grainy, not flat
# Flooded again through flat pixels only, the background's slivers between a sleeve and the
# body and a halo along the outline (JPEG ringing, soft shadows) stop it too: of what that
# flood leaves more than the first, only parts wider than twice GRAIN_OPEN work pixels and
# grainy through (median spread above GRAIN_PART) are cloth. On the products in ../shared:
# cloth 0.48-1.1, the background's slivers 0.0-0.27.
GRAIN_OPEN = 12
GRAIN_PART = 0.3
# The background seen between a long sleeve and the body, where the sleeve touches the body
# further down, is enclosed by the product and was kept as cloth: a white strip with the
# sleeve's shadow warped along the wearer's side. A background-coloured part of the product
# is such a gap when it is thin, long and upright, away from the product's middle, the only
# one on its side, and the product is not itself background-coloured (a white garment's or
# a striped one's pale parts look the same: those keep theirs). Of the 112 product photos
# of clothes in ../shared, 11 tops and dresses have such gaps as prepared (beside sleeves,
# inside camisole straps and a strap's loop), each background as seen by eye; none is found
# in a white, striped or spotted one. About 18 ms a product on this CPU.
GAP_WIDTH = 12.0  # work pixels: a gap's mean width at most
GAP_MIN_WIDTH = 2.0  # ... and at least (a white tee's crease and a dalmatian print's pale
# lines between its spots were 1 work pixel wide)
GAP_ELONGATION = 4.0  # its length at least this many widths
GAP_MIN_LENGTH = 0.05  # of the product's height
GAP_TILT = 20.0  # degrees from upright at most
GAP_SIDE = 0.2  # of the product's width: its centre at least this far from the middle
GAP_PALE_SHARE = 0.1  # of the product background-coloured (gaps left out) at most
GAP_BACKGROUND_RING = 8  # work pixels around the product whose colour is the background's
MIN_GAP_PIXELS = 20  # work pixels: smaller parts are not measured
GAP_RIM = 2  # work pixels of background colour around a gap taken with it (its outline's
# anti-aliased edge stays with the cloth)


@dataclass(frozen=True)
class CutoutSettings:
    """``colour_tolerance``: Lab distance (lightness weighted by ``lightness_weight``) under
    which a pixel looks like background, at most: a flat background (a studio shot's even
    white, no noise) gets less, down to ``min_colour_tolerance``, so an off-white garment on
    it is not taken for background; ``canny``: edge thresholds on the grey image;
    ``seal``: edge dilation radius in work pixels, closing gaps in faint outlines;
    ``min_part``: smallest kept part as a fraction of the frame."""

    colour_tolerance: float = 7.0
    min_colour_tolerance: float = 2.0
    lightness_weight: float = 0.5
    canny: tuple[int, int] = (8, 24)
    seal: int = 2
    min_part: float = 0.004
    max_cover: float = 0.97


def cut_out(rgb: np.ndarray, alpha: np.ndarray | None,
            settings: CutoutSettings = CutoutSettings()) -> np.ndarray:
    """Mask of the product in ``rgb`` ((H, W, 3) uint8) as (H, W) float32 in [0, 1].

    A meaningful ``alpha`` ((H, W) uint8) is used as it is; otherwise the background is
    removed. Raises ``bad_item`` when no product stands out from a plain background.
    """
    if alpha is not None and float((alpha < 128).mean()) > 0.02:
        mask = alpha.astype(np.float32) / 255.0
        return _checked(mask, settings)
    height, width = rgb.shape[:2]
    scale = min(1.0, WORK_SIDE / max(height, width))
    small = rgb if scale == 1.0 else cv2.resize(
        rgb, (max(1, round(width * scale)), max(1, round(height * scale))),
        interpolation=cv2.INTER_AREA)
    product = _foreground(small, settings)
    soft = cv2.resize(product.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
    soft = cv2.GaussianBlur(soft, (0, 0), max(0.6, 0.5 / scale))
    mask = np.clip((soft - 0.5) * 2.0 + 0.5, 0.0, 1.0).astype(np.float32)
    return _checked(mask, settings)


def _checked(mask: np.ndarray, settings: CutoutSettings) -> np.ndarray:
    cover = float((mask >= 0.5).mean())
    if cover < settings.min_part:
        raise TryOnError(ErrorCode.BAD_ITEM, "no product could be separated from the background")
    if cover > settings.max_cover:
        raise TryOnError(ErrorCode.BAD_ITEM,
                         "the item photo needs a plain background or transparency around it")
    return mask


def _foreground(rgb: np.ndarray, settings: CutoutSettings) -> np.ndarray:
    """(h, w) bool product mask of a small studio shot."""
    lab8 = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
    lab = lab8.astype(np.float32)
    border = np.concatenate([lab[:2].reshape(-1, 3), lab[-2:].reshape(-1, 3),
                             lab[:, :2].reshape(-1, 3), lab[:, -2:].reshape(-1, 3)])
    near_background, noise = _near_colour(lab8, border, settings)
    edges = _edges(rgb, settings)
    product = _flooded(near_background, edges, settings)
    if not product.any():
        return product
    # Grain is only seen at the full work size (a small photo's JPEG blocks have as much).
    if noise <= FLAT_NOISE and max(rgb.shape[:2]) >= WORK_SIDE:
        product |= _grainy_parts(lab, near_background, edges, product, settings)
    return _watershed_refine(rgb, product, settings.min_part)


def enclosed_gaps(rgb: np.ndarray, alpha: np.ndarray,
                  settings: CutoutSettings = CutoutSettings()) -> np.ndarray:
    """(H, W) bool: the background a cut-out product (``rgb`` (H, W, 3) uint8, ``alpha``
    (H, W) float32 in [0, 1] from :func:`cut_out`) encloses between a long sleeve and its
    body (:func:`_enclosed_gaps`), the background's colour taken just outside the product.
    None found where the product is not on a plain background."""
    height, width = rgb.shape[:2]
    scale = min(1.0, WORK_SIDE / max(height, width))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = rgb if scale == 1.0 else cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    product = (alpha if scale == 1.0 else cv2.resize(alpha, size, interpolation=cv2.INTER_AREA)
               ) >= ITEM_SOLID
    lab8 = cv2.cvtColor(small, cv2.COLOR_RGB2LAB)
    around = dilate_disc(product, GAP_BACKGROUND_RING) & ~dilate_disc(product, GAP_RIM)
    if not around.any():
        return np.zeros((height, width), bool)
    near_background, noise = _near_colour(lab8, lab8[around].astype(np.float32), settings)
    if noise > settings.colour_tolerance:
        return np.zeros((height, width), bool)
    gaps = _enclosed_gaps(product, near_background, _edges(small, settings))
    if scale == 1.0:
        return gaps
    if not gaps.any():
        return np.zeros((height, width), bool)
    return cv2.resize(gaps.astype(np.uint8), (width, height),
                      interpolation=cv2.INTER_NEAREST) > 0


def _near_colour(lab8: np.ndarray, sample: np.ndarray,
                 settings: CutoutSettings) -> tuple[np.ndarray, float]:
    """((h, w) bool, noise): where ``lab8`` ((h, w, 3) uint8, OpenCV's 8-bit Lab) looks like
    the background ``sample`` ((N, 3) float32 Lab of its pixels): within the settings'
    tolerance of its median, less on a flat background (``noise``: the 90th percentile of
    the sample's weighted distances from its median)."""
    weights = np.array([settings.lightness_weight, 1.0, 1.0], np.float32)
    centre = np.median(sample, axis=0)
    noise = float(np.percentile(np.linalg.norm((sample - centre) * weights, axis=1), 90))
    tolerance = float(np.clip(settings.min_colour_tolerance + 3.0 * noise,
                              settings.min_colour_tolerance, settings.colour_tolerance))
    return _weighted_distance(lab8, centre, weights) < tolerance, noise


def _edges(rgb: np.ndarray, settings: CutoutSettings) -> np.ndarray:
    """(h, w) bool: Canny edges of the lightly blurred grey image."""
    grey = cv2.GaussianBlur(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), (3, 3), 0)
    return cv2.Canny(grey, *settings.canny) > 0


def _enclosed_gaps(product: np.ndarray, near_background: np.ndarray,
                   edges: np.ndarray) -> np.ndarray:
    """(h, w) bool: the background enclosed by the product between a sleeve and the body
    (``product``, ``near_background``, ``edges``: (h, w) bool work masks): edge-free
    background-coloured parts of the product that are thin, long and upright, beside its
    middle (:data:`GAP_WIDTH` ... :data:`GAP_SIDE`), the only such part on their side (a
    pattern has many), grown by :data:`GAP_RIM` through background colour; none when more
    than :data:`GAP_PALE_SHARE` of the product is background-coloured besides."""
    gaps = np.zeros(product.shape, bool)
    pale = near_background & product
    box = bbox_of_mask(product)
    if box is None or not pale.any():
        return gaps
    x0, y0, x1, y1 = box
    middle, height, width = (x0 + x1) / 2.0, float(y1 - y0), float(x1 - x0)
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(
        (pale & ~edges).astype(np.uint8), connectivity=4)
    sides: dict[bool, list[int]] = {False: [], True: []}
    for part in range(1, count):
        area = float(stats[part, cv2.CC_STAT_AREA])
        offset = centroids[part][0] - middle
        if area < MIN_GAP_PIXELS or abs(offset) < GAP_SIDE * width:
            continue
        left, top, box_width, box_height = stats[part, :4]
        ys, xs = np.nonzero(labels[top:top + box_height, left:left + box_width] == part)
        spread, axes = np.linalg.eigh(np.cov(np.stack([xs, ys]).astype(np.float64)))
        length = 4.0 * float(np.sqrt(max(spread[1], 0.0)))
        tilt = float(np.degrees(np.arctan2(abs(axes[0, 1]), abs(axes[1, 1]))))
        mean_width = area / max(length, 1.0)
        if (GAP_MIN_WIDTH <= mean_width <= GAP_WIDTH and length >= GAP_ELONGATION * mean_width
                and length >= GAP_MIN_LENGTH * height and tilt <= GAP_TILT):
            sides[bool(offset > 0)].append(part)
    found = [parts[0] for parts in sides.values() if len(parts) == 1]
    if not found or pale.sum() - sum(stats[p, cv2.CC_STAT_AREA] for p in found) > (
            GAP_PALE_SHARE * product.sum()):
        return gaps
    gaps = labelled_any(labels, found)
    ring = np.ones((3, 3), np.uint8)
    for _ in range(GAP_RIM):
        gaps |= (cv2.dilate(gaps.astype(np.uint8), ring) > 0) & pale
    return gaps


def _weighted_distance(lab8: np.ndarray, centre: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(h, w) float32: each pixel's Lab distance from ``centre`` ((3,) float32), channels
    weighted by ``weights`` ((3,) float32), for ``lab8`` ((h, w, 3) uint8, OpenCV's 8-bit
    Lab) — bit for bit ``np.linalg.norm((lab8.astype(np.float32) - centre) * weights,
    axis=2)``: each channel's weighted square comes from a 256-entry table of the same
    float32 arithmetic (one look-up pass instead of four passes over a float copy)."""
    levels = np.arange(256, dtype=np.float32)[:, None]
    weighted = (levels - centre) * weights
    table = np.ascontiguousarray((weighted * weighted).reshape(1, 256, 3), np.float32)
    return np.sqrt(np.add.reduce(cv2.LUT(lab8, table), axis=2))


def _flooded(near_background: np.ndarray, edges: np.ndarray,
             settings: CutoutSettings) -> np.ndarray:
    """:func:`_flood_product` with the edges sealed more and more until the product is solid
    (a faint outline's gaps let the flood into it)."""
    product = np.zeros(near_background.shape, bool)
    for seal in (settings.seal, 2 * settings.seal, 3 * settings.seal):
        product = _flood_product(near_background, edges, seal, settings.min_part)
        if _solidity(product) >= 0.6:
            break
    return product


def _grainy_parts(lab: np.ndarray, near_background: np.ndarray, edges: np.ndarray,
                  product: np.ndarray, settings: CutoutSettings) -> np.ndarray:
    """(h, w) bool: the cloth the flood took for a flat background (``lab``: (h, w, 3) float32
    Lab of the work image; ``near_background``/``edges``/``product``: (h, w) bool, the
    flood's inputs and result): flooded again through flat pixels only, what that leaves
    beyond ``product``, opened by :data:`GRAIN_OPEN`, in parts of at least ``min_part`` of
    the frame whose median spread is above :data:`GRAIN_PART`."""
    spread = _local_spread(lab)
    beyond = _flooded(near_background & (spread <= GRAIN_SPREAD), edges, settings) & ~product
    beyond = open_disc(beyond, GRAIN_OPEN).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(beyond, connectivity=8)
    cloth = np.zeros(count, bool)
    for part in range(1, count):
        if (stats[part, cv2.CC_STAT_AREA] >= settings.min_part * beyond.size
                and float(np.median(spread[labels == part])) > GRAIN_PART):
            cloth[part] = True
    return cloth[labels]


def _local_spread(lab: np.ndarray) -> np.ndarray:
    """(h, w) float32: the largest standard deviation of the three Lab channels over the
    :data:`GRAIN_WINDOW` square around each pixel (0 on a flat background)."""
    spread = np.zeros(lab.shape[:2], np.float32)
    window = (GRAIN_WINDOW, GRAIN_WINDOW)
    for channel in range(3):
        plane = lab[..., channel]
        mean = cv2.blur(plane, window)
        variance = cv2.blur(plane * plane, window) - mean * mean
        spread = np.maximum(spread, np.sqrt(np.maximum(variance, 0.0)))
    return spread


def _flood_product(near_background: np.ndarray, edges: np.ndarray, seal: int,
                   min_part: float) -> np.ndarray:
    """What a flood from the border through background-coloured, edge-free pixels leaves;
    edges are first dilated by ``seal`` px to close gaps in a faint outline."""
    ring = np.ones((2 * seal + 1, 2 * seal + 1), np.uint8)
    blocked = cv2.dilate(edges.astype(np.uint8), ring) > 0
    passable = near_background & ~blocked
    _, labels = cv2.connectedComponents(passable.astype(np.uint8), connectivity=4)
    frame = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    product = ~labelled_any(labels, np.unique(frame[frame > 0]))
    product = cv2.morphologyEx(product.astype(np.uint8), cv2.MORPH_OPEN,
                               np.ones((3, 3), np.uint8))
    # The flood stops one edge-width short of the product: take that rim back.
    return _large_parts(cv2.erode(product, ring) > 0, min_part)


def _watershed_refine(rgb: np.ndarray, product: np.ndarray, min_part: float) -> np.ndarray:
    """Move the flood's boundary onto the product's outline: a watershed on colour
    differences between seeds inside the product (its eroded core) and seeds outside (the
    frame border and whatever lies well outside the product's hull). Where a faint outline
    let the flood into a pale sleeve, the sleeve goes back to the product because its
    outline, however faint, is still a ridge between two flat areas."""
    height, width = product.shape
    core_size = max(3, (min(height, width) // 50) | 1)
    core = cv2.erode(product.astype(np.uint8), np.ones((core_size, core_size), np.uint8)) > 0
    if not core.any():
        return product
    hull = np.zeros((height, width), np.uint8)
    cv2.fillConvexPoly(hull, cv2.convexHull(_row_ends(product)), 1)
    far = cv2.dilate(hull, np.ones((2 * core_size + 1, 2 * core_size + 1), np.uint8)) == 0
    markers = np.zeros((height, width), np.int32)
    markers[far] = 1
    markers[:2], markers[-2:], markers[:, :2], markers[:, -2:] = 1, 1, 1, 1
    markers[core] = 2
    smooth = cv2.GaussianBlur(rgb, (0, 0), 1.0)
    cv2.watershed(cv2.cvtColor(smooth, cv2.COLOR_RGB2BGR), markers)
    refined = markers == 2
    refined = cv2.morphologyEx(refined.astype(np.uint8), cv2.MORPH_OPEN,
                               np.ones((3, 3), np.uint8)) > 0
    refined = _large_parts(refined, min_part)
    return refined if refined.any() else product


def _solidity(mask: np.ndarray) -> float:
    """Area of ``mask`` over the area of its convex hull (1 for a convex blob, 0 if empty)."""
    if not mask.any():
        return 0.0
    hull = cv2.contourArea(cv2.convexHull(_row_ends(mask)))
    return float(mask.sum()) / max(hull, 1.0)


def _row_ends(mask: np.ndarray) -> np.ndarray:
    """(N, 1, 2) int32 xy of the first and last pixel of every non-empty row of a non-empty
    (H, W) mask. Every corner of the mask's convex hull is one of them (a pixel with mask
    pixels left and right of it in its row lies between them), so their hull is the mask's
    hull, found from ≤ 2H points instead of every pixel."""
    rows = np.flatnonzero(mask.any(axis=1))
    band = mask[rows] != 0
    first = np.argmax(band, axis=1)
    last = mask.shape[1] - 1 - np.argmax(band[:, ::-1], axis=1)
    xs = np.concatenate([first, last])
    ys = np.concatenate([rows, rows])
    return np.stack([xs, ys], axis=1).astype(np.int32)[:, None, :]


def _large_parts(mask: np.ndarray, min_part: float) -> np.ndarray:
    """``mask`` without components smaller than ``min_part`` of the frame, holes filled."""
    kept = parts_at_least(mask, min_part * mask.size)
    contours, _ = cv2.findContours(kept.astype(np.uint8), cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros(mask.shape, np.uint8)
    cv2.drawContours(filled, contours, -1, 1, thickness=-1)
    return filled > 0


def crop_item(rgb: np.ndarray, alpha: np.ndarray, max_side: int, what: str,
              solid: float = ITEM_SOLID, margin_share: float = ITEM_MARGIN
              ) -> tuple[np.ndarray, np.ndarray]:
    """The cut-out item's box of ``rgb`` ((H, W, 3) uint8) and ``alpha`` ((H, W) float32 in
    [0, 1]) with a margin of ``margin_share`` of its longer side (at least
    :data:`MIN_ITEM_MARGIN` pixels), scaled down (area) to at most ``max_side``: contiguous
    (h, w, 3) uint8 and (h, w) float32. ``bad_item`` naming ``what`` when no pixel reaches
    ``solid``."""
    box = bbox_of_mask(alpha >= solid)
    if box is None:
        raise TryOnError(ErrorCode.BAD_ITEM, f"no {what} was found in the product photo")
    height, width = alpha.shape
    margin = max(MIN_ITEM_MARGIN, int(margin_share * max(box[2] - box[0], box[3] - box[1])))
    x0, y0, x1, y1 = crop_box(box, margin, width, height)
    rgb, alpha = rgb[y0:y1, x0:x1], alpha[y0:y1, x0:x1]
    scale = min(1.0, max_side / max(rgb.shape[:2]))
    if scale < 1.0:
        size = (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale))
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
        alpha = cv2.resize(alpha, size, interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(rgb), np.ascontiguousarray(alpha, dtype=np.float32)
