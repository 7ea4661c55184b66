"""The sampled-designs GAN to ONNX: ``python -m export.samples --checkpoint CKPT --out
models/samples.onnx [--slim checkpoints/samples-slim.pt] [--catalog DIR --novelty OUT.npz]``.

fp32, opset :data:`export.onnx_export.OPSET`, input ``latent`` (N, LATENT), outputs ``rgb``
(N, 3, S, S) and ``alpha`` (N, 1, S, S), dynamic N; metadata: the contract
(:func:`tryon.studio.samples.metadata`: latent size, output size, channel order,
normalisation) and the model's facts (licence, training data, steps, held-out rule). Checked
by ``onnx.checker`` and against PyTorch in ONNX Runtime (CPU) on seeded latents
(:func:`parity`). ``--slim`` also writes the fp16 checkpoint training can go on from
(:func:`training.trainer.slim_checkpoint`). ``--catalog DIR --novelty OUT.npz`` also writes
the novelty reference of the catalog photos in ``DIR`` (:func:`tryon.studio.novelty.
build_reference`: their catalog-model embeddings and nearest-neighbour distances), which
``tryon design --samples`` compares every sample with. The steps are
:mod:`export.studio_models`'s.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import torch

from export import studio_models
from export.studio_models import TOLERANCE, export_main, studio_metadata, write_onnx
from training.samples import SamplesGenerator, load_generator
from tryon.studio import samples as sm

__all__ = ["TOLERANCE", "export_samples", "main", "parity"]

_BATCH = {0: "batch"}


def samples_metadata(state: dict) -> dict[str, str]:
    """The contract's metadata and the checkpoint's facts."""
    return studio_metadata(sm.metadata(), "tryon sampled-designs", state)


def export_samples(checkpoint: str | Path, out: str | Path) -> dict[str, str]:
    """Write the checkpoint's EMA generator to ``out``; returns the metadata written."""
    generator, state = load_generator(checkpoint)
    meta = samples_metadata(state)
    write_onnx(generator, torch.zeros(1, sm.LATENT), out, input_name=sm.INPUT,
               output_names=list(sm.OUTPUTS), meta=meta,
               doc=f"tryon sampled-designs: latent (N,{sm.LATENT}) -> rgb (N,3,{sm.SIZE[0]},"
                   f"{sm.SIZE[1]}) in [-1,1], alpha (N,1,{sm.SIZE[0]},{sm.SIZE[1]}); see "
                   "metadata_props",
               dynamic_axes={name: _BATCH for name in (sm.INPUT, *sm.OUTPUTS)})
    return meta


def parity(generator: SamplesGenerator, model_path: str | Path) -> float:
    """Largest |ONNX Runtime − PyTorch| over both outputs on 5 seeded latents."""
    return studio_models.parity(generator, model_path, sm.latents(5, 0), input_name=sm.INPUT,
                                output_names=list(sm.OUTPUTS))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    catalog = novelty = None
    for flag in ("--catalog", "--novelty"):
        if flag in args:
            at = args.index(flag)
            if at + 1 >= len(args):
                print(f"error: bad_argument: {flag} needs a value", file=sys.stderr)
                return 2
            value = args[at + 1]
            del args[at:at + 2]
            catalog, novelty = (value, novelty) if flag == "--catalog" else (catalog, value)
    if (catalog is None) != (novelty is None):
        print("error: bad_argument: give --catalog DIR and --novelty OUT.npz together",
              file=sys.stderr)
        return 2
    code = export_main(args, prog="python -m export.samples",
                       description=__doc__.splitlines()[0], what="samples",
                       export=export_samples,
                       check=lambda checkpoint, out: parity(load_generator(checkpoint)[0], out),
                       slim=True)
    if code == 0 and catalog is not None:
        from tryon.studio.novelty import build_reference

        reference = build_reference(Path(catalog), progress=True)
        reference.save(Path(novelty))
        print(f"wrote {novelty} ({len(reference)} catalog photos, nearest-neighbour distance "
              f"median {reference.median:.4f})")
    return code


if __name__ == "__main__":
    sys.exit(main())
