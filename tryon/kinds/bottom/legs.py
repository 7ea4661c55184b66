"""The lower body as bottoms and dresses see it: hips, knees and ankles of each leg, the
waistband line, the crotch, and widths measured on the person's own silhouette.

Coordinates are (x, y) photo pixels, x right, y down. Legs are indexed by image side: 0 is
the leg on the photo's left (a front-facing person's right leg), 1 the other. Sizes are in
body units (:attr:`~tryon.body.pose.Pose.unit_px`, the shoulder width).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tryon.body.landmarks import PoseLandmark as L
from tryon.body.pose import CROTCH_BELOW_HIPS, WAIST_ABOVE_HIPS, Pose, require_facing_camera
from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.geometry import perpendicular, unit

__all__ = ["LegFrame", "leg_frame", "reach", "samples_along", "WAIST_ABOVE_HIPS",
           "CROTCH_BELOW_HIPS"]

LEG_VISIBILITY = 0.5  # least MediaPipe visibility of each hip, knee and ankle
ANKLE_BELOW_FRAME = 0.4  # body units: an ankle this far below the photo's edge still counts
MIN_LEG_UNIT_PX = 12.0  # a smaller body cannot be dressed
MAX_GAP_PX = 2  # holes in the silhouette this long do not end a run


@dataclass(frozen=True)
class LegFrame:
    """Image-sided lower-body points, (2,) xy each: ``hip``, ``knee``, ``ankle`` per leg
    (image-left leg first); ``shoulder_mid``: the shoulders' midpoint; ``unit``: the body
    unit in pixels."""

    hip: tuple[np.ndarray, np.ndarray]
    knee: tuple[np.ndarray, np.ndarray]
    ankle: tuple[np.ndarray, np.ndarray]
    shoulder_mid: np.ndarray
    unit: float

    @property
    def hip_mid(self) -> np.ndarray:
        return (self.hip[0] + self.hip[1]) / 2

    @property
    def down(self) -> np.ndarray:
        """(2,) unit vector down the torso (shoulders → hips)."""
        return unit(self.hip_mid - self.shoulder_mid)

    @property
    def across(self) -> np.ndarray:
        """(2,) unit vector across the body, image-left to image-right, square to ``down``."""
        return -perpendicular(self.down)

    @property
    def hip_half_span(self) -> float:
        """Half the distance between the hip landmarks (the hip joints), pixels."""
        return float(np.hypot(*(self.hip[1] - self.hip[0]))) / 2

    @property
    def waist(self) -> np.ndarray:
        """(2,) xy: the middle of a mid-rise waistband."""
        return self.hip_mid - self.down * WAIST_ABOVE_HIPS * self.unit

    @property
    def crotch(self) -> np.ndarray:
        return self.hip_mid + self.down * CROTCH_BELOW_HIPS * self.unit

    def leg_length(self, leg: int) -> float:
        """Hip → knee → ankle length of leg ``leg`` in pixels."""
        return float(np.hypot(*(self.knee[leg] - self.hip[leg]))
                     + np.hypot(*(self.ankle[leg] - self.knee[leg])))

    def thigh_length(self, leg: int) -> float:
        return float(np.hypot(*(self.knee[leg] - self.hip[leg])))

    def leg_point(self, leg: int, distance: float) -> tuple[np.ndarray, np.ndarray]:
        """Point at arc length ``distance`` pixels along hip → knee → ankle of ``leg`` and the
        unit direction there; past the ankle it goes on along the shin."""
        hip, knee, ankle = self.hip[leg], self.knee[leg], self.ankle[leg]
        thigh = self.thigh_length(leg)
        if distance <= thigh:
            direction = unit(knee - hip)
            return hip + direction * distance, direction
        direction = unit(ankle - knee)
        return knee + direction * (distance - thigh), direction

    def middle_point(self, distance: float) -> tuple[np.ndarray, np.ndarray]:
        """The midpoint of both legs' points at ``distance`` along them, and its direction."""
        a, da = self.leg_point(0, distance)
        b, db = self.leg_point(1, distance)
        return (a + b) / 2, unit(da + db)

    def outward(self, leg: int, direction: np.ndarray) -> np.ndarray:
        """(2,) unit normal of ``direction`` pointing away from the body's middle for
        ``leg`` (image-left for leg 0)."""
        normal = perpendicular(direction)
        return normal if (normal @ self.across) * (1 if leg == 1 else -1) > 0 else -normal


def leg_frame(pose: Pose, size: tuple[int, int]) -> LegFrame:
    """The lower body of ``pose`` in a photo of ``size`` (height, width). Raises
    ``legs_not_visible`` when a hip, knee or ankle is not confidently inside the photo (a
    half-body photo; feet cut off just under the ankles are allowed) and
    ``body_not_visible`` when the person is too small, ``person_facing_away`` when seen from
    behind."""
    height, width = size
    marks = (L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE, L.RIGHT_KNEE, L.LEFT_ANKLE, L.RIGHT_ANKLE)
    for mark in marks:
        x, y = pose.point(mark)
        below = ANKLE_BELOW_FRAME * pose.unit_px if mark in (L.LEFT_ANKLE, L.RIGHT_ANKLE) else 0
        if not pose.visible(mark, LEG_VISIBILITY) or not (
                0 <= x < width and 0 <= y < height + below):
            raise TryOnError(ErrorCode.LEGS_NOT_VISIBLE,
                             "the hips, knees and ankles must be in the photo; use a "
                             "full-body photo")
    if pose.unit_px < MIN_LEG_UNIT_PX:
        raise TryOnError(ErrorCode.BODY_NOT_VISIBLE, "the person is too small in the photo")
    require_facing_camera(pose)
    p = pose.point
    left_first = p(L.RIGHT_HIP)[0] <= p(L.LEFT_HIP)[0]
    a, b = ("RIGHT", "LEFT") if left_first else ("LEFT", "RIGHT")

    def pair(name: str) -> tuple[np.ndarray, np.ndarray]:
        return p(L[f"{a}_{name}"]).copy(), p(L[f"{b}_{name}"]).copy()

    shoulders = pose.neck_base
    return LegFrame(hip=pair("HIP"), knee=pair("KNEE"), ankle=pair("ANKLE"),
                    shoulder_mid=shoulders.copy(), unit=pose.unit_px)


def samples_along(mask: np.ndarray, start: np.ndarray, direction: np.ndarray,
                  limit: float) -> np.ndarray:
    """(N,) bool: ``mask`` at 1-pixel steps from ``start`` along ``direction`` up to
    ``limit`` pixels (False outside the mask's frame)."""
    steps = np.arange(0.0, max(limit, 1.0), 1.0)
    pts = np.round(start + steps[:, None] * direction).astype(int)
    inside = ((pts[:, 0] >= 0) & (pts[:, 0] < mask.shape[1])
              & (pts[:, 1] >= 0) & (pts[:, 1] < mask.shape[0]))
    on = np.zeros(len(steps), bool)
    on[inside] = mask[pts[inside, 1], pts[inside, 0]]
    return on


def reach(mask: np.ndarray, start: np.ndarray, direction: np.ndarray,
          limit: float) -> float | None:
    """Pixels from ``start`` along ``direction`` ((2,) unit) to the end of the run of
    ``mask`` ((H, W) bool) it starts in (holes up to :data:`MAX_GAP_PX` bridged); ``limit``
    when the run goes on past it; None when ``start`` is not on the mask."""
    on = samples_along(mask, start, direction, limit)
    if not on[:MAX_GAP_PX + 1].any():
        return None
    off = ~on
    gap = off.copy()
    for shift in range(1, MAX_GAP_PX + 1):
        gap[:-shift] &= off[shift:]
        gap[-shift:] = False
    ends = np.flatnonzero(gap)
    return float(ends[0]) if ends.size else float(limit)
