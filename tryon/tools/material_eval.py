"""Measure the materials baseline (:mod:`tryon.studio.material`) on real catalog photos.

:func:`cut_swatch` cuts a square swatch from the middle of a product's main region (the
window wholly inside the region with the least coarse structure: no seam, pocket or fold),
as a shop would photograph a material sample. :func:`evaluate_materials` carries every
swatch onto every product and reports, per pair, the texture match (mean and std of L, a\\*,
b\\* inside the main region against the swatch's; the fine-texture energy against the
swatch's as scaled onto the product), the shading kept and the kept parts' change.
``scripts/material_eval.py`` prints the table of ``docs/materials.md``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.kinds import AUTO
from tryon.studio.material import make_material_variant
from tryon.studio.variant import analyse_product

__all__ = ["SWATCH_SIDE", "MaterialRow", "cut_swatch", "evaluate_materials", "format_table"]

SWATCH_SIDE = 96
# Blur (pixels) before the local std that ranks swatch windows (seams and folds score high).
STRUCTURE_SIGMA = 4.0


@dataclass(frozen=True)
class MaterialRow:
    """One product × swatch: names, ``kind``, the figures of
    :class:`~tryon.studio.material.MaterialFigures` (Lab triples as lists), ``scale``,
    ``shading_gain``, ``ms`` (milliseconds for the variant); ``refused`` is the error
    (``code: message``) when the pair was refused, and every figure is then NaN."""

    product: str
    swatch: str
    kind: str | None
    region_mean: list[float]
    region_std: list[float]
    swatch_mean: list[float]
    swatch_std: list[float]
    delta_e: float
    texture_hf: float
    swatch_hf: float
    product_hf: float
    texture_ratio: float
    shading_corr: float
    kept_change: float
    main_share: float
    scale: float
    shading_gain: float
    ms: float
    refused: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def cut_swatch(photo: str | Path, side: int = SWATCH_SIDE, kind: str = AUTO
               ) -> tuple[np.ndarray, float]:
    """A ``side`` × ``side`` swatch ((side, side, 3) uint8 RGB) cut from the main region of
    the product in ``photo``, and the share of its pixels inside that region. Among the
    windows wholly inside the main region (else, for a print whose colours are separate
    regions, wholly inside the product), the one whose L, blurred by
    :data:`STRUCTURE_SIGMA` px, varies least; where none fits, the window centred on the
    main region's deepest point. Raises ``bad_argument`` when the photo is smaller than
    ``side``."""
    product = analyse_product(photo, "main", kind)
    rgb, main = product.decoded.rgb, product.parts.main
    height, width = main.shape
    if min(height, width) < side:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{Path(photo).name} is smaller than a "
                         f"{side} px swatch")
    half = side // 2
    inside = _fits(main, side)
    if not inside.any():  # a print's colours are several regions: inside the product then
        inside = _fits(product.parts.product, side)
    if inside.any():
        coarse = cv2.GaussianBlur(product.lab[..., 0], (0, 0), STRUCTURE_SIGMA)
        mean = cv2.boxFilter(coarse, -1, (side, side), anchor=(half, half))
        square = cv2.boxFilter(coarse * coarse, -1, (side, side), anchor=(half, half))
        structure = np.where(inside, square - mean * mean, np.inf)
        y, x = np.unravel_index(int(np.argmin(structure)), structure.shape)
    else:
        depth = cv2.distanceTransform(main.astype(np.uint8), cv2.DIST_L2, 5)
        y, x = np.unravel_index(int(np.argmax(depth)), depth.shape)
        y = int(np.clip(y, half, height - side + half))
        x = int(np.clip(x, half, width - side + half))
    window = (slice(y - half, y - half + side), slice(x - half, x - half + side))
    return rgb[window].copy(), float(main[window].mean())


def _fits(region: np.ndarray, side: int) -> np.ndarray:
    """(H, W) bool: where a ``side`` × ``side`` window starting ``side // 2`` above and left
    of the pixel lies wholly inside ``region``."""
    half = side // 2
    return cv2.erode(region.astype(np.uint8), np.ones((side, side), np.uint8),
                     anchor=(half, half), borderType=cv2.BORDER_CONSTANT,
                     borderValue=0).astype(bool)


def evaluate_materials(products: Sequence[tuple[str, Path, str]],
                       swatches: Sequence[tuple[str, np.ndarray]], parts: str = "main",
                       seed: int = 0) -> list[MaterialRow]:
    """Every swatch ((name, (h, w, 3) uint8 RGB)) on every product ((name, photo, kind)):
    one :class:`MaterialRow` each, in order (a refused pair is a row with ``refused``)."""
    rows = []
    for product_name, photo, kind in products:
        for swatch_name, swatch in swatches:
            start = time.perf_counter()
            try:
                variant = make_material_variant(photo, swatch, parts=parts, kind=kind,
                                                seed=seed)
            except TryOnError as exc:
                nan = float("nan")
                rows.append(MaterialRow(product_name, swatch_name, None, [nan] * 3,
                                        [nan] * 3, [nan] * 3, [nan] * 3, *([nan] * 11),
                                        refused=str(exc)))
                continue
            ms = (time.perf_counter() - start) * 1000.0
            fig = variant.figures
            rows.append(MaterialRow(
                product_name, swatch_name, variant.kind, list(fig.region_mean),
                list(fig.region_std), list(fig.swatch_mean), list(fig.swatch_std),
                fig.delta_e, fig.texture_hf, fig.swatch_hf, fig.product_hf,
                fig.texture_ratio, fig.shading_corr, fig.kept_change, fig.main_share,
                variant.scale, variant.shading_gain, ms))
    return rows


def format_table(rows: Sequence[MaterialRow]) -> str:
    """A markdown table: per pair, L/a*/b* mean and std (output / swatch), ΔE2000 of the
    means, fine texture (output / swatch as scaled; the product's own before), shading
    correlation, kept change (median ΔE2000), time."""
    head = ("| product | swatch | L mean out / swatch | a\\* | b\\* | L std out / swatch | "
            "ΔE2000 of means | fine texture out / swatch (product before) | shading corr | "
            "kept change | ms |")
    lines = [head, "|" + "---|" * 11]
    for row in rows:
        if row.refused is not None:
            lines.append(f"| {row.product} | {row.swatch} | refused: {row.refused} |"
                         + " |" * 8)
            continue
        out, ref = row.region_mean, row.swatch_mean
        lines.append(
            f"| {row.product} | {row.swatch} | {out[0]:.1f} / {ref[0]:.1f} | "
            f"{out[1]:.1f} / {ref[1]:.1f} | {out[2]:.1f} / {ref[2]:.1f} | "
            f"{row.region_std[0]:.1f} / {row.swatch_std[0]:.1f} | {row.delta_e:.2f} | "
            f"{row.texture_hf:.2f} / {row.swatch_hf:.2f} ({row.product_hf:.2f}) | "
            f"{row.shading_corr:.2f} | {row.kept_change:.3f} | {row.ms:.0f} |")
    return "\n".join(lines)
