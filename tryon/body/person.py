"""Person analysis: MediaPipe Pose landmarks, a person mask and body regions.

MediaPipe Pose (the bundled ``model_complexity=1`` model, static image mode) runs on a copy of
the photo scaled to at most :data:`ANALYSIS_MAX_SIDE` pixels; landmarks are returned in pixels
of the original photo. A :class:`PersonAnalyzer` owns a MediaPipe graph, which is not
thread-safe: use one analyzer per thread, or guard it with a lock.

MediaPipe finds one person, and its segmentation mask covers that person only. Other people
are looked for twice: sizeable separate parts of the mask (people touching or overlapping),
and, when the photo has room beside the person found, a second detection with that person's
columns blanked out (people side by side). When nobody is found, detection is retried on
copies with a border added, its contrast stretched (CLAHE on the lightness), or both: a
greyscale copy of a photo loses the colour edges MediaPipe's detector relies on, and the
detector misses a few plain studio photos by chance (1 of 400 VITON-HD persons).
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from tryon.body.landmarks import PoseLandmark
from tryon.body.pose import Pose
from tryon.body.regions import BodyRegions, derive_regions
from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.geometry import bbox_of_mask, crop_box

__all__ = ["PersonAnalysis", "PersonAnalyzer", "ANALYSIS_MAX_SIDE", "stretch_contrast"]

ANALYSIS_MAX_SIDE = 1024
MASK_THRESHOLD = 0.5
SECOND_PERSON_AREA_RATIO = 0.2
# A strip beside the person is searched for another one when it is at least this many times
# as wide as the person's box; the strip keeps this share of the box's width away from it.
BESIDE_MIN_WIDTH = 0.5
BESIDE_GAP = 0.05
MIN_VISIBILITY = 0.5
# The retry when nobody is found: CLAHE on the Lab lightness, then a replicated border of
# this share of the longer side on every side (the detector wants room around a body).
CLAHE_CLIP = 2.0
CLAHE_TILES = 8
RETRY_BORDER = 0.15
# The copies tried in turn, as (contrast stretched, bordered): the detector misses some
# plain studio photos by chance and finds the person in a slightly changed copy (VITON-HD
# 09632 was found with a border, or stretched without one, but not stretched with one).
RETRIES = ((False, True), (True, True), (True, False))
MIN_MASK_SHARE = 0.005
# Hip joints' span per shoulder span under which MediaPipe has laid both legs on one line (a
# woman standing at a wall, legs a little apart: 0.16, one trouser leg fitted between her
# legs): the photo is analysed mirrored too, and that pose taken when its hips are wider.
# 437 photos of persons facing the camera or turned measured 0.47-0.80 (median 0.60); the
# collapsed one, mirrored, 0.54.
COLLAPSED_HIPS = 0.3
# Each landmark's mirror image: left and right swapped (nose 0, eyes 1-3 / 4-6, ears 7 / 8,
# mouth 9 / 10, then pairs from the shoulders, 11 / 12, to the feet, 31 / 32).
MIRRORED = np.array([0, 4, 5, 6, 1, 2, 3, 8, 7, 10, 9]
                    + [index + 1 if index % 2 else index - 1 for index in range(11, 33)])
ANALYSIS_MIN_STRIP = 64  # pixels: a narrower strip holds nobody worth a warning
# A strip whose share of Canny edge pixels (grey level, 3x3 Gaussian, thresholds
# STRIP_CANNY) is under PLAIN_STRIP_EDGES holds nobody and is not searched: studio walls
# give 0-0.002, strips with a second person 0.0125-0.027 (the search's detection cost a
# full-body studio photo 30-40 ms).
PLAIN_STRIP_EDGES = 0.004
STRIP_CANNY = (40, 120)


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

    @functools.cached_property
    def person_mask(self) -> np.ndarray:
        """(H, W) bool, read-only: pixels that belong to the person (worked out on first use:
        the stages ask for it dozens of times a try-on)."""
        mask = self.mask >= MASK_THRESHOLD
        mask.flags.writeable = False
        return mask


class PersonAnalyzer:
    """One MediaPipe Pose graph with its pre- and post-processing. Close it when done."""

    def __init__(self) -> None:
        with _without_sounddevice():
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
        """Analyse an (H, W, 3) uint8 RGB photo. Raises ``no_person`` when nobody is found
        (also on the contrast-stretched retry)."""
        if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
            raise ValueError(f"expected (H, W, 3) uint8 RGB, got {rgb.shape} {rgb.dtype}")
        pose, mask = self._detect_or_retry(rgb)
        if _hip_span(pose) < COLLAPSED_HIPS:
            mirrored = self._detect_mirrored(rgb)
            if mirrored is not None and _hip_span(mirrored[0]) > _hip_span(pose):
                pose, mask = mirrored
        warnings: list[str] = []
        others = _other_people(mask >= MASK_THRESHOLD)
        if others:
            warnings.append(f"{len(others) + 1} people seen; using the largest")
            if not _torso_inside(others[0], pose):
                pose, mask = self._detect_in_box(rgb, others[0])
        else:
            beside = self._person_beside(rgb, mask >= MASK_THRESHOLD)
            if beside is not None:
                warnings.append("2 people seen; using the largest")
                if (beside[1] >= MASK_THRESHOLD).sum() > (mask >= MASK_THRESHOLD).sum():
                    pose, mask = beside
        regions = derive_regions(rgb, pose, mask >= MASK_THRESHOLD)
        return PersonAnalysis(pose=pose, mask=mask, regions=regions, warnings=tuple(warnings))

    def _detect_or_retry(self, rgb: np.ndarray) -> tuple[Pose, np.ndarray]:
        """:meth:`_detect`; when it finds nobody, again on each of :data:`RETRIES` in turn
        (a replicated border of :data:`RETRY_BORDER`, with or without :func:`stretch_contrast`;
        results mapped back to ``rgb``). Raises the first ``no_person`` when none finds one."""
        try:
            return self._detect(rgb)
        except TryOnError as exc:
            if exc.code is not ErrorCode.NO_PERSON:
                raise
            first = exc
        height, width = rgb.shape[:2]
        for stretched, bordered in RETRIES:
            border = round(RETRY_BORDER * max(height, width)) if bordered else 0
            copy = stretch_contrast(rgb) if stretched else rgb
            if border:
                copy = cv2.copyMakeBorder(copy, border, border, border, border,
                                          cv2.BORDER_REPLICATE)
            try:
                pose, mask = self._detect(copy)
            except TryOnError:
                continue
            mask = np.ascontiguousarray(mask[border:border + height, border:border + width])
            if float((mask >= MASK_THRESHOLD).mean()) >= MIN_MASK_SHARE:
                return Pose(xy=pose.xy - border, visibility=pose.visibility, z=pose.z), mask
        raise first from None

    def _detect_mirrored(self, rgb: np.ndarray) -> tuple[Pose, np.ndarray] | None:
        """:meth:`_detect` on ``rgb`` mirrored left to right, its landmarks and mask mapped
        back (x → W − x, each left landmark swapped with its right one: MediaPipe names the
        sides from the body, and the mirrored body's left is the person's right); None when
        nobody is found there."""
        try:
            pose, mask = self._detect(np.ascontiguousarray(rgb[:, ::-1]))
        except TryOnError:
            return None
        xy = pose.xy.copy()
        xy[:, 0] = rgb.shape[1] - xy[:, 0]
        return (Pose(xy=xy[MIRRORED], visibility=pose.visibility[MIRRORED], z=pose.z[MIRRORED]),
                np.ascontiguousarray(mask[:, ::-1]))

    def _person_beside(self, rgb: np.ndarray,
                       person: np.ndarray) -> tuple[Pose, np.ndarray] | None:
        """Another person side by side with the one in ``person`` ((H, W) bool mask), or
        None. Searched only when the photo has a strip left or right of the person's box at
        least :data:`BESIDE_MIN_WIDTH` × its width wide and not both plain
        (:func:`_plain_strips`): one detection on a copy with the
        person's columns (and :data:`BESIDE_GAP` of the width around them) filled with the
        photo's median colour; it counts when it shows both shoulders and covers at least
        :data:`SECOND_PERSON_AREA_RATIO` of the person's area. (pose, mask) in photo
        pixels."""
        box = bbox_of_mask(person)
        if box is None:
            return None
        width = rgb.shape[1]
        x0, _, x1, _ = box
        gap = round(BESIDE_GAP * (x1 - x0))
        left, right = max(0, x0 - gap), min(width, x1 + gap)
        room = max(left, width - right)
        if room < max(BESIDE_MIN_WIDTH * (x1 - x0), ANALYSIS_MIN_STRIP):
            return None
        if _plain_strips(rgb, left, right):
            return None
        hidden = rgb.copy()
        hidden[:, left:right] = np.median(rgb[:, ::8].reshape(-1, 3), axis=0).astype(np.uint8)
        try:
            pose, mask = self._detect(hidden)
        except TryOnError:
            return None
        shoulders = pose.visibility[[PoseLandmark.LEFT_SHOULDER, PoseLandmark.RIGHT_SHOULDER]]
        area = int((mask >= MASK_THRESHOLD).sum())
        if shoulders.min() < MIN_VISIBILITY or area < SECOND_PERSON_AREA_RATIO * person.sum():
            return None
        return pose, mask

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
        if float((mask >= MASK_THRESHOLD).mean()) < MIN_MASK_SHARE:
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


def _plain_strips(rgb: np.ndarray, left: int, right: int) -> bool:
    """Whether the columns of ``rgb`` ((H, W, 3) uint8) left of ``left`` and from ``right``
    on both have fewer than :data:`PLAIN_STRIP_EDGES` of their pixels on an edge."""
    grey = cv2.GaussianBlur(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), (3, 3), 0)
    for start, stop in ((0, left), (right, rgb.shape[1])):
        if stop > start:
            edges = cv2.Canny(np.ascontiguousarray(grey[:, start:stop]), *STRIP_CANNY)
            if float((edges > 0).mean()) >= PLAIN_STRIP_EDGES:
                return False
    return True


def stretch_contrast(rgb: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 RGB ``rgb`` with its lightness contrast-equalised (CLAHE on Lab L,
    clip :data:`CLAHE_CLIP`, :data:`CLAHE_TILES` × :data:`CLAHE_TILES` tiles); chroma kept."""
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
    clahe = cv2.createCLAHE(clipLimit=CLAHE_CLIP, tileGridSize=(CLAHE_TILES, CLAHE_TILES))
    lab[..., 0] = clahe.apply(np.ascontiguousarray(lab[..., 0]))
    return cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)


@contextlib.contextmanager
def _without_sounddevice() -> Iterator[None]:
    """Keep ``sounddevice`` from being imported while MediaPipe is (its audio module tries
    it, and sounddevice's PortAudio lookup runs ldconfig, gcc and ld, writing temp files):
    MediaPipe's audio tasks then find no sounddevice, which this engine never uses. An
    already imported sounddevice is left alone; a later ``import sounddevice`` works."""
    if "sounddevice" in sys.modules:
        yield
        return
    sys.modules["sounddevice"] = None  # type: ignore[assignment]  # ImportError on import
    try:
        yield
    finally:
        if sys.modules.get("sounddevice", 0) is None:
            del sys.modules["sounddevice"]


def _hip_span(pose: Pose) -> float:
    """The hip joints' distance apart in shoulder spans (body units)."""
    return float(np.hypot(*(pose.point(PoseLandmark.LEFT_HIP)
                            - pose.point(PoseLandmark.RIGHT_HIP)))) / pose.unit_px


def _torso_inside(box: tuple[int, int, int, int], pose: Pose) -> bool:
    """True when the detected shoulders' midpoint lies in ``box`` (the largest person)."""
    torso = pose.xy[[PoseLandmark.LEFT_SHOULDER, PoseLandmark.RIGHT_SHOULDER]].mean(axis=0)
    return box[0] <= torso[0] < box[2] and box[1] <= torso[1] < box[3]
