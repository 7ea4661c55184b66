"""The sampled-designs GAN: a small unconditional generator that makes new shoe photos on
white with their mask from a latent vector (contract: :mod:`tryon.studio.samples`), and its
trainer.

``tryon-train --config training/configs/samples.yaml`` (``task: samples``) runs
:class:`SamplesTrainer`: the loop, EMA, checkpoints (``run.out/checkpoint.pt``, resumed
automatically), ``run.minutes`` and ``run.threads`` are :class:`training.trainer.Trainer`'s;
the split, the held-out list and the photo cache are
:class:`training.catalog_models.CatalogTrainer`'s (:mod:`training.samples_data`, cached in
``run.out/<data.cache>``, the held-out photos listed in ``run.out/held_out.txt``).

Made to learn from ~800 photos on one CPU thread (the data-efficient GAN recipe):

- generator (:class:`SamplesGenerator`): the latent (pixel-normalised) → 4×4 by a linear
  layer, then ``levels`` blocks of nearest ×2 up-sampling and two 3×3 convolutions with
  leaky ReLU and pixel norm (channels ``width · 2^k``, at most ``max_channels``), a 3×3 head
  to 4 planes: tanh RGB and sigmoid alpha;
- discriminator (:class:`SamplesDiscriminator`): spectral-normalised convolutions, 4×4
  stride 2 down to 4×4, then a linear layer; it judges the picture on white and the mask
  (4 planes), so colours and silhouette must agree;
- DiffAugment (Zhao et al., 2020: :func:`diff_augment`) on real and generated pictures alike
  before the discriminator (colour: brightness, saturation, contrast; translation by up to
  1/8 with white padding; cutout of a half-size square), hinge loss, EMA of the generator
  (``optim.ema``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812
from torch import nn

from training.catalog_models import CatalogTrainer, load_ema_generator
from training.samples_data import SamplesCache, SamplesDataset, build_cache
from tryon.studio import samples as sm

__all__ = ["PREVIEW_SEED", "SamplesConfig", "SamplesDiscriminator", "SamplesGenerator",
           "SamplesTrainer", "diff_augment", "load_generator", "on_white"]

PREVIEW_SEED = 0
PREVIEW_COUNT = 16
FILL = (1.0, 1.0, 1.0, -1.0)  # white picture, no product: what translation pads with
TRANSLATION = 0.125
CUTOUT = 0.5


@dataclass(frozen=True)
class SamplesConfig:
    """``width``: channels at the output size (doubled per level towards 4×4, capped at
    ``max_channels``); ``levels``: up-samplings from 4×4 (``4 · 2^levels`` = the contract's
    size); ``latent``: the latent size (the contract's)."""

    width: int = 24
    levels: int = 4
    latent: int = sm.LATENT
    max_channels: int = 128


class PixelNorm(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rsqrt((x * x).mean(dim=1, keepdim=True) + 1e-8)


def _channels(width: int, levels: int, cap: int) -> list[int]:
    """Channels at 4×4, 8×8, ..., the output size."""
    return [min(cap, width * 2 ** (levels - i)) for i in range(levels + 1)]


class SamplesGenerator(nn.Module):
    """(N, latent) → rgb (N, 3, S, S) in [-1, 1], alpha (N, 1, S, S) in [0, 1]."""

    CONTRACT = sm
    CONFIG = SamplesConfig

    def __init__(self, config: SamplesConfig | None = None) -> None:
        super().__init__()
        config = config if config is not None else SamplesConfig()
        self.config = config
        chans = _channels(config.width, config.levels, config.max_channels)
        self.norm = PixelNorm()
        self.stem = nn.Linear(config.latent, chans[0] * 16)
        blocks = []
        for cin, cout in zip(chans[:-1], chans[1:], strict=True):
            blocks.append(nn.Sequential(
                nn.Upsample(scale_factor=2, mode="nearest"),
                nn.Conv2d(cin, cout, 3, padding=1), nn.LeakyReLU(0.2), PixelNorm(),
                nn.Conv2d(cout, cout, 3, padding=1), nn.LeakyReLU(0.2), PixelNorm()))
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Conv2d(chans[-1], 4, 3, padding=1)
        self._first = chans[0]

    def forward(self, latent: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.stem(self.norm(latent)).view(-1, self._first, 4, 4)
        x = self.blocks(self.norm(F.leaky_relu(x, 0.2)))
        out = self.head(x)
        return torch.tanh(out[:, :3]), torch.sigmoid(out[:, 3:4])


class SamplesDiscriminator(nn.Module):
    """(N, 4, S, S) picture on white and mask in [-1, 1] → (N,) scores; spectral norm on
    every layer."""

    def __init__(self, width: int = 32, levels: int = 4, cap: int = 128) -> None:
        super().__init__()
        sn = nn.utils.spectral_norm
        chans = [min(cap, width * 2 ** i) for i in range(levels + 1)]
        layers: list[nn.Module] = [sn(nn.Conv2d(4, chans[0], 3, padding=1)), nn.LeakyReLU(0.2)]
        for cin, cout in zip(chans[:-1], chans[1:], strict=True):
            layers += [sn(nn.Conv2d(cin, cout, 4, stride=2, padding=1)), nn.LeakyReLU(0.2)]
        self.body = nn.Sequential(*layers)
        self.out = sn(nn.Linear(chans[-1] * 16, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.body(x).flatten(1))[:, 0]


def on_white(rgb: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
    """The picture on white in [-1, 1] and the mask in [-1, 1]: (N, 4, H, W)."""
    return torch.cat([alpha * rgb + (1 - alpha), alpha * 2 - 1], dim=1)


def diff_augment(x: torch.Tensor) -> torch.Tensor:
    """DiffAugment ``color,translation,cutout`` on (N, 4, H, W): colour on the picture
    only; translation pads with :data:`FILL`; cutout sets a square to 0 in every plane."""
    n = x.shape[0]
    rgb, alpha = x[:, :3], x[:, 3:]
    rgb = rgb + (torch.rand(n, 1, 1, 1, device=x.device) - 0.5)
    mean = rgb.mean(dim=1, keepdim=True)
    rgb = (rgb - mean) * (torch.rand(n, 1, 1, 1, device=x.device) * 2) + mean
    mean = rgb.mean(dim=[1, 2, 3], keepdim=True)
    rgb = (rgb - mean) * (torch.rand(n, 1, 1, 1, device=x.device) + 0.5) + mean
    x = torch.cat([rgb, alpha], dim=1)
    fill = torch.tensor(FILL, device=x.device, dtype=x.dtype)[None, :, None, None]
    x = _translate(x - fill) + fill
    return _cutout(x)


def _translate(x: torch.Tensor, ratio: float = TRANSLATION) -> torch.Tensor:
    n, _, h, w = x.shape
    sy, sx = int(h * ratio + 0.5), int(w * ratio + 0.5)
    ty = torch.randint(-sy, sy + 1, (n, 1, 1), device=x.device)
    tx = torch.randint(-sx, sx + 1, (n, 1, 1), device=x.device)
    gb, gy, gx = torch.meshgrid(torch.arange(n, device=x.device), torch.arange(h, device=x.device),
                                torch.arange(w, device=x.device), indexing="ij")
    gy = torch.clamp(gy + ty + 1, 0, h + 1)
    gx = torch.clamp(gx + tx + 1, 0, w + 1)
    padded = F.pad(x, [1, 1, 1, 1])
    return padded.permute(0, 2, 3, 1)[gb, gy, gx].permute(0, 3, 1, 2)


def _cutout(x: torch.Tensor, ratio: float = CUTOUT) -> torch.Tensor:
    n, _, h, w = x.shape
    ch, cw = int(h * ratio + 0.5), int(w * ratio + 0.5)
    oy = torch.randint(0, h + (1 - ch % 2), (n, 1, 1), device=x.device)
    ox = torch.randint(0, w + (1 - cw % 2), (n, 1, 1), device=x.device)
    gb, gy, gx = torch.meshgrid(torch.arange(n, device=x.device), torch.arange(ch, device=x.device),
                                torch.arange(cw, device=x.device), indexing="ij")
    gy = torch.clamp(gy + oy - ch // 2, 0, h - 1)
    gx = torch.clamp(gx + ox - cw // 2, 0, w - 1)
    mask = torch.ones(n, h, w, dtype=x.dtype, device=x.device)
    mask[gb, gy, gx] = 0
    return x * mask[:, None]


def load_generator(path: str | Path) -> tuple[SamplesGenerator, dict]:
    """The EMA generator of a samples checkpoint (full or slim) in float32, and the
    checkpoint's state (step, licence, data, config)."""
    return load_ema_generator(path, SamplesGenerator, SamplesConfig)


class SamplesTrainer(CatalogTrainer):
    """:class:`training.catalog_models.CatalogTrainer` with the unconditional networks, hinge
    loss and DiffAugment. The dataset's first tensor is the real picture on white and its
    mask (4 planes, :func:`training.samples_data.make_sample`); the latents are drawn here."""

    NAME = "samples"
    CONTRACT = sm
    GENERATOR = SamplesGenerator  # type: ignore[assignment]
    BUILD_CACHE = staticmethod(build_cache)
    CACHE = SamplesCache
    DATASET = SamplesDataset

    def _build_generator(self) -> tuple[SamplesConfig, nn.Module]:
        size = sm.SIZE
        if tuple(self.config.data.size) != size:
            raise ValueError(f"the samples contract trains at {size}, "
                             f"not data.size={list(self.config.data.size)}")
        m = self.config.model
        if 4 * 2 ** m.levels != size[0]:
            raise ValueError(f"model.levels={m.levels} does not reach {size[0]} pixels from 4")
        config = SamplesConfig(width=m.width, levels=m.levels)
        return config, SamplesGenerator(config)

    def _build_discriminator(self) -> nn.Module:
        m = self.config.model
        return SamplesDiscriminator(m.disc_width, m.levels)

    def _fake(self, count: int) -> torch.Tensor:  # type: ignore[override]
        latent = torch.randn(count, sm.LATENT, device=self.device)
        return on_white(*self.g_train(latent))

    def dis_step(self, inputs: torch.Tensor, target: torch.Tensor) -> dict[str, float]:
        with torch.no_grad():
            fake = self._fake(len(inputs))
        real_score = self.d_train(diff_augment(inputs))
        fake_score = self.d_train(diff_augment(fake))
        loss = F.relu(1 - real_score).mean() + F.relu(1 + fake_score).mean()
        self.opt_d.zero_grad(set_to_none=True)
        loss.backward()
        self.opt_d.step()
        return {"d": float(loss.detach()), "real": float(real_score.mean().detach()),
                "fake": float(fake_score.mean().detach())}

    def gen_step(self, inputs: torch.Tensor, target: torch.Tensor,
                 weight: torch.Tensor) -> dict[str, float]:
        fake = self._fake(len(inputs))
        loss = -self.d_train(diff_augment(fake)).mean()
        self.opt_g.zero_grad(set_to_none=True)
        loss.backward()
        self.opt_g.step()
        self._update_ema()
        return {"g": float(loss.detach())}

    @torch.no_grad()
    def save_samples(self, preview: list[tuple[torch.Tensor, ...]]) -> Path:
        """A 4 × 8 PNG grid: 16 EMA samples of fixed latents (seed :data:`PREVIEW_SEED`) on
        white, then their masks."""
        latent = torch.from_numpy(sm.latents(PREVIEW_COUNT, PREVIEW_SEED)).to(self.device)
        rgb, alpha = self.ema(latent)
        white = on_white(rgb, alpha)[:, :3].float().cpu()
        cells = [np.hstack([_u8(white[i]), _u8(alpha[i].float().cpu().repeat(3, 1, 1) * 2 - 1)])
                 for i in range(PREVIEW_COUNT)]
        rows = [np.hstack(cells[r * 4:(r + 1) * 4]) for r in range(PREVIEW_COUNT // 4)]
        path = self.out / "samples" / f"step_{self.step:06d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(path), cv2.cvtColor(np.vstack(rows), cv2.COLOR_RGB2BGR))
        return path


def _u8(picture: torch.Tensor) -> np.ndarray:
    array = ((picture.permute(1, 2, 0).numpy() + 1) * 127.5).clip(0, 255)
    return (array + 0.5).astype(np.uint8)
