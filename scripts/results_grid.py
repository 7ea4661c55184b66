"""Write docs/results-tops.png: openvto people (MIT) × openvto tops (MIT), inputs and results.

Only MIT-licensed photos are used, so the grid may live in the repository. Usage:
    .venv/bin/python scripts/results_grid.py [--shared ../shared/data] [--out docs/results-tops.png]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np

from tryon.decode import decode_image
from tryon.errors import TryOnError
from tryon.imageio import save_png
from tryon.pipeline import TryOnEngine

PEOPLE = ["people/1_posture.jpg", "people/2_posture.jpg", "people/3_posture.jpg",
          "people/4_posture.jpg", "avatars/1.jpg", "avatars/2.jpg", "avatars/4.jpg",
          "people/2_selfie.jpg"]
TOPS = ["clothes/shirts/1_front.jpg", "clothes/shirts/2_front.jpg", "clothes/shirts/4_front.jpg",
        "clothes/jackets/1_front.jpg", "clothes/jackets/3_front.jpg", "clothes/jackets/4_front.jpg"]
TILE_H = 300


def _tile(rgb: np.ndarray, height: int = TILE_H) -> np.ndarray:
    width = max(1, round(rgb.shape[1] * height / rgb.shape[0]))
    return cv2.resize(rgb, (width, height), interpolation=cv2.INTER_AREA)


def _pad(tile: np.ndarray, width: int) -> np.ndarray:
    out = np.full((tile.shape[0], width, 3), 255, np.uint8)
    out[:, : min(width, tile.shape[1])] = tile[:, :width]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2]
                                                / "shared" / "data" / "openvto"))
    parser.add_argument("--out", default="docs/results-tops.png")
    args = parser.parse_args()
    root = Path(args.shared)
    cell = int(TILE_H * 0.75)
    header = [np.full((TILE_H, cell, 3), 255, np.uint8)]
    header += [_pad(_tile(decode_image(root / t).rgb), cell) for t in TOPS]
    rows = [np.hstack(header)]
    with TryOnEngine() as engine:
        for person in PEOPLE:
            row = [_pad(_tile(decode_image(root / person).rgb), cell)]
            for top in TOPS:
                try:
                    image = engine.run(root / person, root / top, kind="top").image
                except TryOnError as exc:
                    image = np.full((400, 300, 3), 230, np.uint8)
                    cv2.putText(image, exc.code.value, (10, 200), cv2.FONT_HERSHEY_SIMPLEX, 0.7,
                                (200, 0, 0), 2)
                row.append(_pad(_tile(image), cell))
            rows.append(np.hstack(row))
    save_png(Path(args.out), np.vstack(rows))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
