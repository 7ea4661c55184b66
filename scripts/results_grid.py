"""Write docs/results-tops.png (openvto people × openvto tops, MIT), with ``--kind shoes``
docs/results-shoes.png (openvto full-body people, MIT × Saleor shoes, BSD), or with ``--kind
bottom`` docs/results-bottoms.png (openvto full-body people × openvto trousers, MIT): inputs
and results.

Only MIT/BSD-licensed photos are used, so the grids may live in the repository (no dress of
such a licence exists: ``--kind dress --items DIR`` writes a dress grid from the DressCode
products for a look, to keep outside the repository). Usage:
    .venv/bin/python scripts/results_grid.py [--kind top|bottom|shoes] [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np

from tryon.errors import TryOnError
from tryon.imaging.decode import decode_image
from tryon.imaging.imageio import save_png
from tryon.pipeline import TryOnEngine

PEOPLE = ["people/1_posture.jpg", "people/2_posture.jpg", "people/3_posture.jpg",
          "people/4_posture.jpg", "avatars/1.jpg", "avatars/2.jpg", "avatars/4.jpg",
          "people/2_selfie.jpg"]
TOPS = ["clothes/shirts/1_front.jpg", "clothes/shirts/2_front.jpg", "clothes/shirts/4_front.jpg",
        "clothes/jackets/1_front.jpg", "clothes/jackets/3_front.jpg", "clothes/jackets/4_front.jpg"]
SHOE_PEOPLE = ["people/1_posture.jpg", "people/2_posture.jpg", "people/4_posture.jpg",
               "avatars/1.jpg", "avatars/2.jpg", "avatars/3.jpg", "avatars/4.jpg"]
SHOES = ["../shoes/saleor/saleor-dash-force-1.png", "../shoes/saleor/saleor-blue-plimsolls-1.png",
         "../shoes/saleor/saleor-pauls-blanace-420-1.png",
         "../shoes/saleor/saleor-white-plimsolls-2.png"]
BOTTOMS = ["clothes/pants/1_front.jpg", "clothes/pants/2_front.jpg", "clothes/pants/3_front.jpg",
           "clothes/pants/4_front.jpg"]
DRESSES = ["053790_1.jpg", "053742_1.jpg", "051998_1.jpg", "053319_1.jpg"]  # in --items
SHOE_CROP = 0.62  # shoe results show the photo below this fraction of its height
SHOE_SIDES = (0.15, 0.85)  # ... and between these fractions of its width
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
    parser.add_argument("--kind", default="top", choices=["top", "bottom", "dress", "shoes"])
    parser.add_argument("--items", default=None, help="folder of the dresses (--kind dress)")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    root = Path(args.shared)
    shoes = args.kind == "shoes"
    people, items = {"top": (PEOPLE, TOPS), "shoes": (SHOE_PEOPLE, SHOES),
                     "bottom": (SHOE_PEOPLE, BOTTOMS),
                     "dress": (SHOE_PEOPLE, [str(Path(args.items or ".").resolve() / d)
                                             for d in DRESSES])}[args.kind]
    if args.kind == "dress" and (args.items is None or args.out is None):
        parser.error("--kind dress needs --items (the DressCode dresses) and --out (outside "
                     "the repository: the products are non-commercial)")
    plural = {"top": "tops", "bottom": "bottoms", "shoes": "shoes", "dress": "dresses"}
    out = Path(args.out or f"docs/results-{plural[args.kind]}.png")
    cell = int(TILE_H * (1.2 if shoes else 0.75))
    header = [np.full((TILE_H, cell, 3), 255, np.uint8)]
    header += [_pad(_tile(_flat(decode_image(root / t))), cell) for t in items]
    rows = [np.hstack(header)]
    with TryOnEngine() as engine:
        for person in people:
            photo = decode_image(root / person).rgb
            row = [_pad(_tile(_crop(photo, shoes)), cell)]
            for item in items:
                try:
                    image = engine.run(root / person, root / item, kind=args.kind).image
                    image = _crop(image, shoes)
                except TryOnError as exc:
                    image = np.full((400, 300, 3), 230, np.uint8)
                    cv2.putText(image, exc.code.value, (10, 200), cv2.FONT_HERSHEY_SIMPLEX, 0.7,
                                (200, 0, 0), 2)
                row.append(_pad(_tile(image), cell))
            rows.append(np.hstack(row))
    save_png(out, np.vstack(rows))
    print(f"wrote {out}")


def _crop(image: np.ndarray, shoes: bool) -> np.ndarray:
    """The feet's part of a photo for shoe grids, the whole photo otherwise."""
    if not shoes:
        return image
    height, width = image.shape[:2]
    return image[int(SHOE_CROP * height):, int(SHOE_SIDES[0] * width):int(SHOE_SIDES[1] * width)]


def _flat(item: object) -> np.ndarray:
    """An item photo as RGB on white (transparent shoes shown on white)."""
    rgb, alpha = item.rgb, item.alpha  # type: ignore[attr-defined]
    if alpha is None:
        return rgb
    a = alpha[..., None].astype(np.float32) / 255.0
    return (rgb * a + 255 * (1 - a)).astype(np.uint8)


if __name__ == "__main__":
    main()
