"""``tryon variant``: a product photo in another colour (issue 14, see ``docs/studio.md``):
the colourway GAN (``--method gan``, the default when ``models/colourway.onnx`` exists) or
the Lab recolouring baseline (``--method lab``); or, with ``--material SWATCH`` instead of
``--colour``, in the material of a swatch photo (``docs/materials.md``).

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

__all__ = ["add_colour_option", "add_out_options", "add_variant_command", "check_png_out",
           "run_material", "run_variant"]

MS = 1000.0


def add_variant_command(sub: argparse._SubParsersAction) -> None:
    """Add ``variant`` to ``tryon``'s sub-parsers."""
    from tryon.studio.variant import METHOD_CHOICES, PARTS_CHOICES

    variant = sub.add_parser("variant", help="the item in another colour (colourway GAN or "
                             "Lab recolouring) or material (--material), as an RGBA PNG that "
                             "tryon run accepts")
    variant.add_argument("--item", required=True, help="product photo (alpha or plain "
                         "background)")
    add_colour_option(variant, "target colour (or give --material)", required=False)
    variant.add_argument("--material", help="a photo of a material (leather, denim, knit, a "
                         "print ...) filling the frame, at least 32 px a side: the main region "
                         "is made of it, shading kept (instead of --colour)")
    variant.add_argument("--seed", type=int, default=0, help="--material: the texture's "
                         "random seed (default: %(default)s)")
    variant.add_argument("--parts", default="main", choices=PARTS_CHOICES,
                         help="main: the main colour region (soles, laces, logos kept); "
                         "all: the whole product (default: %(default)s)")
    variant.add_argument("--kind", default="auto", choices=KIND_CHOICES,
                         help="the item's kind; shoes keep a neutral sole (default: "
                         "%(default)s, the catalog classifier decides)")
    variant.add_argument("--method", default="auto", choices=METHOD_CHOICES,
                         help="--colour only. gan: the colourway GAN (models/colourway.onnx); "
                         "lab: the Lab recolouring baseline; auto: gan when the model file "
                         "exists, else lab (default: %(default)s)")
    add_out_options(variant, "the variant")
    variant.add_argument("--json", action="store_true", help="print one JSON object")


def run_variant(args: argparse.Namespace) -> int:
    """Run ``tryon variant`` with parsed ``args``."""
    from tryon.imaging.imageio import save_png
    from tryon.studio.colour import parse_colour
    from tryon.studio.variant import make_variant, resolve_method

    if (args.colour is None) == (args.material is None):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "--colour and --material are mutually "
                         "exclusive: give one of them" if args.colour is not None else
                         "give --colour #rrggbb (a colourway) or --material SWATCH (a "
                         "material)")
    if args.material is not None:
        return run_material(args)
    colour = parse_colour(args.colour)  # a bad colour fails before any work
    out = Path(args.out)
    check_png_out(out, Path(args.item), args.overwrite, "a variant", "the item photo")
    method = resolve_method(args.method)
    if args.method == "auto" and method == "lab" and not args.json:
        print("note: no colourway model (models/colourway.onnx); using the Lab baseline")
    start = time.perf_counter()
    variant = make_variant(args.item, colour, parts=args.parts, kind=args.kind, method=method)
    save_png(out, variant.rgba)
    figures = variant.figures
    report = {"out": str(out), "method": variant.method, "parts": args.parts,
              "kind": variant.kind,
              "colour": "#{:02x}{:02x}{:02x}".format(*colour),
              "delta_e": round(figures.delta_e, 3),
              "contrast_kept": round(figures.contrast_kept, 3),
              "kept_change": round(figures.kept_change, 3),
              "main_share": round(figures.main_share, 3),
              "ms": round((time.perf_counter() - start) * MS, 1)}
    if args.json:
        print(json.dumps(report))
    else:
        print(f"wrote {out} ({variant.method}; ΔE2000 {figures.delta_e:.2f}, shading contrast kept "
              f"{figures.contrast_kept:.2f}, {figures.main_share:.0%} of the product "
              f"recoloured, {report['ms']:.0f} ms)")
    return 0


def run_material(args: argparse.Namespace) -> int:
    """``tryon variant --material SWATCH``: the item made of the swatch's material."""
    from tryon.imaging.imageio import save_png
    from tryon.studio.material import make_material_variant

    if args.method != "auto":
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--method {args.method} is for --colour; "
                         "a material has one method (texture transfer)")
    if args.seed < 0:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--seed must be >= 0, got {args.seed}")
    out = Path(args.out)
    check_png_out(out, Path(args.item), args.overwrite, "a variant", "the item photo")
    check_png_out(out, Path(args.material), args.overwrite, "a variant", "the swatch photo")
    start = time.perf_counter()
    variant = make_material_variant(args.item, args.material, parts=args.parts,
                                    kind=args.kind, seed=args.seed)
    save_png(out, variant.rgba)
    fig = variant.figures
    ms = round((time.perf_counter() - start) * MS, 1)
    report = {"out": str(out), "material": str(args.material), "parts": args.parts,
              "kind": variant.kind, "seed": variant.seed, "scale": round(variant.scale, 3),
              "patch": variant.patch, "shading_gain": round(variant.shading_gain, 3),
              "region_lab_mean": _rounded(fig.region_mean),
              "swatch_lab_mean": _rounded(fig.swatch_mean),
              "region_lab_std": _rounded(fig.region_std),
              "swatch_lab_std": _rounded(fig.swatch_std),
              "delta_e": _rounded(fig.delta_e), "texture_hf": _rounded(fig.texture_hf),
              "swatch_hf": _rounded(fig.swatch_hf), "product_hf": _rounded(fig.product_hf),
              "texture_ratio": _rounded(fig.texture_ratio),
              "shading_corr": _rounded(fig.shading_corr),
              "kept_change": _rounded(fig.kept_change), "main_share": _rounded(fig.main_share),
              "ms": ms}
    if args.json:
        print(json.dumps(report))
    else:
        print(f"wrote {out} (material of {args.material}; ΔE2000 to the swatch's mean colour "
              f"{fig.delta_e:.2f}, fine texture {fig.texture_ratio:.2f}× the swatch's, shading "
              f"correlation {fig.shading_corr:.2f}, {fig.main_share:.0%} of the product "
              f"changed, {ms:.0f} ms)")
    return 0


def _rounded(value: float | tuple[float, ...]) -> float | list[float | None] | None:
    """JSON-ready: rounded to 3 decimals; NaN (nothing measured) as null."""
    if isinstance(value, tuple):
        return [None if x != x else round(float(x), 3) for x in value]
    return None if value != value else round(float(value), 3)


# -- shared with ``tryon design`` (:mod:`tryon.tools.design_cli`) ---------------------------
def add_colour_option(parser: argparse.ArgumentParser, what: str,
                      required: bool = True) -> None:
    """``--colour``/``--color`` #rrggbb (required unless ``required`` is False); ``what``
    starts its help."""
    parser.add_argument("--colour", "--color", dest="colour", required=required,
                        help=f"{what} as #rrggbb, e.g. '#7b1e2b'")


def add_out_options(parser: argparse.ArgumentParser, what: str) -> None:
    """``--out`` (the .png to write ``what`` to, required) and ``--overwrite``."""
    parser.add_argument("--out", required=True, help=f"where to write {what} (.png)")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace --out when it exists (else the command refuses)")


def check_png_out(out: Path, source: Path, overwrite: bool, what: str, source_name: str
                  ) -> None:
    """``--out`` is a writable .png path that is not ``source`` (called ``source_name`` in
    the message) and, unless ``overwrite``, does not exist; else ``bad_argument``. ``what``:
    the result, as the message names it."""
    if out.suffix.lower() != ".png":
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out}: {what} keeps its "
                         "transparency, so it is written as .png")
    if out.is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} is a folder, not a file")
    if os.path.lexists(source) and (out.resolve() == source.resolve()
                                    or (out.exists() and out.samefile(source))):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} is {source_name}; choose "
                         "another name")
    if os.path.lexists(out) and not overwrite:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} already exists; choose another "
                         "name or pass --overwrite to replace it")
    parent = out.parent
    if not parent.is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"output folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} is not writable")
