"""The pose of one person and the body's unit of length.

Coordinates are (x, y) pixels of the analysed photo, x to the right and y down; "left" and
"right" are the person's own sides (MediaPipe's convention).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tryon.body.landmarks import PoseLandmark

__all__ = ["CROTCH_BELOW_HIPS", "MIN_UNIT_PX", "Pose", "WAIST_ABOVE_HIPS"]

MIN_UNIT_PX = 1.0  # the least body unit, for a person seen exactly side-on
# Measured on the DressCode label maps and the full-body photos: a mid-rise waistband sits
# about 0.3 body units above MediaPipe's hip landmarks (the hip joints), the crotch about
# 0.5 below them (050915: 0.52).
WAIST_ABOVE_HIPS = 0.3
CROTCH_BELOW_HIPS = 0.5


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
    def unit_px(self) -> float:
        """The body's unit of length in pixels: the shoulder width, at least
        :data:`MIN_UNIT_PX`. Every size drawn from the pose (limb radii, margins, fit ease)
        is a multiple of it."""
        return max(self.shoulder_width, MIN_UNIT_PX)
