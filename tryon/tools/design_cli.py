"""``tryon design --sketch SKETCH --colour HEX --out OUT.png``: a line drawing of a shoe
turned into a product photo (issue 14, see ``docs/design.md``) by ``models/sketch.onnx``.

Writes one RGBA PNG (``--out``) that ``tryon run --item OUT.png --kind shoes`` accepts; an
existing ``--out`` is replaced only with ``--overwrite``. Bad input ends as one
``error: <code>: <message>`` line (the caller, :mod:`tryon.tools.cli`, prints it):
``bad_argument`` for a bad colour or ``--out``, ``bad_image`` for a file that is not a
picture, ``bad_item`` for a drawing without strokes.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from tryon.tools.variant_cli import add_colour_option, add_out_options, check_png_out

__all__ = ["add_design_command", "run_design"]


def add_design_command(sub: argparse._SubParsersAction) -> None:
    """Add ``design`` to ``tryon``'s sub-parsers."""
    design = sub.add_parser("design", help="a shoe sketch turned into a product photo (RGBA "
                            "PNG that tryon run accepts)")
    design.add_argument("--sketch", required=True, help="the drawing: any picture, dark "
                        "strokes on light paper or light on dark, a side view of one shoe")
    add_colour_option(design, "the shoe's main colour")
    add_out_options(design, "the product photo")
    design.add_argument("--model", help="sketch model (.onnx; default: models/sketch.onnx)")
    design.add_argument("--json", action="store_true", help="print one JSON object")


def run_design(args: argparse.Namespace) -> int:
    """Run ``tryon design`` with parsed ``args``."""
    from tryon.imaging.imageio import save_png
    from tryon.studio.colour import parse_colour
    from tryon.studio.design import make_design

    colour = parse_colour(args.colour)  # a bad colour fails before any work
    out = Path(args.out)
    check_png_out(out, Path(args.sketch), args.overwrite, "a design", "the sketch itself")
    start = time.perf_counter()
    design = make_design(args.sketch, colour, args.model)
    save_png(out, design.rgba)
    elapsed = (time.perf_counter() - start) * 1000.0
    hex_colour = "#{:02x}{:02x}{:02x}".format(*colour)
    if args.json:
        print(json.dumps({"out": str(out), "colour": hex_colour,
                          "delta_e": round(design.delta_e, 3),
                          "delta_e_model": round(design.delta_e_model, 3),
                          "main_share": round(design.main_share, 3),
                          "size": list(design.rgba.shape[:2]), "ms": round(elapsed, 1)}))
    else:
        print(f"wrote {out} ({hex_colour}; ΔE2000 {design.delta_e:.2f} after correction, "
              f"{design.delta_e_model:.2f} from the model; {elapsed:.0f} ms)")
    return 0
