"""The try-on generator's input for a top: the try-on region, the bare-skin hint and the
warped garment in photo pixels ((x, y), the working photo's size)."""

from __future__ import annotations

import cv2
import numpy as np
from scipy.stats import theilslopes

from tryon.body.colour import coloured_like, coloured_like_values, lab_values
from tryon.body.landmarks import PoseLandmark as L
from tryon.body.person import PersonAnalysis
from tryon.body.pose import Pose, chin_point
from tryon.body.regions import ARMS, HANDS, Region, torso_polygon
from tryon.compositing import feather, soft_outline
from tryon.generator.scene import Scene
from tryon.imaging.geometry import (
    bbox_of_mask,
    close_disc,
    crop_box,
    dilate_disc,
    distance_along,
    draw_capsule,
    draw_polygon,
    open_disc,
    parts_touching,
    past_line,
    perpendicular,
    unit,
)
from tryon.imaging.mirror_fill import mirrored_fill
from tryon.kinds.top.backdrop import HAIR_SAMPLE_MIN, filled_from_background, unlike_hair
from tryon.kinds.top.below_hem import (
    trousers_at_hands,
    with_legs_raised,
    worn_below_continued,
)
from tryon.kinds.top.drawn_skin import (
    SHOULDER_CAP,
    SLEEVE_REACH,
    bare_arms,
    bare_midriff,
    bare_neckline,
    sleeves_over_trousers,
)
from tryon.kinds.top.fit import FittedTop, body_frame
from tryon.kinds.top.region import TopRegion, left_to_paint, not_wall, top_region

__all__ = ["GARMENT_OVER_HINT", "SLEEVE_OVER_HINT", "arms_in_front", "beside_sleeves",
           "garment_layer", "garment_over_hint", "in_front_of_body", "top_scene",
           "with_backdrop", "with_background_beside_sleeves", "with_bare_arms",
           "with_bare_arms_and_neckline", "with_soft_outline"]

SLEEVE_OVER_HINT = 0.5  # a sleeve's coverage from which it wins over the bare-skin hint
GARMENT_OVER_HINT = 0.5  # the garment's coverage from which it wins over trousers, background
ON_BODY_REACH = 0.01  # body units beside the person mask the new garment may reach
HEM_EDGE_SHARE = 0.9  # of the columns where a new top runs past the region: how deep it may
HAND_CLEARANCE = 0.25  # body units about a hand where no wall is filled in beside the panel
ARM_BONE_CLEARANCE = 0.06  # body units about an arm's bone where no wall is filled in beside
# the panel
WIDE_WALL = 0.15  # body units: the wall beside a new top's panel filled in where it is this wide
BACKGROUND_GAP_REACH = 4  # pixels: the region's unhinted gap beside the person's outline, and one
SEAM_GAP = 0.3  # body units: gaps between the warped garment's parts narrower are closed
# (0.2 left a wedge of bare side at the armpit of a long sleeve on an arm bent to the hip)
SLEEVE_OUTLINE_REACH = 0.08  # body units: the arm's outline this near a new sleeve is under it
SLEEVE_SPAN = 0.3  # ... within this many body units of the bone from shoulder joint to cuff
SEAM_OFF_MIDDLE = 0.35  # ... at least this far from the body's middle line (body units; the
# neck's opening there was closed, a red patch over the neck of a new tee)
SHORT_SLEEVE = 0.9  # of the shoulder-to-elbow distance a short sleeve's cuff ends within
SLEEVED_SHARE = 0.8  # of an arm segment's bone under the new garment: that segment is sleeved
SHOULDER_SPARED = 0.3  # of the upper arm from the shoulder: its round is the shoulder's
BONE_SAMPLES = 16  # points along a bone where its coverage is looked at
FRONT_FOREARM_RADIUS = 0.15  # body units about a forearm's bone where its bare skin is in
# front of the new top above the armpits too
WRIST_SEEN = 0.8  # a wrist's visibility from which its forearm is in front of the panel
NECK_COLUMN_HALF = 0.3  # body units about the chin-to-neck-base line: the neck's column, where
# hair-coloured pixels are still drawn over as neck (a dark old collar is not hair)
MIN_TUCK_COLUMNS = 8  # columns where the new top is tucked into the trousers, to find the line
TUCK_SAMPLES = 64  # of them, evenly spaced, at most, through which the line is fitted
MAX_TUCK_TILT = 0.7  # radians the tuck line may lean from the hip line (half-tucked tees: 0.55)
WALL_SAMPLE = 0.1  # body units off the person where the wall beside it is sampled
MIN_WALL_SAMPLE = 50  # pixels of it needed
HAND_HUE_REACH = 6.0  # Lab a/b units (OpenCV's 8-bit scale) from the hands' strict skin's hue
MIN_HAND_STRICT = 20  # strictly skin-coloured hand pixels needed to take the hands' hue


def _seams_closed(rgb: np.ndarray, coverage: np.ndarray, open_gaps: np.ndarray,
                  panel: np.ndarray, unit_px: float) -> tuple[np.ndarray, np.ndarray]:
    """The warped garment (``rgb`` (h, w, 3) float32 in [0, 255], ``coverage`` (h, w)
    float32 in [0, 1]) with the gaps between its parts narrower than :data:`SEAM_GAP` body
    units closed where ``open_gaps`` ((h, w) bool) allows, in the garment's texture beside
    them mirrored across their edge (:func:`~tryon.imaging.mirror_fill.mirrored_fill`), the
    ``panel``'s ((h, w) bool, where it shows) where it is within the gap's width. Sleeves
    and panel are warped apart: on arms held out from the body a wedge opened between a
    sleeve and the panel's side under the shoulder, and the generator smeared it in the
    garment's colour mixed with skin; filled flat, it was painted as a flat patch, and
    mirrored from both sides, stripes met in a zigzag down its middle."""
    radius = max(1, int(round(SEAM_GAP * unit_px / 2)))
    solid = coverage >= GARMENT_OVER_HINT
    closed = close_disc(solid, radius)
    # The gaps and the parts' soft edges along them (a faint seam line stayed there).
    gaps = closed & (coverage < 1) & open_gaps
    if not (gaps & ~solid).any():
        return rgb, coverage
    # Worked out in the gaps' box only (grown by the blur's reach).
    height, width = coverage.shape
    x0, y0, x1, y1 = crop_box(bbox_of_mask(gaps), 3 * radius, width, height)
    window = (slice(y0, y1), slice(x0, x1))
    here = coverage[window]
    full = np.where(gaps[window], np.maximum(here, feather(closed[window].astype(np.float32))),
                    here)
    beside = mirrored_fill(mirrored_fill(rgb[window], solid[window], gaps[window]),
                           panel[window] & solid[window], gaps[window], 2 * radius)
    # Each pixel's own colour as far as it covers, the garment's beside it for the rest.
    share = (here / np.maximum(full, 1e-6))[..., None]
    rgb, coverage = rgb.copy(), coverage.copy()
    rgb[window] = rgb[window] * share + beside * (1 - share)
    coverage[window] = full
    return rgb.astype(np.float32), coverage.astype(np.float32)


def _outline_under_sleeves(person: PersonAnalysis, zone: TopRegion, fitted: FittedTop,
                           coverage: np.ndarray, in_front: np.ndarray,
                           reach_px: int) -> np.ndarray:
    """(h, w) bool in ``fitted.box``: the person's pixels in the try-on region within
    ``reach_px`` pixels (:data:`SLEEVE_OUTLINE_REACH` body units) of the new garment
    (``coverage`` (h, w) in [0, 1], the box's) beside each of its sleeves (within
    :data:`SLEEVE_SPAN` body units of the bone from the shoulder joint to the fitted cuff, not
    past the cuff), less ``in_front`` ((H, W) bool: bare forearms and hands in front of the
    body), the head, the neck and the hair. A sleeve wraps the arm: warped from the product's
    width it ended inside the arm's outline at the shoulder, and the generator painted the
    bare crescent beyond it skin."""
    pose = person.pose
    unit_px = pose.unit_px
    shape = coverage.shape
    x0, y0, x1, y1 = fitted.box
    corner = np.array([x0, y0], np.float64)
    frame = body_frame(pose)
    span = np.zeros(shape, bool)
    for side, name in enumerate(("left", "right")):
        cuff = fitted.targets.get(f"{name}_cuff")
        if cuff is None:
            continue
        bone = np.zeros(shape, np.uint8)
        draw_capsule(bone, frame.shoulder[side] - corner, cuff - corner, SLEEVE_SPAN * unit_px, 1)
        span |= (bone > 0) & ~past_line(shape, cuff - corner, cuff - frame.shoulder[side])
    if not span.any():
        return span
    solid = coverage >= GARMENT_OVER_HINT
    near = dilate_disc(solid, reach_px)
    window = (slice(y0, y1), slice(x0, x1))
    kept = (zone.protected | in_front
            | person.regions.mask(Region.HAIR, Region.FACE, Region.NECK))[window]
    return span & near & ~solid & (person.person_mask & zone.region)[window] & ~kept


def _garment_to(rgb: np.ndarray, coverage: np.ndarray, more: np.ndarray,
                reach_px: int) -> tuple[np.ndarray, np.ndarray]:
    """The warped garment (``rgb`` (h, w, 3) float32 in [0, 255], ``coverage`` (h, w)
    float32 in [0, 1]) grown over ``more`` ((h, w) bool, within ``reach_px`` pixels of it),
    each added pixel in the colour of its mirror image across the nearest pixel the garment
    covers (at least :data:`GARMENT_OVER_HINT`, :func:`~tryon.imaging.mirror_fill.mirrored_fill`):
    a stripe or a print runs on to the new edge (a blurred fill was a grey smear beside
    stripes, the nearest pixel's colour streaks across a weave)."""
    solid = coverage >= GARMENT_OVER_HINT
    grow = more & ~solid
    if not grow.any() or not solid.any():
        return rgb, coverage
    height, width = coverage.shape
    x0, y0, x1, y1 = crop_box(bbox_of_mask(grow), reach_px + 1, width, height)
    window = (slice(y0, y1), slice(x0, x1))
    source = solid[window]
    if not source.any():
        return rgb, coverage
    here = grow[window]
    rgb, coverage = rgb.copy(), coverage.copy()
    rgb[window] = mirrored_fill(rgb[window], source, here)
    shape = (source | here).astype(np.float32)
    coverage[window] = np.where(here, np.maximum(coverage[window], feather(shape)),
                                coverage[window])
    return rgb, coverage


def garment_layer(fitted: FittedTop, panel_hidden: np.ndarray | None = None) -> tuple[
        np.ndarray, np.ndarray]:
    """The warped garment inside ``fitted.box``: (h, w, 3) float32 RGB in [0, 255] (sleeves
    over the panel) and (h, w) float32 coverage in [0, 1]. ``panel_hidden``: (h, w) bool
    where the panel (not the sleeves) is left out: forearms and hands in front of the body."""
    # The fit's sleeve layer is premultiplied by its alpha (zeros outside the sleeves).
    sleeve_a = fitted.sleeve_alpha[..., None]
    panel_a = fitted.panel_alpha[..., None]
    if panel_hidden is not None:
        panel_a = panel_a * ~panel_hidden[..., None]
    alpha = sleeve_a + panel_a * (1 - sleeve_a)
    rgb = (fitted.sleeve_rgb + fitted.panel_rgb * panel_a * (1 - sleeve_a)) / np.maximum(alpha,
                                                                                        1e-6)
    return rgb.astype(np.float32), alpha[..., 0].astype(np.float32)


def arms_in_front(person: PersonAnalysis, zone: TopRegion,
                  armpits: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """(H, W) bool: the bare arm skin (``zone.bare_skin``) that stays in front of a new
    garment: below the line through the fitted ``armpits`` ((2,) xy photo points each).
    Above it bare skin is the shoulders' and the upper arms' beside a sleeveless old top,
    which the new panel covers up to its sleeves (kept in front there, a tee had a bare strip
    between its panel and each sleeve); and anywhere within :data:`FRONT_FOREARM_RADIUS` of
    a forearm's bone (a forearm raised to the neck was covered by the new sleeve)."""
    left, right = (np.asarray(point, np.float64) for point in armpits)
    down = perpendicular(right - left)
    if down @ (person.pose.point(L.LEFT_HIP) - left) < 0:
        down = -down
    below = past_line(zone.bare_skin.shape, left, down)
    # A forearm raised across the chest (a hand at the neck) is in front wherever it is.
    return zone.bare_skin & (below | _forearms(person))


def _forearms(person: PersonAnalysis, sides: tuple[bool, bool] = (True, True)) -> np.ndarray:
    """(H, W) bool: within :data:`FRONT_FOREARM_RADIUS` body units of the bone (elbow to
    wrist) of each forearm whose image side (left, right) is in ``sides``."""
    frame = body_frame(person.pose)
    forearms = np.zeros(person.person_mask.shape, np.uint8)
    for side, wanted in enumerate(sides):
        if wanted:
            draw_capsule(forearms, frame.elbow[side], frame.wrist[side],
                         FRONT_FOREARM_RADIUS * frame.unit, 1)
    return forearms > 0


def _short_sleeved(person: PersonAnalysis, fitted: FittedTop) -> tuple[bool, bool]:
    """For the image-left and -right arm: whether the new top's sleeve there (its fitted
    cuff) ends short of :data:`SHORT_SLEEVE` of the way from the shoulder to the elbow, or
    there is none. The way is measured along the arm (shoulder, elbow, wrist): the cuff of
    a long sleeve on a forearm folded back to the chest is near the shoulder."""
    frame = body_frame(person.pose)
    short = []
    for side, name in enumerate(("left", "right")):
        cuff = fitted.targets.get(f"{name}_cuff")
        chain = [frame.shoulder[side], frame.elbow[side], frame.wrist[side]]
        reach = float(np.hypot(*(frame.elbow[side] - frame.shoulder[side])))
        short.append(cuff is None or distance_along(chain, cuff) < SHORT_SLEEVE * reach)
    return short[0], short[1]


def in_front_of_body(person: PersonAnalysis, zone: TopRegion,
                     bare_arms_in_front: np.ndarray) -> np.ndarray:
    """(H, W) bool: what hides a garment's panel (not its sleeves): forearms and hands in
    front of the body, which the generator paints (the garment's floor would otherwise keep
    the panel over them), and ``bare_arms_in_front`` (:func:`arms_in_front`), kept in front
    (given both, the model blended them into a ghost)."""
    # A hand is its skin (the region's protected part of its disc); a forearm counts only
    # when its wrist is seen: hands held behind the back are placed on the waist, and the
    # panel got holes there.
    forearms = [region for region, wrist in ((Region.LEFT_FOREARM, L.LEFT_WRIST),
                                             (Region.RIGHT_FOREARM, L.RIGHT_WRIST))
                if person.pose.visible(wrist, WRIST_SEEN)]
    return (person.regions.mask(*forearms) | (person.regions.mask(*HANDS) & zone.protected)
            | bare_arms_in_front)


def garment_over_hint(zone: TopRegion, coverage: np.ndarray,
                      bare_arms_in_front: np.ndarray) -> np.ndarray:
    """(H, W) bool: ``zone.hint`` less the background and the bare neck that the new garment
    covers (``coverage`` (H, W) in [0, 1] at least :data:`GARMENT_OVER_HINT`): a top wider
    than the old one hides what was beside it, a higher neckline the neck's skin (the
    generator keeps hinted pixels, and would cut holes in the garment there). Bare arms in
    front (``bare_arms_in_front``, :func:`arms_in_front`) stay in front of it and it is
    tucked into the trousers."""
    return zone.hint & ((coverage < GARMENT_OVER_HINT) | bare_arms_in_front | zone.worn_below)


def with_backdrop(zone: TopRegion, coverage: np.ndarray, picture: np.ndarray,
                  hint: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``picture`` ((H, W, 3) uint8) and ``hint`` ((H, W) bool) with the old top's pixels
    beside the neck that the new garment (``coverage`` (H, W) in [0, 1]) leaves replaced by
    the background behind them and hinted (``zone.backdrop``): a hood lying down is gone,
    the wall shows."""
    backdrop = zone.backdrop.zone & (coverage < GARMENT_OVER_HINT)
    if not backdrop.any():
        return picture, hint
    return np.where(backdrop[..., None], zone.backdrop.rgb, picture), hint | backdrop


def top_scene(photo: np.ndarray, person: PersonAnalysis, fitted: FittedTop,
              zone: TopRegion | None = None) -> Scene:
    """What the try-on generator needs for a top on ``photo`` ((H, W, 3) uint8 RGB): the
    try-on region and skin hint (``zone``, :func:`~tryon.kinds.top.region.top_region` of
    this photo, worked out here when None), the warped garment in photo coordinates, the
    pose."""
    zone = top_region(photo, person) if zone is None else zone
    original = photo
    height, width = photo.shape[:2]
    garment = np.zeros((height, width, 3), np.float32)
    coverage = np.zeros((height, width), np.float32)
    x0, y0, x1, y1 = fitted.box
    bare_in_front = arms_in_front(person, zone, (fitted.targets["left_armpit"],
                                                 fitted.targets["right_armpit"]))
    in_front = in_front_of_body(person, zone, bare_in_front)
    rgb, alpha = garment_layer(fitted, in_front[y0:y1, x0:x1])
    garment[y0:y1, x0:x1] = rgb
    # The inside of the back is behind the neck and shoulders: the generator paints them
    # there; above the body's outline beside the neck it shows.
    behind_neck = (fitted.inner_back * (1 - fitted.sleeve_alpha)
                   * ~zone.above_body[y0:y1, x0:x1])
    # Worn on the body: no further than ON_BODY_REACH beside the person (a halter top's wide
    # product shape, a tee's sides stuck out over the wall beside the body).
    on_body = dilate_disc(person.person_mask,
                          max(1, int(round(ON_BODY_REACH * person.pose.unit_px))))
    coverage[y0:y1, x0:x1] = (feather(alpha * (1 - behind_neck))
                              * feather(on_body[y0:y1, x0:x1].astype(np.float32)))
    open_gaps = (zone.region & on_body & ~zone.protected & ~in_front
                 & (zone.across > SEAM_OFF_MIDDLE)
                 )[y0:y1, x0:x1]
    reach_px = max(1, int(round(SLEEVE_OUTLINE_REACH * person.pose.unit_px)))
    under_sleeves = _outline_under_sleeves(person, zone, fitted, coverage[y0:y1, x0:x1],
                                           in_front, reach_px)
    under_sleeves &= behind_neck < 0.5  # where the generator paints the neck
    garment[y0:y1, x0:x1], coverage[y0:y1, x0:x1] = _garment_to(
        garment[y0:y1, x0:x1], coverage[y0:y1, x0:x1], under_sleeves, reach_px)
    garment[y0:y1, x0:x1], coverage[y0:y1, x0:x1] = _seams_closed(
        garment[y0:y1, x0:x1], coverage[y0:y1, x0:x1], open_gaps,
        (fitted.panel_alpha >= GARMENT_OVER_HINT) & (fitted.sleeve_alpha < SLEEVE_OVER_HINT),
        person.pose.unit_px)
    # Bare arm skin is no longer certainly right where the new sleeves go: a long sleeve
    # covers it (the model keeps hinted pixels and would cut the sleeve into pieces).
    hint = garment_over_hint(zone, coverage, bare_in_front)
    over_sleeves = sleeves_over_trousers(photo, person.pose, zone.worn_below,
                                         zone.bare_skin | zone.bare_body, person.person_mask)
    hint &= ~over_sleeves
    # ... but for a bare forearm crossing in front of a short sleeve (a hand raised to the
    # neck; a long sleeve covers the forearm).
    hint[y0:y1, x0:x1] &= ((fitted.sleeve_alpha < SLEEVE_OVER_HINT)
                           | (bare_in_front & _forearms(person, _short_sleeved(person, fitted))
                              )[y0:y1, x0:x1])
    # Tucked into the trousers, the top's panel does not show beside them either (a tee's
    # side beside white trousers, over an old flared sleeve, was painted to the hips as a red
    # strip); its sleeves hang on.
    below_tuck = _below_tuck(zone, person.pose, hint, coverage >= GARMENT_OVER_HINT)
    if below_tuck is not None:
        panel_only = np.ones_like(coverage, bool)
        panel_only[y0:y1, x0:x1] = fitted.sleeve_alpha < SLEEVE_OVER_HINT
        coverage[below_tuck & ~(zone.worn_below & ~over_sleeves) & panel_only] = 0
    photo, hint = with_backdrop(zone, coverage, photo, hint)
    # Under a top shorter or with shorter sleeves than the old one the torso and arms are
    # bare: skin is drawn there and hinted.
    covered = coverage >= GARMENT_OVER_HINT
    hem = (fitted.targets["left_hem"] + fitted.targets["right_hem"]) / 2
    midriff = bare_midriff(photo, person.pose, left_to_paint(zone, person, hint, covered),
                           covered, zone.bare_skin | zone.bare_body, zone.face_lit_rgb, hem,
                           zone.worn_below, grain_cap=zone.skin_grain)
    if midriff is not None:
        photo, hint = midriff.rgb, hint | midriff.zone
    photo, hint, drawn = with_bare_arms_and_neckline(zone, person, photo, hint, covered,
                                                     sleeveless=not fitted.sleeve_alpha.any())
    if midriff is not None:
        drawn = drawn | midriff.zone
    also = _beside_panel(zone, person, hint, covered, fitted.targets,
                         None if midriff is None else midriff.zone)
    if not fitted.sleeve_alpha.any():
        also |= unlike_hair(original, person, _above_shoulders(zone, person, hint, covered),
                            chin_point(person.pose))
    photo, hint = with_background_beside_sleeves(zone, person, photo, hint, covered, also=also)
    hint = hint | worn_below_continued(zone, person, photo, hint, covered)
    hint = hint | trousers_at_hands(zone, person, photo, hint, covered)
    photo, hint = with_legs_raised(zone, person, photo, hint, covered)
    hint = hint | _wall_below_tuck(zone, person, photo, hint, below_tuck)
    hint = hint | _trousers_below_tuck(zone, person, hint, covered, below_tuck)
    # The whole new top is painted: where it reaches past the region (a tee longer than the
    # old top, over the trousers) the region's edge cut its hem into steps. Not where it is
    # tucked in (under hinted trousers): a strip of its hem showed below them.
    region = zone.region | _hem_below_region(zone, covered & ~hint)
    photo = with_soft_outline(zone, photo, drawn, hint, covered)
    return Scene(photo=photo, region=region, hint=hint & region, garment=garment,
                 garment_mask=coverage * region, skin_rgb=zone.skin_rgb,
                 landmarks=person.pose.xy, visibility=person.pose.visibility,
                 shoulder_width=person.pose.shoulder_width)


def with_bare_arms(zone: TopRegion, person: PersonAnalysis, picture: np.ndarray,
                   hint: np.ndarray, covered: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``picture`` ((H, W, 3) uint8: the photo, or a composite painted over) and ``hint``
    ((H, W) bool) with bare arms drawn and hinted where old sleeves covered them and the new
    garment (``covered`` (H, W) bool) does not (:func:`~tryon.kinds.top.drawn_skin.bare_arms`),
    and the old sleeves' extra width beside them, off the torso, filled from the background
    and hinted; and the drawn skin ((H, W) bool)."""
    arms = bare_arms(picture, person.pose, left_to_paint(zone, person, hint, covered), covered,
                     zone.bare_skin | zone.bare_body, zone.face_lit_rgb, person.person_mask,
                     _hands_skin(zone, person, picture), grain_cap=zone.skin_grain)
    if arms is None:
        return picture, hint, np.zeros_like(hint)
    picture, hint = arms.rgb, hint | arms.zone
    beyond = arms.beyond & zone.region
    filled = filled_from_background(picture, beyond, not_wall(zone, person), person.pose.unit_px)
    if filled is not None:
        picture, hint = filled, hint | beyond
    return picture, hint, arms.zone


def _hands_skin(zone: TopRegion, person: PersonAnalysis, photo: np.ndarray) -> np.ndarray:
    """(H, W) bool: the hands' skin that drawn forearms take their colour from and blend
    into: the hands the region keeps in front (``zone.protected``), loosely skin-coloured
    and within :data:`HAND_HUE_REACH` of the hue (Lab a, b of ``photo``, (H, W, 3) uint8
    RGB) of their strictly skin-coloured pixels (near the face's colour; those alone when
    fewer than :data:`MIN_HAND_STRICT`). Strict skin alone kept only a lit pale hand's
    shaded part: a tanned man's forearms were drawn brown above his pink hands, a step at
    the wrist (the strict pixels 141, 103, 96 RGB, 100 of them; the hands 205, 162, 153);
    the loose skin alone took a pale yellow skirt behind a hand, and the arms were khaki."""
    hands = person.regions.mask(*HANDS)
    strict = hands & zone.skin
    if strict.sum() < MIN_HAND_STRICT:
        return strict
    box = bbox_of_mask(hands)
    x0, y0, x1, y1 = box
    lab = cv2.cvtColor(photo[y0:y1, x0:x1], cv2.COLOR_RGB2LAB).astype(np.float32)
    hue = np.median(lab[strict[y0:y1, x0:x1]][:, 1:], axis=0)
    near = np.linalg.norm(lab[..., 1:] - hue, axis=2) < HAND_HUE_REACH
    out = strict.copy()
    out[y0:y1, x0:x1] |= (hands & zone.protected & person.regions.skin)[y0:y1, x0:x1] & near
    return out


def with_bare_arms_and_neckline(zone: TopRegion, person: PersonAnalysis, picture: np.ndarray,
                                hint: np.ndarray, covered: np.ndarray, *,
                                sleeveless: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``picture`` and ``hint`` (as for :func:`with_bare_arms`) with the bare arms, then the
    bare neck and chest above the new garment (``covered`` (H, W) bool; ``sleeveless``: it
    has no sleeves) drawn and hinted (:func:`~tryon.kinds.top.drawn_skin.bare_neckline`),
    the neckline meeting the drawn arms without a seam (drawn first in the neck's tone, the
    chest beside a tank top's deep armhole stood out); and the drawn skin ((H, W) bool)."""
    hinted = hint
    picture, hint, drawn = with_bare_arms(zone, person, picture, hint, covered)
    open_zone = left_to_paint(zone, person, hint, covered)
    open_zone &= ~_hair_strands_over_skin(picture, person, zone, open_zone)
    neckline = bare_neckline(picture, person.pose, open_zone, covered,
                             zone.bare_skin | zone.bare_body, zone.face_lit_rgb,
                             chin_point(person.pose), sleeveless=sleeveless,
                             meet=zone.bare_skin | zone.bare_body | (hint & ~hinted),
                             grain_cap=zone.skin_grain)
    if neckline is not None:
        picture, hint, drawn = neckline.rgb, hint | neckline.zone, drawn | neckline.zone
    return picture, hint, drawn


def with_soft_outline(zone: TopRegion, picture: np.ndarray, drawn: np.ndarray,
                      hint: np.ndarray, covered: np.ndarray) -> np.ndarray:
    """``picture`` ((H, W, 3) uint8) with the outline of the ``drawn`` skin ((H, W) bool)
    softened (:func:`~tryon.compositing.soft_outline`) where it is kept as drawn (``hint``,
    not ``covered`` by the new garment, both (H, W) bool), not where it meets the photo's own
    bare skin: drawn skin blends into that already."""
    return soft_outline(picture, drawn, hint & ~covered & ~(zone.bare_skin | zone.bare_body))


def with_background_beside_sleeves(zone: TopRegion, person: PersonAnalysis,
                                   picture: np.ndarray, hint: np.ndarray, covered: np.ndarray,
                                   also: np.ndarray | None = None
                                   ) -> tuple[np.ndarray, np.ndarray]:
    """``picture`` and ``hint`` (as for :func:`with_bare_arms`) with what is left to paint
    beside a sleeved arm (:func:`beside_sleeves`) or of the old top reaching out of the body
    (``zone.reaching_out``: a ruffle the generator extended the new sleeve over), and
    ``also`` ((H, W) bool, another zone that shows the wall; one fill for both), filled from
    the background around the person and hinted."""
    beside = beside_sleeves(zone, person, hint, covered) | (
        zone.reaching_out & left_to_paint(zone, person, hint, covered))
    if also is not None:
        beside |= also
    if not beside.any():
        return picture, hint
    # Not a bare arm's own edge: loosely skin-coloured, joined to its hint (shaded or lit
    # past the skin's strict tone; the wall filled in there bit notches into the arm).
    beside &= ~parts_touching(person.regions.skin & person.person_mask, zone.bare_skin)
    filled = filled_from_background(picture, beside, not_wall(zone, person), person.pose.unit_px)
    if filled is None:
        return picture, hint
    return filled, hint | beside


def _beside_panel(zone: TopRegion, person: PersonAnalysis, hint: np.ndarray,
                  covered: np.ndarray, targets: dict[str, np.ndarray],
                  midriff: np.ndarray | None = None) -> np.ndarray:
    """(H, W) bool: what is left to paint beside the new top's panel (``covered`` (H, W)
    bool) between its fitted shoulders and hem (``targets``, :attr:`FittedTop.targets`; the
    armpits of arms held out are fitted low, under the wedge beside the sleeve), under it in
    its column, or beside a bare ``midriff`` drawn under it ((H, W) bool, in the rows from
    the hem down to the midriff's lowest), not within :data:`HAND_CLEARANCE` of a hand nor
    at the soft edge of what the photo keeps, joined to a wide stretch of wall off the person
    (:data:`WIDE_WALL`; hinted, or outside the region): an old top's sides wider than the
    new one, where the wall shows between the arm and the body. The generator smeared the
    new top's colour with the wall there, an orange wedge under a red tee's sleeve, and a
    loose black tank's sides beside a crop top's midriff as a grey blur. Worked out in the
    box of the candidates grown by the wall's reach."""
    out = np.zeros_like(hint)
    unit_px = person.pose.unit_px
    hem = (targets["left_hem"], targets["right_hem"])
    # Under the new top in its column (above a sleeve's top, the fill cut into the shoulder
    # and the generator drew the sleeve's edge out as a streak).
    candidates = (np.maximum.accumulate(covered, axis=0)
                  & _between_lines(hint.shape,
                                   (targets["left_shoulder"], targets["right_shoulder"]),
                                   hem))
    if midriff is not None and midriff.any():
        rows = np.arange(hint.shape[0])[:, None]
        lowest = int(np.flatnonzero(midriff.any(axis=1))[-1])
        candidates |= _beyond_line(hint.shape, hem, downwards=True) & (rows <= lowest)
    candidates &= zone.region & ~zone.protected & ~hint & ~covered
    box = bbox_of_mask(candidates)
    if box is None:
        return out
    radius = max(1, int(round(WIDE_WALL * unit_px / 2)))
    height, width = hint.shape
    x0, y0, x1, y1 = crop_box(box, 3 * radius + BACKGROUND_GAP_REACH, width, height)
    window = (slice(y0, y1), slice(x0, x1))
    on_person = person.person_mask[window]
    # On the person or in the unhinted gap the region leaves beside its outline; not at the
    # soft edge of what the photo keeps on the person (a bare arm's, outlined in white by
    # the wall filled in along it), nor near a hand (beside one in a pocket, a white block
    # was filled in at the hip).
    kept_edge = dilate_disc(hint[window] & on_person, BACKGROUND_GAP_REACH)
    hands = dilate_disc(person.regions.mask(*HANDS)[window],
                        max(1, int(round(HAND_CLEARANCE * unit_px))))
    # Nor on an arm's bone (an old half sleeve's end above a bare forearm, under a shorter
    # new sleeve: white blocks were filled in across the elbows).
    arms = np.zeros(hint.shape, np.uint8)
    for shoulder, elbow, wrist in ((L.LEFT_SHOULDER, L.LEFT_ELBOW, L.LEFT_WRIST),
                                   (L.RIGHT_SHOULDER, L.RIGHT_ELBOW, L.RIGHT_WRIST)):
        chain = [person.pose.point(m) for m in (shoulder, elbow, wrist)]
        for start, end in zip(chain[:-1], chain[1:], strict=True):
            draw_capsule(arms, start, end, ARM_BONE_CLEARANCE * unit_px, 1)
    open_zone = candidates[window] & ~kept_edge & ~hands & (arms[window] == 0)
    # Wide open wall only (a slit between an arm hanging against the body and the body,
    # or beside a hand in a pocket, is not: the wall filled in there cut white slits and
    # blocks into the body).
    wall = open_disc(~on_person & (hint[window] | ~zone.region[window]), radius)
    if not open_zone.any() or not wall.any():
        return out
    joined = parts_touching(open_zone, dilate_disc(wall, 1)) & open_zone
    # The gap beside the outline only next to the old top's pixels filled (along a bare arm
    # it is the arm's soft edge, and the wall filled in there outlined the arm in white).
    out[window] = joined & (on_person | dilate_disc(joined & on_person, BACKGROUND_GAP_REACH))
    return out


def _above_shoulders(zone: TopRegion, person: PersonAnalysis, hint: np.ndarray,
                     covered: np.ndarray) -> np.ndarray:
    """(H, W) bool: what is left to paint above the line through the shoulder joints, over
    the shoulders' outer ends (within :data:`~tryon.kinds.top.drawn_skin.SHOULDER_CAP` body
    units of each joint along that line, or beyond): an old tee's square shoulders beyond the
    round ones drawn under a sleeveless top, which the generator painted as pale pads. (Up
    to the neck, the wall filled in cut notches into the neck's and the hair's edges.)"""
    pose = person.pose
    joints = (pose.point(L.LEFT_SHOULDER), pose.point(L.RIGHT_SHOULDER))
    normal = perpendicular(joints[1] - joints[0])
    if normal[1] > 0:
        normal = -normal  # upwards
    reach = SHOULDER_CAP * pose.unit_px
    outer = np.zeros(hint.shape, bool)
    for joint, other in (joints, joints[::-1]):
        outward = unit(joint - other)
        outer |= past_line(hint.shape, joint - outward * reach, outward)
    return (left_to_paint(zone, person, hint, covered) & outer
            & past_line(hint.shape, joints[0], normal))


def _between_lines(shape: tuple[int, int], upper: tuple[np.ndarray, np.ndarray],
                   lower: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """(H, W) bool: pixels below the line through the two ``upper`` points and above the
    line through the two ``lower`` points ((2,) xy each; y grows downwards)."""
    return (_beyond_line(shape, upper, downwards=True)
            & _beyond_line(shape, lower, downwards=False))


def _beyond_line(shape: tuple[int, int], points: tuple[np.ndarray, np.ndarray], *,
                 downwards: bool) -> np.ndarray:
    """(H, W) bool: pixels below (``downwards``) or above the line through the two
    ``points`` ((2,) xy each; y grows downwards)."""
    normal = perpendicular(points[1] - points[0])
    if (normal[1] > 0) != downwards:
        normal = -normal
    return past_line(shape, points[0], normal)


def beside_sleeves(zone: TopRegion, person: PersonAnalysis, hint: np.ndarray,
                   covered: np.ndarray) -> np.ndarray:
    """(H, W) bool: what is left to paint beside an arm the new garment covers (``covered``
    (H, W) bool over at least :data:`SLEEVED_SHARE` of the segment's bone, elbow to wrist or
    shoulder to elbow less its :data:`SHOULDER_SPARED` at the shoulder), on its outer side
    within :data:`~tryon.kinds.top.drawn_skin.SLEEVE_REACH` body units of the bone (as far as
    an old sleeve reaches beside a drawn arm) and off the torso: an old sleeve wider
    than the new one, where the wall shows. The generator painted an arm's skin there, a
    beige halo along the new sleeve."""
    frame = body_frame(person.pose)
    s = frame.unit
    middle = (frame.shoulder[0] + frame.shoulder[1] + frame.hip[0] + frame.hip[1]) / 4
    band = np.zeros(hint.shape, np.uint8)
    for side in range(2):
        upper = (frame.shoulder[side] + SHOULDER_SPARED * (frame.elbow[side]
                                                          - frame.shoulder[side]),
                 frame.elbow[side])
        for start, end in (upper, (frame.elbow[side], frame.wrist[side])):
            if _covered_share(covered, start, end) < SLEEVED_SHARE:
                continue
            # Only on the arm's outer side: on its inner side lies the body (a gap filled
            # with wall there cut the arms off the torso).
            normal = perpendicular(end - start)
            if normal @ ((start + end) / 2 - middle) < 0:
                normal = -normal
            reach = normal * SLEEVE_REACH * s
            draw_polygon(band, np.array([start, end, end + reach, start + reach]), 1)
    if not band.any():
        return np.zeros(hint.shape, bool)
    torso = np.zeros(hint.shape, np.uint8)
    draw_polygon(torso, torso_polygon(person.pose, s), 1)
    return (band > 0) & (torso == 0) & ~covered & ~person.regions.mask(*HANDS) & (
        left_to_paint(zone, person, hint, covered)
        | (zone.region & ~hint & ~person.person_mask))


def _covered_share(covered: np.ndarray, start: np.ndarray, end: np.ndarray) -> float:
    """The share of the points along the segment ``start`` → ``end`` ((2,) xy each) that
    lie on ``covered`` ((H, W) bool); points outside the photo count as not covered."""
    points = start[None] + np.linspace(0.0, 1.0, BONE_SAMPLES)[:, None] * (end - start)[None]
    xs, ys = np.round(points[:, 0]).astype(int), np.round(points[:, 1]).astype(int)
    inside = (xs >= 0) & (xs < covered.shape[1]) & (ys >= 0) & (ys < covered.shape[0])
    on = np.zeros(BONE_SAMPLES, bool)
    on[inside] = covered[ys[inside], xs[inside]]
    return float(on.mean())


def _below_tuck(zone: TopRegion, pose: Pose, hint: np.ndarray,
                covered: np.ndarray) -> np.ndarray | None:
    """(H, W) bool: the pixels below the line where the new top (``covered`` (H, W) bool) is
    tucked into the hinted trousers or skirt (``zone.worn_below`` under it, in ``hint``): the
    Theil–Sen line through each column's highest such pixel (which a hand or an arm's label
    over the waistband pushes down in a few columns); None when the top is tucked in fewer
    than :data:`MIN_TUCK_COLUMNS` columns, or when that line leans more than
    :data:`MAX_TUCK_TILT` from the hip line (``pose``'s): a waistband follows the hips, and
    the trousers beside a hand, found down a forearm, gave a line from a shoulder to the
    other hip, and the new top was cut away beyond it."""
    tucked = zone.worn_below & hint & covered
    columns = np.flatnonzero(tucked.any(axis=0))
    if columns.size < MIN_TUCK_COLUMNS:
        return None
    # Theil–Sen is quadratic in the points: through a 2 MP photo's 600 columns, 13 ms.
    columns = columns[np.linspace(0, columns.size - 1, min(columns.size, TUCK_SAMPLES)
                                  ).astype(int)]
    tops = tucked[:, columns].argmax(axis=0).astype(np.float64)
    slope, intercept, _, _ = theilslopes(tops, columns)
    across = perpendicular(pose.torso_down)
    hips = np.arctan2(across[1], across[0])
    tilt = abs((np.arctan(slope) - hips + np.pi / 2) % np.pi - np.pi / 2)
    if tilt > MAX_TUCK_TILT:
        return None
    line = intercept + slope * np.arange(hint.shape[1])
    return np.arange(hint.shape[0])[:, None] >= line[None, :]


def _wall_below_tuck(zone: TopRegion, person: PersonAnalysis, photo: np.ndarray,
                     hint: np.ndarray, below_tuck: np.ndarray | None) -> np.ndarray:
    """(H, W) bool: the try-on region below the tuck line (``below_tuck``, :func:`_below_tuck`)
    that is coloured like the background beside the person there (within
    :data:`WALL_SAMPLE` body units off its mask), joined to it off the person, and not like
    the old top (``zone.like_old_top``): the top is under the skirt, and the wall beside it
    shows. A tee's side beside a white pencil skirt, over the wall that the person's mask and
    an arm's label took in, was painted down to the skirt's hem as a red strip. (Not
    whatever the photo shows there: an old tunic's print and an old sleeve hanging beside the
    hips would stay, and the light parts of a print on the body.)"""
    out = np.zeros_like(hint)
    if below_tuck is None:
        return out
    below = below_tuck & zone.region & ~zone.like_old_top & ~hint
    box = bbox_of_mask(below)
    if box is None:
        return out
    reach = max(1, int(round(WALL_SAMPLE * person.pose.unit_px)))
    x0, y0, x1, y1 = crop_box(box, reach, hint.shape[1], hint.shape[0])
    on_person = person.person_mask[y0:y1, x0:x1]
    wall = dilate_disc(on_person, reach) & ~on_person & ~zone.region[y0:y1, x0:x1]
    if wall.sum() < MIN_WALL_SAMPLE:
        return out
    lab = cv2.cvtColor(photo[y0:y1, x0:x1], cv2.COLOR_RGB2LAB).astype(np.float32)
    like_wall = below[y0:y1, x0:x1] & coloured_like(lab, wall)
    out[y0:y1, x0:x1] = parts_touching(like_wall, like_wall & ~on_person)
    return out


def _trousers_below_tuck(zone: TopRegion, person: PersonAnalysis, hint: np.ndarray,
                         covered: np.ndarray, below_tuck: np.ndarray | None) -> np.ndarray:
    """(H, W) bool: what is left to paint below the tuck line (``below_tuck``,
    :func:`_below_tuck`) on the person, off the arms, hands and skin and unlike the old top
    (``zone.like_old_top``), joined to the hinted trousers or skirt: theirs too, in a light
    their colour model missed. A satin skirt's sheen beside a hanging arm was left out of
    the hint; with the top tucked in there, the generator painted it as a brown blur with
    the old top's colours."""
    out = np.zeros_like(hint)
    if below_tuck is None:
        return out
    trousers = zone.worn_below & hint
    regions = person.regions
    open_part = (left_to_paint(zone, person, hint, covered) & below_tuck & person.person_mask
                 & ~regions.mask(*ARMS, *HANDS) & ~regions.skin & ~zone.skin
                 & ~zone.like_old_top)
    if not open_part.any() or not trousers.any():
        return out
    return parts_touching(open_part, dilate_disc(trousers, 1)) & open_part


def _hem_below_region(zone: TopRegion, shown: np.ndarray) -> np.ndarray:
    """(H, W) bool: the new top's pixels (``shown`` (H, W) bool: covered by it and not
    hinted, so not tucked under trousers) straight below the region's shown ones, each
    column's run of them down from the region's edge, off the protected hands, and no lower
    than the region's edge in :data:`HEM_EDGE_SHARE` of those columns: the hem is cut
    straight there (reaching further over the trousers cost the pairs' likeness)."""
    below = shown & ~zone.region & ~zone.protected
    box = bbox_of_mask(below)
    out = np.zeros_like(shown)
    if box is None:
        return out
    x0, y0, x1, y1 = box
    inside = shown & zone.region
    run = inside[max(0, y0 - 1), x0:x1].copy()
    edge = np.full(x1 - x0, -1)
    for y in range(y0, y1):
        starts = below[y, x0:x1] & run & (edge < 0)
        edge[starts] = y
        run = below[y, x0:x1] & run
        out[y, x0:x1] = run
        run |= inside[y, x0:x1]
    if (edge >= 0).any():
        out[int(np.percentile(edge[edge >= 0], HEM_EDGE_SHARE * 100)) + 1:] = False
    return out


def _hair_strands_over_skin(picture: np.ndarray, person: PersonAnalysis,
                            zone: TopRegion, open_zone: np.ndarray) -> np.ndarray:
    """(H, W) bool: hair hanging over bare shoulders: pixels of ``open_zone`` ((H, W) bool,
    what is left to paint) beside the neck's column (more than :data:`NECK_COLUMN_HALF` body
    units from the chin-to-neck-base line) coloured like the head's hair above the chin,
    unlike the old top and joined to the hair-labelled pixels. Drawn neck skin there was a
    flat patch over the strands; in the neck's column a dark old collar looks like dark
    hair and is drawn over. The colours are converted only for the hair's sample and the box
    of those candidate pixels."""
    pose = person.pose
    chin = chin_point(pose)
    neck_base = pose.neck_base
    rows = np.arange(picture.shape[0])[:, None] < chin[1]
    sample = (person.regions.labels == Region.HAIR) & person.person_mask & rows
    strands = np.zeros(sample.shape, bool)
    if sample.sum() < HAIR_SAMPLE_MIN:
        return strands
    column = np.zeros(sample.shape, np.uint8)
    draw_capsule(column, chin, neck_base, NECK_COLUMN_HALF * pose.unit_px, 1)
    beside = open_zone & (column == 0) & ~zone.like_old_top
    box = bbox_of_mask(beside)
    if box is None:
        return strands
    x0, y0, x1, y1 = box
    hair = lab_values(picture, sample)
    window = cv2.cvtColor(np.ascontiguousarray(picture[y0:y1, x0:x1]),
                          cv2.COLOR_RGB2LAB).astype(np.float32)
    strands[y0:y1, x0:x1] = coloured_like_values(window, hair) & beside[y0:y1, x0:x1]
    # Hanging from the head: joined to the hair (a dark lace trim along an old V-neck, its
    # scallops brown like the hair but parted from it by the bare neck, was left undrawn).
    head_hair = person.regions.mask(Region.HAIR)
    return parts_touching(strands | head_hair, head_hair) & strands
