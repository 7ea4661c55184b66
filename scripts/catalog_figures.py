"""Figures and numbers of docs/catalog.md.

    python scripts/catalog_figures.py --data ../shared/data --docs docs [--work /tmp/catfig]

1. The MIT/BSD catalog (openvto clothes, Saleor shoes: the only photos that may be shown in
   the repository): ``tryon index``, ``tryon trends`` with made-up dates (shoes added more
   each month, to show the trend view), ``tryon similar`` for three queries; the pictures go
   to ``docs/catalog-*.png``.
2. Every product photo of ``../shared/data`` (numbers only, no pictures): cluster quality
   against the true kinds and colour families, printed as JSON.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import time
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw
from sklearn.metrics import adjusted_rand_score

from tryon.catalog.classifier import default_models
from tryon.catalog.clusters import K_RANGE, cluster_index, purity
from tryon.catalog.index import update_index
from tryon.catalog.model import describe_item
from tryon.catalog.similar import nearest
from tryon.imaging.decode import decode_image
from tryon.tools.cli import main as tryon

THUMB = 128
LABEL_HEIGHT = 18
NEIGHBOURS = 5
MONTHS = 6
MYNTRA_EVERY = 8


def _mit_catalog(data: Path, folder: Path) -> None:
    folder.mkdir(parents=True)
    for sub in ("jackets", "pants", "shirts"):
        for path in sorted((data / "openvto/clothes" / sub).glob("*.jpg")):
            shutil.copyfile(path, folder / f"{sub}-{path.name}")
    for path in sorted((data / "shoes/saleor").glob("*.png")):
        shutil.copyfile(path, folder / path.name)


def _dates(folder: Path, out: Path) -> None:
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "date"])
        for month in range(1, MONTHS + 1):
            for path in sorted(folder.iterdir()):
                repeats = month if path.suffix == ".png" else MONTHS + 1 - month // 2
                writer.writerows([[path.name, f"2026-{month:02d}-10"]] * repeats)


def _thumb(path: Path, caption: str) -> Image.Image:
    image = decode_image(path)
    picture = Image.fromarray(image.rgb)
    if image.alpha is not None:
        picture = Image.composite(picture, Image.new("RGB", picture.size, "white"),
                                  Image.fromarray(image.alpha))
    picture.thumbnail((THUMB, THUMB))
    box = Image.new("RGB", (THUMB, THUMB + LABEL_HEIGHT), "white")
    box.paste(picture, ((THUMB - picture.width) // 2, (THUMB - picture.height) // 2))
    ImageDraw.Draw(box).text((4, THUMB + 3), caption, fill="black")
    return box


def _similar_sheet(folder: Path, queries: list[str], out: Path) -> list[dict]:
    index, _ = update_index(folder)
    embedder, _ = default_models()
    rows, found = [], []
    for name in queries:
        image = decode_image(folder / name)
        start = time.perf_counter()
        features = describe_item(embedder, image.rgb, image.alpha)
        hits = nearest(index, features.embedding, NEIGHBOURS + 1)
        found.append({"query": name, "ms": round((time.perf_counter() - start) * 1e3, 1),
                      "neighbours": [[h.path, round(h.score, 3)] for h in hits]})
        rows.append([_thumb(folder / name, f"query: {name[:14]}")]
                    + [_thumb(folder / h.path, f"{h.score:.2f} {h.path[:11]}")
                       for h in hits[1:]])
    sheet = Image.new("RGB", (len(rows[0]) * THUMB, len(rows) * (THUMB + LABEL_HEIGHT)),
                      "white")
    for r, row in enumerate(rows):
        for c, tile in enumerate(row):
            sheet.paste(tile, (c * THUMB, r * (THUMB + LABEL_HEIGHT)))
    sheet.save(out)
    return found


def _members_sheet(report: Path, clusters: list[dict], out: Path) -> None:
    grids = [Image.open(report / f"cluster-{c['number']}.jpg") for c in clusters]
    width = max(g.width for g in grids)
    sheet = Image.new("RGB", (width, sum(g.height + LABEL_HEIGHT for g in grids)), "white")
    draw, y = ImageDraw.Draw(sheet), 0
    for cluster, grid in zip(clusters, grids, strict=True):
        draw.text((4, y + 3), f"{cluster['number']}: {cluster['name']} ({cluster['size']})",
                  fill="black")
        sheet.paste(grid, (0, y + LABEL_HEIGHT))
        y += grid.height + LABEL_HEIGHT
    sheet.save(out)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--docs", required=True)
    parser.add_argument("--work", default="/tmp/catfig")
    args = parser.parse_args()
    data, docs, work = Path(args.data), Path(args.docs), Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    catalog = work / "catalog"
    _mit_catalog(data, catalog)
    _dates(catalog, work / "dates.csv")
    assert tryon(["index", "--catalog", str(catalog), "--out", str(work / "index.npz")]) == 0
    report = work / "report"
    assert tryon(["trends", "--catalog", str(catalog), "--index", str(work / "index.npz"),
                  "--dates", str(work / "dates.csv"), "--out", str(report)]) == 0
    summary = json.loads((report / "report.json").read_text())
    shutil.copyfile(report / "map.png", docs / "catalog-map.png")
    shutil.copyfile(report / "trends.png", docs / "catalog-trends.png")
    _members_sheet(report, summary["clusters"], docs / "catalog-clusters.png")
    similar = _similar_sheet(catalog, ["shirts-1_front.jpg", "pants-2_front.jpg",
                                       "saleor-blue-plimsolls-1.png"],
                             docs / "catalog-similar.png")
    print(json.dumps({"mit_catalog": {k: summary[k] for k in
                                      ("items", "k", "silhouette", "silhouettes", "purity",
                                       "ari")},
                      "clusters": [[c["name"], c["size"]] for c in summary["clusters"]],
                      "trends": summary["trends"], "similar": similar}, indent=1))
    print(json.dumps(_product_clusters(data, work), indent=1))
    return 0


def _product_clusters(data: Path, work: Path) -> dict:
    """Cluster quality on the product photos of ../shared/data (every
    :data:`MYNTRA_EVERY`-th Myntra shoe) against the true kinds and colour families (numbers
    only)."""
    from training.catalog_data import catalog_samples

    folder = work / "products"
    folder.mkdir()
    truth = {}
    myntra = 0
    for sample in catalog_samples(data):
        if sample.label == "none" or sample.name.startswith(("drawn/", "package/")):
            continue
        if sample.name.startswith("shoes/myntra/"):
            myntra += 1
            if myntra % MYNTRA_EVERY:
                continue  # 880 sneakers would swamp the garments
        name = sample.name.replace("/", "__")
        (folder / name).symlink_to(data / sample.name)
        truth[name] = sample.label
    index, _ = update_index(folder)
    kinds = np.array([truth[str(p)] for p in index.paths])
    out = {"products": len(index), "true_kinds": dict(Counter(kinds.tolist()))}
    for what, k_range in (("by_silhouette", K_RANGE), ("k_4", (4, 4))):
        clustering = cluster_index(index, default_models()[1], k_range)
        out[what] = {
            "k": clustering.k, "silhouette": round(clustering.silhouette, 3),
            "silhouettes": {k: round(v, 3) for k, v in clustering.silhouettes.items()},
            "purity_true_kind": round(purity(clustering.labels, kinds), 3),
            "ari_true_kind": round(float(adjusted_rand_score(kinds, clustering.labels)), 3),
            "purity_colour_family": round(clustering.purity["colour"], 3),
            "ari_colour_family": round(clustering.ari["colour"], 3),
            "classifier_agrees_with_truth": round(float((clustering.kinds == kinds).mean()),
                                                  3),
            "clusters": [[c.name, len(c.members)] for c in clustering.clusters]}
    return out


if __name__ == "__main__":
    raise SystemExit(main())
