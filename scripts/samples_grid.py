"""The sampled-designs grid: ``python scripts/samples_grid.py [OUT.png] [--seed 0]
[--nearest LOCAL.png] [--data ../shared/data]``.

16 designs of one seed as ``tryon design --samples 16`` writes them (512×512 RGBA, shown on
light grey diagonal stripes so the alpha shows), each captioned with its nearest catalog photo, the
cosine distance and its percentile among the catalog photos' own nearest-neighbour distances
(:mod:`tryon.studio.novelty`). The committed grid (default ``docs/samples-grid.png``) draws no
Myntra photo (non-commercial, never drawn in the docs); ``--nearest LOCAL.png`` also writes,
for local inspection only (do not commit it), each design beside its nearest Myntra photo.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tryon.imaging.decode import decode_image  # noqa: E402
from tryon.studio.novelty import DEFAULT_REFERENCE, embed_designs, load_reference  # noqa: E402
from tryon.studio.sampling import make_samples  # noqa: E402

CELL = 192
CAPTION = 34
COLUMNS = 4


def _checker(side: int) -> np.ndarray:
    tile = (np.indices((side, side)).sum(axis=0) // 16) % 2
    return np.where(tile[..., None] == 1, 225, 245).astype(np.float32) * np.ones(3)


def _on_checker(rgba: np.ndarray, side: int = CELL) -> np.ndarray:
    small = cv2.resize(rgba, (side, side), interpolation=cv2.INTER_AREA).astype(np.float32)
    alpha = small[..., 3:] / 255.0
    return np.round(small[..., :3] * alpha + _checker(side) * (1 - alpha)).astype(np.uint8)


def _caption(cell: np.ndarray, lines: list[str]) -> np.ndarray:
    band = np.full((CAPTION, cell.shape[1], 3), 255, np.uint8)
    for row, text in enumerate(lines):
        cv2.putText(band, text, (4, 13 + 15 * row), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (30, 30, 30),
                    1, cv2.LINE_AA)
    return np.vstack([cell, band])


def _sheet(cells: list[np.ndarray]) -> np.ndarray:
    rows = [np.hstack(cells[i:i + COLUMNS]) for i in range(0, len(cells), COLUMNS)]
    return np.vstack(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(ROOT / "docs" / "samples-grid.png"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--nearest", help="local-only grid with the nearest Myntra photos")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args()
    designs = make_samples(16, args.seed)
    reference = load_reference(DEFAULT_REFERENCE)
    rows, distances = reference.closest(embed_designs([d.rgba for d in designs]))
    cells, pairs = [], []
    for index, (design, row, distance) in enumerate(zip(designs, rows, distances, strict=True)):
        name = str(reference.names[row])
        lines = [f"#{index}: nearest {name}",
                 f"d={distance:.3f} (p{reference.percentile(float(distance)):.0f})"]
        picture = _on_checker(design.rgba)
        cells.append(_caption(np.pad(picture, ((2, 2), (2, 2), (0, 0)), constant_values=255),
                              lines))
        if args.nearest:
            photo = decode_image(Path(args.data) / "shoes" / "myntra" / name).rgb
            photo = cv2.resize(photo, (CELL, CELL), interpolation=cv2.INTER_AREA)
            pairs.append(_caption(np.hstack([picture, photo]), lines))
    cv2.imwrite(args.out, cv2.cvtColor(_sheet(cells), cv2.COLOR_RGB2BGR))
    print(f"wrote {args.out}")
    if args.nearest:
        cv2.imwrite(args.nearest, cv2.cvtColor(_sheet(pairs), cv2.COLOR_RGB2BGR))
        print(f"wrote {args.nearest} (local only: Myntra photos, do not commit)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
