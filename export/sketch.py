"""The sketch → product model to ONNX: ``python -m export.sketch --checkpoint CKPT --out
models/sketch.onnx [--slim checkpoints/sketch-slim.pt]``.

fp32, opset :data:`export.onnx_export.OPSET`, input ``inputs`` (N, 4, H, W), outputs ``rgb``
(N, 3, H, W) and ``alpha`` (N, 1, H, W), dynamic N, H, W (multiples of the stride); metadata:
the contract (:func:`tryon.studio.sketch.metadata`: channels, normalisation, size) and the
model's facts (licence, training data, steps, held-out rule). Checked by ``onnx.checker`` and
against PyTorch in ONNX Runtime (CPU) on drawn sketches with random colours (:func:`parity`).
``--slim`` also writes the fp16 checkpoint training can go on from
(:func:`training.trainer.slim_checkpoint`). The steps are :mod:`export.studio_models`'s.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import torch

from export import studio_models
from export.studio_models import TOLERANCE, export_main, studio_metadata, write_onnx
from training.sketch import SketchGenerator, load_generator
from tryon.studio import sketch as sk

__all__ = ["TOLERANCE", "export_sketch", "main", "parity"]


def sketch_metadata(state: dict) -> dict[str, str]:
    """The contract's metadata and the checkpoint's facts."""
    return studio_metadata(sk.metadata(), "tryon sketch-to-product", state)


def export_sketch(checkpoint: str | Path, out: str | Path) -> dict[str, str]:
    """Write the checkpoint's EMA generator to ``out``; returns the metadata written."""
    generator, state = load_generator(checkpoint)
    meta = sketch_metadata(state)
    write_onnx(generator, torch.zeros(1, sk.IN_CHANNELS, *sk.SIZE), out, input_name=sk.INPUT,
               output_names=list(sk.OUTPUTS), meta=meta,
               doc=f"tryon sketch-to-product: inputs (N,{sk.IN_CHANNELS},H,W) -> rgb "
                   "(N,3,H,W) in [-1,1], alpha (N,1,H,W); see metadata_props")
    return meta


def parity_batch(count: int = 3, seed: int = 0) -> np.ndarray:
    """(count, C, S, S) float32: random closed strokes and random Lab colours."""
    rng = np.random.default_rng(seed)
    size = sk.SIZE[0]
    batch = []
    for _ in range(count):
        ink = np.zeros((size, size), np.uint8)
        points = rng.uniform(10, size - 10, (8, 2)).astype(np.int32)
        cv2.polylines(ink, [points], True, 1, 2)
        lab = np.array([rng.uniform(5, 95), rng.uniform(-60, 60), rng.uniform(-60, 60)])
        batch.append(sk.assemble_inputs(ink.astype(np.float32), lab))
    return np.stack(batch).astype(np.float32)


def parity(generator: SketchGenerator, model_path: str | Path) -> float:
    """Largest |ONNX Runtime − PyTorch| over both outputs on :func:`parity_batch`."""
    return studio_models.parity(generator, model_path, parity_batch(), input_name=sk.INPUT,
                                output_names=list(sk.OUTPUTS))


def main(argv: Sequence[str] | None = None) -> int:
    return export_main(argv, prog="python -m export.sketch",
                       description=__doc__.splitlines()[0], what="sketch",
                       export=export_sketch,
                       check=lambda checkpoint, out: parity(load_generator(checkpoint)[0], out),
                       slim=True)


if __name__ == "__main__":
    sys.exit(main())
