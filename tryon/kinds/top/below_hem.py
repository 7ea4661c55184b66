"""What shows under a new top's hem where the old top was longer: the legs' clothes.

An old top hangs over the trousers' or skirt's top; a shorter new top leaves that part to be
painted. Where the photo shows the legs' clothes themselves there (an old top tucked in, or
one of their colour), they are kept as they are (:func:`worn_below_continued`); where it
shows the old top's hem, the clothes below the try-on region are carried up over it to the
mid-rise waistband (:func:`with_legs_raised`), as a crop top's bare midriff is drawn down
to it (:func:`~tryon.kinds.top.drawn_skin.bare_midriff`). Left to the generator, both were
painted as a smear of skin, old top and trousers (black shorts under an orange tee, under a
new crop top: a brown blur from the midriff to the shorts).

Coordinates: (x, y) photo pixels, x right, y down; masks (H, W) bool; sizes in body units
(:attr:`~tryon.body.pose.Pose.unit_px`).
"""

from __future__ import annotations

import cv2
import numpy as np
from scipy.ndimage import gaussian_filter1d

from tryon.body.colour import PLAIN_SPREAD, coloured_like, near_palette, plain_median
from tryon.body.landmarks import PoseLandmark as L
from tryon.body.person import PersonAnalysis
from tryon.body.pose import WAIST_ABOVE_HIPS
from tryon.body.regions import ARMS, HANDS, Region
from tryon.imaging.blur import photo_grain
from tryon.imaging.geometry import bbox_of_mask, crop_box, dilate_disc, parts_touching
from tryon.kinds.top.backdrop import filled_from_background
from tryon.kinds.top.drawn_skin import GRAIN_SEED
from tryon.kinds.top.region import BACKGROUND_GAP, TopRegion, left_to_paint, not_wall

__all__ = ["LEGS_SAMPLE", "plain_part", "trousers_at_hands", "with_legs_raised",
           "worn_below_continued"]

LEGS_SAMPLE = 0.2  # body units below the try-on region where the legs' clothes are sampled
MIN_LEGS_SAMPLE = 0.02  # square body units of them needed
MAX_SAMPLE_COVERED = 0.5  # of that sample under the new top: no trousers show under its hem
MIN_RAISED_SOURCE = 3  # pixels of the legs' clothes a column needs below the region to be
# carried up (a sliver beside a thigh's edge would repeat one pixel up the column)
# Only plain clothes are carried up (:data:`~tryon.body.colour.PLAIN_SPREAD`): a print
# carried up a column was streaks.
PLAIN_REACH = 3.0  # of those spreads from the median: the clothes' own pixels, carried up
RAISED_SPREAD = (40.0, PLAIN_SPREAD[1], PLAIN_SPREAD[2])  # Lab: the spread of the clothes
# carried up, lightness looser than a plain colour's (each column takes its own median: the
# folds and fading of light jeans under a black tunic's hem varied by 36, and they were
# left to the generator, a smear)
RAISED_SMOOTHING = 0.03  # body units: the Gaussian across columns that smooths their colours
HAND_TROUSERS_REACH = 0.5  # body units around a hand's label where the trousers are sampled
MIN_RAISED_HEIGHT = 0.1  # body units of a column left to paint under the hem: a thinner gap
# is the fit's error beside a hem of the old top's length, the generator's to paint


def worn_below_continued(zone: TopRegion, person: PersonAnalysis, photo: np.ndarray,
                         hint: np.ndarray, covered: np.ndarray) -> np.ndarray:
    """(H, W) bool: what is left to paint under the new top's hem (``covered`` (H, W) bool,
    below it in each column; not the arms' or hands' labels) that is coloured like the clothes
    on the legs (:func:`_legs_clothes`) and joined to them: the trousers or skirt going on up
    to the new hem, which the photo shows as they are. Under a new top reaching over
    high-waisted black jeans that an old black top was tucked into (the two of one colour, no
    trousers were found), the generator painted a grey smear; an old white tunic under a
    shorter top over blue jeans does not match the jeans and is still painted, nor is an old
    tunic's long hem (``zone.long_hem``: a floral one matched grey jeans). Nothing when
    the new top covers more than :data:`MAX_SAMPLE_COVERED` of the clothes sampled (the
    photo's last rows, where the photo ends at the hips: the old top going on below them,
    no trousers shown; a strip of an old knit sweater beside a drawn forearm, under the new
    tee's sleeve in its column, was kept as trousers, a dark line down the arm)."""
    open_below = _open_below(zone, person, hint, covered)
    band = _legs_clothes(zone, person)
    box = bbox_of_mask(open_below | band)
    out = np.zeros_like(hint)
    if (box is None or not band.any() or not open_below.any()
            or (band & covered).sum() > MAX_SAMPLE_COVERED * band.sum()):
        return out
    x0, y0, x1, y1 = box
    lab = cv2.cvtColor(photo[y0:y1, x0:x1], cv2.COLOR_RGB2LAB).astype(np.float32)
    window_band = band[y0:y1, x0:x1]
    like = coloured_like(lab, window_band)
    like &= ~(zone.like_old_top | zone.long_hem)[y0:y1, x0:x1]
    joined = parts_touching(like & (open_below[y0:y1, x0:x1] | window_band), window_band)
    out[y0:y1, x0:x1] = joined & open_below[y0:y1, x0:x1]
    return out


def trousers_at_hands(zone: TopRegion, person: PersonAnalysis, photo: np.ndarray,
                      hint: np.ndarray, covered: np.ndarray) -> np.ndarray:
    """(H, W) bool: what is left to paint in a hand's label below the mid-rise waistband
    (:data:`~tryon.body.pose.WAIST_ABOVE_HIPS` body units above the hip line) that is not
    skin nor the old top told from the legs, coloured like the palette (:func:`near_palette`)
    of the trousers within :data:`HAND_TROUSERS_REACH` body units (hinted, or the legs'
    clothes below the region) and joined to them through clothes of those colours:
    the trousers round a hand in a pocket, whose label holds them. The generator painted
    there a blue smear beside green striped trousers (a denim pocket, its guess). Only where
    the old top is told from the legs' clothes (``zone.like_old_top`` not empty)."""
    out = np.zeros_like(hint)
    if not zone.like_old_top.any():
        # The old top is not told from the legs' clothes: its sleeve's cuff by a hand in a
        # pocket matches the trousers (a black cuff was kept beside a new white tee's sleeve).
        return out
    regions = person.regions
    candidates = (left_to_paint(zone, person, hint, covered) & regions.mask(*HANDS)
                  & ~regions.skin & ~zone.skin & ~zone.like_old_top
                  & (zone.depth >= -WAIST_ABOVE_HIPS))
    box = bbox_of_mask(candidates)
    if box is None:
        return out
    reach = max(1, int(round(HAND_TROUSERS_REACH * person.pose.unit_px)))
    x0, y0, x1, y1 = crop_box(box, reach, hint.shape[1], hint.shape[0])
    legs = (person.person_mask & regions.mask(Region.LEGS) & ~zone.region & ~regions.skin)
    trousers = ((zone.worn_below & hint) | legs)[y0:y1, x0:x1]
    if trousers.sum() < MIN_LEGS_SAMPLE * person.pose.unit_px ** 2:
        return out
    lab = cv2.cvtColor(photo[y0:y1, x0:x1], cv2.COLOR_RGB2LAB).astype(np.float32)
    window = candidates[y0:y1, x0:x1]
    like = near_palette(lab, lab[trousers])
    # Joined through any clothes of their colours on the person (the trousers between a
    # pocket and the legs below the region are in it, unhinted).
    path = like & (person.person_mask & ~regions.skin)[y0:y1, x0:x1]
    out[y0:y1, x0:x1] = parts_touching(path | trousers, trousers) & window & like
    return out


def with_legs_raised(zone: TopRegion, person: PersonAnalysis, photo: np.ndarray,
                     hint: np.ndarray, covered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``photo`` ((H, W, 3) uint8 RGB) and ``hint`` ((H, W) bool) with what is left to paint
    under the new top's hem (``covered`` (H, W) bool) below the mid-rise waistband
    (:data:`~tryon.body.pose.WAIST_ABOVE_HIPS` body units above the hip line) drawn as the
    legs' clothes there carried up, and hinted: each column takes the median colour of the
    plain clothes (:func:`plain_part`, to :data:`RAISED_SPREAD`) that start within
    :data:`LEGS_SAMPLE` body units under its lowest open pixel (:func:`_legs_clothes`, at
    least :data:`MIN_RAISED_SOURCE` pixels of them), columns between two such (the gap
    between the legs) take theirs
    interpolated, the colours are smoothed across (:data:`RAISED_SMOOTHING`) and given the
    photo's grain. Columns with less than :data:`MIN_RAISED_HEIGHT` body units open are
    left to paint. (Carried up pixel by pixel, mirrored, the folds and a band's uneven edge
    made vertical stripes.)"""
    band = _legs_clothes(zone, person, beside_region_only=True)
    wanted = _open_below(zone, person, hint, covered) & (zone.depth >= -WAIST_ABOVE_HIPS)
    unit_px = person.pose.unit_px
    wanted &= wanted.sum(axis=0)[None, :] >= MIN_RAISED_HEIGHT * unit_px
    gap = max(1, int(round(LEGS_SAMPLE * unit_px)))
    if band.any() and not _within_gap(band, wanted, gap):
        # The band lies too far below the open part (a crop top over white shorts, whose
        # part inside the region :func:`worn_below_continued` hinted: the gap was painted
        # as a grey smear): the legs' clothes hinted inside the region are the source then.
        clothes = _clothes(zone, person) & ~person.regions.mask(*ARMS, *HANDS)
        band = band | (hint & zone.region & clothes & (zone.depth >= -WAIST_ABOVE_HIPS))
    box = bbox_of_mask(wanted)
    plain = (None if box is None or not band.any()
             else plain_part(photo, band, RAISED_SPREAD))
    if box is None or plain is None:
        return photo, hint
    height, width = hint.shape
    profile = np.zeros((width, 3), np.float32)
    sourced = np.zeros(width, bool)
    lowest = height - 1 - np.argmax(wanted[::-1], axis=0)
    for x in range(box[0], box[2]):
        below = np.flatnonzero(plain[lowest[x] + 1:min(height, lowest[x] + 1 + gap), x])
        if below.size == 0:
            continue
        start = int(lowest[x]) + 1 + int(below[0])
        run = _run_length(plain[start:, x])
        if run >= MIN_RAISED_SOURCE:
            profile[x] = np.median(photo[start:start + run, x].astype(np.float32), axis=0)
            sourced[x] = True
    columns = np.flatnonzero(sourced)
    if columns.size == 0:
        return photo, hint
    span = np.arange(columns[0], columns[-1] + 1)
    colour = np.stack([np.interp(span, columns, profile[columns, c]) for c in range(3)], axis=1)
    colour = gaussian_filter1d(colour, max(RAISED_SMOOTHING * unit_px, 0.5), axis=0)
    fill = np.zeros_like(hint)
    fill[:, span] = wanted[:, span]
    grain = photo_grain(photo, plain)
    noise = np.random.default_rng(GRAIN_SEED).normal(0.0, grain, (height, span.size))
    drawn = colour[None, :, :] + noise[:, :, None]
    out = photo.copy()
    window = out[:, span]
    inside = fill[:, span]
    window[inside] = np.clip(drawn[inside], 0, 255).astype(np.uint8)
    out[:, span] = window
    hint = hint | fill
    return _wall_beside_raised(zone, person, out, hint, covered, span, _hem_row(covered, span))


def _within_gap(band: np.ndarray, wanted: np.ndarray, gap: int) -> bool:
    """Whether ``band`` ((H, W) bool) holds a pixel within ``gap`` pixels under the lowest
    ``wanted`` ((H, W) bool) pixel of any column."""
    height = wanted.shape[0]
    columns = np.flatnonzero(wanted.any(axis=0))
    lowest = height - 1 - np.argmax(wanted[::-1, columns], axis=0)
    rows = np.arange(height)[:, None]
    near = (rows > lowest[None, :]) & (rows <= lowest[None, :] + gap)
    return bool((band[:, columns] & near).any())


def _wall_beside_raised(zone: TopRegion, person: PersonAnalysis, photo: np.ndarray,
                        hint: np.ndarray, covered: np.ndarray, span: np.ndarray,
                        top: int) -> tuple[np.ndarray, np.ndarray]:
    """``photo`` and ``hint`` with what is left to paint from row ``top`` (under the new
    top's hem, :func:`_hem_row`) down, beside the columns ``span`` ((N,) int, consecutive) the
    legs' clothes were carried up in and joined to the wall, filled from the background and
    hinted: an old top's hem flared wider than the legs' clothes (a babydoll over a pencil
    skirt; left to the generator, it was painted as a blur of the old top's colour at both
    hips). Only when those columns reach past both hip joints (they are the body's width
    there), and not on the arms' or hands' labels, nor on the fingers past a hand's label
    (strict skin joined to it, ``zone.skin``), which are the photo's and hinted: the wall
    filled in cut a hanging hand's fingertips off at the hip."""
    pose = person.pose
    hips_x = sorted((float(pose.point(L.LEFT_HIP)[0]), float(pose.point(L.RIGHT_HIP)[0])))
    if span[0] > hips_x[0] or span[-1] < hips_x[1]:
        return photo, hint
    hands = person.regions.mask(*HANDS)
    fingers = parts_touching(zone.skin & ~hands, dilate_disc(hands, 1))
    open_zone = left_to_paint(zone, person, hint, covered)
    open_zone[:top] = False
    fingers &= open_zone
    sides = (open_zone & ~person.regions.mask(*ARMS) & ~hands
             & ~dilate_disc(fingers, BACKGROUND_GAP))
    sides[:, span] = False
    wall = ~person.person_mask & (hint | ~zone.region)
    sides = parts_touching(sides, dilate_disc(wall, BACKGROUND_GAP + 1))
    filled = filled_from_background(photo, sides, not_wall(zone, person), pose.unit_px)
    if filled is None:
        return photo, hint
    return filled, hint | sides | fingers


def _hem_row(covered: np.ndarray, span: np.ndarray) -> int:
    """The row under the new top's hem (``covered`` (H, W) bool): the median over the columns
    ``span`` ((N,) int) that it covers of the row below its lowest pixel; 0 when it covers
    none of them."""
    height = covered.shape[0]
    window = covered[:, span]
    worn = window.any(axis=0)
    if not worn.any():
        return 0
    lowest = height - 1 - np.argmax(window[::-1, worn], axis=0)
    return int(np.median(lowest)) + 1


def plain_part(photo: np.ndarray, where: np.ndarray,
               spread: tuple[float, float, float] = PLAIN_SPREAD) -> np.ndarray | None:
    """(H, W) bool: ``photo``'s ((H, W, 3) uint8 RGB) pixels under ``where`` ((H, W) bool)
    within :data:`PLAIN_REACH` times ``spread`` (Lab, per channel; :data:`PLAIN_SPREAD` by
    default) of their median colour (an old top's hem and a hand's edge in the band were
    carried up as white streaks), or None when they are not one plain colour
    (:func:`~tryon.body.colour.plain_median`)."""
    box = bbox_of_mask(where)
    if box is None:
        return None
    x0, y0, x1, y1 = box
    lab = cv2.cvtColor(photo[y0:y1, x0:x1], cv2.COLOR_RGB2LAB).astype(np.float32)
    inside = where[y0:y1, x0:x1]
    median = plain_median(lab[inside], spread)
    if median is None:
        return None
    limit = np.asarray(spread, np.float32)
    out = np.zeros_like(where)
    out[y0:y1, x0:x1] = inside & np.all(np.abs(lab - median) <= PLAIN_REACH * limit, axis=2)
    return out


def _run_length(column: np.ndarray) -> int:
    """The number of True values at the start of ``column`` ((N,) bool)."""
    gaps = np.flatnonzero(~column)
    return int(gaps[0]) if gaps.size else int(column.size)


def _open_below(zone: TopRegion, person: PersonAnalysis, hint: np.ndarray,
                covered: np.ndarray) -> np.ndarray:
    """(H, W) bool: what is left to paint under the new top (``covered`` (H, W) bool) in
    each column, less the arms' and hands' labels (an old top's side beside an arm, navy
    over a navy skirt, was kept beside a new white tee; a hand's trousers are
    :func:`trousers_at_hands`')."""
    return (left_to_paint(zone, person, hint, covered)
            & np.maximum.accumulate(covered, axis=0) & ~covered
            & ~person.regions.mask(*ARMS, *HANDS))


def _clothes(zone: TopRegion, person: PersonAnalysis) -> np.ndarray:
    """(H, W) bool: person pixels that are neither strict skin nor the old top where it is
    told from the legs' clothes (``zone.like_old_top``)."""
    return person.person_mask & ~zone.skin & ~zone.like_old_top


def _legs_clothes(zone: TopRegion, person: PersonAnalysis, *,
                  beside_region_only: bool = False) -> np.ndarray:
    """(H, W) bool: the clothes on the legs (not skin, nor the old top's hem where it is
    told from them, ``zone.like_old_top``) in a band :data:`LEGS_SAMPLE` body units deep
    below the try-on region, on the legs' labels; where that band holds less than
    :data:`MIN_LEGS_SAMPLE` square body units, the region's own clothes in the photo's last
    rows (:func:`_bottom_edge_clothes`) unless ``beside_region_only``; empty when too few."""
    unit_px = person.pose.unit_px
    sample_px = max(1, int(round(LEGS_SAMPLE * unit_px)))
    clothes = _clothes(zone, person)
    band = (dilate_disc(zone.region, sample_px) & ~zone.region
            & person.regions.mask(Region.LEGS) & clothes)
    least = MIN_LEGS_SAMPLE * unit_px ** 2
    if band.sum() < least and not beside_region_only:
        band = _bottom_edge_clothes(zone, person, clothes, sample_px)
    return band if band.sum() >= least else np.zeros_like(band)


def _bottom_edge_clothes(zone: TopRegion, person: PersonAnalysis, clothes: np.ndarray,
                         sample_px: int) -> np.ndarray:
    """(H, W) bool: the try-on region's ``clothes`` ((H, W) bool: person pixels that are
    not skin nor the old top told from the legs) in the photo's last ``sample_px`` rows,
    below the hip line and not the arms' or hands' skin: the legs' clothes where the photo
    ends inside the region (a photo cut at the hips shows no legs below it). Black trousers
    under a black tank top were painted as a light grey smear under every shorter new top."""
    height = zone.region.shape[0]
    edge = np.zeros_like(zone.region)
    edge[max(0, height - sample_px):] = True
    return (edge & zone.region & clothes & (zone.depth >= 0)
            & ~(person.regions.mask(*ARMS, *HANDS) & person.regions.skin))
