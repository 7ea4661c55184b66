"""Exported file vs PyTorch on the same seeded random inputs (ONNX Runtime, CPU provider)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from torch import nn

from export.onnx_export import INPUT_NAME, OUTPUT_NAMES
from tryon.generator import contract
from tryon.generator.contract import IN_CHANNELS

__all__ = ["Parity", "parity_inputs", "torch_parity", "session_parity", "FP32_TOLERANCE",
           "FP16_TOLERANCE"]

FP32_TOLERANCE = 1e-3
FP16_TOLERANCE = 0.1  # fp16 is expected near 1e-2; beyond this the file is broken


@dataclass(frozen=True)
class Parity:
    """Largest absolute difference of each output (by name, in its own units) between two
    runs on a (``batch``, IN_CHANNELS, H, W) input of ``size`` (H, W)."""

    size: tuple[int, int]
    batch: int
    diffs: dict[str, float]

    @property
    def worst(self) -> float:
        """The largest difference; NaN/inf when an output is not finite."""
        return max(self.diffs.values())

    def within(self, tolerance: float) -> bool:
        return bool(np.isfinite(self.worst) and self.worst < tolerance)

    def describe(self) -> str:
        height, width = self.size
        figures = ", ".join(f"{name} {value:.2e}" for name, value in self.diffs.items())
        return f"max |diff| at {self.batch}x{IN_CHANNELS}x{height}x{width}: {figures}"


def parity_inputs(size: tuple[int, int], batch: int = 2, seed: int = 0) -> np.ndarray:
    """(batch, IN_CHANNELS, H, W) float32 per :mod:`tryon.generator.contract`: pictures uniform in
    [-1, 1], a binary region (a random rectangle), a hint and a soft garment mask inside it,
    random limbs in the pose planes."""
    rng = np.random.default_rng(seed)
    height, width = size
    inputs = rng.uniform(-1, 1, (batch, IN_CHANNELS, height, width)).astype(np.float32)
    for i in range(batch):
        y0, x0 = rng.integers(0, height // 2), rng.integers(0, width // 2)
        y1 = rng.integers(y0 + height // 4, height + 1)
        x1 = rng.integers(x0 + width // 4, width + 1)
        region = np.zeros((height, width), np.float32)
        region[y0:y1, x0:x1] = 1
        inputs[i, contract.REGION] = region
        inputs[i, contract.HINT] = region * (rng.uniform(0, 1, (height, width)) > 0.7)
        inputs[i, contract.GARMENT_MASK] = region * rng.uniform(0, 1, (height, width))
        inputs[i, contract.POSE] = rng.uniform(0, 1, (contract.POSE_CHANNELS, height, width)) > 0.8
    return inputs


def torch_parity(generator: nn.Module, model_path: str | Path, size: tuple[int, int],
                 batch: int = 2, seed: int = 0) -> Parity:
    """``model_path`` in ONNX Runtime vs the float32 ``generator`` in PyTorch."""
    inputs = parity_inputs(size, batch, seed)
    with torch.no_grad():
        expected = [t.numpy() for t in generator.eval()(torch.from_numpy(inputs))]
    return _parity(size, batch, expected, _run(model_path, inputs))


def session_parity(reference: str | Path, other: str | Path, size: tuple[int, int],
                   batch: int = 1, seed: int = 0) -> Parity:
    """Two exported files (e.g. ``.onnx`` and ``.ort``) in ONNX Runtime on the same input."""
    inputs = parity_inputs(size, batch, seed)
    return _parity(size, batch, _run(reference, inputs), _run(other, inputs))


def _run(model_path: str | Path, inputs: np.ndarray) -> list[np.ndarray]:
    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(str(model_path), sess_options=options,
                                   providers=["CPUExecutionProvider"])
    return session.run(list(OUTPUT_NAMES), {INPUT_NAME: inputs})


def _parity(size: tuple[int, int], batch: int, expected: list[np.ndarray],
            got: list[np.ndarray]) -> Parity:
    diffs = {}
    for name, want, have in zip(OUTPUT_NAMES, expected, got, strict=True):
        if want.shape != have.shape:
            raise ValueError(f"output {name} shape {have.shape} differs from {want.shape}")
        diff = np.abs(want.astype(np.float64) - have.astype(np.float64))
        diffs[name] = float(diff.max()) if np.isfinite(diff).all() else float("inf")
    return Parity(size=size, batch=batch, diffs=diffs)
