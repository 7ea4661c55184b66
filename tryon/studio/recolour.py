"""The Lab recolouring baseline: move a region's colour to a target, shading kept.

a* and b* are shifted so the region's median lands on the target's; their deviations from
the median (the hue shifts of shading) are scaled by the ratio of the chromas (softened by
``chroma_softening``, at most 1), so a saturated blue turned white keeps no blue shadows.
Lightness keeps each pixel's deviation from the region's median L, scaled by the room the
target leaves on that side (``target_L / median_L`` below the median, ``(100 - target_L) /
(100 - median_L)`` above), the scale bounded to [``min_contrast``, ``max_contrast``], then
clipped to [0, 100]. Large lightness changes are where this fails: black turned white keeps
only a flattened version of its folds and white turned navy looks tinted. That is the gap
the colourway GAN of issue 14 must close.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["RecolourSettings", "recolour_lab"]

L_MAX = 100.0


@dataclass(frozen=True)
class RecolourSettings:
    """``min_contrast``, ``max_contrast``: bounds of the lightness deviation scale;
    ``chroma_softening``: Lab chroma added to both chromas in the a*b* deviation scale;
    ``min_chroma_scale``: its lower bound."""

    min_contrast: float = 0.5
    max_contrast: float = 2.0
    chroma_softening: float = 10.0
    min_chroma_scale: float = 0.25


def recolour_lab(lab: np.ndarray, weight: np.ndarray, source: np.ndarray, target: np.ndarray,
                 settings: RecolourSettings = RecolourSettings()) -> np.ndarray:
    """``lab`` ((H, W, 3) float32 Lab) with the region ``weight`` ((H, W) float32 in [0, 1])
    moved from its median colour ``source`` to ``target`` ((3,) Lab each); (H, W, 3)
    float32 Lab, blended by ``weight`` (pixels of weight 0 are unchanged)."""
    source = np.asarray(source, np.float32)
    target = np.asarray(target, np.float32)
    deviation = lab[..., 0] - source[0]
    dark = np.clip(target[0] / max(float(source[0]), 1e-3),
                   settings.min_contrast, settings.max_contrast)
    bright = np.clip((L_MAX - target[0]) / max(L_MAX - float(source[0]), 1e-3),
                     settings.min_contrast, settings.max_contrast)
    lightness = target[0] + deviation * np.where(deviation < 0, dark, bright)
    soft = settings.chroma_softening
    source_chroma = float(np.hypot(source[1], source[2]))
    target_chroma = float(np.hypot(target[1], target[2]))
    ab_scale = float(np.clip((target_chroma + soft) / (source_chroma + soft),
                             settings.min_chroma_scale, 1.0))
    ab = target[1:] + (lab[..., 1:] - source[1:]) * ab_scale
    moved = np.concatenate([np.clip(lightness, 0.0, L_MAX)[..., None], ab], axis=-1)
    alpha = weight[..., None]
    return (lab * (1.0 - alpha) + moved * alpha).astype(np.float32)
