"""Bare skin drawn where a new top leaves the body bare and the photo shows the old top.

A crop top tried on a person in a long tee leaves the torso between its hem and the trousers
to be painted; a tank top on a person in long sleeves leaves the arms. The generator, trained
on photos whose own top covered those zones, painted a blurred mix of the old and new tops
there (grey arms under a grey tank, a dark smear under a yellow crop top). This module draws
bare skin there instead: the person's skin tone (the median of the bare skin the photo shows,
else the face's) lit like a cylinder across the torso or along each arm (bright down the
middle, darker at the sides, as the bare legs under a skirt are drawn; an arm lit across as
the photo's bare arms are where they show, one side often brighter), with a soft shadow
under the new top's edge and the photo's grain, so the scene can hand it to the generator as
certainly right (its hint), as it hands the wall behind an old hood
(:mod:`tryon.kinds.top.backdrop`).

Coordinates: (x, y) photo pixels, x right, y down; masks (H, W) bool; sizes in body units
(the shoulder-joint distance, :attr:`~tryon.body.pose.Pose.unit_px`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from tryon.body.colour import lab_values, lit_median
from tryon.body.landmarks import PoseLandmark as L
from tryon.body.pose import WAIST_ABOVE_HIPS, Pose
from tryon.body.regions import torso_polygon
from tryon.compositing import seamless_offset
from tryon.imaging.blur import photo_grain, relative_light
from tryon.imaging.geometry import (
    bbox_of_mask,
    close_disc,
    crop_box,
    dilate_disc,
    draw_capsule,
    draw_polygon,
    in_photo,
    perpendicular,
    unit,
)
from tryon.kinds.top.region import ARM_JOINTS, BACKGROUND_GAP, torso_zone

__all__ = ["DrawnSkin", "bare_arms", "bare_midriff", "bare_neckline", "sleeves_over_trousers"]

BELOW_SHOULDERS = 0.55  # body units under the shoulder line where the midriff may begin
NECK_HALF = 0.17  # body units: the drawn neck's half-width below the chin
NECK_BASE_HALF = 0.3  # body units: ... widening (as the square of the way down) to this at
# its base, where the neck meets the shoulders (straight sides looked like a box)
CHEST_HALF = 0.45  # body units each side of the torso's middle where the chest is drawn
# The tops of the shoulders drawn above a sleeveless top: half-widths (body units) about the
# line from the neck base to each shoulder joint at SHOULDER_TOP_AT of the way along it,
# narrowing to SHOULDER_CAP at the joint. The outline of real bare shoulders lies 0.30, 0.23,
# 0.19 and 0.18 units above that line at 0.5, 0.7, 0.85 and 1.0 of the way (medians of 46
# arms of unseen VITON-HD persons; quartiles 0.25-0.35, 0.20-0.27, 0.18-0.22, 0.15-0.19).
# At 0.2 all the way the old top's band above them (an old tee's shoulders lie where the
# real ones are) was left to the generator, a dark, grey or cyan haze between the neck and
# the drawn shoulders (5-10 % of the band over the line on five persons, now 0-5 %); as wide
# at the joint as at the neck, the band drew an old tee's square shoulders.
SHOULDER_TOP_AT = (0.0, 0.5, 0.85)
SHOULDER_TOP_HALF = (0.35, 0.3, 0.19)
STRAP_REACH = 0.6  # body units from the middle where the new top's sides are looked for
CHEST_ROUND = 2.0  # the chest's cylinder is this many times wider than the drawn part
NECK_SEAM = 0.06  # body units: open strips thinner than this along a neckline are not drawn
MIN_NECK_AREA = 0.02  # square body units of neck and chest worth drawing
CHIN_SHADOW = 0.3  # darkening of a drawn neck just under the chin, fading over
CHIN_SHADOW_REACH = 0.12  # ... this many body units (1/e) down the neck
NECK_SHADOW = 0.1  # darkening beside a neckline (a collar lies flat: little shadow)
NECKLINE_LEVEL = 1.0  # the drawn neck and chest's median shading, of their tone (the skin
# they continue): raised to a cylinder's median (0.94) like the arms, drawn chests were 5.5
# Lab lightness units (0-255 scale) darker than the real neck (median of 16 unseen try-ons,
# quartiles -11.5 / -0.5); real bare chests are as light (+1.0, quartiles -10 / +11, 59
# persons)
NECK_TONE_REACH = 0.2  # body units around the drawn neck and chest whose bare skin gives their tone
# A drawn tone darker than the lit face (Lab lightness) takes the lit face's colour
# (:func:`_lit_like_the_face`; lightened alone, a shaded tone kept its deeper colour and
# looked orange): a neck in a beard's or the chin's shadow made a V-neck's chest a dark brown
# plate, a hand in shade a camisole's arms, the arms' and neck's shadows a midriff. Measured
# against the lit face on unseen VITON-HD persons: real bare chests below the shoulder line
# 1.00 (quartiles 0.95 / 1.04, 40 persons), drawn ones 0.95 (0.89 / 0.97) before, 0.98
# (0.95 / 1.01) after (30 others, four low-necked tops); real bare upper arms 0.99
# (0.95 / 1.01, 23), drawn ones whose tone comes from the hand 0.93 (0.86 / 0.96) before,
# 0.96 (0.94 / 0.98) after (36, three sleeveless tops); real bare midriffs 0.97
# (0.96 / 1.01, 16), drawn ones under a crop top 0.86 (0.81 / 0.92) before, 0.93
# (0.90 / 0.94) after (25).
MIN_AREA = 0.05  # square body units: a smaller gap under a hem is the generator's to paint
# Trousers are told from the old top when a row of them spans this share of the hip
# landmarks' span: specks of them beside a hand and an arm (black shorts under a black tee)
# had counted, and the midriff under a crop top was drawn over the shorts' top.
WAISTBAND_SPAN = 0.8
WAISTBAND_PERCENTILE = 25  # of the trousers' first rows under the torso: their waistband's line
WAISTBAND_SLACK = 0.05  # body units the drawn midriff may reach below that line
SHORT_TOP = 0.25  # body units above the hips a new top's hem must end for a bare midriff
MIN_ARM_AREA = 0.03  # square body units of an arm's open part worth drawing
ROUNDNESS = 1.0  # exponent of the cylinder's (1 − r²) profile: 0.5 is a matte cylinder lit from the
# front (flat over most of its width, drawn arms looked cut from paper), 1 darkens it sooner
SHADE_EDGE = 0.75  # the brightness at a cylinder's sides (1 down its middle: the bare
# skin's own colour there). Real bare forearms in studio light are 0.80-0.98 as light in the
# outer 15 % of their width as in the middle (median 0.9); at 0.6 drawn ones were 0.71 there,
# brown tubes beside the real skin
# The torso's outline: half-widths from the shoulder joints' half-span at the shoulder line,
# in to WAIST times the hips' at WAIST_AT of the way down, out to the hips' (the hip
# landmarks' half-span, at least MIN_HIP_HALF body units, times HIP_OUTLINE: the joints lie
# inside the hips' outline). Tight tops on 5 unseen VITON-HD persons were 1.8-2.3 hip spans
# wide at the waist; at 1.4 (1.19 spans at the waist) a drawn midriff was a narrow box, its
# sides left to the generator, which blurred the old top's colours there.
WAIST_AT = 0.65
WAIST = 0.85
MIN_HIP_HALF = 0.3
HIP_OUTLINE = 1.8
BELOW_HIPS_AXIS = 0.5  # body units the torso's axis goes on below the hips
# An arm's half-widths, body units, at the shoulder joint, the elbow and the wrist (times
# the arm's own width where its bare skin shows, :func:`_own_width`).
ARM_HALF = (0.15, 0.11, 0.085)
# A drawn arm's width, of ARM_HALF at the shoulder, the elbow and the wrist (times the arm's
# own): bare upper arms measured across on 19 unseen VITON-HD persons were 0.76 and 0.81 of
# ARM_HALF at 0.3 and 0.5 of the way to the elbow, forearms 0.98 (drawn at ARM_HALF, the
# upper arms under a sleeveless top filled old tees' sleeves: shoulder pads of skin).
DRAWN_WIDTH = (0.8, 0.9, 1.0)
WIDTH_STATIONS = (0.3, 0.5, 0.7, 0.9)  # of each arm segment where its own width is measured
WIDTH_SEARCH = 2.0  # half-widths each side of the bone within which a bare run must end
WIDTH_BARE_SHARE = 0.7  # of a measured cross-section that must be bare skin
WIDTH_SNAP = 0.3  # half-widths: the person's outline this near beyond the bare skin's end
# ends the run (where both end the run, on 60 unseen VITON-HD persons, the bare skin alone
# gave 0.89 of the outline's width, snapped 1.00)
OFFSET_STEP = 0.5  # pixels between the points sampled across an arm
MIN_WIDTH_STATIONS = 2
WIDTH_SCALE = (0.7, 1.2)
MIN_VISIBILITY = 0.1  # of an elbow in the photo for its arm to be drawn (at 0.5 an arm
# half behind the body or hair, its elbow seen 0.13-0.47 on 27 of 448 VITON-HD persons, was
# left to the generator under a sleeveless top: 40-85 % of the upper arm a pale blur of the
# old sleeve; drawn where the person and the old top are, it is skin; unpaired KID 0.00754
# -> 0.00741, FID 83.5 -> 83.1, pairs unchanged)
# ... and of a wrist for its forearm: hands held behind the back or in pockets hide the wrist
# (visibility 0.05-0.3), not the forearm beside the body, which the generator painted in the
# new top's colour when it was not drawn; where the forearm goes behind the body the new
# top's panel covers it.
MIN_WRIST_VISIBILITY = 0.0
SLEEVE_WRIST_SEEN = 0.8  # a wrist's visibility from which its old sleeve over trousers is
# given back to the arm (arms behind the back have wrists seen 0.3-0.8)
SLEEVE_COLOUR_STEP = 20.0  # Lab units between an old sleeve's colour above and below the elbow
MIN_OPEN_SHARE = 0.3  # of a segment's outline the new top leaves open: less is not drawn
# (a seam beside a new sleeve is the generator's to paint; drawn at any share, VITON-HD pairs
# lost 0.002 SSIM; at 0.4 the upper arm below a short sleeve, 39 % of it, was left to the
# generator, which painted it in the new top's colour)
# Drawn even so, out of an old long sleeve: the upper arm's part within ELBOW_JOIN body units
# of the elbow, when at least MIN_ELBOW_JOIN square body units of it are open (it meets the
# forearm drawn below)
ELBOW_JOIN = 0.3
MIN_ELBOW_JOIN = 0.01
HAND_SAMPLE_REACH = 0.3  # body units around a wrist where its hand's skin colour is taken
MIN_HAND_SAMPLE = 0.01  # square body units of hand skin needed to take its colour
MIN_TONE_SAMPLE = 0.05  # square body units of bare skin (an arm's, or all) needed to take
# its colour for drawn skin, else the face's: a hand in the shade of a pocket (0.02) gave a
# pale person brown arms and neck
WRIST_OVERSHOOT = 0.1  # body units a drawn forearm goes on past the wrist landmark
SHOULDER_CAP = 0.15  # body units: the round of the shoulder drawn around its joint (the
# shoulder's top lies 0.14-0.16 above the joint on the 19 persons; 0.2 drew an old tee's
# square shoulder)
SLEEVED_SKIN = 0.3  # an arm segment less hinted as bare skin than this was in a sleeve
SLEEVED_HALF_SKIN = 0.1  # ... and a forearm whose half at the elbow is less hinted than this
SLEEVE_CORE = 0.6  # of an arm's drawn width about its bone where its sleeve is looked for
CUFF_BARE = 0.5  # of a slice across an arm hinted as bare skin: an old sleeve above ends there
SLEEVE_REACH = 0.26  # body units from a drawn arm's bone that its old sleeve may reach
HIPS_BELOW_TORSO = 1.0  # body units the hips' outline goes on down below the torso's, beside
# which (not on which) an old sleeve's extra width is wall
# The median brightness of the cylinder's shading over its width (at r = 0.5).
CYLINDER_MEDIAN = SHADE_EDGE + (1 - SHADE_EDGE) * (1 - 0.5 ** 2) ** ROUNDNESS
HEM_SHADOW = 0.35  # darkening of the skin just beside the new top's edge
ARM_HEM_SHADOW = 0.15  # ... beside a drawn arm (a sleeveless top's armhole runs along the
# whole upper arm, which came out a dark slab at the full darkening)
HEM_SHADOW_REACH = 0.08  # body units over which that shadow fades (1/e)
LIGHT_BLUR = 0.3  # body units: the blur that leaves only the photo's large-scale light
LIGHT_RANGE = (0.85, 1.1)  # how much darker or brighter that light may make drawn skin
GRAIN_SEED = 0
GRAIN_REACH = 0.5  # body units around drawn skin where the photo's grain is measured
OUTLINE_SMOOTH = 0.05  # body units: the Gaussian that smooths a drawn arm's outline
OUTLINE_REACH = 2  # pixels the smoothed outline may reach off the person
ACROSS_BINS = 12  # slices along an arm segment in which its drawn width is measured
MIN_SLICE_PIXELS = 4  # drawn pixels a slice needs for its width to count
# The light across drawn arms is the photo's own, measured on its bare arms
# (:func:`_light_across`): real bare arms on 120 unseen VITON-HD persons are lit from one side,
# one edge's Lab lightness 0.08 (upper arms) and 0.14 (forearms) of the middle's below the
# other's (medians over 65 and 141 arms; 0.16 and 0.22 at the 75th percentile), the lit edge
# 0.97-0.98 of the middle; the symmetric cylinder darkened both edges to 0.75 in RGB, a tube.
LIGHT_ACROSS_BINS = 8  # slices across a bare arm, edge to edge, whose lightness is measured
LIGHT_OUTLINE = 1.3  # times ARM_HALF: the outline in which a bare arm's skin is measured
MIN_LIGHT_ACROSS = 0.03  # square body units of bare arm skin needed to measure it
MIN_LIGHT_BIN = 10  # pixels a slice needs
LIGHT_ACROSS_RANGE = (0.6, 1.1)  # the shading taken from it is kept within this
# How skin's colour changes as it darkens: each RGB channel goes as the shading to this power
# (red falls slower and blue faster than the light: fitted in log-log on bare arms, 0.7-0.9 /
# 1.0-1.2 / 1.1-1.5 on five photos; fitted per photo, a hand's redder skin gave red arms).
# The shading multiplied all three alike and drawn skin turned grey in its shadows, like clay.
SKIN_RAMP = (0.8, 1.1, 1.3)


@dataclass(frozen=True)
class DrawnSkin:
    """``zone``: (H, W) bool, where bare skin is drawn; ``rgb``: (H, W, 3) uint8, the photo
    with the drawn skin in ``zone``; ``beyond``: (H, W) bool, the old sleeves' pixels beside
    drawn arms (a sleeve is wider than the arm in it: background shows there once it is
    gone), empty for a midriff."""

    zone: np.ndarray
    rgb: np.ndarray
    beyond: np.ndarray


def bare_midriff(photo: np.ndarray, pose: Pose, open_zone: np.ndarray, covered: np.ndarray,
                 bare: np.ndarray, face_tone: np.ndarray,
                 hem: np.ndarray, trousers: np.ndarray,
                 grain_cap: float = float("inf")) -> DrawnSkin | None:
    """Bare skin drawn on the torso where ``open_zone`` ((H, W) bool: the try-on region on
    the person that neither the new top covers nor a hint keeps) lies in the region's torso
    (:func:`~tryon.kinds.top.region.torso_zone`) below the chest (:data:`BELOW_SHOULDERS`),
    inside the torso's outline; None when that is less than :data:`MIN_AREA`, or when the
    new top is not short: its worn ``hem`` ((2,) xy, the middle of its fitted hem) less
    than :data:`SHORT_TOP` body units above the hips (a gap under a top of ordinary length
    is the fit's error, not bare skin). ``photo``: (H, W, 3) uint8 RGB; ``covered``: (H, W)
    bool, where the new top is; ``bare``: (H, W) bool, the bare skin the photo shows;
    ``face_tone``: (3,) RGB in [0, 255]. Without trousers (``trousers``: (H, W) bool, their
    hint; none are found unless a row of them spans :data:`WAISTBAND_SPAN` of the hip
    landmarks' span: none were told from the old top under it, white trousers under a cream
    top) the skin ends at a mid-rise waistband (:data:`~tryon.body.pose.WAIST_ABOVE_HIPS`),
    not at the region's end: it was drawn over the trousers' top as a tall beige box. With
    them it ends at their waistband's upper line (:func:`_waistband_line`): an old shirt's
    knotted tails hung over red jeans, and skin was drawn down them to the crotch. Its tone,
    the bare skin's median, is the lit face's colour when darker (:func:`_lit_like_the_face`);
    its grain no more than ``grain_cap`` (the face's skin's, :func:`_drawn`)."""
    height, width = open_zone.shape
    s = pose.unit_px
    torso = np.zeros((height, width), np.uint8)
    draw_polygon(torso, torso_zone(pose, s), 1)
    box = bbox_of_mask(open_zone & (torso > 0))
    if box is None:
        return None
    x0, y0, x1, y1 = box
    shoulders = pose.neck_base
    hips = pose.hips_middle
    down = pose.torso_down
    if float((hips - hem) @ down) < SHORT_TOP * s:
        return None
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    shoulder_half = pose.shoulder_width / 2
    hip_half = max(pose.hip_width / 2, MIN_HIP_HALF * s) * HIP_OUTLINE
    # The axis goes on below the hips, to the region's end and beyond.
    end = hips + down * BELOW_HIPS_AXIS * s
    at_hips = float(np.hypot(*(hips - shoulders))) / max(float(np.hypot(*(end - shoulders))),
                                                          1.0)
    depth, r = _cylinder(xs, ys, [shoulders, end],
                         lambda t: np.interp(t, [0.0, WAIST_AT * at_hips, at_hips, 1.0],
                                             [shoulder_half, WAIST * hip_half, hip_half,
                                              hip_half]))
    # Down to the region's torso's end, or the trousers' hint above it: as if the trousers
    # sat where the old top's hem hid them. Beside the body the generator paints.
    inside = (open_zone[y0:y1, x0:x1] & (torso[y0:y1, x0:x1] > 0)
              & (depth >= BELOW_SHOULDERS * s) & (r < 1))
    trousers_found = (bool(trousers.any())
                      and int(trousers.sum(axis=1).max()) >= WAISTBAND_SPAN * pose.hip_width)
    if not trousers_found:
        inside &= depth <= float(np.hypot(*(hips - shoulders))) - WAIST_ABOVE_HIPS * s
    else:
        line = _waistband_line(trousers, (x0, x1), s)
        if line is not None:
            inside &= ys < line
    if inside.sum() < MIN_AREA * s * s:
        return None
    # Shaded across the drawn width (the old top's outline cut the wide cylinder: only its
    # flat middle showed, a beige box).
    r = _across_drawn(xs, ys, [shoulders, end], inside, r)
    return _drawn(photo, box, inside, r, covered,
                  _lit_like_the_face(_tone(photo, bare, face_tone, s), face_tone), s,
                  ~open_zone, meet=bare, grain_cap=grain_cap)


def _waistband_line(trousers: np.ndarray, columns: tuple[int, int], s: float) -> float | None:
    """The row (photo y) of the trousers' waistband's upper line under the torso: the
    :data:`WAISTBAND_PERCENTILE` percentile of the first ``trousers`` ((H, W) bool) row of
    the columns ``columns`` (x0, x1) that have any, :data:`WAISTBAND_SLACK` body units
    lower (``s``: the body unit, pixels); None when none has. Something hanging over the
    trousers (a shirt's knotted tails) only lowers the first row of its own columns."""
    x0, x1 = columns
    window = trousers[:, x0:x1]
    worn = window.any(axis=0)
    if not worn.any():
        return None
    first = np.argmax(window[:, worn], axis=0)
    return float(np.percentile(first, WAISTBAND_PERCENTILE)) + WAISTBAND_SLACK * s


def bare_neckline(photo: np.ndarray, pose: Pose, open_zone: np.ndarray,
                  covered: np.ndarray, bare: np.ndarray, face_tone: np.ndarray,
                  chin: np.ndarray, sleeveless: bool = False,
                  meet: np.ndarray | None = None,
                  grain_cap: float = float("inf")) -> DrawnSkin | None:
    """Bare skin drawn on the neck and the chest above a new top's neckline where the old
    top covered them (a turtleneck or a crew neck under a new V-neck): ``open_zone`` pixels
    in the neck's column (chin to shoulders, :data:`NECK_HALF` body units wide each side,
    flaring to :data:`NECK_BASE_HALF` at its base)
    or on the torso from the shoulder line to :data:`BELOW_SHOULDERS` under it, within
    :data:`CHEST_HALF` of its middle, between the new top's two sides in its row (anywhere
    above a ``sleeveless`` top: a camisole's thin straps are not fitted beside the chest, and
    a strip of the old collar was left between the drawn neck and the drawn chest).
    Seams thinner than :data:`NECK_SEAM` body units (the fit's error along a neckline) are
    left to the generator, unless they lie between the drawn skin and the ``bare`` skin;
    None when less than :data:`MIN_NECK_AREA` remains. The generator painted such a neck
    as a dark blur of the old collar. Coloured like the bare skin near it
    (:data:`NECK_TONE_REACH`), or like the lit face (``face_tone``) when that is darker
    (:func:`_lit_like_the_face`). ``chin``: (2,) xy; ``meet``: (H, W) bool, the skin the
    drawn skin blends into at its edge (:func:`~tryon.compositing.seamless_offset`; the
    ``bare`` skin when None); the other arguments are :func:`bare_midriff`'s."""
    s = pose.unit_px
    p = pose.point
    neck_base = pose.neck_base
    down = pose.torso_down
    side = np.array([down[1], -down[0]]) * STRAP_REACH * s
    bottom = neck_base + down * BELOW_SHOULDERS * s
    window = _points_box(
        [chin, neck_base + side, neck_base - side, bottom + side, bottom - side],
        NECK_BASE_HALF * s, open_zone.shape)
    if window is None:
        return None
    wx0, wy0, wx1, wy1 = window
    ys, xs = np.mgrid[wy0:wy1, wx0:wx1].astype(np.float32)
    depth = (xs - neck_base[0]) * down[0] + (ys - neck_base[1]) * down[1]
    across = np.abs((xs - neck_base[0]) * down[1] - (ys - neck_base[1]) * down[0])
    _, r_neck = _cylinder(xs, ys, [chin, neck_base],
                          lambda t: (NECK_HALF + (NECK_BASE_HALF - NECK_HALF)
                                     * np.clip(t, 0, 1) ** 2) * s)
    # The chest inside the new top's neckline: with the top on both sides of it in its row
    # (a gap the fit leaves above the top's shoulders is the generator's to paint: drawn,
    # a striped top's shoulder became skin).
    rows = (depth >= 0) & (depth < BELOW_SHOULDERS * s)
    # Not on the upper arms: they are drawn as arms, in their own tone (drawn with the chest
    # beside a sleeveless top, each upper arm came out two-toned).
    upper_arms = np.zeros((wy1 - wy0, wx1 - wx0), np.uint8)
    for shoulder, elbow in ((L.LEFT_SHOULDER, L.LEFT_ELBOW), (L.RIGHT_SHOULDER, L.RIGHT_ELBOW)):
        draw_polygon(upper_arms, _outline([p(shoulder), p(elbow)],
                                          [ARM_HALF[0] * DRAWN_WIDTH[0] * s,
                                           ARM_HALF[1] * DRAWN_WIDTH[1] * s])
                     - np.array([wx0, wy0]), 1)
    chest = rows & (across < CHEST_HALF * s) & (upper_arms == 0)
    # The top's sides may be straps beside the chest's width (a tank top's).
    top = covered[wy0:wy1, wx0:wx1] & rows & (across < STRAP_REACH * s)
    left_of = np.maximum.accumulate(top, axis=1)
    right_of = np.maximum.accumulate(top[:, ::-1], axis=1)[:, ::-1]
    inside = chest if sleeveless else chest & left_of & right_of
    open_window = open_zone[wy0:wy1, wx0:wx1]
    size = max(3, int(round(NECK_SEAM * s)) | 1)
    chest_open = cv2.morphologyEx((open_window & inside).astype(np.uint8), cv2.MORPH_OPEN,
                                  cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)))
    # ... and the chest above it in its columns, up to the shoulder line: a wide neckline
    # has no top beside it there (an off-the-shoulder dress's sides are its sleeves, lower),
    # and a band left to the generator between the drawn neck and chest showed as a seam.
    chest_open = chest_open > 0
    above_chest = np.maximum.accumulate(chest_open[::-1], axis=0)[::-1]
    # ... and the neck above it, up to the chin, whole: an old collar is a thin ring.
    wanted = open_window & (chest_open | (above_chest & chest)
                            | ((r_neck < 1) & (depth < 0)))
    # ... and the open slivers between it and the bare skin beside it, which the seam's
    # opening took off (a lace trim's scallops between a V's bare skin and the drawn chest
    # were left to the generator, dark lines on the chest).
    wanted |= open_window & close_disc(wanted | bare[wy0:wy1, wx0:wx1], size // 2 + 1)
    if sleeveless:
        # ... and the tops of the shoulders from the neck to the arms, which a sleeveless top
        # leaves bare (left to the generator, a soft brown blob joined neck and arm).
        # Sloping down from the neck to the joint, round there (a band as wide at the joint
        # as at the neck drew an old tee's square shoulders).
        tops = np.zeros((wy1 - wy0, wx1 - wx0), np.uint8)
        corner = np.array([wx0, wy0])
        for shoulder in (L.LEFT_SHOULDER, L.RIGHT_SHOULDER):
            joint = p(shoulder) - corner
            base = neck_base - corner
            stations = [base + t * (joint - base) for t in SHOULDER_TOP_AT] + [joint]
            draw_polygon(tops, _outline(stations, [h * s for h in SHOULDER_TOP_HALF]
                                        + [SHOULDER_CAP * s]), 1)
            draw_capsule(tops, joint, joint, SHOULDER_CAP * s, 1)
        wanted |= open_window & (tops > 0) & (depth < 0) & (upper_arms == 0)
    box = bbox_of_mask(wanted)
    if box is None or wanted.sum() < MIN_NECK_AREA * s * s:
        return None
    bx0, by0, bx1, by1 = box
    x0, y0, x1, y1 = bx0 + wx0, by0 + wy0, bx1 + wx0, by1 + wy0
    # Round across the body: bright down its middle; the neck round across itself near the
    # chin, turning into the chest's wide round at its base (across the chest's width only,
    # the neck came out a flat box).
    r = across[by0:by1, bx0:bx1] / (CHEST_HALF * s * CHEST_ROUND)
    neck_length = max(float(np.hypot(*(neck_base - chin))), 1.0)
    neckness = np.clip(-depth[by0:by1, bx0:bx1] / neck_length, 0, 1)
    r = r + (np.minimum(r_neck[by0:by1, bx0:bx1], 1) - r) * neckness
    # In the chin's shadow just under it (drawn lit, the neck looked pasted under the face).
    below_chin = np.maximum(neck_length + depth[by0:by1, bx0:bx1], 0)
    chin_shadow = 1 - CHIN_SHADOW * np.exp(-below_chin / max(CHIN_SHADOW_REACH * s, 1.0))
    # Coloured like the bare skin it continues (the neck above, the chest beside): the
    # median of all bare skin, mostly the arms', left a darker patch in a lit neckline, and
    # so did the bare skin in the drawn part's box, whose tanned shoulders and arms outweighed
    # a pale neck.
    tone = _tone(photo, bare & _around(wanted, (wx0, wy0), bare.shape, NECK_TONE_REACH * s),
                 _tone(photo, bare, face_tone, s), s)
    return _drawn(photo, (x0, y0, x1, y1), wanted[by0:by1, bx0:bx1], r, covered,
                  _lit_like_the_face(tone, face_tone), s, ~open_zone,
                  NECK_SHADOW, meet=bare if meet is None else meet, light=chin_shadow,
                  level=NECKLINE_LEVEL, grain_cap=grain_cap)


def _lit_like_the_face(tone: np.ndarray, face_lit: np.ndarray) -> np.ndarray:
    """(3,) float32 RGB: ``tone`` ((3,) RGB in [0, 255]), or the lit face's colour
    (``face_lit``, (3,) RGB) when ``tone`` is darker than it in Lab lightness."""
    def lightness(rgb: np.ndarray) -> float:
        return float(cv2.cvtColor(np.asarray(rgb, np.float32).reshape(1, 1, 3) / 255.0,
                                  cv2.COLOR_RGB2LAB)[0, 0, 0])
    darker = lightness(tone) < lightness(face_lit)
    return np.asarray(face_lit if darker else tone, np.float32)


def bare_arms(photo: np.ndarray, pose: Pose, open_zone: np.ndarray, covered: np.ndarray,
              bare: np.ndarray, face_tone: np.ndarray,
              person: np.ndarray, hands: np.ndarray | None = None,
              grain_cap: float = float("inf")) -> DrawnSkin | None:
    """Bare arms drawn where an old sleeve covered them: each arm segment (shoulder to elbow,
    elbow to wrist; left out when its far end is not visible) whose outline (half-widths
    :data:`ARM_HALF`) on the ``person`` ((H, W) bool) is less than :data:`SLEEVED_SKIN`
    ``bare`` skin (the region's skin hints) is drawn where ``open_zone`` lies inside it.
    Loosely skin-coloured pixels once decided it: a beige hoodie's sleeves passed for bare
    arms, none were drawn, and the generator painted the whole sleeve skin-coloured; on 20
    VITON-HD persons six short or long sleeves were missed the same way. A bare arm is not
    drawn over: its skin is the photo's (hinted, or painted by the generator where a hint
    missed it; drawn strips between hinted ones were patchwork). None when less than
    :data:`MIN_ARM_AREA` is drawn. Each arm takes the colour of its own bare skin (a
    forearm below a short old sleeve) when enough of it shows (a hand in a pocket gave a
    darker upper arm above a lighter real forearm), else of its hand's skin near the wrist
    (``hands``: (H, W) bool, the hands' skin pixels), so the drawn arm meets the real skin
    without a seam (the bare skin's median is mostly the neck's, lit differently), the lit
    face's colour when that is darker (:func:`_lit_like_the_face`). The
    other arguments are :func:`bare_midriff`'s."""
    s = pose.unit_px
    zone = np.zeros(open_zone.shape, bool)
    sleeves = np.zeros(open_zone.shape, np.uint8)
    distance = np.full(open_zone.shape, 2.0, np.float32)
    tone = _tone(photo, bare, face_tone, s)
    tones = np.zeros(open_zone.shape + (3,), np.float32)
    # Where across its arm each drawn pixel lies (:func:`_across_signed`, :func:`_across_cap`).
    across = np.full(open_zone.shape, np.nan, np.float32)
    neck_base = pose.neck_base
    for shoulder, elbow, wrist in ARM_JOINTS:
        chain = [pose.point(shoulder), pose.point(elbow), pose.point(wrist)]
        drawn_before = zone.copy()
        halves = [h * s for h in ARM_HALF]
        own = _own_width(bare, person, chain, halves)
        upper_drawn = False
        for i, end in ((0, elbow), (1, wrist)):
            # An elbow out of the photo (a selfie's arms leave it at the bottom or sides) is
            # where the pose guesses it, seen or not: the upper arm is drawn towards it.
            if not (pose.visible(end, MIN_VISIBILITY if i == 0 else MIN_WRIST_VISIBILITY)
                    or (i == 0 and not in_photo(chain[1], open_zone.shape))):
                break
            segment, seg_halves = chain[i:i + 2], halves[i:i + 2]
            if i == 1:  # on past the wrist landmark over the old cuff, up to the hand
                segment = [segment[0], segment[1] + unit(segment[1] - segment[0])
                           * WRIST_OVERSHOOT * s]
            if i == 0:
                # Judged on the upper arm's half at the shoulder: a short old sleeve covers
                # only that, and the bare half below made the whole segment count as bare
                # (the sleeve's part was left to the generator: a pale blob).
                if not _sleeved(bare, person, *_upper_half(segment, seg_halves)):
                    # ... and a shorter one (a flutter or cap sleeve) from the shoulder down
                    # to where the bare arm begins: left to the generator under a camisole,
                    # it was a pale blur below a drawn shoulder's flat plate.
                    cap = _sleeve_end(bare, person, segment, seg_halves)
                    if cap is None:
                        continue
                    segment, seg_halves = cap
            elif not _forearm_sleeved(bare, person, segment, seg_halves):
                # A three-quarter sleeve's cuff below a drawn upper arm, down to where the
                # bare forearm begins (left to the generator, it stayed a white band).
                cuff = _sleeve_end(bare, person, segment, seg_halves) if upper_drawn else None
                if cuff is None:
                    continue
                segment, seg_halves = cuff
            on_arm = _on_arm(person, segment, seg_halves)
            open_here = open_zone
            if open_zone[on_arm].mean() < MIN_OPEN_SHARE:
                if i == 1 or not _forearm_sleeved(bare, person, chain[1:], halves[1:]):
                    continue  # the new sleeve covers it but for a seam: the generator's
                # Under a short new sleeve, out of an old long one, the upper arm's bit
                # above the elbow meets the forearm drawn below it (the generator smeared it
                # grey and white).
                open_here = open_zone & _near(segment[1], ELBOW_JOIN * s, open_zone.shape)
                if open_here[on_arm].sum() < MIN_ELBOW_JOIN * s * s:
                    continue
            # Drawn as wide as the arm's own bare skin shows it (judged on the usual width).
            drawn_halves = [h * own * f for h, f in zip(seg_halves, DRAWN_WIDTH[i:i + 2],
                                                        strict=True)]
            # Round at the elbow: the outline carried a half-width past the joint (with
            # ``r`` < 1 below, a half disc), so the upper arm and the forearm, each
            # smoothed on its own, join without a notch (a 5-pixel step in a drawn arm's
            # outer edge at the elbow, and a seam across it).
            reach = unit(segment[1] - segment[0]) * drawn_halves[1 - i]
            capped = ([segment[0], segment[1] + reach] if i == 0
                      else [segment[0] - reach, segment[1]])
            on_arm = _on_arm(person, capped, drawn_halves)
            box = bbox_of_mask(on_arm & open_here)
            if box is None:
                continue
            x0, y0, x1, y1 = box
            ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
            _, r = _cylinder(xs, ys, segment,
                             lambda t, h=drawn_halves: np.interp(t, [0.0, 1.0], h))
            # Smoothed, it may go a little off the person's jagged outline, not onto the top.
            core = on_arm[y0:y1, x0:x1] & (r < 1)
            beside = dilate_disc(core, OUTLINE_REACH) & ~(person | covered)[y0:y1, x0:x1]
            inside = _smoothed(core, s) & (open_here[y0:y1, x0:x1] | beside)
            signed = _across_signed(xs, ys, segment, inside)
            if signed is not None:
                r = np.abs(signed)
                window = across[y0:y1, x0:x1]
                across[y0:y1, x0:x1] = np.where(inside, np.clip(signed, -1, 1), window)
            zone[y0:y1, x0:x1] |= inside
            upper_drawn = upper_drawn or i == 0
            draw_polygon(sleeves, _outline(segment, [SLEEVE_REACH * s] * 2), 1)
            window = distance[y0:y1, x0:x1]
            distance[y0:y1, x0:x1] = np.where(inside, np.minimum(window, r), window)
            if i == 0 and open_here is open_zone:  # not under a short new sleeve
                _shoulder_cap(chain[0], unit(chain[0] - neck_base), SHOULDER_CAP * s * own,
                              person & open_zone, zone, distance)
                _across_cap(zone, across, segment, drawn_halves[0])
        arm_skin = bare & _on_arm(person, chain, halves)
        tones[zone & ~drawn_before] = (
            lit_median(photo[arm_skin]) if arm_skin.sum() >= MIN_TONE_SAMPLE * s * s
            else _lit_like_the_face(_hand_tone(photo, hands, chain[2], s, tone), face_tone))
    box = bbox_of_mask(zone)
    if box is None or zone.sum() < MIN_ARM_AREA * s * s:
        return None
    x0, y0, x1, y1 = box
    # Lit across as the photo's bare arms are, where they show (else the cylinder).
    light = _light_across(photo, bare, person, pose)
    shading = None
    if light is not None:
        centres = 1 - (np.arange(LIGHT_ACROSS_BINS) + 0.5) * 2 / LIGHT_ACROSS_BINS
        factors = _shading_for(light, tone)
        shading = np.interp(across[y0:y1, x0:x1], centres[::-1], factors[::-1]).astype(
            np.float32)
        shading[np.isnan(across[y0:y1, x0:x1])] = np.nan
    drawn = _drawn(photo, box, zone[y0:y1, x0:x1], distance[y0:y1, x0:x1], covered,
                   tones[y0:y1, x0:x1], s, ~open_zone, ARM_HEM_SHADOW,
                   meet=bare if hands is None else bare | hands, shading=shading,
                   grain_cap=grain_cap)
    # Off the torso: beside it a sleeve's extra width is wall; on it, the body (painted).
    torso = np.zeros(open_zone.shape, np.uint8)
    draw_polygon(torso, _torso_and_hips(pose, s), 1)
    beyond = (sleeves > 0) & open_zone & ~zone & (torso == 0)
    # With it the gap the region leaves unhinted around the person's outline there (else
    # the generator traced the old sleeve's outline beside the drawn arm).
    fringe = dilate_disc(person, BACKGROUND_GAP) & ~person & ~covered
    beyond |= (sleeves > 0) & fringe & (torso == 0)
    return DrawnSkin(zone=drawn.zone, rgb=drawn.rgb, beyond=beyond)


def _torso_and_hips(pose: Pose, s: float) -> np.ndarray:
    """(6, 2) xy polygon: the torso (:func:`~tryon.body.regions.torso_polygon`) going on
    down at its hips' width for :data:`HIPS_BELOW_TORSO` body units along the torso's down:
    the hips and thighs beside hanging hands (``s``: the body unit, pixels). A wide sleeve
    hanging over a skirt's side was taken for wall there, and white boxes were filled in
    between the drawn forearm and the skirt."""
    shoulder_left, shoulder_right, hip_right, hip_left = torso_polygon(pose, s)
    down = pose.torso_down * HIPS_BELOW_TORSO * s
    return np.array([shoulder_left, shoulder_right, hip_right, hip_right + down,
                     hip_left + down, hip_left])


def sleeves_over_trousers(photo: np.ndarray, pose: Pose, trousers: np.ndarray,
                          bare: np.ndarray, person: np.ndarray) -> np.ndarray:
    """(H, W) bool: the ``trousers`` ((H, W) bool, the trousers told by colour) in the
    outline of a forearm (elbow to wrist and :data:`WRIST_OVERSHOOT` past it, half-widths
    :data:`ARM_HALF`) that is in the old top's long sleeve: the wrist seen
    (:data:`SLEEVE_WRIST_SEEN`), the upper arm and the forearm in a sleeve
    (:func:`_sleeved`, :func:`_forearm_sleeved` on the ``bare`` skin, (H, W) bool, and the
    ``person``) of one colour down both (their outlines' median Lab colours within
    :data:`SLEEVE_COLOUR_STEP`; ``photo``: (H, W, 3) uint8 RGB), when those trousers are
    of that colour (their median within as much of the forearm's). Such a sleeve hanging over
    trousers of its colour (a black top over black trousers) joined them and was kept as
    trousers: a black forearm beside a new halter top's bare arm. Given back to the bare arm
    (:func:`bare_arms`). A forearm behind the body or a bare one that the hint missed
    (its outline then over the trousers, or the sleeve's colour stopping at the elbow) keeps
    the trousers: drawn there, arms appeared in front of skirts."""
    s = pose.unit_px
    out = np.zeros_like(trousers)
    for shoulder, elbow, wrist in ARM_JOINTS:
        if not (pose.visible(elbow, MIN_VISIBILITY) and pose.visible(wrist, SLEEVE_WRIST_SEEN)):
            continue
        top, start, end = pose.point(shoulder), pose.point(elbow), pose.point(wrist)
        forearm = [start, end + unit(end - start) * WRIST_OVERSHOOT * s]
        upper_halves = [h * s for h in ARM_HALF[:2]]
        forearm_halves = [h * s for h in ARM_HALF[1:]]
        if not (_sleeved(bare, person, [top, start], upper_halves)
                and _forearm_sleeved(bare, person, forearm, forearm_halves)):
            continue
        colours = [_outline_colour(photo, person, segment, halves)
                   for segment, halves in (([top, start], upper_halves),
                                           (forearm, forearm_halves))]
        if (colours[0] is None or colours[1] is None
                or float(np.linalg.norm(colours[0] - colours[1])) > SLEEVE_COLOUR_STEP):
            continue
        # The arm's own outline only (its old sleeve's width beside it stays trousers: as
        # the sleeve's extra width, off the torso, it was filled in with the wall over them).
        on_arm = np.zeros(trousers.shape, np.uint8)
        draw_polygon(on_arm, _outline(forearm, forearm_halves), 1)
        taken = trousers & (on_arm > 0)
        if not taken.any():
            continue
        # ... when they are the sleeve's colour (trousers of another colour under a printed
        # sleeve are the trousers; a lace cuff's pixels one by one left specks).
        if float(np.linalg.norm(_median_lab(photo, taken) - colours[1])) <= SLEEVE_COLOUR_STEP:
            out |= taken
    return out


def _outline_colour(photo: np.ndarray, person: np.ndarray, segment: list[np.ndarray],
                    halves: list[float]) -> np.ndarray | None:
    """(3,) float32: the median Lab colour (:func:`_median_lab`) of ``photo``'s pixels in
    the outline of ``segment`` (two (2,) xy points, half-widths ``halves`` pixels) on the
    ``person`` ((H, W) bool), or None when none is."""
    on_arm = _on_arm(person, segment, halves)
    return _median_lab(photo, on_arm) if on_arm.any() else None


def _median_lab(photo: np.ndarray, where: np.ndarray) -> np.ndarray:
    """(3,) float32: the median Lab colour (OpenCV's 8-bit scale) of ``photo``'s ((H, W, 3)
    uint8 RGB) pixels under ``where`` ((H, W) bool, not empty)."""
    return np.median(lab_values(photo, where), axis=0)


def _upper_half(segment: list[np.ndarray], halves: list[float]) -> tuple[
        list[np.ndarray], list[float]]:
    """The half of an arm ``segment`` (two (2,) xy points, half-widths ``halves`` pixels)
    at its first point, with its half-widths."""
    middle = (segment[0] + segment[1]) / 2
    return [segment[0], middle], [halves[0], (halves[0] + halves[1]) / 2]


def _forearm_sleeved(bare: np.ndarray, person: np.ndarray, forearm: list[np.ndarray],
                     halves: list[float]) -> bool:
    """Whether the ``forearm`` (elbow and wrist, or past it, (2,) xy each; half-widths
    ``halves`` pixels) was in a sleeve (:func:`_sleeved`), or its half at the elbow was, with
    less than :data:`SLEEVED_HALF_SKIN` of it bare: a three-quarter sleeve covers that half,
    and the bare half below made the whole forearm count as bare (the elbows between a new
    short sleeve and the bare skin were left to the generator, which lost them into the
    wall). A bare forearm hinted in patches (a quarter of its half at the elbow, in shade)
    is not sleeved."""
    elbow_half = _upper_half(forearm, halves)
    return (_sleeved(bare, person, forearm, halves)
            or _sleeved(bare, person, *elbow_half, share=SLEEVED_HALF_SKIN))


def _own_width(bare: np.ndarray, person: np.ndarray, chain: list[np.ndarray],
               halves: list[float]) -> float:
    """An arm's own width relative to :data:`ARM_HALF`: the median, over cross-sections at
    :data:`WIDTH_STATIONS` of each segment of ``chain`` (shoulder, elbow, wrist; (2,) xy
    each; half-widths ``halves`` pixels there), of the width of the run of ``bare`` skin
    ((H, W) bool) on the ``person`` ((H, W) bool) across the bone over the width the outline
    has there, where the bone is bare, the run ends inside :data:`WIDTH_SEARCH` half-widths on
    both sides, each end moved out to the person's outline when that lies within
    :data:`WIDTH_SNAP` half-widths beyond it, and is at least :data:`WIDTH_BARE_SHARE`
    bare; clipped to :data:`WIDTH_SCALE`, and 1 with fewer than :data:`MIN_WIDTH_STATIONS`
    measured. A slim woman's upper arms (0.18 units wide below a tee's sleeves) were drawn
    0.3 wide under a sleeveless top, as wide as the old sleeves: shoulder pads of skin; the
    run once had to end at the person's outline on both sides, and an arm hanging against
    the body (every arm of four persons in tees tried on with sleeveless tops) was never
    measured."""
    height, width = bare.shape
    ratios = []
    for i in range(2):
        a, b = chain[i], chain[i + 1]
        length = float(np.hypot(*(b - a)))
        if length < 1.0:
            continue
        normal = np.array([-(b - a)[1], (b - a)[0]]) / length
        for t in WIDTH_STATIONS:
            half = halves[i] + t * (halves[i + 1] - halves[i])
            centre = a + t * (b - a)
            reach = WIDTH_SEARCH * half
            offsets = np.arange(-reach, reach + OFFSET_STEP, OFFSET_STEP)
            xs = np.round(centre[0] + offsets * normal[0]).astype(int)
            ys = np.round(centre[1] + offsets * normal[1]).astype(int)
            if xs.min() < 0 or ys.min() < 0 or xs.max() >= width or ys.max() >= height:
                continue
            middle = len(offsets) // 2
            if not bare[ys[middle], xs[middle]]:
                continue
            # The run ends where the bare skin does (an arm against the body meets the old
            # top there), or at the person's outline just beyond (the hint stops short of
            # the arm's soft edge against the wall).
            ends = np.flatnonzero(~(bare & person)[ys, xs])
            left, right = ends[ends < middle], ends[ends > middle]
            if left.size == 0 or right.size == 0:
                continue
            start, stop = left[-1], right[0]
            outside = np.flatnonzero(~person[ys, xs])
            snap = WIDTH_SNAP * half / OFFSET_STEP
            before, after = outside[outside < middle], outside[outside > middle]
            if before.size and start - before[-1] <= snap:
                start = before[-1]
            if after.size and after[0] - stop <= snap:
                stop = after[0]
            run = slice(start + 1, stop)
            if bare[ys[run], xs[run]].mean() < WIDTH_BARE_SHARE:
                continue
            ratios.append((offsets[stop] - offsets[start]) / (2 * half))
    if len(ratios) < MIN_WIDTH_STATIONS:
        return 1.0
    return float(np.clip(np.median(ratios), *WIDTH_SCALE))


def _sleeve_end(bare: np.ndarray, person: np.ndarray, segment: list[np.ndarray],
                halves: list[float]) -> tuple[list[np.ndarray], list[float]] | None:
    """The part of a mostly bare arm ``segment`` (two (2,) xy points from the shoulder or
    the elbow, half-widths ``halves`` pixels) that an old sleeve still covers at its start:
    from there through the first of :data:`ACROSS_BINS` slices along it whose outline on the
    ``person`` ((H, W) bool) is at least :data:`CUFF_BARE` ``bare`` skin ((H, W) bool), with
    its half-widths; None when the first slice already is, or none is."""
    a, b = segment
    on_arm = _on_arm(person, segment, halves)
    ys, xs = np.nonzero(on_arm)
    if xs.size == 0:
        return None
    length = max(float(np.hypot(*(b - a))), 1.0)
    along = ((xs - a[0]) * (b - a)[0] + (ys - a[1]) * (b - a)[1]) / length ** 2
    slices = np.clip((along * ACROSS_BINS).astype(int), 0, ACROSS_BINS - 1)
    skin = bare[ys, xs]
    for k in range(ACROSS_BINS):
        in_slice = slices == k
        if in_slice.sum() >= MIN_SLICE_PIXELS and skin[in_slice].mean() >= CUFF_BARE:
            if k == 0:
                return None
            # Through that slice: the cuff's hem lies in it (only its open pixels are drawn).
            t = (k + 1) / ACROSS_BINS
            return [a, a + t * (b - a)], [halves[0], halves[0] + t * (halves[1] - halves[0])]
    return None


def _sleeved(bare: np.ndarray, person: np.ndarray, segment: list[np.ndarray],
             halves: list[float], share: float = SLEEVED_SKIN) -> bool:
    """Whether the arm ``segment`` (two (2,) xy points, half-widths ``halves`` pixels) was in
    a sleeve: less than ``share`` of its core (:data:`SLEEVE_CORE` of its outline's width)
    on the ``person`` ((H, W) bool) is ``bare`` skin ((H, W) bool). The whole outline of a
    thin arm turned sideways lay half on the old top's side, and the bare arm was judged
    sleeved and drawn over."""
    on_arm = _on_arm(person, segment, [SLEEVE_CORE * half for half in halves])
    return bool(on_arm.any()) and float(bare[on_arm].mean()) < share


def _on_arm(person: np.ndarray, segment: list[np.ndarray], halves: list[float]) -> np.ndarray:
    """(H, W) bool: the ``person`` ((H, W) bool) in the outline of the arm ``segment`` (two
    (2,) xy points, half-widths ``halves`` pixels)."""
    outline = np.zeros(person.shape, np.uint8)
    draw_polygon(outline, _outline(segment, halves), 1)
    return (outline > 0) & person


def _near(point: np.ndarray, radius: float, shape: tuple[int, int]) -> np.ndarray:
    """(H, W) bool of ``shape``: the disc of ``radius`` pixels about ``point`` ((2,) xy)."""
    disc = np.zeros(shape, np.uint8)
    cv2.circle(disc, (int(round(point[0])), int(round(point[1]))), max(1, int(round(radius))),
               1, -1)
    return disc > 0


def _points_box(points: list[np.ndarray], margin: float,
                shape: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) half-open pixels: the box around ``points`` ((2,) xy each) grown by
    ``margin`` pixels, clipped to ``shape`` (H, W); None when nothing of it is inside."""
    xy = np.array(points)
    box = (int(np.floor(xy[:, 0].min())), int(np.floor(xy[:, 1].min())),
           int(np.ceil(xy[:, 0].max())) + 1, int(np.ceil(xy[:, 1].max())) + 1)
    x0, y0, x1, y1 = crop_box(box, int(np.ceil(margin)), shape[1], shape[0])
    return None if x1 <= x0 or y1 <= y0 else (x0, y0, x1, y1)


def _around(part: np.ndarray, origin: tuple[int, int], shape: tuple[int, int],
            reach: float) -> np.ndarray:
    """(H, W) bool of ``shape``: the pixels within ``reach`` pixels of ``part`` ((h, w) bool
    whose top-left pixel is at ``origin`` (x, y) of the photo)."""
    x0, y0 = origin
    pad = int(np.ceil(reach))
    height, width = shape
    gx0, gy0 = max(0, x0 - pad), max(0, y0 - pad)
    gx1 = min(width, x0 + part.shape[1] + pad)
    gy1 = min(height, y0 + part.shape[0] + pad)
    grown = np.zeros((gy1 - gy0, gx1 - gx0), np.uint8)
    grown[y0 - gy0:y0 - gy0 + part.shape[0], x0 - gx0:x0 - gx0 + part.shape[1]] = part
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * pad + 1, 2 * pad + 1))
    out = np.zeros(shape, bool)
    out[gy0:gy1, gx0:gx1] = cv2.dilate(grown, kernel) > 0
    return out


def _smoothed(mask: np.ndarray, s: float) -> np.ndarray:
    """``mask`` ((h, w) bool) with its outline smoothed over :data:`OUTLINE_SMOOTH` body
    units: a drawn arm followed the person mask's outline, stair-stepped where the
    segmentation was upsampled, and looked cut out."""
    sigma = max(0.5, OUTLINE_SMOOTH * s)
    return cv2.GaussianBlur(mask.astype(np.float32), (0, 0), sigma) >= 0.5


def _across_drawn(xs: np.ndarray, ys: np.ndarray, segment: list[np.ndarray],
                  inside: np.ndarray, outline_r: np.ndarray) -> np.ndarray:
    """(h, w) float32: for pixels ``xs``/``ys`` ((h, w)) of the segment's window, how far
    across the drawn arm (``inside`` (h, w) bool) each lies, 0 on its middle line and 1 on
    its edge, measured in :data:`ACROSS_BINS` slices along the bone ``segment`` (two (2,) xy
    points, :func:`_across_signed` without its sign); ``outline_r`` (the same relative to
    the drawn outline) when no slice has :data:`MIN_SLICE_PIXELS` of it. An arm cut by a
    narrower old sleeve's outline took the cylinder's shading of a wider one: only its
    bright middle showed, and it looked flat."""
    signed = _across_signed(xs, ys, segment, inside)
    return outline_r if signed is None else np.abs(signed)


def _across_signed(xs: np.ndarray, ys: np.ndarray, segment: list[np.ndarray],
                   inside: np.ndarray) -> np.ndarray | None:
    """(h, w) float32: for pixels ``xs``/``ys`` ((h, w)) of the segment's window, where
    across the drawn arm (``inside`` (h, w) bool) each lies, 0 on its middle line, -1 on its
    edge towards the photo's right (and, for an arm held level, its bottom), +1 on the edge
    towards its left (top), the same way for every arm, so that light from one side of the
    photo falls on the same side of each; the edges measured in :data:`ACROSS_BINS` slices
    along the bone ``segment`` (two (2,) xy points) and interpolated between the slices'
    middles (stepped, the shading showed their edges). None when no slice has
    :data:`MIN_SLICE_PIXELS` pixels of ``inside``."""
    a, b = segment
    axis = unit(b - a)
    normal = _leftward_normal(axis)
    length = max(float(np.hypot(*(b - a))), 1.0)
    along = ((xs - a[0]) * axis[0] + (ys - a[1]) * axis[1]) / length
    offset = (xs - a[0]) * normal[0] + (ys - a[1]) * normal[1]
    slices = np.clip((along * ACROSS_BINS).astype(int), 0, ACROSS_BINS - 1)
    low = np.full(ACROSS_BINS, np.nan, np.float32)
    high = np.full(ACROSS_BINS, np.nan, np.float32)
    for k in range(ACROSS_BINS):
        values = offset[inside & (slices == k)]
        if values.size >= MIN_SLICE_PIXELS:
            low[k], high[k] = values.min(), values.max()
    filled = ~np.isnan(low)
    if not filled.any():
        return None
    ks = np.arange(ACROSS_BINS)
    low = np.interp(ks, ks[filled], low[filled])
    high = np.interp(ks, ks[filled], high[filled])
    position = np.clip(along * ACROSS_BINS - 0.5, 0, ACROSS_BINS - 1)
    centre = np.interp(position, ks, (low + high) / 2)
    half = np.interp(position, ks, (high - low) / 2)
    return ((offset - centre) / np.maximum(half, 1.0)).astype(np.float32)


def _leftward_normal(axis: np.ndarray) -> np.ndarray:
    """(2,) xy: the unit normal of the unit ``axis`` ((2,) xy) pointing towards the photo's
    left, or its top where the axis is level."""
    normal = perpendicular(axis)
    return -normal if normal[0] > 0 or (normal[0] == 0 and normal[1] > 0) else normal


def _across_cap(zone: np.ndarray, across: np.ndarray, segment: list[np.ndarray],
                half: float) -> None:
    """Fill ``across`` ((H, W) float32, in place) where it is NaN on ``zone`` ((H, W) bool: a
    shoulder's cap) with the signed offset across the upper arm's bone ``segment`` (two (2,)
    xy points, from the shoulder) relative to its drawn ``half``-width at the shoulder
    (pixels), clipped to [-1, 1], as :func:`_across_signed` orients it: the cap is lit as
    the arm below it (shaded as a dome, a seam ran across the arm where they met)."""
    box = bbox_of_mask(zone & np.isnan(across))
    if box is None:
        return
    x0, y0, x1, y1 = box
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    normal = _leftward_normal(unit(segment[1] - segment[0]))
    offset = ((xs - segment[0][0]) * normal[0] + (ys - segment[0][1]) * normal[1]) / max(half, 1.0)
    window = across[y0:y1, x0:x1]
    fill = zone[y0:y1, x0:x1] & np.isnan(window)
    across[y0:y1, x0:x1] = np.where(fill, np.clip(offset, -1, 1), window)


def _light_across(photo: np.ndarray, bare: np.ndarray, person: np.ndarray, pose: Pose,
                  ) -> np.ndarray | None:
    """(:data:`LIGHT_ACROSS_BINS`,) float32: the Lab lightness of the photo's bare arms in
    slices across them (:func:`_across_signed`, from +1 to -1), relative to their two middle
    slices: how the photo's light falls across an arm. Measured on the ``bare`` skin
    ((H, W) bool) in each arm segment's outline (:data:`ARM_HALF` times
    :data:`LIGHT_OUTLINE`, on the ``person``, (H, W) bool) of ``photo`` ((H, W, 3) uint8
    RGB); None with less than :data:`MIN_LIGHT_ACROSS` square body units of it or a slice
    with fewer than :data:`MIN_LIGHT_BIN` pixels."""
    s = pose.unit_px
    positions, lightness = [], []
    for shoulder, elbow, wrist in ARM_JOINTS:
        chain = [pose.point(shoulder), pose.point(elbow), pose.point(wrist)]
        halves = [h * s * LIGHT_OUTLINE for h in ARM_HALF]
        for i in range(2):
            segment = chain[i:i + 2]
            on_arm = _on_arm(person, segment, halves[i:i + 2]) & bare
            box = bbox_of_mask(on_arm)
            if box is None:
                continue
            x0, y0, x1, y1 = box
            ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
            inside = on_arm[y0:y1, x0:x1]
            across = _across_signed(xs, ys, segment, inside)
            if across is None:
                continue
            positions.append(across[inside])
            lightness.append(lab_values(photo[y0:y1, x0:x1], inside)[:, 0])
    if not positions or sum(p.size for p in positions) < MIN_LIGHT_ACROSS * s * s:
        return None
    position, light = np.concatenate(positions), np.concatenate(lightness)
    slices = np.clip(((1 - position) / 2 * LIGHT_ACROSS_BINS).astype(int), 0,
                     LIGHT_ACROSS_BINS - 1)
    counts = np.bincount(slices, minlength=LIGHT_ACROSS_BINS)
    if counts.min() < MIN_LIGHT_BIN:
        return None
    medians = np.array([np.median(light[slices == k]) for k in range(LIGHT_ACROSS_BINS)],
                       np.float32)
    middle = float(np.mean(medians[LIGHT_ACROSS_BINS // 2 - 1:LIGHT_ACROSS_BINS // 2 + 1]))
    return medians / max(middle, 1.0)


def _shading_for(lightness: np.ndarray, tone: np.ndarray) -> np.ndarray:
    """(K,) float32: the shading factors (as :func:`_drawn` applies them, through
    :data:`SKIN_RAMP`) that give skin of ``tone`` ((3,) RGB) the relative Lab ``lightness``
    ((K,), :func:`_light_across`), within :data:`LIGHT_ACROSS_RANGE`."""
    grid = np.linspace(*LIGHT_ACROSS_RANGE, 64, dtype=np.float32)
    colour = np.clip(np.asarray(tone, np.float32), 0, 255)
    shaded = np.clip(colour[None] * grid[:, None] ** np.asarray(SKIN_RAMP, np.float32), 0, 255)
    lab = cv2.cvtColor(np.concatenate([colour[None], shaded])[None] / 255.0, cv2.COLOR_RGB2LAB)
    ratios = lab[0, 1:, 0] / max(float(lab[0, 0, 0]), 1e-3)
    return np.interp(lightness, ratios, grid).astype(np.float32)


def _shoulder_cap(shoulder: np.ndarray, outward: np.ndarray, radius: float,
                  allowed: np.ndarray, zone: np.ndarray, distance: np.ndarray) -> None:
    """Add to ``zone`` ((H, W) bool, in place) the ``allowed`` pixels within ``radius`` of
    the ``shoulder`` joint ((2,) xy), shaded as a dome open towards the neck (``distance``
    (H, W) float32, in place: the distance from the joint relative to ``radius``, counting
    only the part across ``outward`` ((2,) unit vector, from the neck to this shoulder) on
    the neck's side). An upper arm drawn from the joint down left the shoulder's round above
    it to the generator, which painted it dark like the old sleeve's shoulder seam; a whole
    dome darkened towards the chest too, and its edge showed there as a dark ring where the
    shoulder runs on into the chest."""
    height, width = zone.shape
    x0, y0 = (max(0, int(c - radius)) for c in shoulder)
    x1, y1 = min(width, int(shoulder[0] + radius) + 1), min(height, int(shoulder[1] + radius) + 1)
    if x1 <= x0 or y1 <= y0:
        return
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    dx, dy = xs - shoulder[0], ys - shoulder[1]
    inside = allowed[y0:y1, x0:x1] & (np.hypot(dx, dy) < radius)
    along = np.maximum(dx * outward[0] + dy * outward[1], 0.0)
    across = dx * outward[1] - dy * outward[0]
    r = np.hypot(along, across) / max(radius, 1.0)
    zone[y0:y1, x0:x1] |= inside
    window = distance[y0:y1, x0:x1]
    distance[y0:y1, x0:x1] = np.where(inside, np.minimum(window, r), window)


def _cylinder(xs: np.ndarray, ys: np.ndarray, chain: list[np.ndarray],
              half_at: Callable[[np.ndarray], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """For pixel coordinates ``xs``/``ys`` ((h, w) float32): (the distance along the polyline
    ``chain`` ((2,) xy points) of each pixel's nearest point on it, in pixels; its distance
    from that point relative to the half-width there, ``half_at(t)`` for ``t`` the fraction
    of the polyline's length, 0 on the axis and 1 on the outline)."""
    total = sum(float(np.hypot(*(b - a))) for a, b in zip(chain[:-1], chain[1:], strict=True))
    best = np.full(xs.shape, np.inf, np.float32)
    along = np.zeros(xs.shape, np.float32)
    start = 0.0
    for a, b in zip(chain[:-1], chain[1:], strict=True):
        seg = b - a
        length = max(float(np.hypot(*seg)), 1.0)
        t = np.clip(((xs - a[0]) * seg[0] + (ys - a[1]) * seg[1]) / length ** 2, 0, 1)
        gap = np.hypot(xs - (a[0] + t * seg[0]), ys - (a[1] + t * seg[1]))
        nearer = gap < best
        best = np.where(nearer, gap, best)
        along = np.where(nearer, start + t * length, along)
        start += length
    half = np.asarray(half_at(along / max(total, 1.0)), np.float32)
    return along, best / np.maximum(half, 1.0)


def _outline(chain: list[np.ndarray], halves: list[float]) -> np.ndarray:
    """(2N, 2) polygon around the polyline ``chain`` (N (2,) xy points) with ``halves``
    (N half-widths, pixels) at its points."""
    left, right = [], []
    for i, point in enumerate(chain):
        direction = unit(chain[min(i + 1, len(chain) - 1)] - chain[max(i - 1, 0)])
        normal = np.array([-direction[1], direction[0]])
        left.append(point + normal * halves[i])
        right.append(point - normal * halves[i])
    return np.array(left + right[::-1])


def _hand_tone(photo: np.ndarray, hands: np.ndarray | None, wrist: np.ndarray, s: float,
               fallback: np.ndarray) -> np.ndarray:
    """(3,) float32 RGB: the median of the brighter half of the ``hands`` skin pixels
    ((H, W) bool) within :data:`HAND_SAMPLE_REACH` body units of ``wrist`` ((2,) xy) when at
    least :data:`MIN_HAND_SAMPLE` square body units of them show, else ``fallback``."""
    if hands is None:
        return fallback
    reach = HAND_SAMPLE_REACH * s
    height, width = hands.shape
    x0, y0 = max(0, int(wrist[0] - reach)), max(0, int(wrist[1] - reach))
    x1, y1 = min(width, int(wrist[0] + reach) + 1), min(height, int(wrist[1] + reach) + 1)
    if x1 <= x0 or y1 <= y0:
        return fallback
    ys, xs = np.mgrid[y0:y1, x0:x1]
    near = hands[y0:y1, x0:x1] & (np.hypot(xs - wrist[0], ys - wrist[1]) < reach)
    if near.sum() < MIN_HAND_SAMPLE * s * s:
        return fallback
    return lit_median(photo[y0:y1, x0:x1][near])


def _tone(photo: np.ndarray, bare: np.ndarray, fallback: np.ndarray, s: float) -> np.ndarray:
    """(3,) float32 RGB: the median of the ``bare`` skin pixels when there are at least
    :data:`MIN_TONE_SAMPLE` square body units of them (``s``: the body unit, pixels), else
    ``fallback`` ((3,) RGB)."""
    if bare.sum() >= MIN_TONE_SAMPLE * s * s:
        return np.median(photo[bare].astype(np.float32), axis=0)
    return np.asarray(fallback, np.float32)


def _drawn(photo: np.ndarray, box: tuple[int, int, int, int], inside: np.ndarray,
           r: np.ndarray, covered: np.ndarray, tone: np.ndarray, s: float,
           grain_from: np.ndarray, hem_shadow: float = HEM_SHADOW,
           meet: np.ndarray | None = None, light: np.ndarray | None = None,
           shading: np.ndarray | None = None, level: float = CYLINDER_MEDIAN,
           grain_cap: float = float("inf")) -> DrawnSkin:
    """Skin of ``tone`` ((3,) RGB, or (h, w, 3) per pixel of ``box``) drawn on ``photo``
    at the pixels ``inside`` ((h, w) bool) of ``box``
    (x0, y0, x1, y1): a cylinder's shading from ``r`` ((h, w), 0 on the axis, 1 on the
    outline; each RGB channel follows it to its power in :data:`SKIN_RAMP`), darker by
    ``hem_shadow`` beside the new top (``covered`` (H, W) bool), with the grain of the
    photo's pixels ``grain_from`` ((H, W) bool) within :data:`GRAIN_REACH` of the box (no
    more than that of the skin it meets there, when :data:`MIN_TONE_SAMPLE` of it shows, nor
    than ``grain_cap``, the face's skin's: an old knit sweater's texture is no grain), and
    blended into the real bare skin beside it (``meet`` (H, W) bool,
    :func:`~tryon.compositing.seamless_offset`); ``light``: (h, w) float32, a further
    shading factor (a shadow the body casts on it); ``shading``: (h, w) float32, the
    shading in place of the cylinder's where it is not NaN (the photo's light across an arm);
    ``level``: the median shading, of ``tone``, a darker drawing is raised to (no pixel
    above the cylinder's own value or its own)."""
    x0, y0, x1, y1 = box
    cylinder = SHADE_EDGE + (1 - SHADE_EDGE) * (1 - np.minimum(r, 1) ** 2) ** ROUNDNESS
    if shading is not None:
        cylinder = np.where(np.isnan(shading), cylinder, shading)
    shade = cylinder
    beside = cv2.distanceTransform((~covered[y0:y1, x0:x1]).astype(np.uint8), cv2.DIST_L2, 3)
    shade = shade * (1 - hem_shadow * np.exp(-beside / max(HEM_SHADOW_REACH * s, 1.0)))
    # The photo's large-scale light (the old top's print and folds average out).
    shade = shade * relative_light(photo[y0:y1, x0:x1], inside, max(1.0, LIGHT_BLUR * s),
                                   LIGHT_RANGE)
    if light is not None:
        shade = shade * light
    # No darker overall than a lit cylinder: the shadows beside the new top and the photo's
    # light took a quarter off the forearms drawn beside a new tee's panel, brown beside the
    # hands whose tone they took (median 148, 106, 92 against 192, 149, 134).
    # Raised no brighter than the bare cylinder at each pixel (or its own value): the lit
    # middle stays the tone it copies.
    overall = float(np.median(shade[inside])) if inside.any() else level
    shade = np.minimum(shade * max(1.0, level / max(overall, 1e-3)),
                       np.maximum(shade, cylinder))
    # The grain of the photo around the drawn skin (over the whole photo it cost 12 ms), no
    # more than the real skin's there: a fine-striped old blouse's stripes beside a drawn arm
    # counted as grain (11.8 grey levels against its bare skin's 1.9), and the arm was speckled.
    gx0, gy0, gx1, gy1 = crop_box(box, int(round(GRAIN_REACH * s)), photo.shape[1],
                                  photo.shape[0])
    window = photo[gy0:gy1, gx0:gx1]
    amount = photo_grain(window, grain_from[gy0:gy1, gx0:gx1])
    if meet is not None and meet[gy0:gy1, gx0:gx1].sum() >= MIN_TONE_SAMPLE * s * s:
        amount = min(amount, photo_grain(window, meet[gy0:gy1, gx0:gx1]))
    amount = min(amount, grain_cap)
    grain = np.random.default_rng(GRAIN_SEED).standard_normal((y1 - y0, x1 - x0)).astype(
        np.float32) * amount
    colour = tone if tone.ndim == 3 else tone[None, None, :]
    drawn = colour * np.maximum(shade, 1e-3)[..., None] ** np.asarray(SKIN_RAMP, np.float32)
    if meet is not None:
        drawn = drawn + seamless_offset(photo, box, inside, drawn, meet, s)
    drawn = np.clip(drawn + grain[..., None] + 0.5, 0, 255)
    zone = np.zeros(photo.shape[:2], bool)
    zone[y0:y1, x0:x1] = inside
    rgb = photo.copy()
    rgb[y0:y1, x0:x1][inside] = drawn[inside].astype(np.uint8)
    return DrawnSkin(zone=zone, rgb=rgb, beyond=np.zeros_like(zone))
