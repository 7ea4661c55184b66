"""The try-on GAN's networks: a U-Net generator and a multi-scale PatchGAN discriminator.

Generator contract (:mod:`tryon.generator.contract`, kept by the ONNX export and the runtime): input
``(N, IN_CHANNELS, H, W)`` float32, H and W multiples of :data:`STRIDE`; outputs ``rgb``
``(N, 3, H, W)`` in [-1, 1] (the painted picture), ``shade`` ``(N, 1, H, W)`` in
``SHADE_RANGE`` (light and folds on the garment) and ``weights`` ``(N, 3, H, W)`` (garment,
keep, paint; non-negative, summing to 1; garment only where the garment mask is, keep only
where the hint is, garment alone on its floor: :func:`garment_floor`). :func:`compose` makes
the try-on picture from them, as :func:`tryon.generator.contract.compose` does at full resolution.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import spectral_norm

from tryon.generator import contract

__all__ = ["GeneratorConfig", "Generator", "UNet", "MultiScaleDiscriminator", "compose",
           "floor_margin_for", "garment_floor", "IN_CHANNELS", "STRIDE"]

IN_CHANNELS = contract.IN_CHANNELS
STRIDE = contract.STRIDE
OUT_CHANNELS = 3 + 1 + len(contract.LAYERS)
# Initial logits of the layers: keep the garment and the hinted skin, paint the rest.
INITIAL_LOGITS = (2.0, 2.0, 0.0)
PAINT_FLOOR = 1e-4  # the paint weight never reaches 0, so the weights always normalise
# Input channel of each pose group's plane.
_POSE_PLANE = {name: slice(contract.POSE.start + i, contract.POSE.start + i + 1)
               for i, (name, _) in enumerate(contract.POSE_GROUPS)}


@dataclass(frozen=True)
class GeneratorConfig:
    """``width``: channels of the first level (doubled per level, capped at ``8 * width``);
    ``levels``: down-sampling steps (the stride is ``2 ** levels``, at most :data:`STRIDE`);
    ``floor_margin``: the garment floor's margin in model pixels (scaled with the train size:
    :func:`floor_margin_for`)."""

    width: int = 24
    levels: int = 5
    floor_margin: int = contract.GARMENT_FLOOR_MARGIN  # model pixels (:func:`garment_floor`)


def _block(cin: int, cout: int, convs: int = 2) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i in range(convs):
        layers += [nn.Conv2d(cin if i == 0 else cout, cout, 3, padding=1),
                   nn.GroupNorm(min(8, cout // 4), cout), nn.LeakyReLU(0.2, inplace=True)]
    return nn.Sequential(*layers)


class UNet(nn.Module):
    """The U-Net body of the GANs: (N, ``in_channels``, H, W) → features (N, ``width``, H, W)
    (:meth:`decode`). ``levels`` down-sampling steps; the widths double per level, capped at
    ``max_factor * width``. Full resolution holds most of the pixels: one convolution there
    on the way in and on the way out, two on every coarser level."""

    def __init__(self, in_channels: int, width: int, levels: int, max_factor: int = 8) -> None:
        super().__init__()
        widths = [min(width * 2**i, width * max_factor) for i in range(levels + 1)]
        self.stem = _block(in_channels, widths[0], convs=1)
        self.down = nn.ModuleList(
            nn.Sequential(nn.Conv2d(widths[i], widths[i], 4, stride=2, padding=1),
                          nn.LeakyReLU(0.2, inplace=True), _block(widths[i], widths[i + 1]))
            for i in range(levels))
        self.up = nn.ModuleList(
            nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"),
                          nn.Conv2d(widths[i + 1], widths[i], 3, padding=1),
                          nn.LeakyReLU(0.2, inplace=True))
            for i in reversed(range(levels)))
        self.merge = nn.ModuleList(_block(2 * widths[i], widths[i], convs=1 if i == 0 else 2)
                                   for i in reversed(range(levels)))

    def decode(self, inputs: torch.Tensor) -> torch.Tensor:
        skips = [self.stem(inputs)]
        for down in self.down:
            skips.append(down(skips[-1]))
        x = skips.pop()
        for up, merge in zip(self.up, self.merge, strict=True):
            x = merge(torch.cat([up(x), skips.pop()], dim=1))
        return x


class Generator(UNet):
    """U-Net: (N, IN_CHANNELS, H, W) → rgb (N, 3, H, W), shade (N, 1, H, W), weights
    (N, 3, H, W)."""

    def __init__(self, config: GeneratorConfig = GeneratorConfig()) -> None:
        if 2**config.levels > STRIDE:
            raise ValueError(f"levels={config.levels} needs a stride above {STRIDE}")
        super().__init__(IN_CHANNELS, config.width, config.levels)
        self.config = config
        self.head = nn.Conv2d(config.width, OUT_CHANNELS, 3, padding=1)
        with torch.no_grad():
            self.head.bias[4:].copy_(torch.tensor(INITIAL_LOGITS))

    def forward(self, inputs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        out = self.head(self.decode(inputs))
        rgb = torch.tanh(out[:, :3])
        low, high = contract.SHADE_RANGE
        shade = low + (high - low) * torch.sigmoid(out[:, 3:4])
        weights = torch.softmax(out[:, 4:7], dim=1)
        allowed = torch.cat([inputs[:, contract.GARMENT_MASK], inputs[:, contract.HINT],
                             torch.ones_like(inputs[:, contract.HINT])], dim=1)
        weights = weights * allowed
        floor = garment_floor(inputs, self.config.floor_margin)
        weights = torch.cat([torch.maximum(weights[:, :1], floor), weights[:, 1:] * (1 - floor)],
                            dim=1)
        paint = weights[:, 2:3].clamp_min(PAINT_FLOOR)
        weights = torch.cat([weights[:, :2], paint], dim=1)
        return rgb, shade, weights / weights.sum(dim=1, keepdim=True)


def floor_margin_for(size: tuple[int, int]) -> int:
    """The garment floor's margin in model pixels for a model trained at ``size`` (h, w):
    :data:`tryon.generator.contract.GARMENT_FLOOR_MARGIN` scaled from the contract's train size."""
    return max(1, round(contract.GARMENT_FLOOR_MARGIN * size[1] / contract.TRAIN_SIZE[1]))


def garment_floor(inputs: torch.Tensor, radius: int) -> torch.Tensor:
    """(N, 1, H, W) in {0, 1}: where the garment's weight is 1 whatever the network says
    (:data:`tryon.generator.contract.GARMENT_FLOOR_MARGIN`): the garment mask (> 0.5) eroded by
    ``radius`` model pixels, less the hint and the pose planes of
    :data:`tryon.generator.contract.GARMENT_FLOOR_CLEAR` (the hands) grown as much.
    Max-pooling (square windows) with a fixed window, so it exports to ONNX inside the
    model."""
    size = 2 * radius + 1
    garment = (inputs[:, contract.GARMENT_MASK] > 0.5).to(inputs.dtype)
    inner = -F.max_pool2d(-garment, size, stride=1, padding=radius)
    clear = [inputs[:, contract.HINT]] + [inputs[:, _POSE_PLANE[name]]
                                          for name in contract.GARMENT_FLOOR_CLEAR]
    blocked = F.max_pool2d(torch.cat(clear, dim=1).amax(dim=1, keepdim=True), size, stride=1,
                           padding=radius)
    return inner * (1 - blocked)


def compose(inputs: torch.Tensor, rgb: torch.Tensor, shade: torch.Tensor,
            weights: torch.Tensor) -> torch.Tensor:
    """The try-on picture (N, 3, H, W) in [-1, 1]: inside the region the weighted sum of the
    shaded garment, the photo (shown in the agnostic input where the hint is) and the painted
    picture; outside it the photo (the agnostic input there). Garment pixels are shaded in
    [0, 255] units, as the runtime does."""
    agnostic = inputs[:, contract.AGNOSTIC]
    region = inputs[:, contract.REGION]
    garment = (inputs[:, contract.GARMENT] + 1) * shade - 1
    inside = weights[:, 0:1] * garment + weights[:, 1:2] * agnostic + weights[:, 2:3] * rgb
    return (inside * region + agnostic * (1 - region)).clamp(-1, 1)


class PatchDiscriminator(nn.Module):
    """PatchGAN with spectral norm on (N, 3 + ``conditions``, H, W): the picture and its
    conditions (the generator's input: :data:`IN_CHANNELS` for the try-on GAN).
    Returns the features of every layer (for feature matching); the last is the logits."""

    def __init__(self, width: int = 32, layers: int = 3, conditions: int = IN_CHANNELS) -> None:
        super().__init__()
        blocks = []
        cin = 3 + conditions
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

    def __init__(self, scales: int = 2, width: int = 32, conditions: int = IN_CHANNELS) -> None:
        super().__init__()
        self.nets = nn.ModuleList(PatchDiscriminator(width, conditions=conditions)
                                  for _ in range(scales))
        self.pool = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)

    def forward(self, picture: torch.Tensor, conditions: torch.Tensor) -> list[list[torch.Tensor]]:
        x = torch.cat([picture, conditions], dim=1)
        outputs = []
        for i, net in enumerate(self.nets):
            if i:
                x = self.pool(x)
            outputs.append(net(x))
        return outputs
