"""Person analysis: MediaPipe Pose landmarks, a person mask and body regions.

MediaPipe Pose (the bundled ``model_complexity=1`` model, static image mode) runs on a copy of
the photo scaled to at most :data:`ANALYSIS_MAX_SIDE` pixels; landmarks are returned in pixels
of the original photo. A :class:`PersonAnalyzer` owns a MediaPipe graph, which is not
thread-safe: use one analyzer per thread, or guard it with a lock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import cv2
import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.geometry import bbox_of_mask, crop_box
from tryon.landmarks import PoseLandmark
from tryon.regions import BodyRegions, derive_regions

__all__ = ["Pose", "PersonAnalysis", "PersonAnalyzer", "ANALYSIS_MAX_SIDE"]

ANALYSIS_MAX_SIDE = 1024
MASK_THRESHOLD = 0.5
SECOND_PERSON_AREA_RATIO = 0.2


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
        """Distance between the shoulder landmarks in pixels (the body's length unit)."""
        left = self.point(PoseLandmark.LEFT_SHOULDER)
        right = self.point(PoseLandmark.RIGHT_SHOULDER)
        return float(np.hypot(*(left - right)))


@dataclass(frozen=True)
class PersonAnalysis:
    """Everything the later stages know about the person in one photo.

    ``mask``: (H, W) float32 person probability in [0, 1]; ``regions``: body-part labels and a
    skin mask; ``warnings``: human-readable notes (e.g. several people were seen).
    """

    pose: Pose
    mask: np.ndarray
    regions: BodyRegions
    warnings: tuple[str, ...]

    @property
    def person_mask(self) -> np.ndarray:
        """(H, W) bool: pixels that belong to the person."""
        return self.mask >= MASK_THRESHOLD


class PersonAnalyzer:
    """One MediaPipe Pose graph with its pre- and post-processing. Close it when done."""

    def __init__(self) -> None:
        import mediapipe as mp  # imported here: it is slow to import and logs on import

        self._pose = mp.solutions.pose.Pose(
            static_image_mode=True,
            model_complexity=1,
            enable_segmentation=True,
            min_detection_confidence=0.5,
        )
        self._lock = threading.Lock()

    def close(self) -> None:
        self._pose.close()

    def __enter__(self) -> PersonAnalyzer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def analyze(self, rgb: np.ndarray) -> PersonAnalysis:
        """Analyse an (H, W, 3) uint8 RGB photo. Raises ``no_person`` when nobody is found."""
        if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
            raise ValueError(f"expected (H, W, 3) uint8 RGB, got {rgb.shape} {rgb.dtype}")
        pose, mask = self._detect(rgb)
        warnings: list[str] = []
        others = _other_people(mask >= MASK_THRESHOLD)
        if others:
            warnings.append(f"{len(others) + 1} people seen; using the largest")
            if not _torso_inside(others[0], pose):
                pose, mask = self._detect_in_box(rgb, others[0])
        regions = derive_regions(rgb, pose, mask >= MASK_THRESHOLD)
        return PersonAnalysis(pose=pose, mask=mask, regions=regions, warnings=tuple(warnings))

    def _detect(self, rgb: np.ndarray) -> tuple[Pose, np.ndarray]:
        height, width = rgb.shape[:2]
        scale = min(1.0, ANALYSIS_MAX_SIDE / max(height, width))
        small = rgb if scale == 1.0 else cv2.resize(
            rgb, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA
        )
        with self._lock:
            result = self._pose.process(np.ascontiguousarray(small))
        if result.pose_landmarks is None or result.segmentation_mask is None:
            raise TryOnError(ErrorCode.NO_PERSON, "no person was found in the photo")
        marks = result.pose_landmarks.landmark
        xy = np.array([[m.x * width, m.y * height] for m in marks], dtype=np.float64)
        visibility = np.array([m.visibility for m in marks], dtype=np.float64)
        z = np.array([m.z * width for m in marks], dtype=np.float64)
        mask = result.segmentation_mask.astype(np.float32)
        if mask.shape != (height, width):
            mask = cv2.resize(mask, (width, height), interpolation=cv2.INTER_LINEAR)
        if float((mask >= MASK_THRESHOLD).mean()) < 0.005:
            raise TryOnError(ErrorCode.NO_PERSON, "no person was found in the photo")
        return Pose(xy=xy, visibility=visibility, z=z), np.clip(mask, 0.0, 1.0)

    def _detect_in_box(
        self, rgb: np.ndarray, box: tuple[int, int, int, int]
    ) -> tuple[Pose, np.ndarray]:
        """Re-run detection on a crop around ``box`` and map the result back to the photo."""
        height, width = rgb.shape[:2]
        margin = int(0.15 * max(box[2] - box[0], box[3] - box[1]))
        x0, y0, x1, y1 = crop_box(box, margin, width, height)
        pose, crop_mask = self._detect(np.ascontiguousarray(rgb[y0:y1, x0:x1]))
        mask = np.zeros((height, width), np.float32)
        mask[y0:y1, x0:x1] = crop_mask
        shifted = Pose(xy=pose.xy + np.array([x0, y0]), visibility=pose.visibility, z=pose.z)
        return shifted, mask


def _other_people(person: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes of every sizeable person-mask component, largest first, when there are several."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(person.astype(np.uint8), 8)
    if count <= 2:
        return []
    areas = stats[1:, cv2.CC_STAT_AREA]
    order = np.argsort(areas)[::-1]
    big = [int(i) + 1 for i in order if areas[i] >= SECOND_PERSON_AREA_RATIO * areas[order[0]]]
    if len(big) < 2:
        return []
    boxes = []
    for label in big:
        box = bbox_of_mask(labels == label)
        if box is not None:
            boxes.append(box)
    return boxes


def _torso_inside(box: tuple[int, int, int, int], pose: Pose) -> bool:
    """True when the detected shoulders' midpoint lies in ``box`` (the largest person)."""
    torso = pose.xy[[PoseLandmark.LEFT_SHOULDER, PoseLandmark.RIGHT_SHOULDER]].mean(axis=0)
    return box[0] <= torso[0] < box[2] and box[1] <= torso[1] < box[3]
