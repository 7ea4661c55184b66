"""Fit: warp a prepared bottom onto the legs with one thin-plate spline.

Control points, product → photo: the waistband corners go to the waistband line a little
above the hip landmarks, the hip part's edges to the body's sides below it, the crotch to
the body's crotch; each trouser leg's outer and inner edges, at stations from the crotch to
the hem, to the outer and inner side of the person's own leg along hip → knee → ankle
(bending with the knee). A skirt's edges go along the middle of both legs, as wide as both
legs together. Widths are the person's silhouette plus a little ease, or the product's own
(scaled) where it is wider: skinny jeans hug the leg, wide trousers flare. The silhouette is
clipped to anatomical limits, so an old wide bottom does not widen the new one.

Lengths: trousers are scaled so their rise matches the body's (waistband to crotch); a full
length leg ends at the ankle, shorter ones (cropped, shorts) higher. A skirt is scaled by
its waistband's width against the body's. Output layers are cropped to ``box`` =
(x0, y0, x1, y1) photo pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.geometry import draw_polygon, grown_hull
from tryon.imaging.tps import fit_tps, warp_rgba
from tryon.kinds.bottom.legs import (
    CROTCH_BELOW_HIPS,
    WAIST_ABOVE_HIPS,
    LegFrame,
    reach,
    samples_along,
)
from tryon.kinds.bottom.product import BottomStyle, EdgeProfile, PreparedBottom

__all__ = ["FittedBottom", "fit_bottom", "skirt_points", "Stretch", "warp_item", "zone_of",
           "box_of", "hip_halves"]

EASE = 0.03  # body units between the skin (or old clothing) and the new item's side
HIP_HALF = (0.3, 0.7)  # least and most half-width of the hips, body units
# The seen hips reach this far beyond each hip landmark (the joint), body units: measured on
# full-body photos where the arms hang clear of the body (0.27–0.30 at the hip line and just
# above the crotch). The silhouette is wider wherever a loose top, a sleeve or a hand beside
# the hips belongs to it, and trousers fitted to that stuck out beside the thighs.
HIP_BEYOND_JOINT = 0.28
# ... and at least this far: a hand beside the hips is cut out of the silhouette, which then
# ended at it, and the trousers were pinched in above the thighs.
HIP_LEAST_BEYOND_JOINT = 0.18
# A leg's half-width limits, body units, at the crotch, the knee and the ankle.
LEG_MAX_HALF = (0.3, 0.19, 0.14)
LEG_MIN_HALF = (0.14, 0.1, 0.06)
LEG_LENGTH_FACTOR = 1.15  # a flat lay's inseam per rise, worn (measured on 12 products)
HEM_BELOW_ANKLE = 0.08  # body units: where a full-length leg ends, past the ankle landmark
# A flat lay's waistband is half the waist's circumference; seen from the front the waist
# is narrower by about this factor (an elliptic section 0.7 as deep as wide).
FLAT_WIDTH_PER_SEEN = 1.3
SKIRT_REACH = 1.0  # body units: how far out the legs' outer edges are looked for
TPS_SMOOTHING = 1e-3
ZONE_GROW = 0.06  # body units around a part's control points where its warp is kept
MIDLINE_SHARE = 0.97  # a leg's inner edge stops this short of the middle between the legs
MIN_INNER_HALF = 0.04  # body units: the least half-width kept between a leg's centre and
# its inner edge target: legs pressed together still get the product's gap squeezed, not
# folded
BLOCKED_PX = 3  # pixels beyond a leg's edge where an arm or a hand means it is not seen
BOX_MARGIN = 0.15  # body units around the control points
MIN_BOX_PX = 8


@dataclass(frozen=True)
class Stretch:
    """How product rows map to the body: ``scale`` photo pixels per product pixel along
    the length; ``width``: photo pixels per product pixel across (at the waistband)."""

    scale: float
    width: float


@dataclass(frozen=True)
class LegStation:
    """One row of a product leg laid along the person's leg: ``row``, ``outer``, ``inner``
    the product's row and its edges' x (product pixels), ``half_p`` its half-width there;
    ``distance`` pixels along the person's leg from the hip, ``centre`` ((2,) xy) the leg's
    line there and ``out`` ((2,) unit xy) outwards; ``to_middle`` pixels to the middle
    between the legs; ``outer_b``, ``inner_b`` the body's half-widths out and in (pixels,
    within the anatomical limits); ``seen`` whether the outer edge was found inside them."""

    row: float
    outer: float
    inner: float
    half_p: float
    distance: float
    centre: np.ndarray
    out: np.ndarray
    to_middle: float
    outer_b: float
    inner_b: float
    seen: bool


@dataclass(frozen=True)
class FittedBottom:
    """A bottom warped into the photo window ``box``: ``rgb`` (h, w, 3) float32 in
    [0, 255] (straight, not premultiplied), ``alpha`` (h, w) float32 in [0, 1]; ``style``;
    ``waist``: (2, 2) xy photo pixels of the waistband's image-left and image-right ends;
    ``hems``: (2,) xy per hem (one per leg, one for a skirt), the hem's middle; ``targets``:
    named (2,) xy photo points the product's keypoints were sent to; ``frame``: the legs."""

    box: tuple[int, int, int, int]
    rgb: np.ndarray
    alpha: np.ndarray
    style: BottomStyle
    waist: np.ndarray
    hems: tuple[np.ndarray, ...]
    targets: dict[str, np.ndarray]
    frame: LegFrame


def fit_bottom(item: PreparedBottom, frame: LegFrame, body: np.ndarray,
               arms: np.ndarray | None = None) -> FittedBottom:
    """Warp ``item`` onto the legs of ``frame``; ``body``: (H, W) bool silhouette without
    arms, hands and head (:func:`~tryon.kinds.top.fit.torso_silhouette`); ``arms``: (H, W)
    bool, the arms and hands cut out of it (a leg's edge that ends at them is not seen).
    Each trouser leg gets its own spline (with the hip part), so legs pressed together or
    crossing squeeze no gap and fold nothing."""
    s = frame.unit
    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    targets: dict[str, np.ndarray] = {}
    waist_half = hip_halves(body, frame.waist, frame.across, s, hip_cap(frame))
    seen_width = float(sum(waist_half))
    height, width = body.shape
    width_scale = (seen_width + 2 * EASE * s) / max(item.waist_width, 1.0)
    if item.crotch is None:
        stretch = Stretch(scale=seen_width * FLAT_WIDTH_PER_SEEN / max(item.waist_width, 1.0),
                          width=width_scale)
        hems = skirt_points(item, frame, body, stretch, src, dst, targets, arms=arms)
        box = box_of(np.array(dst), s * BOX_MARGIN, width, height)
        rgb, alpha = warp_item(item.rgb, item.alpha, np.array(src), np.array(dst), box,
                               zone_of(dst, box, s))
    else:
        rise = (WAIST_ABOVE_HIPS + CROTCH_BELOW_HIPS) * s
        stretch = Stretch(scale=rise / max(item.crotch[1] - item.waist_y, 1.0),
                          width=width_scale)
        _hip_points(item.hips, item, frame, body, stretch, src, dst)
        src.append(item.crotch)
        dst.append(frame.crotch)
        targets["crotch"] = frame.crotch
        leg_src: list[list[np.ndarray]] = [[], []]
        leg_dst: list[list[np.ndarray]] = [[], []]
        hems = tuple(_leg_points(item, leg, frame, body, stretch, leg_src[leg], leg_dst[leg],
                                 targets, arms) for leg in range(2))
        box = box_of(np.array(dst + leg_dst[0] + leg_dst[1]), s * BOX_MARGIN, width, height)
        rgb, alpha = _warp_legs(item, src, dst, leg_src, leg_dst, box, s)
    targets["waist_left"], targets["waist_right"] = dst[0], dst[1]
    return FittedBottom(box=box, rgb=rgb, alpha=alpha, style=item.style,
                        waist=np.array([dst[0], dst[1]]), hems=hems, targets=targets,
                        frame=frame)


def zone_of(points: list[np.ndarray], box: tuple[int, int, int, int], s: float) -> np.ndarray:
    """(h, w) float32 in {0, 1}: the hull of ``points`` (photo xy) grown by
    :data:`ZONE_GROW` body units, in ``box``. Outside it a spline only extrapolates."""
    zone = np.zeros((box[3] - box[1], box[2] - box[0]), np.uint8)
    draw_polygon(zone, grown_hull(np.array(points), ZONE_GROW * s) - np.array(box[:2]), 1)
    return zone.astype(np.float32)


def _warp_legs(item: PreparedBottom, hip_src: list[np.ndarray], hip_dst: list[np.ndarray],
               leg_src: list[list[np.ndarray]], leg_dst: list[list[np.ndarray]],
               box: tuple[int, int, int, int], s: float) -> tuple[np.ndarray, np.ndarray]:
    """Each leg (with the hip part above the crotch) warped by its own spline; the two laid
    one over the other. Returns (h, w, 3) float32 RGB and (h, w) float32 alpha in ``box``."""
    assert item.crotch is not None
    rows = np.arange(item.alpha.shape[0], dtype=np.float64)
    left, right = item.legs
    split = np.interp(rows, left.rows, (left.inner + right.inner) / 2)
    split[rows < item.crotch[1]] = np.nan
    columns = np.arange(item.alpha.shape[1], dtype=np.float64)[None, :]
    rgb_out: np.ndarray | None = None
    alpha_out: np.ndarray | None = None
    for leg in range(2):
        side = columns <= split[:, None] if leg == 0 else columns >= split[:, None]
        part = np.isnan(split)[:, None] | side
        points = hip_dst + leg_dst[leg]
        rgb, alpha = warp_item(item.rgb, item.alpha * part, np.array(hip_src + leg_src[leg]),
                               np.array(points), box, zone_of(points, box, s))
        if rgb_out is None or alpha_out is None:
            rgb_out, alpha_out = rgb, alpha
            continue
        total = alpha + alpha_out * (1 - alpha)
        rgb_out = (rgb * alpha[..., None] + rgb_out * (alpha_out * (1 - alpha))[..., None]
                   ) / np.maximum(total, 1e-6)[..., None]
        alpha_out = total
    assert rgb_out is not None and alpha_out is not None
    return rgb_out.astype(np.float32), alpha_out.astype(np.float32)


def warp_item(rgb: np.ndarray, alpha: np.ndarray, src: np.ndarray, dst: np.ndarray,
              box: tuple[int, int, int, int],
              zone: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The product (``rgb`` (h, w, 3) uint8, ``alpha`` (h, w) float32) warped by the spline
    taking ``src`` to ``dst`` ((N, 2) xy each) into ``box``: (bh, bw, 3) float32 RGB and
    (bh, bw) float32 alpha, the alpha kept only inside ``zone`` ((bh, bw) float32)."""
    inverse = fit_tps(dst, src, smoothing=TPS_SMOOTHING)
    warped, alpha_out = warp_rgba(rgb, alpha, inverse, box)
    if zone is not None:
        alpha_out *= zone
    return warped, alpha_out


def hip_cap(frame: LegFrame) -> float:
    """The most half-width of the hips in pixels: :data:`HIP_BEYOND_JOINT` beyond the hip
    landmarks' half-span, within :data:`HIP_HALF`."""
    s = frame.unit
    return float(np.clip(frame.hip_half_span + HIP_BEYOND_JOINT * s, HIP_HALF[0] * s,
                         HIP_HALF[1] * s))


def hip_floor(frame: LegFrame) -> float:
    """The least half-width of the hips in pixels: :data:`HIP_LEAST_BEYOND_JOINT` beyond the
    hip landmarks' half-span, at least ``HIP_HALF[0]`` body units, at most :func:`hip_cap`."""
    s = frame.unit
    return min(max(frame.hip_half_span + HIP_LEAST_BEYOND_JOINT * s, HIP_HALF[0] * s),
               hip_cap(frame))


def hip_halves(body: np.ndarray, centre: np.ndarray, across: np.ndarray,
               s: float, most: float, least: float | None = None) -> tuple[float, float]:
    """The silhouette's half-widths to the image-left and image-right of ``centre`` along
    ``across``, at least ``least`` pixels (default ``HIP_HALF[0]`` body units) and at most
    ``most`` pixels."""
    least = min(HIP_HALF[0] * s if least is None else least, most)
    halves = []
    for sign in (-1.0, 1.0):
        found = reach(body, centre, sign * across, most)
        half = most if found is None else found
        halves.append(float(np.clip(half, least, most)))
    return halves[0], halves[1]


def _hip_points(hips: EdgeProfile, item: PreparedBottom, frame: LegFrame, body: np.ndarray,
                stretch: Stretch, src: list[np.ndarray], dst: list[np.ndarray]) -> None:
    """Edges of the hip part (waistband to crotch) onto the body's sides, straight down the
    torso from the waistband's middle; the waistband corners first. Trousers are cut to the
    body between waistband and crotch: each side follows the silhouette (capped by
    :func:`hip_cap`) plus :data:`EASE`, no wider than the product's own outline allows
    against its widest row there (a waistband narrower than the hips stays narrower)."""
    s = frame.unit
    cap, floor = hip_cap(frame), hip_floor(frame)
    centre_x = (item.waist_left[0] + item.waist_right[0]) / 2
    widest = max(float(np.max(hips.right - hips.left)) / 2, 1.0)
    # The last station is the crotch row, where the legs' first stations take over.
    for row, left, right in zip(hips.rows[:-1], hips.left[:-1], hips.right[:-1], strict=True):
        centre = frame.waist + frame.down * (row - item.waist_y) * stretch.scale
        body_left, body_right = hip_halves(body, centre, frame.across, s, cap, floor)
        half_left = min(body_left, cap * (centre_x - left) / widest) + EASE * s
        half_right = min(body_right, cap * (right - centre_x) / widest) + EASE * s
        src += [np.array([left, row]), np.array([right, row])]
        dst += [centre - frame.across * half_left, centre + frame.across * half_right]


def _ends_at(mask: np.ndarray, start: np.ndarray, direction: np.ndarray,
             distance: float) -> bool:
    """Whether ``mask`` ((H, W) bool) holds a pixel within :data:`BLOCKED_PX` beyond
    ``distance`` pixels from ``start`` along ``direction`` ((2,) unit xy)."""
    return bool(samples_along(mask, start + direction * distance, direction, BLOCKED_PX).any())


def _leg_limits(frame: LegFrame, leg: int, distance: float) -> tuple[float, float]:
    """(least, most) half-width in pixels of leg ``leg`` at ``distance`` along it."""
    thigh = frame.thigh_length(leg)
    length = frame.leg_length(leg)
    knots = [CROTCH_BELOW_HIPS * frame.unit, thigh, length]
    least = float(np.interp(distance, knots, LEG_MIN_HALF))
    most = float(np.interp(distance, knots, LEG_MAX_HALF))
    return least * frame.unit, most * frame.unit


def _leg_points(item: PreparedBottom, leg: int, frame: LegFrame, body: np.ndarray,
                stretch: Stretch, src: list[np.ndarray], dst: list[np.ndarray],
                targets: dict[str, np.ndarray], arms: np.ndarray | None = None) -> np.ndarray:
    """Outer and inner edges of product leg ``leg`` onto the person's leg; returns the
    hem's middle (2,) xy. An outer edge that ends at ``arms`` ((H, W) bool) is not the
    leg's: a hand hanging beside the thigh had the trousers pinched in under it."""
    assert item.crotch is not None
    profile = item.legs[leg]
    s = frame.unit
    start = CROTCH_BELOW_HIPS * s
    longest = frame.leg_length(leg) + HEM_BELOW_ANKLE * s
    along = LEG_LENGTH_FACTOR * stretch.scale
    inseam = (profile.rows[-1] - item.crotch[1]) * along
    # Full-length trousers end at the ankle, whatever their measured rise made of them.
    if item.full_length or start + inseam > longest:
        along *= (longest - start) / max(inseam, 1e-6)
    product_half = profile.half_width()
    stations = []
    for row, outer, inner, half_p in zip(profile.rows, profile.outer, profile.inner,
                                         product_half, strict=True):
        distance = start + (row - item.crotch[1]) * along
        centre, direction = frame.leg_point(leg, distance)
        out = frame.outward(leg, direction)
        other, _ = frame.leg_point(1 - leg, distance)
        to_middle = max(abs(float((centre - other) @ out)) / 2, 1.0)
        least, most = _leg_limits(frame, leg, distance)
        outer_b = reach(body, centre, out, most)
        if outer_b is not None and arms is not None and _ends_at(arms, centre, out, outer_b):
            outer_b = None
        inner_b = reach(body, centre, -out, min(most, to_middle))
        # Seen: the leg's outer edge found inside the anatomical limits (a long coat or a
        # hand beside the thigh reaches past them, and the cap stands in).
        seen = outer_b is not None and least < outer_b < most
        outer_b = float(np.clip(most if outer_b is None else outer_b, least, most))
        inner_b = float(np.clip(least if inner_b is None else inner_b, least, to_middle))
        stations.append(LegStation(row, outer, inner, half_p, distance, centre, out,
                                   to_middle, outer_b, inner_b, seen))
    width_scale = _width_scale(stations, frame.thigh_length(leg), s)
    hem = frame.crotch
    for st in stations:
        body_half = (st.outer_b + st.inner_b) / 2
        offset = (st.outer_b - st.inner_b) / 2
        half = max(body_half + EASE * s, st.half_p * width_scale)
        inner_t = max(min(half - offset, MIDLINE_SHARE * st.to_middle), MIN_INNER_HALF * s)
        src += [np.array([st.outer, st.row]), np.array([st.inner, st.row])]
        dst += [st.centre + st.out * (offset + half), st.centre - st.out * inner_t]
        hem = st.centre
    targets[f"{profile.side}_hem_outer"] = dst[-2]
    targets[f"{profile.side}_hem_inner"] = dst[-1]
    return hem


def _width_scale(stations: list[LegStation], thigh: float, s: float) -> float:
    """Pixels per product pixel across a leg: the thigh's seen width (plus :data:`EASE`; ``s``
    the body unit, pixels) over the product's there, the median over the ``stations`` from the
    crotch to the knee (``thigh`` pixels along the leg) whose outer edge was seen, else at the
    crotch. Taken at the crotch alone, a long coat hanging beside the thighs made the thigh as
    wide as its cap and slim jeans were put on as wide ones (0.69 of them on the photo's slim
    jeans)."""
    def ratio(st: LegStation) -> float:
        return ((st.outer_b + st.inner_b) / 2 + EASE * s) / max(st.half_p, 1.0)

    seen = [ratio(st) for st in stations if st.seen and st.distance <= thigh]
    return float(np.median(seen)) if seen else ratio(stations[0])


def skirt_points(item: PreparedBottom, frame: LegFrame, body: np.ndarray, stretch: Stretch,
                 src: list[np.ndarray], dst: list[np.ndarray],
                 targets: dict[str, np.ndarray],
                 waist_above_hips: float = WAIST_ABOVE_HIPS,
                 arms: np.ndarray | None = None) -> tuple[np.ndarray]:
    """Edges of a skirt down the middle of both legs, as wide as the body there (hips, then
    both legs together) or the product's scaled width, its waist ``waist_above_hips`` body
    units above the hip line; returns its hem's middle. The body's sides are
    :func:`_skirt_sides`: down to the hips no wider than :func:`hip_cap`, and where a side
    ends at ``arms`` ((H, W) bool: arms and hands) it is not seen and follows the stations
    that are (an elbow at the waist and a hand beside the thigh had pulled a dress's sides
    out there and in between, and the spline folded its skirt)."""
    s = frame.unit
    hips = item.hips
    start = len(src)
    to_hips = waist_above_hips * s
    waist = frame.hip_mid - frame.down * to_hips
    longest = min(frame.leg_length(0), frame.leg_length(1)) + HEM_BELOW_ANKLE * s
    scale = stretch.scale
    length = (hips.rows[-1] - item.waist_y) * scale
    if length > to_hips + longest:
        scale *= (to_hips + longest) / length
    centre_x = (item.waist_left[0] + item.waist_right[0]) / 2
    stations = []
    for row in hips.rows:
        distance = (row - item.waist_y) * scale
        if distance <= to_hips:
            stations.append((waist + frame.down * distance, frame.across, None))
        else:
            centre, direction = frame.middle_point(distance - to_hips)
            across = -np.array([-direction[1], direction[0]])
            stations.append((centre, across if across @ frame.across > 0 else -across,
                             distance - to_hips))
    sides = _skirt_sides(body, arms, frame, stations)
    centre = waist
    for (centre, across, _), (body_left, body_right), row, left, right in zip(
            stations, sides, hips.rows, hips.left, hips.right, strict=True):
        half_left = max(body_left + EASE * s, (centre_x - left) * stretch.width)
        half_right = max(body_right + EASE * s, (right - centre_x) * stretch.width)
        src += [np.array([left, row]), np.array([right, row])]
        dst += [centre - across * half_left, centre + across * half_right]
    src.append(np.array([centre_x, item.waist_y]))
    dst.append(waist)
    targets["hem_left"], targets["hem_right"] = dst[-3], dst[-2]
    targets["waist_left"], targets["waist_right"] = dst[start], dst[start + 1]
    return (centre,)


def _skirt_sides(body: np.ndarray, arms: np.ndarray | None, frame: LegFrame,
                 stations: list[tuple[np.ndarray, np.ndarray, float | None]]
                 ) -> list[tuple[float, float]]:
    """The body's half-widths in pixels (image-left, image-right) at each station
    ``(centre, across, along)`` (``along``: pixels down the legs from the hips, None above
    them): the farthest ``body`` pixel within :data:`SKIRT_REACH` body units short of the
    first ``arms`` pixel (across the gap between the legs). A side that ends at ``arms``
    (fingers reach past a hand's region) or finds no body is not seen: it is interpolated
    along the stations from those that are (``HIP_HALF[0]`` when none is). Each is then
    kept within :func:`hip_floor` and :func:`hip_cap` above the hips, and below them no
    wider than the hips or the outer leg's widest (:func:`_leg_limits`) allow."""
    s = frame.unit
    found: list[list[float | None]] = [[], []]
    limits = []
    for centre, across, along in stations:
        if along is None:
            limits.append((hip_floor(frame), hip_cap(frame)))
        else:
            legs = [abs(float((frame.leg_point(leg, along)[0] - centre) @ across))
                    + _leg_limits(frame, leg, along)[1] for leg in range(2)]
            limits.append((HIP_HALF[0] * s * 0.5, max(hip_cap(frame), *legs)))
        for side, sign in enumerate((-1.0, 1.0)):
            direction = sign * across
            on = samples_along(body, centre, direction, SKIRT_REACH * s)
            if arms is not None:
                blocked = np.flatnonzero(samples_along(arms, centre, direction,
                                                       SKIRT_REACH * s))
                on = on[:blocked[0]] if blocked.size else on
            hits = np.flatnonzero(on)
            end = float(hits[-1]) if hits.size else None
            if end is not None and arms is not None and _ends_at(arms, centre, direction, end):
                end = None
            found[side].append(end)
    halves = []
    for values in found:
        seen = [i for i, value in enumerate(values) if value is not None]
        filled = (np.interp(np.arange(len(values)), seen, [values[i] for i in seen])
                  if seen else np.full(len(values), HIP_HALF[0] * s))
        halves.append([float(np.clip(v, least, most))
                       for v, (least, most) in zip(filled, limits, strict=True)])
    return list(zip(halves[0], halves[1], strict=True))


def box_of(points: np.ndarray, margin: float, width: int, height: int) -> tuple[
        int, int, int, int]:
    """The photo window holding ``points`` ((N, 2) xy) and ``margin`` pixels around them."""
    x0, y0 = points.min(axis=0) - margin
    x1, y1 = points.max(axis=0) + margin
    box = (max(0, int(x0)), max(0, int(y0)), min(width, int(np.ceil(x1)) + 1),
           min(height, int(np.ceil(y1)) + 1))
    if box[2] - box[0] < MIN_BOX_PX or box[3] - box[1] < MIN_BOX_PX:
        raise TryOnError(ErrorCode.LEGS_NOT_VISIBLE, "the legs are outside the photo")
    return box
