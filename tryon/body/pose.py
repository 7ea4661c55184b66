"""The pose of one person and the body's unit of length.

Coordinates are (x, y) pixels of the analysed photo, x to the right and y down; "left" and
"right" are the person's own sides (MediaPipe's convention).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tryon.body.landmarks import PoseLandmark
from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.geometry import unit

__all__ = ["CHIN_BELOW_MOUTH", "CROTCH_BELOW_HIPS", "MIN_UNIT_PX", "Pose", "WAIST_ABOVE_HIPS",
           "chin_point", "mouth_and_eyes", "require_facing_camera"]

MIN_UNIT_PX = 1.0  # the least body unit, for a person seen exactly side-on
# Measured on the DressCode label maps and the full-body photos: a mid-rise waistband sits
# about 0.3 body units above MediaPipe's hip landmarks (the hip joints), the crotch about
# 0.5 below them (050915: 0.52).
WAIST_ABOVE_HIPS = 0.3
CROTCH_BELOW_HIPS = 0.5
# Seen from behind, the person's own left shoulder lies on the photo's left: by this many
# body units at least (shoulders), and the left hip by half as much when the hips are seen.
# Facing the camera (turned up to side-on) VITON-HD persons measured +0.87 to +1.0; seen
# from behind, −1.0 (hips −0.5 to −0.6).
FACING_AWAY = 0.3
MIN_SIDE_VISIBILITY = 0.5  # of both hip landmarks for the hips to be judged too
CHIN_BELOW_MOUTH = 0.75  # eye-to-mouth distances from the mouth down to the chin
# A body's proportions in body units: the nose above the shoulders' middle, and the
# shoulders' middle to the hips' middle. Real photos (VITON-HD, half-body, openvto selfies
# and postures, full-body studio photos) measured 0.47-0.99 and 1.21-2.69; the skeletons
# MediaPipe finds in product photos of tops, dresses and shoes mostly fall outside
# (nose -3.3 to 0.4, torso up to 16).
NOSE_ABOVE_SHOULDERS = (0.4, 1.3)
TORSO_LENGTH = (1.0, 3.0)
# An arm whose elbow and wrist are both seen less surely than this, and whose shoulder lies
# at least HIDDEN_SHOULDER_DEPTH body units farther from the camera than the hips' middle, is
# behind the body of a person turned three-quarters: MediaPipe guesses it down the torso.
# VITON-HD persons with such arms measured 0.49-1.48; unsure arms seen beside the body
# (a hand behind the back, a bent arm at the side) -1.57 to 0.04.
HIDDEN_ARM_VISIBILITY = 0.3
HIDDEN_SHOULDER_DEPTH = 0.3
# Turned side-on, the shoulders are a short span across a long torso: from the shoulders'
# middle to the hips' middle in body units (the shoulders' span), beyond this the person is
# side-on. The test and demo photos measure up to 2.05; of the 1,792 VITON-HD persons 6 lie
# beyond it (and one back view), all turned side-on, and a front-view top put on them was a
# strip beside the old one; three-quarter views measure up to 3.3.
SIDE_ON_TORSO = 3.3


@dataclass(frozen=True)
class Pose:
    """33 landmarks. ``xy``: (33, 2) float64 pixels; ``visibility``: (33,) in [0, 1];
    ``z``: (33,) depth relative to the hips, in the same scale as x (smaller = nearer)."""

    xy: np.ndarray
    visibility: np.ndarray
    z: np.ndarray

    def point(self, landmark: PoseLandmark) -> np.ndarray:
        """(2,) xy pixels of one landmark."""
        return self.xy[int(landmark)]

    def visible(self, landmark: PoseLandmark, threshold: float = 0.5) -> bool:
        return bool(self.visibility[int(landmark)] >= threshold)

    @property
    def shoulder_width(self) -> float:
        """Distance between the shoulder landmarks in pixels (may be 0 for a side view)."""
        left = self.point(PoseLandmark.LEFT_SHOULDER)
        right = self.point(PoseLandmark.RIGHT_SHOULDER)
        return float(np.hypot(*(left - right)))

    @property
    def hip_width(self) -> float:
        """Distance between the hip landmarks (the joints) in pixels."""
        left = self.point(PoseLandmark.LEFT_HIP)
        right = self.point(PoseLandmark.RIGHT_HIP)
        return float(np.hypot(*(left - right)))

    @property
    def neck_base(self) -> np.ndarray:
        """(2,) xy pixels: the shoulder joints' middle, where the neck meets the shoulders."""
        return (self.point(PoseLandmark.LEFT_SHOULDER)
                + self.point(PoseLandmark.RIGHT_SHOULDER)) / 2

    @property
    def hips_middle(self) -> np.ndarray:
        """(2,) xy pixels: the hip joints' middle, on the hip line."""
        return (self.point(PoseLandmark.LEFT_HIP) + self.point(PoseLandmark.RIGHT_HIP)) / 2

    @property
    def torso_down(self) -> np.ndarray:
        """(2,) unit xy from the shoulders' midpoint to the hips' midpoint: the torso's down."""
        return unit(self.hips_middle - self.neck_base)

    @property
    def faces_away(self) -> bool:
        """True when the person is seen from behind (:data:`FACING_AWAY`): MediaPipe names
        the sides from the body itself, so a person facing the camera has the left shoulder
        on the photo's right, mirrored selfie or not."""
        left = PoseLandmark.LEFT_SHOULDER, PoseLandmark.LEFT_HIP
        right = PoseLandmark.RIGHT_SHOULDER, PoseLandmark.RIGHT_HIP
        spread = [(self.point(a)[0] - self.point(b)[0]) / self.unit_px
                  for a, b in zip(left, right, strict=True)]
        hips_seen = all(self.visible(m, MIN_SIDE_VISIBILITY) for m in (left[1], right[1]))
        return spread[0] < -FACING_AWAY and (not hips_seen or spread[1] < -FACING_AWAY / 2)

    @property
    def side_on(self) -> bool:
        """True when the person is turned side-on to the camera: the torso, shoulders'
        middle to hips' middle, longer than :data:`SIDE_ON_TORSO` shoulder spans."""
        return self.torso_length > SIDE_ON_TORSO

    def arm_hidden(self, side: str) -> bool:
        """Whether the person's ``side`` ("LEFT" or "RIGHT") arm is behind the body: its
        elbow and wrist both under :data:`HIDDEN_ARM_VISIBILITY` and its shoulder
        :data:`HIDDEN_SHOULDER_DEPTH` behind the hips. Its landmarks are then guesses laid
        over the torso; nothing in the photo is that arm."""
        unseen = all(self.visibility[int(PoseLandmark[f"{side}_{joint}"])]
                     < HIDDEN_ARM_VISIBILITY for joint in ("ELBOW", "WRIST"))
        depth = self.z[int(PoseLandmark[f"{side}_SHOULDER"])] / self.unit_px
        return unseen and depth >= HIDDEN_SHOULDER_DEPTH

    @property
    def proportions_plausible(self) -> bool:
        """Whether the nose's height above the shoulders and the torso's length, in body
        units, lie in a person's ranges (:data:`NOSE_ABOVE_SHOULDERS`, :data:`TORSO_LENGTH`).
        False for most skeletons found in product photos, and for some real poses (a person
        seen side-on): a reason to look again, not to refuse."""
        nose = (self.neck_base[1] - self.point(PoseLandmark.NOSE)[1]) / self.unit_px
        return (NOSE_ABOVE_SHOULDERS[0] <= nose <= NOSE_ABOVE_SHOULDERS[1]
                and TORSO_LENGTH[0] <= self.torso_length <= TORSO_LENGTH[1])

    @property
    def torso_length(self) -> float:
        """Body units from the shoulders' middle (the neck's base) to the hips' middle."""
        return float(np.hypot(*(self.hips_middle - self.neck_base))) / self.unit_px

    @property
    def unit_px(self) -> float:
        """The body's unit of length in pixels: the shoulder width, at least
        :data:`MIN_UNIT_PX`. Every size drawn from the pose (limb radii, margins, fit ease)
        is a multiple of it."""
        return max(self.shoulder_width, MIN_UNIT_PX)


def require_facing_camera(pose: Pose) -> None:
    """Raise ``person_facing_away`` when ``pose`` is seen from behind (:attr:`Pose.faces_away`):
    a front-view product cannot be put on a back; ``person_side_on`` when it is turned
    side-on (:attr:`Pose.side_on`): nor on a side."""
    if pose.faces_away:
        raise TryOnError(ErrorCode.PERSON_FACING_AWAY,
                         "the person faces away from the camera; use a photo taken from the "
                         "front")
    if pose.side_on:
        raise TryOnError(ErrorCode.PERSON_SIDE_ON,
                         "the person is turned side-on to the camera; use a photo taken from "
                         "the front")


def mouth_and_eyes(pose: Pose) -> tuple[np.ndarray, np.ndarray]:
    """(2,) xy each: the middle of the mouth and the middle of the eyes."""
    p = pose.point
    return ((p(PoseLandmark.MOUTH_LEFT) + p(PoseLandmark.MOUTH_RIGHT)) / 2,
            (p(PoseLandmark.LEFT_EYE) + p(PoseLandmark.RIGHT_EYE)) / 2)


def chin_point(pose: Pose) -> np.ndarray:
    """(2,) xy: the chin, :data:`CHIN_BELOW_MOUTH` eye-to-mouth distances below the mouth."""
    mouth, eyes = mouth_and_eyes(pose)
    return mouth + CHIN_BELOW_MOUTH * (mouth - eyes)
