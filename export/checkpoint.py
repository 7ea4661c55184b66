"""Reading a ``tryon-train`` checkpoint: the EMA generator and the facts the export records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from training.networks import Generator, GeneratorConfig
from tryon.errors import ErrorCode, TryOnError

__all__ = ["Checkpoint", "load_checkpoint"]

REQUIRED_KEYS = ("generator", "generator_config", "step", "train_size", "data", "licence")


@dataclass(frozen=True)
class Checkpoint:
    """``generator``: the EMA generator in eval mode on the CPU; ``train_size``: (H, W) pixels
    it was trained at (multiples of its stride); ``step``: optimiser steps; ``data`` and
    ``licence``: free text recorded in the exported model."""

    generator: Generator
    config: GeneratorConfig
    step: int
    train_size: tuple[int, int]
    data: str
    licence: str

    @property
    def stride(self) -> int:
        """H and W of the input must be multiples of this (``2 ** levels``)."""
        return 2 ** self.config.levels


def load_checkpoint(path: str | Path) -> Checkpoint:
    """Load ``path`` (a dict saved by ``tryon-train``); other keys (optimisers) are ignored.

    Raises :class:`TryOnError` (``bad_argument``) for a missing or unsuitable file.
    """
    path = Path(path)
    if not path.is_file():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"checkpoint {path} does not exist")
    try:
        state: Any = torch.load(path, map_location="cpu", weights_only=False)
    except Exception as exc:  # pickle, zip and torch errors alike: not a checkpoint
        raise TryOnError(ErrorCode.BAD_ARGUMENT,
                         f"cannot read checkpoint {path}: {_first_line(exc)}") from None
    if not isinstance(state, dict):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{path} is not a tryon-train checkpoint")
    missing = [key for key in REQUIRED_KEYS if key not in state]
    if missing:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{path} is not a tryon-train checkpoint: "
                         f"missing {', '.join(missing)}")
    try:
        config = GeneratorConfig(**state["generator_config"])
        generator = Generator(config)
        generator.load_state_dict(state["generator"])
        height, width = (int(v) for v in state["train_size"])
    except (TypeError, ValueError, RuntimeError) as exc:
        raise TryOnError(ErrorCode.BAD_ARGUMENT,
                         f"checkpoint {path} does not fit the generator: {_first_line(exc)}"
                         ) from None
    checkpoint = Checkpoint(generator=generator.eval(), config=config, step=int(state["step"]),
                            train_size=(height, width), data=str(state["data"]),
                            licence=str(state["licence"]))
    if height % checkpoint.stride or width % checkpoint.stride or min(height, width) <= 0:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"checkpoint {path}: train_size {height}x"
                         f"{width} is not a multiple of the stride {checkpoint.stride}")
    return checkpoint


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
