"""The trainer: alternating discriminator and generator steps, EMA generator, checkpoints.

Runs on the CPU, one GPU (bf16 autocast, channels_last) or several through ``torchrun``
(DistributedDataParallel; rank 0 builds the photo cache, logs and writes checkpoints).
The networks know nothing of the trainer; the trainer knows nothing of files beyond its run
folder: ``checkpoint.pt`` (resumed automatically), ``samples/step_XXXXXX.png``, ``cache.npz``.
"""

from __future__ import annotations

import copy
import glob
import os
import random
import time
from dataclasses import asdict
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, Dataset, DistributedSampler

from training.config import Config
from training.data import PhotoCache, build_cache, make_sample, vitonhd_pairs
from training.losses import (
    PerceptualLoss,
    d_hinge_loss,
    feature_matching_loss,
    g_hinge_loss,
    masked_l1,
)
from training.networks import (
    Generator,
    GeneratorConfig,
    MultiScaleDiscriminator,
    compose,
    floor_margin_for,
)
from tryon.generator import contract

__all__ = ["Trainer", "SampleDataset", "photo_paths", "slim_checkpoint"]

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}


class SampleDataset(Dataset):
    """Self-supervised samples from a :class:`PhotoCache`; a fresh perturbation per call,
    reproducible from (seed, epoch, index)."""

    def __init__(self, cache: PhotoCache, seed: int) -> None:
        self.cache = cache
        self.seed = seed
        self.epoch = 0

    def __len__(self) -> int:
        return len(self.cache)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        rng = np.random.default_rng((self.seed, self.epoch, index))
        inputs, target, weight = make_sample(self.cache, index, rng)
        return torch.from_numpy(inputs), torch.from_numpy(target), torch.from_numpy(weight)


def photo_paths(config: Config) -> list[Path]:
    """The photos a config names: ``data.photos`` (folders or globs, each capped at
    ``data.limit``) or ``data.vitonhd``."""
    base = Path(config.base_dir)
    limit = config.data.limit or None
    paths: list[Path] = []
    if config.data.vitonhd:
        root = (base / config.data.vitonhd).resolve()
        paths = sorted({pair.image for pair in vitonhd_pairs(root)})[:limit]
    for entry in config.data.photos:
        pattern = base / entry
        if pattern.is_dir():
            found = sorted(p for p in pattern.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        else:
            found = sorted(Path(p) for p in glob.glob(str(pattern)))
        paths += found[:limit]
    if not paths:
        raise FileNotFoundError("the config names no photos (data.photos or data.vitonhd)")
    return paths


class Trainer:
    """Owns the networks, optimisers and the loop. ``fit()`` trains to ``run.steps``."""

    L1_OUTSIDE = 0.1  # the L1 loss's weight outside :meth:`_l1_region`

    def __init__(self, config: Config) -> None:
        self.config = config
        self.rank, self.world = _init_distributed()
        self.device = _device(self.rank)
        self.cuda = self.device.type == "cuda"
        _seed_everything(config.run.seed + self.rank)
        if config.run.threads and not self.cuda:
            torch.set_num_threads(config.run.threads)
        self.out = Path(config.run.out)
        self.out.mkdir(parents=True, exist_ok=True)
        memory = torch.channels_last if self.cuda else torch.contiguous_format
        self.memory_format = memory
        self.gen_config, generator = self._build_generator()
        self.generator = generator.to(self.device, memory_format=memory)
        self.ema = copy.deepcopy(self.generator).eval().requires_grad_(False)
        self.discriminator = self._build_discriminator().to(self.device, memory_format=memory)
        o = config.optim
        self.opt_g = torch.optim.Adam(self.generator.parameters(), lr=o.lr_g, betas=o.betas)
        self.opt_d = torch.optim.Adam(self.discriminator.parameters(), lr=o.lr_d, betas=o.betas)
        self.perceptual = (PerceptualLoss().to(self.device, memory_format=memory)
                           if config.loss.perceptual > 0 else None)
        self.step = 0
        self._resume()
        self.g_train, self.d_train = self.generator, self.discriminator
        if self.world > 1:
            ids = [self.device.index] if self.cuda else None
            self.g_train = DistributedDataParallel(self.generator, device_ids=ids)
            self.d_train = DistributedDataParallel(self.discriminator, device_ids=ids)

    # -- networks and data (a subclass trains another model: training.colourway) ----------
    def _build_generator(self) -> tuple[object, nn.Module]:
        """(its config dataclass, saved in checkpoints; the generator)."""
        m = self.config.model
        config = GeneratorConfig(width=m.width, levels=m.levels,
                                 floor_margin=floor_margin_for(tuple(self.config.data.size)))
        return config, Generator(config)

    def _build_discriminator(self) -> nn.Module:
        m = self.config.model
        return MultiScaleDiscriminator(m.disc_scales, m.disc_width)

    def _dataset(self) -> Dataset:
        """Training samples: (inputs, target, weight) tensors."""
        return SampleDataset(self._cache(), self.config.run.seed)

    def _cache(self) -> PhotoCache:
        path = self.out / self.config.data.cache
        if self.rank == 0 and not path.is_file():
            cache = build_cache(photo_paths(self.config), tuple(self.config.data.size),
                                progress=True)
            cache.save(path)
        if self.world > 1:
            dist.barrier()
        return PhotoCache.load(path)

    # -- steps --------------------------------------------------------------------------
    def _autocast(self) -> torch.autocast:
        return torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.cuda)

    def _fake(self, inputs: torch.Tensor, target: torch.Tensor
              ) -> tuple[torch.Tensor, tuple[torch.Tensor, ...]]:
        """(the picture the discriminator judges, the generator's raw outputs)."""
        outputs = self.g_train(inputs)
        return compose(inputs, *outputs), outputs

    def _l1_region(self, inputs: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        """Where the L1 loss has full weight (``weight``: 1 on the picture, 0 on padding)."""
        return inputs[:, contract.REGION] * weight

    def _extra_losses(self, inputs: torch.Tensor, target: torch.Tensor,
                      outputs: tuple[torch.Tensor, ...], region: torch.Tensor
                      ) -> dict[str, tuple[float, torch.Tensor]]:
        """{name: (weight, loss)} added to the generator's loss: the garment's keep loss."""
        garment = inputs[:, contract.GARMENT_MASK] * region
        keep = (garment * (1 - outputs[2][:, 0:1].float())).sum() / (garment.sum() + 1)
        return {"keep": (self.config.loss.mask, keep)}

    def _extra_fakes(self, inputs: torch.Tensor, target: torch.Tensor
                     ) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """More (picture, condition) fakes the discriminator learns to refuse beside the
        batch's own (none here; :class:`training.colourway.ColourwayTrainer` adds its
        recoloured products)."""
        return []

    def dis_step(self, inputs: torch.Tensor, target: torch.Tensor) -> dict[str, float]:
        with torch.no_grad(), self._autocast():
            fake, _ = self._fake(inputs, target)
            fakes = [(fake, inputs), *self._extra_fakes(inputs, target)]
        with self._autocast():
            real = self.d_train(target, inputs)
            loss = torch.stack([d_hinge_loss(real, self.d_train(picture.detach(), condition))
                                for picture, condition in fakes]).mean()
        self.opt_d.zero_grad(set_to_none=True)
        loss.backward()
        self.opt_d.step()
        return {"d": float(loss.detach())}

    def gen_step(self, inputs: torch.Tensor, target: torch.Tensor,
                 weight: torch.Tensor) -> dict[str, float]:
        """One generator step; ``weight`` (N, 1, H, W): 1 on the picture, 0 on padding."""
        w = self.config.loss
        region = self._l1_region(inputs, weight)
        with self._autocast():
            fake, outputs = self._fake(inputs, target)
            fake_out = self.d_train(fake, inputs)
            with torch.no_grad():
                real_out = self.d_train(target, inputs)
            adv = g_hinge_loss(fake_out)
            fm = feature_matching_loss(real_out, fake_out)
            l1 = masked_l1(fake.float(), target, region, self.L1_OUTSIDE)
            loss = w.adversarial * adv + w.feature_matching * fm + w.l1 * l1
            losses = {"g_adv": float(adv.detach()), "fm": float(fm.detach()),
                      "l1": float(l1.detach())}
            for name, (factor, value) in self._extra_losses(inputs, target, outputs,
                                                                    region).items():
                loss = loss + factor * value
                losses[name] = float(value.detach())
            if self.perceptual is not None:
                perceptual = self.perceptual(fake.float(), target)
                loss = loss + w.perceptual * perceptual
                losses["perc"] = float(perceptual.detach())
        self.opt_g.zero_grad(set_to_none=True)
        loss.backward()
        self.opt_g.step()
        self._update_ema()
        return losses

    @torch.no_grad()
    def _update_ema(self) -> None:
        decay = min(self.config.optim.ema, (1 + self.step) / (10 + self.step))
        for ema, live in zip(self.ema.parameters(), self.generator.parameters(), strict=True):
            ema.lerp_(live.detach(), 1 - decay)
        for ema, live in zip(self.ema.buffers(), self.generator.buffers(), strict=True):
            ema.copy_(live)

    # -- loop ---------------------------------------------------------------------------
    def fit(self) -> Path:
        """Train until ``run.steps``; returns the checkpoint path."""
        run = self.config.run
        dataset = self._dataset()
        sampler = (DistributedSampler(dataset, self.world, self.rank, seed=run.seed)
                   if self.world > 1 else None)
        loader_gen = torch.Generator().manual_seed(run.seed)
        loader = DataLoader(dataset, batch_size=run.batch, shuffle=sampler is None,
                            sampler=sampler, num_workers=self.config.data.workers,
                            drop_last=len(dataset) >= run.batch, generator=loader_gen,
                            pin_memory=self.cuda)
        preview = [dataset[i] for i in range(min(4, len(dataset)))]
        bar = _progress(run.steps, self.step, self.rank == 0)
        deadline = time.monotonic() + run.minutes * 60 if run.minutes > 0 else None
        while self.step < run.steps:
            dataset.epoch += 1
            if sampler is not None:
                sampler.set_epoch(dataset.epoch)
            for inputs, target, weight in loader:
                inputs = inputs.to(self.device, memory_format=self.memory_format)
                target = target.to(self.device, memory_format=self.memory_format)
                weight = weight.to(self.device)
                losses = self.dis_step(inputs, target)
                losses.update(self.gen_step(inputs, target, weight))
                self.step += 1
                if bar is not None:
                    bar.update(1)
                    if self.step % run.log_every == 0 or self.step == run.steps:
                        bar.set_postfix({k: f"{v:.3f}" for k, v in losses.items()})
                if self.rank == 0 and self.step % run.sample_every == 0:
                    self.save_samples(preview)
                if self.rank == 0 and self.step % run.checkpoint_every == 0:
                    self.save_checkpoint()
                if self.step >= run.steps or self._out_of_time(deadline):
                    break
            if self._out_of_time(deadline):
                break
        if bar is not None:
            bar.close()
        if self.rank == 0:
            self.save_samples(preview)
            self.save_checkpoint()
        if self.world > 1:
            dist.barrier()
            dist.destroy_process_group()
        return self.out / "checkpoint.pt"

    def _out_of_time(self, deadline: float | None) -> bool:
        """Whether ``deadline`` (a ``time.monotonic()`` value) has passed; every rank gets
        the same answer (the first rank's clock decides)."""
        if deadline is None:
            return False
        late = torch.tensor([float(time.monotonic() >= deadline)], device=self.device)
        if self.world > 1:
            dist.broadcast(late, src=0)
        return bool(late.item())

    # -- files --------------------------------------------------------------------------
    def save_checkpoint(self) -> Path:
        path = self.out / "checkpoint.pt"
        data = self.config.data
        state = {
            "generator": self.ema.state_dict(),
            "generator_config": asdict(self.gen_config),
            "step": self.step,
            "train_size": list(data.size),
            "data": data.description or data.vitonhd or ", ".join(data.photos),
            "licence": data.licence,
            "config": self.config.as_dict(),
            "generator_live": self.generator.state_dict(),
            "discriminator": self.discriminator.state_dict(),
            "opt_g": self.opt_g.state_dict(),
            "opt_d": self.opt_d.state_dict(),
        }
        temporary = path.with_suffix(".tmp")
        torch.save(state, temporary)
        os.replace(temporary, path)
        return path

    def _resume(self) -> None:
        path = self.out / "checkpoint.pt"
        if not path.is_file():
            return
        state = torch.load(path, map_location=self.device, weights_only=False)
        # A slim checkpoint (:func:`slim_checkpoint`) has no live generator and no optimiser
        # states: training goes on from the EMA weights with fresh optimisers.
        self.generator.load_state_dict(state.get("generator_live", state["generator"]))
        self.ema.load_state_dict(state["generator"])
        self.discriminator.load_state_dict(state["discriminator"])
        if "opt_g" in state and "opt_d" in state:
            self.opt_g.load_state_dict(state["opt_g"])
            self.opt_d.load_state_dict(state["opt_d"])
        self.step = int(state["step"])

    @torch.no_grad()
    def save_samples(self, preview: list[tuple[torch.Tensor, ...]]) -> Path:
        """A PNG grid, one row per sample: agnostic | garment | result (EMA) | target."""
        rows = []
        for inputs, target, _ in preview:
            batch = inputs[None].to(self.device)
            result = compose(batch, *self.ema(batch))[0].float().cpu()
            rows.append(np.hstack([_to_uint8(inputs[contract.AGNOSTIC]),
                                   _to_uint8(inputs[contract.GARMENT]), _to_uint8(result),
                                   _to_uint8(target)]))
        path = self.out / "samples" / f"step_{self.step:06d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(path), cv2.cvtColor(np.vstack(rows), cv2.COLOR_RGB2BGR))
        return path


def slim_checkpoint(source: Path, out: Path) -> Path:
    """Write the smallest checkpoint that training can go on from: the EMA generator and the
    discriminator in half precision and the run's facts, without the live generator and the
    optimiser states (:meth:`Trainer._resume` restarts those). ``tryon-export`` reads it too."""
    state = torch.load(source, map_location="cpu", weights_only=False)
    keep = {key: value for key, value in state.items()
            if key not in ("generator_live", "opt_g", "opt_d")}
    for key in ("generator", "discriminator"):
        keep[key] = {name: tensor.half() if tensor.is_floating_point() else tensor
                     for name, tensor in state[key].items()}
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(keep, out)
    return out


def _to_uint8(picture: torch.Tensor) -> np.ndarray:
    """(3, H, W) in [-1, 1] → (H, W, 3) uint8."""
    array = ((picture.permute(1, 2, 0).numpy() + 1) * 127.5).clip(0, 255)
    return (array + 0.5).astype(np.uint8)


def _progress(total: int, done: int, enabled: bool):  # noqa: ANN202 (tqdm type)
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, initial=done, desc="training", unit="step", dynamic_ncols=True)


def _init_distributed() -> tuple[int, int]:
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return 0, 1
    backend = "nccl" if torch.cuda.is_available() else "gloo"
    dist.init_process_group(backend)
    return dist.get_rank(), dist.get_world_size()


def _device(rank: int) -> torch.device:
    if torch.cuda.is_available():
        local = int(os.environ.get("LOCAL_RANK", rank))
        torch.cuda.set_device(local)
        return torch.device("cuda", local)
    return torch.device("cpu")


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
