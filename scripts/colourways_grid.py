"""Grid of colourways, Lab baseline vs GAN, on MIT/BSD products only (saleor shoes, openvto
clothes; the non-commercial Myntra photos are never drawn): ``python
scripts/colourways_grid.py docs/colourways-gan.png [--data ../shared/data] [--model M]``.

One row per product: the original, then for each colour the Lab variant and the GAN
variant, each labelled with its ΔE2000 (requested vs region median).
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
from tryon.studio import make_variant  # noqa: E402

ROWS = (("shoes/saleor/saleor-blue-plimsolls-1.png", ("#f2f0ea", "#111111", "#7b1e2b")),
        ("shoes/saleor/saleor-white-plimsolls-2.png", ("#1f2a44", "#111111", "#7b1e2b")),
        ("shoes/saleor/saleor-dash-force-1.png", ("#f2f0ea", "#1f2a44", "#7b1e2b")),
        ("openvto/clothes/shirts/4_front.jpg", ("#f2f0ea", "#7b1e2b", "#1f2a44")),
        ("openvto/clothes/shirts/3_front.jpg", ("#1f2a44", "#111111", "#7b1e2b")),
        ("openvto/clothes/jackets/4_front.jpg", ("#f2f0ea", "#1f2a44", "#7b1e2b")))
TILE = 230
LABEL = 24
BACKGROUND = (236, 236, 236)


def tile(picture: np.ndarray, label: str) -> Image.Image:
    """``picture`` (RGB, or RGBA cropped to its opaque part) fitted under ``label``."""
    if picture.shape[2] == 4:
        rows, cols = np.nonzero(picture[..., 3] > 200)  # the product, not its shadow
        pad = 8
        picture = picture[max(0, rows.min() - pad):rows.max() + pad,
                          max(0, cols.min() - pad):cols.max() + pad]
    image = Image.fromarray(np.ascontiguousarray(picture))
    image.thumbnail((TILE, TILE - LABEL))
    out = Image.new("RGB", (TILE, TILE), BACKGROUND)
    out.paste(image, ((TILE - image.width) // 2, LABEL + (TILE - LABEL - image.height) // 2),
              image if image.mode == "RGBA" else None)
    ImageDraw.Draw(out).text((4, 6), label, fill=(0, 0, 0))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    rows = []
    for name, colours in ROWS:
        path = Path(args.data) / name
        decoded = decode_image(path)
        original = (decoded.rgb if decoded.alpha is None
                    else np.dstack([decoded.rgb, decoded.alpha]))
        tiles = [tile(original, "original: " + path.name[:26])]
        kind = "shoes" if "shoes" in path.parts else "auto"
        for colour in colours:
            for method in ("lab", "gan"):
                variant = make_variant(path, colour, kind=kind, method=method,
                                       model_path=args.model)
                tiles.append(tile(variant.rgba, f"{method.upper()}  {colour}  "
                                  f"dE {variant.figures.delta_e:.1f}"))
        rows.append(tiles)
    save_sheet(rows, TILE, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
