"""Exported file vs PyTorch on the same seeded random inputs (ONNX Runtime, CPU provider)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from torch import nn

from export.onnx_export import INPUT_NAME

__all__ = ["Parity", "parity_inputs", "torch_parity", "session_parity", "FP32_TOLERANCE",
           "FP16_TOLERANCE"]

FP32_TOLERANCE = 1e-3
FP16_TOLERANCE = 0.1  # fp16 is expected near 1e-2; beyond this the file is broken


@dataclass(frozen=True)
class Parity:
    """Largest absolute differences of ``rgb`` (in [-1, 1] units) and ``alpha`` between two
    runs on a (``batch``, 8, H, W) input of ``size`` (H, W)."""

    size: tuple[int, int]
    batch: int
    rgb: float
    alpha: float

    @property
    def worst(self) -> float:
        """The larger of the two; NaN/inf when an output is not finite."""
        return max(self.rgb, self.alpha)

    def within(self, tolerance: float) -> bool:
        return bool(np.isfinite(self.worst) and self.worst < tolerance)

    def describe(self) -> str:
        height, width = self.size
        return f"max |diff| at {self.batch}x8x{height}x{width}: rgb {self.rgb:.2e}, " \
               f"alpha {self.alpha:.2e}"


def parity_inputs(size: tuple[int, int], batch: int = 2, seed: int = 0) -> np.ndarray:
    """(batch, 8, H, W) float32 per the contract: coarse and agnostic RGB uniform in [-1, 1],
    a binary repaint mask (a random rectangle), a soft item mask in [0, 1] inside it."""
    rng = np.random.default_rng(seed)
    height, width = size
    inputs = np.empty((batch, 8, height, width), np.float32)
    inputs[:, :6] = rng.uniform(-1, 1, (batch, 6, height, width))
    for i in range(batch):
        y0, x0 = rng.integers(0, height // 2), rng.integers(0, width // 2)
        y1 = rng.integers(y0 + height // 4, height + 1)
        x1 = rng.integers(x0 + width // 4, width + 1)
        repaint = np.zeros((height, width), np.float32)
        repaint[y0:y1, x0:x1] = 1
        inputs[i, 6] = repaint
        inputs[i, 7] = repaint * rng.uniform(0, 1, (height, width))
    return inputs


def torch_parity(generator: nn.Module, model_path: str | Path, size: tuple[int, int],
                 batch: int = 2, seed: int = 0) -> Parity:
    """``model_path`` in ONNX Runtime vs the float32 ``generator`` in PyTorch."""
    inputs = parity_inputs(size, batch, seed)
    with torch.no_grad():
        rgb, alpha = generator.eval()(torch.from_numpy(inputs))
    got_rgb, got_alpha = _run(model_path, inputs)
    return _parity(size, batch, (rgb.numpy(), alpha.numpy()), (got_rgb, got_alpha))


def session_parity(reference: str | Path, other: str | Path, size: tuple[int, int],
                   batch: int = 1, seed: int = 0) -> Parity:
    """Two exported files (e.g. ``.onnx`` and ``.ort``) in ONNX Runtime on the same input."""
    inputs = parity_inputs(size, batch, seed)
    return _parity(size, batch, _run(reference, inputs), _run(other, inputs))


def _run(model_path: str | Path, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(str(model_path), sess_options=options,
                                   providers=["CPUExecutionProvider"])
    rgb, alpha = session.run(["rgb", "alpha"], {INPUT_NAME: inputs})
    return rgb, alpha


def _parity(size: tuple[int, int], batch: int, expected: tuple[np.ndarray, np.ndarray],
            got: tuple[np.ndarray, np.ndarray]) -> Parity:
    diffs = []
    for want, have in zip(expected, got, strict=True):
        if want.shape != have.shape:
            raise ValueError(f"output shape {have.shape} differs from {want.shape}")
        diff = np.abs(want.astype(np.float64) - have.astype(np.float64))
        diffs.append(float(diff.max()) if np.isfinite(diff).all() else float("inf"))
    return Parity(size=size, batch=batch, rgb=diffs[0], alpha=diffs[1])
