"""``docs/sketch-to-product.png``: sketches → product photos → on a customer.

Rows 1–3: the hand-drawn demo sketches (``tryon/assets/demo/sketches``, drawn by
``scripts/draw_sketches.py``): the drawing | what the model sees (read, thinned, centred) |
the design in :data:`COLOURS` (RGBA, shown on a light grey so the alpha shows) | the first
colour tried on the demo photo with feet (``tryon run --kind shoes``, feet cropped).
Rows 4–: MIT/BSD saleor shoes (side views; no model saw them): the photo | its extracted
sketch (the training recipe, drawn cleanly) | the design in its own colour and in the
second colour | the photo itself tried on, for comparison. No Myntra photo (non-commercial)
is shown. ``python scripts/sketch_grid.py [--model models/sketch.onnx] [--out PNG]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.sketch_data import CLEAN, analyse_photo, draw_sketch  # noqa: E402
from tryon.errors import TryOnError  # noqa: E402
from tryon.imaging.decode import decode_image  # noqa: E402
from tryon.imaging.imageio import encode_png, save_png  # noqa: E402
from tryon.studio.colour import lab_to_rgb, parse_colour  # noqa: E402
from tryon.studio.design import SketchModel, make_design  # noqa: E402

COLOURS = ("#7b1e2b", "#1f2a44")
SALEOR = ("saleor-blue-plimsolls-1.png", "saleor-dash-force-1.png",
          "saleor-pauls-blanace-420-1.png", "saleor-white-plimsolls-2.png")
PERSON = ROOT / "tryon" / "assets" / "demo" / "people" / "woman-studio.jpg"
CELL = 200
FEET = 0.78  # the share of the photo's height above the feet crop


def _cell(picture: np.ndarray, label: str = "") -> np.ndarray:
    """A CELL × CELL tile: RGB, RGBA (on light grey) or a grey plane, fitted and centred."""
    if picture.ndim == 2:
        picture = np.dstack([picture] * 3)
    if picture.shape[2] == 4:
        alpha = picture[..., 3:].astype(np.float32) / 255.0
        picture = np.round(picture[..., :3] * alpha + 228 * (1 - alpha)).astype(np.uint8)
    scale = CELL / max(picture.shape[:2])
    size = (max(1, round(picture.shape[1] * scale)), max(1, round(picture.shape[0] * scale)))
    small = cv2.resize(picture, size, interpolation=cv2.INTER_AREA)
    tile = np.full((CELL, CELL, 3), 255, np.uint8)
    y, x = (CELL - size[1]) // 2, (CELL - size[0]) // 2
    tile[y:y + size[1], x:x + size[0]] = small
    if label:
        cv2.putText(tile, label, (4, CELL - 6), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (90, 90, 90), 1,
                    cv2.LINE_AA)
    return cv2.copyMakeBorder(tile, 2, 2, 2, 2, cv2.BORDER_CONSTANT, value=(255, 255, 255))


def _on_person(engine: object, item: np.ndarray) -> np.ndarray:
    try:
        image = engine.run(PERSON, item, kind="shoes").image  # type: ignore[attr-defined]
    except TryOnError as exc:
        image = np.full((300, 300, 3), 230, np.uint8)
        cv2.putText(image, exc.code.value, (10, 150), cv2.FONT_HERSHEY_SIMPLEX, 0.7,
                    (200, 0, 0), 2)
        return image
    height, width = image.shape[:2]
    return image[int(FEET * height):, int(0.2 * width):int(0.8 * width)]


def _ink(sketch: np.ndarray) -> np.ndarray:
    return np.round((1 - sketch) * 255).astype(np.uint8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "sketch-to-product.png"))
    args = parser.parse_args()
    from tryon.pipeline import TryOnEngine

    model = SketchModel(args.model, threads=1)
    rows = []
    with TryOnEngine() as engine:
        for path in sorted((ROOT / "tryon" / "assets" / "demo" / "sketches").glob("*.png")):
            designs = [make_design(path, parse_colour(c), model) for c in COLOURS]
            row = [_cell(decode_image(path).rgb, f"hand-drawn {path.stem}"),
                   _cell(_ink(designs[0].sketch), "model input")]
            row += [_cell(d.rgba, c) for d, c in zip(designs, COLOURS, strict=True)]
            row.append(_cell(_on_person(engine, designs[0].rgba), "tryon run --kind shoes"))
            rows.append(np.hstack(row))
        saleor = Path(args.data) / "shoes" / "saleor"
        for name in SALEOR:
            found = analyse_photo(saleor / name)
            if found is None:
                continue
            outline, inner = found[4], found[5]
            sketch = draw_sketch(outline, inner, np.random.default_rng(0), CLEAN)
            drawn = encode_png(np.dstack([_ink(sketch)] * 3))
            own = tuple(int(v) for v in lab_to_rgb(found[3]))
            photo = decode_image(saleor / name)
            rgba = np.dstack([photo.rgb, photo.alpha]) if photo.alpha is not None else photo.rgb
            row = [_cell(rgba, f"saleor {name[7:-6]} (BSD)"), _cell(_ink(sketch), "extracted")]
            for colour in (own, parse_colour(COLOURS[1])):
                design = make_design(drawn, colour, model)
                row.append(_cell(design.rgba, "#{:02x}{:02x}{:02x}".format(*colour)))
            row.append(_cell(_on_person(engine, rgba), "the photo, tried on"))
            rows.append(np.hstack(row))
    save_png(Path(args.out), np.vstack(rows))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
