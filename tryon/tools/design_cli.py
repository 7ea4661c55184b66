"""``tryon design --sketch SKETCH --colour HEX --out OUT.png``: a line drawing of a shoe
turned into a product photo (issue 14, see ``docs/design.md``) by ``models/sketch.onnx``.
``tryon design --samples N --out DIR [--seed S] [--colour HEX]``: N new shoe designs sampled
from the sampled-designs GAN (``models/samples.onnx``), each with its nearest catalog photo
(novelty check: :mod:`tryon.studio.novelty`).

Writes RGBA PNGs that ``tryon run --item OUT.png --kind shoes`` accepts; an existing file
is replaced only with ``--overwrite`` (with ``--samples``, every file is checked before any
work). Bad input ends as one ``error: <code>: <message>`` line (the caller,
:mod:`tryon.tools.cli`, prints it): ``bad_argument`` for a bad colour, ``--out`` or
``--samples`` count, ``bad_image`` for a file that is not a picture, ``bad_item`` for a
drawing without strokes.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from tryon.errors import ErrorCode, TryOnError
from tryon.tools.variant_cli import add_colour_option, check_png_out

__all__ = ["add_design_command", "run_design", "run_samples", "sample_names"]


def add_design_command(sub: argparse._SubParsersAction) -> None:
    """Add ``design`` to ``tryon``'s sub-parsers."""
    design = sub.add_parser("design", help="a shoe sketch turned into a product photo (RGBA "
                            "PNG that tryon run accepts)")
    mode = design.add_mutually_exclusive_group(required=True)
    mode.add_argument("--sketch", help="the drawing: any picture, dark strokes on light paper "
                      "or light on dark, a side view of one shoe")
    mode.add_argument("--samples", type=int, metavar="N", help="sample N (1 to 64) new designs "
                      "from the sampled-designs GAN into the folder --out")
    add_colour_option(design, "the shoe's main colour (required with --sketch)",
                      required=False)
    design.add_argument("--out", required=True, help="where to write the product photo "
                        "(.png); with --samples a folder (created when missing)")
    design.add_argument("--overwrite", action="store_true",
                        help="replace files that exist (else the command refuses)")
    design.add_argument("--seed", type=int,
                        help="--samples: the latents' seed (default: 0)")
    design.add_argument("--catalog", help="--samples: the catalog to check novelty against: a "
                        "folder of photos or a reference .npz (default: "
                        "models/samples-catalog.npz, the training catalog)")
    design.add_argument("--model", help="sketch or samples model (.onnx; default: "
                        "models/sketch.onnx or models/samples.onnx)")
    design.add_argument("--json", action="store_true", help="print one JSON object")


def run_design(args: argparse.Namespace) -> int:
    """Run ``tryon design`` with parsed ``args``."""
    from tryon.imaging.imageio import save_png
    from tryon.studio.colour import parse_colour
    from tryon.studio.design import make_design

    if args.samples is not None:
        return run_samples(args)
    for name in ("seed", "catalog"):
        if getattr(args, name) is not None:
            raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--{name} goes with --samples")
    if args.colour is None:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "--colour is required with --sketch")
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


def sample_names(count: int, seed: int) -> list[str]:
    """The file names ``tryon design --samples`` writes: ``sample-s<seed>-<i>.png``."""
    return [f"sample-s{seed}-{index:03d}.png" for index in range(count)]


def _check_samples_out(out: Path, names: list[str], overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} is a file; with --samples it "
                         "is the folder the designs are written to")
    if not out.exists() and not out.parent.is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out}: its folder {out.parent} does "
                         "not exist")
    if out.is_dir() and not os.access(out, os.W_OK):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} is not writable")
    existing = [name for name in names if os.path.lexists(out / name)]
    if existing and not overwrite:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{out / existing[0]} already exists"
                         f"{f' (and {len(existing) - 1} more)' if len(existing) > 1 else ''}; "
                         "pass --overwrite to replace")
    if any((out / name).is_dir() for name in existing):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{out} holds a folder named like a design")


def run_samples(args: argparse.Namespace) -> int:
    """``tryon design --samples N --out DIR``: every check first, then the designs, then the
    novelty check (each design's nearest catalog photo), then the files."""
    from tryon.imaging.imageio import save_png
    from tryon.studio.colour import parse_colour
    from tryon.studio.novelty import (
        DEFAULT_REFERENCE,
        build_reference,
        embed_designs,
        load_reference,
    )
    from tryon.studio.sampling import MAX_SAMPLES, make_samples

    count = args.samples
    if not 1 <= count <= MAX_SAMPLES:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--samples {count}: give 1 to {MAX_SAMPLES}")
    seed = 0 if args.seed is None else args.seed
    if seed < 0:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--seed {seed}: give 0 or more")
    colour = None if args.colour is None else parse_colour(args.colour)
    out = Path(args.out)
    names = sample_names(count, seed)
    _check_samples_out(out, names, args.overwrite)
    catalog = Path(args.catalog) if args.catalog is not None else DEFAULT_REFERENCE
    if args.catalog is not None and not catalog.exists():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--catalog {catalog} does not exist")
    start = time.perf_counter()
    reference = build_reference(catalog) if catalog.is_dir() else load_reference(catalog)
    designs = make_samples(count, seed, colour, args.model)
    rows, distances = reference.closest(embed_designs([d.rgba for d in designs]))
    out.mkdir(exist_ok=True)
    results = []
    for name, design, row, distance in zip(names, designs, rows, distances, strict=True):
        save_png(out / name, design.rgba)
        results.append({"file": str(out / name), "latent_index": design.latent_index,
                        "nearest": str(reference.names[row]),
                        "distance": round(float(distance), 4),
                        "percentile": round(reference.percentile(float(distance)), 1)})
    elapsed = (time.perf_counter() - start) * 1000.0
    median = reference.median
    if args.json:
        print(json.dumps({"out": str(out), "seed": seed, "count": count,
                          "colour": args.colour and "#{:02x}{:02x}{:02x}".format(*colour),
                          "samples": results,
                          "reference": {"catalog": reference.root, "photos": len(reference),
                                        "median_nearest": round(median, 4),
                                        "min_nearest": round(float(reference.nearest.min()), 4)},
                          "ms": round(elapsed, 1)}))
    else:
        for result in results:
            print(f"wrote {result['file']}: nearest catalog photo {result['nearest']} at "
                  f"{result['distance']:.3f} ({result['percentile']:.0f}th percentile of the "
                  "catalog's own nearest-neighbour distances)")
        print(f"{count} designs in {elapsed / 1000:.1f} s; catalog photos' median distance "
              f"to their nearest neighbour: {median:.3f}")
    return 0
