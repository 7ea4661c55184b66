"""The colourway GAN to ONNX: ``python -m export.colourway --checkpoint CKPT --out
models/colourway.onnx``.

fp32, opset :data:`export.onnx_export.OPSET`, input ``inputs`` (N, C, H, W) and output ``rgb``
(N, 3, H, W) with dynamic N, H, W (multiples of the stride), metadata: the contract
(:func:`tryon.studio.colourway.metadata`: channel list, normalisation, size) and the model's
facts (licence, training data, steps). Checked by ``onnx.checker`` and against PyTorch in
ONNX Runtime (CPU) on seeded inputs shaped like real ones (:func:`parity`); the steps are
:mod:`export.studio_models`'s.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from export import studio_models
from export.studio_models import TOLERANCE, export_main, studio_metadata, write_onnx
from training.colourway import ColourwayGenerator, load_generator
from tryon.studio import colourway as cw

__all__ = ["TOLERANCE", "export_colourway", "main", "parity"]


def export_colourway(checkpoint: str | Path, out: str | Path) -> dict[str, str]:
    """Write the checkpoint's EMA generator to ``out``; returns the metadata written."""
    generator, state = load_generator(checkpoint)
    meta = studio_metadata(cw.metadata(), "tryon colourway GAN", state)
    write_onnx(generator, torch.zeros(1, cw.IN_CHANNELS, *cw.SIZE), out, input_name=cw.INPUT,
               output_names=[cw.OUTPUT], meta=meta,
               doc=f"tryon colourway GAN: inputs (N,{cw.IN_CHANNELS},H,W) -> rgb "
                   "(N,3,H,W) in [-1,1]; see metadata_props")
    return meta


def parity_inputs(batch: int = 2, seed: int = 0) -> np.ndarray:
    """(batch, C, H, W) float32 like real inputs: a random blob as the region, noise as its
    structure, random kept pixels and target colour."""
    rng = np.random.default_rng(seed)
    height, width = cw.SIZE
    yy, xx = np.mgrid[:height, :width] / np.array([height, width])[:, None, None]
    planes = []
    for _ in range(batch):
        cy, cx, r = rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7), rng.uniform(0.15, 0.35)
        main = (np.hypot(yy - cy, xx - cx) < r).astype(np.float32)
        product = np.clip(main + (np.hypot(yy - cy, xx - cx) < r * 1.3), 0, 1)
        rgb = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
        lab = np.array([rng.uniform(5, 95), rng.uniform(-60, 60), rng.uniform(-60, 60)])
        planes.append(cw.assemble_inputs(rgb, product.astype(np.float32), main, lab))
    return np.stack(planes).astype(np.float32)


def parity(generator: ColourwayGenerator, model_path: str | Path) -> float:
    """Largest |ONNX Runtime − PyTorch| of ``rgb`` on :func:`parity_inputs`."""
    return studio_models.parity(generator, model_path, parity_inputs(), input_name=cw.INPUT,
                                output_names=[cw.OUTPUT])


def main(argv: Sequence[str] | None = None) -> int:
    return export_main(argv, prog="python -m export.colourway",
                       description=__doc__.splitlines()[0], what="colourway",
                       export=export_colourway,
                       check=lambda checkpoint, out: parity(load_generator(checkpoint)[0], out))


if __name__ == "__main__":
    sys.exit(main())
