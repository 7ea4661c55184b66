"""The trends report: an HTML page with a 2-D cluster map, member grids and (with dates) the
clusters' shares over time, written only into the folder the user names.

Files: ``index.html``, ``map.png``, ``silhouette.png``, ``cluster-<n>.jpg`` (member grids),
``trends.png`` (with dates) and ``report.json`` (the figures, for programs).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from tryon.catalog.clusters import Clustering
from tryon.catalog.index import CatalogIndex
from tryon.catalog.trends import Trends
from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.decode import decode_image

__all__ = ["report_json", "write_report"]

THUMB = 112  # pixels: a member's thumbnail box
GRID_COLUMNS = 6
MEMBERS_SHOWN = 12
FIGURE_DPI = 110
MAP_SIZE = (7.0, 5.0)  # inches
TRENDS_SIZE = (8.0, 4.0)
SILHOUETTE_SIZE = (5.0, 3.0)
JPEG_QUALITY = 88
PALETTE = "tab20"


def _thumb(path: Path) -> Image.Image:
    box = Image.new("RGB", (THUMB, THUMB), "white")
    try:
        image = decode_image(path)
    except TryOnError:
        return box
    picture = Image.fromarray(image.rgb)
    if image.alpha is not None:
        picture = Image.composite(picture, Image.new("RGB", picture.size, "white"),
                                  Image.fromarray(image.alpha))
    picture.thumbnail((THUMB, THUMB))
    box.paste(picture, ((THUMB - picture.width) // 2, (THUMB - picture.height) // 2))
    return box


def _grid(files: list[Path]) -> Image.Image:
    rows = max(1, -(-len(files) // GRID_COLUMNS))
    sheet = Image.new("RGB", (GRID_COLUMNS * THUMB, rows * THUMB), "white")
    for i, path in enumerate(files):
        sheet.paste(_thumb(path), ((i % GRID_COLUMNS) * THUMB, (i // GRID_COLUMNS) * THUMB))
    return sheet


def _save(figure: Figure, path: Path) -> None:
    FigureCanvasAgg(figure)
    figure.tight_layout()
    figure.savefig(path, dpi=FIGURE_DPI)


def _map(clustering: Clustering, path: Path) -> None:
    figure = Figure(figsize=MAP_SIZE)
    axes = figure.add_subplot()
    cmap = matplotlib.colormaps[PALETTE]
    for cluster in clustering.clusters:
        rows = np.array(cluster.members)
        axes.scatter(clustering.map[rows, 0], clustering.map[rows, 1], s=14,
                     color=cmap(cluster.number % cmap.N), label=f"{cluster.number}: "
                     f"{cluster.name} ({len(rows)})")
    axes.set_xlabel("principal component 1")
    axes.set_ylabel("principal component 2")
    axes.set_title(f"{clustering.k} style clusters (silhouette {clustering.silhouette:.2f})")
    axes.legend(fontsize=7, loc="best", markerscale=1.5)
    _save(figure, path)


def _silhouettes(clustering: Clustering, path: Path) -> None:
    figure = Figure(figsize=SILHOUETTE_SIZE)
    axes = figure.add_subplot()
    ks = sorted(clustering.silhouettes)
    axes.plot(ks, [clustering.silhouettes[k] for k in ks], marker="o")
    axes.axvline(clustering.k, color="grey", linestyle="--")
    axes.set_xlabel("k (k-means clusters)")
    axes.set_ylabel("silhouette (cosine)")
    _save(figure, path)


def _trends(clustering: Clustering, trends: Trends, path: Path) -> None:
    cmap = matplotlib.colormaps[PALETTE]
    figure = Figure(figsize=TRENDS_SIZE)
    axes = figure.add_subplot()
    steps = np.arange(len(trends.periods))
    for cluster in clustering.clusters:
        axes.plot(steps, trends.shares[cluster.number], marker="o", markersize=3,
                  color=cmap(cluster.number % cmap.N),
                  label=f"{cluster.number}: {cluster.name} "
                  f"({trends.slopes[cluster.number]:+.3f}/period)")
    axes.set_xticks(steps, trends.periods, rotation=45, ha="right", fontsize=7)
    axes.set_ylabel("share of events")
    axes.legend(fontsize=7, loc="best")
    _save(figure, path)


def report_json(index: CatalogIndex, clustering: Clustering, trends: Trends | None) -> dict:
    """The report's figures as plain data."""
    out: dict = {
        "items": len(index), "k": clustering.k, "silhouette": round(clustering.silhouette, 4),
        "silhouettes": {str(k): round(v, 4) for k, v in clustering.silhouettes.items()},
        "purity": {k: round(v, 4) for k, v in clustering.purity.items()},
        "ari": {k: round(v, 4) for k, v in clustering.ari.items()},
        "clusters": [{"number": c.number, "name": c.name, "size": len(c.members),
                      "kind": c.kind, "colours": list(c.colours),
                      "members": [str(index.paths[r]) for r in c.members]}
                     for c in clustering.clusters]}
    if trends is not None:
        out["trends"] = {"periods": list(trends.periods),
                         "shares": np.round(trends.shares, 4).tolist(),
                         "slopes": [round(float(s), 5) for s in trends.slopes],
                         "growing": list(trends.growing), "unmatched_rows": trends.unmatched}
    return out


def write_report(out: Path, index: CatalogIndex, clustering: Clustering,
                 trends: Trends | None) -> Path:
    """Write the report into folder ``out`` (created if missing; its parent must exist) and
    return ``out / "index.html"``."""
    if out.exists() and not out.is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} exists and is not a folder")
    if not out.exists():
        if not out.parent.is_dir():
            raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out}: folder {out.parent} does "
                             "not exist")
        out.mkdir()
    _map(clustering, out / "map.png")
    _silhouettes(clustering, out / "silhouette.png")
    files = index.files()
    for cluster in clustering.clusters:
        shown = [files[row] for row in cluster.members[:MEMBERS_SHOWN]]
        _grid(shown).save(out / f"cluster-{cluster.number}.jpg", quality=JPEG_QUALITY)
    if trends is not None:
        _trends(clustering, trends, out / "trends.png")
    data = report_json(index, clustering, trends)
    (out / "report.json").write_text(json.dumps(data, indent=1))
    page = out / "index.html"
    page.write_text(_html(index, clustering, trends), encoding="utf-8")
    return page


def _html(index: CatalogIndex, clustering: Clustering, trends: Trends | None) -> str:
    esc = html.escape
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>Catalog style clusters"
        "</title><style>body{font-family:sans-serif;margin:2em;max-width:1100px}"
        "td,th{padding:4px 8px;text-align:left;vertical-align:top}"
        ".sw{display:inline-block;width:14px;height:14px;border:1px solid #888;"
        "margin-right:2px}</style></head><body>",
        f"<h1>Catalog style clusters</h1><p>{len(index)} pictures in "
        f"<code>{esc(str(index.root))}</code>, {clustering.k} clusters (k-means on the "
        f"catalog model's embeddings, k from {min(clustering.silhouettes)} to "
        f"{max(clustering.silhouettes)} chosen by the best cosine silhouette).</p>",
        f"<p>Silhouette {clustering.silhouette:.3f}; purity against the predicted kind "
        f"{clustering.purity['kind']:.2f} (ARI {clustering.ari['kind']:.2f}), against the "
        f"dominant colour family {clustering.purity['colour']:.2f} "
        f"(ARI {clustering.ari['colour']:.2f}).</p>",
        "<img src='map.png' alt='2-D map of the clusters'> "
        "<img src='silhouette.png' alt='silhouette by k'>"]
    if trends is not None:
        growing = ", ".join(f"{c}: {esc(clustering.clusters[c].name)} "
                            f"({trends.slopes[c]:+.3f} per period)" for c in trends.growing)
        parts.append(f"<h2>Trends</h2><p>Share of dated events per period "
                     f"({esc(trends.periods[0])} to {esc(trends.periods[-1])}). Growing: "
                     f"{growing or 'none'}. {trends.unmatched} rows named no catalog picture."
                     "</p><img src='trends.png' alt='cluster shares over time'>")
    parts.append("<h2>Clusters</h2><table><tr><th>cluster</th><th>size</th>"
                 "<th>colours</th>" + ("<th>slope</th>" if trends is not None else "")
                 + "<th>members (nearest the centre first)</th></tr>")
    for cluster in clustering.clusters:
        swatches = "".join(f"<span class='sw' style='background:{c}'></span>"
                           for c in cluster.swatch)
        slope = (f"<td>{trends.slopes[cluster.number]:+.3f}</td>"
                 if trends is not None else "")
        names = ", ".join(esc(Path(str(index.paths[r])).name)
                          for r in cluster.members[:MEMBERS_SHOWN])
        parts.append(f"<tr><td><b>{cluster.number}: {esc(cluster.name)}</b></td>"
                     f"<td>{len(cluster.members)}</td><td>{swatches}</td>{slope}"
                     f"<td><img src='cluster-{cluster.number}.jpg' alt='members'><br>"
                     f"<small>{names}</small></td></tr>")
    parts.append("</table></body></html>")
    return "\n".join(parts)
