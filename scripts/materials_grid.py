"""Grid of material variants on MIT/BSD products only (saleor shoes, openvto clothes; swatches
cut from other openvto garments; the non-commercial photos are never drawn): ``python
scripts/materials_grid.py docs/materials-grid.png [--data ../shared/data]``.

One row per product: the swatch (96 × 96 px, cut by
:func:`tryon.tools.material_eval.cut_swatch`), the product, the material variant
(``--parts main``, seed 0) labelled with its figures, and a 1:1 detail of the variant.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tryon.imaging.decode import decode_image  # noqa: E402
from tryon.imaging.imageio import save_sheet  # noqa: E402
from tryon.studio.material import make_material_variant  # noqa: E402
from tryon.tools.material_eval import cut_swatch  # noqa: E402

# (swatch name, swatch source, product, kind)
ROWS = (("leather", "openvto/clothes/jackets/4_front.jpg",
         "shoes/saleor/saleor-white-plimsolls-2.png", "shoes"),
        ("denim", "openvto/clothes/pants/1_front.jpg",
         "shoes/saleor/saleor-blue-plimsolls-1.png", "shoes"),
        ("knit", "openvto/clothes/jackets/3_front.jpg", "openvto/clothes/shirts/4_front.jpg",
         "auto"),
        ("print", "openvto/clothes/shirts/2_front.jpg", "openvto/clothes/shirts/1_front.jpg",
         "auto"))
TILE = 300
LABEL = 34
DETAIL = TILE - LABEL  # a 1:1 crop this big
BACKGROUND = (236, 236, 236)


def tile(picture: np.ndarray, label: str, crop: bool = True) -> Image.Image:
    """``picture`` (RGB, or RGBA cropped to its opaque part when ``crop``) fitted under
    ``label`` (up to two lines)."""
    if picture.shape[2] == 4 and crop:
        rows, cols = np.nonzero(picture[..., 3] > 200)  # the product, not its shadow
        pad = 8
        picture = picture[max(0, rows.min() - pad):rows.max() + pad,
                          max(0, cols.min() - pad):cols.max() + pad]
    image = Image.fromarray(np.ascontiguousarray(picture))
    if image.width > TILE or image.height > TILE - LABEL:
        image.thumbnail((TILE, TILE - LABEL))
    out = Image.new("RGB", (TILE, TILE), BACKGROUND)
    out.paste(image, ((TILE - image.width) // 2, LABEL + (TILE - LABEL - image.height) // 2),
              image if image.mode == "RGBA" else None)
    ImageDraw.Draw(out).multiline_text((4, 4), label, fill=(0, 0, 0), spacing=2)
    return out


def detail(rgba: np.ndarray, region: np.ndarray) -> np.ndarray:
    """A 1:1 DETAIL × DETAIL crop of ``rgba`` centred on the region's deepest point."""
    import cv2

    depth = cv2.distanceTransform(region.astype(np.uint8), cv2.DIST_L2, 5)
    y, x = np.unravel_index(int(np.argmax(depth)), depth.shape)
    half = DETAIL // 2
    y = int(np.clip(y, half, rgba.shape[0] - half))
    x = int(np.clip(x, half, rgba.shape[1] - half))
    return rgba[y - half:y + half, x - half:x + half]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args(argv)
    data = Path(args.data)
    rows = []
    for name, source, product, kind in ROWS:
        swatch, _ = cut_swatch(data / source)
        decoded = decode_image(data / product)
        original = (decoded.rgb if decoded.alpha is None
                    else np.dstack([decoded.rgb, decoded.alpha]))
        variant = make_material_variant(data / product, swatch, kind=kind)
        fig = variant.figures
        rows.append([
            tile(np.repeat(np.repeat(swatch, 2, axis=0), 2, axis=1),
                 f"swatch: {name} (2x)\n{source.split('/', 1)[1]}"),
            tile(original, f"product\n{Path(product).name}"),
            tile(variant.rgba, f"{name}: dE {fig.delta_e:.1f}  texture x{fig.texture_ratio:.2f}"
                 f"\nshading corr {fig.shading_corr:.2f}  kept dE {fig.kept_change:.1f}"),
            tile(detail(variant.rgba, variant.parts.main), "detail, 1:1", crop=False)])
    save_sheet(rows, TILE, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
