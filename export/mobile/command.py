"""The ``--mobile OUT_DIR`` part of ``tryon-export`` (:mod:`export.cli`)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from tryon.errors import ErrorCode, TryOnError

__all__ = ["add_mobile_arguments", "mobile_command"]


def add_mobile_arguments(parser: argparse.ArgumentParser) -> None:
    """``--mobile OUT_DIR`` and its options."""
    from export.mobile.build import CALIBRATION_SCENES

    parser.add_argument("--mobile", metavar="OUT_DIR",
                        help="instead: write the mobile handoff package (fixed-shape fp32/fp16/"
                        "int8 variants, ORT files, usability reports, manifest.json, golden "
                        "vectors; see docs/mobile.md)")
    parser.add_argument("--model", help="with --mobile: the try-on generator (default: "
                        "models/generator.onnx)")
    parser.add_argument("--sizes", default=None, help="with --mobile: generator input sizes, "
                        "e.g. 256x192,512x384 (the default)")
    parser.add_argument("--precisions", default=None, help="with --mobile: e.g. fp32,int8 "
                        "(default: fp32,fp16,int8; fp32 is always written)")
    parser.add_argument("--calibration", type=int, default=CALIBRATION_SCENES,
                        help="with --mobile: real scenes for int8 calibration (default: "
                        "%(default)s)")
    parser.add_argument("--no-catalog", action="store_true",
                        help="with --mobile: leave the catalog model out")


def mobile_command(args: argparse.Namespace) -> int:
    """``tryon-export --mobile OUT_DIR``: build the package, then check it."""
    from export.check_mobile import check_package
    from export.mobile.build import PRECISIONS, MobileOptions, build_package

    out = Path(args.mobile)
    if args.checkpoint or args.out or args.catalog or args.fp16 or args.ort:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "--mobile takes no --checkpoint, --out, "
                         "--catalog, --fp16 or --ort")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--mobile {out} must be a new or empty folder")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"output folder {parent} is missing or not "
                         "writable")
    defaults = MobileOptions()
    model = Path(args.model) if args.model else defaults.generator
    if not model.is_file():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--model {model} does not exist")
    precisions = tuple(args.precisions.split(",")) if args.precisions else PRECISIONS
    if any(p not in PRECISIONS for p in precisions):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "--precisions takes " + ",".join(PRECISIONS))
    if args.calibration < 1:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "--calibration must be at least 1")
    options = MobileOptions(generator=model, catalog=None if args.no_catalog else
                            defaults.catalog, sizes=_sizes(args.sizes) if args.sizes else
                            defaults.sizes, precisions=precisions, calibration=args.calibration)
    try:
        build_package(out, options)
    except FileNotFoundError as exc:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{exc} (the calibration photos)") from None
    lines, failures = check_package(out)
    for line in lines:
        print(line)
    if failures:
        raise TryOnError(ErrorCode.EXPORT_FAILED, "; ".join(failures))
    return 0


def _sizes(text: str) -> tuple[tuple[int, int], ...]:
    from tryon.generator.contract import STRIDE

    sizes = []
    for part in text.split(","):
        try:
            height, width = (int(v) for v in part.lower().split("x"))
        except ValueError:
            raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--sizes: {part!r} is not HxW") from None
        if height <= 0 or width <= 0 or height % STRIDE or width % STRIDE:
            raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--sizes: {part} is not a positive "
                             f"multiple of {STRIDE}")
        sizes.append((height, width))
    return tuple(sizes)
