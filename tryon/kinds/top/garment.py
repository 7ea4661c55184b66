"""Garment preparation: split a cut-out top into its torso panel and sleeves, find keypoints.

Coordinates are ``(x, y)`` pixels of the prepared (cropped) garment image. "Left" and "right"
here are sides of the product photo as seen (image left/right): for a front view, the
garment's image-left side is worn on the person's right.

Method: the shoulder points are the silhouette's upper corners (where the nearly level top
edge turns into the steeper sleeve edge), the hem is the bottom run of the silhouette under the
neck, and the torso panel is the quadrilateral shoulders → hem corners. What lies outside it on
either side is a sleeve; its cuff is the part farthest from the shoulder.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.cutout import crop_item, enclosed_gaps
from tryon.imaging.geometry import (
    bbox_of_mask,
    crop_box,
    dilate_disc,
    dilate_ellipse,
    draw_polygon,
    open_ellipse,
    parts_touching,
)
from tryon.kinds.top.neckline import back_and_labels, stand_labels

__all__ = ["Sleeve", "GarmentKeypoints", "PreparedGarment", "prepare_garment", "MAX_GARMENT_SIDE",
           "with_bodice_sleeves", "with_hanging_sleeves"]

MAX_GARMENT_SIDE = 1024
SHOULDER_SLOPE_WEIGHTS = (1.5, 1.0, 0.7)
MIN_SLEEVE_AREA = 0.015
ARMPIT_DROP_MAX = 0.33
SIDE_STRIP = 0.04  # of the garment's width: thinner strips beside the panel are not sleeves
SHOULDERS_LEVEL = 0.3  # of the shoulder corners' span they may lie apart in height
SLEEVE_TOP = 0.2  # of the shoulder-to-hem height: a sleeve starts at most this far below
# its shoulder (a bustier's side panels and hanging straps start at its armpits)
HALTER_HEM = 1.45  # hem corners this many shoulder spans apart: the "shoulders" are a halter
# neck or straps, and the parts outside the panel are its flanks, not sleeves
LABEL_INPAINT = 3  # pixels: the reach of the cloth painted over a label the neck hides
COLLAR_RATIO = 1.6  # silhouette this much wider just below the corners: they are a collar's
# Long sleeves photographed hanging against a dress's sides merge with its outline down to
# their cuffs, where both outer edges step in to the skirt (shoulder spans):
CUFF_SEARCH = (0.9, 2.4)  # below the shoulders, where the cuffs' ends are looked for
CUFF_STEP = 0.1  # the inward step of an outer edge at a cuff's end, within
CUFF_STEP_ROWS = 0.05  # ... this many spans of rows
CUFFS_LEVEL = 0.15  # the two cuffs' ends lie within this of each other
HANGING_SLEEVE_WIDTH = 0.3  # such a sleeve's width (its inner edge does not show)
HANGING_ARMPIT_DEPTH = 0.45  # its armpit below the shoulder
# Parts under the hem's middle are sleeves hanging beside it (:func:`_inside_hanging_cuffs`)
# only when one reaches this share of the shoulder-to-hem height below it: the hem of the
# openvto distressed tee is torn in the middle and its corners hang 0.036 and 0.034 lower,
# which had made the tee's sides its sleeves (it was worn with sleeves to the wrists); a
# turtleneck's hanging sleeves reach 0.27, a bustier's straps 0.53, an off-shoulder top's
# puff sleeves 0.071 (the other 0.031).
HANGING_BELOW_HEM = 0.05
# A short sleeve with a long armhole (a tee's, slanting down and out) has the armpit-side
# corner of its opening farther from the shoulder point than its tip: a "cuff" this close to
# the armpit (of its distance from the shoulder) is that corner, and the cuff is the middle
# of the opening, between that corner and the sleeve's tip (:func:`_tip`).
CUFF_AT_ARMPIT = 0.5
# A sleeve's end is a slab of its pixels, not its single farthest one: those within this share
# of the farthest distance from the shoulder point (REACH_SLAB), or of the farthest position
# along a direction (FAR_SLAB), and at least MIN_SLAB pixels.
REACH_SLAB = 0.06
FAR_SLAB = 0.08
MIN_SLAB = 2.0
STRIP_TOUCH = 2  # pixels: a strip of panel this close to a sleeve is that sleeve's inner side

Side = Literal["left", "right"]


@dataclass(frozen=True)
class Sleeve:
    """One sleeve. ``mask``: (h, w) bool; points are (2,) xy garment pixels; ``axis``: unit
    vector from the armhole towards the cuff; ``cuff_half_width`` in pixels."""

    side: Side
    mask: np.ndarray
    shoulder: np.ndarray
    armpit: np.ndarray
    cuff: np.ndarray
    axis: np.ndarray
    cuff_half_width: float

    @property
    def armhole(self) -> np.ndarray:
        return (self.shoulder + self.armpit) / 2

    @property
    def length(self) -> float:
        return float(np.hypot(*(self.cuff - self.armhole)))

    def half_width_at(self, fraction: float) -> float:
        """Half the sleeve's width, in pixels, at ``fraction`` ∈ [0, 1] from armhole to cuff."""
        ys, xs = np.nonzero(self.mask)
        rel = np.stack([xs, ys], 1) - self.armhole
        along = rel @ self.axis
        across = rel @ np.array([-self.axis[1], self.axis[0]])
        near = np.abs(along - fraction * self.length) < max(2.0, 0.04 * self.length)
        if near.sum() < 3:
            return self.cuff_half_width
        return float(np.ptp(across[near]) / 2)


@dataclass(frozen=True)
class GarmentKeypoints:
    """(2,) xy garment pixels each; sides are image sides of the product photo."""

    neck: np.ndarray
    left_shoulder: np.ndarray
    right_shoulder: np.ndarray
    left_armpit: np.ndarray
    right_armpit: np.ndarray
    left_hem: np.ndarray
    right_hem: np.ndarray

    def as_dict(self) -> dict[str, list[float]]:
        return {name: [round(float(v), 1) for v in getattr(self, name)]
                for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class PreparedGarment:
    """A top ready to fit. ``rgb``: (h, w, 3) uint8, labels the neck hides painted over
    (:func:`~tryon.kinds.top.neckline.back_and_labels`); ``alpha``: (h, w) float32 in [0, 1];
    ``panel``: (h, w) bool torso panel (with collar and straps); ``sleeves``: 0 to 2;
    ``inner_back``: (h, w) bool, the inside of the back seen through the neck opening
    (:func:`~tryon.kinds.top.neckline.inner_back`), hidden by the neck when worn."""

    rgb: np.ndarray
    alpha: np.ndarray
    panel: np.ndarray
    sleeves: tuple[Sleeve, ...]
    keypoints: GarmentKeypoints
    inner_back: np.ndarray

    def sleeve(self, side: Side) -> Sleeve | None:
        return next((s for s in self.sleeves if s.side == side), None)


def prepare_garment(rgb: np.ndarray, alpha: np.ndarray) -> PreparedGarment:
    """Crop a cut-out top (``rgb`` (H, W, 3) uint8, ``alpha`` (H, W) float32 in [0, 1]) and
    find its parts and keypoints. Raises ``bad_item`` when the shape is not a top. The
    background seen between a sleeve and the body is left out of its ``alpha``
    (:func:`~tryon.imaging.cutout.enclosed_gaps`), not of the silhouette its parts and
    keypoints come from (a sleeve cut off from the body there lost its cuff to the hem)."""
    rgb, alpha = crop_item(rgb, alpha, MAX_GARMENT_SIDE, "garment")
    gaps = enclosed_gaps(rgb, alpha)
    main = _largest_component(alpha >= 0.5)
    solid = main | ((alpha >= 0.5) & _near(main, 0.03))
    alpha = np.where(solid | (alpha < 0.5), alpha, 0.0).astype(np.float32)
    shoulders = _shoulder_corners(main)
    hem_l, hem_r = _hem_corners(main, shoulders)
    sleeves = _sleeves_beyond(solid, shoulders, hem_l, hem_r)
    sleeve_union = np.zeros_like(solid)
    for sleeve in sleeves:
        sleeve_union |= sleeve.mask
    panel = _without_strips(solid & ~sleeve_union, sleeve_union,
                            (shoulders[0][0] + shoulders[1][0]) / 2)
    armpits = {s.side: s.armpit for s in sleeves}
    drop = 0.3
    for side, top_pt, hem_pt in (("left", shoulders[0], hem_l), ("right", shoulders[1], hem_r)):
        armpits.setdefault(side, top_pt + drop * (hem_pt - top_pt))
    span = float(np.hypot(*(shoulders[1] - shoulders[0])))
    centre_x = (shoulders[0][0] + shoulders[1][0]) / 2
    neck_y = min(_column_top(main, centre_x), (shoulders[0][1] + shoulders[1][1]) / 2
                 - 0.02 * span)
    keypoints = GarmentKeypoints(
        neck=np.array([centre_x, neck_y]),
        left_shoulder=shoulders[0], right_shoulder=shoulders[1],
        left_armpit=armpits["left"], right_armpit=armpits["right"],
        left_hem=hem_l, right_hem=hem_r,
    )
    back, labels = back_and_labels(rgb, solid, shoulders[0], shoulders[1])
    if not (back.any() or labels.any()):
        labels = stand_labels(rgb, solid, shoulders[0], shoulders[1])
    rgb = _labels_painted_over(rgb, labels, solid)
    alpha = np.where(gaps, np.float32(0.0), alpha).astype(np.float32)
    return PreparedGarment(rgb=np.ascontiguousarray(rgb), alpha=alpha, panel=panel,
                           sleeves=tuple(sleeves), keypoints=keypoints, inner_back=back)


def _labels_painted_over(rgb: np.ndarray, labels: np.ndarray, solid: np.ndarray) -> np.ndarray:
    """``rgb`` ((h, w, 3) uint8) with the ``labels`` ((h, w) bool) the neck hides when worn
    painted over with the cloth around them (``solid``, (h, w) bool, the silhouette), not the
    background: a label at the silhouette's top edge (a collar's stand) was painted over in
    the white beside it. ``rgb`` itself when there are none."""
    box = bbox_of_mask(labels)
    if box is None:
        return rgb
    x0, y0, x1, y1 = crop_box(box, 3 * LABEL_INPAINT, rgb.shape[1], rgb.shape[0])
    window = np.ascontiguousarray(rgb[y0:y1, x0:x1])
    unknown = (labels | ~solid)[y0:y1, x0:x1].astype(np.uint8)
    painted = cv2.inpaint(window, unknown, LABEL_INPAINT, cv2.INPAINT_TELEA)
    out = rgb.copy()
    out[y0:y1, x0:x1][labels[y0:y1, x0:x1]] = painted[labels[y0:y1, x0:x1]]
    return out


def _sleeves_beyond(solid: np.ndarray, shoulders: tuple[np.ndarray, np.ndarray],
                    hem_l: np.ndarray, hem_r: np.ndarray) -> list[Sleeve]:
    """The sleeves of the silhouette ``solid`` ((H, W) bool): its parts outside the panel,
    the quadrilateral from the shoulders to the hem corners ``hem_l``/``hem_r`` (xy) and the
    columns between the shoulders above them (:func:`_find_sleeves`); none for a halter
    (:data:`HALTER_HEM`)."""
    if hem_r[0] - hem_l[0] > HALTER_HEM * (shoulders[1][0] - shoulders[0][0]):
        return []
    panel_shape = np.zeros(solid.shape, np.uint8)
    draw_polygon(panel_shape, np.array([shoulders[0], shoulders[1], hem_r, hem_l]), 1)
    top = min(shoulders[0][1], shoulders[1][1])
    panel_shape[: int(top) + 1, int(shoulders[0][0]):int(shoulders[1][0]) + 1] = 1
    panel_zone = _near(panel_shape > 0, 0.005)
    return _find_sleeves(solid, panel_zone, shoulders, (hem_l[0], hem_r[0]), hem_l[1])


def with_bodice_sleeves(garment: PreparedGarment, waist_y: float) -> PreparedGarment:
    """A dress's ``garment`` (found without sleeves) with the sleeves that stick out beyond
    its bodice, looked for as on a top whose hem is the dress's waist (row ``waist_y`` of
    the prepared image); else ``garment`` itself (both sleeves or none). A skirt flaring
    wider than the sleeves put the whole dress inside the shoulder-to-hem panel: puff
    sleeves were warped as the bodice's shoulders, its armpits at their cuffs."""
    if garment.sleeves:
        return garment
    kp = garment.keypoints
    silhouette = garment.alpha >= 0.5
    row = int(np.clip(round(waist_y), 0, silhouette.shape[0] - 1))
    run = _run_at(silhouette[row], (kp.left_shoulder[0] + kp.right_shoulder[0]) / 2)
    if run is None:
        return garment
    bodice = silhouette.copy()
    bodice[row + 1:] = False
    sleeves = _sleeves_beyond(bodice, (kp.left_shoulder, kp.right_shoulder),
                              np.array([float(run[0]), float(row)]),
                              np.array([float(run[1]), float(row)]))
    return _with_sleeves(garment, sleeves[0], sleeves[1]) if len(sleeves) == 2 else garment


def _with_sleeves(garment: PreparedGarment, left: Sleeve, right: Sleeve) -> PreparedGarment:
    """``garment`` with the ``left`` and ``right`` sleeves split off its panel, the armpit
    keypoints theirs."""
    keypoints = dataclasses.replace(garment.keypoints, left_armpit=left.armpit,
                                    right_armpit=right.armpit)
    sleeves = left.mask | right.mask
    centre_x = (keypoints.left_shoulder[0] + keypoints.right_shoulder[0]) / 2
    return dataclasses.replace(garment, panel=_without_strips(garment.panel & ~sleeves, sleeves,
                                                              centre_x),
                               sleeves=(left, right), keypoints=keypoints)


def _without_strips(panel: np.ndarray, sleeves: np.ndarray, centre_x: float) -> np.ndarray:
    """``panel`` ((H, W) bool) without the strips of a hanging sleeve's inner side that the
    shoulder-to-hem quadrilateral took in: in rows where the panel breaks, its parts beside
    the run through ``centre_x`` that touch ``sleeves`` ((H, W) bool). Left in, such a strip
    was warped as a flap hanging from the armpit and painted as a ruffle between a bent arm
    and the body."""
    width = panel.shape[1]
    low, high = (int(np.clip(edge(centre_x), 0, width - 1)) for edge in (np.floor, np.ceil))
    # The rows whose panel runs through the centre (both columns beside a fractional one).
    rows = np.flatnonzero(panel[:, low] & panel[:, high])
    beside = np.zeros_like(panel)
    if rows.size:
        # That run ends at the first gap either way (the row's edge when there is none).
        leftward, rightward = ~panel[rows, low::-1], ~panel[rows, high:]
        first = np.where(leftward.any(axis=1), low - np.argmax(leftward, axis=1) + 1, 0)
        last = np.where(rightward.any(axis=1), high + np.argmax(rightward, axis=1) - 1,
                        width - 1)
        columns = np.arange(width)
        beside[rows] = panel[rows] & ((columns < first[:, None]) | (columns > last[:, None]))
    if not beside.any():
        return panel
    return panel & ~parts_touching(beside, dilate_disc(sleeves, STRIP_TOUCH))


def _largest_component(mask: np.ndarray) -> np.ndarray:
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    if count <= 1:
        raise TryOnError(ErrorCode.BAD_ITEM, "no garment was found in the product photo")
    best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    return labels == best


def _near(mask: np.ndarray, fraction: float) -> np.ndarray:
    """``mask`` dilated by a disc of ``fraction`` of its larger image side."""
    return dilate_disc(mask, max(1, int(fraction * max(mask.shape))))


def _outline(mask: np.ndarray) -> np.ndarray:
    """(N, 2) xy points of the outer contour of a bool mask."""
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_NONE)
    return max(contours, key=cv2.contourArea).reshape(-1, 2).astype(np.float64)


def _shoulder_corners(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Image-left and image-right upper corners of the silhouette (:func:`_upper_corners`),
    found again below the lower one when they lie more than :data:`SHOULDERS_LEVEL` of
    their span apart in height: the cut-out kept one thin strap of a cold-shoulder top and
    lost the other (2 px wide at its working size), the strap's top was taken for one
    shoulder and the flutter sleeve's for the other, and half the top was taken for a
    sleeve."""
    left, right = _upper_corners(mask)
    if abs(float(left[1] - right[1])) <= SHOULDERS_LEVEL * float(right[0] - left[0]):
        return left, right
    below = mask.copy()
    below[:int(max(left[1], right[1]))] = False
    try:
        return _upper_corners(below)
    except TryOnError:
        return left, right


def _upper_corners(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Image-left and image-right upper corners of the silhouette: the contour points that
    maximise ∓x − k·y, i.e. where the top edge (slope < 1/k) meets a steeper sleeve edge."""
    pts = _outline(mask)
    width = np.ptp(pts[:, 0]) + 1
    height = np.ptp(pts[:, 1]) + 1
    found = []
    for weight in SHOULDER_SLOPE_WEIGHTS:  # steeper shoulders (a raised collar) need less
        left = pts[np.argmax(-pts[:, 0] - weight * pts[:, 1])]
        right = pts[np.argmax(pts[:, 0] - weight * pts[:, 1])]
        if right[0] - left[0] >= 0.35 * width:
            found.append((left, right))
            # A tall collar's corners have the shoulders sloping out right below them.
            row = int(min(mask.shape[0] - 1, max(left[1], right[1]) + 0.08 * height))
            if _run_through(mask[row], (left[0] + right[0]) / 2) <= COLLAR_RATIO * (
                    right[0] - left[0]):
                return left, right
    if found:
        return found[0]
    raise TryOnError(ErrorCode.BAD_ITEM, "the product photo does not look like a top")


def _run_through(row: np.ndarray, x: float) -> float:
    """Width in pixels of the run of ``row`` ((W,) bool) that contains column ``x`` (the
    whole extent when ``x`` falls in a gap; 0 for an empty row)."""
    run = _run_at(row, x)
    return 0.0 if run is None else float(run[1] - run[0] + 1)


def _run_at(row: np.ndarray, x: float) -> tuple[int, int] | None:
    """First and last column of the run of ``row`` ((W,) bool) containing column ``x``, the
    row's whole extent when ``x`` falls in a gap, None for an empty row."""
    xs = np.flatnonzero(row)
    if xs.size == 0:
        return None
    gaps = np.flatnonzero(np.diff(xs) > 1)
    starts, ends = np.r_[xs[0], xs[gaps + 1]], np.r_[xs[gaps], xs[-1]]
    return next(((int(a), int(b)) for a, b in zip(starts, ends, strict=True) if a <= x <= b),
                (int(xs[0]), int(xs[-1])))


CURVED_HEM_RISE = 0.15  # of the shoulder-to-hem length: where a rounded hem's sides are
CURVED_HEM_NARROWING = 0.15  # of the shoulder span: the lowest row this much narrower is
# a rounded hem's
CURVED_HEM_MAX_WIDTH = 1.25  # of the shoulder span: a wider row up there has sleeves in it


def _hem_corners(mask: np.ndarray, shoulders: tuple[np.ndarray, np.ndarray]) -> tuple[
        np.ndarray, np.ndarray]:
    """Bottom corners of the torso: the run of the silhouette under the neck, a little above
    its lowest row (higher, :data:`CURVED_HEM_RISE`, for a rounded hem). A run much wider
    than the shoulders has sleeves merged in: it is clipped."""
    centre = int(round((shoulders[0][0] + shoulders[1][0]) / 2))
    span = float(shoulders[1][0] - shoulders[0][0])
    column = np.flatnonzero(mask[:, centre])
    if column.size == 0:
        raise TryOnError(ErrorCode.BAD_ITEM, "the product photo does not look like a top")
    hem_y = float(column[-1])
    top_y = (shoulders[0][1] + shoulders[1][1]) / 2
    if hem_y - top_y < 0.3 * span:
        raise TryOnError(ErrorCode.BAD_ITEM, "the product photo does not look like a top")
    run = _run_at(mask[int(hem_y - 0.04 * (hem_y - top_y))], centre)
    if run is None:
        raise TryOnError(ErrorCode.BAD_ITEM, "the product photo does not look like a top")
    left, right = float(run[0]), float(run[1])
    # A rounded (shirt-tail) hem narrows near its lowest row: higher up the sides are the
    # body's, which were taken for a sleeve hanging down the whole side.
    higher = _run_at(mask[int(hem_y - CURVED_HEM_RISE * (hem_y - top_y))], centre)
    if (higher is not None and higher[1] - higher[0] <= CURVED_HEM_MAX_WIDTH * span
            and higher[1] - higher[0] > right - left + CURVED_HEM_NARROWING * span):
        left, right = float(higher[0]), float(higher[1])
    if right - left > 1.6 * span:
        left, right = shoulders[0][0], shoulders[1][0]
    left, right = _inside_hanging_cuffs(mask, hem_y, hem_y - top_y, centre, left, right)
    return np.array([left, hem_y]), np.array([right, hem_y])


def _inside_hanging_cuffs(mask: np.ndarray, hem_y: float, length: float, centre: int,
                          left: float, right: float) -> tuple[float, float]:
    """Sleeves photographed hanging against the body merge with it at the hem row; when both
    reach below the hem, one of them by :data:`HANGING_BELOW_HEM` of the ``length`` (the
    shoulder-to-hem height) or more, the hem ends where they begin: the inner edges of the
    two parts just under the hem. ``left``/``right``: the hem run's ends, returned unchanged
    otherwise."""
    row = int(round(hem_y + 0.03 * length))
    if row >= mask.shape[0]:
        return left, right
    xs = np.flatnonzero(mask[row])
    lefts, rights = xs[xs < centre], xs[xs > centre]
    if lefts.size == 0 or rights.size == 0 or mask[row, centre]:
        return left, right
    inner_left, inner_right = float(lefts.max()), float(rights.min())
    below = mask.copy()
    below[:int(hem_y) + 1] = False
    _, parts = cv2.connectedComponents(below.astype(np.uint8), connectivity=8)
    lowest = max(int(np.flatnonzero((parts == parts[row, int(x)]).any(axis=1))[-1])
                 for x in (inner_left, inner_right))
    if lowest - hem_y < HANGING_BELOW_HEM * length:
        return left, right  # a hem dipping at its corners (torn, frayed), no sleeves
    if left < inner_left < centre and centre < inner_right < right:
        return inner_left, inner_right
    return left, right


def _find_sleeves(solid: np.ndarray, panel_zone: np.ndarray,
                  shoulders: tuple[np.ndarray, np.ndarray],
                  hem_x: tuple[float, float], hem_y: float) -> list[Sleeve]:
    """The largest part of ``solid`` outside the panel on each side, if it is big enough and
    its far end lies beyond the hem sideways (a strap top's flanks are not sleeves)."""
    garment_width = np.ptp(np.nonzero(solid.any(axis=0))[0]) + 1
    reach = 0.03 * garment_width
    outside = solid & ~panel_zone
    # A body wider than the line from shoulder to hem corner leaves a thin strip of it
    # outside the panel down each side; joined to the sleeve, the sleeve's "cuff" was found
    # at the hem and a short-sleeved tee lost both sleeves. Strips thinner than SIDE_STRIP
    # are opened away; the sleeves, grown back as far, keep their own edges.
    size = int(SIDE_STRIP * garment_width) | 1  # of the elliptic kernel
    opened = open_ellipse(outside, size)
    rest = dilate_ellipse(opened, size) & outside
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(
        opened.astype(np.uint8), 8)
    centre_x = (shoulders[0][0] + shoulders[1][0]) / 2
    sleeves: list[Sleeve] = []
    for side, shoulder in (("left", shoulders[0]), ("right", shoulders[1])):
        candidates = [i for i in range(1, count)
                      if (centroids[i][0] < centre_x) == (side == "left")
                      and stats[i, cv2.CC_STAT_AREA] >= MIN_SLEEVE_AREA * solid.sum()]
        if not candidates:
            continue
        best = max(candidates, key=lambda i: stats[i, cv2.CC_STAT_AREA])
        lowest = shoulder[1] + ARMPIT_DROP_MAX * (hem_y - shoulder[1])
        part = parts_touching(rest, labels == best)
        for slab in (False, True):
            sleeve = _measure_sleeve(part, panel_zone, side, shoulder, lowest, slab)
            if sleeve is None:
                break
            beyond = hem_x[0] - sleeve.cuff[0] if side == "left" else sleeve.cuff[0] - hem_x[1]
            if beyond >= reach:
                if _starts_at_shoulder(sleeve.mask, shoulder[1], hem_y):
                    sleeves.append(sleeve)
                break
    return sleeves


def _starts_at_shoulder(mask: np.ndarray, shoulder_y: float, hem_y: float) -> bool:
    """Whether a part outside the panel (``mask`` (h, w) bool) starts within
    :data:`SLEEVE_TOP` of the shoulder-to-hem height (rows ``shoulder_y`` to ``hem_y``)
    below its shoulder, as a sleeve does. A bustier's side panels and hanging straps, which
    start at its armpits, were taken for sleeves, fitted to the arms and kept over the bare
    skin there."""
    rows = np.flatnonzero(mask.any(axis=1))
    return bool(rows[0] <= shoulder_y + SLEEVE_TOP * max(hem_y - shoulder_y, 1.0))


def _measure_sleeve(mask: np.ndarray, panel_zone: np.ndarray, side: Side,
                    shoulder: np.ndarray, lowest_armpit: float,
                    slab: bool = False) -> Sleeve | None:
    """Armpit: the lowest point where the sleeve touches the panel, but no lower than
    ``lowest_armpit`` (a sleeve hanging along the body touches it down to the hem). Cuff:
    the part farthest from the shoulder point, or with ``slab`` the middle of the sleeve's
    far end along its own direction (for a dropped shoulder, whose inner corner lies
    farther from the shoulder point than the sleeve's tip); when the part farthest from the
    shoulder is the opening's corner at the armpit (:data:`CUFF_AT_ARMPIT`: a short sleeve),
    halfway between that corner and the sleeve's tip (:func:`_tip`)."""
    contact = _near(mask, 0.01) & panel_zone
    if contact.sum() < 3:
        return None
    cy, cx = np.nonzero(contact)
    high = cy <= lowest_armpit
    if high.sum() >= 3:
        cy, cx = cy[high], cx[high]
    armpit = np.array([cx[np.argmax(cy)], cy.max()], np.float64)
    armhole = (shoulder + armpit) / 2
    ys, xs = np.nonzero(mask)
    pts = np.stack([xs, ys], 1).astype(np.float64)
    if slab:
        cuff, end = _far_end(pts, armhole)
    else:
        cuff, end = _farthest_slab(pts, np.hypot(*(pts - shoulder).T), REACH_SLAB)
        if np.hypot(*(cuff - armpit)) < CUFF_AT_ARMPIT * np.hypot(*(cuff - shoulder)):
            tip, tip_end = _tip(pts, shoulder, armpit)
            cuff, end = (cuff + tip) / 2, end | tip_end
    axis = (cuff - armhole) / max(1e-6, float(np.hypot(*(cuff - armhole))))
    across = (pts[end] - cuff) @ np.array([-axis[1], axis[0]])
    half = max(2.0, float(np.ptp(across)) / 2)
    along = (pts - armhole) @ axis
    if along.max() < 0.05 * max(mask.shape):
        return None
    return Sleeve(side=side, mask=mask | (contact & solid_band(mask, panel_zone)),
                  shoulder=shoulder.copy(), armpit=armpit, cuff=cuff, axis=axis,
                  cuff_half_width=half)


def _farthest_slab(pts: np.ndarray, values: np.ndarray, share: float = FAR_SLAB
                   ) -> tuple[np.ndarray, np.ndarray]:
    """The centre ((2,) xy) of the pixels ``pts`` ((N, 2) xy) whose ``values`` ((N,), a
    distance or a position along a direction) lie within ``share`` of the largest (at least
    :data:`MIN_SLAB` pixels), and the (N,) bool mask of them: a slab, not the single farthest
    pixel, so a slanted end gives its middle rather than a corner."""
    top = float(values.max())
    end = values >= top - max(MIN_SLAB, share * top)
    return pts[end].mean(axis=0), end


def _tip(pts: np.ndarray, shoulder: np.ndarray, armpit: np.ndarray
         ) -> tuple[np.ndarray, np.ndarray]:
    """The tip of a short sleeve given its pixels ((N, 2) xy) and its seam (shoulder and
    armpit points): the centre of the slab of pixels farthest from the seam's line, and the
    (N,) bool mask of that slab. A triangular sleeve's lower corner lies as far along the
    sleeve's mean direction as its tip does, but on the seam."""
    seam = armpit - shoulder
    normal = np.array([-seam[1], seam[0]]) / max(1e-6, float(np.hypot(*seam)))
    away = (pts - shoulder) @ normal
    return _farthest_slab(pts, away if np.median(away) >= 0 else -away)


def _far_end(pts: np.ndarray, armhole: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The cuff of a sleeve given its pixels ((N, 2) xy) and armhole centre: the centre of
    the slab of pixels farthest along the sleeve's direction (armhole → its centroid, refined
    once towards the found cuff), and the (N,) bool mask of that slab. A slab, not the single
    farthest point, so an angled cuff gives its middle rather than a corner."""
    direction = pts.mean(axis=0) - armhole
    cuff = armhole
    end = np.ones(len(pts), bool)
    for _ in range(2):
        direction = direction / max(1e-6, float(np.hypot(*direction)))
        cuff, end = _farthest_slab(pts, (pts - armhole) @ direction)
        direction = cuff - armhole
    return cuff, end


def solid_band(mask: np.ndarray, panel_zone: np.ndarray) -> np.ndarray:
    """A thin strip of the panel zone along the sleeve, so the warped parts overlap at seams."""
    return _near(mask, 0.012) & panel_zone


def _column_top(mask: np.ndarray, x: float) -> float:
    ys = np.flatnonzero(mask[:, int(np.clip(round(x), 0, mask.shape[1] - 1))])
    return float(ys[0]) if ys.size else float(mask.shape[0])


def with_hanging_sleeves(garment: PreparedGarment) -> PreparedGarment:
    """``garment`` (found without sleeves) with long sleeves that hang against its sides
    split off, when its outline shows their cuffs' ends (:func:`_hanging_cuffs`); else
    ``garment`` itself. Their inner edges do not show in the outline: each sleeve is the
    outline's part outside the line from its shoulder through an armpit
    :data:`HANGING_ARMPIT_DEPTH` spans below it to the cuff's inner corner,
    :data:`HANGING_SLEEVE_WIDTH` spans inside the outer edge at those rows. A long-sleeved
    dress photographed so had none found: its armpits were put at the cuffs and its waist
    below them, and it was worn as a sleeveless mini dress."""
    if garment.sleeves:
        return garment
    kp = garment.keypoints
    silhouette = garment.alpha >= 0.5
    span = float(kp.right_shoulder[0] - kp.left_shoulder[0])
    cuffs = _hanging_cuffs(silhouette, kp.left_shoulder, kp.right_shoulder)
    if cuffs is None or span <= 0:
        return garment
    height, width = silhouette.shape
    sleeves = []
    for side, shoulder, cuff_y, inward in (("left", kp.left_shoulder, cuffs[0], 1.0),
                                          ("right", kp.right_shoulder, cuffs[1], -1.0)):
        armpit_y = shoulder[1] + HANGING_ARMPIT_DEPTH * span
        sleeve_width = HANGING_SLEEVE_WIDTH * span
        outer_armpit = _outer_edge(silhouette, armpit_y, side)
        outer_cuff = _outer_edge(silhouette, cuff_y - 1, side)
        if outer_armpit is None or outer_cuff is None:
            return garment
        armpit = np.array([outer_armpit + inward * sleeve_width, armpit_y])
        inner_cuff = np.array([outer_cuff + inward * sleeve_width, cuff_y])
        edge_x = 0.0 if side == "left" else float(width)
        outside = np.zeros((height, width), np.uint8)
        draw_polygon(outside, np.array([shoulder, armpit, inner_cuff, [edge_x, cuff_y],
                                        [edge_x, 0.0], [shoulder[0], 0.0]]), 1)
        mask = silhouette & (outside > 0)
        cuff = np.array([outer_cuff + inward * sleeve_width / 2, cuff_y])
        armhole = (shoulder + armpit) / 2
        axis = (cuff - armhole) / max(float(np.hypot(*(cuff - armhole))), 1e-6)
        sleeves.append(Sleeve(side=side, mask=mask, shoulder=shoulder.copy(), armpit=armpit,
                              cuff=cuff, axis=axis, cuff_half_width=sleeve_width / 2))
    return _with_sleeves(garment, sleeves[0], sleeves[1])


def _hanging_cuffs(silhouette: np.ndarray, left_shoulder: np.ndarray,
                   right_shoulder: np.ndarray) -> tuple[float, float] | None:
    """(left, right) rows where the outline's outer edges step inward by :data:`CUFF_STEP`
    spans within :data:`CUFF_STEP_ROWS` (the ends of sleeves hanging against the sides),
    searched :data:`CUFF_SEARCH` spans below the shoulders; None unless both step, at
    rows within :data:`CUFFS_LEVEL` of each other."""
    span = float(right_shoulder[0] - left_shoulder[0])
    rows = np.arange(silhouette.shape[0])
    filled = silhouette.any(axis=1)
    first = np.where(filled, np.argmax(silhouette, axis=1), np.nan)
    last = np.where(filled, silhouette.shape[1] - 1 - np.argmax(silhouette[:, ::-1], axis=1),
                    np.nan)
    top = (left_shoulder[1] + right_shoulder[1]) / 2
    lo, hi = int(top + CUFF_SEARCH[0] * span), int(top + CUFF_SEARCH[1] * span)
    gap = max(1, int(round(CUFF_STEP_ROWS * span)))
    found = []
    for edge, inward in ((first, 1.0), (last, -1.0)):
        ahead = np.full_like(edge, np.nan)
        ahead[:-gap] = edge[gap:]
        step = (ahead - edge) * inward
        candidates = rows[(rows >= lo) & (rows < hi) & (np.nan_to_num(step) >= CUFF_STEP * span)]
        if candidates.size == 0:
            return None
        found.append(float(candidates[0] + gap))
    if abs(found[0] - found[1]) > CUFFS_LEVEL * span:
        return None
    return found[0], found[1]


def _outer_edge(silhouette: np.ndarray, y: float, side: Side) -> float | None:
    """The outline's outer column on ``side`` in row ``y`` (None for an empty row)."""
    row = silhouette[int(np.clip(round(y), 0, silhouette.shape[0] - 1))]
    xs = np.flatnonzero(row)
    if xs.size == 0:
        return None
    return float(xs[0] if side == "left" else xs[-1])
