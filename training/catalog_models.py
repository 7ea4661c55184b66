"""What the Studio's two catalog-photo GANs share: the colourway GAN (:mod:`training.colourway`)
and the sketch → product model (:mod:`training.sketch`).

Both are a conditional U-Net (:class:`StudioGenerator`) trained by :class:`CatalogTrainer`
(:class:`training.trainer.Trainer` with a conditional multi-scale PatchGAN) on samples made
from catalog photos: the photos are split (:func:`split`, the held-out ones listed in
``run.out/held_out.txt``), analysed once into an ``.npz`` cache (:class:`NpzCache`, built by
:func:`analyse_photos`) and sampled by the model's own dataset. A subclass names its contract
module, networks, cache and dataset, and says how a preview row starts, how a colour is asked
for and how the picture is rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import cv2
import numpy as np
import torch
from torch import nn

from training.networks import MultiScaleDiscriminator, UNet
from training.trainer import Trainer, _to_uint8, photo_paths
from tryon.studio.colour import parse_colour, rgb_to_lab

__all__ = ["HOLD_OUT_EVERY", "CatalogTrainer", "NpzCache", "StudioGenerator", "UNetConfig",
           "analyse_photos", "load_ema_generator", "split", "to_u8"]

HOLD_OUT_EVERY = 10


def split(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """(training, held out): per folder, in sorted order, every :data:`HOLD_OUT_EVERY`-th
    photo (the 0th, 10th, ...) is held out."""
    train, held = [], []
    folders: dict[Path, list[Path]] = {}
    for path in paths:
        folders.setdefault(Path(path).parent, []).append(Path(path))
    for folder in sorted(folders):
        for index, path in enumerate(sorted(folders[folder])):
            (held if index % HOLD_OUT_EVERY == 0 else train).append(path)
    return train, held


def to_u8(plane: np.ndarray) -> np.ndarray:
    """A [0, 1] plane as uint8 (rounded, clipped)."""
    return np.round(np.clip(plane, 0, 1) * 255).astype(np.uint8)


def analyse_photos(paths: Sequence[Path], analyse: Callable[[Path], Any | None],
                   progress: bool = False) -> list[tuple[Path, Any]]:
    """(path, ``analyse(path)``) of every photo that gives something, in order; a progress
    line every 100 photos. Raises ``FileNotFoundError`` when none does."""
    found: list[tuple[Path, Any]] = []
    for index, path in enumerate(paths):
        result = analyse(path)
        if result is not None:
            found.append((path, result))
        if progress and (index + 1) % 100 == 0:
            print(f"  analysed {index + 1}/{len(paths)} photos", flush=True)
    if not found:
        raise FileNotFoundError("no usable product photo among the configured photos")
    return found


class NpzCache:
    """Mixin for a frozen dataclass of arrays kept as one ``.npz``: its length is the first
    field's, every field is saved and loaded under its own name."""

    def __len__(self) -> int:
        return len(getattr(self, fields(self)[0].name))  # type: ignore[arg-type]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, **{f.name: getattr(self, f.name)
                                     for f in fields(self)})  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> Any:
        with np.load(path) as stored:
            return cls(**{f.name: stored[f.name] for f in fields(cls)})  # type: ignore[arg-type]


@dataclass(frozen=True)
class UNetConfig:
    """``width``: channels of the first level (doubled per level, capped at ``4 * width``);
    ``levels``: down-sampling steps (stride ``2 ** levels``, at most the contract's)."""

    width: int = 16
    levels: int = 4


class StudioGenerator(UNet):
    """U-Net: (N, ``CONTRACT.IN_CHANNELS``, H, W) → ``OUT_CHANNELS`` planes (a subclass's
    ``forward`` turns the head's output into its outputs); ``config`` defaults to
    ``CONFIG()``."""

    CONTRACT: ClassVar[ModuleType]
    CONFIG: ClassVar[type[UNetConfig]] = UNetConfig
    OUT_CHANNELS: ClassVar[int]

    def __init__(self, config: UNetConfig | None = None) -> None:
        config = config if config is not None else self.CONFIG()
        stride = self.CONTRACT.STRIDE
        if 2 ** config.levels > stride:
            raise ValueError(f"levels={config.levels} needs a stride above {stride}")
        super().__init__(self.CONTRACT.IN_CHANNELS, config.width, config.levels, max_factor=4)
        self.config = config
        self.head = nn.Conv2d(config.width, self.OUT_CHANNELS, 3, padding=1)


def load_ema_generator(path: str | Path, generator: Callable[[Any], nn.Module],
                       config: Callable[..., Any]) -> tuple[Any, dict]:
    """The EMA generator of a checkpoint (full or slim) in float32, and the checkpoint's
    state (step, licence, data, config)."""
    state = torch.load(path, map_location="cpu", weights_only=False)
    model = generator(config(**state["generator_config"]))
    model.load_state_dict({k: v.float() for k, v in state["generator"].items()})
    return model.eval(), state


class CatalogTrainer(Trainer):
    """:class:`training.trainer.Trainer` for a Studio GAN trained on catalog photos.

    A subclass sets :attr:`NAME`, :attr:`CONTRACT` (its ``tryon.studio`` contract module:
    ``SIZE``, ``IN_CHANNELS``), :attr:`GENERATOR` (a :class:`StudioGenerator`), :attr:`BUILD_CACHE`
    (``(paths, side, progress=) → cache``), :attr:`CACHE` and :attr:`DATASET`
    (``(cache, seed)``), :attr:`PREVIEW_COLOURS`, and the preview hooks
    :meth:`_preview_cells`, :meth:`_ask_colour` and :meth:`_render`."""

    NAME: ClassVar[str]
    CONTRACT: ClassVar[ModuleType]
    GENERATOR: ClassVar[type[StudioGenerator]]
    BUILD_CACHE: ClassVar[Callable[..., Any]]
    CACHE: ClassVar[type]
    DATASET: ClassVar[type]
    PREVIEW_COLOURS: ClassVar[tuple[str, ...]] = ()

    def _build_generator(self) -> tuple[Any, nn.Module]:
        size = self.CONTRACT.SIZE
        if tuple(self.config.data.size) != size:
            raise ValueError(f"the {self.NAME} contract trains at {size}, "
                             f"not data.size={list(self.config.data.size)}")
        m = self.config.model
        config = self.GENERATOR.CONFIG(width=m.width, levels=m.levels)
        return config, self.GENERATOR(config)

    def _build_discriminator(self) -> nn.Module:
        m = self.config.model
        return MultiScaleDiscriminator(m.disc_scales, m.disc_width,
                                       conditions=self.CONTRACT.IN_CHANNELS)

    def _dataset(self) -> Any:
        """The split photos' cache (``run.out/<data.cache>``, built once by the first rank,
        the held-out photos listed in ``run.out/held_out.txt``) as the model's dataset."""
        path = self.out / self.config.data.cache
        if self.rank == 0 and not path.is_file():
            train, held = split(photo_paths(self.config))
            (self.out / "held_out.txt").write_text("".join(f"{p}\n" for p in held))
            print(f"analysing {len(train)} training photos ({len(held)} held out)", flush=True)
            type(self).BUILD_CACHE(train, self.CONTRACT.SIZE[0], progress=True).save(path)
        if self.world > 1:
            torch.distributed.barrier()
        return self.DATASET(self.CACHE.load(path), self.config.run.seed)

    # -- preview --------------------------------------------------------------------------
    def _preview_cells(self, inputs: torch.Tensor, target: torch.Tensor) -> list[np.ndarray]:
        """The first cells of a preview row (uint8 pictures)."""
        raise NotImplementedError

    def _ask_colour(self, batch: torch.Tensor, lab: np.ndarray) -> None:
        """Set the colour condition of ``batch`` (1, C, H, W), in place, to ``lab``."""
        raise NotImplementedError

    def _render(self, batch: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """The EMA generator's picture (1, 3, H, W) in [-1, 1] for ``batch``."""
        raise NotImplementedError

    @torch.no_grad()
    def save_samples(self, preview: list[tuple[torch.Tensor, ...]]) -> Path:
        """A PNG grid, one row per sample: :meth:`_preview_cells` | own colour (EMA) | the
        :attr:`PREVIEW_COLOURS`."""
        rows = []
        for inputs, target, _ in preview:
            cells = self._preview_cells(inputs, target)
            for colour in (None, *self.PREVIEW_COLOURS):
                batch = inputs[None].clone().to(self.device)
                if colour is not None:
                    self._ask_colour(batch, rgb_to_lab(np.array(parse_colour(colour), np.uint8)))
                result = self._render(batch, target[None].to(self.device))
                cells.append(_to_uint8(result[0].float().cpu()))
            rows.append(np.hstack(cells))
        path = self.out / "samples" / f"step_{self.step:06d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(path), cv2.cvtColor(np.vstack(rows), cv2.COLOR_RGB2BGR))
        return path
