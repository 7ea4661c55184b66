"""Materials baseline, measured: ``python scripts/material_eval.py [--data ../shared/data]
[--parts main|all] [--swatches DIR] [--json OUT.json]``.

Products: 6 held-out Myntra shoes (every 10th sorted photo is held out, as for the colourway
GAN; 6 of those 88, evenly spaced) and 3 in-shop garments of ``garments/idm``. Swatches:
96 × 96 px cut (:func:`tryon.tools.material_eval.cut_swatch`) from the main region of OTHER
catalog photos — four MIT openvto garments (leather, denim, knit, a print) and two
``garments/idm`` tops none of the products is. Every swatch goes onto every product
(``--parts main``, seed 0) and the table of :func:`~tryon.tools.material_eval.format_table`
is printed, then medians per product set. ``--swatches DIR`` also writes the swatches there
(PNG) to look at.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tryon.tools.material_eval import cut_swatch, evaluate_materials, format_table  # noqa: E402

HOLD_OUT_EVERY = 10  # as training.catalog_models.split (not imported: it needs PyTorch)
MYNTRA_SHOES = 6
IDM_GARMENTS = ("04469_00.jpg", "09236_00.jpg", "09266_00.jpg")
SWATCH_SOURCES = (("leather (openvto jackets/4)", "openvto/clothes/jackets/4_front.jpg"),
                  ("denim (openvto pants/1)", "openvto/clothes/pants/1_front.jpg"),
                  ("knit (openvto jackets/3)", "openvto/clothes/jackets/3_front.jpg"),
                  ("print (openvto shirts/2)", "openvto/clothes/shirts/2_front.jpg"),
                  ("leopard (idm 09256)", "garments/idm/09256_00.jpg"),
                  ("chain print (idm 09263)", "garments/idm/09263_00.jpg"))


def products(data: Path) -> list[tuple[str, Path, str]]:
    """(name, photo, kind): the held-out Myntra shoes and the idm garments."""
    shoes = sorted((data / "shoes" / "myntra").glob("*.jpg"))[::HOLD_OUT_EVERY]
    step = max(1, len(shoes) // MYNTRA_SHOES)
    chosen = [("myntra " + p.stem, p, "shoes") for p in shoes[::step][:MYNTRA_SHOES]]
    chosen += [("idm " + name[:5], data / "garments" / "idm" / name, "auto")
               for name in IDM_GARMENTS]
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--parts", default="main", choices=("main", "all"))
    parser.add_argument("--swatches", help="write the swatches here (PNG)")
    parser.add_argument("--json", help="write the rows here (JSON)")
    args = parser.parse_args(argv)
    data = Path(args.data)
    swatches = []
    for name, source in SWATCH_SOURCES:
        picture, inside = cut_swatch(data / source)
        swatches.append((name, picture))
        print(f"swatch {name}: {inside:.0%} inside the source's main region")
        if args.swatches:
            Path(args.swatches).mkdir(parents=True, exist_ok=True)
            Image.fromarray(picture).save(Path(args.swatches) / (name.split()[0] + ".png"))
    rows = evaluate_materials(products(data), swatches, parts=args.parts)
    print(format_table(rows))
    print()
    print("| products | pairs | refused | \\|ΔL mean\\| | \\|Δa\\*\\| | \\|Δb\\*\\| | "
          "ΔE2000 of means | fine texture out / swatch | shading corr | kept change (max) |")
    print("|" + "---|" * 10)
    for label in ("myntra", "idm"):
        group = [r for r in rows if r.product.startswith(label)]
        done = [r.figures for r in group if r.figures is not None]  # not refused
        if not done:
            continue

        def med(values: list[float]) -> float:
            return float(np.median(values))

        gaps = np.abs(np.array([f.region_mean for f in done]) -
                      np.array([f.swatch_mean for f in done]))
        kept = max(f.kept_change for f in done)
        print(f"| {label} | {len(group)} | {len(group) - len(done)} | "
              f"{med(gaps[:, 0]):.2f} | {med(gaps[:, 1]):.2f} | {med(gaps[:, 2]):.2f} | "
              f"{med([f.delta_e for f in done]):.2f} | "
              f"{med([f.texture_ratio for f in done]):.2f} | "
              f"{med([f.shading_corr for f in done if not math.isnan(f.shading_corr)]):.2f} "
              f"| {kept:.3f} |")
    if args.json:
        Path(args.json).write_text(json.dumps([r.as_dict() for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
