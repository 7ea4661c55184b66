"""Colour models learnt from the photo itself: skin from the face, any sampled colour.

Colours are OpenCV's 8-bit scales: Lab with L, a, b in [0, 255] (a, b centred on 128) and
YCrCb with Cr, Cb in [0, 255]. Masks are (H, W) bool over the photo.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["skin_mask", "skin_colour", "tighten_skin", "coloured_like", "coloured_like_values",
           "near_palette", "lab_values", "plain_median", "within_reach", "NARROW_SPREAD",
           "PLAIN_SPREAD", "SAME_COLOUR_SHARE", "LAB_NEUTRAL"]

LAB_NEUTRAL = 128.0  # Lab a and b of grey on OpenCV's 8-bit scale (they are offset by it)

SKIN_LIGHTNESS = 45.0  # Lab L (0–255 scale) from the face's skin, for tightened skin
SKIN_CHROMA = 9.0  # Lab a/b distance from the face's skin, for tightened skin
COLOUR_MATCH = 2.5  # robust spreads of a sampled colour within which a pixel matches it
MIN_SPREAD = 5.0  # Lab units: the least spread a colour model is given
NARROW_SPREAD = 2.5  # Lab units: the least spread where two near colours must be told apart
# The share of a top's chest coloured like the bottom beyond which the two are one colour
# and cannot be told apart by it (tops and bottoms both decide with it).
SAME_COLOUR_SHARE = 0.3
PALETTE_COLOURS = 4  # colours a many-coloured cloth's palette holds (k-means centres)
PALETTE_REACH = 18.0  # Lab units from the nearest of them within which a pixel matches
PALETTE_SAMPLE = 4000  # sampled colours the palette is worked out from, at most
PALETTE_ROUNDS = 8  # k-means rounds
# A plain colour: the 75th percentile of its pixels' Lab distances from their median,
# lightness and each chroma axis, at most this (black shorts 3, black leggings 7, blue jeans
# 12, a pale blue top 9 / 1 / 1; a grey print 22, a colourful one 32 / 14 / 35, a skirt's
# folds 20, a white tee with a big print 114 / 2 / 5).
PLAIN_SPREAD = (16.0, 5.0, 5.0)


def _ycrcb_stats(ycrcb: np.ndarray, sample: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Median and robust covariance of the Cr, Cb channels at ``sample`` pixels."""
    values = ycrcb[sample][:, 1:].astype(np.float64)
    if len(values) < 30:
        return None
    median = np.median(values, axis=0)
    keep = np.all(np.abs(values - median) < 3 * (np.median(np.abs(values - median), 0) + 2), 1)
    values = values[keep]
    cov = np.cov(values.T) + np.eye(2) * 9.0
    return median, cov


def skin_mask(
    rgb: np.ndarray, face_centre: np.ndarray, face_axes: np.ndarray, person: np.ndarray
) -> np.ndarray:
    """(H, W) bool: pixels whose chroma matches the skin at the centre of the face."""
    ycrcb = cv2.cvtColor(rgb, cv2.COLOR_RGB2YCrCb)
    core = np.zeros(person.shape, np.uint8)
    centre = (int(round(face_centre[0])), int(round(face_centre[1])))
    cv2.ellipse(core, centre, (max(2, int(face_axes[0] * 0.45)),
                               max(2, int(face_axes[1] * 0.35))), 0, 0, 360, 1, -1)
    stats = _ycrcb_stats(ycrcb, (core > 0) & person)
    if stats is None:
        cr, cb = ycrcb[:, :, 1], ycrcb[:, :, 2]
        return (cr >= 135) & (cr <= 175) & (cb >= 80) & (cb <= 125)
    median, cov = stats
    # The chroma test depends on (Cr, Cb) alone: worked out once for each of the 256 × 256
    # pairs (the same float32 arithmetic as per pixel) and looked up.
    levels = np.arange(256, dtype=np.float32)
    cr_diff = (levels - median.astype(np.float32)[0])[:, None]
    cb_diff = (levels - median.astype(np.float32)[1])[None, :]
    inv = np.linalg.inv(cov).astype(np.float32)
    dist2 = (cr_diff ** 2 * inv[0, 0] + 2 * cr_diff * cb_diff * inv[0, 1]
             + cb_diff ** 2 * inv[1, 1])
    chroma_like = (dist2 < 16.0).ravel()
    pair = (ycrcb[:, :, 1].astype(np.uint16) << 8) | ycrcb[:, :, 2]  # Cr * 256 + Cb
    luma = ycrcb[:, :, 0]
    face_luma = float(np.median(luma[(core > 0) & person]))
    return chroma_like[pair] & (luma > 0.3 * face_luma) & (luma > 25)


def skin_colour(photo: np.ndarray, skin: np.ndarray,
                face_box: tuple[int, int, int, int]) -> np.ndarray | None:
    """(3,) float32 Lab median of the skin-coloured pixels of ``photo`` ((H, W, 3) uint8 RGB)
    in the face box, or None when the face shows too little skin."""
    x0, y0, x1, y1 = face_box
    face = skin[y0:y1, x0:x1]
    if face.sum() < 30:
        return None
    lab = cv2.cvtColor(photo[y0:y1, x0:x1], cv2.COLOR_RGB2LAB).astype(np.float32)
    return np.median(lab[face], axis=0)


def tighten_skin(skin: np.ndarray, lab: np.ndarray, reference: np.ndarray | None,
                 chroma: float = SKIN_CHROMA) -> np.ndarray:
    """The pixels of ``skin`` ((h, w) bool, a permissive chroma match) whose Lab colour
    (``lab``: (h, w, 3) float32, OpenCV's 8-bit Lab scale) is also close in lightness and hue
    (within ``chroma`` a/b units) to ``reference`` (the face's skin, see
    :func:`skin_colour`): brown trousers, beige fabric and dark shoe edges share skin's
    chroma but not its lightness and hue together."""
    if reference is None:
        return skin
    diff = np.abs(lab - reference)
    return skin & (diff[..., 0] < SKIN_LIGHTNESS) & (np.hypot(diff[..., 1], diff[..., 2])
                                                       < chroma)


def within_reach(lab8: np.ndarray, centre: np.ndarray, reach: np.ndarray) -> np.ndarray:
    """(h, w) bool: the pixels of ``lab8`` ((h, w, 3) uint8, OpenCV's 8-bit Lab) within
    ``reach`` ((3,)) of ``centre`` ((3,) float32) in every channel, bit for bit
    ``np.all(np.abs(lab8.astype(np.float32) - centre) < reach, axis=2)``: each channel's
    test comes from a 256-entry table of the same arithmetic (a look-up pass instead of
    five passes over a float copy of the photo)."""
    levels = np.arange(256, dtype=np.float32)[:, None]
    table = (np.abs(levels - centre) < reach).astype(np.uint8).reshape(1, 256, 3)
    hits = cv2.LUT(lab8, np.ascontiguousarray(table))
    return (hits[..., 0] & hits[..., 1] & hits[..., 2]).view(bool)


def lab_values(photo: np.ndarray, where: np.ndarray) -> np.ndarray:
    """(N, 3) float32 Lab (OpenCV's 8-bit scale) of ``photo``'s ((H, W, 3) uint8 RGB) pixels
    under ``where`` ((H, W) bool), converted alone (not the whole photo)."""
    return cv2.cvtColor(photo[where][None], cv2.COLOR_RGB2LAB).astype(np.float32)[0]


def plain_median(values: np.ndarray,
                 spread: tuple[float, float, float] = PLAIN_SPREAD) -> np.ndarray | None:
    """(3,) float32: the median of ``values`` ((N, 3) Lab, N ≥ 1) when they are one plain
    colour (the 75th percentile of each channel's distance from it at most ``spread``,
    :data:`PLAIN_SPREAD` by default; ``inf`` lets a channel vary), else None."""
    median = np.median(values, axis=0).astype(np.float32)
    found = np.percentile(np.abs(values - median), 75, axis=0)
    return None if np.any(found > np.asarray(spread)) else median


def coloured_like(lab: np.ndarray, sample: np.ndarray,
                  min_spread: float = MIN_SPREAD) -> np.ndarray:
    """(h, w) bool: pixels of ``lab`` ((h, w, 3) float32, OpenCV's 8-bit Lab scale) within
    :data:`COLOUR_MATCH` robust spreads (at least ``min_spread`` Lab units) of the colours
    under ``sample`` ((h, w) bool, not empty) in every channel; lightness is given more room,
    since folds shade the cloth."""
    return coloured_like_values(lab, lab[sample], min_spread)


def coloured_like_values(lab: np.ndarray, values: np.ndarray,
                         min_spread: float = MIN_SPREAD) -> np.ndarray:
    """:func:`coloured_like` with the sampled colours given as ``values`` ((N, 3) float32 Lab,
    N ≥ 1): ``lab`` may then be a small window of the photo."""
    centre = np.median(values, axis=0)
    spread = np.maximum(np.median(np.abs(values - centre), axis=0) * 1.5, min_spread)
    # Channel by channel (a max over the channel axis cost tens of ms on a whole photo).
    reach = COLOUR_MATCH * spread / np.array([0.7, 1.0, 1.0], np.float32)
    inside = np.abs(lab[..., 0] - centre[0]) < reach[0]
    for channel in (1, 2):
        inside &= np.abs(lab[..., channel] - centre[channel]) < reach[channel]
    return inside


def lit_median(colours: np.ndarray) -> np.ndarray:
    """(3,) float32: the median of the brighter half of ``colours`` ((N, 3) RGB, N ≥ 1; the
    mean of the channels ranks them). A drawn cylinder's tone is its lit middle (the shading
    darkens it to the sides): the skin's lit half, not its median, which shaded fingers and
    edges, or a beard in the middle of a face, pull down."""
    colours = colours.astype(np.float32)
    grey = colours.mean(axis=1)
    return np.median(colours[grey >= np.median(grey)], axis=0)


def near_palette(lab: np.ndarray, values: np.ndarray) -> np.ndarray:
    """(h, w) bool: pixels of ``lab`` ((h, w, 3) float32, OpenCV's 8-bit Lab) within
    :data:`PALETTE_REACH` of the nearest colour of the palette of ``values`` ((N, 3) float32
    Lab, N ≥ 1): :data:`PALETTE_COLOURS` k-means centres, started at lightness quantiles
    (deterministic) over at most :data:`PALETTE_SAMPLE` evenly taken values. For a
    many-coloured cloth (stripes, checks) that one median and spread
    (:func:`coloured_like_values`) does not describe."""
    values = values[np.linspace(0, len(values) - 1, min(len(values), PALETTE_SAMPLE)).astype(int)]
    order = np.argsort(values[:, 0])
    count = min(PALETTE_COLOURS, len(values))
    starts = order[((np.arange(count) + 0.5) / count * len(values)).astype(int)]
    centres = values[starts].astype(np.float32)
    for _ in range(PALETTE_ROUNDS):
        nearest = np.argmin(_squared_distance(values[:, None, :], centres[None]), axis=1)
        for k in range(count):
            members = values[nearest == k]
            if len(members):
                centres[k] = members.mean(axis=0)
    reach = PALETTE_REACH ** 2
    inside = np.zeros(lab.shape[:2], bool)
    for centre in centres:
        inside |= _squared_distance(lab, centre) < reach
    return inside


def _squared_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The squared Euclidean distance of ``a`` and ``b`` (broadcast, (..., 3)) over their last
    axis, summed channel by channel (a sum over that axis cost three times as much)."""
    diff = a - b
    return diff[..., 0] ** 2 + diff[..., 1] ** 2 + diff[..., 2] ** 2
