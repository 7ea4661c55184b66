"""Side-by-side sheet of Lab-baseline colourways (MIT/BSD products only) and their figures.

Usage: .venv/bin/python scripts/variants_sheet.py docs/variants.png (reads ../shared/data).
"""
import json
import sys

import numpy as np
from PIL import Image, ImageDraw

from tryon.imaging.imageio import save_sheet
from tryon.studio import make_variant

D = str(__import__('pathlib').Path(__file__).resolve().parents[2] / 'shared' / 'data') + '/'
ROWS = [('shoes/saleor/saleor-blue-plimsolls-1.png', ['#7b1e2b', '#f2f0ea', '#111111']),
        ('shoes/saleor/saleor-white-plimsolls-2.png', ['#1f2a44', '#7b1e2b', '#c9a227']),
        ('shoes/saleor/saleor-dash-force-1.png', ['#2e7d32', '#111111', '#f2f0ea']),
        ('openvto/clothes/shirts/4_front.jpg', ['#f2f0ea', '#7b1e2b', '#1f2a44']),
        ('openvto/clothes/shirts/3_front.jpg', ['#1f2a44', '#111111', '#7b1e2b']),
        ('openvto/clothes/jackets/4_front.jpg', ['#7b1e2b', '#f2f0ea', '#1f2a44'])]
T = 260
def tile(rgba, label):
    im = Image.fromarray(rgba)
    im.thumbnail((T, T - 22))
    bg = Image.new('RGB', (T, T), (236, 236, 236))
    bg.paste(im, ((T - im.width) // 2, 22), im if im.mode == 'RGBA' else None)
    ImageDraw.Draw(bg).text((4, 4), label, fill=(0, 0, 0))
    return bg
rows, figs = [], []
for path, colours in ROWS:
    src = np.array(Image.open(D + path).convert('RGBA' if path.endswith('.png') else 'RGB'))
    tiles = [tile(src, path.split('/')[-1][:34])]
    for c in colours:
        v = make_variant(D + path, c)
        f = v.figures
        figs.append(dict(item=path, colour=c, source_L=round(float(v.source_lab[0]), 1),
                         target_L=round(float(v.target_lab[0]), 1), dE=round(f.delta_e, 2),
                         contrast=round(f.contrast_kept, 2), kept=round(f.kept_change, 3),
                         share=round(f.main_share, 2)))
        tiles.append(tile(v.rgba, f"{c} dE {f.delta_e:.1f} std {f.contrast_kept:.2f}"))
    rows.append(tiles)
save_sheet(rows, T, sys.argv[1], optimize=False)
for figure in figs:
    print(json.dumps(figure))
