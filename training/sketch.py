"""The sketch → product model: a conditional U-Net that turns a line drawing and a colour
into a product photo on white with its mask (contract: :mod:`tryon.studio.sketch`), and its
trainer.

``tryon-train --config training/configs/sketch.yaml`` (``task: sketch``) runs
:class:`SketchTrainer`: the loop, EMA, checkpoints (``run.out/checkpoint.pt``, resumed
automatically), ``run.minutes`` and ``run.threads`` are :class:`training.trainer.Trainer`'s;
the split, the held-out list and the sample cache are
:class:`training.catalog_models.CatalogTrainer`'s; this module brings the networks, the
samples (:mod:`training.sketch_data`, cached in
``run.out/<data.cache>``, the held-out photos listed in ``run.out/held_out.txt``) and the
steps. Losses (weights in ``loss``): L1 on the picture on white (``l1``; full weight on the
product, half on the background), L1 on the mask (``mask``), EfficientNet-Lite0 perceptual
(``perceptual``), hinge GAN with a conditional multi-scale PatchGAN (``adversarial``, small)
and feature matching (``feature_matching``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from training.catalog_models import CatalogTrainer, StudioGenerator, UNetConfig, load_ema_generator
from training.sketch_data import SketchCache, SketchDataset, build_cache
from training.trainer import _to_uint8
from tryon.studio import sketch as sk

__all__ = ["SketchConfig", "SketchGenerator", "SketchTrainer", "load_generator", "on_white"]

PREVIEW_COLOURS = ("#7b1e2b", "#1f2a44", "#f2f0ea")


@dataclass(frozen=True)
class SketchConfig(UNetConfig):
    """The sketch generator's shape (:class:`training.catalog_models.UNetConfig`)."""


class SketchGenerator(StudioGenerator):
    """U-Net: (N, IN_CHANNELS, H, W) → rgb (N, 3, H, W) in [-1, 1], alpha (N, 1, H, W)."""

    CONTRACT = sk
    CONFIG = SketchConfig
    OUT_CHANNELS = 4

    def forward(self, inputs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        out = self.head(self.decode(inputs))
        return torch.tanh(out[:, :3]), torch.sigmoid(out[:, 3:4])


def on_white(rgb: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
    """The picture on white in [-1, 1]: ``alpha * rgb + (1 - alpha)``."""
    return alpha * rgb + (1 - alpha)


def load_generator(path: str | Path) -> tuple[SketchGenerator, dict]:
    """The EMA generator of a sketch checkpoint (full or slim) in float32, and the
    checkpoint's state (step, licence, data, config)."""
    return load_ema_generator(path, SketchGenerator, SketchConfig)


class SketchTrainer(CatalogTrainer):
    """:class:`training.catalog_models.CatalogTrainer` with the sketch networks, samples and
    losses. The dataset's third tensor is the product's mask: :meth:`_l1_region` hands it on
    as the region, :meth:`_extra_losses` compares the generator's alpha with it."""

    L1_OUTSIDE = 0.5
    NAME = "sketch"
    CONTRACT = sk
    GENERATOR = SketchGenerator
    BUILD_CACHE = staticmethod(build_cache)
    CACHE = SketchCache
    DATASET = SketchDataset
    PREVIEW_COLOURS = PREVIEW_COLOURS

    def _fake(self, inputs: torch.Tensor, target: torch.Tensor
              ) -> tuple[torch.Tensor, tuple[torch.Tensor, ...]]:
        rgb, alpha = self.g_train(inputs)
        return on_white(rgb, alpha), (rgb, alpha)

    def _l1_region(self, inputs: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        return weight  # the product's mask

    def _extra_losses(self, inputs: torch.Tensor, target: torch.Tensor,
                      outputs: tuple[torch.Tensor, ...], region: torch.Tensor
                      ) -> dict[str, tuple[float, torch.Tensor]]:
        mask = (outputs[1].float() - region).abs().mean()
        return {"mask": (self.config.loss.mask, mask)}

    # The preview grid (:meth:`save_samples`): sketch | photo | own colour (EMA) | the
    # :data:`PREVIEW_COLOURS`.
    def _preview_cells(self, inputs: torch.Tensor, target: torch.Tensor) -> list[np.ndarray]:
        return [_to_uint8((1 - 2 * inputs[:1]).repeat(3, 1, 1)), _to_uint8(target)]

    def _ask_colour(self, batch: torch.Tensor, lab: np.ndarray) -> None:
        batch[0, 1:] = torch.from_numpy(sk.colour_planes(lab))

    def _render(self, batch: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return on_white(*self.ema(batch))
