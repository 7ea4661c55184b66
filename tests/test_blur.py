"""Wide blurs and normalised convolution (tryon.imaging.blur) against OpenCV's exact blur."""

from __future__ import annotations

import cv2
import numpy as np

from tryon.imaging.blur import BLUR_SHRINK_SIGMA, masked_blur, relative_light, wide_blur


def _smooth_picture() -> np.ndarray:
    ys, xs = np.mgrid[0:240, 0:320].astype(np.float32)
    return 100 + 60 * np.sin(xs / 40) * np.cos(ys / 55)


def test_a_narrow_blur_is_opencvs_own() -> None:
    picture = _smooth_picture()
    exact = cv2.GaussianBlur(picture, (0, 0), 3.0, borderType=cv2.BORDER_REFLECT)
    assert np.array_equal(wide_blur(picture, 3.0), exact)


def test_a_wide_blur_on_a_shrunk_copy_stays_close_to_the_exact_one() -> None:
    picture = _smooth_picture()
    sigma = 4 * BLUR_SHRINK_SIGMA
    exact = cv2.GaussianBlur(picture, (0, 0), sigma, borderType=cv2.BORDER_REFLECT)
    approx = wide_blur(picture, sigma)
    assert approx.shape == picture.shape
    assert np.abs(approx - exact)[20:-20, 20:-20].max() < 1.5  # of a 120-unit range


def test_masked_blur_uses_only_the_weighted_pixels() -> None:
    values = np.zeros((100, 100, 3), np.float32)
    values[:, :50] = 200.0  # the weighted half
    values[:, 50:] = 10.0  # never used
    weight = np.zeros((100, 100), bool)
    weight[:, :50] = True
    out = masked_blur(values, weight, 20.0)
    assert out.shape == values.shape
    # Inside the weighted part's reach every pixel is the weighted colour, not a mix.
    assert np.allclose(out[:, :70], 200.0, atol=0.5)
    grey = masked_blur(values[..., 0], weight, 20.0)
    assert grey.shape == (100, 100) and np.allclose(grey[:, :70], 200.0, atol=0.5)


def test_relative_light_follows_the_light_within_its_limits() -> None:
    rgb = np.zeros((120, 200, 3), np.uint8)
    rgb[:, :100] = 90  # the shaded side
    rgb[:, 100:] = 150  # the lit side
    where = np.ones((120, 200), bool)
    light = relative_light(rgb, where, 10.0, (0.85, 1.1))
    assert light.dtype == np.float32
    assert light[:, :60].max() == np.float32(0.85)  # shaded side, as dark as allowed
    assert light[:, 140:].min() == np.float32(1.1)
