"""The mask helpers in :mod:`tryon.imaging.geometry` against exact references."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from scipy.ndimage import binary_closing, binary_opening, distance_transform_edt, label

from tryon.imaging.geometry import (
    close_disc,
    dilate_disc,
    dilate_ellipse,
    erode_ellipse,
    labelled_any,
    open_disc,
    open_ellipse,
    parts_touching,
)

RADII = (1, 3, 7, 20, 41)


def _rectangles(count: int) -> list[np.ndarray]:
    """(200, 160) bool masks, each one axis-aligned rectangle: their flat edges put whole
    rows of pixels exactly at a whole-number distance, where rounding decides."""
    rng = np.random.default_rng(0)
    masks = []
    for _ in range(count):
        mask = np.zeros((200, 160), bool)
        x0, y0 = rng.integers(10, 80, 2)
        mask[y0:y0 + rng.integers(5, 60), x0:x0 + rng.integers(5, 60)] = True
        masks.append(mask)
    return masks


@pytest.fixture
def opencv_threads():
    """Set OpenCV's thread count for one test and restore it afterwards."""
    before = cv2.getNumThreads()
    yield cv2.setNumThreads
    cv2.setNumThreads(before)


@pytest.mark.parametrize("threads", [1, 2])
def test_dilating_by_a_disc_takes_exactly_the_pixels_within_its_radius(
        opencv_threads, threads: int) -> None:
    # OpenCV's exact distance transform is off by ~1e-5 differently from call to call and
    # with the thread count (opencv/opencv#24082); compared with the radius as it was, the
    # pixels exactly at the radius came and went, and one photo gave two try-ons.
    opencv_threads(threads)
    for mask in _rectangles(20):
        exact = distance_transform_edt(~mask)
        for radius in RADII:
            assert np.array_equal(dilate_disc(mask, radius), exact <= radius), radius


def test_closing_and_opening_match_the_exact_disc() -> None:
    disc = np.zeros((41, 41), bool)
    disc[20, 20] = True
    kernel = distance_transform_edt(~disc) <= 7
    for mask in _rectangles(6):
        holed = mask.copy()
        holed[:, ::9] = False  # one-pixel gaps that a disc of radius 7 closes
        expected = binary_closing(np.pad(holed, 20), kernel)[20:-20, 20:-20]
        assert np.array_equal(close_disc(holed, 7), expected)
        opened = binary_opening(np.pad(mask, 20, constant_values=True), kernel)[20:-20, 20:-20]
        assert np.array_equal(open_disc(mask, 7), opened)



@pytest.mark.parametrize("size", [1, 3, 5, 9, 15, 27, 41])
def test_elliptic_morphology_is_opencvs_pixel_for_pixel(size: int) -> None:
    # Taken row by row for speed, it must stay OpenCV's own: random speckle (every pixel's
    # neighbourhood differs), parts at the picture's edges (OpenCV counts beyond them as
    # inside for an erosion, outside for a dilation), pictures shorter than the kernel.
    rng = np.random.default_rng(size)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    for trial in range(40):
        height, width = (int(v) for v in rng.integers(1, 90, 2))
        mask = (rng.random((height, width)) < rng.uniform(0.05, 0.95)).astype(np.uint8)
        if trial % 2:
            mask[:] = 0
            mask[rng.integers(0, height):, rng.integers(0, width):] = 1
        assert np.array_equal(erode_ellipse(mask, size), cv2.erode(mask, kernel) > 0)
        assert np.array_equal(dilate_ellipse(mask, size), cv2.dilate(mask, kernel) > 0)
        assert np.array_equal(open_ellipse(mask, size),
                              cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel) > 0)
    with pytest.raises(ValueError):
        erode_ellipse(np.ones((4, 4), bool), 4)

@pytest.mark.parametrize("dtype", [np.uint8, np.int32])
def test_labelled_any_matches_isin(dtype: type) -> None:
    labels = np.random.default_rng(1).integers(0, 12, (90, 70)).astype(dtype)
    for values in ([3], [0, 5, 11], [4, 300, -1], []):
        assert np.array_equal(labelled_any(labels, values), np.isin(labels, values)), values


def test_parts_touching_keeps_exactly_the_parts_with_a_seed() -> None:
    rng = np.random.default_rng(2)
    for _ in range(10):
        mask = rng.random((80, 60)) > 0.6
        seeds = rng.random((80, 60)) > 0.97
        parts, _ = label(mask, structure=np.ones((3, 3)))
        hit = np.unique(parts[seeds & mask])
        expected = np.isin(parts, hit[hit > 0])
        assert np.array_equal(parts_touching(mask, seeds), expected)
    assert not parts_touching(np.zeros((5, 5), bool), np.ones((5, 5), bool)).any()
