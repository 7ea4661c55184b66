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
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import cv2
import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.kinds import AUTO
from tryon.studio.material import MaterialFigures, make_material_variant
from tryon.studio.variant import analyse_product

__all__ = ["SWATCH_SIDE", "MaterialRow", "cut_swatch", "evaluate_materials", "format_table"]

SWATCH_SIDE = 96
# Blur (pixels) before the local std that ranks swatch windows (seams and folds score high).
STRUCTURE_SIGMA = 4.0


@dataclass(frozen=True)
class MaterialRow:
    """One product × swatch: names, ``kind``, the variant's
    :class:`~tryon.studio.material.MaterialFigures` (None when the pair was refused),
    ``scale``, ``shading_gain``, ``ms`` (milliseconds for the variant); ``refused`` is the
    error (``code: message``) when the pair was refused, and ``scale``, ``shading_gain`` and
    ``ms`` are then NaN."""

    product: str
    swatch: str
    kind: str | None
    figures: MaterialFigures | None
    scale: float
    shading_gain: float
    ms: float
    refused: str | None = None

    def as_dict(self) -> dict:
        """Flat, for JSON: the names, ``kind``, every figure (Lab triples as lists; NaN, or
        three NaNs, when refused), ``scale``, ``shading_gain``, ``ms`` and ``refused``."""
        nan = float("nan")
        if self.figures is None:
            figures = {f.name: [nan] * 3 if str(f.type).startswith("tuple") else nan
                       for f in fields(MaterialFigures)}
        else:
            figures = {name: list(value) if isinstance(value, tuple) else value
                       for name, value in asdict(self.figures).items()}
        return {"product": self.product, "swatch": self.swatch, "kind": self.kind, **figures,
                "scale": self.scale, "shading_gain": self.shading_gain, "ms": self.ms,
                "refused": self.refused}


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
                rows.append(MaterialRow(product_name, swatch_name, None, None, nan, nan, nan,
                                        refused=str(exc)))
                continue
            ms = (time.perf_counter() - start) * 1000.0
            rows.append(MaterialRow(product_name, swatch_name, variant.kind, variant.figures,
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
        fig = row.figures
        if fig is None:
            lines.append(f"| {row.product} | {row.swatch} | refused: {row.refused} |"
                         + " |" * 8)
            continue
        out, ref = fig.region_mean, fig.swatch_mean
        lines.append(
            f"| {row.product} | {row.swatch} | {out[0]:.1f} / {ref[0]:.1f} | "
            f"{out[1]:.1f} / {ref[1]:.1f} | {out[2]:.1f} / {ref[2]:.1f} | "
            f"{fig.region_std[0]:.1f} / {fig.swatch_std[0]:.1f} | {fig.delta_e:.2f} | "
            f"{fig.texture_hf:.2f} / {fig.swatch_hf:.2f} ({fig.product_hf:.2f}) | "
            f"{fig.shading_corr:.2f} | {fig.kept_change:.3f} | {row.ms:.0f} |")
    return "\n".join(lines)
