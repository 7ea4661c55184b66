"""The 33 MediaPipe Pose landmarks and the skeleton, as plain data.

Coordinates everywhere in the engine are ``(x, y)`` pixels of the decoded photo, x to the right,
y down. "Left" and "right" are the person's own sides (MediaPipe's convention), so the person's
left shoulder usually appears on the right of a front-facing photo.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["PoseLandmark", "SKELETON_EDGES"]


class PoseLandmark(IntEnum):
    """Indices into the (33, 2) landmark array."""

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


_L = PoseLandmark
SKELETON_EDGES: tuple[tuple[PoseLandmark, PoseLandmark], ...] = (
    (_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER),
    (_L.LEFT_SHOULDER, _L.LEFT_ELBOW),
    (_L.LEFT_ELBOW, _L.LEFT_WRIST),
    (_L.RIGHT_SHOULDER, _L.RIGHT_ELBOW),
    (_L.RIGHT_ELBOW, _L.RIGHT_WRIST),
    (_L.LEFT_WRIST, _L.LEFT_INDEX),
    (_L.LEFT_WRIST, _L.LEFT_PINKY),
    (_L.LEFT_WRIST, _L.LEFT_THUMB),
    (_L.RIGHT_WRIST, _L.RIGHT_INDEX),
    (_L.RIGHT_WRIST, _L.RIGHT_PINKY),
    (_L.RIGHT_WRIST, _L.RIGHT_THUMB),
    (_L.LEFT_SHOULDER, _L.LEFT_HIP),
    (_L.RIGHT_SHOULDER, _L.RIGHT_HIP),
    (_L.LEFT_HIP, _L.RIGHT_HIP),
    (_L.LEFT_HIP, _L.LEFT_KNEE),
    (_L.LEFT_KNEE, _L.LEFT_ANKLE),
    (_L.RIGHT_HIP, _L.RIGHT_KNEE),
    (_L.RIGHT_KNEE, _L.RIGHT_ANKLE),
    (_L.LEFT_ANKLE, _L.LEFT_HEEL),
    (_L.LEFT_HEEL, _L.LEFT_FOOT_INDEX),
    (_L.LEFT_ANKLE, _L.LEFT_FOOT_INDEX),
    (_L.RIGHT_ANKLE, _L.RIGHT_HEEL),
    (_L.RIGHT_HEEL, _L.RIGHT_FOOT_INDEX),
    (_L.RIGHT_ANKLE, _L.RIGHT_FOOT_INDEX),
    (_L.NOSE, _L.LEFT_EYE),
    (_L.NOSE, _L.RIGHT_EYE),
    (_L.LEFT_EYE, _L.LEFT_EAR),
    (_L.RIGHT_EYE, _L.RIGHT_EAR),
    (_L.MOUTH_LEFT, _L.MOUTH_RIGHT),
)
