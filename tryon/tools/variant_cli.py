"""``tryon variant``: a product photo in another colour (the Lab baseline of issue 14, see
``docs/studio.md``).

Writes one RGBA PNG (``--out``) with the product's alpha, which ``tryon run`` accepts as an
item; an existing ``--out`` is replaced only with ``--overwrite``. Bad input ends as one
``error: <code>: <message>`` line (the caller, :mod:`tryon.tools.cli`, prints it).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from tryon.errors import ErrorCode, TryOnError
from tryon.kinds import KIND_CHOICES

__all__ = ["add_variant_command", "run_variant"]

MS = 1000.0


def add_variant_command(sub: argparse._SubParsersAction) -> None:
    """Add ``variant`` to ``tryon``'s sub-parsers."""
    from tryon.studio.variant import PARTS_CHOICES

    variant = sub.add_parser("variant", help="the item in another colour (Lab recolouring "
                             "baseline), as an RGBA PNG that tryon run accepts")
    variant.add_argument("--item", required=True, help="product photo (alpha or plain "
                         "background)")
    variant.add_argument("--colour", "--color", dest="colour", required=True,
                         help="target colour as #rrggbb, e.g. '#7b1e2b'")
    variant.add_argument("--parts", default="main", choices=PARTS_CHOICES,
                         help="main: the main colour region (soles, laces, logos kept); "
                         "all: the whole product (default: %(default)s)")
    variant.add_argument("--kind", default="auto", choices=KIND_CHOICES,
                         help="the item's kind; shoes keep a neutral sole (default: "
                         "%(default)s, the catalog classifier decides)")
    variant.add_argument("--out", required=True, help="where to write the variant (.png)")
    variant.add_argument("--overwrite", action="store_true",
                         help="replace --out when it exists (else the command refuses)")
    variant.add_argument("--json", action="store_true", help="print one JSON object")


def run_variant(args: argparse.Namespace) -> int:
    """Run ``tryon variant`` with parsed ``args``."""
    from tryon.imaging.imageio import save_png
    from tryon.studio.colour import parse_colour
    from tryon.studio.variant import make_variant

    colour = parse_colour(args.colour)  # a bad colour fails before any work
    out = Path(args.out)
    _check_out(out, Path(args.item), args.overwrite)
    start = time.perf_counter()
    variant = make_variant(args.item, colour, parts=args.parts, kind=args.kind)
    save_png(out, variant.rgba)
    figures = variant.figures
    report = {"out": str(out), "parts": args.parts, "kind": variant.kind,
              "colour": "#{:02x}{:02x}{:02x}".format(*colour),
              "delta_e": round(figures.delta_e, 3),
              "contrast_kept": round(figures.contrast_kept, 3),
              "kept_change": round(figures.kept_change, 3),
              "main_share": round(figures.main_share, 3),
              "ms": round((time.perf_counter() - start) * MS, 1)}
    if args.json:
        print(json.dumps(report))
    else:
        print(f"wrote {out} (ΔE2000 {figures.delta_e:.2f}, shading contrast kept "
              f"{figures.contrast_kept:.2f}, {figures.main_share:.0%} of the product "
              f"recoloured, {report['ms']:.0f} ms)")
    return 0


def _check_out(out: Path, item: Path, overwrite: bool) -> None:
    """``--out`` is a writable .png path that is not the item and, unless ``overwrite``,
    does not exist."""
    if out.suffix.lower() != ".png":
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out}: a variant keeps its "
                         "transparency, so it is written as .png")
    if out.is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} is a folder, not a file")
    if os.path.lexists(item) and out.resolve() == item.resolve():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} is the item photo; choose "
                         "another name")
    if os.path.lexists(out) and not overwrite:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} already exists; choose another "
                         "name or pass --overwrite to replace it")
    parent = out.parent
    if not parent.is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"output folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} is not writable")
