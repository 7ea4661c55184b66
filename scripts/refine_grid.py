"""Write docs/refine-before-after.png: the hand-made composite and the try-on generator's result.

MIT-licensed openvto people and tops only (the grid lives in the repository). Each row: the
photo, the coarse composite (``--no-refine``), the generator's result, and a 2× crop of the
chest and shoulders of both (where seams, light and the repainted region show), and what the
generator changed there (the absolute difference × 4, dark = more). Usage:
    .venv/bin/python scripts/refine_grid.py [--shared ../shared/data/openvto] [--out ...]
        [--model models/generator.onnx] [--limit N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np

from tryon.imaging.imageio import save_png
from tryon.pipeline import TryOnEngine

PAIRS = [("people/2_posture.jpg", "clothes/shirts/1_front.jpg"),
         ("avatars/2.jpg", "clothes/jackets/3_front.jpg"),
         ("people/3_posture.jpg", "clothes/shirts/4_front.jpg"),
         ("avatars/4.jpg", "clothes/jackets/1_front.jpg"),
         ("people/4_posture.jpg", "clothes/shirts/2_front.jpg")]
TILE_H = 420


def _tile(rgb: np.ndarray, height: int = TILE_H) -> np.ndarray:
    width = max(1, round(rgb.shape[1] * height / rgb.shape[0]))
    return cv2.resize(rgb, (width, height), interpolation=cv2.INTER_AREA)


def _chest(rgb: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return _tile(rgb[y0:y1, x0:x1])


def _change(coarse: np.ndarray, refined: np.ndarray) -> np.ndarray:
    """What the generator changed, made visible: |result − coarse| × 4 on white (dark =
    more)."""
    diff = np.abs(refined.astype(np.int16) - coarse.astype(np.int16)).max(axis=2)
    shade = np.clip(255 - 4 * diff, 0, 255).astype(np.uint8)
    return np.dstack([shade] * 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2]
                                                / "shared" / "data" / "openvto"))
    parser.add_argument("--out", default="docs/refine-before-after.png")
    parser.add_argument("--model", help="try-on model (default: $TRYON_MODEL or "
                        "models/generator.onnx)")
    parser.add_argument("--limit", type=int, default=len(PAIRS),
                        help=f"rows (default: all {len(PAIRS)})")
    args = parser.parse_args()
    root = Path(args.shared)
    rows = []
    with TryOnEngine(model_path=args.model) as engine:
        if engine.model_path is None:
            raise SystemExit("no try-on model: export one to models/generator.onnx or pass "
                             "--model")
        for person, top in PAIRS[:args.limit]:
            result = engine.run(root / person, root / top, kind="top")
            if not result.refined or result.scene is None:
                raise SystemExit(f"{person}: the generator did not run")
            ys, xs = np.nonzero(result.scene.region)
            y0, y1 = int(ys.min()), int(ys.min() + 0.45 * (ys.max() - ys.min()))
            x0, x1 = int(xs.min()), int(xs.max())
            box = (x0, y0, x1, max(y1, y0 + 8))
            row = [_tile(result.photo), _tile(result.coarse), _tile(result.image),
                   _chest(result.coarse, box), _chest(result.image, box),
                   _chest(_change(result.coarse, result.image), box)]
            rows.append(np.hstack(row))
    width = max(r.shape[1] for r in rows)
    grid = np.vstack([np.pad(r, ((0, 4), (0, width - r.shape[1]), (0, 0)),
                             constant_values=255) for r in rows])
    save_png(Path(args.out), grid)
    print(f"wrote {args.out}: photo | coarse | generator | chest coarse | chest generator | "
          "change x4")


if __name__ == "__main__":
    main()
