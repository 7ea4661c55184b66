"""The colourway GAN: a small conditional U-Net that renders a product's main region in a
requested colour (contract: :mod:`tryon.studio.colourway`), and its trainer.

``tryon-train --config training/configs/colourway.yaml`` (``task: colourway``) runs
:class:`ColourwayTrainer`: the loop, EMA, checkpoints (``run.out/checkpoint.pt``, resumed
automatically), ``run.minutes`` and ``run.threads`` are :class:`training.trainer.Trainer`'s;
the split, the held-out list and the sample cache are
:class:`training.catalog_models.CatalogTrainer`'s; this module brings the networks, the
samples (:mod:`training.colourway_data`, cached in
``run.out/<data.cache>``) and the steps. Losses (weights in ``loss``): L1 inside the region
(``l1``), EfficientNet-Lite0 perceptual (``perceptual``), hinge GAN with a conditional
multi-scale PatchGAN (``adversarial``) and feature matching (``feature_matching``); and,
since the runtime's hard cases are large lightness changes that no photo shows, each batch
once more asked for colours far from its own in lightness (:func:`far_colours`), judged by
the discriminator alone (``recolour``) and by how far the render's mean lies from the asked
colour (``colour``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from training.catalog_models import CatalogTrainer, StudioGenerator, UNetConfig, load_ema_generator
from training.colourway_data import ColourwayCache, ColourwayDataset, build_cache
from training.config import Config
from training.losses import g_hinge_loss
from training.trainer import _to_uint8
from tryon.studio import colourway as cw
from tryon.studio.colour import lab_to_rgb, rgb_to_lab

__all__ = ["ColourwayConfig", "ColourwayGenerator", "ColourwayTrainer", "compose",
           "far_colours", "lab_of", "load_generator"]

# Colours the preview grid asks for: large lightness changes both ways and a saturated one.
PREVIEW_COLOURS = ("#f2f0ea", "#1f2a44", "#7b1e2b", "#111111")

# Recoloured batches (``loss.recolour``): colours at least RECOLOUR_MIN_DL lighter or darker
# than the product's own (the evaluation's "large" change, scripts/colourway_eval.py), with a
# lightness in RECOLOUR_LIGHTNESS and a chroma up to RECOLOUR_MAX_CHROMA, drawn towards muted
# (catalog products are seldom saturated).
RECOLOUR_MIN_DL = 40.0
RECOLOUR_LIGHTNESS = (6.0, 97.0)
RECOLOUR_MAX_CHROMA = 60.0
COLOUR_LOSS_SCALE = 50.0  # Lab units per unit of the colour loss
GAMUT_TRIES = 6  # halvings of the chroma of a colour the sRGB gamut clips ...
GAMUT_SLACK = 2.0  # ... by more than this in L

# sRGB (D65) → CIE XYZ, and the D65 white, as OpenCV's float conversion uses them.
_RGB_TO_XYZ = torch.tensor([[0.412453, 0.357580, 0.180423],
                            [0.212671, 0.715160, 0.072169],
                            [0.019334, 0.119193, 0.950227]])
_WHITE = torch.tensor([0.950456, 1.0, 1.088754])


def far_colours(own_lab: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(N, 3) Lab colours inside the sRGB gamut, each at least :data:`RECOLOUR_MIN_DL`
    lighter or darker than ``own_lab`` (N, 3): the lightness uniform over what lies that far
    inside :data:`RECOLOUR_LIGHTNESS` (the far end where nothing does), the chroma
    ``RECOLOUR_MAX_CHROMA · u²`` (halved while the gamut would move the lightness), the hue
    uniform."""
    low, high = RECOLOUR_LIGHTNESS
    own = np.asarray(own_lab, np.float64)[:, 0]
    below = np.maximum(own - RECOLOUR_MIN_DL - low, 0.0)
    above = np.maximum(high - own - RECOLOUR_MIN_DL, 0.0)
    u = rng.uniform(0.0, 1.0, len(own)) * (below + above)
    lightness = np.where(u < below, low + u, own + RECOLOUR_MIN_DL + (u - below))
    lightness = np.where(below + above > 0, lightness, np.where(own > (low + high) / 2, low, high))
    chroma = RECOLOUR_MAX_CHROMA * rng.uniform(0.0, 1.0, len(own)) ** 2
    hue = rng.uniform(0.0, 2 * np.pi, len(own))
    for _ in range(GAMUT_TRIES):  # a saturated colour this light or dark leaves the gamut,
        lab = np.stack([lightness, chroma * np.cos(hue), chroma * np.sin(hue)], axis=1)
        lab = rgb_to_lab(lab_to_rgb(lab.astype(np.float32)))  # and clipping moves its L
        moved = np.abs(lab[:, 0] - lightness) > GAMUT_SLACK
        if not moved.any():
            break
        chroma = np.where(moved, chroma / 2, chroma)
    return lab


def lab_of(rgb: torch.Tensor) -> torch.Tensor:
    """(N, 3, H, W) sRGB in [-1, 1] → (N, 3, H, W) CIE Lab (L in [0, 100]), differentiable."""
    srgb = ((rgb.float() + 1) / 2).clamp(0, 1)
    linear = torch.where(srgb <= 0.04045, srgb / 12.92,
                         ((srgb + 0.055) / 1.055).clamp_min(1e-6) ** 2.4)
    xyz = torch.einsum("ij,njhw->nihw", _RGB_TO_XYZ.to(rgb.device), linear)
    xyz = xyz / _WHITE.to(rgb.device)[None, :, None, None]
    f = torch.where(xyz > 0.008856, xyz.clamp_min(1e-6) ** (1 / 3), 7.787 * xyz + 16 / 116)
    return torch.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]),
                        200 * (f[:, 1] - f[:, 2])], dim=1)


@dataclass(frozen=True)
class ColourwayConfig(UNetConfig):
    """The colourway generator's shape (:class:`training.catalog_models.UNetConfig`)."""


class ColourwayGenerator(StudioGenerator):
    """U-Net: (N, IN_CHANNELS, H, W) → rgb (N, 3, H, W) in [-1, 1]."""

    CONTRACT = cw
    CONFIG = ColourwayConfig
    OUT_CHANNELS = 3

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.head(self.decode(inputs)))


def compose(inputs: torch.Tensor, photo: torch.Tensor, rgb: torch.Tensor) -> torch.Tensor:
    """The rendered region on the photo: ``main * rgb + (1 - main) * photo``."""
    main = inputs[:, cw.SLICES["main"]]
    return main * rgb + (1 - main) * photo


def load_generator(path: str | Path) -> tuple[ColourwayGenerator, dict]:
    """The EMA generator of a colourway checkpoint (full or slim) in float32, and the
    checkpoint's state (step, licence, data, config)."""
    return load_ema_generator(path, ColourwayGenerator, ColourwayConfig)


class ColourwayTrainer(CatalogTrainer):
    """:class:`training.catalog_models.CatalogTrainer` with the colourway networks, samples
    and losses."""

    L1_OUTSIDE = 0.0
    NAME = "colourway"
    CONTRACT = cw
    GENERATOR = ColourwayGenerator
    BUILD_CACHE = staticmethod(build_cache)
    CACHE = ColourwayCache
    DATASET = ColourwayDataset
    PREVIEW_COLOURS = PREVIEW_COLOURS

    def _fake(self, inputs: torch.Tensor, target: torch.Tensor
              ) -> tuple[torch.Tensor, tuple[torch.Tensor, ...]]:
        rgb = self.g_train(inputs)
        return compose(inputs, target, rgb), (rgb,)

    def _l1_region(self, inputs: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        return weight  # the main region (the rest is the photo itself)

    def __init__(self, config: Config) -> None:
        super().__init__(config)
        # The recoloured batches' colours, reproducible from (seed, the step resumed at).
        self._recolour_rng = np.random.default_rng((config.run.seed, self.step))

    def _recoloured(self, inputs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(``inputs`` asked for :func:`far_colours` instead of their own, those colours
        (N, 3) Lab)."""
        planes = inputs[:, cw.SLICES["target"], 0, 0].float().cpu().numpy()
        own = (planes + cw.TARGET_SHIFT) * cw.TARGET_SCALE
        far = far_colours(own, self._recolour_rng).astype(np.float32)
        recoloured = inputs.clone()
        asked = torch.from_numpy(far / cw.TARGET_SCALE - cw.TARGET_SHIFT).to(inputs)
        recoloured[:, cw.SLICES["target"]] = asked[:, :, None, None]
        return recoloured, torch.from_numpy(far).to(inputs.device)

    def _extra_fakes(self, inputs: torch.Tensor, target: torch.Tensor
                     ) -> list[tuple[torch.Tensor, torch.Tensor]]:
        if self.config.loss.recolour <= 0:
            return []
        recoloured, _ = self._recoloured(inputs)
        return [(compose(recoloured, target, self.g_train(recoloured)), recoloured)]

    def _extra_losses(self, inputs: torch.Tensor, target: torch.Tensor,
                      outputs: tuple[torch.Tensor, ...], region: torch.Tensor
                      ) -> dict[str, tuple[float, torch.Tensor]]:
        w = self.config.loss
        if w.recolour <= 0 and w.colour <= 0:
            return {}
        recoloured, asked = self._recoloured(inputs)
        rgb = self.g_train(recoloured)
        adversarial = g_hinge_loss(self.d_train(compose(recoloured, target, rgb), recoloured))
        main = recoloured[:, cw.SLICES["main"]].float()
        mean = (lab_of(rgb) * main).sum((2, 3)) / main.sum((2, 3)).clamp_min(1.0)
        colour = ((mean - asked).abs() / COLOUR_LOSS_SCALE).mean()
        return {"recolour": (w.recolour, adversarial), "colour": (w.colour, colour)}

    # The preview grid (:meth:`save_samples`): photo | structure | own colour (EMA) | the
    # :data:`PREVIEW_COLOURS`.
    def _preview_cells(self, inputs: torch.Tensor, target: torch.Tensor) -> list[np.ndarray]:
        return [_to_uint8(target), _to_uint8(inputs[cw.SLICES["structure"]].repeat(3, 1, 1))]

    def _ask_colour(self, batch: torch.Tensor, lab: np.ndarray) -> None:
        batch[0, cw.SLICES["target"]] = torch.from_numpy(cw.target_planes(lab, cw.SIZE))

    def _render(self, batch: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return compose(batch, target, self.ema(batch))
