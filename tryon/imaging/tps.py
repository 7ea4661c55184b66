"""Thin-plate-spline mappings between 2-D point sets, and image warping with them.

Points are ``(N, 2)`` float arrays of ``(x, y)`` pixels. :func:`fit_tps` uses SciPy's
``RBFInterpolator`` (kernel ``thin_plate_spline``, degree 1): with ``smoothing=0`` the mapping
passes through every control point, and identical source and destination points give the
identity mapping. :func:`warp_image` pulls pixels backwards: for every output pixel it asks the
inverse mapping where to sample the source, evaluated on a coarse grid and interpolated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from scipy.interpolate import RBFInterpolator

__all__ = ["TpsMap", "alpha_8bit", "fit_tps", "warp_channels", "warp_image", "warp_rgba"]

GRID_STEP = 4
ANTIALIAS_FROM = 1.5  # source pixels per output pixel from which the source is shrunk first


@dataclass(frozen=True)
class TpsMap:
    """A fitted mapping; call it on (M, 2) xy points to get (M, 2) mapped points."""

    interpolator: RBFInterpolator

    def __call__(self, points: np.ndarray) -> np.ndarray:
        pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        return self.interpolator(pts)


def fit_tps(source: np.ndarray, target: np.ndarray, smoothing: float = 0.0) -> TpsMap:
    """Fit the thin-plate spline taking ``source`` (N, 2) to ``target`` (N, 2), N ≥ 3.

    ``smoothing`` > 0 trades exactness at the control points for a stiffer, fold-free warp.
    Raises ``ValueError`` on mismatched shapes or fewer than three points.
    """
    src = np.asarray(source, dtype=np.float64)
    dst = np.asarray(target, dtype=np.float64)
    if src.ndim != 2 or src.shape[1] != 2 or src.shape != dst.shape:
        raise ValueError(f"expected two (N, 2) arrays of equal shape, got {src.shape} {dst.shape}")
    if len(src) < 3:
        raise ValueError("a thin-plate spline needs at least 3 control points")
    return TpsMap(RBFInterpolator(src, dst, kernel="thin_plate_spline", degree=1,
                                  smoothing=smoothing))


def warp_image(
    image: np.ndarray,
    inverse: TpsMap,
    box: tuple[int, int, int, int],
    border_value: float | tuple[float, ...] = 0,
) -> np.ndarray:
    """Resample ``image`` (H, W, C) or (H, W) onto the output window ``box`` = (x0, y0, x1, y1).

    ``inverse`` maps output xy pixels to source xy pixels. Returns an array of shape
    (y1 - y0, x1 - x0[, C]) with the dtype of ``image``; samples outside the source get
    ``border_value``.
    """
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    if width <= 0 or height <= 0:
        raise ValueError(f"empty output box {box}")
    # Grid node k sits at pixel k * step + (step - 1) / 2: with that offset, cv2.resize's
    # half-pixel convention puts every node exactly on its own pixel when upsampling by step.
    offset = (GRID_STEP - 1) / 2.0
    # One extra node before the first pixel keeps the edges interpolated, not clamped.
    nx, ny = -(-width // GRID_STEP) + 2, -(-height // GRID_STEP) + 2
    gx = x0 + offset + GRID_STEP * np.arange(-1, nx - 1, dtype=np.float64)
    gy = y0 + offset + GRID_STEP * np.arange(-1, ny - 1, dtype=np.float64)
    mesh = np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)
    coarse = inverse(mesh).reshape(ny, nx, 2).astype(np.float32)
    image, coarse = _shrunk_for(image, coarse)
    dense = cv2.resize(coarse, (nx * GRID_STEP, ny * GRID_STEP), interpolation=cv2.INTER_LINEAR)
    dense = dense[GRID_STEP:GRID_STEP + height, GRID_STEP:GRID_STEP + width]
    return cv2.remap(
        image,
        np.ascontiguousarray(dense[..., 0]),
        np.ascontiguousarray(dense[..., 1]),
        interpolation=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=border_value,
    )


def _shrunk_for(image: np.ndarray, coarse: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``image`` and the source coordinates ``coarse`` ((ny, nx, 2) xy, one node every
    :data:`GRID_STEP` output pixels) rescaled so that the warp samples the source at about
    one pixel per output pixel: when it would skip :data:`ANTIALIAS_FROM` source pixels or
    more per output pixel (the median spacing of the nodes, across and down), the source is
    first shrunk by area averaging. Sampled sparsely, fine checks and stripes came out as
    moiré rings on the body."""
    if coarse.shape[0] < 2 or coarse.shape[1] < 2:
        return image, coarse
    across = np.median(np.hypot(*np.moveaxis(np.diff(coarse, axis=1), -1, 0)))
    down = np.median(np.hypot(*np.moveaxis(np.diff(coarse, axis=0), -1, 0)))
    skip = float(min(across, down)) / GRID_STEP
    if not np.isfinite(skip) or skip < ANTIALIAS_FROM:
        return image, coarse
    height, width = image.shape[:2]
    size = (max(1, round(width / skip)), max(1, round(height / skip)))
    small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    # Pixel centres: x_small + 0.5 = (x + 0.5) * size / width.
    ratio = np.array([size[0] / width, size[1] / height], np.float32)
    return small, ((coarse + 0.5) * ratio - 0.5).astype(np.float32)


def warp_rgba(rgb: np.ndarray, alpha: np.ndarray, inverse: TpsMap,
              box: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """A product picture warped into ``box`` as :func:`warp_image` does: ``rgb`` (H, W, 3)
    uint8, ``alpha`` (H, W) float in [0, 1] → (h, w, 3) float32 RGB in [0, 255] and (h, w)
    float32 alpha in [0, 1]. Resampled as one 8-bit RGBA picture (a quarter of a float copy's
    memory traffic; alpha in 1/255 steps); outside the source both are 0."""
    return warp_channels(cv2.split(rgb), alpha_8bit(alpha), inverse, box)


def alpha_8bit(alpha: np.ndarray) -> np.ndarray:
    """(H, W) uint8: an alpha ((H, W) float in [0, 1]) in 1/255 steps, rounded."""
    return np.clip(alpha * 255 + 0.5, 0, 255).astype(np.uint8)


def warp_channels(channels: Sequence[np.ndarray], alpha8: np.ndarray, inverse: TpsMap,
                  box: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`warp_rgba` of a picture given as its three (H, W) uint8 colour planes
    (``cv2.split``) and its :func:`alpha_8bit` alpha: a caller warping several parts of one
    picture splits it once."""
    rgba = cv2.merge([*channels, alpha8])  # a third of np.dstack's time
    warped = warp_image(rgba, inverse, box, border_value=(0, 0, 0, 0)).astype(np.float32)
    return warped[..., :3], warped[..., 3] / 255.0
