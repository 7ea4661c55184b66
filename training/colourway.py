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
multi-scale PatchGAN (``adversarial``) and feature matching (``feature_matching``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from training.catalog_models import CatalogTrainer, StudioGenerator, UNetConfig, load_ema_generator
from training.colourway_data import ColourwayCache, ColourwayDataset, build_cache
from training.trainer import _to_uint8
from tryon.studio import colourway as cw

__all__ = ["ColourwayConfig", "ColourwayGenerator", "ColourwayTrainer", "compose",
           "load_generator"]

# Colours the preview grid asks for: large lightness changes both ways and a saturated one.
PREVIEW_COLOURS = ("#f2f0ea", "#1f2a44", "#7b1e2b", "#111111")


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

    def _extra_losses(self, inputs: torch.Tensor, outputs: tuple[torch.Tensor, ...],
                      region: torch.Tensor) -> dict[str, tuple[float, torch.Tensor]]:
        return {}

    # The preview grid (:meth:`save_samples`): photo | structure | own colour (EMA) | the
    # :data:`PREVIEW_COLOURS`.
    def _preview_cells(self, inputs: torch.Tensor, target: torch.Tensor) -> list[np.ndarray]:
        return [_to_uint8(target), _to_uint8(inputs[cw.SLICES["structure"]].repeat(3, 1, 1))]

    def _ask_colour(self, batch: torch.Tensor, lab: np.ndarray) -> None:
        batch[0, cw.SLICES["target"]] = torch.from_numpy(cw.target_planes(lab, cw.SIZE))

    def _render(self, batch: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return compose(batch, target, self.ema(batch))
