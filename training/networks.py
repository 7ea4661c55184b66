"""The refinement GAN's networks: a U-Net generator and a multi-scale PatchGAN discriminator.

Generator contract (kept by the ONNX export and the runtime):

- input ``(N, 8, H, W)`` float32, H and W multiples of :data:`STRIDE`; channels, in order:
  coarse composite RGB (3) and agnostic photo RGB (3), both in [-1, 1]; repaint mask (1) and
  item mask (1), both in [0, 1].
- outputs ``rgb`` ``(N, 3, H, W)`` in [-1, 1] and ``alpha`` ``(N, 1, H, W)`` in [0, 1]; the
  refined picture is ``alpha * rgb + (1 - alpha) * coarse`` inside the repaint mask and the
  coarse composite outside it (:func:`blend`).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import spectral_norm

__all__ = ["GeneratorConfig", "Generator", "MultiScaleDiscriminator", "blend", "IN_CHANNELS",
           "STRIDE"]

IN_CHANNELS = 8
STRIDE = 16


@dataclass(frozen=True)
class GeneratorConfig:
    """``width``: channels of the first level (doubled per level, capped at ``8 * width``);
    ``levels``: down-sampling steps (the stride is ``2 ** levels``)."""

    width: int = 24
    levels: int = 4


def _block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1), nn.GroupNorm(min(8, cout // 4), cout),
        nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1), nn.GroupNorm(min(8, cout // 4), cout),
        nn.LeakyReLU(0.2, inplace=True),
    )


class Generator(nn.Module):
    """U-Net: (N, 8, H, W) → rgb (N, 3, H, W) in [-1, 1], alpha (N, 1, H, W) in [0, 1]."""

    def __init__(self, config: GeneratorConfig = GeneratorConfig()) -> None:
        super().__init__()
        self.config = config
        widths = [min(config.width * 2**i, config.width * 8) for i in range(config.levels + 1)]
        self.stem = _block(IN_CHANNELS, widths[0])
        self.down = nn.ModuleList(
            nn.Sequential(nn.Conv2d(widths[i], widths[i], 4, stride=2, padding=1),
                          nn.LeakyReLU(0.2, inplace=True), _block(widths[i], widths[i + 1]))
            for i in range(config.levels))
        self.up = nn.ModuleList(
            nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"),
                          nn.Conv2d(widths[i + 1], widths[i], 3, padding=1),
                          nn.LeakyReLU(0.2, inplace=True))
            for i in reversed(range(config.levels)))
        self.merge = nn.ModuleList(_block(2 * widths[i], widths[i])
                                   for i in reversed(range(config.levels)))
        self.head = nn.Conv2d(widths[0], 4, 3, padding=1)

    def forward(self, inputs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        skips = [self.stem(inputs)]
        for down in self.down:
            skips.append(down(skips[-1]))
        x = skips.pop()
        for up, merge in zip(self.up, self.merge, strict=True):
            x = merge(torch.cat([up(x), skips.pop()], dim=1))
        out = self.head(x)
        coarse = inputs[:, :3]
        # Start near "keep the coarse composite": the residual is added to it.
        rgb = torch.tanh(torch.atanh(coarse.clamp(-0.999, 0.999)) + out[:, :3])
        alpha = torch.sigmoid(out[:, 3:4])
        return rgb, alpha


def blend(inputs: torch.Tensor, rgb: torch.Tensor, alpha: torch.Tensor,
          smoothing: float = 0.0) -> torch.Tensor:
    """The refined picture (N, 3, H, W) in [-1, 1]: the generator's change
    ``alpha * (rgb - coarse)`` added to the coarse composite inside the repaint mask only,
    first smoothed by a Gaussian of sigma ``smoothing`` pixels when > 0 (as the runtime
    applies it: ``tryon.refine.CHANGE_SMOOTHING``). Without smoothing this is
    ``alpha * rgb + (1 - alpha) * coarse`` inside the mask."""
    coarse, repaint = inputs[:, :3], inputs[:, 6:7]
    change = alpha * (rgb - coarse)
    if smoothing > 0:
        change = gaussian_blur(change, smoothing)
    return coarse + repaint * change


def gaussian_blur(pictures: torch.Tensor, sigma: float) -> torch.Tensor:
    """(N, C, H, W) blurred per channel by a Gaussian of ``sigma`` pixels, as OpenCV's
    ``GaussianBlur(x, (0, 0), sigma)`` does on float pictures (kernel of ``round(8 sigma + 1)``
    taps, made odd; edges mirrored without repeating the edge pixel)."""
    radius = max(1, (round(8 * sigma + 1) | 1) // 2)
    taps = torch.arange(-radius, radius + 1, dtype=pictures.dtype, device=pictures.device)
    kernel = torch.exp(-(taps**2) / (2 * sigma**2))
    kernel = kernel / kernel.sum()
    channels = pictures.shape[1]
    padded = F.pad(pictures, (radius, radius, radius, radius), mode="reflect")
    rows = F.conv2d(padded, kernel.view(1, 1, 1, -1).repeat(channels, 1, 1, 1), groups=channels)
    return F.conv2d(rows, kernel.view(1, 1, -1, 1).repeat(channels, 1, 1, 1), groups=channels)


class PatchDiscriminator(nn.Module):
    """PatchGAN with spectral norm on (N, 3 + 8, H, W): the picture and its conditions.
    Returns the features of every layer (for feature matching); the last is the logits."""

    def __init__(self, width: int = 32, layers: int = 3) -> None:
        super().__init__()
        blocks = []
        cin = 3 + IN_CHANNELS
        for i in range(layers):
            cout = width * 2**i
            blocks.append(nn.Sequential(spectral_norm(nn.Conv2d(cin, cout, 4, 2, 1)),
                                        nn.LeakyReLU(0.2, inplace=True)))
            cin = cout
        blocks.append(nn.Sequential(spectral_norm(nn.Conv2d(cin, cin, 3, 1, 1)),
                                    nn.LeakyReLU(0.2, inplace=True)))
        blocks.append(nn.Sequential(spectral_norm(nn.Conv2d(cin, 1, 3, 1, 1))))
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        features = []
        for block in self.blocks:
            x = block(x)
            features.append(x)
        return features


class MultiScaleDiscriminator(nn.Module):
    """PatchGANs at full and half (and quarter, ...) resolution."""

    def __init__(self, scales: int = 2, width: int = 32) -> None:
        super().__init__()
        self.nets = nn.ModuleList(PatchDiscriminator(width) for _ in range(scales))
        self.pool = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)

    def forward(self, picture: torch.Tensor, conditions: torch.Tensor) -> list[list[torch.Tensor]]:
        x = torch.cat([picture, conditions], dim=1)
        outputs = []
        for i, net in enumerate(self.nets):
            if i:
                x = self.pool(x)
            outputs.append(net(x))
        return outputs
