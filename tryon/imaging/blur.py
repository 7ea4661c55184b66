"""Wide Gaussian blurs, and blurs that use only some pixels (normalised convolution).

Pictures are (H, W) or (H, W, C) arrays, any dtype (float32 out); sigmas in pixels.
A blur wider than :data:`BLUR_SHRINK_SIGMA` is done on a copy shrunk to bring it down to that
and scaled back up (its result is smooth, and the full-size kernel cost tens of ms).
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["BLUR_SHRINK_SIGMA", "GRAIN_BLUR", "MAD_TO_SIGMA", "masked_blur", "photo_grain",
           "relative_light", "wide_blur"]

BLUR_SHRINK_SIGMA = 8.0  # pixels: wider blurs run on a shrunk copy
LEAST_WEIGHT = 1e-3  # the blurred weight below which a masked blur divides by this instead
GRAIN_BLUR = 1.0  # Gaussian sigma (px) whose residue is the photo's grain
MAD_TO_SIGMA = 1.4826  # a median absolute deviation times this is a normal spread


def wide_blur(picture: np.ndarray, sigma: float) -> np.ndarray:
    """``picture`` ((H, W) or (H, W, C)) blurred by ``sigma`` px (edges reflected), float32."""
    picture = np.ascontiguousarray(picture, np.float32)
    height, width = picture.shape[:2]
    shrink = min(1.0, BLUR_SHRINK_SIGMA / max(sigma, 1e-6))
    if shrink >= 1.0:
        return cv2.GaussianBlur(picture, (0, 0), sigma, borderType=cv2.BORDER_REFLECT)
    size = (max(1, round(width * shrink)), max(1, round(height * shrink)))
    small = cv2.resize(picture, size, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), sigma * size[0] / width,
                             borderType=cv2.BORDER_REFLECT)
    return cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR).reshape(
        picture.shape)


def masked_blur(values: np.ndarray, weight: np.ndarray, sigma: float,
                least: float = LEAST_WEIGHT) -> np.ndarray:
    """``values`` ((H, W) or (H, W, C)) blurred by ``sigma`` px using each pixel as much as
    ``weight`` ((H, W) in [0, 1]) says: blur(values × weight) / blur(weight), the blurred
    weight at least ``least`` (far from any weighted pixel the result falls to 0), float32."""
    weight = np.asarray(weight, np.float32)
    values = np.asarray(values, np.float32)
    stacked = np.dstack([values * (weight[..., None] if values.ndim == 3 else weight), weight])
    blurred = wide_blur(stacked, sigma)
    if blurred.ndim == 2:
        blurred = blurred[..., None]
    num, den = blurred[..., :-1], np.maximum(blurred[..., -1:], least)
    out = num / den
    return out if values.ndim == 3 else out[..., 0]


def relative_light(rgb: np.ndarray, where: np.ndarray, sigma: float,
                   limits: tuple[float, float]) -> np.ndarray:
    """(H, W) float32 around 1: the large-scale light of ``rgb`` ((H, W, 3) uint8) over
    ``where`` ((H, W) bool, not empty): its grey level blurred by ``sigma`` px using only
    those pixels, relative to its median there, within ``limits`` (prints and folds average
    out; which side is lit stays)."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    local = masked_blur(grey, where, sigma)
    middle = max(float(np.median(local[where])), 1.0)
    return np.clip(local / middle, *limits).astype(np.float32)


def photo_grain(photo: np.ndarray, where: np.ndarray) -> float:
    """The photo's grain: the robust standard deviation (:data:`MAD_TO_SIGMA` × median
    absolute value) of the grey level of ``photo`` ((H, W, 3) uint8 RGB) less a
    :data:`GRAIN_BLUR` blur, over ``where`` ((H, W) bool); 0 when ``where`` is empty. Drawn
    skin without it looked smoother than the skin around it."""
    if not where.any():
        return 0.0
    grey = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY).astype(np.float32)
    residue = grey - cv2.GaussianBlur(grey, (0, 0), GRAIN_BLUR)
    return float(MAD_TO_SIGMA * np.median(np.abs(residue[where])))
