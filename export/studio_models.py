"""What the exports of the Studio's GANs share (:mod:`export.colourway`, :mod:`export.sketch`).

Each model goes out as fp32 ONNX, opset :data:`export.onnx_export.OPSET`, with dynamic N, H,
W on its input and outputs, its contract's metadata plus the checkpoint's facts
(:func:`studio_metadata`), checked by ``onnx.checker`` (:func:`write_onnx`) and against
PyTorch in ONNX Runtime (CPU) on seeded inputs (:func:`parity`); :func:`export_main` is the
command line both modules run.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from torch import nn

from export.onnx_export import OPSET, _package_version, _quiet
from training.trainer import slim_checkpoint

__all__ = ["TOLERANCE", "export_main", "parity", "studio_metadata", "write_onnx"]

TOLERANCE = 1e-3
HELD_OUT = "every 10th photo of each training folder, sorted (training.colourway_data.split)"
_DYNAMIC = {0: "batch", 2: "height", 3: "width"}


def studio_metadata(contract: dict[str, str], model: str, state: dict) -> dict[str, str]:
    """The contract's metadata and the checkpoint's facts (licence, data, steps, config,
    held-out rule)."""
    config = ",".join(f"{key}={value}" for key, value in state["generator_config"].items())
    return {**contract, "model": model, "version": _package_version(),
            "licence": str(state.get("licence", "")), "training_data": str(state.get("data", "")),
            "step": str(state.get("step", 0)), "precision": "fp32", "generator_config": config,
            "held_out": HELD_OUT}


def write_onnx(generator: nn.Module, sample: torch.Tensor, out: str | Path, *, input_name: str,
               output_names: Sequence[str], meta: dict[str, str], doc: str,
               dynamic_axes: dict[str, dict[int, str]] | None = None) -> None:
    """Export ``generator`` traced on ``sample`` to ``out`` with ``meta`` as its metadata
    props, ``doc`` as its doc string and the step as its version; checked by
    ``onnx.checker``. ``dynamic_axes``: default dynamic N, H, W on every input and output."""
    if dynamic_axes is None:
        dynamic_axes = {name: _DYNAMIC for name in (input_name, *output_names)}
    stream = io.BytesIO()
    with _quiet():
        torch.onnx.export(generator, (sample,), stream, dynamo=False, opset_version=OPSET,
                          input_names=[input_name], output_names=list(output_names),
                          dynamic_axes=dynamic_axes,
                          do_constant_folding=True)
    proto = onnx.load_from_string(stream.getvalue())
    onnx.helper.set_model_props(proto, meta)
    proto.doc_string = doc
    proto.model_version = int(meta["step"])
    onnx.checker.check_model(proto, full_check=True)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    onnx.save_model(proto, str(out))


def parity(generator: nn.Module, model_path: str | Path, inputs: np.ndarray, *,
           input_name: str, output_names: Sequence[str]) -> float:
    """Largest |ONNX Runtime − PyTorch| over the outputs ``output_names`` on ``inputs``."""
    with torch.no_grad():
        outputs = generator.eval()(torch.from_numpy(inputs))
    expected = [outputs.numpy()] if isinstance(outputs, torch.Tensor) else [
        tensor.numpy() for tensor in outputs]
    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(str(model_path), sess_options=options,
                                   providers=["CPUExecutionProvider"])
    got = session.run(list(output_names), {input_name: inputs})
    return max(float(np.abs(g.astype(np.float64) - e).max())
               for g, e in zip(got, expected, strict=True))


def export_main(argv: Sequence[str] | None, *, prog: str, description: str, what: str,
                export: Callable[[str, str], dict[str, str]],
                check: Callable[[str, str], float], slim: bool = False) -> int:
    """``prog --checkpoint CKPT --out OUT [--slim SLIM]``: ``export(checkpoint, out)``, then
    ``check(checkpoint, out)`` (the parity) against :data:`TOLERANCE`; exit 2 on a missing
    checkpoint or a failed parity. ``slim``: offer ``--slim`` (the fp16 checkpoint training
    can go on from, :func:`training.trainer.slim_checkpoint`)."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--checkpoint", required=True, help=f"{what} checkpoint (.pt)")
    parser.add_argument("--out", required=True, help="ONNX file to write")
    if slim:
        parser.add_argument("--slim", help="also write the fp16 slim checkpoint here")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    if not Path(args.checkpoint).is_file():
        print(f"error: bad_argument: no checkpoint {args.checkpoint}", file=sys.stderr)
        return 2
    meta = export(args.checkpoint, args.out)
    worst = check(args.checkpoint, args.out)
    megabytes = Path(args.out).stat().st_size / 1e6
    print(f"wrote {args.out} ({megabytes:.2f} MB, step {meta['step']}); parity with PyTorch: "
          f"max |diff| {worst:.2e} (tolerance {TOLERANCE:g})")
    if getattr(args, "slim", None):
        written = slim_checkpoint(Path(args.checkpoint), Path(args.slim))
        print(f"wrote {written} ({written.stat().st_size / 1e6:.2f} MB, fp16)")
    if not worst < TOLERANCE:
        print("error: export_failed: parity check failed", file=sys.stderr)
        return 2
    return 0
