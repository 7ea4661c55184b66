"""Compose a fitted bottom (or a dress's skirt) onto the photo: clear the old bottom, paint
bare legs, lay the item on, keep what is in front.

Layers, back to front, inside a window around the legs: the photo with the old bottom cleared
where the new item leaves it (bare legs painted in the person's skin tone with a cylinder's
shading where a skirt or shorts leave them uncovered, the background inpainted where the old
bottom was wider), the new item, then what hangs in front of it: the top's hem when it is worn
over the waistband, arms and hands, and the shoes and feet under a long hem. Pixels outside
the edited region are the photo's own.

The old bottom is the person's clothing in a generous leg zone (hips to ankles, from the pose
and the person mask) that is not bare skin, feet or arms; above the new waistband only what is
coloured like it (a high-waisted old skirt). The top in front is everything of the person
above the old bottom's top line (the old bottom found loosely by its colour, sampled above
the knees clear of a long top or coat, and joined to that sample); when the two cannot be told
apart by colour, nothing of it is kept in front. Bare leg skin is skin-coloured, smooth and
joined to the ankles, inside the legs' outline.
Coordinates: (x, y) photo pixels; masks (h, w) bool in the window ``box`` (x0, y0, x1, y1).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from tryon.body.colour import (
    LAB_NEUTRAL,
    SAME_COLOUR_SHARE,
    coloured_like,
    skin_colour,
    tighten_skin,
)
from tryon.body.person import PersonAnalysis
from tryon.body.regions import ARMS, HANDS, Region
from tryon.compositing import Composite, feather, inpaint_reduced, seamless_offset
from tryon.imaging.blur import relative_light
from tryon.imaging.geometry import (
    bbox_of_mask,
    dilate_disc,
    draw_capsule,
    draw_polygon,
    labelled_any,
    parts_touching,
    unit,
)
from tryon.kinds.bottom.legs import CROTCH_BELOW_HIPS, LegFrame
from tryon.kinds.top.region import skin_tone_rgb

__all__ = ["ClearedLegs", "bare_legs", "clear_legs", "in_window", "lay_over", "leg_window"]

# Sizes in body units.
ZONE_THIGH_RADIUS = 0.42  # the leg zone's half-width at the hips, knees and ankles
ZONE_SHIN_RADIUS = 0.32
OLD_WAIST_REACH = 0.9  # above the hip line: the highest an old bottom is looked for
ZONE_MARGIN = 0.1  # background beside the person kept in the zone
WINDOW_MARGIN = 0.5
FOOT_BELOW_ANKLE = 0.05  # below the ankle line (along the shin) the feet are in front
HEM_REACH = 0.4  # body units above the ankle line where an old hem is looked for, any colour
HEM_BELOW_ANKLE = 0.12  # body units below it
HEM_SMOOTH_WIDE = 0.3  # body units: the old bottom's top line is smoothed over this width
TOP_BELOW_CROTCH = 0.6  # the lowest a top (a coat) is kept in front, below the crotch
# Bare legs: half-widths at the top of the thigh, the knee, the calf's widest and the ankle.
BARE_HALF = (0.24, 0.14, 0.15, 0.085)
CALF_AT = 0.3  # of the shin from the knee: the calf's widest
SEAM_BAND = 0.15  # body units of bare leg beside the painted part whose colour it takes
LEG_SEAM_LIMIT = 70.0  # RGB units the painted legs may be moved towards the real ones beside
# them (real shins in an old hem's shadow met lighter painted thighs with a step at 40)
MIN_HAND_SKIN = 0.02  # square body units of the hands' skin from which they give bare legs' colour
LEG_EDGE_SOFT = 0.01  # body units: the Gaussian softening of a painted leg's outline
MIN_LEG_EDGE_PX = 0.8
LEG_SHADE_EDGE = 0.72  # a painted leg's brightness at its edges (1 down its middle)
LIGHT_BLUR = 0.05  # of the legs' window's longer side: the blur that leaves the photo's
MIN_LIGHT_BLUR = 2.0  # large-scale light over the old bottom (pixels, at least this), which
LIGHT_RANGE = (0.85, 1.1)  # may make painted legs this much darker or brighter
SAMPLE_THIGH = (0.8, 1.15)  # of hip → knee (past 1: down the shin): where the old bottom's
# colour is sampled, below a coat or long top
SAMPLE_RADIUS = 0.1
MIN_SAMPLE_PX = 40
INPAINT_MAX_SIDE = 256
FILL_RADIUS = 3  # pixels at INPAINT_MAX_SIDE: the old bottom's fill neighbourhood
SKIN_OPEN = 0.03  # body units: specks of skin colour smaller than this are a print's
LEG_SKIN_HUE = 15.0  # degrees of Lab hue from the face's skin that bare legs may differ
SKIN_TEXTURE = 12.0  # Lab L standard deviation: smoother than this may be skin
SKIN_TEXTURE_WINDOW = 0.04  # body units
FINE_TEXTURE = 12.0  # Lab L standard deviation of the detail finer than that window: legs
# in tights lit from one side measured 3 (median; 10 at their outline), printed trousers and a
# sequin dress 37-49 (the tights' rule, _legwear)
SKIN_EDGE_PX = 2  # pixels of skin colour around smooth bare legs that are theirs too
LEG_OUTLINE_GROW = 0.05  # body units around the drawn legs where their bare skin may be
ANKLE_SEED = 0.15  # body units around the ankle line where bare legs are sure to show
ANKLE_SEED_ABOVE = 0.4  # ... and above it, up the lower shins
OLD_MIN_THICKNESS = 0.06  # body units: thinner parts of the "old bottom" are a leg's edge
NEAR_LIGHTNESS = 40.0  # Lab L (0–255) from the old bottom's colour: the same cloth, shaded
NEAR_CHROMA = 12.0  # Lab a/b distance from it


@dataclass(frozen=True)
class ClearedLegs:
    """The legs window ``box`` of a photo with the old bottom cleared: ``image`` (h, w, 3)
    uint8; ``old``: (h, w) bool, the old bottom; ``front``: (h, w) bool, the photo's pixels
    that stay in front of a new item (top's hem, arms, hands, feet)."""

    box: tuple[int, int, int, int]
    image: np.ndarray
    old: np.ndarray
    front: np.ndarray


def leg_window(frame: LegFrame, size: tuple[int, int],
               extra: tuple[int, int, int, int] | None = None) -> tuple[int, int, int, int]:
    """The photo window (x0, y0, x1, y1) around the hips, legs and feet (and ``extra``)."""
    s = frame.unit
    pts = np.array([*frame.hip, *frame.knee, *frame.ankle,
                    frame.hip_mid - frame.down * OLD_WAIST_REACH * s])
    x0, y0 = pts.min(axis=0) - WINDOW_MARGIN * s
    x1, y1 = pts.max(axis=0) + WINDOW_MARGIN * s
    if extra is not None:
        x0, y0 = min(x0, extra[0]), min(y0, extra[1])
        x1, y1 = max(x1, extra[2]), max(y1, extra[3])
    height, width = size
    return (max(0, int(x0)), max(0, int(y0)), min(width, int(x1) + 1), min(height, int(y1) + 1))


def _along(frame: LegFrame, shape: tuple[int, int], offset: np.ndarray,
           origin: np.ndarray) -> np.ndarray:
    """(h, w) float32: each window pixel's distance below ``origin`` along the body's down."""
    ys, xs = (grid.astype(np.float32) for grid in np.ogrid[0:shape[0], 0:shape[1]])
    rel_x, rel_y = xs + offset[0] - origin[0], ys + offset[1] - origin[1]
    return rel_x * frame.down[0] + rel_y * frame.down[1]


def _leg_zone(frame: LegFrame, shape: tuple[int, int], offset: np.ndarray) -> np.ndarray:
    """(h, w) bool: everything an old bottom could cover, hips to ankles, drawn wide."""
    s = frame.unit
    zone = np.zeros(shape, np.uint8)
    top = frame.hip_mid - frame.down * OLD_WAIST_REACH * s - offset
    crotch = frame.crotch - offset
    half = ZONE_THIGH_RADIUS * s + frame.hip_half_span
    draw_polygon(zone, np.array([top - frame.across * half, top + frame.across * half,
                                 crotch + frame.across * half, crotch - frame.across * half]), 1)
    for leg in range(2):
        hip, knee, ankle = frame.hip[leg] - offset, frame.knee[leg] - offset, \
            frame.ankle[leg] - offset
        draw_capsule(zone, hip, knee, ZONE_THIGH_RADIUS * s, 1)
        draw_capsule(zone, knee, ankle, ZONE_SHIN_RADIUS * s, 1)
    return zone > 0


def bare_legs(frame: LegFrame, shape: tuple[int, int], offset: np.ndarray) -> tuple[
        np.ndarray, np.ndarray]:
    """Bare legs drawn from the pose in a window: (h, w) bool where a leg is and (h, w)
    float32 in [LEG_SHADE_EDGE, 1], a cylinder's shading (bright down the middle)."""
    s = frame.unit
    mask = np.zeros(shape, np.uint8)
    shade = np.zeros(shape, np.float32)
    ys, xs = np.mgrid[0:shape[0], 0:shape[1]].astype(np.float32)
    for leg in range(2):
        hip, knee, ankle = frame.hip[leg] - offset, frame.knee[leg] - offset, \
            frame.ankle[leg] - offset
        calf = knee + CALF_AT * (ankle - knee)
        # On past the ankle landmark (the ankle bone) to the foot: a cleared hem over it
        # left a gap of wall between the painted leg and the shoe.
        foot = ankle + unit(ankle - calf) * HEM_BELOW_ANKLE * s
        chain = [hip, knee, calf, ankle, foot]
        halves = [h * s for h in BARE_HALF] + [BARE_HALF[-1] * s]
        left, right = [], []
        for i, point in enumerate(chain):
            direction = chain[min(i + 1, len(chain) - 1)] - chain[max(i - 1, 0)]
            normal = np.array([-direction[1], direction[0]]) / max(np.hypot(*direction), 1e-6)
            left.append(point + normal * halves[i])
            right.append(point - normal * halves[i])
        one = np.zeros(shape, np.uint8)
        draw_polygon(one, np.array(left + right[::-1]), 1)
        mask |= one
        # Distance from the leg's axis relative to its half-width: a cylinder's shading.
        axis = ankle - hip
        length = max(float(np.hypot(*axis)), 1.0)
        t = np.clip(((xs - hip[0]) * axis[0] + (ys - hip[1]) * axis[1]) / length ** 2, 0, 1)
        across = np.abs((xs - hip[0]) * axis[1] - (ys - hip[1]) * axis[0]) / length
        half_at = np.interp(t, [0.0, float(np.hypot(*(knee - hip))) / length, 1.0],
                            [halves[0], halves[1], halves[3]])
        r = np.clip(across / np.maximum(half_at, 1.0), 0, 1)
        cylinder = LEG_SHADE_EDGE + (1 - LEG_SHADE_EDGE) * np.sqrt(1 - r ** 2)
        shade = np.where(one > 0, cylinder, shade)
    return mask > 0, shade.astype(np.float32)


def _band_sample(frame: LegFrame, shape: tuple[int, int], offset: np.ndarray) -> np.ndarray:
    """(h, w) bool: capsules on both thighs between :data:`SAMPLE_THIGH` of hip → knee."""
    sample = np.zeros(shape, np.uint8)
    for leg in range(2):
        hip, knee = frame.hip[leg] - offset, frame.knee[leg] - offset
        draw_capsule(sample, hip + SAMPLE_THIGH[0] * (knee - hip),
                     hip + SAMPLE_THIGH[1] * (knee - hip), SAMPLE_RADIUS * frame.unit, 1)
    return sample > 0


def clear_legs(photo: np.ndarray, person: PersonAnalysis, frame: LegFrame,
               box: tuple[int, int, int, int], waist_y_offset: float,
               covered: np.ndarray, top_in_front: bool = True) -> ClearedLegs:
    """The old bottom of ``photo`` ((H, W, 3) uint8 RGB) cleared in the window ``box``.
    ``waist_y_offset``: the new waistband's distance below the hip line along the body's
    down, pixels (negative: above it); ``covered``: (h, w) float32 in [0, 1], the new item's
    coverage in the window (bare legs are painted only where it leaves them);
    ``top_in_front``: keep a top worn over the waistband in front (False for a dress)."""
    x0, y0, x1, y1 = box
    offset = np.array([x0, y0], np.float64)
    roi = photo[y0:y1, x0:x1]
    shape = roi.shape[:2]
    s = frame.unit
    labels = person.regions.labels[y0:y1, x0:x1]
    in_person = person.person_mask[y0:y1, x0:x1]
    near = dilate_disc(in_person, max(1, int(round(ZONE_MARGIN * s))))
    zone = _leg_zone(frame, shape, offset) & near
    lab = cv2.cvtColor(roi, cv2.COLOR_RGB2LAB).astype(np.float32)
    reference = skin_colour(photo, person.regions.skin, person.regions.face_core)
    below_hips = _along(frame, shape, offset, frame.hip_mid)
    below_ankles = np.minimum(_along(frame, shape, offset, frame.ankle[0]),
                              _along(frame, shape, offset, frame.ankle[1]))
    feet = (labels == Region.FEET) & (below_ankles > -FOOT_BELOW_ANKLE * s) | (
        (below_ankles > FOOT_BELOW_ANKLE * s) & in_person)
    arms = labelled_any(labels, [int(r) for r in (*ARMS, *HANDS)]) & in_person
    # Bare skin is leg-shaped: a skin-coloured skirt joined to bare legs at its hem was all
    # taken for skin, and its sides and waist stayed beside and above new trousers.
    legs, shade = bare_legs(frame, shape, offset)
    legs_outline = dilate_disc(legs, max(1, int(round(LEG_OUTLINE_GROW * s))))
    # Skin-coloured like the face (a permissive chroma match tightened) and smooth, once for
    # the legs and the hands.
    face_like = tighten_skin(person.regions.skin[y0:y1, x0:x1], lab, reference)
    smooth = _smooth(lab[..., 0], s)
    skin = _bare_skin(face_like & in_person, smooth, lab, reference, below_ankles,
                      s) & (legs_outline | arms | feet)
    clothed = in_person & ~skin & ~feet & ~arms
    hands = labelled_any(labels, [int(r) for r in HANDS])
    hand_skin = dilate_disc(hands & face_like & smooth, 1)
    below_waist = below_hips > waist_y_offset
    sample = _band_sample(frame, shape, offset) & clothed
    if sample.sum() < MIN_SAMPLE_PX:
        sample = clothed & (below_hips > 0) & (below_hips < CROTCH_BELOW_HIPS * s) & zone
    near_old = _near_colour(lab, sample)  # the old bottom's cloth in shadow or light
    like_old = np.zeros(shape, bool)
    old_colour = np.zeros(shape, bool)  # coloured like the old bottom, anywhere
    if sample.sum() >= MIN_SAMPLE_PX:
        old_colour = coloured_like(lab, sample)
        like_old = parts_touching(old_colour & clothed & zone, sample)
        # Legs in skin-toned tights, or shaded darker than the face, are legs too.
        hosiery = _legwear(clothed & legs_outline & _finely_smooth(lab[..., 0], s)
                           & _skin_hue(lab, reference) & ~near_old,
                           below_ankles, skin & legs_outline, s)
        skin |= hosiery
        clothed &= ~hosiery
    torso_above = clothed & ~below_waist & (below_hips > -OLD_WAIST_REACH * s)
    same_colour = torso_above.any() and float(like_old[torso_above].mean()) > SAME_COLOUR_SHARE
    old = zone & clothed & below_waist
    if like_old.any():
        # A flared skirt or wide trousers reach beyond the leg zone: what is coloured like
        # the old bottom and joined to it there is the old bottom too.
        wide = parts_touching(old_colour & clothed & below_waist, like_old)
        old |= wide & ~zone
        # A hand in a pocket: the arm's capsule reaches over the old bottom; what there is
        # coloured like it (and is not skin) is the old bottom, not the arm.
        # Loosely coloured like it: a patterned skirt under a forearm beside the hips was
        # left there, and showed beside narrower new trousers.
        pocket = (arms & (old_colour | near_old) & ~skin & ~hand_skin
                  & zone & below_waist)
        old |= parts_touching(pocket | old, old) & pocket
    top_front = np.zeros(shape, bool)
    if not same_colour and top_in_front:
        old |= like_old & zone & ~below_waist
        low_enough = below_hips < (CROTCH_BELOW_HIPS + TOP_BELOW_CROTCH) * s
        # The top hangs down to where the old bottom begins: in each column, the clothing
        # above the old bottom's highest pixel (that line smoothed over the columns, so a
        # stripe or a pocket's shadow in the old bottom does not cut a notch in the hem).
        # The old bottom is found loosely here (its folds' light and shade: the strict
        # colour match broke it into specks), joined to the sample down the thighs.
        near = parts_touching(near_old & clothed & zone, sample)
        above = _above_line(near & low_enough, HEM_SMOOTH_WIDE * s)
        # Skin-coloured pixels there count too: a beige hoodie's hem is not bare skin, and
        # a bare midriff above the old waistband stays bare under a new one as high.
        worn_over = above & in_person & low_enough & (below_hips > -OLD_WAIST_REACH * s)
        # ... but not bare legs below the crotch: the thighs under a mini dress's hem were
        # kept in front of new trousers as its part, a band of skin above the trousers.
        worn_over &= ~(skin & (below_hips > CROTCH_BELOW_HIPS * s))
        # Over a hand's disc too (off the arms' capsules, whose skin and sleeves are kept in
        # front below): a short dress's skirt beside a hand was left out, and the new
        # trousers' hips showed through it there as a dark disc.
        top_front = worn_over & ~(arms & ~hands) & ~feet
        # Nothing above that line is the old bottom, not even beside a hand (a blazer's
        # corner coloured like dark trousers was cleared there as a hand in a pocket).
        old &= ~worn_over
    # A trouser hem over the ankles lies in the feet's zone (in front) and, when wide,
    # beyond the leg zone: the clothing there down to HEM_BELOW_ANKLE under the ankle line
    # (a cuff hangs over the ankle bone, where the landmark is) and joined to the old bottom
    # is the old bottom, whatever its colour above the ankle line (a patterned turned-up
    # cuff stayed around both ankles under a new dress), and below it when coloured like the
    # old bottom (sneakers' tongues and collars joined to joggers' cuffs were cleared too,
    # and inpainted as dark blurs around the painted ankles).
    if old.any():
        hem = (in_person & ~skin & (below_ankles < HEM_BELOW_ANKLE * s)
               & (below_ankles > -HEM_REACH * s)
               & ((below_ankles <= 0) | old_colour | near_old))
        hem &= parts_touching(hem | old, old)
        old |= hem
        feet &= ~hem
    # Slivers along a bare leg's edge (its shaded outline, missed by the skin colour) are
    # not an old bottom: trousers and skirts are far thicker.
    sliver = max(3, int(round(OLD_MIN_THICKNESS * s)) | 1)
    old = cv2.morphologyEx(old.astype(np.uint8), cv2.MORPH_OPEN,
                           cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (sliver, sliver))) > 0
    # Clothing about the ankles that the bare legs (and that opening) cut off from the rest
    # of the old bottom (an ankle strap, a sock) is footwear: a heel's black strap was
    # cleared and painted over.
    old &= ~_footwear(old, below_ankles, HEM_REACH * s)
    # The person mask's edge runs a pixel or two inside the clothing: take its fringe too.
    old |= dilate_disc(old, 2) & zone & ~in_person
    image = roi.copy()
    if old.any():
        filled = inpaint_reduced(roi, old, INPAINT_MAX_SIDE, FILL_RADIUS)
        image[old] = filled[old]
        # Legs show below a hem: under the item in their column, never in the gap between
        # two trouser legs nor beside the hips (there the background shows, inpainted):
        # painted skin there looked like bare thighs.
        on_item = covered >= 0.5
        under_item = np.maximum.accumulate(on_item, axis=0)
        eligible = old & (covered < 0.98) & (below_hips > 0) & under_item & ~_between(on_item)
        painted_legs = eligible & legs
        if painted_legs.any():
            # The bare legs' own colour where they meet the painted part (else anywhere on
            # the legs, else the hands', else the face's), so the join does not show.
            seam = skin & legs & dilate_disc(old, max(1, int(round(SEAM_BAND * s))))
            shown = seam if seam.sum() >= MIN_SAMPLE_PX else skin & legs
            tone = _leg_tone(roi, shown) if shown.sum() >= MIN_SAMPLE_PX \
                else _hands_tone(photo, person)
            light = relative_light(roi, old, max(MIN_LIGHT_BLUR, max(roi.shape[:2])
                                                 * LIGHT_BLUR), LIGHT_RANGE)
            painted = tone[None, None, :] * (shade * light)[..., None]
            # Lit past white (a pale man's lit hands, lifted for the shading, and the photo's
            # light), scaled down whole rather than clipped: clipped, the legs' middles went
            # white and flat.
            peak = float(painted[painted_legs].max())
            painted = np.clip(painted * min(1.0, 255.0 / max(peak, 1.0)), 0, 255)
            # Blended into the real bare legs beside them (a step of tone showed at the old
            # hem's line, the painted thighs lighter than the real shins below).
            painted = np.clip(painted + seamless_offset(
                roi, (0, 0, roi.shape[1], roi.shape[0]), painted_legs, painted,
                skin & legs_outline & ~old, s, LEG_SEAM_LIMIT), 0, 255)
            # The drawn outline softened like a photographed edge (it was cut pixel-sharp).
            edge = cv2.GaussianBlur(legs.astype(np.float32), (0, 0),
                                    max(MIN_LEG_EDGE_PX, LEG_EDGE_SOFT * s))
            alpha = (edge * eligible)[..., None]
            image = np.clip(image * (1 - alpha) + painted * alpha + 0.5, 0, 255).astype(np.uint8)
    # In front: a hand's skin (not the rest of its disc, where the old bottom's print or a
    # skirt beside the hand showed through a notch in the new item), an arm's sleeve.
    arms_front = arms & ~old & np.where(hands, hand_skin, skin | ~like_old)
    front = (top_front | arms_front | feet) & in_person
    return ClearedLegs(box=box, image=image, old=old, front=front)


def _footwear(old: np.ndarray, below_ankles: np.ndarray, reach: float) -> np.ndarray:
    """(h, w) bool: the parts of ``old`` ((h, w) bool, the old bottom found so far) lying
    wholly below ``reach`` pixels above the ankle line (``below_ankles``: (h, w) float32,
    each pixel's distance below it along the body's down): cut off from the rest by bare
    skin, they are straps or socks, not a trouser hem (which joins its leg)."""
    count, parts = cv2.connectedComponents(old.astype(np.uint8), connectivity=8)
    if count <= 1:
        return np.zeros_like(old)
    # Not footwear: a part with any pixel at least ``reach`` above the ankle line (a
    # per-part minimum sorted all the pixels, ten times slower).
    inside = parts > 0
    higher = below_ankles[inside] <= -reach
    footwear = np.ones(count, bool)
    footwear[0] = False
    footwear[parts[inside][higher]] = False
    return footwear[parts]


def _near_colour(lab: np.ndarray, sample: np.ndarray) -> np.ndarray:
    """(h, w) bool: pixels of ``lab`` ((h, w, 3) float32, OpenCV's 8-bit Lab) within
    :data:`NEAR_LIGHTNESS` in L and :data:`NEAR_CHROMA` in a, b of the median colour under
    ``sample`` ((h, w) bool): the same cloth in deep shadow or strong light. False
    everywhere when ``sample`` is empty."""
    if not sample.any():
        return np.zeros(lab.shape[:2], bool)
    diff = np.abs(lab - np.median(lab[sample], axis=0))
    return (diff[..., 0] < NEAR_LIGHTNESS) & (np.hypot(diff[..., 1], diff[..., 2]) < NEAR_CHROMA)


def _between(item: np.ndarray) -> np.ndarray:
    """(h, w) bool: pixels off ``item`` ((h, w) bool) with item pixels both to their left
    and to their right in the same row (the gap between two trouser legs)."""
    left = np.maximum.accumulate(item, axis=1)
    right = np.maximum.accumulate(item[:, ::-1], axis=1)[:, ::-1]
    return left & right & ~item


def _leg_tone(roi: np.ndarray, bare: np.ndarray) -> np.ndarray:
    """(3,) float32 RGB in [0, 255]: the bare legs' own colour where they show (``bare``:
    (h, w) bool in ``roi`` (h, w, 3) uint8), lifted so that the cylinder shading of
    :func:`bare_legs` (darker at the edges) averages to it. Legs are often lighter or
    warmer than the face, and painted in the face's tone they stood out under a hem."""
    mean_shade = (1 + LEG_SHADE_EDGE) / 2
    return (np.median(roi[bare].astype(np.float32), axis=0) / mean_shade).astype(np.float32)


def _hands_tone(photo: np.ndarray, person: PersonAnalysis) -> np.ndarray:
    """(3,) float32 RGB in [0, 255]: painted legs' colour when no bare leg shows: the hands'
    skin (their labels' skin-coloured pixels, :func:`_leg_tone`) when at least
    :data:`MIN_HAND_SKIN` square body units of it show, else the face's
    (:func:`~tryon.kinds.top.region.skin_tone_rgb`). Real shins under studio light measured
    6.9 Lab L units from the hands on average, 7.3 from the face and 13.4 from its lit half
    (7 full-body photos); a bearded face's median, 26 units below the hands, had painted a
    man's legs grey-brown."""
    hands = (person.regions.mask(*HANDS) & person.regions.skin & person.person_mask)
    if hands.sum() >= MIN_HAND_SKIN * person.pose.unit_px ** 2:
        return _leg_tone(photo, hands)
    return skin_tone_rgb(photo, person)


def _above_line(below: np.ndarray, smooth_px: float) -> np.ndarray:
    """(h, w) bool: the pixels above the top line of ``below`` ((h, w) bool). The line is
    each column's highest pixel of ``below``, a running median over about ``smooth_px``
    columns, interpolated across columns without any (a hand in front, the sides beyond
    the old bottom); False everywhere when ``below`` is empty."""
    height, width = below.shape
    present = below.any(axis=0)
    if not present.any():
        return np.zeros(below.shape, bool)
    columns = np.flatnonzero(present)
    highest = np.argmax(below[:, columns], axis=0).astype(np.float64)
    size = max(1, int(round(smooth_px))) | 1
    if size > 1 and columns.size >= size:
        padded = np.pad(highest, size // 2, mode="edge")
        highest = np.median(np.lib.stride_tricks.sliding_window_view(padded, size), axis=1)
    line = np.interp(np.arange(width), columns, highest)
    return np.arange(height)[:, None] < line[None, :]


def _bare_skin(face_like: np.ndarray, smooth: np.ndarray, lab: np.ndarray,
               reference: np.ndarray | None, below_ankles: np.ndarray,
               s: float) -> np.ndarray:
    """(h, w) bool: bare skin on the legs: skin-coloured pixels (``face_like``: tightened to
    the face's lightness and hue; within :data:`LEG_SKIN_HUE` of its hue angle; ``smooth``,
    :func:`_smooth`), opened to drop a print's specks, in parts joined to the skin at the
    ankles (bare legs reach the ankles; a print's patches do not), each kept with its whole
    unopened outline. Parts joined only to a hand, or big ones joined to nothing, were once
    kept too: a beige hoodie's hem beside a hand and the lit side of brown trousers were
    then taken for bare skin and left uncleared under the new item's gap."""
    coloured = face_like & _skin_hue(lab, reference)
    # Skin is smooth: a fine pattern in skin colours (a beige houndstooth skirt) is cloth.
    tight = (coloured & smooth).astype(np.uint8)
    size = max(3, int(round(SKIN_OPEN * s)) | 1)
    opened = cv2.morphologyEx(tight, cv2.MORPH_OPEN, np.ones((size, size), np.uint8)) > 0
    # From just below the ankle line up the lower shins: an ankle strap's black band cut the
    # shins off from the feet, and bare shins were cleared and painted over as an old bottom.
    ankles = (below_ankles < ANKLE_SEED * s) & (below_ankles > -ANKLE_SEED_ABOVE * s)
    kept = parts_touching(opened, ankles & opened)
    # The opening decides which parts are legs, not their outline: a leg's thin shaded
    # edge, cut off by the square kernel, was taken for the old bottom and painted over;
    # so was its edge against the background, where the lightness varies as much as a
    # pattern's: a couple of skin-coloured pixels around the legs are theirs.
    legs = parts_touching(tight > 0, kept)
    return legs | (dilate_disc(legs, SKIN_EDGE_PX) & coloured)


def _legwear(candidates: np.ndarray, below_ankles: np.ndarray, bare: np.ndarray,
             s: float) -> np.ndarray:
    """(h, w) bool: the parts of ``candidates`` ((h, w) bool: clothing inside the legs'
    outline, smooth but for shading, of the face's skin hue and unlike the old bottom's
    colour) that, opened as bare skin is (:func:`_bare_skin`), reach the ankles or the
    ``bare`` leg skin ((h, w) bool): legs in skin-toned tights, or the shaded side of a bare
    leg, darker than the face's skin tone allows. Taken for the old bottom, they were
    cleared and painted over in one tone, pale stripes down dark legs under a new dress."""
    size = max(3, int(round(SKIN_OPEN * s)) | 1)
    opened = cv2.morphologyEx(candidates.astype(np.uint8), cv2.MORPH_OPEN,
                              np.ones((size, size), np.uint8)) > 0
    seeds = (np.abs(below_ankles) < ANKLE_SEED * s) | dilate_disc(bare, SKIN_EDGE_PX)
    kept = parts_touching(opened, seeds & opened)
    return parts_touching(candidates, kept)


def _smooth(lightness: np.ndarray, s: float) -> np.ndarray:
    """(h, w) bool: pixels whose Lab lightness ((h, w) float32, 0–255) varies by less than
    :data:`SKIN_TEXTURE` (standard deviation) over a window of :data:`SKIN_TEXTURE_WINDOW`
    body units (bare legs measured 0–5 on the full-body photos, a houndstooth skirt 36)."""
    size = max(3, int(round(SKIN_TEXTURE_WINDOW * s)) | 1)
    mean = cv2.blur(lightness, (size, size))
    spread = np.sqrt(np.maximum(cv2.blur(lightness * lightness, (size, size)) - mean * mean, 0))
    return spread < SKIN_TEXTURE


def _finely_smooth(lightness: np.ndarray, s: float) -> np.ndarray:
    """(h, w) bool: pixels where the Lab lightness ((h, w) float32, 0–255) less its
    Gaussian blur at half of :data:`SKIN_TEXTURE_WINDOW` varies by less than
    :data:`FINE_TEXTURE` (standard deviation over that window): smooth but for shading. A
    leg lit from one side darkens across its width faster than :func:`_smooth` allows."""
    size = max(3, int(round(SKIN_TEXTURE_WINDOW * s)) | 1)
    fine = lightness - cv2.GaussianBlur(lightness, (0, 0), size / 2)
    spread = np.sqrt(np.maximum(cv2.blur(fine * fine, (size, size))
                                - cv2.blur(fine, (size, size)) ** 2, 0))
    return spread < FINE_TEXTURE


def _skin_hue(lab: np.ndarray, reference: np.ndarray | None) -> np.ndarray:
    """(h, w) bool: pixels of ``lab`` ((h, w, 3) float32, OpenCV's 8-bit Lab) whose hue
    angle in the a/b plane is within :data:`LEG_SKIN_HUE` degrees of ``reference``'s (the
    face's skin; all True without one). Khaki trousers and a beige hoodie pass the chroma
    distance to a pale or grey-lit face but are yellower: bare legs measured 1–7° from the
    face's hue on the full-body photos, khaki 21°."""
    if reference is None:
        return np.ones(lab.shape[:2], bool)
    hue = np.degrees(np.arctan2(lab[..., 2] - LAB_NEUTRAL, lab[..., 1] - LAB_NEUTRAL))
    wanted = float(np.degrees(np.arctan2(reference[2] - LAB_NEUTRAL, reference[1] - LAB_NEUTRAL)))
    return np.abs((hue - wanted + 180.0) % 360.0 - 180.0) < LEG_SKIN_HUE


def lay_over(photo: np.ndarray, cleared: ClearedLegs, layers: list[tuple[
        tuple[int, int, int, int], np.ndarray, np.ndarray]],
        base: np.ndarray | None = None, cleared_above: np.ndarray | None = None) -> Composite:
    """The composite: ``cleared`` put into ``base`` (default ``photo``; (H, W, 3) uint8, e.g.
    with an old top cleared too, then ``cleared_above`` (H, W) bool says where), each layer
    (box, (h, w, 3) float32 RGB, (h, w) float32 alpha) laid over it, the cleared window's
    ``front`` pixels back on top. Only edited pixels differ from ``photo``. The work is done
    in the box around everything edited (over the whole photo it cost about 15 ms)."""
    base = photo if base is None else base
    height, width = photo.shape[:2]
    boxes = [cleared.box, *(box for box, _, _ in layers)]
    above = None if cleared_above is None else bbox_of_mask(cleared_above)
    if above is not None:
        boxes.append(above)
    ux0, uy0 = max(0, min(b[0] for b in boxes) - 1), max(0, min(b[1] for b in boxes) - 1)
    ux1 = min(width, max(b[2] for b in boxes) + 1)
    uy1 = min(height, max(b[3] for b in boxes) + 1)
    x0, y0, x1, y1 = cleared.box
    out = base[uy0:uy1, ux0:ux1].astype(np.float32)
    out[y0 - uy0:y1 - uy0, x0 - ux0:x1 - ux0] = cleared.image
    coverage = np.zeros(photo.shape[:2], np.float32)
    for (bx0, by0, bx1, by1), rgb, alpha in layers:
        a = feather(alpha)
        window = out[by0 - uy0:by1 - uy0, bx0 - ux0:bx1 - ux0]
        window[:] = window * (1 - a[..., None]) + rgb * a[..., None]
        coverage[by0:by1, bx0:bx1] = np.maximum(coverage[by0:by1, bx0:bx1], a)
    front = np.zeros(photo.shape[:2], np.float32)
    front[y0:y1, x0:x1] = cleared.front
    front = cv2.GaussianBlur(front, (3, 3), 0) * (front > 0)
    # In front only inside the cleared window (it is zero outside it).
    kept = front[y0:y1, x0:x1, None]
    window = out[y0 - uy0:y1 - uy0, x0 - ux0:x1 - ux0]
    window[:] = window * (1 - kept) + base[y0:y1, x0:x1] * kept
    edited = coverage > 0.002
    edited[y0:y1, x0:x1] |= cleared.old
    if cleared_above is not None:
        edited |= cleared_above
    edited = cv2.dilate(edited.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    result = photo.copy()
    inside = edited[uy0:uy1, ux0:ux1]
    result[uy0:uy1, ux0:ux1][inside] = np.clip(out[inside] + 0.5, 0, 255).astype(np.uint8)
    agnostic = base.copy()
    agnostic[y0:y1, x0:x1][cleared.old] = cleared.image[cleared.old]
    repaint = np.zeros_like(edited)
    repaint[uy0:uy1, ux0:ux1] = inside & np.any(result[uy0:uy1, ux0:ux1]
                                                != photo[uy0:uy1, ux0:ux1], axis=2)
    return Composite(image=result, repaint=repaint, agnostic=agnostic,
                     item_mask=coverage * (1 - front))


def in_window(box: tuple[int, int, int, int], alpha: np.ndarray,
              window: tuple[int, int, int, int]) -> np.ndarray:
    """(h, w) float32: ``alpha`` (placed at ``box``) in the photo window ``window``."""
    out = np.zeros((window[3] - window[1], window[2] - window[0]), np.float32)
    x0, y0 = max(box[0], window[0]), max(box[1], window[1])
    x1, y1 = min(box[2], window[2]), min(box[3], window[3])
    if x1 > x0 and y1 > y0:
        out[y0 - window[1]:y1 - window[1], x0 - window[0]:x1 - window[0]] = alpha[
            y0 - box[1]:y1 - box[1], x0 - box[0]:x1 - box[0]]
    return out
