"""Bottom preparation: trousers, shorts and skirts from a front-view cut-out (flat lay or ghost
mannequin), cropped, with their outline measured.

Coordinates are ``(x, y)`` pixels of the prepared (cropped) product image; "left" and "right"
are image sides (a front view's image-left leg is worn on the person's right, which a
front-facing photo also shows on its left).

Method: the legs of a pair of trousers are told apart by a *crotch gap*, a run of background
in the middle of the silhouette that reaches up from the hems; the crotch is its top. Without
one the item is a skirt. The waistband is the first row from the top that is nearly as wide as
the hips (so a bib and braces above it, or belt loops, are not taken for it). Trousers with
legs shorter than :data:`SHORTS_MAX_INSEAM` rises are shorts. The outline is sampled at
:data:`PROFILE_STATIONS` rows: the hip part (waist to crotch, or a skirt's waist to hem) as
left/right edges, each trouser leg as outer/inner edges from the crotch to its hem.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import cv2
import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.cutout import crop_item
from tryon.imaging.geometry import bbox_of_mask, parts_touching

__all__ = ["BottomStyle", "EdgeProfile", "LegProfile", "PreparedBottom", "crotch_gap",
           "full_hem_row",
           "looks_like_bottom", "prepare_bottom", "row_runs", "MAX_BOTTOM_SIDE"]

MAX_BOTTOM_SIDE = 1024
CROP_MARGIN = 0.02  # of the item's longer side, kept around it
MIN_SOLID = 0.5  # alpha from which a pixel counts as the item
# A crotch gap: background between two parts of a row, its middle within this share of the
# item's width from the centre between both legs, each part at least MIN_LEG_SHARE wide,
# open from the hems upwards over at least MIN_INSEAM_SHARE of the item's height.
GAP_CENTRE_TOLERANCE = 0.15
MIN_LEG_SHARE = 0.12
MIN_INSEAM_SHARE = 0.12
MIN_GAP_PX = 2
HEM_SEARCH_SHARE = 0.1  # of the item's height above the lowest hem: where the gap may begin
# Legs lying against each other close the gap below the crotch: the crotch is put no lower
# than this many waistband widths under the waistband (flat lays measure 0.6–0.9).
MAX_RISE_PER_WAIST = 0.95
WAIST_WIDTH_SHARE = 0.72  # the waistband row is at least this share of the hips' width
HIP_REFERENCE_ROWS = 0.2  # of the rise, just above the crotch: the hips' width measured there
SKIRT_HIP_ROW = 0.15  # of a skirt's length below its top: the width its waist is compared to
WAIST_INSET = 0.015  # of the item's height below the waistband's top row: past round corners
HEM_INSET = 0.02  # of a leg's (or skirt's) length above its lowest row: past a curved hem
# A skirt's (or a dress's) last station: the lowest row at least HEM_FULL_WIDTH as wide as the
# widest of its lowest HEM_ZONE (of waist → hem), at least HEM_INSET up from the hem. A hem's
# rounded corners are narrower: taken as the last station, a dress's were stretched to the
# body's width and its skirt's sides folded in above them.
HEM_ZONE = 0.2
HEM_FULL_WIDTH = 0.97
SHORTS_MAX_INSEAM = 1.3  # inseam / rise under which trousers are shorts
# Waistband widths from the waistband to the hem from which trousers reach the ankles: the
# 12 full-length trousers, jeans, leggings and dungarees in ../shared measured 2.42 to 4.41,
# a capri cut of the leggings 2.2. Scaled by their misread rise, three had ended short of
# the ankle (black jeans 0.7 of the way from the knee, the shins drawn bare below).
FULL_LENGTH_PER_WAIST = 2.3
PROFILE_STATIONS = 7  # rows sampled along each part of the outline
# A cut-out's background between two legs (see _background_between_legs): within
# FRINGE_TOLERANCE Lab units (lightness halved) of the background's median, at most
# FRINGE_MAX_SHARE of the item's area, centred within FRINGE_MIDDLE of its half-width about
# its middle and below FRINGE_BELOW of its height, in an item FRINGE_CONTRAST from it around.
FRINGE_TOLERANCE = 12.0
FRINGE_MAX_SHARE = 0.03
FRINGE_MIDDLE = 0.25
FRINGE_BELOW = 0.2
FRINGE_CONTRAST = 40.0
BACKGROUND_ALPHA = 0.05  # alpha under which a crop's pixel is background
MEDIAN_STEP = 4  # every this many background pixels give its median colour
MIN_BACKGROUND_SAMPLE = 200  # pixels of it needed to learn its colour
MIN_ITEM_PX = 24  # the least height or width of a usable item, in pixels
# Telling a bottom from the cut-out's shape (measured on 12 trousers, 8 dresses and 40 tops):
# trousers are 1.7–3.2 times as tall as wide, tops with gaps beside hanging sleeves 1.3–1.6.
MIN_TROUSERS_ASPECT = 1.65
MAX_SKIRT_ASPECT = 2.2  # taller straight shapes are dresses (sleeveless ones measure 2.29+)
SKIRT_ROWS = (0.02, 0.15, 0.5, 0.9)  # of the height: rows whose widths are compared
MAX_SKIRT_DIP = 0.03  # of the height: a neckline dips more at the top's middle
MIN_SKIRT_WAIST = 0.45  # the top row's share of the widest: a waistband, not straps
SKIRT_NO_SHOULDERS = 0.8  # the top row at least this share of the row below (no shoulders)
SKIRT_TOLERANCE = 0.05  # widths may narrow by this share downwards and still be a skirt


class BottomStyle(str, Enum):
    """What kind of bottom: two legs reaching below the knee, two short legs, or a skirt."""

    TROUSERS = "trousers"
    SHORTS = "shorts"
    SKIRT = "skirt"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class EdgeProfile:
    """The item's left and right edges at some rows: ``rows``, ``left``, ``right`` (N,)
    float64 pixels (x of the outermost item pixel on each side of the row)."""

    rows: np.ndarray
    left: np.ndarray
    right: np.ndarray


@dataclass(frozen=True)
class LegProfile:
    """One trouser leg (image side ``side``) from the crotch row to its hem: ``rows``,
    ``outer``, ``inner`` (N,) float64 pixels; the last row is the hem's."""

    side: str
    rows: np.ndarray
    outer: np.ndarray
    inner: np.ndarray

    @property
    def hem_outer(self) -> np.ndarray:
        """(2,) xy: the hem's outer corner."""
        return np.array([self.outer[-1], self.rows[-1]])

    @property
    def hem_inner(self) -> np.ndarray:
        """(2,) xy: the hem's inner corner."""
        return np.array([self.inner[-1], self.rows[-1]])

    def half_width(self) -> np.ndarray:
        """(N,) half the leg's width at each row, pixels."""
        return np.abs(self.outer - self.inner) / 2


@dataclass(frozen=True)
class PreparedBottom:
    """A bottom ready to fit. ``rgb``: (h, w, 3) uint8; ``alpha``: (h, w) float32 in [0, 1];
    ``style``: trousers, shorts or skirt; ``waist_left``/``waist_right``: (2,) xy waistband
    corners; ``crotch``: (2,) xy, None for a skirt; ``hips``: the outline from the waistband
    to the crotch (a skirt: to its hem); ``legs``: (image-left, image-right) legs, empty for a
    skirt; ``hem_y``: the lowest hem row."""

    rgb: np.ndarray
    alpha: np.ndarray
    style: BottomStyle
    waist_left: np.ndarray
    waist_right: np.ndarray
    crotch: np.ndarray | None
    hips: EdgeProfile
    legs: tuple[LegProfile, ...]
    hem_y: float

    @property
    def waist_y(self) -> float:
        return float((self.waist_left[1] + self.waist_right[1]) / 2)

    @property
    def waist_width(self) -> float:
        return float(self.waist_right[0] - self.waist_left[0])

    @property
    def full_length(self) -> bool:
        """Trousers reaching the ankles: at least :data:`FULL_LENGTH_PER_WAIST` waistband
        widths from the waistband to the hem (their rise, the crotch's depth below the
        waistband, can be misread: straight jeans' legs touch below the crotch)."""
        return (self.style is BottomStyle.TROUSERS
                and self.hem_y - self.waist_y >= FULL_LENGTH_PER_WAIST * self.waist_width)

    def keypoints(self) -> dict[str, list[float]]:
        """Named (x, y) keypoints, rounded, for JSON and overlays."""
        points = {"waist_left": self.waist_left, "waist_right": self.waist_right}
        if self.crotch is not None:
            points["crotch"] = self.crotch
        for leg in self.legs:
            points[f"{leg.side}_hem_outer"] = leg.hem_outer
            points[f"{leg.side}_hem_inner"] = leg.hem_inner
        if not self.legs:
            points["hem_left"] = np.array([self.hips.left[-1], self.hips.rows[-1]])
            points["hem_right"] = np.array([self.hips.right[-1], self.hips.rows[-1]])
        return {name: [round(float(v), 1) for v in point] for name, point in points.items()}


def row_runs(row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last column of each run of True in ``row`` ((W,) bool): two (R,) int arrays."""
    xs = np.flatnonzero(row)
    if xs.size == 0:
        return np.zeros(0, int), np.zeros(0, int)
    cuts = np.flatnonzero(np.diff(xs) > 1)
    return np.r_[xs[0], xs[cuts + 1]], np.r_[xs[cuts], xs[-1]]


def crotch_gap(solid: np.ndarray) -> tuple[float, float] | None:
    """The crotch of a cut-out ((H, W) bool): (x, y) of the top of the background gap that
    runs up between two legs from their hems, or None when there is no such gap (a skirt, a
    dress, a top). See the module's notes for what counts as a gap."""
    box = bbox_of_mask(solid)
    if box is None:
        return None
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    if width < MIN_ITEM_PX or height < MIN_ITEM_PX:
        return None
    centre = (x0 + x1) / 2
    rows_left = np.flatnonzero(solid[:, x0:int(centre)].any(axis=1))
    rows_right = np.flatnonzero(solid[:, int(centre):x1].any(axis=1))
    if rows_left.size == 0 or rows_right.size == 0:
        return None
    start = int(min(rows_left[-1], rows_right[-1]))
    tolerance = GAP_CENTRE_TOLERANCE * width
    least_leg = MIN_LEG_SHARE * width
    found: tuple[float, float] | None = None
    first_row: int | None = None
    for y in range(start, y0 - 1, -1):
        firsts, lasts = row_runs(solid[y])
        gap = _central_gap(firsts, lasts, centre, tolerance, least_leg)
        if gap is None:
            if first_row is None and start - y < HEM_SEARCH_SHARE * height:
                continue  # still among the hems' uneven lowest rows
            break
        first_row = y if first_row is None else first_row
        found = (gap, float(y))
        centre = gap  # follow the gap as it leans
    if found is None or first_row is None or first_row - found[1] < MIN_INSEAM_SHARE * height:
        return None
    return found


def _central_gap(firsts: np.ndarray, lasts: np.ndarray, centre: float, tolerance: float,
                 least_leg: float) -> float | None:
    """The middle x of the gap between two runs of a row nearest ``centre`` (within
    ``tolerance``) when the row's item pixels on each side of it are ``least_leg`` wide."""
    if firsts.size < 2:
        return None
    ends, starts = lasts[:-1], firsts[1:]
    middles = (ends + starts) / 2
    wide = (starts - ends - 1) >= MIN_GAP_PX
    best = None
    for i in np.flatnonzero(wide & (np.abs(middles - centre) <= tolerance)):
        left = float(np.sum(lasts[:i + 1] - firsts[:i + 1] + 1))
        right = float(np.sum(lasts[i + 1:] - firsts[i + 1:] + 1))
        if left >= least_leg and right >= least_leg and (
                best is None or abs(middles[i] - centre) < abs(best - centre)):
            best = float(middles[i])
    return best


def prepare_bottom(rgb: np.ndarray, alpha: np.ndarray) -> PreparedBottom:
    """Crop a cut-out bottom (``rgb`` (H, W, 3) uint8, ``alpha`` (H, W) float32 in [0, 1]),
    tell trousers, shorts and skirts apart and measure its outline. Raises ``bad_item`` when
    nothing bottom-like is found."""
    rgb, alpha = crop_item(rgb, alpha, MAX_BOTTOM_SIDE, "item", MIN_SOLID, CROP_MARGIN)
    solid = _largest_part(alpha >= MIN_SOLID)
    solid &= ~_background_between_legs(rgb, alpha, solid)
    alpha = np.where(solid | (alpha < MIN_SOLID), alpha, 0.0).astype(np.float32)
    box = bbox_of_mask(solid)
    assert box is not None  # _largest_part raised otherwise
    top, bottom = box[1], box[3] - 1
    height = bottom - top + 1
    gap = crotch_gap(solid)
    widths = _row_extents(solid)
    if gap is None:
        reference_row = int(top + SKIRT_HIP_ROW * height)
        waist_y = _waist_row(widths, top, np.array([reference_row]))
        waist_y = min(bottom, int(round(waist_y + WAIST_INSET * height)))
        hem_y = full_hem_row(widths[:, 1] - widths[:, 0] + 1, float(waist_y), float(bottom))
        hips = _edge_profile(widths, float(waist_y), hem_y)
        waist_left, waist_right = _corners(hips, 0)
        return PreparedBottom(rgb=rgb, alpha=alpha, style=BottomStyle.SKIRT,
                              waist_left=waist_left, waist_right=waist_right, crotch=None,
                              hips=hips, legs=(), hem_y=float(bottom))
    crotch_x, crotch_y = gap
    rise_guess = crotch_y - top
    reference = np.arange(int(crotch_y - HIP_REFERENCE_ROWS * rise_guess), int(crotch_y))
    waist_y = _waist_row(widths, top, reference)
    waist_y = min(int(crotch_y) - 1, int(round(waist_y + WAIST_INSET * height)))
    waist_width = float(widths[waist_y, 1] - widths[waist_y, 0] + 1)
    crotch_y = min(crotch_y, waist_y + MAX_RISE_PER_WAIST * waist_width)
    if crotch_y - waist_y < MIN_ITEM_PX / 4:
        raise TryOnError(ErrorCode.BAD_ITEM, "the product photo does not look like a bottom")
    hips = _edge_profile(widths, float(waist_y), crotch_y)
    legs = tuple(_leg_profile(solid, side, crotch_x, crotch_y) for side in ("left", "right"))
    hem_y = max(float(leg.rows[-1]) for leg in legs)
    inseam = float(np.mean([leg.rows[-1] for leg in legs])) - crotch_y
    style = (BottomStyle.SHORTS if inseam < SHORTS_MAX_INSEAM * (crotch_y - waist_y)
             else BottomStyle.TROUSERS)
    waist_left, waist_right = _corners(hips, 0)
    return PreparedBottom(rgb=rgb, alpha=alpha, style=style, waist_left=waist_left,
                          waist_right=waist_right, crotch=np.array([crotch_x, crotch_y]),
                          hips=hips, legs=legs, hem_y=hem_y)


def _background_between_legs(rgb: np.ndarray, alpha: np.ndarray,
                             solid: np.ndarray) -> np.ndarray:
    """(H, W) bool: background the cut-out kept between two legs: parts of the cut-out
    (``solid``, (H, W) bool, of ``rgb`` (H, W, 3) uint8 with ``alpha`` (H, W) float32 in
    [0, 1]) coloured like the background around the item (within :data:`FRINGE_TOLERANCE`,
    Lab lightness halved), open to the outside, at most :data:`FRINGE_MAX_SHARE` of the item's
    area, centred within :data:`FRINGE_MIDDLE` of its width about its middle and below
    :data:`FRINGE_BELOW` of its height, in an item whose pixels around them are not coloured
    like the background (their median at least :data:`FRINGE_CONTRAST` from it): straight
    jeans' legs nearly touch, the cut-out kept the studio's white between them, and it showed
    as a white strip at the worn trousers' crotch. All False without at least
    :data:`MIN_BACKGROUND_SAMPLE` pixels of background in the crop to learn its colour."""
    none = np.zeros_like(solid)
    background = alpha < BACKGROUND_ALPHA
    box = bbox_of_mask(solid)
    if box is None or background.sum() < MIN_BACKGROUND_SAMPLE:
        return none
    x0, y0, x1, y1 = box
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    weights = np.array([0.5, 1.0, 1.0], np.float32)
    reference = np.median(lab[background][::MEDIAN_STEP], axis=0)
    # None where such parts could lie: most products (it cost 10 ms on each).
    middle = (x0 + x1) / 2
    reach = FRINGE_MIDDLE * (x1 - x0) / 2
    window = (slice(int(y0 + FRINGE_BELOW * (y1 - y0)), y1),
              slice(int(middle - reach), int(middle + reach) + 1))
    near = np.linalg.norm((lab[window] - reference) * weights, axis=2) < FRINGE_TOLERANCE
    if not (near & solid[window]).any():
        return none
    from_background = np.linalg.norm((lab - reference) * weights, axis=2)
    like = solid & (from_background < FRINGE_TOLERANCE)
    count, parts, stats, centres = cv2.connectedComponentsWithStats(like.astype(np.uint8), 8)
    outside = cv2.dilate((~solid).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    ring = (cv2.dilate(like.astype(np.uint8), np.ones((7, 7), np.uint8)) > 0) & solid & ~like
    if count <= 1 or not ring.any() or float(np.median(from_background[ring])) < FRINGE_CONTRAST:
        return none
    out = ((stats[:, cv2.CC_STAT_AREA] <= FRINGE_MAX_SHARE * solid.sum())
           & (np.abs(centres[:, 0] - middle) <= reach)
           & (centres[:, 1] >= y0 + FRINGE_BELOW * (y1 - y0)))
    out[0] = False
    kept = out[parts] & like
    return parts_touching(kept, outside)


def _largest_part(mask: np.ndarray) -> np.ndarray:
    """(H, W) bool: the largest 8-connected part of ``mask``; ``bad_item`` when empty or too
    small to measure."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    if count <= 1:
        raise TryOnError(ErrorCode.BAD_ITEM, "no item was found in the product photo")
    best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    if min(stats[best, cv2.CC_STAT_WIDTH], stats[best, cv2.CC_STAT_HEIGHT]) < MIN_ITEM_PX:
        raise TryOnError(ErrorCode.BAD_ITEM, "the item in the product photo is too small")
    return labels == best


def _row_extents(solid: np.ndarray) -> np.ndarray:
    """(H, 2) float64: the first and last item column of every row (NaN for empty rows)."""
    any_row = solid.any(axis=1)
    first = np.argmax(solid, axis=1).astype(np.float64)
    last = (solid.shape[1] - 1 - np.argmax(solid[:, ::-1], axis=1)).astype(np.float64)
    first[~any_row] = np.nan
    last[~any_row] = np.nan
    return np.stack([first, last], axis=1)


def _waist_row(extents: np.ndarray, top: int, reference: np.ndarray) -> int:
    """The first row from ``top`` at least :data:`WAIST_WIDTH_SHARE` as wide as the median
    width of the ``reference`` rows (the hips)."""
    widths = extents[:, 1] - extents[:, 0] + 1
    reference = reference[(reference >= 0) & (reference < len(widths))]
    hips = float(np.nanmedian(widths[reference])) if reference.size else np.nan
    if not np.isfinite(hips):
        return top
    wide = np.flatnonzero(np.nan_to_num(widths[top:], nan=0.0) >= WAIST_WIDTH_SHARE * hips)
    return top + int(wide[0]) if wide.size else top


def full_hem_row(widths: np.ndarray, waist_y: float, hem_y: float) -> float:
    """The last station row of a skirt from ``waist_y`` to ``hem_y`` (see
    :data:`HEM_FULL_WIDTH`); ``widths``: (H,) row widths of the cut-out (inf or NaN where
    empty)."""
    length = hem_y - waist_y
    lowest = np.arange(int(np.ceil(hem_y - HEM_ZONE * length)),
                       int(np.floor(hem_y - HEM_INSET * length)) + 1)
    row_widths = widths[lowest]
    finite = np.isfinite(row_widths)
    if not finite.any():
        return hem_y - HEM_INSET * length
    full = lowest[finite & (row_widths >= HEM_FULL_WIDTH * row_widths[finite].max())]
    return float(full.max())


def _edge_profile(extents: np.ndarray, start: float, end: float) -> EdgeProfile:
    """Left and right edges at :data:`PROFILE_STATIONS` rows from ``start`` to ``end``."""
    rows = np.linspace(start, end, PROFILE_STATIONS)
    index = np.clip(np.round(rows).astype(int), 0, len(extents) - 1)
    left, right = extents[index, 0], extents[index, 1]
    ok = np.isfinite(left) & np.isfinite(right)
    if ok.sum() < 2:
        raise TryOnError(ErrorCode.BAD_ITEM, "the product photo does not look like a bottom")
    return EdgeProfile(rows=rows[ok], left=left[ok], right=right[ok])


def _corners(profile: EdgeProfile, index: int) -> tuple[np.ndarray, np.ndarray]:
    """(2,) xy of the left and right edge at station ``index`` of ``profile``."""
    y = profile.rows[index]
    return np.array([profile.left[index], y]), np.array([profile.right[index], y])


def _leg_profile(solid: np.ndarray, side: str, crotch_x: float, crotch_y: float) -> LegProfile:
    """One leg's outer and inner edges from the crotch row down to a little above its hem."""
    half = solid[:, :int(round(crotch_x))] if side == "left" else solid[:, int(round(crotch_x)):]
    offset = 0 if side == "left" else int(round(crotch_x))
    rows_with = np.flatnonzero(half.any(axis=1))
    lowest = float(rows_with[-1]) if rows_with.size else crotch_y
    if lowest - crotch_y < 2:
        raise TryOnError(ErrorCode.BAD_ITEM, "the product photo does not look like a bottom")
    hem_row = lowest - HEM_INSET * (lowest - crotch_y)
    rows = np.linspace(crotch_y, hem_row, PROFILE_STATIONS)
    outer, inner, kept = [], [], []
    for y in rows:
        firsts, lasts = row_runs(half[int(round(y))])
        if firsts.size == 0:
            continue
        # The leg's own run: the widest one on this side of the crotch.
        best = int(np.argmax(lasts - firsts))
        a, b = float(firsts[best] + offset), float(lasts[best] + offset)
        outer.append(a if side == "left" else b)
        inner.append(b if side == "left" else a)
        kept.append(y)
    if len(kept) < 2:
        raise TryOnError(ErrorCode.BAD_ITEM, "the product photo does not look like a bottom")
    return LegProfile(side=side, rows=np.array(kept), outer=np.array(outer),
                      inner=np.array(inner))


def looks_like_bottom(alpha: np.ndarray) -> bool:
    """Whether a cut-out ((H, W) float32 in [0, 1]) is shaped like a bottom: trousers or
    shorts (a crotch gap and a silhouette at least :data:`MIN_TROUSERS_ASPECT` times as tall
    as wide: a top's hanging sleeves leave gaps too, in a squatter shape) or a skirt (a
    straight waistband on top, no neckline dip, widening or straight down to the hem)."""
    solid = alpha >= MIN_SOLID
    box = bbox_of_mask(solid)
    if box is None:
        return False
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    if width < MIN_ITEM_PX or height < MIN_ITEM_PX:
        return False
    if crotch_gap(solid) is not None:
        return height >= MIN_TROUSERS_ASPECT * width
    if height > MAX_SKIRT_ASPECT * width:
        return False  # a tall straight shape without legs: a dress (see the dress kind)
    centre = (x0 + x1) // 2
    column = np.flatnonzero(solid[:, centre])
    if column.size == 0 or (column[0] - y0) > MAX_SKIRT_DIP * height:
        return False
    share = {f: _row_share(solid[int(y0 + f * (height - 1))], width) for f in SKIRT_ROWS}
    top, upper, middle, low = (share[f] for f in SKIRT_ROWS)
    return (top >= MIN_SKIRT_WAIST and top >= SKIRT_NO_SHOULDERS * upper
            and upper <= middle + SKIRT_TOLERANCE and middle <= low + SKIRT_TOLERANCE)


def _row_share(row: np.ndarray, width: int) -> float:
    """The row's extent ((W,) bool) as a share of ``width``."""
    xs = np.flatnonzero(row)
    return float(xs[-1] - xs[0] + 1) / width if xs.size else 0.0
