"""What the try-on generator is given for one try-on (numpy only: kinds build it, the
runtime crops and feeds it)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Scene"]


@dataclass(frozen=True)
class Scene:
    """One try-on for the generator, in photo pixels: ``photo`` (H, W, 3) uint8 RGB;
    ``region`` and ``hint`` (H, W) bool (:class:`tryon.kinds.top.region.TopRegion`); ``garment``
    (H, W, 3) float32 RGB in [0, 255], the warped product, and ``garment_mask`` (H, W)
    float32 in [0, 1], its coverage; ``skin_rgb`` (3,) float32 in [0, 255]; ``landmarks``
    (33, 2) xy pixels and ``visibility`` (33,) of the pose; ``shoulder_width`` pixels."""

    photo: np.ndarray
    region: np.ndarray
    hint: np.ndarray
    garment: np.ndarray
    garment_mask: np.ndarray
    skin_rgb: np.ndarray
    landmarks: np.ndarray
    visibility: np.ndarray
    shoulder_width: float
