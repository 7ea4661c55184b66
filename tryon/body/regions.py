"""Body regions derived from pose landmarks, the person mask and the photo's colours.

No human parser is needed: limbs are capsules along the skeleton, the face an ellipse from the
face landmarks, the neck a capsule from chin to shoulders, and hair and skin are found by colour
models learnt from the photo itself (skin from the centre of the face, hair from the top of the
head). Every region is clipped to the person mask, except hair, which follows its own colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import cv2
import numpy as np

from tryon.body.colour import skin_colour, skin_mask, tighten_skin, within_reach
from tryon.body.landmarks import PoseLandmark as L
from tryon.body.pose import Pose, chin_point
from tryon.imaging.geometry import (
    draw_capsule,
    draw_polygon,
    grown_hull,
    labelled_any,
    parts_touching,
    past_line,
    unit,
)

__all__ = ["Region", "BodyRegions", "derive_regions", "torso_polygon", "REGION_COLOURS",
           ]


class Region(IntEnum):
    """Labels of :attr:`BodyRegions.labels`; a later label in this list wins an overlap."""

    BACKGROUND = 0
    TORSO = 1
    LEGS = 2
    FEET = 3
    HAIR = 4
    NECK = 5
    LEFT_UPPER_ARM = 6
    RIGHT_UPPER_ARM = 7
    LEFT_FOREARM = 8
    RIGHT_FOREARM = 9
    FACE = 10
    LEFT_HAND = 11
    RIGHT_HAND = 12


REGION_COLOURS: dict[Region, tuple[int, int, int]] = {
    Region.BACKGROUND: (0, 0, 0),
    Region.TORSO: (220, 60, 60),
    Region.LEGS: (60, 60, 200),
    Region.FEET: (240, 200, 40),
    Region.HAIR: (120, 70, 20),
    Region.NECK: (250, 160, 120),
    Region.LEFT_UPPER_ARM: (60, 200, 60),
    Region.RIGHT_UPPER_ARM: (40, 140, 40),
    Region.LEFT_FOREARM: (60, 220, 220),
    Region.RIGHT_FOREARM: (30, 150, 150),
    Region.FACE: (255, 220, 180),
    Region.LEFT_HAND: (230, 80, 230),
    Region.RIGHT_HAND: (150, 40, 150),
}

MIN_UNIT_SHARE = 0.02  # of the photo's longer side: the least body unit regions are drawn with
# The share of the face box's width and height, about its centre, whose skin gives the face's
# colour: the box's sides and top hold hair, which the permissive skin match takes in (long
# brown hair darkened the reference by 34 Lab units and bare forearms no longer matched it).
FACE_CORE = 0.5
MIN_CORE_SKIN = 30  # skin pixels the face's middle needs to give its colour
ARMS_ABOVE_ELBOW = (Region.LEFT_UPPER_ARM, Region.RIGHT_UPPER_ARM)
HAIR_OVER = (Region.TORSO, Region.NECK, *ARMS_ABOVE_ELBOW)
# Share of the head's person pixels (face and neck aside) the skin colour may leave: less
# and it has taken fair hair (a blonde's hair matched the face's chroma; 0.00–0.17 on
# blondes and light browns, 0.3–0.9 on darker hair, 0.25 on a shaved head).
MIN_HEAD_HAIR = 0.2
MIN_HAIR_PART = 0.002  # square body units: a smaller part of the head's disc below the chin,
# apart from the face, is a shade (a hood's crease), not hair
FAIR_HAIR = 75.0  # Lab L (0–255) of the crown's median, at least, for fair hair (and light
# brown: at 90, a brunette's crown, 86, was not sampled, and her hair over the shoulders was
# painted over; crowns of dark hair the skin took measured 36-52)
MIN_CROWN = 50  # pixels of the crown needed to sample fair hair
MAX_CROWN_LIGHTER = 20.0  # Lab L the crown may be lighter than the face (blondes: −80 to +6)
HAIR_REACH = (1.1, 1.6)  # body units across and below the face's centre hair is followed
MIDLINE_REACH = 1.5  # body units below the chin the middle line hair may not cross
HAIR_EDGE = 25.0  # Lab gradient (Sobel, 3x3) under which two pixels are not told apart
HAIR_EDGE_WEIGHTS = (0.5, 1.0, 1.0)  # of the L, a and b gradients (shading moves L most)
HAIR_CLOSE = 0.05  # body units: gaps in the hair strands found this wide are closed
MAX_STRAND_AREA = 0.5  # square body units: a larger smooth part is the top, not hair
MAX_STRAND_CORE = 0.1  # of the torso's core a part may cover and still be hair
TORSO_CORE = 0.5  # of the torso polygon's size about its centre
MIN_CORE_INSIDE = 0.75  # of the face's middle that must lie in the photo for it to be used

ARMS = (Region.LEFT_UPPER_ARM, Region.RIGHT_UPPER_ARM, Region.LEFT_FOREARM, Region.RIGHT_FOREARM)
HANDS = (Region.LEFT_HAND, Region.RIGHT_HAND)


@dataclass(frozen=True)
class BodyRegions:
    """``labels``: (H, W) uint8 of :class:`Region`; ``skin``: (H, W) bool, pixels whose colour
    matches the face's skin; ``face_box``: (x0, y0, x1, y1) pixels, the face's box clipped
    to the photo; ``face_core``: (x0, y0, x1, y1) pixels, where the face's skin colour is
    taken (:func:`_face_core`)."""

    labels: np.ndarray
    skin: np.ndarray
    face_box: tuple[int, int, int, int]
    face_core: tuple[int, int, int, int]

    def mask(self, *regions: Region) -> np.ndarray:
        """(H, W) bool: pixels labelled with any of ``regions``."""
        return labelled_any(self.labels, np.array([int(r) for r in regions], dtype=np.uint8))

    def colourised(self) -> np.ndarray:
        """(H, W, 3) uint8 RGB picture of the labels, for layer dumps."""
        palette = np.zeros((256, 3), np.uint8)
        for region, colour in REGION_COLOURS.items():
            palette[int(region)] = colour
        return palette[self.labels]


def derive_regions(rgb: np.ndarray, pose: Pose, person: np.ndarray) -> BodyRegions:
    """Label body parts of an (H, W, 3) uint8 photo from its ``pose`` and (H, W) bool ``person``."""
    height, width = person.shape
    labels = np.zeros((height, width), np.uint8)
    unit_px = max(pose.unit_px, MIN_UNIT_SHARE * max(height, width))
    p = pose.point
    face_centre, face_axes, face_angle = _face_ellipse(pose, unit_px)

    _paint_torso(labels, pose, unit_px)
    for hip, knee, ankle in ((L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE),
                             (L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE)):
        draw_capsule(labels, p(hip), p(knee), 0.2 * unit_px, Region.LEGS)
        draw_capsule(labels, p(knee), p(ankle), 0.15 * unit_px, Region.LEGS)
    for ankle, heel, toe in ((L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX),
                             (L.RIGHT_ANKLE, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX)):
        draw_polygon(labels, grown_hull([p(ankle), p(heel), p(toe)], 0.08 * unit_px), Region.FEET)
    head = np.zeros_like(labels)
    cv2.circle(head, _ipt(face_centre), int(1.25 * face_axes[0] + 0.5 * face_axes[1]), 1, -1)
    labels[(head > 0) & (labels == 0)] = Region.HAIR
    chin = face_centre + face_axes[1] * 0.85 * _down(pose)
    neck_base = pose.neck_base
    draw_capsule(labels, chin, neck_base, 0.55 * face_axes[0], Region.NECK)
    for region, a, b, radius in _arm_segments(pose, unit_px):
        draw_capsule(labels, a, b, radius, region)
    face = np.zeros_like(labels)
    cv2.ellipse(face, _ipt(face_centre), (int(face_axes[0]), int(face_axes[1])),
                face_angle, 0, 360, 1, -1)
    labels[face > 0] = Region.FACE
    for region, wrist, marks in ((Region.LEFT_HAND, L.LEFT_WRIST,
                                  (L.LEFT_PINKY, L.LEFT_INDEX, L.LEFT_THUMB)),
                                 (Region.RIGHT_HAND, L.RIGHT_WRIST,
                                  (L.RIGHT_PINKY, L.RIGHT_INDEX, L.RIGHT_THUMB))):
        if pose.arm_hidden(region.name.split("_")[0]):
            continue
        pts = np.array([p(wrist)] + [p(m) for m in marks])
        centre = pts.mean(axis=0)
        radius = max(0.12 * unit_px, 1.3 * float(np.max(np.hypot(*(pts - centre).T))))
        cv2.circle(labels, _ipt(centre), int(radius), int(region), -1)

    skin = skin_mask(rgb, face_centre, face_axes, person)
    x0, y0 = face_centre - face_axes.max()
    x1, y1 = face_centre + face_axes.max()
    box = (max(0, int(x0)), max(0, int(y0)), min(width, int(x1)), min(height, int(y1)))
    core = _face_core(face_centre, face_axes, skin & person, box)
    reference = skin_colour(rgb, skin, core)
    lab8 = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
    lab = lab8.astype(np.float32)
    # Not a speck of shade in the head's disc below the chin and apart from the face (a
    # hood's dark crease was kept in front of a new top as hair).
    labels[_specks_below_chin((labels == Region.HAIR) & person & ~skin, labels == Region.FACE,
                              chin_point(pose), _down(pose),
                              MIN_HAIR_PART * unit_px * unit_px)] = Region.BACKGROUND
    hair = _hair_mask(lab8, lab, labels, person, (face_centre, face_axes, _down(pose)), unit_px,
                      skin, reference)
    hair |= _hair_strands(rgb, labels, person, hair, skin, reference, pose, face_centre,
                          unit_px)
    hair = _hanging_hair(hair, lab, chin_point(pose), pose.torso_down, unit_px)
    labels[~person] = Region.BACKGROUND
    labels[(labels == Region.HAIR) & ~hair] = Region.BACKGROUND
    body = labels != Region.BACKGROUND
    spill = hair & ~body
    # Long hair lies in front of the torso, the neck and the upper arms' labels.
    labels[spill | (hair & labelled_any(labels, HAIR_OVER))] = Region.HAIR
    return BodyRegions(labels=labels, skin=skin & person, face_box=box, face_core=core)


def _specks_below_chin(candidates: np.ndarray, face_label: np.ndarray, chin: np.ndarray,
                       down: np.ndarray, least: float) -> np.ndarray:
    """(H, W) bool: the 8-connected parts of ``candidates`` ((H, W) bool: the head's disc
    less skin) smaller than ``least`` pixels, apart from the ``face_label`` ((H, W) bool) and
    centred below the ``chin`` ((2,) xy; ``down``: the head's down, a unit vector): a hood's
    dark crease inside the head's disc. Wisps beside the face are centred above it."""
    _, parts, stats, centres = cv2.connectedComponentsWithStats(candidates.astype(np.uint8), 8)
    touching = np.unique(parts[cv2.dilate(face_label.astype(np.uint8), np.ones((3, 3))) > 0])
    specks = (stats[:, cv2.CC_STAT_AREA] < least) & ((centres - chin) @ down > 0)
    specks[0] = False
    specks[touching] = False
    return specks[parts]


def _hair_strands(rgb: np.ndarray, labels: np.ndarray, person: np.ndarray, hair: np.ndarray,
                  skin: np.ndarray, reference: np.ndarray | None, pose: Pose,
                  face_centre: np.ndarray, unit_px: float) -> np.ndarray:
    """(H, W) bool: long hair hanging in front of the body that its colour did not find
    (:func:`_hair_mask` samples the head; an ombré's fair ends, or hair lit unlike the
    roots, were painted over by a new top): the parts of the person, in the band of
    :data:`HAIR_REACH` under the face's centre, that no colour edge (Lab gradient under
    :data:`HAIR_EDGE`) separates from the ``hair`` found, not strictly skin-coloured (the
    face's tone ``reference``, Lab), and closed over :data:`HAIR_CLOSE` body units. A
    part larger than :data:`MAX_STRAND_AREA` square body units, or reaching over
    :data:`MAX_STRAND_CORE` of the torso's core, is the top (a smooth black top meets
    dark hair without an edge) and is left out, as is a part coloured nearer the torso
    core's median (the old top) or the torso label's in the band than the hair's (a black
    top's lace shoulders, an open jacket's side)."""
    out = np.zeros_like(hair)
    height, width = hair.shape
    reach = np.array(HAIR_REACH) * unit_px
    # Worked out in the band's box only (the whole photo cost 20 ms).
    x0, y0 = (max(0, v) for v in _ipt(face_centre - np.array([reach[0], 0.0])))
    x1, y1 = _ipt(face_centre + reach)
    x1, y1 = min(width, x1 + 1), min(height, y1 + 1)
    on_core = torso_core(pose, hair.shape) & person
    if x1 <= x0 or y1 <= y0 or not hair[y0:y1, x0:x1].any() or not on_core.any():
        return out
    window = (slice(y0, y1), slice(x0, x1))
    lab = _blurred_lab(rgb[window])
    strict = tighten_skin(skin[window], lab, reference)
    edge = np.zeros(lab.shape[:2], np.float32)
    for channel, weight in zip(range(3), HAIR_EDGE_WEIGHTS, strict=True):
        gx = cv2.Sobel(lab[..., channel], cv2.CV_32F, 1, 0, ksize=3)
        gy = cv2.Sobel(lab[..., channel], cv2.CV_32F, 0, 1, ksize=3)
        edge = np.maximum(edge, np.hypot(gx, gy) * weight)
    seeds = hair[window]
    allowed = person[window] & ~strict & (labels[window] != Region.FACE)
    candidates = (edge < HAIR_EDGE) & allowed & ~seeds
    core = on_core[window]
    core_px = int(on_core.sum())
    hair_colour = np.median(lab[seeds], axis=0)
    cy0, cy1 = np.flatnonzero(on_core.any(axis=1))[[0, -1]]
    cx0, cx1 = np.flatnonzero(on_core.any(axis=0))[[0, -1]]
    core_window = (slice(cy0, cy1 + 1), slice(cx0, cx1 + 1))
    top_colour = np.median(_blurred_lab(rgb[core_window])[on_core[core_window]], axis=0)
    # ... and the torso's label in the band (an open jacket's sides beside the blouse in
    # the core were taken for dark hair).
    torso = (labels[window] == Region.TORSO) & person[window]
    torso_colour = np.median(lab[torso], axis=0) if torso.any() else top_colour
    count, parts = cv2.connectedComponents(candidates.astype(np.uint8), connectivity=4)
    touching = np.unique(parts[cv2.dilate(seeds.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0])
    found = np.zeros_like(seeds)
    for index in touching:
        if index == 0:
            continue
        part = parts == index
        if (part.sum() >= MAX_STRAND_AREA * unit_px * unit_px
                or (part & core).sum() >= MAX_STRAND_CORE * core_px):
            continue
        colour = np.median(lab[part], axis=0)
        to_hair = np.linalg.norm(colour - hair_colour)
        if (to_hair < np.linalg.norm(colour - top_colour)
                and to_hair < np.linalg.norm(colour - torso_colour)):
            found |= part
    size = max(3, int(round(HAIR_CLOSE * unit_px)) | 1)
    closed = cv2.morphologyEx((found | seeds).astype(np.uint8), cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))) > 0
    out[window] = closed & allowed & ~seeds
    return out


def _hanging_hair(hair: np.ndarray, lab: np.ndarray, chin: np.ndarray,
                  body_down: np.ndarray, unit_px: float) -> np.ndarray:
    """(H, W) bool: ``hair`` ((H, W) bool) without the parts below the chin's line (through
    ``chin``, (2,) xy pixels, across the torso's ``body_down``, a unit (2,) vector from the
    shoulders' middle to the hips', or lower than ``chin`` in the photo) that cross the
    middle line under the chin (along ``body_down``, :data:`MIDLINE_REACH` body units long;
    towards the shoulders' middle it crossed the hair of a head held off the body's
    middle), nor the other parts below the line coloured nearer those (mean Lab of
    ``lab``, (H, W, 3) float32) than the hair above the line. Long hair hangs beside the
    neck, one side or both; a collar, a yoke or a scarf coloured like the hair spans the
    middle, and its corners on the shoulders go with it (a cream yoke under a blonde's short
    hair was kept over every new top)."""
    # Below the line, or below the chin in the photo (a tilted line put a yoke's corner on a
    # raised shoulder above it).
    under_chin = (past_line(hair.shape, chin, body_down)
                  | (np.arange(hair.shape[0])[:, None] > chin[1]))
    below = hair & under_chin
    above = hair & ~under_chin
    if not below.any() or not above.any():
        return hair
    middle = np.zeros(hair.shape, np.uint8)
    draw_capsule(middle, chin, chin + body_down * MIDLINE_REACH * unit_px, 1.0, 1)
    count, parts = cv2.connectedComponents(below.astype(np.uint8), connectivity=8)
    spanning = np.unique(parts[below & (middle > 0)])
    spanning = spanning[spanning > 0]
    if not spanning.size:
        return hair
    sizes = np.bincount(parts[below], minlength=count).astype(np.float64)
    means = np.stack([np.bincount(parts[below], lab[..., c][below], minlength=count)
                      for c in range(3)], 1) / np.maximum(sizes, 1.0)[:, None]
    span_colour = (means[spanning] * sizes[spanning, None]).sum(0) / sizes[spanning].sum()
    hair_colour = lab[above].mean(axis=0)
    like_span = (np.linalg.norm(means - span_colour, axis=1)
                 < np.linalg.norm(means - hair_colour, axis=1))
    like_span[spanning] = True
    like_span[0] = False
    return hair & ~like_span[parts]


def _blurred_lab(rgb: np.ndarray) -> np.ndarray:
    """(h, w, 3) float32 Lab (OpenCV's 8-bit scale) of ``rgb`` ((h, w, 3) uint8) after a 3×3
    Gaussian blur (a single pixel's noise is no edge)."""
    return cv2.cvtColor(cv2.GaussianBlur(rgb, (3, 3), 0), cv2.COLOR_RGB2LAB).astype(np.float32)


def _face_core(centre: np.ndarray, axes: np.ndarray, skin: np.ndarray,
               box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) pixels: the middle of the face (:data:`FACE_CORE` of its box about
    the face's centre: cheeks, nose, mouth), clipped to the photo, when at least
    :data:`MIN_CORE_INSIDE` of it is in the photo and it holds at least
    :data:`MIN_CORE_SKIN` ``skin`` pixels; else ``box`` (a face cut by the photo's edge
    shows only its chin and lips)."""
    height, width = skin.shape
    half = FACE_CORE * float(axes.max())
    x0, y0 = max(0, int(centre[0] - half)), max(0, int(centre[1] - half))
    x1, y1 = min(width, int(centre[0] + half)), min(height, int(centre[1] + half))
    inside = max(0, x1 - x0) * max(0, y1 - y0) / max(4 * half * half, 1.0)
    if inside < MIN_CORE_INSIDE or skin[y0:y1, x0:x1].sum() < MIN_CORE_SKIN:
        return box
    return x0, y0, x1, y1


def _ipt(point: np.ndarray) -> tuple[int, int]:
    return int(round(point[0])), int(round(point[1]))


def _down(pose: Pose) -> np.ndarray:
    """Unit vector from the eyes towards the mouth: "down" for the head, whatever its tilt."""
    eyes = (pose.point(L.LEFT_EYE) + pose.point(L.RIGHT_EYE)) / 2
    mouth = (pose.point(L.MOUTH_LEFT) + pose.point(L.MOUTH_RIGHT)) / 2
    return unit(mouth - eyes)


def _face_ellipse(pose: Pose, unit_px: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Centre (2,), semi-axes (2,) [across, along], rotation in degrees of the face ellipse."""
    p = pose.point
    eyes = (p(L.LEFT_EYE) + p(L.RIGHT_EYE)) / 2
    mouth = (p(L.MOUTH_LEFT) + p(L.MOUTH_RIGHT)) / 2
    eye_mouth = float(np.hypot(*(mouth - eyes)))
    ears = float(np.hypot(*(p(L.LEFT_EAR) - p(L.RIGHT_EAR))))
    across = max(0.5 * ears, 1.05 * eye_mouth, 0.16 * unit_px)
    along = max(1.3 * across, 2.0 * eye_mouth)
    centre = (eyes + mouth) / 2 + 0.15 * eye_mouth * _down(pose)
    down = _down(pose)
    angle = float(np.degrees(np.arctan2(down[1], down[0]))) - 90.0
    return centre, np.array([across, along]), angle


def _paint_torso(labels: np.ndarray, pose: Pose, unit_px: float) -> None:
    draw_polygon(labels, torso_polygon(pose, unit_px), Region.TORSO)


def torso_polygon(pose: Pose, unit_px: float) -> np.ndarray:
    """(4, 2) xy corners of the torso: shoulders, widened hips."""
    p = pose.point
    ls, rs, lh, rh = p(L.LEFT_SHOULDER), p(L.RIGHT_SHOULDER), p(L.LEFT_HIP), p(L.RIGHT_HIP)
    across = unit(ls - rs)
    up = unit((ls + rs) / 2 - (lh + rh) / 2)
    hip_half = max(float(np.hypot(*(lh - rh))) / 2, 0.3 * unit_px)
    return np.array([
        ls + across * 0.12 * unit_px + up * 0.1 * unit_px,
        rs - across * 0.12 * unit_px + up * 0.1 * unit_px,
        (rh + lh) / 2 - across * hip_half * 1.45 - up * 0.1 * unit_px,
        (rh + lh) / 2 + across * hip_half * 1.45 - up * 0.1 * unit_px,
    ])


def torso_core(pose: Pose, shape: tuple[int, int]) -> np.ndarray:
    """(H, W) bool: the torso polygon (:func:`torso_polygon`) shrunk to :data:`TORSO_CORE`
    of its size about its centre, where the top is whatever the arms and hair do."""
    torso = torso_polygon(pose, pose.unit_px)
    centre = torso.mean(axis=0)
    core = np.zeros(shape, np.uint8)
    draw_polygon(core, centre + (torso - centre) * TORSO_CORE, 1)
    return core > 0


def _arm_segments(pose: Pose, unit_px: float) -> list[tuple[Region, np.ndarray, np.ndarray, float]]:
    """(region, start, end, radius px) of each arm's capsules; none for a hidden arm
    (:meth:`Pose.arm_hidden`): what lies where MediaPipe guesses it is the torso."""
    p = pose.point
    segments = [
        (Region.LEFT_UPPER_ARM, p(L.LEFT_SHOULDER), p(L.LEFT_ELBOW), 0.14 * unit_px),
        (Region.RIGHT_UPPER_ARM, p(L.RIGHT_SHOULDER), p(L.RIGHT_ELBOW), 0.14 * unit_px),
        (Region.LEFT_FOREARM, p(L.LEFT_ELBOW), p(L.LEFT_WRIST), 0.11 * unit_px),
        (Region.RIGHT_FOREARM, p(L.RIGHT_ELBOW), p(L.RIGHT_WRIST), 0.11 * unit_px),
    ]
    return [segment for segment in segments
            if not pose.arm_hidden(segment[0].name.split("_")[0])]


def _hair_mask(
    lab8: np.ndarray,
    lab: np.ndarray,
    labels: np.ndarray,
    person: np.ndarray,
    face: tuple[np.ndarray, np.ndarray, np.ndarray],
    unit_px: float,
    skin: np.ndarray,
    reference: np.ndarray | None,
) -> np.ndarray:
    """(H, W) bool: the head's non-face, non-skin pixels plus hair-coloured pixels that hang
    from them over the shoulders and chest (long hair in front of a top). Where the
    permissive ``skin`` ((H, W) bool) takes all but :data:`MIN_HEAD_HAIR` of the head's
    person pixels, it may have taken fair hair: when the crown (the head above the face's
    middle) without the skin close to the face's tone ``reference`` (Lab) in lightness and
    hue too (:func:`tighten_skin`) is light (:data:`FAIR_HAIR`) but not much lighter than
    the face (:data:`MAX_CROWN_LIGHTER`), that is the hair's sample and the stricter skin is
    used. ``lab8``: the photo, (H, W, 3) uint8 OpenCV Lab, ``lab`` the same as float32;
    ``face``: the face ellipse's centre (xy), half-axes (across, along) and the head's down
    (unit vector), pixels."""
    face_centre, face_axes, face_down = face
    on_head = (labels == Region.HAIR) & person
    head = on_head & ~skin
    fair = False
    if head.sum() < MIN_HEAD_HAIR * on_head.sum():
        # The hair's colour from the crown only (above the face's middle): lower, the head's
        # disc holds a black top's lace, a collar, the neck's shade.
        strict = tighten_skin(skin, lab, reference)
        crown = on_head & ~strict & past_line(on_head.shape, face_centre, -face_down)
        # Only fair hair: dark hair the skin took is dark skin's (its crown mixed braids with
        # the wall between them, and a light blue yoke passed for hair), and a crown much
        # lighter than the face is a bald head lit from above.
        lightness = float(np.median(lab[crown][:, 0])) if crown.sum() >= MIN_CROWN else 0.0
        fair = (reference is not None
                and FAIR_HAIR <= lightness <= float(reference[0]) + MAX_CROWN_LIGHTER)
        if fair:
            skin, head = strict, crown
    samples = lab[head]
    if len(samples) < 50:
        return head
    mean = np.median(samples, axis=0)
    spread = np.maximum(np.percentile(np.abs(samples - mean), 75, axis=0) * 2.5, 8.0)
    similar = within_reach(lab8, mean, spread) & person & ~skin
    band = np.zeros_like(head, np.uint8)
    reach = np.array(HAIR_REACH) * unit_px
    cv2.rectangle(band, _ipt(face_centre - np.array([reach[0], face_axes[1]])),
                  _ipt(face_centre + reach), 1, -1)
    torso = labels == Region.TORSO
    # Between the head's disc and the torso's label, on the shoulders, lie the upper arms'
    # labels or none: hair hanging there from the head (within the disc's columns) joins the
    # hair on the chest to the head's (a brunette's strands down to her waist were lost).
    # Farther out it is a dark print's shoulders, and in the neck's label a dark collar that
    # joined both sides' hair (then taken for a yoke, with the hair), not hair.
    columns = np.flatnonzero(on_head.any(axis=0))
    under_head = np.zeros_like(head)
    if columns.size:
        span = slice(columns[0], columns[-1] + 1)
        under_head[:, span] = labelled_any(labels[:, span], (*ARMS_ABOVE_ELBOW,
                                                            Region.BACKGROUND))
    chest = similar & (torso | under_head) & (band > 0)
    torso_match = float(similar[torso].mean()) if torso.any() else 1.0
    if torso_match > 0.5:
        return head
    if fair:  # the rest of the head coloured like the crown (the hair beside the face)
        head = on_head & similar
    candidates = (head | chest).astype(np.uint8)
    return parts_touching(candidates, head)


