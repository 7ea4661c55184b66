"""Compose a fitted top onto the photo: clear the old top, layer, shade, feather.

Layer order, back to front: the photo with the old top cleared (arms re-skinned, the rest
inpainted from the surroundings), the garment's torso panel, the person's bare skin on arms
and neck, the sleeves, then hands, face and hair. The photo's fold shading (luminance detail
of the old top) is carried onto the garment. Pixels outside the edited region are copied from
the input, so they stay byte-identical.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from tryon.body.colour import (
    MIN_SPREAD,
    NARROW_SPREAD,
    SAME_COLOUR_SHARE,
    coloured_like,
    coloured_like_values,
)
from tryon.body.person import PersonAnalysis
from tryon.body.pose import Pose
from tryon.body.regions import ARMS, HANDS, Region, torso_polygon
from tryon.compositing import Composite, feather, inpaint_reduced
from tryon.imaging.blur import masked_blur
from tryon.imaging.geometry import (
    dilate_disc,
    draw_polygon,
    labelled_any,
    parts_touching,
    perpendicular,
    unit,
)
from tryon.kinds.top.fit import FittedTop

__all__ = ["ClearedTop", "attached_skin", "clear_top", "compose_top", "seam_gaps",
           "worn_below"]

INPAINT_MAX_SIDE = 256
SHADING_STRENGTH = 0.8
THIGH_BAND = (0.5, 1.0)  # body units below the hip line where the thighs are sampled
CHEST_SIDES = 0.6  # body units each side of the middle: the chest band's sides reach this far
GAP_REACH = 0.06  # shoulder widths: how far garment cloth fills the old top beside it
CHEST_DEPTH = 0.7  # shoulder widths below the shoulders: the old top above is re-skinned
SHADING_EDGE_EPS = 0.0015 # luminance variance (in [0, 1]² units) kept as an edge


@dataclass(frozen=True)
class ClearedTop:
    """The old top of a photo window ``box`` (x0, y0, x1, y1) and the window without it:
    ``old_top`` (h, w) bool; ``agnostic`` (h, w, 3) uint8 RGB, the old top cleared (arms
    re-skinned, the rest inpainted); the other masks are (h, w) bool body parts."""

    box: tuple[int, int, int, int]
    old_top: np.ndarray
    agnostic: np.ndarray
    arms: np.ndarray
    neck: np.ndarray
    bare_skin: np.ndarray
    protected: np.ndarray


def clear_top(photo: np.ndarray, person: PersonAnalysis,
              box: tuple[int, int, int, int]) -> ClearedTop:
    """Find and clear the old top of ``photo`` ((H, W, 3) uint8 RGB) inside ``box``: the
    person's clothing on torso, arms and neck (and just around them) that is not skin, face,
    hands or hair. Also used by training to build self-supervised samples."""
    x0, y0, x1, y1 = box
    roi = photo[y0:y1, x0:x1]
    regions = person.regions
    labels = regions.labels[y0:y1, x0:x1]
    in_person = person.person_mask[y0:y1, x0:x1]
    arms = labelled_any(labels, [int(r) for r in ARMS])
    hands = labelled_any(labels, [int(r) for r in HANDS])
    unit_px = person.pose.unit_px
    raw_skin = regions.skin[y0:y1, x0:x1] & in_person
    # A sleeve's cuff reaches into the hand's region: what there is not skin is clothing.
    cuffs = hands & ~_grown(raw_skin, 2) & _grown(arms, 0.1 * unit_px)
    protected = (hands & ~cuffs) | labelled_any(labels, [int(Region.FACE), int(Region.HAIR)])
    skin = attached_skin(raw_skin, hands | (labels == Region.FACE))
    bottoms = worn_below(roi, person.pose, in_person & ~skin, np.array([x0, y0]),
                         labels == Region.HAIR)
    core = arms | cuffs | (labels == Region.TORSO) | (labels == Region.NECK)
    grown = _grown(core, 0.12 * unit_px)
    clothing_zone = core | (grown & (labels == Region.BACKGROUND))
    old_top = in_person & clothing_zone & ~skin & ~protected & ~bottoms
    old_top = cv2.morphologyEx(old_top.astype(np.uint8), cv2.MORPH_OPEN,
                               np.ones((3, 3), np.uint8)) > 0
    torso = np.zeros(labels.shape, np.uint8)
    draw_polygon(torso, torso_polygon(person.pose, unit_px) - np.array([x0, y0]), 1)
    # Where a new top may leave the body bare: arms outside the torso, and the upper chest
    # and shoulders (a lower neckline, straps). The old top there is re-skinned.
    chest = (torso > 0) & _above(person.pose, labels.shape, np.array([x0, y0]), CHEST_DEPTH)
    reskin = (arms & (torso == 0)) | chest
    agnostic = _clear(roi, old_top, reskin, skin & in_person, photo, regions.face_core)
    return ClearedTop(box=box, old_top=old_top, agnostic=agnostic, arms=arms,
                      neck=labels == Region.NECK, bare_skin=skin & in_person,
                      protected=protected & in_person)


def _above(pose: Pose, shape: tuple[int, int], offset: np.ndarray,
           depth: float) -> np.ndarray:
    """(h, w) bool: pixels of a window at ``offset`` (2,) xy less than ``depth`` shoulder
    widths below the shoulders' midpoint, measured along the body's down direction."""
    shoulders, _, down = _torso_axis(pose, offset)
    ys, xs = np.ogrid[0:shape[0], 0:shape[1]]
    along = (xs - shoulders[0]) * down[0] + (ys - shoulders[1]) * down[1]
    return along < depth * pose.unit_px


def _torso_axis(pose: Pose, offset: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Midpoints of the shoulders and of the hips ((2,) xy in a window at ``offset``) and the
    unit vector from the first to the second (the body's "down")."""
    shoulders = pose.neck_base - offset
    hips = pose.hips_middle - offset
    return shoulders, hips, unit(hips - shoulders)


def _grown(mask: np.ndarray, radius: float) -> np.ndarray:
    """``mask`` ((h, w) bool) dilated by a disc of ``radius`` pixels (at least one)."""
    return dilate_disc(mask, max(1, int(round(radius))))


def worn_below(roi: np.ndarray, pose: Pose, clothed: np.ndarray,
               offset: np.ndarray, hair: np.ndarray | None = None) -> np.ndarray:
    """(h, w) bool: the trousers or skirt of the window ``roi`` ((h, w, 3) uint8 RGB at
    ``offset`` (2,) xy in the photo): pixels coloured like the clothing just below the hips
    and joined to it, when that colour differs from the chest's (or like the thighs, at
    :data:`THIGH_BAND`, when the band's colour does not go on down them and theirs is like
    neither the band nor the chest: a long top's hem). ``clothed``: (h, w) bool,
    person and not skin; ``hair``: (h, w) bool, the hair (not sampled as the top beside the
    chest). All False when the hips are out of the window or the top reaches below them in
    the same colour, on the chest or beside it (then the two cannot be told apart by
    colour)."""
    none = np.zeros(clothed.shape, bool)
    shoulders, hips, down = _torso_axis(pose, offset)
    s = pose.unit_px
    across = perpendicular(down)
    hip_half = max(pose.hip_width / 2, 0.25 * s)

    def band(centre: np.ndarray, start: float, end: float, half: float) -> np.ndarray:
        zone = np.zeros(clothed.shape, np.uint8)
        draw_polygon(zone, np.array([centre + down * start * s - across * half,
                                     centre + down * start * s + across * half,
                                     centre + down * end * s + across * half,
                                     centre + down * end * s - across * half]), 1)
        return (zone > 0) & clothed

    below = band(hips, 0.12, 0.4, 0.8 * hip_half)
    chest = band(shoulders, 0.45, 0.85, 0.3 * s)
    # ... and the chest's sides, when another garment than the chest's (an open jacket's
    # fronts beside a shirt): a navy blazer's fronts over black trousers were kept below a
    # new tee as trousers.
    sides = band(shoulders, 0.45, 0.85, CHEST_SIDES * s) & ~chest
    if hair is not None:
        sides &= ~hair  # dark hair over the shoulders is not a dark top
    if below.sum() < 50 or chest.sum() < 50:
        return none
    lab = cv2.cvtColor(roi, cv2.COLOR_RGB2LAB).astype(np.float32)
    if sides.sum() < 50 or coloured_like_values(lab[sides][:, None], lab[chest]).mean() \
            > SAME_COLOUR_SHARE:
        sides = np.zeros_like(sides)  # one garment across the chest: its middle says it
    # A long top (a tunic, an oversized tee) reaches over the hips' band: when its colour
    # does not go on down the thighs, they are the trousers (the top's hem was taken for
    # them and kept; a big print on the chest had hidden that the band was the top's).
    like_below = coloured_like(lab, below, MIN_SPREAD)
    thighs = band(hips, THIGH_BAND[0], THIGH_BAND[1], 0.8 * hip_half)
    if thighs.sum() >= 50 and like_below[thighs].mean() <= SAME_COLOUR_SHARE:
        like_thighs = coloured_like(lab, thighs)
        if (like_thighs[chest].mean() <= SAME_COLOUR_SHARE
                and like_thighs[below].mean() <= SAME_COLOUR_SHARE):
            return parts_touching(like_thighs & clothed, thighs)
    # Near colours (a pale yellow top over cream trousers) are told apart by a narrower
    # model when the usual one cannot; the trousers' folds it misses are closed later.
    for spread in (MIN_SPREAD, NARROW_SPREAD):
        like = (like_below if spread == MIN_SPREAD
                else coloured_like(lab, below, spread)) & clothed
        if like[chest].mean() <= SAME_COLOUR_SHARE and (
                not sides.any() or like[sides].mean() <= SAME_COLOUR_SHARE):
            return parts_touching(like, below)
    return none


def attached_skin(skin: np.ndarray, seeds: np.ndarray, bridge: int = 0) -> np.ndarray:
    """The parts of ``skin`` ((h, w) bool) joined to ``seeds`` ((h, w) bool: face and
    hands) through skin pixels, across gaps of up to twice ``bridge`` pixels. Bare arms, neck
    and shoulders always reach a hand or the face; skin-coloured patches of a print (red
    flowers, beige stripes) inside the clothing do not."""
    grown = cv2.dilate(seeds.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    if bridge <= 0:
        return parts_touching(skin, grown)
    return parts_touching(dilate_disc(skin, bridge), grown) & skin


def compose_top(photo: np.ndarray, person: PersonAnalysis, fitted: FittedTop) -> Composite:
    """Composite ``fitted`` onto ``photo`` ((H, W, 3) uint8 RGB)."""
    x0, y0, x1, y1 = fitted.box
    roi = photo[y0:y1, x0:x1]
    cleared = clear_top(photo, person, fitted.box)
    old_top, agnostic_roi = cleared.old_top, cleared.agnostic
    shade = _fold_shading(roi, old_top)
    panel = fitted.panel_rgb * shade[..., None]
    sleeves = fitted.sleeve_rgb * shade[..., None]
    on_person = _soft_person(person.person_mask[y0:y1, x0:x1])
    panel_a = feather(fitted.panel_alpha) * on_person
    sleeve_a = feather(fitted.sleeve_alpha) * on_person

    out = agnostic_roi.astype(np.float32)
    gap_rgb, gap_a = seam_gaps(panel, panel_a, sleeves, sleeve_a, old_top,
                                max(1.0, GAP_REACH * person.pose.shoulder_width))
    out = out * (1 - gap_a[..., None]) + gap_rgb * gap_a[..., None]
    out = out * (1 - panel_a[..., None]) + panel * panel_a[..., None]
    bare = (cleared.bare_skin & (cleared.arms | cleared.neck)).astype(np.float32)
    out = out * (1 - bare[..., None]) + roi * bare[..., None]
    out = out * (1 - sleeve_a[..., None]) + sleeves * sleeve_a[..., None]
    front = cleared.protected.astype(np.float32)
    front = cv2.GaussianBlur(front, (3, 3), 0) * front
    out = out * (1 - front[..., None]) + roi * front[..., None]

    coverage = np.maximum(np.maximum(panel_a, sleeve_a), gap_a)
    edited = (coverage > 0.002) | old_top
    edited = cv2.dilate(edited.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    result = photo.copy()
    window = result[y0:y1, x0:x1]
    out8 = np.clip(out + 0.5, 0, 255).astype(np.uint8)
    window[edited] = out8[edited]
    agnostic = photo.copy()
    agnostic[y0:y1, x0:x1][old_top] = agnostic_roi[old_top]
    repaint = np.zeros(photo.shape[:2], bool)
    repaint[y0:y1, x0:x1] = edited & np.any(window != roi, axis=2)
    item_mask = np.zeros(photo.shape[:2], np.float32)
    item_mask[y0:y1, x0:x1] = coverage
    return Composite(image=result, repaint=repaint, agnostic=agnostic, item_mask=item_mask)


def seam_gaps(panel: np.ndarray, panel_a: np.ndarray, sleeves: np.ndarray,
               sleeve_a: np.ndarray, old_top: np.ndarray, reach: float) -> tuple[
                   np.ndarray, np.ndarray]:
    """Cloth for the narrow gaps the new garment leaves in the old top next to it (between
    panel and sleeve at the shoulder, along a sleeve's edge): within ``reach`` pixels of the
    garment, old-top pixels get the garment's nearby colour, smoothed, instead of re-skinned
    arm or inpainted background. Returns (h, w, 3) float32 RGB and (h, w) float32 alpha."""
    coverage = np.maximum(panel_a, sleeve_a)
    worn = coverage > 0.5
    gap = (old_top & _grown(worn, reach) & ~worn).astype(np.float32)
    if not gap.any():
        return np.zeros(panel.shape, np.float32), gap
    cloth = panel * (panel_a * (1 - sleeve_a))[..., None] + sleeves * sleeve_a[..., None]
    colour = masked_blur(cloth / np.maximum(coverage, 1e-3)[..., None], worn,
                         max(1.0, reach / 2))
    return colour.astype(np.float32), cv2.GaussianBlur(gap, (3, 3), 0) * gap


def _soft_person(in_person: np.ndarray) -> np.ndarray:
    """(h, w) float32 weights: 1 on the person, fading to 0 within two pixels outside. A
    garment is worn on the body: it may not cover the background beside it."""
    grown = cv2.dilate(in_person.astype(np.uint8), np.ones((3, 3), np.uint8))
    return cv2.GaussianBlur(grown.astype(np.float32), (5, 5), 0)


def _fold_shading(roi: np.ndarray, old_top: np.ndarray) -> np.ndarray:
    """(h, w) float32 multiplicative shading: the old top's luminance detail (folds, creases)
    relative to an edge-preserving local average, measured only on old-top pixels, 1
    elsewhere. The guided filter keeps strong steps (a dark jacket over a white shirt, a
    printed logo) in the average, so only soft, low-contrast variation (light and folds) is
    carried over, never the old garment's pattern."""
    luma = cv2.cvtColor(roi, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255.0 + 0.01
    weight = old_top.astype(np.float32)
    size = max(roi.shape[:2])
    outside = masked_blur(luma, weight, max(4.0, size / 25))
    filled = np.where(old_top, luma, outside).astype(np.float32)
    # Weave and knit are gone after a light blur; both scales then use the same
    # edge-preserving filter, so a step in the old top is in both and cancels out.
    smooth = cv2.GaussianBlur(filled, (0, 0), max(1.0, size / 300))
    fine = cv2.ximgproc.guidedFilter(smooth, smooth, max(2, int(size / 80)), SHADING_EDGE_EPS)
    base = cv2.ximgproc.guidedFilter(smooth, smooth, max(4, int(size / 25)), SHADING_EDGE_EPS)
    # Relative to a floor of mid-grey: on a dark old top, texture is a large *ratio* of a
    # small luminance and would print its weave onto a light new garment.
    ratio = np.clip(1.0 + (fine - base) / np.maximum(base, 0.4), 0.88, 1.08) ** SHADING_STRENGTH
    presence = cv2.GaussianBlur(weight, (0, 0), max(1.0, size / 200))
    return (1.0 + (ratio - 1.0) * presence).astype(np.float32)


def _clear(roi: np.ndarray, old_top: np.ndarray, reskin: np.ndarray, skin: np.ndarray,
           photo: np.ndarray, face_box: tuple[int, int, int, int]) -> np.ndarray:
    """The ROI with the old top removed: its parts in ``reskin`` (bare arms, upper chest)
    painted with the person's skin tone (shaded by the photo's light), the rest inpainted
    from its surroundings."""
    out = roi.copy()
    if not old_top.any():
        return out
    filled = inpaint_reduced(roi, old_top, INPAINT_MAX_SIDE)
    out[old_top] = filled[old_top]
    arm_hole = old_top & reskin
    if arm_hole.any():
        tone = _skin_tone(photo, skin, face_box, roi)
        luma = cv2.cvtColor(roi, cv2.COLOR_RGB2GRAY).astype(np.float32)
        light = masked_blur(luma, arm_hole.astype(np.float32), max(2.0, max(roi.shape) / 60))
        light = np.clip(light / max(float(np.median(luma[arm_hole])), 1.0), 0.75, 1.2)
        painted = np.clip(tone[None, None, :] * light[..., None], 0, 255).astype(np.uint8)
        out[arm_hole] = painted[arm_hole]
    return out


def _skin_tone(photo: np.ndarray, skin_roi: np.ndarray, face_box: tuple[int, int, int, int],
               roi: np.ndarray) -> np.ndarray:
    """(3,) float32 RGB median of visible skin (arms/neck first, else the face box)."""
    if skin_roi.sum() > 200:
        return np.median(roi[skin_roi], axis=0).astype(np.float32)
    x0, y0, x1, y1 = face_box
    face = photo[y0:y1, x0:x1].reshape(-1, 3)
    if len(face) == 0:
        return np.array([200.0, 160.0, 140.0], np.float32)
    return np.median(face, axis=0).astype(np.float32)
