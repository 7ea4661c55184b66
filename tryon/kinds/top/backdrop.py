"""What is behind an old top above the shoulders: the wall beside the neck.

A hood lying down, a big collar or a scarf rises beside the neck and jaw, above the body's own
outline. A new top does not reach there, so once the old top is gone the background shows
(the generator, left to guess, painted the brown of the hair it saw beside necks in
training: smears beside a bearded jaw). This module finds those pixels from the pose alone
(above the line from each shoulder's top to where the neck meets it, outside the neck's
column and the arms) and fills them from the background around the person, so the scene can
hand them to the generator as certainly right (its hint), as it does the visible wall.

Only pixels coloured like the old top on the chest are taken (hair hanging beside the neck,
earrings and bare shoulders are not background), and none coloured like the hair above the
chin (a black top under black hair): the generator paints those, as before.

Coordinates: (x, y) photo pixels, x right, y down; masks (H, W) bool.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from tryon.body.colour import coloured_like_values, lab_values
from tryon.body.landmarks import PoseLandmark as L
from tryon.body.person import PersonAnalysis
from tryon.body.pose import Pose
from tryon.body.regions import Region
from tryon.imaging.geometry import (
    bbox_of_mask,
    dilate_disc,
    draw_capsule,
    draw_polygon,
    perpendicular,
    unit,
)
from tryon.imaging.mirror_fill import mirror_sources

__all__ = ["Backdrop", "above_body", "beside_neck_backdrop", "filled_from_background",
           "unlike_hair",
           "neck_half_width"]

NECK_HALF_WIDTH = 0.42  # ear-to-ear distances: half the neck's column (a neck is narrower)
MIN_NECK_HALF_WIDTH = 0.16  # shoulder widths, when the ears are close (a turned head)
SHOULDER_TOP = 0.22  # shoulder widths from a shoulder landmark up to the shoulder's outline
NECK_JOIN = 0.3  # shoulder widths above the neck base where the neck meets the shoulders
JOIN_UNDER_CHIN = 0.8  # ... at most this share of the way from the neck base up to the chin
ARM_RADIUS = 0.2  # shoulder widths: a raised arm is body, not background
CHEST_BAND = (0.15, 0.5)  # shoulder widths below the neck base: where the old top is sampled
CHEST_HALF_WIDTH = 0.2  # shoulder widths
CHEST_SAMPLE_MIN = 60  # old-top pixels needed on the chest to tell its colour
COLLAR_REACH = 0.55  # shoulder widths from the chin-to-neck-base line: where hoods and collars lie
HAIR_SAMPLE_MIN = 40  # hair pixels above the chin needed to tell hair colour
HAIR_MARGIN = 2  # pixels about hair-coloured ones that are hair too
SOURCE_GAP = 3  # pixels between the person mask and the background the fill is taken from
FILL_MARGIN = 0.3  # shoulder widths of background around the zone the fill looks at
FILL_SCALE = 0.25  # the fill is worked out at this scale (it is smooth)
FILL_RADIUS = 3  # pixels (at FILL_SCALE): cv2.inpaint's neighbourhood


@dataclass(frozen=True)
class Backdrop:
    """``zone``: (H, W) bool, pixels of the try-on region (not already hinted) above the
    body's outline beside the neck, coloured like the old top, not like the hair; ``rgb``:
    (H, W, 3) uint8, the photo with ``zone`` filled from the background around the person
    (equal to the photo elsewhere)."""

    zone: np.ndarray
    rgb: np.ndarray


def beside_neck_backdrop(photo: np.ndarray, person: PersonAnalysis, candidates: np.ndarray,
                         chin: np.ndarray) -> Backdrop:
    """The :class:`Backdrop` of ``photo`` ((H, W, 3) uint8 RGB) among ``candidates`` ((H, W)
    bool: the top's try-on region above the body's outline (:func:`above_body`) less what is
    already hinted); ``chin`` (2,) xy the estimated chin."""
    box = bbox_of_mask(candidates)
    top_values = None if box is None else _old_top_colours(photo, person)
    if box is None or top_values is None:
        return Backdrop(zone=np.zeros_like(candidates), rgb=photo)
    x0, y0, x1, y1 = box
    lab = cv2.cvtColor(photo[y0:y1, x0:x1], cv2.COLOR_RGB2LAB).astype(np.float32)
    zone = np.zeros_like(candidates)
    zone[y0:y1, x0:x1] = candidates[y0:y1, x0:x1] & coloured_like_values(lab, top_values)
    zone = unlike_hair(photo, person, zone, chin)
    filled = filled_from_background(photo, zone, person.person_mask, person.pose.unit_px)
    if filled is None:
        return Backdrop(zone=np.zeros_like(zone), rgb=photo)
    return Backdrop(zone=zone, rgb=filled)


def unlike_hair(photo: np.ndarray, person: PersonAnalysis, candidates: np.ndarray,
                chin: np.ndarray) -> np.ndarray:
    """(H, W) bool: the ``candidates`` of ``photo`` ((H, W, 3) uint8 RGB) not coloured like
    the person's hair above the ``chin`` ((2,) xy; all of them when too little hair shows):
    curls lying on the shoulders that the segmentation left out of the hair."""
    box = bbox_of_mask(candidates)
    hair_values = None if box is None else _hair_colours(photo, person, chin)
    if box is None or hair_values is None:
        return candidates
    x0, y0, x1, y1 = box
    lab = cv2.cvtColor(photo[y0:y1, x0:x1], cv2.COLOR_RGB2LAB).astype(np.float32)
    # With a margin: single pixels between hair-coloured ones are the curls' too.
    hair_like = coloured_like_values(lab, hair_values) | person.regions.mask(Region.HAIR)[
        y0:y1, x0:x1]
    out = candidates.copy()
    out[y0:y1, x0:x1] &= ~dilate_disc(hair_like, HAIR_MARGIN)
    return out


def neck_half_width(pose: Pose) -> float:
    """Half the neck's width in pixels: :data:`NECK_HALF_WIDTH` ear-to-ear distances, at
    least :data:`MIN_NECK_HALF_WIDTH` shoulder widths."""
    ears = float(np.hypot(*(pose.point(L.LEFT_EAR) - pose.point(L.RIGHT_EAR))))
    return max(NECK_HALF_WIDTH * ears, MIN_NECK_HALF_WIDTH * pose.unit_px)


def above_body(pose: Pose, shape: tuple[int, int], chin: np.ndarray) -> np.ndarray:
    """(H, W) bool: above the shoulder line and outside the body's outline there (the neck's
    column from the chin down, the slopes from the neck to each shoulder's top, the arms),
    within :data:`COLLAR_REACH` of the neck and below the mouth (where a hood or collar
    lies; higher up beside the head is hair and ears). ``chin`` (2,) xy the estimated chin."""
    p = pose.point
    unit_px = pose.unit_px
    left, right = p(L.LEFT_SHOULDER), p(L.RIGHT_SHOULDER)
    neck_base = (left + right) / 2
    half = neck_half_width(pose)
    side = unit(left - right)
    up = perpendicular(side)
    if np.dot(up, chin - neck_base) < 0:
        up = -up
    body = np.zeros(shape, np.uint8)
    # The neck meets the shoulders below the chin (a close selfie's shoulder line lies a
    # third of a unit under the chin: the join above it closed the neck's sides).
    join = min(NECK_JOIN * unit_px, JOIN_UNDER_CHIN * float(np.dot(chin - neck_base, up)))
    outline = np.array([
        left + up * SHOULDER_TOP * unit_px, neck_base + side * half + up * join,
        chin + side * half, chin - side * half,
        neck_base - side * half + up * join, right + up * SHOULDER_TOP * unit_px,
        right - up * unit_px, left - up * unit_px])
    draw_polygon(body, outline, 1)
    for shoulder, elbow, wrist in ((L.LEFT_SHOULDER, L.LEFT_ELBOW, L.LEFT_WRIST),
                                   (L.RIGHT_SHOULDER, L.RIGHT_ELBOW, L.RIGHT_WRIST)):
        draw_capsule(body, p(shoulder), p(elbow), ARM_RADIUS * unit_px, 1)
        draw_capsule(body, p(elbow), p(wrist), ARM_RADIUS * unit_px, 1)
    near = np.zeros(shape, np.uint8)
    draw_capsule(near, chin, neck_base, COLLAR_REACH * unit_px, 1)
    mouth = (p(L.MOUTH_LEFT) + p(L.MOUTH_RIGHT)) / 2
    ys, xs = np.ogrid[0:shape[0], 0:shape[1]]
    height = (xs - neck_base[0]) * up[0] + (ys - neck_base[1]) * up[1]
    below_mouth = height < float(np.dot(mouth - neck_base, up))
    return (body == 0) & (near > 0) & (height > 0) & below_mouth


def _old_top_colours(photo: np.ndarray, person: PersonAnalysis) -> np.ndarray | None:
    """(N, 3) float32 Lab colours of the old top on the chest (:data:`CHEST_BAND` below the
    neck base, less face and hair), or None when the chest shows too little of it."""
    pose = person.pose
    unit_px = pose.unit_px
    left, right = pose.point(L.LEFT_SHOULDER), pose.point(L.RIGHT_SHOULDER)
    neck_base = (left + right) / 2
    down = pose.torso_down
    band = np.zeros(photo.shape[:2], np.uint8)
    top, bottom = CHEST_BAND
    draw_capsule(band, neck_base + down * top * unit_px, neck_base + down * bottom * unit_px,
                 CHEST_HALF_WIDTH * unit_px, 1)
    sample = (band > 0) & person.person_mask & ~person.regions.mask(Region.HAIR, Region.FACE)
    return _lab_values(photo, sample, CHEST_SAMPLE_MIN)


def _hair_colours(photo: np.ndarray, person: PersonAnalysis,
                  chin: np.ndarray) -> np.ndarray | None:
    """(N, 3) float32 Lab colours of the hair above the chin line, or None when the person
    shows too little hair (a bald head, a hood up)."""
    hair = person.regions.mask(Region.HAIR)
    rows = np.arange(hair.shape[0])[:, None]
    return _lab_values(photo, hair & (rows < chin[1]), HAIR_SAMPLE_MIN)


def _lab_values(photo: np.ndarray, sample: np.ndarray, least: int) -> np.ndarray | None:
    """(N, 3) float32 Lab of ``photo``'s pixels under ``sample``, None when fewer than
    ``least``."""
    if int(sample.sum()) < least:
        return None
    return lab_values(photo, sample)


def filled_from_background(photo: np.ndarray, zone: np.ndarray, person_mask: np.ndarray,
                           unit_px: float) -> np.ndarray | None:
    """``photo`` ((H, W, 3) uint8) with ``zone`` ((H, W) bool) filled from the background
    around it (off ``person_mask`` by :data:`SOURCE_GAP`), in the zone's box grown by
    :data:`FILL_MARGIN` body units (``unit_px`` pixels each): each pixel takes the
    background's pixel mirrored across the nearest known one
    (:func:`~tryon.imaging.mirror_fill.mirror_sources`), so a window's frame, a bookshelf or
    leaves go on up to the new outline; where that mirror falls on the person or off the
    box, a smooth fill (:func:`cv2.inpaint`, Telea, worked out at :data:`FILL_SCALE`). None
    when the zone is empty or no background is there. The smooth fill alone left the old
    top's outline as a pale, blurred band over any background but a plain wall (a window's
    frame and a garden beside a sweater's sleeve under a slimmer shirt)."""
    box = bbox_of_mask(zone)
    if box is None:
        return None
    margin = int(round(FILL_MARGIN * unit_px))
    height, width = zone.shape
    x0, y0 = max(0, box[0] - margin), max(0, box[1] - margin)
    x1, y1 = min(width, box[2] + margin), min(height, box[3] + margin)
    unknown = dilate_disc(person_mask[y0:y1, x0:x1], SOURCE_GAP) | zone[y0:y1, x0:x1]
    small = (max(1, int(round((x1 - x0) * FILL_SCALE))), max(1, int(round((y1 - y0) * FILL_SCALE))))
    window = cv2.resize(photo[y0:y1, x0:x1], small, interpolation=cv2.INTER_AREA)
    # A reduced pixel is unknown when any pixel it averages is (the nearest one alone let
    # the old top's edge into the fill: a pink haze where a salmon hem had been).
    mask = (cv2.resize(unknown.astype(np.float32), small, interpolation=cv2.INTER_AREA)
            > 0).astype(np.uint8)
    if mask.all():
        return None
    inside = zone[y0:y1, x0:x1]
    ys, xs, from_y, from_x = mirror_sources(~unknown, inside, depths=(1.0,))
    if len(ys) < int(inside.sum()):  # the smooth fill only where some mirror falls short
        fill = cv2.inpaint(window, mask, FILL_RADIUS, cv2.INPAINT_TELEA)
        fill = cv2.resize(fill, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)
    else:
        fill = photo[y0:y1, x0:x1].copy()
    fill[ys, xs] = photo[y0:y1, x0:x1][from_y, from_x]
    out = photo.copy()
    out[y0:y1, x0:x1][inside] = fill[inside]
    return out
