"""Draw the three demo sketches of ``tryon design --sketch`` by hand-like means:
``tryon/assets/demo/sketches/{sneaker,boot,high-heel}.png``.

Each drawing is a few polylines of a side view (toe on the left) typed in by hand in unit
coordinates, nothing extracted from a photo, drawn like a pen would: every stroke resampled,
moved by a slow wobble, its ends overshooting a little, a 4–6 pixel black pen on off-white
paper. Seeded, so the files are reproducible. ``python scripts/draw_sketches.py [--out DIR]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tryon" / "assets" / "demo" / "sketches"
CANVAS = (480, 640)  # (H, W)

# Strokes in unit coordinates (x right, y down), toe on the left.
SNEAKER = [
    # upper and sole outline
    [(0.06, 0.80), (0.06, 0.70), (0.12, 0.60), (0.24, 0.53), (0.38, 0.47), (0.50, 0.36),
     (0.60, 0.26), (0.66, 0.25), (0.72, 0.31), (0.80, 0.27), (0.88, 0.25), (0.94, 0.34),
     (0.96, 0.52), (0.96, 0.70), (0.94, 0.82), (0.86, 0.86), (0.20, 0.86), (0.09, 0.85),
     (0.06, 0.80)],
    [(0.07, 0.73), (0.30, 0.74), (0.60, 0.73), (0.95, 0.70)],  # midsole top
    [(0.08, 0.80), (0.50, 0.81), (0.94, 0.79)],  # tread line
    [(0.10, 0.64), (0.18, 0.66), (0.25, 0.60), (0.28, 0.54)],  # toe cap
    [(0.40, 0.47), (0.47, 0.55)], [(0.45, 0.42), (0.52, 0.50)],  # laces
    [(0.50, 0.37), (0.57, 0.45)], [(0.55, 0.31), (0.62, 0.39)],
    [(0.36, 0.66), (0.52, 0.56), (0.68, 0.50), (0.82, 0.48)],  # side stripe
    [(0.86, 0.30), (0.87, 0.50), (0.88, 0.70)],  # heel counter
]
BOOT = [
    [(0.05, 0.84), (0.06, 0.74), (0.14, 0.67), (0.30, 0.61), (0.44, 0.54), (0.52, 0.42),
     (0.54, 0.25), (0.55, 0.10), (0.70, 0.08), (0.84, 0.09), (0.85, 0.30), (0.86, 0.52),
     (0.91, 0.66), (0.93, 0.78), (0.93, 0.90), (0.72, 0.90), (0.66, 0.84), (0.56, 0.86),
     (0.10, 0.87), (0.05, 0.84)],
    [(0.06, 0.80), (0.40, 0.81), (0.66, 0.80), (0.93, 0.80)],  # welt
    [(0.72, 0.80), (0.72, 0.90)],  # heel block
    [(0.60, 0.11), (0.61, 0.40), (0.63, 0.62)],  # zip
    [(0.13, 0.69), (0.20, 0.73), (0.30, 0.72)],  # toe seam
    [(0.80, 0.09), (0.82, 0.02), (0.86, 0.03), (0.85, 0.12)],  # pull tab
]
HIGH_HEEL = [
    # pump: pointed toe, low vamp, heel counter, arch and stiletto
    [(0.05, 0.74), (0.14, 0.64), (0.30, 0.59), (0.42, 0.60), (0.56, 0.55), (0.70, 0.44),
     (0.82, 0.32), (0.88, 0.30), (0.90, 0.36), (0.88, 0.46), (0.84, 0.52)],
    [(0.05, 0.74), (0.16, 0.77), (0.32, 0.78), (0.50, 0.72), (0.64, 0.60), (0.76, 0.52),
     (0.84, 0.52)],  # sole and arch
    [(0.84, 0.52), (0.83, 0.70), (0.82, 0.93), (0.79, 0.93), (0.78, 0.70), (0.76, 0.55)],
    [(0.42, 0.60), (0.55, 0.64), (0.70, 0.55), (0.80, 0.45)],  # inner opening
]
DRAWINGS = {"sneaker": SNEAKER, "boot": BOOT, "high-heel": HIGH_HEEL}


def _stroke(points: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A typed polyline as a pen would draw it: resampled every 4 px, a slow wobble of
    about 2 px, the ends overshooting by up to 6 px."""
    lengths = np.linalg.norm(np.diff(points, axis=0), axis=1)
    along = np.concatenate([[0.0], np.cumsum(lengths)])
    at = np.arange(0.0, along[-1] + 1e-6, 4.0)
    line = np.stack([np.interp(at, along, points[:, 0]), np.interp(at, along, points[:, 1])], 1)
    phase, wavelength = rng.uniform(0, 2 * np.pi, 2), rng.uniform(60, 140, 2)
    wobble = np.stack([np.sin(at / wavelength[0] * 2 * np.pi + phase[0]),
                       np.sin(at / wavelength[1] * 2 * np.pi + phase[1])], 1)
    line = line + 2.0 * wobble
    if len(line) > 2:
        for end, inner in ((0, 1), (-1, -2)):
            direction = line[end] - line[inner]
            direction /= np.linalg.norm(direction) + 1e-9
            line = (np.vstack([line[:1] + direction * rng.uniform(0, 6), line]) if end == 0
                    else np.vstack([line, line[-1:] + direction * rng.uniform(0, 6)]))
    return line


def draw(strokes: list[list[tuple[float, float]]], seed: int) -> np.ndarray:
    """(H, W, 3) uint8: black pen strokes on off-white paper."""
    rng = np.random.default_rng(seed)
    height, width = CANVAS
    paper = np.full((height, width, 3), (246, 244, 238), np.uint8)
    margin = np.array([0.06 * width, 0.06 * height])
    span = np.array([0.88 * width, 0.88 * height])
    for stroke in strokes:
        line = _stroke(np.array(stroke, np.float64) * span + margin, rng)
        thickness = int(rng.integers(4, 7))
        cv2.polylines(paper, [np.round(line * 4).astype(np.int32)], False, (25, 25, 30),
                      thickness, cv2.LINE_AA, shift=2)
    return paper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for seed, (name, strokes) in enumerate(DRAWINGS.items()):
        path = args.out / f"{name}.png"
        cv2.imwrite(str(path), cv2.cvtColor(draw(strokes, seed), cv2.COLOR_RGB2BGR))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
