"""Paired image metrics for ``tryon eval``: SSIM, PSNR, L1 and L1 inside a region.

Pictures are (H, W, 3) or (H, W) uint8 of equal shape; values are compared in 0..255.
SSIM is Wang et al. (2004): an 11×11 Gaussian window with sigma 1.5, K1 = 0.01, K2 = 0.03,
data range 255, averaged over the window positions that fit inside the picture ("valid", as in
the reference MATLAB code and scikit-image's ``gaussian_weights=True``) and then over the
channels. PSNR is capped at :data:`PSNR_CAP` dB, which identical pictures get (JSON has no
infinity). L1 is the mean absolute difference in [0, 1] units (divided by 255).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import cv2
import numpy as np

__all__ = ["PSNR_CAP", "ImageMetrics", "ssim", "psnr", "l1", "l1_region", "compare",
           "mean_metrics", "outline_hardness", "remnant_share"]

PSNR_CAP = 100.0
DATA_RANGE = 255.0
WINDOW = 11
SIGMA = 1.5
K1, K2 = 0.01, 0.03


@dataclass(frozen=True)
class ImageMetrics:
    """``ssim`` in [-1, 1] (1: identical); ``psnr`` dB (≤ :data:`PSNR_CAP`); ``l1`` and
    ``l1_region`` in [0, 1] (0: identical), the latter inside the region only."""

    ssim: float
    psnr: float
    l1: float
    l1_region: float

    def as_dict(self) -> dict[str, float]:
        return {key: round(value, 6) for key, value in asdict(self).items()}


def ssim(image: np.ndarray, reference: np.ndarray) -> float:
    """Mean SSIM of two uint8 pictures (channels averaged). Sides must be ≥ 11 pixels."""
    a, b = _pair(image, reference)
    if min(a.shape[:2]) < WINDOW:
        raise ValueError(f"SSIM needs sides of at least {WINDOW} pixels, got {a.shape[:2]}")
    c1, c2 = (K1 * DATA_RANGE) ** 2, (K2 * DATA_RANGE) ** 2
    values = []
    for channel in range(a.shape[2]):
        x, y = a[..., channel], b[..., channel]
        mu_x, mu_y = _window_mean(x), _window_mean(y)
        var_x = _window_mean(x * x) - mu_x * mu_x
        var_y = _window_mean(y * y) - mu_y * mu_y
        cov = _window_mean(x * y) - mu_x * mu_y
        index = ((2 * mu_x * mu_y + c1) * (2 * cov + c2)) / (
            (mu_x * mu_x + mu_y * mu_y + c1) * (var_x + var_y + c2))
        values.append(float(index.mean()))
    return float(np.mean(values))


def psnr(image: np.ndarray, reference: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB for data range 255, at most :data:`PSNR_CAP`."""
    a, b = _pair(image, reference)
    mse = float(np.mean((a - b) ** 2))
    if mse == 0:
        return PSNR_CAP
    return float(min(PSNR_CAP, 10 * np.log10(DATA_RANGE**2 / mse)))


def l1(image: np.ndarray, reference: np.ndarray) -> float:
    """Mean absolute difference over all pixels and channels, in [0, 1] units."""
    a, b = _pair(image, reference)
    return float(np.mean(np.abs(a - b)) / DATA_RANGE)


def l1_region(image: np.ndarray, reference: np.ndarray, region: np.ndarray) -> float:
    """:func:`l1` over the pixels where ``region`` ((H, W) bool) is true; 0.0 when empty."""
    a, b = _pair(image, reference)
    if region.shape != a.shape[:2]:
        raise ValueError(f"region must be {a.shape[:2]}, got {region.shape}")
    if not region.any():
        return 0.0
    return float(np.mean(np.abs(a[region] - b[region])) / DATA_RANGE)


def compare(image: np.ndarray, reference: np.ndarray, region: np.ndarray) -> ImageMetrics:
    """All four metrics of ``image`` against ``reference``."""
    return ImageMetrics(ssim=ssim(image, reference), psnr=psnr(image, reference),
                        l1=l1(image, reference), l1_region=l1_region(image, reference, region))


def mean_metrics(metrics: Sequence[ImageMetrics]) -> ImageMetrics:
    """The per-field mean of a non-empty sequence."""
    if not metrics:
        raise ValueError("no metrics to average")
    return ImageMetrics(*(float(np.mean([getattr(m, name) for m in metrics]))
                          for name in ("ssim", "psnr", "l1", "l1_region")))


def _pair(image: np.ndarray, reference: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both as float64 (H, W, C)."""
    if image.shape != reference.shape:
        raise ValueError(f"shapes differ: {image.shape} vs {reference.shape}")
    if image.ndim not in (2, 3):
        raise ValueError(f"expected (H, W) or (H, W, C) pictures, got {image.shape}")
    a, b = image.astype(np.float64), reference.astype(np.float64)
    if a.ndim == 2:
        a, b = a[..., None], b[..., None]
    return a, b


def _window_mean(plane: np.ndarray) -> np.ndarray:
    """Gaussian-weighted mean over every 11×11 window that fits inside ``plane``."""
    kernel = cv2.getGaussianKernel(WINDOW, SIGMA, cv2.CV_64F)
    blurred = cv2.sepFilter2D(plane, cv2.CV_64F, kernel, kernel, borderType=cv2.BORDER_REFLECT)
    pad = WINDOW // 2
    return blurred[pad:-pad, pad:-pad]


REMNANT_DELTA_E = 20.0  # Lab units (OpenCV 8-bit scale) within which a pixel matches a colour


def remnant_share(picture: np.ndarray, photo: np.ndarray, old_sample: np.ndarray,
                  zone: np.ndarray, new_colour: np.ndarray) -> float:
    """Share in [0, 1] of the ``zone`` pixels ((H, W) bool) of ``picture`` ((H, W, 3) uint8
    RGB, a try-on of ``photo``) that still show the old top: within :data:`REMNANT_DELTA_E`
    of the old top's median Lab colour (``photo`` under ``old_sample``, (H, W) bool) and
    farther than that from ``new_colour`` ((3,) RGB in [0, 255], the new garment's median).
    Meant for pairs whose old and new colours differ by well over the threshold."""
    lab = cv2.cvtColor(picture, cv2.COLOR_RGB2LAB).astype(np.float32)
    old = np.median(cv2.cvtColor(photo, cv2.COLOR_RGB2LAB)[old_sample].astype(np.float32), axis=0)
    new = cv2.cvtColor(np.asarray(new_colour, np.uint8).reshape(1, 1, 3),
                       cv2.COLOR_RGB2LAB).reshape(3).astype(np.float32)
    near_old = np.linalg.norm(lab - old, axis=2) < REMNANT_DELTA_E
    near_new = np.linalg.norm(lab - new, axis=2) < REMNANT_DELTA_E
    count = int(zone.sum())
    return float((near_old & ~near_new & zone).sum() / count) if count else 0.0


HARDNESS_REACH = 3  # pixels each side of an outline over which its step is measured
MIN_OUTLINE_STEP = 15.0  # OpenCV Lab lightness (0-255): fainter outlines are not measured


def outline_hardness(picture: np.ndarray, inside: np.ndarray, where: np.ndarray) -> np.ndarray:
    """(N,) float: at each horizontal crossing of the outline of ``inside`` ((H, W) bool) in
    ``picture`` ((H, W, 3) uint8 RGB) whose :data:`HARDNESS_REACH` pixels each side all lie
    in ``where`` ((H, W) bool) and whose lightness step over them is at least
    :data:`MIN_OUTLINE_STEP`, the share of that step taken by its steepest one-pixel step: 1
    for a hard mask edge (above 1 for one that overshoots: a dark or light rim), about 2/3 at
    photographed skin outlines (the lens and JPEG blend them over two to three pixels)."""
    lightness = cv2.cvtColor(picture, cv2.COLOR_RGB2LAB)[..., 0].astype(np.float32)
    reach = HARDNESS_REACH
    ys, xs = np.nonzero(inside[:, 1:] != inside[:, :-1])
    keep = (xs >= reach) & (xs + reach + 1 < inside.shape[1])
    ys, xs = ys[keep], xs[keep]
    offsets = np.arange(-reach, reach + 2)  # the crossing lies between xs and xs + 1
    columns = xs[:, None] + offsets[None, :]
    rows = np.broadcast_to(ys[:, None], columns.shape)
    profiles = lightness[rows, columns]
    seen = where[rows, columns].all(axis=1)
    total = np.abs(profiles[:, -1] - profiles[:, 0])
    measured = seen & (total >= MIN_OUTLINE_STEP)
    steepest = np.abs(np.diff(profiles, axis=1)).max(axis=1)
    return steepest[measured] / total[measured]
