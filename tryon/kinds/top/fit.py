"""Fit: warp a prepared top onto the body with thin-plate splines.

The torso panel and each sleeve get their own spline, from garment keypoints to body points
derived from the pose (neck base, shoulders, armpits, hips; elbows and wrists for sleeves) and,
given a torso silhouette, the body's sides, so sleeves follow the arms in any pose (bending at
the elbow) while the panel stays smooth and as wide as the body. Panel and sleeve share the
shoulder point, so the parts meet at the seams. Output layers are cropped to a window of the
photo given as ``box`` = (x0, y0, x1, y1) pixels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from tryon.body.landmarks import PoseLandmark as L
from tryon.body.pose import Pose, require_facing_camera
from tryon.body.regions import ARMS, HANDS, Region
from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.geometry import draw_polygon, grown_hull, labelled_any, unit
from tryon.imaging.tps import TpsMap, alpha_8bit, fit_tps, warp_channels, warp_image
from tryon.kinds.top.garment import PreparedGarment, Sleeve

__all__ = ["BodyFrame", "FittedTop", "body_frame", "fit_top", "torso_silhouette"]

MIN_SLEEVE_ASPECT = 0.6  # sleeve scale across / along, least
MAX_SLEEVE_ASPECT = 1.6  # and most

MIN_VISIBILITY = 0.3
SIDE_LEVELS = (0.2, 0.45, 0.7, 0.95)  # between armpits (0) and hem (1), where sides are fitted
SIDE_EASE = 0.03  # room between body and garment side, in shoulder widths
# How far a panel side is looked for (body units from the torso's middle) and how much wider
# than the product's own scaled half it may then be; a side whose arm is behind a turned
# body shows the back too and may lie farther.
SIDE_REACH = (1.2, 1.6)
TURNED_SIDE_REACH = (1.8, 2.4)
# Where the hem lands: the product's shoulder-to-hem length, scaled by its shoulder span to
# the body's, times this. Measured on the 24 VITON-HD pairs (12 to tune, 12 to check): an
# untucked tee worn there ends at or below the hips (1.2–1.3 shoulder-to-hip distances from
# the shoulders); 0.85 put those hems at 0.77–0.98, and the generator then painted the lower
# torso. 1.2 lowered the generator's region L1 by 11 % (tune 0.196 → 0.164, check
# 0.215 → 0.200); a crop top photographed as long as a tee comes out a little long.
WORN_LENGTH = 1.2
# Shoulder-joint distance per shoulder-to-hip length below which the body is turned (the
# 25th percentile on 40 VITON-HD persons; median 0.65, 10th percentile 0.55): a tee on a
# woman turned three-quarters (0.49) was fitted to her narrow shoulders and ended half a
# body unit above her hips, and a bare midriff was drawn under it.
FRONTAL_SHOULDERS = 0.62
# A top's shoulder seams land this far outside each shoulder joint and above it (shoulder-joint
# distances): the joint lies inside the shoulder's outline.
SHOULDER_OUT = 0.07
SHOULDER_UP = 0.1
# A sleeveless top is scaled so its chest (armhole to armhole) spans this many shoulder-joint
# distances; its strap tops land where that scale puts them, at most
# SLEEVELESS_MAX_REACH beyond each shoulder joint.
SLEEVELESS_CHEST = 0.85
ARMPIT_IN = 0.02  # shoulder-joint distances inside each joint: a sleeved top's armpit
SLEEVELESS_MAX_REACH = SHOULDER_OUT
PART_SMOOTHING = 1e-3  # thin-plate smoothing of each part's warp (stiffer, fold-free)
STIFF_SMOOTHING = 1e3  # a sleeve's second try when the first folded (nearly affine)
MAX_STRETCH = 2.5  # a part's warped area over its own, scaled: more is a folded warp (short
# sleeves sent to the arms of 120 random unseen try-ons: median 1.2, 99th percentile 1.92;
# at 1.8 a polo's short sleeve, 1.95, was left out and the arm stayed bare)
# An elbow bent more than this many degrees gets a sleeve in two pieces (upper, lower), each
# going on this many body units past the elbow (see :func:`_sleeve_pieces`).
BEND_SPLIT = 60.0
ELBOW_OVERLAP = 0.1
# A bent arm's upper arm seen short (pointing at the camera: a hand raised to the head with
# the elbow forward) takes at least this share of the sleeve, pressed onto it, when at least
# UPPER_ARM_SEEN body units of it show below the armhole; in one piece the sleeve's spline
# folded back along the forearm and its stiff retry drew a straight strip from the raised
# hand down to the hips.
UPPER_SLEEVE_LEAST = 0.25
UPPER_ARM_SEEN = 0.1
MIN_STATIONS = 2  # a sleeve piece is measured across at least this many stations


@dataclass(frozen=True)
class BodyFrame:
    """Body points in photo pixels with image-left/right sides (not the person's sides):
    each array is (2,) xy. ``unit`` is the shoulder-joint distance in pixels; ``arm_hidden``:
    whether the image-left and image-right arms are unseen (:meth:`Pose.arm_hidden`)."""

    shoulder: tuple[np.ndarray, np.ndarray]
    elbow: tuple[np.ndarray, np.ndarray]
    wrist: tuple[np.ndarray, np.ndarray]
    hip: tuple[np.ndarray, np.ndarray]
    unit: float
    arm_hidden: tuple[bool, bool] = (False, False)

    @property
    def up(self) -> np.ndarray:
        return unit((self.shoulder[0] + self.shoulder[1]) / 2 - (self.hip[0] + self.hip[1]) / 2)


@dataclass(frozen=True)
class FittedTop:
    """Warped layers inside ``box``: ``panel_rgb``/``sleeve_rgb`` (h, w, 3) float32 in
    [0, 255], ``panel_alpha``/``sleeve_alpha`` (h, w) float32 in [0, 1]; ``inner_back``
    (h, w) float32 in [0, 1], the panel's inside of the back (hidden by the neck when worn:
    the generator paints there; the hand-made composite keeps it over the old collar);
    ``targets``: the body points each garment keypoint was sent to, (2,) xy photo pixels,
    for overlays and tests."""

    box: tuple[int, int, int, int]
    panel_rgb: np.ndarray
    panel_alpha: np.ndarray
    sleeve_rgb: np.ndarray
    sleeve_alpha: np.ndarray
    inner_back: np.ndarray
    targets: dict[str, np.ndarray]


def body_frame(pose: Pose) -> BodyFrame:
    """Image-sided body points; raises ``body_not_visible`` without usable shoulders and
    ``person_facing_away`` for a person seen from behind."""
    for mark in (L.LEFT_SHOULDER, L.RIGHT_SHOULDER):
        if not pose.visible(mark, MIN_VISIBILITY):
            raise TryOnError(ErrorCode.BODY_NOT_VISIBLE,
                             "the shoulders are not visible; use a photo of the upper body")
    require_facing_camera(pose)
    p = pose.point
    left_first = p(L.RIGHT_SHOULDER)[0] <= p(L.LEFT_SHOULDER)[0]
    a, b = ("RIGHT", "LEFT") if left_first else ("LEFT", "RIGHT")

    def pair(name: str) -> tuple[np.ndarray, np.ndarray]:
        return p(L[f"{a}_{name}"]).copy(), p(L[f"{b}_{name}"]).copy()

    frame = BodyFrame(shoulder=pair("SHOULDER"), elbow=pair("ELBOW"), wrist=pair("WRIST"),
                      hip=pair("HIP"), unit=pose.unit_px,
                      arm_hidden=(pose.arm_hidden(a), pose.arm_hidden(b)))
    if frame.unit < 12:
        raise TryOnError(ErrorCode.BODY_NOT_VISIBLE, "the person is too small in the photo")
    return frame


def fit_top(garment: PreparedGarment, frame: BodyFrame, image_size: tuple[int, int],
            body: np.ndarray | None = None) -> FittedTop:
    """Warp ``garment`` onto the body described by ``frame`` in a photo of ``image_size``
    = (height, width). ``body``: (H, W) bool torso silhouette (:func:`torso_silhouette`);
    with it the panel's sides follow the body's sides instead of scaled product widths."""
    height, width = image_size
    kp = garment.keypoints
    s = frame.unit
    up = frame.up
    down = -up
    across = unit(frame.shoulder[1] - frame.shoulder[0])
    span_g = float(np.hypot(*(kp.right_shoulder - kp.left_shoulder)))
    shoulder_mid = (frame.shoulder[0] + frame.shoulder[1]) / 2
    if garment.sleeves:
        sh_t = (frame.shoulder[0] - across * SHOULDER_OUT * s + up * SHOULDER_UP * s,
                frame.shoulder[1] + across * SHOULDER_OUT * s + up * SHOULDER_UP * s)
        span_t = float(np.hypot(*(sh_t[1] - sh_t[0])))
        k = span_t / max(span_g, 1.0)
    else:
        # Sleeveless: the straps sit where the product puts them relative to its chest
        # (armholes to armholes = the body's chest), not at the shoulder joints: a camisole
        # or a tank top scaled by its strap span came out a size too wide.
        chest_g = float(np.hypot(*(kp.right_armpit - kp.left_armpit)))
        k = SLEEVELESS_CHEST * s / max(chest_g, 1.0)
        half = min(span_g * k, (1 + 2 * SLEEVELESS_MAX_REACH) * s) / 2
        sh_t = (shoulder_mid - across * half + up * SHOULDER_UP * s,
                shoulder_mid + across * half + up * SHOULDER_UP * s)
    hip_mid = (frame.hip[0] + frame.hip[1]) / 2
    torso_len = float(np.hypot(*(hip_mid - shoulder_mid)))
    g_shoulder_y = (kp.left_shoulder[1] + kp.right_shoulder[1]) / 2
    g_len = (kp.left_hem[1] + kp.right_hem[1]) / 2 - g_shoulder_y
    # A turned body's shoulders are foreshortened, its torso is not: the length is scaled as
    # for the shoulders the body would show facing the camera.
    shoulders = float(np.hypot(*(frame.shoulder[1] - frame.shoulder[0])))
    k_len = k * max(1.0, FRONTAL_SHOULDERS * torso_len / max(shoulders, 1.0))
    hem_dist = float(np.clip(g_len * k_len * WORN_LENGTH - 0.1 * s,
                             0.6 * (torso_len + 0.15 * s), 1.2 * (torso_len + 0.15 * s)))
    hem_centre = shoulder_mid + down * hem_dist
    hip_across = unit(frame.hip[1] - frame.hip[0])
    # ... and so is its width across the torso it shows (a turned body shows its side too):
    # the hem's and, in :func:`_side_points`, the sides' widths, by the same ``turn``.
    turn = k_len / k
    hem_half = float(np.clip(0.8 * k_len * (kp.right_hem[0] - kp.left_hem[0]) / 2,
                             0.42 * s * turn, 0.9 * s * turn))
    neck_t = (sh_t[0] + sh_t[1]) / 2 + up * max(0.0, (g_shoulder_y - kp.neck[1]) * k)
    armpit_t = []
    armpit_in = ARMPIT_IN if garment.sleeves else (1 - SLEEVELESS_CHEST) / 2
    for i, g_armpit, g_shoulder in ((0, kp.left_armpit, kp.left_shoulder),
                                    (1, kp.right_armpit, kp.right_shoulder)):
        drop = float(np.clip((g_armpit[1] - g_shoulder[1]) * k, 0.3 * s, 0.7 * s))
        inward = across if i == 0 else -across
        armpit_t.append(frame.shoulder[i] + down * drop + inward * armpit_in * s)
    targets = {
        "neck": neck_t, "left_shoulder": sh_t[0], "right_shoulder": sh_t[1],
        "left_armpit": armpit_t[0], "right_armpit": armpit_t[1],
        "left_hem": hem_centre - hip_across * hem_half,
        "right_hem": hem_centre + hip_across * hem_half,
    }
    src = np.array([kp.neck, kp.left_shoulder, kp.right_shoulder, kp.left_armpit,
                    kp.right_armpit, kp.left_hem, kp.right_hem])
    dst = np.array([targets[n] for n in ("neck", "left_shoulder", "right_shoulder",
                                         "left_armpit", "right_armpit", "left_hem", "right_hem")])
    src = np.vstack([src, (kp.left_hem + kp.right_hem) / 2])
    dst = np.vstack([dst, hem_centre])
    if body is not None:
        side_src, side_dst = _side_points(garment, body, (armpit_t[0] + armpit_t[1]) / 2,
                                          hem_centre, across, hip_across, k, s,
                                          frame.arm_hidden, turn)
        if len(side_src):
            src, dst = np.vstack([src, side_src]), np.vstack([dst, side_dst])
    box = _window(garment, frame, (height, width))
    panel_inverse = fit_tps(dst, src, smoothing=PART_SMOOTHING)
    planes = _GarmentPlanes.of(garment)
    panel_rgb, panel_alpha = _warp_part(planes, garment.panel, panel_inverse, box)
    inner_back = np.zeros_like(panel_alpha)
    if garment.inner_back.any():
        inner_back = warp_image(garment.inner_back.astype(np.float32), panel_inverse, box)
    torso_zone = np.zeros(panel_alpha.shape, np.uint8)
    draw_polygon(torso_zone, grown_hull(dst, 0.12 * s) - box[:2], 1)
    panel_alpha *= _soft(torso_zone, 0.03 * s)
    sleeve_rgb = np.zeros_like(panel_rgb)
    sleeve_alpha = np.zeros_like(panel_alpha)
    for sleeve in garment.sleeves:
        i = 0 if sleeve.side == "left" else 1
        if frame.arm_hidden[i]:
            continue  # behind the body (or out of the photo): not seen
        # A turned body's arms are no shorter than a frontal one's: sleeves in the length's
        # scale (a 3/4 sleeve on a woman turned three-quarters ended above her elbow).
        pieces = _sleeve_pieces(sleeve, frame, i, sh_t[i], armpit_t[i], k_len,
                                (kp.left_shoulder + kp.right_shoulder) / 2)
        if any(len(piece.garment_points) // 2 < MIN_STATIONS for piece in pieces):
            continue  # too thin a sleeve to measure at two stations: left out
        cuff = pieces[-1].photo_points
        targets[f"{sleeve.side}_cuff"] = (cuff[-1] + cuff[-2]) / 2
        for piece in pieces:
            warped = _warp_sleeve_piece(garment, planes, piece, k_len, box)
            if warped is None:
                targets.pop(f"{sleeve.side}_cuff", None)
                continue
            rgb, alpha = warped
            sleeve_rgb = sleeve_rgb * (1 - alpha[..., None]) + rgb * alpha[..., None]
            sleeve_alpha = np.maximum(sleeve_alpha, alpha)
    return FittedTop(box=box, panel_rgb=panel_rgb, panel_alpha=panel_alpha,
                     sleeve_rgb=sleeve_rgb, sleeve_alpha=sleeve_alpha,
                     inner_back=inner_back * panel_alpha, targets=targets)


def torso_silhouette(person_mask: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """(H, W) bool: the person without arms, hands, face and hair (``labels``: (H, W)
    :class:`~tryon.body.regions.Region` values), i.e. torso and legs as the camera sees them."""
    limbs = [int(r) for r in (*ARMS, *HANDS, Region.FACE, Region.HAIR)]
    return person_mask & ~labelled_any(labels, limbs)


def _body_reach(body: np.ndarray, centre: np.ndarray, direction: np.ndarray,
                limit: float) -> float | None:
    """Distance in pixels from ``centre`` along ``direction`` (unit (2,) xy) to the end of
    the first run of ``body`` pixels, or None when ``centre`` is not on the body or the run
    goes on past ``limit``. Gaps of one or two pixels do not end the run."""
    steps = np.arange(0.0, limit, 1.0)
    pts = np.round(centre + steps[:, None] * direction).astype(int)
    inside = ((pts[:, 0] >= 0) & (pts[:, 0] < body.shape[1])
              & (pts[:, 1] >= 0) & (pts[:, 1] < body.shape[0]))
    on = np.zeros(len(steps), bool)
    on[inside] = body[pts[inside, 1], pts[inside, 0]]
    if not on[:3].any():
        return None
    off = ~on
    gap = off[:-2] & off[1:-1] & off[2:]
    ends = np.flatnonzero(gap)
    return float(steps[ends[0]]) if ends.size else None


def _side_points(garment: PreparedGarment, body: np.ndarray, armpit_mid: np.ndarray,
                 hem_centre: np.ndarray, across: np.ndarray, hip_across: np.ndarray,
                 k: float, s: float,
                 turned_away: tuple[bool, bool] = (False, False),
                 turn: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Control points that put the panel's side edges on the body's sides: at a few levels
    between the armpits and the hem, the panel's outermost pixels in the garment ((N, 2) xy)
    and the body's edge there plus a little ease in the photo ((N, 2) xy). A side whose edge
    is not found, or lies far from the product's own scaled width, is left to the keypoints;
    on a side ``turned_away`` (image-left, image-right: its arm is behind the body, whose back
    shows there) the edge may lie farther (:data:`TURNED_SIDE_REACH`), and on a body turned
    from the camera farther by ``turn`` (≥ 1: the product's scale along the torso over its
    scale by the foreshortened shoulders, ``k``): a loose tank on a woman turned
    three-quarters, scaled by her shoulders, was judged a size narrower than her torso's
    outline, and the generator painted the torso beside it as a blur."""
    kp = garment.keypoints
    g_top = (kp.left_armpit[1] + kp.right_armpit[1]) / 2
    g_bottom = (kp.left_hem[1] + kp.right_hem[1]) / 2
    g_centre_x = (kp.left_hem[0] + kp.right_hem[0] + kp.left_shoulder[0]
                  + kp.right_shoulder[0]) / 4
    src, dst = [], []
    for f in SIDE_LEVELS:
        row = int(round(g_top + f * (g_bottom - g_top)))
        xs = np.flatnonzero(garment.panel[min(max(row, 0), garment.panel.shape[0] - 1)])
        if xs.size == 0:
            continue
        centre = armpit_mid + f * (hem_centre - armpit_mid)
        direction = unit((1 - f) * across + f * hip_across)
        for side, (sign, g_x) in enumerate(((-1.0, float(xs[0])), (1.0, float(xs[-1])))):
            product_half = abs(g_x - g_centre_x) * k
            limit, most = TURNED_SIDE_REACH if turned_away[side] else SIDE_REACH
            reach = _body_reach(body, centre, sign * direction, limit * s)
            if reach is None or not 0.6 * product_half <= reach <= most * turn * product_half:
                continue
            src.append([g_x, row])
            dst.append(centre + sign * direction * (reach + SIDE_EASE * s))
    return np.array(src, np.float64).reshape(-1, 2), np.array(dst, np.float64).reshape(-1, 2)


def _soft(zone: np.ndarray, sigma: float) -> np.ndarray:
    """A (h, w) uint8 0/1 zone as float32 weights with a softened edge."""
    return cv2.GaussianBlur(zone.astype(np.float32), (0, 0), max(0.5, sigma))


def _arm_point(chain: list[np.ndarray], distance: float) -> tuple[np.ndarray, np.ndarray]:
    """Point at arc length ``distance`` along the polyline ``chain`` and the direction there;
    past the end it continues along the last segment."""
    for a, b in zip(chain[:-1], chain[1:], strict=True):
        seg = float(np.hypot(*(b - a)))
        if distance <= seg or b is chain[-1]:
            direction = unit(b - a)
            return a + direction * distance, direction
        distance -= seg
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class SleevePiece:
    """A sleeve, or one part of it, to warp with one thin-plate spline: ``mask`` (h, w) bool
    garment pixels; ``garment_points`` and ``photo_points`` (N, 2) xy control points."""

    mask: np.ndarray
    garment_points: np.ndarray
    photo_points: np.ndarray


def _bend(frame: BodyFrame, i: int) -> float:
    """Degrees the arm ``i`` (0 image-left, 1 image-right) turns at its elbow: 0 straight,
    180 folded back on itself."""
    upper = unit(frame.elbow[i] - frame.shoulder[i])
    forearm = unit(frame.wrist[i] - frame.elbow[i])
    return float(np.degrees(np.arccos(np.clip(upper @ forearm, -1.0, 1.0))))


def _sleeve_pieces(sleeve: Sleeve, frame: BodyFrame, i: int, shoulder_t: np.ndarray,
                   armpit_t: np.ndarray, k: float,
                   garment_centre: np.ndarray) -> list[SleevePiece]:
    """Thin-plate pieces for one sleeve, in drawing order: the shoulder point goes to the
    panel's shoulder target (so the parts meet), and at stations along the sleeve its outer
    and inner edges go to the outer and inner side of the arm (outer: away from the body's
    centre line), a station at the elbow bending with it. Widths are the product's, scaled,
    within arm-like limits. The armpit is not pinned: a sleeve photographed hanging along
    the body has its armpit beside its own inner edge, and pinning both to a raised arm
    would fold the spline.

    An arm bent at the elbow by more than :data:`BEND_SPLIT` (hands clasped at the waist,
    a hand on the chest) gets two pieces, cut :data:`ELBOW_OVERLAP` past the elbow each
    way: the upper sleeve, straight along the upper arm and on past the elbow (its round),
    then the lower sleeve along the forearm in front of it, its outer edge on the side away
    from the shoulder (the outside of the bend). One spline bent that far folded: the sleeve
    was smeared across the chest, or left out and the arm drawn bare."""
    s = frame.unit
    chain = [frame.shoulder[i], frame.elbow[i], frame.wrist[i]]
    upper = float(np.hypot(*(chain[1] - chain[0])))
    arm_len = upper + float(np.hypot(*(chain[2] - chain[1])))
    armhole_t = (shoulder_t + armpit_t) / 2
    start = max(0.0, float((armhole_t - chain[0]) @ unit(chain[1] - chain[0])))
    length_t = float(np.clip(sleeve.length * k, 0.15 * s, arm_len + 0.1 * s - start))
    fractions = [0.4, 0.7, 1.0]
    elbow = None
    upper_seen = upper - start
    bent = _bend(frame, i) > BEND_SPLIT
    if UPPER_SLEEVE_LEAST * length_t < upper_seen < 0.85 * length_t:
        elbow = upper_seen / length_t
        fractions = [0.4 * elbow, elbow, (elbow + 1.0) / 2, 1.0]
    elif bent and UPPER_ARM_SEEN * s <= upper_seen <= UPPER_SLEEVE_LEAST * length_t:
        elbow = UPPER_SLEEVE_LEAST
    body_centre = ((frame.shoulder[0] + frame.shoulder[1]) / 2
                   + (frame.hip[0] + frame.hip[1]) / 2) / 2
    g_normal = np.array([-sleeve.axis[1], sleeve.axis[0]])
    ys, xs = np.nonzero(sleeve.mask)
    rel = np.stack([xs, ys], 1) - sleeve.armhole
    along, across = rel @ sleeve.axis, rel @ g_normal

    def stations(fs: list[float], place: Callable[[float], tuple[np.ndarray, np.ndarray]],
                 away_from: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Garment and photo edge points at the sleeve fractions ``fs``; ``place`` gives a
        fraction's photo centre and arm direction, ``away_from`` the point the outer edge
        faces away from."""
        g_pts, t_pts = [], []
        for f in sorted(fs):
            near = np.abs(along - min(f, 0.97) * sleeve.length) < max(2.0, 0.04 * sleeve.length)
            if near.sum() < 3:
                continue
            centre_g = sleeve.armhole + min(f, 0.97) * sleeve.length * sleeve.axis
            lo, hi = _widest_run(across[near])
            edges_g = [centre_g + lo * g_normal, centre_g + hi * g_normal]
            edges_g.sort(key=lambda pt: -float(np.hypot(*(pt - garment_centre))))  # outer first
            half_g = max(float(np.hypot(*(edges_g[0] - edges_g[1]))) / 2, 1.0)
            least = (0.17 - 0.06 * min(f, 1.0)) * s
            half_t = float(np.clip(half_g * k, least, 0.3 * s))
            half_t = float(np.clip(half_t, MIN_SLEEVE_ASPECT * k * half_g,
                                   MAX_SLEEVE_ASPECT * k * half_g))
            centre_t, direction = place(f)
            normal_t = np.array([-direction[1], direction[0]])
            if (centre_t - away_from) @ normal_t < 0:
                normal_t = -normal_t  # pointing out
            g_pts += edges_g
            t_pts += [centre_t + half_t * normal_t, centre_t - half_t * normal_t]
        return g_pts, t_pts

    def piece(mask: np.ndarray, g_pts: list[np.ndarray], t_pts: list[np.ndarray],
              shoulder: bool) -> SleevePiece:
        if shoulder:
            g_pts, t_pts = [sleeve.shoulder, *g_pts], [shoulder_t, *t_pts]
        return SleevePiece(mask, np.array(g_pts, np.float64).reshape(-1, 2),
                           np.array(t_pts, np.float64).reshape(-1, 2))

    if elbow is None or not bent:
        g_pts, t_pts = stations(fractions, lambda f: _arm_point(chain, start + f * length_t),
                                body_centre)
        return [piece(sleeve.mask, g_pts, t_pts, shoulder=True)]
    overlap = ELBOW_OVERLAP * s / length_t
    upper_dir, forearm_dir = unit(chain[1] - chain[0]), unit(chain[2] - chain[1])

    def on_upper(f: float) -> tuple[np.ndarray, np.ndarray]:
        # The upper sleeve pressed onto the upper arm seen (as long as the product's when
        # not foreshortened), then on past the elbow at the sleeve's own scale.
        along_arm = min(f, elbow) * upper_seen / elbow + max(f - elbow, 0.0) * length_t
        return chain[0] + upper_dir * (start + along_arm), upper_dir

    def on_forearm(f: float) -> tuple[np.ndarray, np.ndarray]:
        return chain[1] + forearm_dir * ((f - elbow) * length_t), forearm_dir

    cut_upper = along <= (elbow + overlap) * sleeve.length
    cut_lower = along >= (elbow - overlap) * sleeve.length
    upper_mask, lower_mask = np.zeros_like(sleeve.mask), np.zeros_like(sleeve.mask)
    upper_mask[ys[cut_upper], xs[cut_upper]] = True
    lower_mask[ys[cut_lower], xs[cut_lower]] = True
    g_up, t_up = stations([0.4 * elbow, elbow, elbow + overlap], on_upper, body_centre)
    g_low, t_low = stations([elbow - overlap, elbow, (elbow + 1.0) / 2, 1.0], on_forearm,
                            chain[0])
    return [piece(upper_mask, g_up, t_up, shoulder=True),
            piece(lower_mask, g_low, t_low, shoulder=False)]


def _warp_sleeve_piece(garment: PreparedGarment, planes: _GarmentPlanes, piece: SleevePiece,
                       k: float, box: tuple[int, int, int, int]
                       ) -> tuple[np.ndarray, np.ndarray] | None:
    """``piece`` warped into ``box``: (h, w, 3) float32 RGB and (h, w) alpha, or None when
    it folds. A sleeve photographed hanging along the body, sent to an arm bent in front of
    it, can fold: its spline then smears the cloth far across the chest. A folded warp
    covers far more than the piece's own area (scaled by ``k``): a stiffer spline is tried,
    then none."""
    expected = float(garment.alpha[piece.mask].sum()) * k * k
    for smoothing in (PART_SMOOTHING, STIFF_SMOOTHING):
        rgb, alpha = _warp_part(planes, piece.mask,
                                fit_tps(piece.photo_points, piece.garment_points,
                                        smoothing=smoothing), box)
        if alpha.sum() <= MAX_STRETCH * expected:
            return rgb, alpha
    return None


def _widest_run(values: np.ndarray, gap: float = 3.0) -> tuple[float, float]:
    """Ends of the most populated run of ``values`` ((N,) pixel offsets, N ≥ 1) with no gap
    wider than ``gap`` pixels: a sleeve's own cross-section, not the strip of panel beside
    it across the background between them."""
    ordered = np.sort(values)
    cuts = np.flatnonzero(np.diff(ordered) > gap)
    starts, ends = np.r_[0, cuts + 1], np.r_[cuts, len(ordered) - 1]
    best = int(np.argmax(ends - starts))
    return float(ordered[starts[best]]), float(ordered[ends[best]])


def _window(garment: PreparedGarment, frame: BodyFrame, size: tuple[int, int]) -> tuple[
        int, int, int, int]:
    """A photo window generously containing the torso and arms."""
    pts = np.array([*frame.shoulder, *frame.elbow, *frame.wrist, *frame.hip])
    margin = 0.8 * frame.unit
    x0, y0 = pts.min(axis=0) - margin
    x1, y1 = pts.max(axis=0) + margin
    height, width = size
    box = (max(0, int(x0)), max(0, int(y0)), min(width, int(x1) + 1), min(height, int(y1) + 1))
    if box[2] - box[0] < 8 or box[3] - box[1] < 8:
        raise TryOnError(ErrorCode.BODY_NOT_VISIBLE, "the upper body is outside the photo")
    return box


@dataclass(frozen=True)
class _GarmentPlanes:
    """A prepared garment as its parts are warped: its colour planes (three (H, W) uint8,
    ``cv2.split``) and its alpha in 1/255 steps ((H, W) uint8, :func:`alpha_8bit`), made once
    for all of its parts."""

    channels: tuple[np.ndarray, ...]
    alpha8: np.ndarray

    @classmethod
    def of(cls, garment: PreparedGarment) -> _GarmentPlanes:
        return cls(tuple(cv2.split(garment.rgb)), alpha_8bit(garment.alpha))


def _warp_part(planes: _GarmentPlanes, part: np.ndarray, inverse: TpsMap,
               box: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Warp the garment pixels of ``part`` ((H, W) bool, grown by a pixel) into ``box`` by
    ``inverse`` (photo xy → garment xy): (h, w, 3) float32 RGB and (h, w) alpha. The part's
    alpha is the garment's where the part is and 0 elsewhere (the same 8-bit values as the
    float alpha masked, then rounded)."""
    grown = cv2.dilate(part.astype(np.uint8), np.ones((3, 3), np.uint8))
    return warp_channels(planes.channels, planes.alpha8 * grown, inverse, box)
