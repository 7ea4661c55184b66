"""Losses of the refinement GAN: hinge adversarial, feature matching, masked L1, perceptual.

Pictures are (N, 3, H, W) in [-1, 1]; masks (N, 1, H, W) in [0, 1]. Discriminator outputs
are lists (one per scale) of per-layer feature lists, the last entry being the logits.
"""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["d_hinge_loss", "g_hinge_loss", "feature_matching_loss", "masked_l1",
           "PerceptualLoss"]


def d_hinge_loss(real: list[list[torch.Tensor]], fake: list[list[torch.Tensor]]) -> torch.Tensor:
    """Hinge loss of the discriminator, averaged over scales."""
    losses = [F.relu(1 - r[-1]).mean() + F.relu(1 + f[-1]).mean()
              for r, f in zip(real, fake, strict=True)]
    return torch.stack(losses).mean()


def g_hinge_loss(fake: list[list[torch.Tensor]]) -> torch.Tensor:
    """Hinge loss of the generator, averaged over scales."""
    return torch.stack([-f[-1].mean() for f in fake]).mean()


def feature_matching_loss(real: list[list[torch.Tensor]],
                          fake: list[list[torch.Tensor]]) -> torch.Tensor:
    """L1 between the discriminator's intermediate features of real and fake pictures."""
    losses = [F.l1_loss(f, r.detach())
              for rs, fs in zip(real, fake, strict=True)
              for r, f in zip(rs[:-1], fs[:-1], strict=True)]
    return torch.stack(losses).mean()


def masked_l1(output: torch.Tensor, target: torch.Tensor, mask: torch.Tensor,
              outside_weight: float = 0.1) -> torch.Tensor:
    """Mean |output − target|, full weight inside ``mask`` and ``outside_weight`` elsewhere."""
    weight = mask + outside_weight * (1 - mask)
    return (weight * (output - target).abs()).sum() / (weight.sum() * output.shape[1] + 1e-6)


class PerceptualLoss(nn.Module):
    """L1 between backbone features of output and target. The backbone is a TorchScript file
    the user supplies (nothing is downloaded): it takes (N, 3, H, W) ImageNet-normalised RGB
    and returns a list or tuple of feature maps (e.g. EfficientNet-Lite0 stages)."""

    MEAN = (0.485, 0.456, 0.406)
    STD = (0.229, 0.224, 0.225)

    def __init__(self, weights: Path) -> None:
        super().__init__()
        if not Path(weights).is_file():
            raise FileNotFoundError(f"perceptual backbone {weights} does not exist")
        self.backbone = torch.jit.load(str(weights), map_location="cpu").eval()
        for parameter in self.backbone.parameters():
            parameter.requires_grad_(False)
        self.register_buffer("mean", torch.tensor(self.MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(self.STD).view(1, 3, 1, 1))

    def forward(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        def features(x: torch.Tensor) -> list[torch.Tensor]:
            return list(self.backbone(((x + 1) / 2 - self.mean) / self.std))

        with torch.no_grad():
            wanted = features(target)
        got = features(output)
        return torch.stack([F.l1_loss(g, w) for g, w in zip(got, wanted, strict=True)]).mean()
